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
  /** What happens, in plain words (a report's cell); `outcomeIn` overrides it for a setting where it differs. */
  readonly outcome: string;
  readonly outcomeIn?: Partial<Record<SettingId, string>>;
  /** Cells the report marks as a known risk (flows.md names them), each explained in words. */
  readonly risks?: Partial<Record<SettingId, RiskSpec>>;
  /**
   * The situation, as the answers to the checks of DECISION_CHECKS that lead to this rule, in the order
   * `flows.md` makes them ("first match wins"). The reports draw the decision flow of each setting from
   * these; absent for the administration rules, which are actions rather than decisions.
   */
  readonly when?: readonly Condition[];
  /**
   * For DISPUTED rules: the reading the engine follows and the other source's reading. Which reading
   * profile states the other reading is PROFILE_TABLE's (src/policy/table.ts, `disputes`).
   */
  readonly dispute?: { readonly engine: string; readonly other: string };
}

/** A known risk: who could see or take what, and the settings under which the situation is no risk. */
export interface RiskSpec {
  readonly what: string;
  readonly closedBy: readonly SettingId[];
}

/** One answer on the way to a rule: a check of DECISION_CHECKS and the answer that leads on. */
export interface Condition {
  readonly check: CheckId;
  readonly answer: string;
}

export type DecisionFamily = Exclude<RuleFamily, 'admin'>;

/** The questions the engine asks, per kind of event, in the order it asks them (flows.md). */
export const DECISION_CHECKS = {
  'visitor-email': { family: 'visitor', question: 'Did the visitor type an email?' },
  'visitor-usable': { family: 'visitor', question: 'Is it a usable address?' },
  'visitor-holder': { family: 'visitor', question: 'Who holds the address?' },
  'token-valid': { family: 'signed-in', question: 'Does the token pass every check?' },
  'token-email': { family: 'signed-in', question: 'Does the token give an email?' },
  'token-vouched': { family: 'signed-in', question: 'Does the token say the email is verified?' },
  'known-customer': { family: 'signed-in', question: 'Does a profile have the customer number?' },
  'known-address': { family: 'signed-in', question: 'Where is the address?' },
  'new-address': { family: 'signed-in', question: 'Where is the address?' },
  'login-refused': { family: 'login', question: 'Read as a new sign-in, is it refused?' },
  'login-profile': { family: 'login', question: 'Which profile is the conversation on?' },
  'login-step-one': { family: 'login', question: 'Read as a new sign-in, it would…' },
} as const satisfies Record<string, { family: DecisionFamily; question: string }>;

export type CheckId = keyof typeof DECISION_CHECKS;

/** How each kind of event starts, and the answers that end it without a rule of its family. */
export const DECISION_ENTRIES: Readonly<Record<DecisionFamily, string>> = {
  visitor: 'A visitor writes in',
  'signed-in': 'A signed-in customer writes in',
  login: 'A visitor signs in during the conversation',
};

export const DECISION_EXITS: readonly { readonly check: CheckId; readonly answer: string; readonly outcome: string }[] = [
  {
    check: 'login-refused',
    answer: 'yes',
    outcome: "refused as a new sign-in would be (AUTH-INVALID-TOKEN, AUTH-CONFLICT); the conversation stays as it was",
  },
];

const VISITOR_ADDRESS: readonly Condition[] = [
  { check: 'visitor-email', answer: 'yes' },
  { check: 'visitor-usable', answer: 'yes' },
];
const VOUCHED: readonly Condition[] = [
  { check: 'token-valid', answer: 'yes' },
  { check: 'token-email', answer: 'yes' },
  { check: 'token-vouched', answer: 'yes' },
];
const KNOWN: readonly Condition[] = [...VOUCHED, { check: 'known-customer', answer: 'yes' }];
const UNKNOWN: readonly Condition[] = [...VOUCHED, { check: 'known-customer', answer: 'no' }];
const LOGIN: readonly Condition[] = [{ check: 'login-refused', answer: 'no' }];
const OWN_PROFILE: Condition = { check: 'login-profile', answer: 'one made for this conversation, without customer number' };

const JOIN_UNVERIFIED_RISK: RiskSpec = {
  what: 'Whoever types an address a profile holds unverified joins that profile, with no proof the address is theirs: a stranger who types it shares one profile, and the answers agents write there, with the address\'s owner.',
  closedBy: ['verified-only'],
};
const UNVERIFIED_CLAIM_RISK: RiskSpec = {
  what: "The address a customer's token did not vouch for is kept unverified on her profile: any visitor who then types it joins the signed-in customer's profile and reads what agents answer there.",
  closedBy: ['verified-only'],
};
const LOGIN_MERGE_RISK: RiskSpec = {
  what: "A stranger types someone's address as a visitor; when its owner types it too, her conversation joins his visitor profile, and when he signs in everything that profile gathered, her conversation included, moves to his customer profile.",
  closedBy: ['verified-only'],
};

const ALL: readonly SettingId[] = ['verified-only', 'verified-and-unverified', 'claim-verified'];
const BOTH: readonly SettingId[] = ['verified-and-unverified', 'claim-verified'];

const TRIGGERS_NOT_IN_VO = 'under "Use only verified emails" every visitor with a usable address is VISIT-STRICT';

export const RULES: Readonly<Record<RuleId, RuleSpec>> = {
  'AUTH-NEW': {
    id: 'AUTH-NEW',
    family: 'signed-in',
    outcome: 'a new customer profile, holding the address verified',
    when: [...UNKNOWN, { check: 'new-address', answer: 'nobody holds it' }],
    statement: 'A signed-in customer nobody knows becomes a new user holding the email verified.',
    provenance: 'SEED',
    sources: 'SEED, DOC',
    settings: ALL,
  },
  'AUTH-NEW-SUPERSEDE': {
    id: 'AUTH-NEW-SUPERSEDE',
    family: 'signed-in',
    outcome: 'a new customer profile holding the address verified; the old holder loses its unverified copy',
    when: [...UNKNOWN, { check: 'new-address', answer: 'another profile holds it unverified' }],
    statement: 'A new signed-in customer takes a verified address from whoever held it unverified.',
    provenance: 'SEED',
    sources: 'SEED, DOC (worked example)',
    settings: ALL,
  },
  'AUTH-ADOPT': {
    id: 'AUTH-ADOPT',
    family: 'signed-in',
    outcome: 'continues as the profile that holds the address, which takes the customer number',
    when: [...UNKNOWN, { check: 'new-address', answer: 'a profile without customer number holds it verified' }],
    statement: 'A new signed-in customer whose address a user without external id holds verified continues as that user.',
    provenance: 'DISPUTED',
    sources: 'DOC (P1); SEED differs',
    settings: ALL,
    dispute: {
      engine: 'the conversation goes to the user holding the address verified, which gets the external id (DOC, P1)',
      other: 'a new user is created with the external id and the address is removed from the old user',
    },
  },
  'AUTH-CONFLICT': {
    id: 'AUTH-CONFLICT',
    family: 'signed-in',
    outcome: 'refused: another customer already holds the address; nothing is written',
    when: [...UNKNOWN, { check: 'new-address', answer: 'a customer with another number holds it verified' }],
    statement: 'A new signed-in customer whose address another customer holds verified is turned away.',
    provenance: 'DISPUTED',
    sources: 'DOC ("User already exists"); SEED differs',
    settings: ALL,
    dispute: {
      engine: 'the sign-in is refused as a conflict ("User already exists"); nothing is written (DOC, P3)',
      other: 'the address is removed from the other customer and a new user is created with it',
    },
  },
  'AUTH-LINK': {
    id: 'AUTH-LINK',
    family: 'signed-in',
    outcome: 'continues as the known customer',
    when: [...KNOWN, { check: 'known-address', answer: 'that profile holds it verified' }],
    statement: 'A known signed-in customer who already holds the address verified continues as themselves.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: ALL,
  },
  'AUTH-LINK-PROMOTE': {
    id: 'AUTH-LINK-PROMOTE',
    family: 'signed-in',
    outcome: 'continues as the known customer; the address becomes verified',
    when: [...KNOWN, { check: 'known-address', answer: 'that profile holds it unverified' }],
    statement: 'A known signed-in customer who holds the address unverified gets it verified.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: ALL,
  },
  'AUTH-LINK-ADD-EMAIL': {
    id: 'AUTH-LINK-ADD-EMAIL',
    family: 'signed-in',
    outcome: 'continues as the known customer, who gets the address verified',
    when: [...KNOWN, { check: 'known-address', answer: 'nobody; the profile has no address' }],
    statement: 'A known signed-in customer without any email identity gets the address, verified.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: ALL,
  },
  'AUTH-LINK-ADD-SECONDARY': {
    id: 'AUTH-LINK-ADD-SECONDARY',
    family: 'signed-in',
    outcome: 'continues as the known customer, who gets the address as another verified one',
    when: [...KNOWN, { check: 'known-address', answer: 'nobody; the profile has other addresses' }],
    statement: 'A known signed-in customer with other addresses gets this one as another verified identity.',
    provenance: 'INF',
    sources: 'INF (P1)',
    settings: ALL,
  },
  'AUTH-LINK-TAKE-UNVERIFIED': {
    id: 'AUTH-LINK-TAKE-UNVERIFIED',
    family: 'signed-in',
    outcome: 'continues as the known customer, who takes the address, verified, from its unverified holder',
    when: [...KNOWN, { check: 'known-address', answer: 'another profile holds it unverified' }],
    statement: 'A known signed-in customer takes the address, verified, from whoever held it unverified.',
    provenance: 'INF',
    sources: 'INF (P1, P2)',
    settings: ALL,
  },
  'AUTH-LINK-EMAIL-TAKEN': {
    id: 'AUTH-LINK-EMAIL-TAKEN',
    family: 'signed-in',
    outcome: 'continues as the known customer; the address stays with the other customer, and the sign-in is marked as an address conflict',
    when: [...KNOWN, { check: 'known-address', answer: 'another profile holds it verified' }],
    statement: 'A known signed-in customer continues as themselves; an address someone else holds verified stays there.',
    provenance: 'INF',
    sources: 'INF (P1, P3)',
    settings: ALL,
  },
  'AUTH-NO-EMAIL': {
    id: 'AUTH-NO-EMAIL',
    family: 'signed-in',
    outcome: 'found, or created, by customer number alone',
    when: [{ check: 'token-valid', answer: 'yes' }, { check: 'token-email', answer: 'no' }],
    statement: 'A signed-in customer without an email is found, or created, by external id alone.',
    provenance: 'SEED',
    sources: 'SEED, DOC',
    settings: ALL,
  },
  'AUTH-UNVERIFIED-CLAIM': {
    id: 'AUTH-UNVERIFIED-CLAIM',
    family: 'signed-in',
    outcome: 'found, or created, by customer number; the address is kept unverified, if nobody holds it',
    outcomeIn: { 'verified-only': 'found, or created, by customer number; the address is not stored' },
    when: [{ check: 'token-valid', answer: 'yes' }, { check: 'token-email', answer: 'yes' }, { check: 'token-vouched', answer: 'no, or it does not say' }],
    statement: 'A signed-in customer whose email is not vouched for is found by external id; the address is kept only unverified, and only outside "only verified emails".',
    provenance: 'INF',
    provenanceIn: { 'verified-only': 'DOC' },
    sources: 'DOC (verified-only); INF (P1, P4) otherwise',
    settings: ALL,
    risks: { 'verified-and-unverified': UNVERIFIED_CLAIM_RISK, 'claim-verified': UNVERIFIED_CLAIM_RISK },
  },
  'AUTH-INVALID-TOKEN': {
    id: 'AUTH-INVALID-TOKEN',
    family: 'signed-in',
    outcome: 'refused; nothing is written',
    when: [{ check: 'token-valid', answer: 'no' }],
    statement: 'A sign-in whose token fails verification is refused and changes nothing.',
    provenance: 'DOC',
    sources: 'DOC (401), P5',
    settings: ALL,
  },
  'VISIT-NO-EMAIL': {
    id: 'VISIT-NO-EMAIL',
    family: 'visitor',
    outcome: 'a new profile without an address',
    when: [{ check: 'visitor-email', answer: 'no' }],
    statement: 'A visitor who gives no email gets a new user without email identity.',
    provenance: 'SEED',
    provenanceIn: { 'verified-and-unverified': 'INF', 'claim-verified': 'INF' },
    sources: 'SEED (verified-only), INF (others)',
    settings: ALL,
  },
  'VISIT-STRICT': {
    id: 'VISIT-STRICT',
    family: 'visitor',
    outcome: 'a new profile each time; the address stays on the conversation',
    when: VISITOR_ADDRESS,
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
    outcome: 'a new profile each time; the address stays on the conversation',
    when: [...VISITOR_ADDRESS, { check: 'visitor-holder', answer: 'someone, verified' }],
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
    outcome: 'joins the profile that holds the address',
    when: [...VISITOR_ADDRESS, { check: 'visitor-holder', answer: 'someone, unverified' }],
    statement: 'A visitor who types an address someone holds unverified joins that user.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: BOTH,
    notApplicable: { 'verified-only': TRIGGERS_NOT_IN_VO },
    risks: { 'verified-and-unverified': JOIN_UNVERIFIED_RISK, 'claim-verified': JOIN_UNVERIFIED_RISK },
  },
  'VISIT-NEW-UNVERIFIED': {
    id: 'VISIT-NEW-UNVERIFIED',
    family: 'visitor',
    outcome: 'a new profile holding the address unverified; later conversations with it join that profile',
    when: [...VISITOR_ADDRESS, { check: 'visitor-holder', answer: 'nobody' }],
    statement: 'A visitor who types an address nobody holds becomes a new user holding it unverified.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: BOTH,
    notApplicable: { 'verified-only': TRIGGERS_NOT_IN_VO },
  },
  'VISIT-CLAIM-VERIFIED': {
    id: 'VISIT-CLAIM-VERIFIED',
    family: 'visitor',
    outcome: 'joins the customer who holds the address, marked as an anonymous claim',
    when: [...VISITOR_ADDRESS, { check: 'visitor-holder', answer: 'someone, verified' }],
    statement: 'With claiming on, a visitor who types an address someone holds verified joins that user.',
    provenance: 'SEED',
    sources: 'SEED',
    settings: ['claim-verified'],
    notApplicable: {
      'verified-only': TRIGGERS_NOT_IN_VO,
      'verified-and-unverified': 'with claiming off, this visitor gets a new user (VISIT-VERIFIED-HELD)',
    },
    risks: {
      'claim-verified': {
        what: "Anyone who knows a customer's verified address can type it and join her profile: his conversation sits among hers, and he reads what agents answer there.",
        closedBy: ['verified-only', 'verified-and-unverified'],
      },
    },
  },
  'VISIT-BAD-EMAIL': {
    id: 'VISIT-BAD-EMAIL',
    family: 'visitor',
    outcome: 'a new profile without an address; the text stays on the conversation, marked as not an address',
    when: [{ check: 'visitor-email', answer: 'yes' }, { check: 'visitor-usable', answer: 'no' }],
    statement: 'A visitor who types something that is not an address is treated as giving none; the text is kept.',
    provenance: 'INF',
    sources: 'INF (P6)',
    settings: ALL,
  },
  'LOGIN-UPGRADE': {
    id: 'LOGIN-UPGRADE',
    family: 'login',
    outcome: 'the visitor\'s profile becomes the signed-in customer',
    when: [...LOGIN, OWN_PROFILE, { check: 'login-step-one', answer: 'create a new customer' }],
    statement: "A visitor who signs in mid-conversation as someone new turns the visitor's user into the signed-in customer.",
    provenance: 'DOC',
    sources: 'DOC',
    settings: ALL,
  },
  'LOGIN-MERGE': {
    id: 'LOGIN-MERGE',
    family: 'login',
    outcome: 'the visitor\'s profile, with all it holds, is merged into the known customer',
    when: [...LOGIN, OWN_PROFILE, { check: 'login-step-one', answer: 'find a known customer' }],
    statement: "A visitor who signs in mid-conversation as a known customer has the visitor's user merged into that customer.",
    provenance: 'DOC',
    sources: 'DOC; INF where the sign-in adopts a verified holder',
    settings: ALL,
    risks: { 'verified-and-unverified': LOGIN_MERGE_RISK, 'claim-verified': LOGIN_MERGE_RISK },
  },
  'LOGIN-MOVE': {
    id: 'LOGIN-MOVE',
    family: 'login',
    outcome: 'only this conversation moves to the signed-in customer; the profile it had joined keeps the rest',
    when: [...LOGIN, { check: 'login-profile', answer: 'one that existed before, or was signed in already' }],
    statement: 'A visitor who had joined an existing user and then signs in takes only this conversation along.',
    provenance: 'DISPUTED',
    sources: 'DOC differs; the engine: P3, so that signing in never hands a stranger someone else\'s history',
    settings: ALL,
    dispute: {
      engine: "only this conversation moves to the signed-in customer; the user it had joined keeps its other conversations",
      other: "the visitor's user, whoever it is, is merged into the signed-in customer with all its conversations",
    },
  },
  'ADMIN-IMPORT': {
    id: 'ADMIN-IMPORT',
    family: 'admin',
    outcome: 'users are created or completed; a refused line is listed with its number',
    statement: 'An imported user list creates or completes users; a row that would break an invariant is refused with its line.',
    provenance: 'SEED',
    sources: 'SEED (import your users with their UUID)',
    settings: ALL,
  },
  'ADMIN-UNVERIFIED-COUNT': {
    id: 'ADMIN-UNVERIFIED-COUNT',
    family: 'admin',
    outcome: 'the number of users without a verified address, and of unverified addresses',
    statement: 'The account can count users without a verified identity, and unverified identities.',
    provenance: 'SEED',
    sources: 'SEED (is_verified:false)',
    settings: ALL,
  },
  'ADMIN-SWITCH': {
    id: 'ADMIN-SWITCH',
    family: 'admin',
    outcome: 'existing data stays as it is; later conversations follow the new setting',
    statement: 'Changing the setting keeps existing data; only later conversations follow the new setting.',
    provenance: 'SEED',
    sources: 'SEED (migration path), INF',
    settings: ALL,
  },
  'ADMIN-MERGE': {
    id: 'ADMIN-MERGE',
    family: 'admin',
    outcome: 'conversations and addresses move to the other profile, each as verified as it was',
    statement: "An agent's merge moves conversations and email identities, each as verified as it was.",
    provenance: 'DOC',
    sources: 'DOC (INF for the edge cases)',
    settings: ALL,
  },
};

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RULES, value);
}

/** What happens in one rule × setting cell, in plain words. */
export function outcomeOf(rule: RuleId, setting: SettingId): string {
  const spec = RULES[rule];
  return spec.outcomeIn?.[setting] ?? spec.outcome;
}

/** The provenance tag of one rule × setting cell. */
export function provenanceOf(rule: RuleId, setting: SettingId): Provenance {
  const spec = RULES[rule];
  return spec.provenanceIn?.[setting] ?? spec.provenance;
}
