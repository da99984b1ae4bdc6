/**
 * The invariants of `flows.md` (INV-*), as the checkers in this folder name them. Kept here, not read
 * from the policy's rule catalog, so that the checkers depend on nothing the engine decides with; a
 * property test asserts that this list and the catalog's INVARIANT_IDS are the same.
 */
export const CHECKED_INVARIANTS = [
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

export type CheckedInvariant = (typeof CHECKED_INVARIANTS)[number];

/**
 * What a violation names: an invariant, or `ENGINE-ERROR` when the engine threw instead of giving a
 * result (a defect: a rejection is a result, never an exception).
 */
export type ViolationKind = CheckedInvariant | 'ENGINE-ERROR';

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
