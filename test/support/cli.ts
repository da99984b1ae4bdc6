import { Readable } from 'node:stream';
import { openFileInput } from '../../src/cli/io';
import { main, type CliIO } from '../../src/cli/main';

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process; `stdin` is what `-` reads, `files` what other paths read (else the disk). */
export async function runCli(argv: readonly string[], stdin: string | Buffer = '', files: Readonly<Record<string, string | Buffer>> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    openInput: (path) => {
      if (path === '-') return { name: 'standard input', stream: Readable.from([Buffer.from(stdin)]) };
      const given = files[path];
      if (given !== undefined) return { name: path, stream: Readable.from([Buffer.from(given)]), size: Buffer.byteLength(given) };
      return openFileInput(path);
    },
    stderrIsTTY: false,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

/** Exit 2, nothing on standard output, exactly one line on standard error; returns that line. */
export function assertOneLineError(run: CliRun, label = ''): string {
  const where = `${label}: status ${run.status}, stdout ${JSON.stringify(run.stdout.slice(0, 200))}, stderr ${JSON.stringify(run.stderr.slice(0, 400))}`;
  if (run.status !== 2 || run.stdout !== '' || !/^[^\n]+\n$/.test(run.stderr)) throw new Error(`expected a one-line usage error (exit 2) ${where}`);
  return run.stderr.slice(0, -1);
}
