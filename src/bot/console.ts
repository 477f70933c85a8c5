/**
 * The local console: the same command handlers as in Discord, typed as `/quote 卖房创业` or
 * `/quote query:卖房创业 speaker:季昕华`, with replies rendered as text. Used by `npm start` when no
 * Discord token is set. Reads standard input line by line and stops at its end.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { toLocale } from './i18n.ts';
import type { OptionData } from './options.ts';
import type { InteractionRouter } from './router.ts';
import type { CommandOptions, ReplyPayload, Services } from './types.ts';

/** A parsed console line. */
export interface ConsoleCommand {
  name: string;
  subcommand: string | null;
  values: Map<string, string>;
}

/**
 * Parses `/name [sub] [option:value ...] [free text]`. Free text fills the first required string
 * option (so `/quote 卖房创业` works); `option:value` pairs may hold spaces up to the next pair.
 */
export function parseConsoleLine(line: string, definitions: Map<string, { readonly options?: readonly OptionData[] }>): ConsoleCommand | { error: string } {
  const match = /^\/(\S+)\s*(.*)$/su.exec(line.trim());
  if (!match) return { error: 'Commands start with "/", e.g. /quote 卖房创业 or /help.' };
  const name = match[1]!.toLowerCase();
  let rest = match[2]!.trim();
  const definition = definitions.get(name);
  if (!definition) return { error: `Unknown command /${name}. Try /help.` };
  let options = definition.options ?? [];
  let subcommand: string | null = null;
  const sub = options.find((o) => o.type === ApplicationCommandOptionType.Subcommand && (rest === o.name || rest.startsWith(`${o.name} `)));
  if (sub && sub.type === ApplicationCommandOptionType.Subcommand) {
    subcommand = sub.name;
    rest = rest.slice(sub.name.length).trim();
    options = sub.options ?? [];
  }
  const names = options.map((o) => o.name);
  const values = new Map<string, string>();
  const pair = new RegExp(`(?:^|\\s)(${names.map(escapeRegExp).join('|') || '(?!)'}):`, 'gu');
  const found = [...rest.matchAll(pair)];
  const free = (found.length > 0 ? rest.slice(0, found[0]!.index) : rest).trim();
  found.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < found.length ? found[i + 1]!.index! : rest.length;
    values.set(m[1]!, rest.slice(start, end).trim());
  });
  if (free.length > 0) {
    const first = options.find((o) => o.required && o.type === ApplicationCommandOptionType.String && !values.has(o.name));
    if (!first) return { error: `/${name} takes no free text here; use option:value (options: ${names.join(', ') || 'none'}).` };
    values.set(first.name, free);
  }
  return { name, subcommand, values };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** Renders a reply payload as plain text for the terminal. */
export function renderPayload(payload: ReplyPayload): string {
  const lines: string[] = [];
  if (payload.ephemeral) lines.push('(only you can see this)');
  if (payload.content) lines.push(payload.content);
  for (const embed of payload.embeds ?? []) lines.push(renderEmbed(embed));
  for (const file of payload.files ?? []) lines.push(`[image ${file.name}, ${Math.round(file.data.length / 1024)} KB: ${file.description}]`);
  const buttons = (payload.components ?? []).flatMap((row) => row.components).map((c) => ('label' in c && c.label ? `[${c.label}]` : ''));
  if (buttons.some(Boolean)) lines.push(buttons.filter(Boolean).join(' '));
  return lines.join('\n');
}

function renderEmbed(embed: APIEmbed): string {
  const lines: string[] = [];
  if (embed.author) lines.push(`— ${embed.author.name}`);
  if (embed.title) lines.push(`# ${embed.title}${embed.url ? ` <${embed.url}>` : ''}`);
  if (embed.description) lines.push(embed.description);
  for (const field of embed.fields ?? []) lines.push(`## ${field.name}\n${field.value}`);
  if (embed.footer) lines.push(`(${embed.footer.text})`);
  return lines.join('\n');
}

function consoleOptions(command: ConsoleCommand): CommandOptions {
  return {
    subcommand: () => command.subcommand,
    string: (name) => command.values.get(name) ?? null,
    integer: (name) => {
      const value = command.values.get(name);
      return value !== undefined && /^-?\d+$/u.test(value) ? Number(value) : null;
    },
    boolean: (name) => {
      const value = command.values.get(name)?.toLowerCase();
      return value === 'true' ? true : value === 'false' ? false : null;
    },
    channel: () => null,
    role: () => null,
  };
}

/** Runs one console line through the router; returns the rendered replies. */
export async function runConsoleLine(line: string, router: InteractionRouter, services: Services, locale = 'zh-CN'): Promise<string> {
  const definitions = new Map(router.commands.map((c) => [c.data.name, c.data]));
  const parsed = parseConsoleLine(line, definitions);
  if ('error' in parsed) return parsed.error;
  const out: string[] = [];
  await router.command({
    user: { id: 'console', name: 'console' },
    locale: toLocale(locale),
    guildId: null,
    channelId: null,
    memberPermissions: null,
    appPermissions: null,
    commandName: parsed.name,
    options: consoleOptions(parsed),
    services,
    reply: async (payload) => {
      out.push(renderPayload(payload));
    },
    defer: async () => {},
  });
  return out.join('\n\n');
}
