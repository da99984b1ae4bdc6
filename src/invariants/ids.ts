import type { ReadingProfile, SettingId } from '../domain';

/**
 * The invariants of `flows.md` (INV-*): the catalog the checkers in this folder, the property tests
 * and the coverage gate read. It lives with the checkers, apart from the policy, so that the checkers
 * depend on nothing the engine decides with (the import above is a type only).
 */
export const INVARIANT_IDS = [
  'INV-ONE-OWNER',
  'INV-ONE-EXTID',
  'INV-NO-ANON-CLAIM',
  'INV-STRICT-NO-IDENTITY',
  'INV-VERIFIED-BY-JWT',
  'INV-VERIFIED-STAYS',
  'INV-REJECT-WRITES-NOTHING',
  'INV-EVERY-CONVERSATION',
  'INV-AUTH-MODE-BLIND',
  'INV-VISITOR-MONOTONE',
  'INV-DETERMINISTIC',
] as const;

export type InvariantId = (typeof INVARIANT_IDS)[number];

const ALL: readonly SettingId[] = ['verified-only', 'verified-and-unverified', 'claim-verified'];

export interface InvariantSpec {
  readonly id: InvariantId;
  readonly statement: string;
  readonly settings: readonly SettingId[];
}

export const INVARIANTS: Readonly<Record<InvariantId, InvariantSpec>> = {
  'INV-ONE-OWNER': { id: 'INV-ONE-OWNER', statement: 'an email address (normalised) is held by at most one user', settings: ALL },
  'INV-ONE-EXTID': { id: 'INV-ONE-EXTID', statement: 'an external id is held by at most one user', settings: ALL },
  'INV-NO-ANON-CLAIM': {
    id: 'INV-NO-ANON-CLAIM',
    statement: 'a visitor event never puts its conversation on a user who, at that moment, holds the typed address verified',
    settings: ['verified-only', 'verified-and-unverified'],
  },
  'INV-STRICT-NO-IDENTITY': {
    id: 'INV-STRICT-NO-IDENTITY',
    statement: 'no VISIT-* rule creates or changes an email identity',
    settings: ['verified-only'],
  },
  'INV-VERIFIED-BY-JWT': {
    id: 'INV-VERIFIED-BY-JWT',
    statement: 'an identity becomes verified only through a valid JWT with email_verified: true or an import; a merge keeps the flag',
    settings: ALL,
  },
  'INV-VERIFIED-STAYS': { id: 'INV-VERIFIED-STAYS', statement: 'a verified identity changes owner only through a merge', settings: ALL },
  'INV-REJECT-WRITES-NOTHING': {
    id: 'INV-REJECT-WRITES-NOTHING',
    statement: 'a rejected request leaves the store byte-for-byte as it was',
    settings: ALL,
  },
  'INV-EVERY-CONVERSATION': {
    id: 'INV-EVERY-CONVERSATION',
    statement: 'every accepted conversation belongs to exactly one existing user',
    settings: ALL,
  },
  'INV-AUTH-MODE-BLIND': {
    id: 'INV-AUTH-MODE-BLIND',
    statement: 'for the same store and the same valid JWT with email_verified: true or no email, the outcome is the same in every setting',
    settings: ALL,
  },
  'INV-VISITOR-MONOTONE': {
    id: 'INV-VISITOR-MONOTONE',
    statement: 'whatever a visitor may join under verified-only it may join under verified-and-unverified, and that under claim-verified',
    settings: ALL,
  },
  'INV-DETERMINISTIC': {
    id: 'INV-DETERMINISTIC',
    statement: 'the same settings, starting users and events give the same result',
    settings: ALL,
  },
};

/**
 * `flows.md`, "Other readings of the DISPUTED rules": the invariants a reading profile breaks on purpose
 * (under `seed` a sign-in takes a verified address from its holder). Every other invariant holds under
 * every profile.
 */
export const NOT_HELD_UNDER: Readonly<Record<ReadingProfile, readonly InvariantId[]>> = {
  reference: [],
  seed: ['INV-VERIFIED-STAYS'],
  doc: [],
};

/**
 * What a violation names: an invariant, or `ENGINE-ERROR` when the engine threw instead of giving a
 * result (a defect: a rejection is a result, never an exception).
 */
export type ViolationKind = InvariantId | 'ENGINE-ERROR';

export interface Violation {
  readonly invariant: ViolationKind;
  /** The ref of the event at fault, or null for the scenario as a whole. */
  readonly event: string | null;
  /** The event's position in `events`, or null. */
  readonly index: number | null;
  readonly message: string;
}

/** One line for a person: `INV-ONE-OWNER at events[2] (c3): …`. */
export function formatViolation(violation: Violation): string {
  const where = violation.event === null ? 'the scenario' : `events[${violation.index}] (${violation.event})`;
  return `${violation.invariant} at ${where}: ${violation.message}`;
}
