import type { RuleId, SettingId } from '../domain';

/**
 * The rule catalog of `flows.md`: every rule ID, its family, the settings it applies in, where it
 * comes from, and the cells the report marks as a known risk. (The invariants, INV-*, are catalogued
 * with their checkers in src/invariants/ids.ts.) This is data: the engine names these
 * IDs in every decision, the reports and the coverage gate read it, and no test of the engine's
 * behaviour derives an expected outcome from it.
 */

export { RULE_IDS, type RuleId } from '../domain';

/** The provenance tags of `flows.md`. */
export type Provenance = 'SEED' | 'DOC' | 'INF' | 'DISPUTED';

export type RuleFamily = 'signed-in' | 'visitor' | 'login' | 'admin';

export interface RuleSpec {
  readonly id: RuleId;
  readonly family: RuleFamily;
  /** One line, in the business vocabulary of `flows.md`. */
  readonly statement: string;
  /** The provenance tag; `provenanceIn` overrides it for a setting where the sources differ. */
  readonly provenance: Provenance;
  readonly provenanceIn?: Partial<Record<SettingId, Provenance>>;
  /** The source column of `flows.md`, shortened. */
  readonly sources: string;
  /** The settings the rule can decide in; every other setting is an explicit N/A cell with its reason. */
  readonly settings: readonly SettingId[];
  readonly notApplicable?: Partial<Record<SettingId, string>>;
  /** Cells the report marks as a known risk, with the reason. */
  readonly risks?: Partial<Record<SettingId, string>>;
  /** For DISPUTED rules: the reading the engine follows and the other source's reading. */
  readonly dispute?: { readonly engine: string; readonly other: string; readonly otherSource: 'SEED' | 'DOC' };
}

const ALL: readonly SettingId[] = ['verified-only', 'verified-and-unverified', 'claim-verified'];
const BOTH: readonly SettingId[] = ['verified-and-unverified', 'claim-verified'];

const TRIGGERS_NOT_IN_VO = 'under "Use only verified emails" every visitor with a usable address is VISIT-STRICT';

export const RULES: Readonly<Record<RuleId, RuleSpec>> = {
  'AUTH-NEW': {
    id: 'AUTH-NEW',
    family: 'signed-in',
    statement: 'A signed-in customer nobody knows becomes a new user holding the email verified.',
    provenance: 'SEED',
    sources: 'SEED, DOC',
    settings: ALL,
  },
  'AUTH-NEW-SUPERSEDE': {
    id: 'AUTH-NEW-SUPERSEDE',
    family: 'signed-in',
    statement: 'A new signed-in customer takes a verified address from whoever held it unverified.',
    provenance: 'SEED',
    sources: 'SEED, DOC (worked example)',
    settings: ALL,
  },
  'AUTH-ADOPT': {
    id: 'AUTH-ADOPT',
    family: 'signed-in',
    statement: 'A new signed-in customer whose address a user without external id holds verified continues as that user.',
    provenance: 'DISPUTED',
    sources: 'DOC (P1); SEED differs',
    settings: ALL,
    dispute: {
      engine: 'the conversation goes to the user holding the address verified, which gets the external id (DOC, P1)',
      other: 'a new user is created with the external id and the address is removed from the old user',
      otherSource: 'SEED',
    },
  },
  'AUTH-CONFLICT': {
    id: 'AUTH-CONFLICT',
    family: 'signed-in',
    statement: 'A new signed-in customer whose address another customer holds verified is turned away.',
    provenance: 'DISPUTED',
    sources: 'DOC (409); SEED differs',
    settings: ALL,
    dispute: {
      engine: 'the sign-in is refused as a conflict ("User already exists"); nothing is written (DOC, P3)',
      other: 'the address is removed from the other customer and a new user is created with it',
      otherSource: 'SEED',
    },
  },
  'AUTH-LINK': {
    id: 'AUTH-LINK',
    family: 'signed-in',
    statement: 'A known signed-in customer who already holds the address verified continues as themselves.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: ALL,
  },
  'AUTH-LINK-PROMOTE': {
    id: 'AUTH-LINK-PROMOTE',
    family: 'signed-in',
    statement: 'A known signed-in customer who holds the address unverified gets it verified.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: ALL,
  },
  'AUTH-LINK-ADD-EMAIL': {
    id: 'AUTH-LINK-ADD-EMAIL',
    family: 'signed-in',
    statement: 'A known signed-in customer without any email identity gets the address, verified.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: ALL,
  },
  'AUTH-LINK-ADD-SECONDARY': {
    id: 'AUTH-LINK-ADD-SECONDARY',
    family: 'signed-in',
    statement: 'A known signed-in customer with other addresses gets this one as another verified identity.',
    provenance: 'INF',
    sources: 'INF (P1)',
    settings: ALL,
  },
  'AUTH-LINK-TAKE-UNVERIFIED': {
    id: 'AUTH-LINK-TAKE-UNVERIFIED',
    family: 'signed-in',
    statement: 'A known signed-in customer takes the address, verified, from whoever held it unverified.',
    provenance: 'INF',
    sources: 'INF (P1, P2)',
    settings: ALL,
  },
  'AUTH-LINK-EMAIL-TAKEN': {
    id: 'AUTH-LINK-EMAIL-TAKEN',
    family: 'signed-in',
    statement: 'A known signed-in customer continues as themselves; an address someone else holds verified stays there.',
    provenance: 'INF',
    sources: 'INF (P1, P3)',
    settings: ALL,
  },
  'AUTH-NO-EMAIL': {
    id: 'AUTH-NO-EMAIL',
    family: 'signed-in',
    statement: 'A signed-in customer without an email is found, or created, by external id alone.',
    provenance: 'SEED',
    sources: 'SEED, DOC',
    settings: ALL,
  },
  'AUTH-UNVERIFIED-CLAIM': {
    id: 'AUTH-UNVERIFIED-CLAIM',
    family: 'signed-in',
    statement: 'A signed-in customer whose email is not vouched for is found by external id; the address is kept only unverified, and only outside "only verified emails".',
    provenance: 'INF',
    provenanceIn: { 'verified-only': 'DOC' },
    sources: 'DOC (verified-only); INF (P1, P4) otherwise',
    settings: ALL,
    risks: {
      'verified-and-unverified': 'the unverified address it stores lets any visitor who types it join this signed-in customer',
      'claim-verified': 'the unverified address it stores lets any visitor who types it join this signed-in customer',
    },
  },
  'AUTH-INVALID-TOKEN': {
    id: 'AUTH-INVALID-TOKEN',
    family: 'signed-in',
    statement: 'A sign-in whose token fails verification is refused and changes nothing.',
    provenance: 'DOC',
    sources: 'DOC (401), P5',
    settings: ALL,
  },
  'VISIT-NO-EMAIL': {
    id: 'VISIT-NO-EMAIL',
    family: 'visitor',
    statement: 'A visitor who gives no email gets a new user without email identity.',
    provenance: 'SEED',
    provenanceIn: { 'verified-and-unverified': 'INF', 'claim-verified': 'INF' },
    sources: 'SEED (verified-only), INF (others)',
    settings: ALL,
  },
  'VISIT-STRICT': {
    id: 'VISIT-STRICT',
    family: 'visitor',
    statement: 'Under "only verified emails" every visitor gets a new user of their own; the address stays on the conversation.',
    provenance: 'SEED',
    sources: 'SEED, DOC',
    settings: ['verified-only'],
    notApplicable: {
      'verified-and-unverified': 'only "Use only verified emails" treats every typed address this way',
      'claim-verified': 'only "Use only verified emails" treats every typed address this way',
    },
  },
  'VISIT-VERIFIED-HELD': {
    id: 'VISIT-VERIFIED-HELD',
    family: 'visitor',
    statement: 'A visitor who types an address someone holds verified gets a new user of their own.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: ['verified-and-unverified'],
    notApplicable: {
      'verified-only': TRIGGERS_NOT_IN_VO,
      'claim-verified': 'with claiming on, this visitor joins the holder (VISIT-CLAIM-VERIFIED)',
    },
  },
  'VISIT-JOIN-UNVERIFIED': {
    id: 'VISIT-JOIN-UNVERIFIED',
    family: 'visitor',
    statement: 'A visitor who types an address someone holds unverified joins that user.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: BOTH,
    notApplicable: { 'verified-only': TRIGGERS_NOT_IN_VO },
  },
  'VISIT-NEW-UNVERIFIED': {
    id: 'VISIT-NEW-UNVERIFIED',
    family: 'visitor',
    statement: 'A visitor who types an address nobody holds becomes a new user holding it unverified.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: BOTH,
    notApplicable: { 'verified-only': TRIGGERS_NOT_IN_VO },
  },
  'VISIT-CLAIM-VERIFIED': {
    id: 'VISIT-CLAIM-VERIFIED',
    family: 'visitor',
    statement: 'With claiming on, a visitor who types an address someone holds verified joins that user.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: ['claim-verified'],
    notApplicable: {
      'verified-only': TRIGGERS_NOT_IN_VO,
      'verified-and-unverified': 'with claiming off, this visitor gets a new user (VISIT-VERIFIED-HELD)',
    },
    risks: {
      'claim-verified': 'anonymous claim of a verified address: the pre-account-hijacking pattern',
    },
  },
  'VISIT-BAD-EMAIL': {
    id: 'VISIT-BAD-EMAIL',
    family: 'visitor',
    statement: 'A visitor who types something that is not an address is treated as giving none; the text is kept.',
    provenance: 'INF',
    sources: 'INF (P6)',
    settings: ALL,
  },
  'LOGIN-UPGRADE': {
    id: 'LOGIN-UPGRADE',
    family: 'login',
    statement: "A visitor who signs in mid-conversation as someone new turns the visitor's user into the signed-in customer.",
    provenance: 'DOC',
    sources: 'DOC',
    settings: ALL,
  },
  'LOGIN-MERGE': {
    id: 'LOGIN-MERGE',
    family: 'login',
    statement: "A visitor who signs in mid-conversation as a known customer has the visitor's user merged into that customer.",
    provenance: 'DOC',
    sources: 'DOC; INF where the sign-in adopts a verified holder',
    settings: ALL,
    risks: {
      'verified-and-unverified':
        "trojan identifier: whatever the visitor's user holds, an address it typed and other visitors' conversations included, moves to the customer who signs in",
      'claim-verified':
        "trojan identifier: whatever the visitor's user holds, an address it typed and other visitors' conversations included, moves to the customer who signs in",
    },
  },
  'LOGIN-MOVE': {
    id: 'LOGIN-MOVE',
    family: 'login',
    statement: 'A visitor who had joined an existing user and then signs in takes only this conversation along.',
    provenance: 'DISPUTED',
    sources: 'DOC differs; engine: P3, pre-account-hijacking',
    settings: ALL,
    dispute: {
      engine: "only this conversation moves to the signed-in customer; the user it had joined keeps its other conversations",
      other: "the visitor's user, whoever it is, is merged into the signed-in customer with all its conversations",
      otherSource: 'DOC',
    },
  },
  'ADMIN-IMPORT': {
    id: 'ADMIN-IMPORT',
    family: 'admin',
    statement: 'An imported user list creates or completes users; a row that would break an invariant is refused with its line.',
    provenance: 'SEED',
    sources: 'SEED (import your users with their UUID)',
    settings: ALL,
  },
  'ADMIN-UNVERIFIED-COUNT': {
    id: 'ADMIN-UNVERIFIED-COUNT',
    family: 'admin',
    statement: 'The account can count users without a verified identity, and unverified identities.',
    provenance: 'SEED',
    sources: 'SEED (is_verified:false)',
    settings: ALL,
  },
  'ADMIN-SWITCH': {
    id: 'ADMIN-SWITCH',
    family: 'admin',
    statement: 'Changing the setting keeps existing data; only later conversations follow the new setting.',
    provenance: 'SEED',
    sources: 'SEED (migration path), INF',
    settings: ALL,
  },
  'ADMIN-MERGE': {
    id: 'ADMIN-MERGE',
    family: 'admin',
    statement: "An agent's merge moves conversations and email identities, each as verified as it was.",
    provenance: 'DOC',
    sources: 'DOC (INF for the edge cases)',
    settings: ALL,
  },
};

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RULES, value);
}

/** The provenance tag of one rule × setting cell. */
export function provenanceOf(rule: RuleId, setting: SettingId): Provenance {
  const spec = RULES[rule];
  return spec.provenanceIn?.[setting] ?? spec.provenance;
}
