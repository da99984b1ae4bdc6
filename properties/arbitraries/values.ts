import type { KeyConfig } from '../../src/replay/types';
import { KEY } from '../../test/fixtures/tokens';

/**
 * The small value pools every arbitrary draws from: few people, few addresses (each with case and
 * space variants), few external ids, so that random histories collide often.
 */

/** The scenario clock (the bad-token catalog is judged at this time) and the signing key. */
export const NOW_TEXT = '2026-01-01T00:00:00Z';
export const KEYS: readonly KeyConfig[] = [KEY];

/** Names; `""` counts as a name (`inputs.md`). */
export const PEOPLE = ['Ann', 'Bob', 'Kelly', ''] as const;

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
export const UNUSABLE = ['', '   ', 'ann.example.com', 'ann@@example.com', 'ann@example..com', 'ann @example.com', 'ann@example.com\u200b', '\ud800nn@example.com'] as const;

/** Three external ids that differ only by case or a leading space: compared exactly, never conflated. */
export const EXTERNAL_IDS = ['u-1', 'U-1', ' u-1'] as const;

export function spelling(address: number, variant: number): string {
  const spellings = ADDRESSES[address % ADDRESSES.length] as readonly string[];
  return spellings[variant % spellings.length] as string;
}
