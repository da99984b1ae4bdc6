/**
 * The rule IDs of `flows.md`. Every decision names one; the catalog that describes them (family,
 * sources, risks, disputes) is src/policy/rules.ts, read by the engine, the reports and the coverage gate.
 */
export const RULE_IDS = [
  'AUTH-NEW',
  'AUTH-NEW-SUPERSEDE',
  'AUTH-ADOPT',
  'AUTH-CONFLICT',
  'AUTH-LINK',
  'AUTH-LINK-PROMOTE',
  'AUTH-LINK-ADD-EMAIL',
  'AUTH-LINK-ADD-SECONDARY',
  'AUTH-LINK-TAKE-UNVERIFIED',
  'AUTH-LINK-EMAIL-TAKEN',
  'AUTH-NO-EMAIL',
  'AUTH-UNVERIFIED-CLAIM',
  'AUTH-INVALID-TOKEN',
  'VISIT-NO-EMAIL',
  'VISIT-STRICT',
  'VISIT-VERIFIED-HELD',
  'VISIT-JOIN-UNVERIFIED',
  'VISIT-NEW-UNVERIFIED',
  'VISIT-CLAIM-VERIFIED',
  'VISIT-BAD-EMAIL',
  'LOGIN-UPGRADE',
  'LOGIN-MERGE',
  'LOGIN-MOVE',
  'ADMIN-IMPORT',
  'ADMIN-UNVERIFIED-COUNT',
  'ADMIN-SWITCH',
  'ADMIN-MERGE',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}
