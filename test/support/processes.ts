/**
 * Runs Zhenyan's entry points (`src/main.ts`, `src/cluster.ts`, `src/rest-proxy.ts`) as real child
 * processes for end-to-end tests and the scaling benchmark, and reads their JSON log lines.
 * `node --import tsx` directly (not `npx tsx`), so the pid is the bot's own and no wrapper process sits
 * in between.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** One parsed JSON log line (pino), with the raw text. */
export interface LogLine {
  msg?: string;
  pid?: number;
  [field: string]: unknown;
}

/** A running entry point. */
export interface RunningProcess {
  child: ChildProcess;
  /** Every JSON line written to stdout (children of a cluster included: they share the stream). */
  lines: LogLine[];
  /** Everything written to stderr. */
  stderr(): string;
  /** Resolves with the first log line (already received ones included) matching `predicate`. */
  waitForLine(predicate: (line: LogLine) => boolean, timeoutMs?: number, what?: string): Promise<LogLine>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of {@link runEntry}. */
export interface RunEntryOptions {
  /** Keep standard input open for {@link RunningProcess.child}`.stdin` (default: closed). */
  stdin?: boolean;
}

/** Starts `node --import tsx <entry>` in the repository root with `env` on top of a clean environment. */
export function runEntry(entry: string, env: Record<string, string>, options: RunEntryOptions = {}): RunningProcess {
  const child = spawn(process.execPath, ['--import', TSX, entry], {
    cwd: ROOT,
    // Only what the process needs: the test runner's own variables (VITEST…) must not leak into the bot.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const text of complete) {
      if (!text.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        /* not a log line */
      }
    }
    for (const wake of [...waiters]) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(predicate, timeoutMs = 30_000, what = 'a matching log line') {
      return new Promise<LogLine>((resolve, reject) => {
        const check = (): boolean => {
          const found = lines.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr: ${stderr.slice(-2000)}`));
        }, timeoutMs);
        if (check()) return;
        waiters.add(wake);
        void exited.then(() => {
          if (waiters.has(wake) && !check()) {
            clearTimeout(timer);
            waiters.delete(wake);
            reject(new Error(`process exited while waiting for ${what}; stderr: ${stderr.slice(-2000)}`));
          }
        });
      });
    },
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Resident set size of a process in bytes (Linux `/proc`), or null when it is gone. */
export async function rssBytes(pid: number): Promise<number | null> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB/mu.exec(status)?.[1];
    return kib ? Number(kib) * 1024 : null;
  } catch {
    return null;
  }
}

let clockTicks: number | undefined;

/**
 * CPU time (user + system) a process has used so far, in seconds (Linux `/proc/<pid>/stat`), or null
 * when it is gone. Unlike wall-clock latency, this does not depend on what else the machine runs.
 */
export async function cpuSeconds(pid: number): Promise<number | null> {
  const { readFile } = await import('node:fs/promises');
  if (clockTicks === undefined) {
    const { execFileSync } = await import('node:child_process');
    clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ")": utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return null;
  }
}
