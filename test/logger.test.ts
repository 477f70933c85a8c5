import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../src/logger.ts';

describe('logger', () => {
  it('scrubs the bot token and interaction/webhook tokens wherever they appear', () => {
    const lines: string[] = [];
    const token = 'MTAxMjM0NTY3ODkw.secret-token-value.abcdefghijklmnop';
    const logger = createLogger({
      secrets: [token],
      destination: new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }),
    });
    logger.error({ err: new Error(`401 on GET /gateway with Bot ${token}`), url: 'https://discord.com/api/v10/interactions/123456789012345678/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4/callback' }, 'failed');
    const text = lines.join('');
    expect(text).not.toContain(token);
    expect(text).not.toContain('aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4');
    expect(text).toContain('interactions/123456789012345678/[redacted]/callback');
  });

  it('leaves ordinary text alone', () => {
    expect(scrubSecrets('search 卖房创业 took 0.4 ms', [])).toBe('search 卖房创业 took 0.4 ms');
  });
});
