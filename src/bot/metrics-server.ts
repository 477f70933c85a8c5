/**
 * The HTTP endpoint for operators (`METRICS_PORT`, on `METRICS_HOST`, default 127.0.0.1):
 * `GET /metrics` (Prometheus text format) and `GET /healthz` (200 when ready, 503 with the failing
 * checks otherwise). Plain `node:http`: two routes do not need a framework.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.ts';

/** Named readiness checks; each returns true when healthy. A check that throws counts as unhealthy. */
export type HealthChecks = Record<string, () => boolean | Promise<boolean>>;

/** What `/healthz` answers. */
export interface HealthReport {
  ok: boolean;
  checks: Record<string, boolean>;
}

/** Runs every check (in parallel) and reports which pass. */
export async function checkHealth(checks: HealthChecks): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        return [name, (await check()) === true] as const;
      } catch {
        return [name, false] as const;
      }
    }),
  );
  return { ok: entries.every(([, ok]) => ok), checks: Object.fromEntries(entries) };
}

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  host: string;
  /** 0 picks a free port (tests); the bound port is in the returned `url` and logged. */
  port: number;
  registry: Registry;
  checks: HealthChecks;
  logger: Logger;
}

/** A listening metrics server. */
export interface MetricsServer {
  /** `http://host:port` actually bound. */
  url: string;
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens (rejects if the port is taken). */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, checks, logger } = options;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const answer = async (): Promise<void> => {
      if (path === '/metrics') {
        const body = await registry.metrics();
        response.writeHead(200, { 'content-type': registry.contentType }).end(body);
      } else if (path === '/healthz') {
        const report = await checkHealth(checks);
        response.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(report)}\n`);
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
      }
    };
    answer().catch((error: unknown) => {
      logger.error({ err: error, path }, 'metrics endpoint failed');
      if (!response.headersSent) response.writeHead(500).end();
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, 'metrics and health endpoint listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
