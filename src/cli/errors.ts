import { CommanderError } from 'commander';
import { environmentReason, IdmatrixError } from '../errors';
import { showPath } from '../quote';
import { Utf8Error } from '../utf8';
import { BadInput, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, ExitStatus } from './exit';

/**
 * The CLI's error layer: what every failure becomes, as an exit status and at most one line on
 * standard error. Anything a user can cause (bad input, a file that cannot be read, a store that
 * cannot be opened or is locked, a full disk) is exit 2 with one line saying what, where and what to do;
 * exit 70 is left for our own bugs, with the stack trace for the report.
 */
export interface Failure {
  readonly status: number;
  /** The line(s) to print on standard error, without the final newline; empty for none. */
  readonly message: string;
}

/** `no such file or directory (ENOENT)` for a system or SQLite error from the environment, else the error's message. */
export function systemReason(error: unknown): string {
  return environmentReason(error) ?? (error instanceof Error ? error.message : String(error));
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof CommanderError) return { status: error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT, message: oneLine(error.message) };
  if (error instanceof ExitStatus) return { status: error.status, message: '' };
  if (error instanceof BadInput || error instanceof IdmatrixError) return { status: EXIT_BAD_INPUT, message: oneLine(error.message) };
  if (error instanceof Utf8Error) return { status: EXIT_BAD_INPUT, message: oneLine(error.message) };
  const reason = environmentReason(error);
  if (reason !== undefined) {
    const path = (error as { path?: unknown }).path;
    return { status: EXIT_BAD_INPUT, message: typeof path === 'string' ? `${showPath(path)}: ${reason}` : reason };
  }
  return { status: EXIT_INTERNAL, message: `internal error (a bug in idmatrix; please report it with the command that caused it): ${(error as Error)?.stack ?? String(error)}` };
}

/**
 * A message on one visible line: line breaks and every other control character escaped (a NUL byte
 * from an input is printed as \u0000), so that a stray one in a value can neither split the line nor
 * reach the terminal raw.
 */
function oneLine(message: string): string {
  return message.replace(/[\p{Cc}\u2028\u2029]/gu, (char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`);
}
