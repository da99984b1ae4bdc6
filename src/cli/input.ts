import { InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import { InvalidInputError, MalformedScenarioError } from '../errors';
import { showPath } from '../quote';
import type { Scenario } from '../replay/types';
import { loadScenario, type ScenarioContext } from '../replay/validate';
import { StrictUtf8Decoder, Utf8Error } from '../utf8';
import { systemReason } from './errors';
import type { CliIO, InputSource } from './io';

/** The largest scenario file read by default (32 MiB); `--max-input-size` raises or lowers it. */
export const DEFAULT_MAX_SCENARIO_BYTES = 32 * 1024 * 1024;

const UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `123`, `64K`, `32M`, `1G` (powers of 1024; `KiB`, `MB` and lower case accepted) → bytes. */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  const bytes = match ? Math.floor(Number(match[1]) * (UNITS[(match[2] as string).toUpperCase()] as number)) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new CommanderArgumentError('expected a size such as 1048576, 64K, 32M or 1G');
  return bytes;
}

export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

export function maxInputSizeOption(): Option {
  return new Option('--max-input-size <size>', `largest scenario file read, e.g. 64M or 1G (default ${formatSize(DEFAULT_MAX_SCENARIO_BYTES)})`)
    .argParser(parseSize)
    .default(DEFAULT_MAX_SCENARIO_BYTES, formatSize(DEFAULT_MAX_SCENARIO_BYTES));
}

/**
 * Reads a whole input as strict UTF-8, refusing it as soon as it passes `maxBytes` (checked while
 * reading, so `/dev/zero` or an endless pipe is refused in bounded memory). InvalidInputError names the
 * input and the byte offset of invalid UTF-8; a read error (EIO, EISDIR) becomes one line too.
 */
export async function readText(source: InputSource, maxBytes: number): Promise<string> {
  const shown = source.name === 'standard input' ? 'standard input' : showPath(source.name);
  if (source.size !== undefined && source.size > maxBytes) {
    source.stream.destroy();
    throw tooLarge(shown, maxBytes);
  }
  const decoder = new StrictUtf8Decoder();
  const parts: string[] = [];
  let length = 0;
  try {
    for await (const chunk of source.stream as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      length += bytes.length;
      if (length > maxBytes) throw tooLarge(shown, maxBytes);
      parts.push(decoder.decode(bytes));
    }
    decoder.end();
  } catch (error) {
    source.stream.destroy();
    if (error instanceof InvalidInputError) throw error;
    if (error instanceof Utf8Error) throw new InvalidInputError(`${shown} is ${error.message}`, 'not-utf8');
    throw new InvalidInputError(`cannot read ${shown}: ${systemReason(error)}`, 'unreadable');
  }
  return parts.join('');
}

/**
 * The text of an input, chunk by chunk as it is read, decoded as strict UTF-8 (in constant memory).
 * Invalid UTF-8 is an InvalidInputError naming the line and byte offset; a read error, one line too.
 * `onBytes` is told how many bytes each chunk had (for a progress bar).
 */
export async function* textChunks(source: InputSource, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  const shown = source.name === 'standard input' ? 'standard input' : showPath(source.name);
  const decoder = new StrictUtf8Decoder();
  try {
    for await (const chunk of source.stream as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      onBytes?.(bytes.length);
      const text = decoder.decode(bytes);
      if (text.length > 0) yield text;
    }
    decoder.end();
  } catch (error) {
    source.stream.destroy();
    if (error instanceof Utf8Error) {
      throw new InvalidInputError(`${shown} line ${error.fault.line}: not valid UTF-8: ${error.fault.bytes} at byte offset ${error.fault.offset}`, 'not-utf8');
    }
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(`cannot read ${shown}: ${systemReason(error)}`, 'unreadable');
  }
}

function tooLarge(shown: string, maxBytes: number): InvalidInputError {
  return new InvalidInputError(`${shown} is larger than ${formatSize(maxBytes)}, the most a scenario may take; --max-input-size raises it`, 'too-large');
}

export interface ReadScenarioOptions extends ScenarioContext {
  /** The most bytes read (default DEFAULT_MAX_SCENARIO_BYTES). */
  readonly maxBytes?: number;
}

/**
 * Reads and validates a scenario file (`-` for standard input). Every failure is a MalformedScenarioError
 * at `$` (the file as a whole) or at the JSON path at fault, as replay.md asks.
 */
export async function readScenario(io: CliIO, file: string, options: ReadScenarioOptions = {}): Promise<Scenario> {
  let text: string;
  try {
    text = await readText(io.openInput(file), options.maxBytes ?? DEFAULT_MAX_SCENARIO_BYTES);
  } catch (error) {
    if (error instanceof InvalidInputError) throw new MalformedScenarioError('$', error.message);
    throw error;
  }
  return loadScenario(text, options);
}
