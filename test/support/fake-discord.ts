/**
 * A local, in-process fake of Discord (gateway over WebSocket + REST over HTTP) for end-to-end tests that run
 * the REAL discord.js `Client`. The implementation lives in `test/support/fake-discord/` (split by concern,
 * see its `index.ts`); this file re-exports its public API so existing imports keep working.
 *
 * @module
 */
export * from './fake-discord/index.ts';
