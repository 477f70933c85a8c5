/**
 * Built-in REST routes of the fake Discord (paths relative to /api/v10): gateway, users, application,
 * application commands, interactions and webhooks, channels and messages, guilds. Route overrides and fault
 * rules (faults.ts) are consulted before these.
 *
 * @module
 */
import { DEFAULT_USER, fullUser } from './builders.ts';
import { deleteCommand, listCommands, putCommands, upsertCommand } from './commands.ts';
import { restGuildPayload } from './guilds.ts';
import { onCallback, webhookDelete, webhookEdit, webhookFollowup, webhookGet } from './interactions.ts';
import { createChannelMessage, editMessage, listChannelMessages, validateMessage } from './messages.ts';
import { errorResponse } from './responses.ts';
import type { FakeDiscordState } from './state.ts';
import type { BuiltinRoute, FakeResponse, Json } from './types.ts';

/** The built-in routes, matched in order after overrides and fault rules. */
export function buildRoutes(s: FakeDiscordState): BuiltinRoute[] {
  const S = '([^/]+)';
  const route = (method: string, path: string, handle: BuiltinRoute['handle'], auth = true): BuiltinRoute => ({
    method,
    re: new RegExp(`^${path.replace(/:\w+/g, S)}$`),
    auth,
    handle,
  });
  const ok = (body: Json, status = 200): FakeResponse => ({ status, body });
  const noContent: FakeResponse = { status: 204 };
  const gateway = (): Json => ({ url: s.gatewayUrl });
  return [
    route('GET', '/gateway', () => ok(gateway()), false),
    route('GET', '/gateway/bot', () =>
      ok({
        ...gateway(),
        shards: s.opts.shardCount,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: s.opts.maxConcurrency },
      }),
    ),
    route('GET', '/users/@me', () => ok(s.botUser)),
    route('GET', '/users/:id', (_r, [id]) => {
      if (id === s.botUser.id) return ok(s.botUser);
      for (const g of s.guilds) {
        const m = g.members.find((x) => x.user.id === id);
        if (m) return ok(m.user);
      }
      if (id === DEFAULT_USER.id) return ok(fullUser(DEFAULT_USER));
      return errorResponse(404, 10013, 'Unknown User');
    }),
    route('GET', '/applications/@me', () =>
      ok({
        id: s.applicationId,
        name: s.botUser.username,
        icon: null,
        description: '',
        bot_public: false,
        bot_require_code_grant: false,
        flags: 0,
        verify_key: 'fake',
        team: null,
        owner: fullUser(DEFAULT_USER),
        bot: s.botUser,
        approximate_guild_count: s.guilds.length,
        install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
        integration_types_config: { '0': {} },
      }),
    ),
    // ---- application commands
    route('GET', '/applications/:app/commands', (_r, [app]) => listCommands(s, app, 'global')),
    route('PUT', '/applications/:app/commands', (r, [app]) => putCommands(s, app, 'global', r.body)),
    route('POST', '/applications/:app/commands', (r, [app]) => upsertCommand(s, app, 'global', r.body)),
    route('DELETE', '/applications/:app/commands/:id', (_r, [app, id]) => deleteCommand(s, app, 'global', id)),
    route('GET', '/applications/:app/guilds/:guild/commands', (_r, [app, g]) => listCommands(s, app, g)),
    route('PUT', '/applications/:app/guilds/:guild/commands', (r, [app, g]) => putCommands(s, app, g, r.body)),
    route('POST', '/applications/:app/guilds/:guild/commands', (r, [app, g]) => upsertCommand(s, app, g, r.body)),
    route('DELETE', '/applications/:app/guilds/:guild/commands/:id', (_r, [app, g, id]) => deleteCommand(s, app, g, id)),
    // ---- interactions
    route('POST', '/interactions/:id/:token/callback', (r, [id, token]) => onCallback(s, r, id ?? '', token ?? ''), false),
    route('GET', '/webhooks/:app/:token/messages/:message', (_r, [app, t, m]) => webhookGet(s, app, t, m), false),
    route('PATCH', '/webhooks/:app/:token/messages/:message', (r, [app, t, m]) => webhookEdit(s, r, app, t, m), false),
    route('DELETE', '/webhooks/:app/:token/messages/:message', (_r, [app, t, m]) => webhookDelete(s, app, t, m), false),
    route('POST', '/webhooks/:app/:token', (r, [app, t]) => webhookFollowup(s, r, app, t), false),
    // ---- channels
    route('GET', '/channels/:id', (_r, [id]) => {
      const c = s.channels.get(id ?? '');
      return c ? ok(c) : errorResponse(404, 10003, 'Unknown Channel');
    }),
    route('POST', '/channels/:id/messages', (r, [id]) => createChannelMessage(s, r, id ?? '')),
    route('GET', '/channels/:id/messages', (r, [id]) => listChannelMessages(s, r, id ?? '')),
    route('GET', '/channels/:id/messages/:mid', (_r, [cid, mid]) => {
      const m = s.messages.get(mid ?? '');
      return m && m.channel_id === cid ? ok(m) : errorResponse(404, 10008, 'Unknown Message');
    }),
    route('PATCH', '/channels/:id/messages/:mid', (r, [cid, mid]) => {
      const m = s.messages.get(mid ?? '');
      if (!m || m.channel_id !== cid) return errorResponse(404, 10008, 'Unknown Message');
      return validateMessage(s, r.body, r.files, false) ?? ok(editMessage(s, m, r.body, r.files));
    }),
    route('DELETE', '/channels/:id/messages/:mid', (_r, [cid, mid]) => {
      const m = s.messages.get(mid ?? '');
      if (!m || m.channel_id !== cid) return errorResponse(404, 10008, 'Unknown Message');
      s.messages.delete(m.id);
      return noContent;
    }),
    route('POST', '/channels/:id/typing', (_r, [id]) =>
      s.channels.has(id ?? '') ? noContent : errorResponse(404, 10003, 'Unknown Channel'),
    ),
    // ---- guilds
    route('GET', '/guilds/:id', (r, [id]) => {
      const g = s.guilds.find((x) => x.id === id);
      if (!g) return errorResponse(404, 10004, 'Unknown Guild');
      const body = restGuildPayload(g);
      if (r.query.with_counts === 'true') Object.assign(body, { approximate_member_count: g.members.length, approximate_presence_count: 1 });
      return ok(body);
    }),
    route('GET', '/guilds/:id/channels', (_r, [id]) => {
      const g = s.guilds.find((x) => x.id === id);
      return g ? ok(g.channels) : errorResponse(404, 10004, 'Unknown Guild');
    }),
    route('GET', '/guilds/:id/roles', (_r, [id]) => {
      const g = s.guilds.find((x) => x.id === id);
      return g ? ok(g.roles) : errorResponse(404, 10004, 'Unknown Guild');
    }),
    route('GET', '/guilds/:id/members/:uid', (_r, [id, uid]) => {
      const g = s.guilds.find((x) => x.id === id);
      if (!g) return errorResponse(404, 10004, 'Unknown Guild');
      const m = g.members.find((x) => x.user.id === uid);
      return m ? ok(m) : errorResponse(404, 10007, 'Unknown Member');
    }),
  ];
}

