/** DATABASE_URL: validated at start-up, never echoed; a bad or unreachable one is one line and exit code 1. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../src/config.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('DATABASE_URL configuration', () => {
  it('accepts postgres:// and postgresql:// URLs and never describes the password', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://zy:s3cret@db.internal:6543/zhenyan' });
    expect(config.databaseUrl).toBe('postgresql://zy:s3cret@db.internal:6543/zhenyan');
    const described = JSON.stringify(describeConfig(config));
    expect(described).toContain('db.internal:6543/zhenyan');
    expect(described).not.toContain('s3cret');
    expect(loadConfig({}).databaseUrl).toBeUndefined();
  });

  it.each(['postgres//zy:s3cret@host/db', 'mysql://zy:s3cret@host/db', 'postgres://zy:s3cret@/db'])('refuses %s naming DATABASE_URL, without echoing it', (url) => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: url });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^DATABASE_URL: /)]);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('DISCORD_GLOBAL_RPS and DAILY_LEASE_MS: optional, bounded', () => {
    expect(loadConfig({ DISCORD_GLOBAL_RPS: '12', DAILY_LEASE_MS: '30000' })).toMatchObject({ discordGlobalRps: 12, dailyLeaseMs: 30_000 });
    expect(() => loadConfig({ DISCORD_GLOBAL_RPS: '51' })).toThrow(/DISCORD_GLOBAL_RPS: must be at most 50/);
    expect(() => loadConfig({ DAILY_LEASE_MS: '600000' })).toThrow(/DAILY_LEASE_MS: must be at most 120000/);
  });

  it('an unreachable server: npm start prints one line naming host and cause, no password, exit code 1', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DISCORD_TOKEN: 'x', DATABASE_URL: 'postgres://zy:s3cret@127.0.0.1:1/zhenyan', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^zhenyan: storage: cannot reach PostgreSQL at 127\.0\.0\.1:1\/zhenyan \(ECONNREFUSED\)/)]);
    expect(result.stderr + result.stdout).not.toContain('s3cret');
  });
});
