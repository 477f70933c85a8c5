/**
 * Declarative checks shared by commands, in the spirit of Sapphire's preconditions: a command lists them
 * (`preconditions: [inGuild, manageGuild]`) and the router runs them, in order, before `execute`. A check
 * that fails throws a {@link UserError}, which the router renders ephemerally. A check that applies to one
 * subcommand only is called from that subcommand (`await manageGuild(context)`): they are plain functions.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { messages } from './i18n.ts';
import type { CommandContext, Precondition } from './types.ts';
import { UserError } from './user-error.ts';

export type { Precondition } from './types.ts';

/** Only in a server (not in direct messages). */
export const inGuild: Precondition = (context) => {
  if (!context.guildId) throw new UserError(messages.guildOnly, 'guild-only');
};

/** The member has Manage Server (or Administrator) in this server. Implies {@link inGuild}. */
export const manageGuild: Precondition = (context) => {
  inGuild(context);
  const permissions = context.memberPermissions ?? 0n;
  if ((permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) === 0n) {
    throw new UserError(messages.needManageServer, 'need-manage-guild');
  }
};

/** Daily-tip storage is available (absent when the database could not be opened). */
export const dailyStorage: Precondition = (context) => {
  if (!context.services.daily) throw new UserError(messages.storageUnavailable, 'storage-unavailable');
};

/** A permission the bot needs, with the name users see in Discord's settings. */
export interface NamedPermission {
  bit: bigint;
  name: string;
}

/**
 * The bot can do everything in `required` in channel `channelId` of this server. Refuses with
 * `badChannel` when the permissions cannot be known (e.g. a channel of another server), and with the
 * list of what is missing otherwise.
 */
export async function botCan(context: CommandContext, channelId: string, required: readonly NamedPermission[]): Promise<void> {
  const permissions = (await context.botPermissionsIn?.(channelId)) ?? null;
  if (permissions === null) throw new UserError(messages.badChannel, 'bad-channel');
  if ((permissions & PermissionFlagsBits.Administrator) !== 0n) return;
  const missing = required.filter(({ bit }) => (permissions & bit) === 0n);
  if (missing.length > 0) {
    const names = missing.map(({ name }) => name).join(', ');
    throw new UserError((locale) => messages.missingPermissions[locale](`<#${channelId}>`, names), 'bot-missing-permissions');
  }
}
