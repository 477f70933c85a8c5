/**
 * vitest globalSetup: one PostgreSQL server for the whole run, shared by the test files (each test
 * uses its own schema, see `stores.ts`). `TEST_DATABASE_URL` set: that server is used instead;
 * otherwise an embedded one (`embedded-postgres.ts`), removed at the end.
 */
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server for tests (`postgres://…`). */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL?.trim();
  if (external) {
    project.provide('postgresUrl', external);
    return async () => {};
  }
  const server = await startEmbeddedPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
