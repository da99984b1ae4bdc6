import { isUtf8 } from 'node:buffer';

/**
 * Strict UTF-8 decoding of inputs (scenario files, import files): invalid bytes are an error naming
 * their byte offset and line, never replaced by U+FFFD (which would let an address that is in no file
 * be stored, and two different byte sequences collide). Decodes a stream chunk by chunk in constant
 * memory; a character split between chunks is carried over.
 */

export interface Utf8Fault {
  /** Offset of the first byte of the invalid sequence, from the start of the input (0-based). */
  readonly offset: number;
  /** The line it is on (1-based; LF ends a line). */
  readonly line: number;
  /** The bytes at fault, as hex (`0xFF`, `0xED 0xA0 0x80`), or `end of input` for a truncated character. */
  readonly bytes: string;
}

export class Utf8Error extends Error {
  constructor(readonly fault: Utf8Fault) {
    super(`not valid UTF-8: ${fault.bytes} at byte offset ${fault.offset} (line ${fault.line})`);
    this.name = 'Utf8Error';
  }
}

/** Length of the sequence a lead byte starts (0 for a byte that cannot start one). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Whether `byte` may follow `lead` as the second byte (the narrower ranges of RFC 3629's table). */
function validSecond(lead: number, byte: number): boolean {
  if (lead === 0xe0) return byte >= 0xa0 && byte <= 0xbf;
  if (lead === 0xed) return byte >= 0x80 && byte <= 0x9f; // no surrogates
  if (lead === 0xf0) return byte >= 0x90 && byte <= 0xbf;
  if (lead === 0xf4) return byte >= 0x80 && byte <= 0x8f;
  return byte >= 0x80 && byte <= 0xbf;
}

/**
 * Scans `bytes` from `start` and returns the offset and length of the first invalid sequence, or of
 * the incomplete sequence at its end (`incomplete`), or null when every byte is valid.
 */
export function findInvalidUtf8(bytes: Uint8Array, start = 0): { index: number; length: number; incomplete: boolean } | null {
  let i = start;
  const n = bytes.length;
  while (i < n) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(lead);
    if (length === 0) return { index: i, length: 1, incomplete: false };
    for (let k = 1; k < length; k++) {
      if (i + k >= n) return { index: i, length: n - i, incomplete: true };
      const byte = bytes[i + k] as number;
      const ok = k === 1 ? validSecond(lead, byte) : byte >= 0x80 && byte <= 0xbf;
      if (!ok) return { index: i, length: k + 1 > length ? length : k + 1, incomplete: false };
    }
    i += length;
  }
  return null;
}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < end; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}

/** A streaming strict decoder: `decode` each chunk in order, then `end`. Throws Utf8Error. */
export class StrictUtf8Decoder {
  private carry: Buffer = Buffer.alloc(0);
  /** An invalid sequence found: the text before it was returned, the next call throws. */
  private failure: Utf8Error | undefined;
  /** Bytes decoded so far (not counting the carry). */
  private offset = 0;
  private newlines = 0;

  /**
   * The text of `chunk` (a character cut at its end waits for the next chunk). At an invalid sequence,
   * the text before it is returned, and this call (when nothing came before it) or the next one throws.
   */
  decode(chunk: Uint8Array): string {
    if (this.failure !== undefined) throw this.failure;
    const bytes = this.carry.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.carry, chunk]);
    // Back up over an incomplete character at the end (at most 3 bytes).
    let end = bytes.length;
    for (let back = 1; back <= 3 && back <= bytes.length; back++) {
      const byte = bytes[bytes.length - back] as number;
      if (byte < 0x80) break;
      if (byte >= 0xc0) {
        if (sequenceLength(byte) > back) end = bytes.length - back;
        break;
      }
    }
    const complete = bytes.subarray(0, end);
    if (!isUtf8(complete)) {
      const fault = findInvalidUtf8(complete);
      const valid = complete.subarray(0, fault?.index ?? 0);
      this.failure = this.error(complete, fault);
      if (valid.length === 0) throw this.failure;
      return valid.toString('utf8');
    }
    this.carry = Buffer.from(bytes.subarray(end));
    this.offset += complete.length;
    this.newlines += countNewlines(complete, complete.length);
    return complete.toString('utf8');
  }

  /** Ends the input: a character left incomplete is an error. */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.carry.length > 0) {
      const fault = findInvalidUtf8(this.carry);
      const index = fault?.index ?? 0;
      throw new Utf8Error({
        offset: this.offset + index,
        line: this.newlines + 1,
        bytes: fault?.incomplete === false ? hexBytes(this.carry.subarray(index, index + fault.length)) : `${hexBytes(this.carry.subarray(index))} (a character cut short by the end of input)`,
      });
    }
  }

  private error(bytes: Buffer, fault: ReturnType<typeof findInvalidUtf8>): Utf8Error {
    const index = fault?.index ?? 0;
    const length = fault?.length ?? 1;
    return new Utf8Error({ offset: this.offset + index, line: this.newlines + countNewlines(bytes, index) + 1, bytes: hexBytes(bytes.subarray(index, index + length)) });
  }
}

/** Decodes a whole buffer strictly (Utf8Error naming the offset and line of the first invalid byte). */
export function decodeUtf8(bytes: Uint8Array): string {
  const decoder = new StrictUtf8Decoder();
  const text = decoder.decode(bytes);
  decoder.end();
  return text;
}
