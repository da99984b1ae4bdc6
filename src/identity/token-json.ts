/**
 * Strict decoding of one JWS header or payload segment (`inputs.md`, "What a valid token is").
 *
 * A segment is accepted only if it is canonical base64url, its bytes are UTF-8 without a byte order
 * mark, and they parse as a JSON object with no duplicated member name at any depth and no string
 * holding a lone surrogate. `JSON.parse` alone is last-one-wins on duplicates and happily turns a
 * `\ud800` escape into a lone surrogate, so both are checked here.
 *
 * This runs on every signed-in event, so every check is a single linear pass.
 */

import { InvalidTokenError } from '../errors';

export type JsonSegmentPart = 'header' | 'payload';

/** Fatal: invalid UTF-8 throws. ignoreBOM: keep a leading U+FEFF in the output so it can be refused. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const BOM = 0xfeff;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * True when `segment` is canonical base64url: alphabet [A-Za-z0-9_-] only, no `=` padding, no length of
 * 1 mod 4, unused trailing bits zero. Node's decoder is lenient on all four (it skips foreign characters
 * and ignores stray bits), so re-encoding what it decoded gives back the input only for canonical text.
 */
export function isCanonicalBase64url(segment: string): boolean {
  return Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

/** Decodes a header or payload segment to a JSON object, or throws InvalidTokenError saying why not. */
export function decodeJsonSegment(segment: string, part: JsonSegmentPart): Record<string, unknown> {
  const invalid: 'header-invalid' | 'payload-invalid' = part === 'header' ? 'header-invalid' : 'payload-invalid';
  const what = `the token ${part}`;

  if (!isCanonicalBase64url(segment)) {
    throw new InvalidTokenError('token-not-canonical', `${what} is not canonical base64url`);
  }

  let text: string;
  try {
    text = UTF8.decode(Buffer.from(segment, 'base64url'));
  } catch {
    throw new InvalidTokenError(invalid, `${what} is not valid UTF-8`);
  }
  if (text.charCodeAt(0) === BOM) {
    throw new InvalidTokenError(invalid, `${what} begins with a byte order mark`);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidTokenError(invalid, `${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidTokenError(invalid, `${what} must be a JSON object`);
  }

  // Duplicates, without a second parser: in valid JSON every `:` outside a string literal separates
  // exactly one member name from its value, so the number of such colons is the number of members
  // written. JSON.parse keeps one own key per distinct (unescaped) name in each object (`__proto__`
  // included, as an own data property), so fewer keys than colons means a name was given twice.
  const { keys, wellFormed } = inspectParsed(value);
  if (countMemberSeparators(text) !== keys) {
    throw new InvalidTokenError('duplicate-member', `${what} gives a member name more than once`);
  }
  if (!wellFormed) {
    // The UTF-8 was decoded fatally, so only an escape such as `\ud800` can have produced this.
    throw new InvalidTokenError('lone-surrogate', `${what} contains a string with a lone surrogate escape`);
  }
  return value as Record<string, unknown>;
}

/**
 * Counts the colons outside string literals of `text`, which JSON.parse has already accepted (so every
 * string is terminated and a backslash inside a string always escapes the next code unit).
 */
function countMemberSeparators(text: string): number {
  let colons = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i++);
    if (c === QUOTE) {
      while (i < n) {
        const d = text.charCodeAt(i++);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === COLON) {
      colons++;
    }
  }
  return colons;
}

/**
 * One walk over a parsed JSON value: the total number of own keys of all its objects, and whether every
 * string (member names included) is well formed. Iterative, so deep nesting cannot overflow the stack.
 */
function inspectParsed(root: object): { keys: number; wellFormed: boolean } {
  let keys = 0;
  let wellFormed = true;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (!value.isWellFormed()) wellFormed = false;
    } else if (Array.isArray(value)) {
      for (const element of value) pending.push(element);
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      const names = Object.keys(record);
      keys += names.length;
      for (const name of names) {
        if (!name.isWellFormed()) wellFormed = false;
        pending.push(record[name]);
      }
    }
  }
  return { keys, wellFormed };
}
