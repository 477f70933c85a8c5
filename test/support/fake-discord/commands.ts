/**
 * Application commands of the fake Discord (global and per guild): list, bulk overwrite, upsert, delete.
 *
 * @module
 */
import { snowflake } from './builders.ts';
import { errorResponse, formError } from './responses.ts';
import type { FakeDiscordState } from './state.ts';
import type { FakeResponse, Json } from './types.ts';

/** A 403 unless `app` is this application and `scope` is `global` or a configured guild. */
export function commandScope(s: FakeDiscordState, app: string | undefined, scope: string | undefined): FakeResponse | undefined {
  if (app !== s.applicationId) return errorResponse(403, 50001, 'Missing Access');
  if (scope !== 'global' && !s.guilds.some((g) => g.id === scope)) return errorResponse(403, 50001, 'Missing Access');
  return undefined;
}

/** `GET …/commands`: the registered commands of a scope. */
export function listCommands(s: FakeDiscordState, app: string | undefined, scope: string | undefined): FakeResponse {
  return commandScope(s, app, scope) ?? { status: 200, body: s.commands.get(scope ?? '') ?? [] };
}

/** A command as Discord returns it: defaults filled in, keeping the id of the command it replaces. */
export function normalizeCommand(s: FakeDiscordState, scope: string, body: Json, existing: Json | undefined): Json {
  return {
    type: 1,
    description: '',
    options: [],
    default_member_permissions: null,
    nsfw: false,
    description_localizations: null,
    name_localizations: null,
    ...body,
    id: existing?.id ?? snowflake(),
    application_id: s.applicationId,
    version: snowflake(),
    ...(scope === 'global' ? {} : { guild_id: scope }),
  };
}

/** `PUT …/commands`: bulk overwrite (ids kept for commands of the same name and type). */
export function putCommands(s: FakeDiscordState, app: string | undefined, scope: string | undefined, body: Json): FakeResponse {
  const bad = commandScope(s, app, scope);
  if (bad) return bad;
  if (!Array.isArray(body)) return formError('_root', 'ARRAY_TYPE_CONVERT', 'Must be an array.');
  if (body.length > 100) return formError('_root', 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const old = s.commands.get(scope ?? '') ?? [];
  const next = body.map((c: Json) => normalizeCommand(s, scope ?? '', c, old.find((o) => o.name === c.name && (o.type ?? 1) === (c.type ?? 1))));
  s.commands.set(scope ?? '', next);
  return { status: 200, body: next };
}

/** `POST …/commands`: creates (201) or replaces (200) the command of that name. */
export function upsertCommand(s: FakeDiscordState, app: string | undefined, scope: string | undefined, body: Json): FakeResponse {
  const bad = commandScope(s, app, scope);
  if (bad) return bad;
  const list = s.commands.get(scope ?? '') ?? [];
  const i = list.findIndex((o) => o.name === body?.name);
  const cmd = normalizeCommand(s, scope ?? '', body, list[i]);
  if (i >= 0) list[i] = cmd;
  else list.push(cmd);
  s.commands.set(scope ?? '', list);
  return { status: i >= 0 ? 200 : 201, body: cmd };
}

/** `DELETE …/commands/{id}`. */
export function deleteCommand(s: FakeDiscordState, app: string | undefined, scope: string | undefined, id: string | undefined): FakeResponse {
  const bad = commandScope(s, app, scope);
  if (bad) return bad;
  const list = s.commands.get(scope ?? '') ?? [];
  const i = list.findIndex((o) => o.id === id);
  if (i < 0) return errorResponse(404, 10063, 'Unknown application command');
  list.splice(i, 1);
  return { status: 204 };
}

