import type { KeyConfig } from '../../src/replay/types';
import { KEY } from '../../test/fixtures/tokens';

/**
 * The small value pools every arbitrary draws from: few people, few addresses (each with case and
 * space variants), few external ids, so that random histories collide often.
 */

/** The scenario clock (the bad-token catalog is judged at this time) and the signing key. */
export const NOW_TEXT = '2026-01-01T00:00:00Z';
export const KEYS: readonly KeyConfig[] = [KEY];

export const PEOPLE = ['Ann', 'Bob', 'Kelly', 'Dee'] as const;

/**
 * Four addresses, each with spellings that are the same identity (`inputs.md`: trim U+0020, fold A-Z
 * only). The last two differ by the Kelvin sign (U+212A), which must never collide with "k".
 */
export const ADDRESSES: readonly (readonly string[])[] = [
  ['ann@example.com', 'Ann@Example.com', ' ANN@EXAMPLE.COM '],
  ['bob@example.org', 'Bob@example.org  '],
  ['kelly@example.com', 'KELLY@example.com'],
  ['\u212Aelly@example.com', '\u212AELLY@EXAMPLE.COM'],
];

/** Typed text that is not a usable address (`inputs.md`); in a JWT each makes the token invalid. */
export const UNUSABLE = ['', '   ', 'ann.example.com', 'ann@@example.com', 'ann@example..com', 'ann @example.com', 'ann@example.com\u200b'] as const;

/** Three external ids; the first two differ only by case and must not be conflated. */
export const EXTERNAL_IDS = ['u-1', 'U-1', 'u-2'] as const;

export function spelling(address: number, variant: number): string {
  const spellings = ADDRESSES[address % ADDRESSES.length] as readonly string[];
  return spellings[variant % spellings.length] as string;
}
