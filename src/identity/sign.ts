/**
 * Signing of test tokens from a scenario's `claims` (`replay.md`, `signed-in` events).
 *
 * Deliberately not jose's SignJWT: jose refuses to sign the headers the bad-token tests need (an `alg` of
 * "none" or anything but the key's algorithm, an unknown `crit`) and its builder can add claims. This
 * writes exactly what it is given, with node:crypto's HMAC, synchronously.
 */

import { createHmac } from 'node:crypto';
import type { JsonObject, KeyConfig } from '../domain';

export interface SignOptions {
  /** Replaces the header's `kid` (after `header` is merged). */
  readonly kid?: string;
  /** Members merged over the default header: replaced or added, never removed. */
  readonly header?: JsonObject;
}

/**
 * The compact JWS of `claims`: header `{"alg":"HS256","typ":"JWT","kid":<key.kid>}` with `options.header`
 * merged over it and then `options.kid` applied; payload `JSON.stringify(claims)` (members in the given
 * order); HMAC SHA-256 over `<header>.<payload>` keyed with the UTF-8 bytes of `key.secret`.
 * Adds, removes, coerces and validates nothing (no `iat`, no key length check).
 */
export function signTestToken(claims: JsonObject, key: KeyConfig, options: SignOptions = {}): string {
  const header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT', kid: key.kid };
  if (options.header !== undefined) {
    for (const name of Object.keys(options.header)) setMember(header, name, options.header[name]);
  }
  if (options.kid !== undefined) header.kid = options.kid;

  return signCompactToken(serialise(header), serialise(claims), key.secret);
}

/**
 * `JSON.stringify(value)` for a value JSON.parse made (objects, arrays, strings, numbers, booleans,
 * null), at any depth: V8's JSON.stringify recurses and throws a RangeError on claims nested a few
 * thousand deep, which replay.md still signs (the token is then too large, and refused as such).
 */
export function serialise(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const out: string[] = [];
  // Work items: a value to write, or a literal piece of text (closing brackets, separators).
  const work: ({ value: unknown } | string)[] = [{ value }];
  while (work.length > 0) {
    const item = work.pop() as { value: unknown } | string;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    const current = item.value;
    if (Array.isArray(current)) {
      work.push(']');
      for (let i = current.length - 1; i >= 0; i--) {
        work.push({ value: current[i] === undefined ? null : current[i] });
        if (i > 0) work.push(',');
      }
      out.push('[');
    } else if (current !== null && typeof current === 'object') {
      const names = Object.keys(current);
      work.push('}');
      for (let i = names.length - 1; i >= 0; i--) {
        const name = names[i] as string;
        work.push({ value: (current as Record<string, unknown>)[name] });
        work.push(`${JSON.stringify(name)}:`);
        if (i > 0) work.push(',');
      }
      out.push('{');
    } else {
      out.push(JSON.stringify(current) ?? 'null');
    }
  }
  return out.join('');
}

/**
 * The compact JWS of exactly these header and payload bytes (text is UTF-8 encoded), HMAC SHA-256
 * keyed with the UTF-8 bytes of `secret`: for tokens that `claims` cannot express (a duplicated member,
 * a byte order mark, a number JSON.stringify would not write).
 */
export function signCompactToken(header: string | Buffer, payload: string | Buffer, secret: string): string {
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/**
 * Plain assignment would treat a `__proto__` member (an own key of an object from JSON.parse) as the
 * prototype setter and drop it; defining the property keeps it a member. An existing member keeps its
 * position, a new one goes last, as with assignment.
 */
function setMember(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

function base64url(data: string | Buffer): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64url');
}
