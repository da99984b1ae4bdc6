import { readFileSync } from 'node:fs';

/** Where a command writes; the real process streams, or buffers in tests. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file, `-` meaning standard input. */
  readonly readInput: (path: string) => string;
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readInput: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
};

export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
