/**
 * Reading profiles (`flows.md`, "Other readings of the DISPUTED rules"): `reference` follows the
 * readings stated in the rule tables; `seed` and `doc` change only the situations that section lists.
 */
export const READING_PROFILES = ['reference', 'seed', 'doc'] as const;

export type ReadingProfile = (typeof READING_PROFILES)[number];

export const DEFAULT_PROFILE: ReadingProfile = 'reference';

export function isReadingProfile(value: unknown): value is ReadingProfile {
  return typeof value === 'string' && (READING_PROFILES as readonly string[]).includes(value);
}
