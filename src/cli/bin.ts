/** Entry point of `npm run cli`: wires {@link runCli} to the process. */
import { createInterface } from 'node:readline';
import { runCli, type CliIo } from './main.ts';

const io: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  stdinLines: () => createInterface({ input: process.stdin, crlfDelay: Infinity }),
  color: process.stdout.isTTY === true,
};

try {
  process.exitCode = await runCli(process.argv.slice(2), io);
} catch (error) {
  process.stderr.write(`zhenyan: unexpected error: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
