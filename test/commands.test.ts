/** Each command's logic, without Discord: the handlers run on fake contexts over the real corpus. */
import { describe, expect, it } from 'vitest';
import quote from '../commands/quote.ts';
import random from '../commands/random.ts';
import speaker from '../commands/speaker.ts';
import sources from '../commands/sources.ts';
import help from '../commands/help.ts';
import perspectives from '../commands/perspectives.ts';
import { COMMANDS } from '../commands/index.ts';
import { InteractionRouter } from '../src/bot/router.ts';
import { RateLimiter } from '../src/bot/rate-limit.ts';
import { messages } from '../src/bot/i18n.ts';
import { autocompleteContext, buttonContext, commandContext, messageOf, runCommand, testServices } from './support/contexts.ts';

describe('/quote', () => {
  it('answers with the best passage and records the search in the message', async () => {
    const { context, recorded } = commandContext('quote', { query: '云备胎' });
    await runCommand(quote, context);
    const [reply] = recorded.replies;
    expect(reply!.ephemeral).toBeUndefined();
    expect(reply!.embeds![0]!.description).toContain('**云备胎**');
    expect(reply!.embeds![0]!.author!.name).toMatch(/^季昕华/u);
    expect(reply!.embeds![0]!.fields!.at(-1)).toEqual({ name: 'Search', value: '云备胎' });
  });

  it('pages forward and back from the message alone (a fresh router, as after a restart), and refuses out-of-range pages', async () => {
    const { context, recorded } = commandContext('quote', { query: '开源' });
    await runCommand(quote, context);
    const first = recorded.replies[0]!;
    const next = first.components![0]!.components[1] as { custom_id: string };
    // Another process: new services, new router, nothing shared with the one that answered.
    const fresh = testServices();
    const router = new InteractionRouter(COMMANDS, fresh, null);
    const click = buttonContext(next.custom_id, fresh, { message: messageOf(first, context.user.id) });
    await router.button(click.context);
    expect(click.recorded.updates).toHaveLength(1);
    const page2 = click.recorded.updates[0]!;
    expect(page2.embeds![0]!.footer!.text).toContain('Result 2 of');
    expect(page2.embeds![0]!.description).not.toBe(first.embeds![0]!.description);
    const previous = page2.components![0]!.components[0] as { custom_id: string; disabled: boolean };
    expect(previous.disabled).toBe(false);
    const back = buttonContext(previous.custom_id, fresh, { message: messageOf(page2, context.user.id) });
    await router.button(back.context);
    expect(back.recorded.updates[0]!.embeds![0]!.description).toBe(first.embeds![0]!.description);
    const beyond = buttonContext(next.custom_id.replace(/:1$/u, ':99'), fresh, { message: messageOf(first, context.user.id) });
    await router.button(beyond.context);
    expect(beyond.recorded.updates).toHaveLength(0);
    expect(beyond.recorded.replies).toEqual([{ content: messages.expired.en, ephemeral: true }]);
  });

  it('refuses a page button whose message records another search, without changing anything', async () => {
    const services = testServices();
    const router = new InteractionRouter(COMMANDS, services, null);
    const a = commandContext('quote', { query: '开源' }, { services });
    const b = commandContext('quote', { query: '融资' }, { services });
    await runCommand(quote, a.context);
    await runCommand(quote, b.context);
    const next = a.recorded.replies[0]!.components![0]!.components[1] as { custom_id: string };
    const click = buttonContext(next.custom_id, services, { message: messageOf(b.recorded.replies[0]!) });
    await router.button(click.context);
    expect(click.recorded.updates).toHaveLength(0);
    expect(click.recorded.replies).toEqual([{ content: messages.expired.en, ephemeral: true }]);
  });

  it('answers an unknown source with the list of interviews', async () => {
    const { context, recorded } = commandContext('quote', { query: '云', source: 'no-such-interview' });
    await runCommand(quote, context);
    expect(recorded.replies[0]!.ephemeral).toBe(true);
    expect(recorded.replies[0]!.content).toContain(testServices().library.interviews[0]!.id);
  });

  it('autocompletes sources and speakers within 25 choices of ≤ 100 characters', async () => {
    const { context, recorded } = autocompleteContext('quote', { name: 'source', value: '' });
    await quote.autocomplete!(context);
    expect(recorded.choices.length).toBe(Math.min(25, testServices().library.interviews.length));
    for (const choice of recorded.choices) expect(choice.name.length).toBeLessThanOrEqual(100);
    const speakers = autocompleteContext('quote', { name: 'speaker', value: '黄' });
    await quote.autocomplete!(speakers.context);
    expect(speakers.recorded.choices[0]!.value).toBe('黄东旭');
  });
});

describe('/random, /speaker, /sources, /help', () => {
  it('/random picks among the daily tips', async () => {
    const { context, recorded } = commandContext('random');
    await runCommand(random, context);
    const description = recorded.replies[0]!.embeds![0]!.description!;
    const tips = context.services.library.tipIds.map((id) => context.services.library.index.passage(id)!.text.slice(0, 10));
    // The quote may follow a short line with the question it answers.
    const lines = description.replaceAll('\\', '').split('\n');
    expect(tips.some((start) => lines.some((line) => line.startsWith(start)))).toBe(true);
  });

  it('/random with an unknown speaker refuses politely', async () => {
    const { context, recorded } = commandContext('random', { speaker: 'Nobody at all' });
    await runCommand(random, context);
    expect(recorded.replies[0]!.ephemeral).toBe(true);
  });

  it('/speaker finds 老季 and lists his interview', async () => {
    const { context, recorded } = commandContext('speaker', { name: '老季' });
    await runCommand(speaker, context);
    const embed = recorded.replies[0]!.embeds![0]!;
    expect(embed.title).toBe('季昕华');
    expect(embed.description).toContain('UCloud');
    expect(embed.fields!.find((f) => f.name === 'Interviews')!.value).toContain('A计划');
  });

  it('/speaker takes partial and Latin names (qi, huang) and never suggests generic roles', async () => {
    for (const [typed, name] of [
      ['qi', 'Qi Jun'],
      ['huang', '黄东旭'],
      ['东旭', '黄东旭'],
    ] as const) {
      const { context, recorded } = commandContext('speaker', { name: typed });
      await runCommand(speaker, context);
      expect(recorded.replies[0]!.embeds![0]!.title, typed).toBe(name);
    }
    const unknown = commandContext('speaker', { name: 'Nobody at all' });
    await runCommand(speaker, unknown.context);
    expect(unknown.recorded.replies[0]!.ephemeral).toBe(true);
    expect(unknown.recorded.replies[0]!.content).not.toMatch(/观众|投资人/u);
    const choices = autocompleteContext('speaker', { name: 'name', value: '' });
    await speaker.autocomplete!(choices.context);
    const offered = choices.recorded.choices.map((c) => c.value);
    expect(offered).toContain('季昕华');
    expect(offered).not.toContain('观众');
    expect(offered).not.toContain('投资人');
  });

  it('/quote shows the question above an answer, and narration apart from the words', async () => {
    const { context, recorded } = commandContext('quote', { query: '技术创业的先决条件' });
    await runCommand(quote, context);
    const description = recorded.replies[0]!.embeds![0]!.description!;
    expect(description.split('\n')[0]).toMatch(/^> 刘超 asked: /u);
    expect(recorded.replies[0]!.embeds![0]!.author!.name).toMatch(/^季昕华/u);
    const snore = commandContext('quote', { query: '打呼噜' }, { locale: 'zh-CN' });
    await runCommand(quote, snore.context);
    const lines = snore.recorded.replies[0]!.embeds![0]!.description!.split('\n');
    expect(lines[0]).toMatch(/^\*.*张鑫.*\*$/u);
    expect(lines[1]).toContain('**打呼噜**');
    expect(lines[1]).not.toContain('张鑫');
  });

  it('/perspectives gives one field per speaker (at most 5), each with its interview', async () => {
    const { context, recorded } = commandContext('perspectives', { topic: '开源' });
    await runCommand(perspectives, context);
    const embed = recorded.replies[0]!.embeds![0]!;
    expect(embed.title).toContain('开源');
    expect(embed.fields!.length).toBeGreaterThan(1);
    expect(embed.fields!.length).toBeLessThanOrEqual(5);
    const names = embed.fields!.map((f) => f.name.split(' · ')[0]);
    expect(new Set(names).size).toBe(names.length);
    for (const field of embed.fields!) expect(field.value).toMatch(/\n— .+$/u);
    expect(JSON.stringify(embed).length).toBeLessThan(6500);
    const none = commandContext('perspectives', { topic: 'zzzqqqxxx' });
    await runCommand(perspectives, none.context);
    expect(none.recorded.replies[0]!.ephemeral).toBe(true);
  });

  it('/sources and /help fit Discord’s limits', async () => {
    for (const command of [sources, help]) {
      const { context, recorded } = commandContext(command.data.name);
      await runCommand(command, context);
      const embed = recorded.replies[0]!.embeds![0]!;
      expect(JSON.stringify(embed).length).toBeLessThan(8000);
      expect(embed.fields!.length).toBeLessThanOrEqual(25);
    }
  });
});

describe('router', () => {
  it('rate-limits one user after 8 commands in 10 s while others are unaffected', async () => {
    const services = testServices();
    const router = new InteractionRouter(COMMANDS, services, new RateLimiter({ limit: 8, windowMs: 10_000, now: () => 0 }));
    const outcomes: string[] = [];
    let refusal = '';
    for (let i = 0; i < 12; i++) {
      const { context, recorded } = commandContext('help', {}, { services });
      outcomes.push(await router.command(context));
      if (recorded.replies[0]!.content) refusal = recorded.replies[0]!.content;
    }
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(8);
    expect(outcomes.filter((o) => o === 'rate-limited')).toHaveLength(4);
    expect(refusal).toMatch(/going a bit fast/u);
    const other = commandContext('help', {}, { services, user: { id: '999', name: 'other' } });
    expect(await router.command(other.context)).toBe('ok');
  });

  it('answers an unknown command instead of failing', async () => {
    const router = new InteractionRouter(COMMANDS, testServices(), null);
    const { context, recorded } = commandContext('nope');
    expect(await router.command(context)).toBe('unknown-command');
    expect(recorded.replies[0]!.ephemeral).toBe(true);
  });

  it('runs preconditions in order and answers a failed one ephemerally, in the user’s language, as "refused"', async () => {
    const router = new InteractionRouter(COMMANDS, testServices(), null);
    const inDm = commandContext('daily', {}, { guildId: null, locale: 'zh-CN' });
    inDm.context.options = { ...inDm.context.options, subcommand: () => 'status' };
    expect(await router.command(inDm.context)).toBe('refused');
    expect(inDm.recorded.replies).toEqual([{ content: messages.guildOnly['zh-CN'], ephemeral: true }]);
    // In a server, but these test services have no daily storage: the next precondition refuses.
    const noStorage = commandContext('daily', {});
    noStorage.context.options = { ...noStorage.context.options, subcommand: () => 'status' };
    expect(await router.command(noStorage.context)).toBe('refused');
    expect(noStorage.recorded.replies).toEqual([{ content: messages.storageUnavailable.en, ephemeral: true }]);
  });

  it('reads typed arguments from the definition: a missing required option or unknown subcommand is refused, not run', async () => {
    const router = new InteractionRouter(COMMANDS, testServices(), null);
    const missing = commandContext('speaker', {});
    expect(await router.command(missing.context)).toBe('refused');
    expect(missing.recorded.replies).toEqual([{ content: messages.missingOption.en('name'), ephemeral: true }]);
    const services = testServices({ daily: {} as never });
    const unknown = commandContext('daily', {}, { services });
    unknown.context.options = { ...unknown.context.options, subcommand: () => 'explode' };
    expect(await new InteractionRouter(COMMANDS, services, null).command(unknown.context)).toBe('refused');
    expect(unknown.recorded.replies).toEqual([{ content: messages.unknownCommand.en, ephemeral: true }]);
  });

  it('every command has localised descriptions for zh-CN and zh-TW', () => {
    for (const command of COMMANDS) {
      expect(command.data.description_localizations?.['zh-CN'], command.data.name).toBeTruthy();
      expect(command.data.description_localizations?.['zh-TW'], command.data.name).toBeTruthy();
      expect(command.data.name_localizations?.['zh-CN'], command.data.name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
    }
  });
});
