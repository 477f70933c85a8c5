/** The local console: line parsing, and `npm start` without a token answering from standard input. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../src/bot/console.ts';
import { COMMANDS } from '../commands/index.ts';

const definitions = new Map(COMMANDS.map((c) => [c.data.name, c.data]));

describe('parseConsoleLine', () => {
  it('fills the first required option with free text', () => {
    expect(parseConsoleLine('/quote 卖房 创业', definitions)).toEqual({ name: 'quote', subcommand: null, values: new Map([['query', '卖房 创业']]) });
  });

  it('reads option:value pairs, values may hold spaces', () => {
    const parsed = parseConsoleLine('/quote query:open source speaker:黄东旭', definitions);
    expect(parsed).toEqual({ name: 'quote', subcommand: null, values: new Map([['query', 'open source'], ['speaker', '黄东旭']]) });
  });

  it('explains bad lines', () => {
    expect(parseConsoleLine('hello', definitions)).toHaveProperty('error');
    expect(parseConsoleLine('/nope', definitions)).toEqual({ error: 'Unknown command /nope. Try /help.' });
    expect(parseConsoleLine('/sources extra words', definitions)).toHaveProperty('error');
  });
});

describe('npm start without a token', () => {
  it('answers commands read from standard input and exits at its end', async () => {
    const env = { ...process.env, DISCORD_TOKEN: '', LOG_LEVEL: '' };
    // Asynchronous on purpose: a spawnSync here blocks the vitest worker, and on a loaded machine a block
    // over 60 s makes vitest's worker RPC ("onTaskUpdate") time out and fail a green run.
    const result = await runWithInput('npx', ['tsx', 'src/main.ts'], '/quote 云备胎\n/bogus\n', env, 60_000);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('**云备胎**');
    expect(result.stdout).toContain('Unknown command /bogus');
  }, 90_000);
});

/** Runs a command with `input` on its standard input; resolves with its exit status and standard output. */
function runWithInput(command: string, args: string[], input: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'ignore'], timeout: timeoutMs });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
    child.stdin.end(input);
  });
}
