import type { Flag, ReadingProfile, RuleId, SettingId } from '../domain';

/**
 * The decision tables of `flows.md`, as data. The policy classifies the situation of an event and
 * looks its cell up here; the reports print these tables. Tests of the engine's behaviour must not
 * read them (their expectations come from the scenario text).
 */

// ---------------------------------------------------------------------------------------------
// Visitors: the setting × who holds the typed address.

export type VisitorSituation = 'no-email' | 'unusable-email' | 'nobody-holds' | 'held-unverified' | 'held-verified';

export const VISITOR_SITUATIONS: readonly VisitorSituation[] = [
  'no-email',
  'unusable-email',
  'nobody-holds',
  'held-unverified',
  'held-verified',
];

export interface VisitorCell {
  readonly rule: RuleId;
  /** `new-user`: a user of its own is created for the conversation; `holder`: it joins the address's holder. */
  readonly lands: 'new-user' | 'holder';
  /** Whether the new user gets the typed address as an unverified identity. */
  readonly storesAddress: boolean;
  readonly flags: readonly Flag[];
}

const NO_EMAIL: VisitorCell = { rule: 'VISIT-NO-EMAIL', lands: 'new-user', storesAddress: false, flags: [] };
const BAD_EMAIL: VisitorCell = { rule: 'VISIT-BAD-EMAIL', lands: 'new-user', storesAddress: false, flags: ['invalid-email'] };
const STRICT: VisitorCell = { rule: 'VISIT-STRICT', lands: 'new-user', storesAddress: false, flags: [] };
const JOIN_UNVERIFIED: VisitorCell = { rule: 'VISIT-JOIN-UNVERIFIED', lands: 'holder', storesAddress: false, flags: [] };
const NEW_UNVERIFIED: VisitorCell = { rule: 'VISIT-NEW-UNVERIFIED', lands: 'new-user', storesAddress: true, flags: [] };

export const VISITOR_TABLE: Readonly<Record<SettingId, Readonly<Record<VisitorSituation, VisitorCell>>>> = {
  'verified-only': {
    'no-email': NO_EMAIL,
    'unusable-email': BAD_EMAIL,
    'nobody-holds': STRICT,
    'held-unverified': STRICT,
    'held-verified': STRICT,
  },
  'verified-and-unverified': {
    'no-email': NO_EMAIL,
    'unusable-email': BAD_EMAIL,
    'nobody-holds': NEW_UNVERIFIED,
    'held-unverified': JOIN_UNVERIFIED,
    'held-verified': { rule: 'VISIT-VERIFIED-HELD', lands: 'new-user', storesAddress: false, flags: [] },
  },
  'claim-verified': {
    'no-email': NO_EMAIL,
    'unusable-email': BAD_EMAIL,
    'nobody-holds': NEW_UNVERIFIED,
    'held-unverified': JOIN_UNVERIFIED,
    'held-verified': { rule: 'VISIT-CLAIM-VERIFIED', lands: 'holder', storesAddress: false, flags: ['risk-anonymous-claim'] },
  },
};

// ---------------------------------------------------------------------------------------------
// Signed-in customers whose JWT vouches for the email (`email_verified: true`): identical in every
// setting. First by whether a user has the external id, then by who holds the address.

export type EmailAction =
  /** nothing happens to the address */
  | 'none'
  /** the user's unverified identity becomes verified (its spelling kept) */
  | 'verify'
  /** the address is added to the user, verified */
  | 'add-verified'
  /** the other user's unverified copy is removed; the address is added to the user, verified */
  | 'take-verified'
  /** someone else holds it verified: it stays there, flag `email-conflict` */
  | 'leave'
  /** the `seed` reading: the other user's verified identity is removed; the address is added to the user, verified */
  | 'seize-verified';

export type KnownSituation =
  | 'user-holds-verified'
  | 'user-holds-unverified'
  | 'nobody-holds-user-has-no-identity'
  | 'nobody-holds-user-has-identities'
  | 'other-holds-unverified'
  | 'other-holds-verified';

export interface KnownCell {
  readonly rule: RuleId;
  readonly email: EmailAction;
  readonly flags: readonly Flag[];
}

/** A user has the JWT's external id: the conversation goes to that user (P1); only the address differs. */
export const KNOWN_CUSTOMER_TABLE: Readonly<Record<KnownSituation, KnownCell>> = {
  'user-holds-verified': { rule: 'AUTH-LINK', email: 'none', flags: [] },
  'user-holds-unverified': { rule: 'AUTH-LINK-PROMOTE', email: 'verify', flags: [] },
  'nobody-holds-user-has-no-identity': { rule: 'AUTH-LINK-ADD-EMAIL', email: 'add-verified', flags: [] },
  'nobody-holds-user-has-identities': { rule: 'AUTH-LINK-ADD-SECONDARY', email: 'add-verified', flags: [] },
  'other-holds-unverified': { rule: 'AUTH-LINK-TAKE-UNVERIFIED', email: 'take-verified', flags: [] },
  'other-holds-verified': { rule: 'AUTH-LINK-EMAIL-TAKEN', email: 'leave', flags: ['email-conflict'] },
};

export type UnknownSituation =
  | 'nobody-holds'
  | 'holder-unverified'
  | 'holder-verified-without-external-id'
  | 'holder-verified-with-external-id';

export interface UnknownCell {
  readonly rule: RuleId;
  /** `new-user`: a user is created with the external id; `holder`: the address's holder takes the external id; `rejected`: refused. */
  readonly lands: 'new-user' | 'holder' | 'rejected';
  readonly email: EmailAction;
  /**
   * When a login's step 1 is this cell and step 2 is LOGIN-UPGRADE: the email step's cells that differ
   * from KNOWN_CUSTOMER_TABLE (a reading profile's; none in the reference reading).
   */
  readonly upgradeEmail?: Partial<Readonly<Record<KnownSituation, KnownCell>>>;
}

/** Nobody has the JWT's external id: the address decides. */
export const NEW_CUSTOMER_TABLE: Readonly<Record<UnknownSituation, UnknownCell>> = {
  'nobody-holds': { rule: 'AUTH-NEW', lands: 'new-user', email: 'add-verified' },
  'holder-unverified': { rule: 'AUTH-NEW-SUPERSEDE', lands: 'new-user', email: 'take-verified' },
  'holder-verified-without-external-id': { rule: 'AUTH-ADOPT', lands: 'holder', email: 'none' },
  'holder-verified-with-external-id': { rule: 'AUTH-CONFLICT', lands: 'rejected', email: 'none' },
};

/**
 * A JWT with an email but `email_verified` absent or false (AUTH-UNVERIFIED-CLAIM, and the email step
 * of a login with such a JWT): whether the address is kept as an unverified identity, when nobody
 * holds it. This is the one place the setting reaches a signed-in customer.
 */
export const UNVERIFIED_CLAIM_KEEPS_ADDRESS: Readonly<Record<SettingId, boolean>> = {
  'verified-only': false,
  'verified-and-unverified': true,
  'claim-verified': true,
};

// ---------------------------------------------------------------------------------------------
// A visitor signing in mid-conversation: step 2 of `flows.md`, once step 1 has accepted the JWT.

/** What step 1 (the JWT read as a new signed-in conversation) did with the store as it stood. */
export type StepOneResolution = 'creates' | 'resolves-current' | 'resolves-other';

export interface LoginCell {
  readonly rule: RuleId;
}

/**
 * Keyed by whether the conversation's current user is the visitor's own anonymous user (created by
 * the visitor event, not merged away, without external id), then by step 1's resolution.
 */
export const LOGIN_TABLE: Readonly<Record<'own-anonymous-user' | 'any-other-user', Readonly<Record<StepOneResolution, LoginCell>>>> = {
  'own-anonymous-user': {
    creates: { rule: 'LOGIN-UPGRADE' },
    'resolves-current': { rule: 'LOGIN-UPGRADE' },
    'resolves-other': { rule: 'LOGIN-MERGE' },
  },
  'any-other-user': {
    creates: { rule: 'LOGIN-MOVE' },
    'resolves-current': { rule: 'LOGIN-MOVE' },
    'resolves-other': { rule: 'LOGIN-MOVE' },
  },
};

// ---------------------------------------------------------------------------------------------
// Reading profiles (`flows.md`, "Other readings of the DISPUTED rules"): what each profile decides
// otherwise. Everything a profile does not list here is decided by the tables above.

export interface ProfileReading {
  readonly id: ReadingProfile;
  /** The source whose reading the profile follows: the `@reading:<source>` tag of the scenarios that state it. */
  readonly source: 'SEED' | 'DOC' | null;
  /** One line, in the words of `flows.md`. */
  readonly statement: string;
  /** The DISPUTED rules whose situations the profile decides otherwise (the coverage gate wants a scenario of each). */
  readonly disputes: readonly RuleId[];
  /** New-customer cells (nobody has the external id) that replace NEW_CUSTOMER_TABLE's. */
  readonly newCustomer: Partial<Readonly<Record<UnknownSituation, UnknownCell>>>;
  /**
   * A LOGIN-MOVE whose step 1 resolves or creates another user than the conversation's current one:
   * `conversation` moves only the conversation; `merge-user` merges the current user into that user as
   * ADMIN-MERGE would (outcome `merged`), or moves only the conversation where ADMIN-MERGE would refuse.
   */
  readonly loginMove: 'conversation' | 'merge-user';
}

/** The seed's sign-in in the AUTH-ADOPT / AUTH-CONFLICT situation: a new user seizes the verified address. */
const SEED_SEIZES: Pick<UnknownCell, 'lands' | 'email' | 'upgradeEmail'> = {
  lands: 'new-user',
  email: 'seize-verified',
  // The LOGIN-UPGRADE email step takes the address the same way; an address the upgraded user holds itself stays (AUTH-LINK).
  upgradeEmail: { 'other-holds-verified': { rule: 'AUTH-LINK-EMAIL-TAKEN', email: 'seize-verified', flags: [] } },
};

export const PROFILE_TABLE: Readonly<Record<ReadingProfile, ProfileReading>> = {
  reference: {
    id: 'reference',
    source: null,
    statement: 'the readings of the rule tables of flows.md (the default)',
    disputes: [],
    newCustomer: {},
    loginMove: 'conversation',
  },
  seed: {
    id: 'seed',
    source: 'SEED',
    statement:
      "the seed article's reading: a sign-in whose address another user holds verified creates a new user, who takes the address from its holder",
    disputes: ['AUTH-ADOPT', 'AUTH-CONFLICT'],
    newCustomer: {
      'holder-verified-without-external-id': { rule: 'AUTH-ADOPT', ...SEED_SEIZES },
      'holder-verified-with-external-id': { rule: 'AUTH-CONFLICT', ...SEED_SEIZES },
    },
    loginMove: 'conversation',
  },
  doc: {
    id: 'doc',
    source: 'DOC',
    statement: "the help center's reading: a visitor who signs in has the user their conversation was on merged into the signed-in customer",
    disputes: ['LOGIN-MOVE'],
    newCustomer: {},
    loginMove: 'merge-user',
  },
};

/** The profile whose `@reading:` tag states the other reading of `rule`, if the rule is disputed. */
export function otherReadingOf(rule: RuleId): ProfileReading | undefined {
  return Object.values(PROFILE_TABLE).find((profile) => profile.disputes.includes(rule));
}
