import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { Readable } from 'node:stream';
import { InvalidInputError } from '../errors';
import { systemReason } from './errors';
import { showPath } from '../quote';

/** An input a command reads: a file, or standard input for `-`. */
export interface InputSource {
  /** The path as given, or `standard input`. */
  readonly name: string;
  readonly stream: Readable;
  /** Its size in bytes when known in advance (a regular file). */
  readonly size?: number;
}

/** Where a command reads and writes; the real process streams, tests buffer. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Opens a file for reading, `-` meaning standard input; InvalidInputError when it cannot be read. */
  readonly openInput: (path: string) => InputSource;
  /** Whether standard error is a terminal (a progress bar) or not (plain progress lines). */
  readonly stderrIsTTY: boolean;
}

/** Opens `path` for reading, refusing a directory or an unreadable file in one line. */
export function openFileInput(path: string): InputSource {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InvalidInputError(`cannot read ${showPath(path)}: ${systemReason(error)}`, 'unreadable');
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InvalidInputError(`cannot read ${showPath(path)}: it is a directory`, 'unreadable');
    return { name: path, stream: createReadStream('', { fd, highWaterMark: 1 << 20 }), size: stat.isFile() ? stat.size : undefined };
  } catch (error) {
    closeSync(fd);
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(`cannot read ${showPath(path)}: ${systemReason(error)}`, 'unreadable');
  }
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  openInput: (path) => (path === '-' ? { name: 'standard input', stream: process.stdin } : openFileInput(path)),
  stderrIsTTY: process.stderr.isTTY === true,
};

export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
