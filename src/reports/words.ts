import type { SettingId } from '../domain';
import type { Provenance, RuleFamily } from '../policy/rules';

/**
 * The plain words the reports use for the project's codes (setting ids, provenance tags, families),
 * so that a product manager reads "Use only verified emails" and "Zendesk's help center", never
 * `verified-only` or `DOC` alone. The codes stay in the glossary (GLOSSARY) the reports link to.
 */

export const SETTING_WORDS: Readonly<Record<SettingId, { readonly title: string; readonly detail: string }>> = {
  'verified-only': { title: 'Use only verified emails', detail: 'claiming is not offered' },
  'verified-and-unverified': { title: 'Use both verified and unverified emails', detail: 'visitors may not claim verified emails' },
  'claim-verified': { title: 'Use both verified and unverified emails', detail: 'with "Unauthenticated users can claim verified emails" on' },
};

/** A short column heading for each setting. */
export const SETTING_SHORT: Readonly<Record<SettingId, string>> = {
  'verified-only': 'Only verified emails',
  'verified-and-unverified': 'Verified and unverified',
  'claim-verified': 'Verified and unverified, visitors may claim',
};

export const REFUSED_COMBINATION = {
  title: 'Only verified emails, with claiming on',
  detail: 'refused: the claim option exists only with "Use both verified and unverified emails"; the account keeps its setting',
};

export const PROVENANCE_WORDS: Readonly<Record<Provenance, string>> = {
  SEED: 'the article',
  DOC: "Zendesk's help center",
  INF: 'our own reading, where the sources are silent',
  DISPUTED: 'the sources disagree',
};

/** The source a `@reading:` tag names, as a reader says it. */
export const READING_WORDS: Readonly<Record<string, string>> = {
  SEED: 'the article',
  DOC: "Zendesk's help center",
};

export const FAMILY_WORDS: Readonly<Record<RuleFamily, string>> = {
  visitor: 'Visitors (not signed in)',
  'signed-in': 'Signed-in customers',
  login: 'A visitor signs in during the conversation',
  admin: 'Administration',
};

/** The technical names the features and reports avoid, with what they mean. */
export const GLOSSARY: readonly { readonly term: string; readonly id: string; readonly meaning: string }[] = [
  { term: 'the article (SEED)', id: 'seed', meaning: 'A practitioner\'s blog article on the new email-identity settings: it maps about 48 flows over the three settings and gives the migration advice (import users with their customer numbers, count the users without a verified address, then switch). Tagged SEED in the specification.' },
  { term: "Zendesk's help center (DOC)", id: 'doc', meaning: "Zendesk's own help-center articles on messaging authentication and email identities. Tagged DOC." },
  { term: 'our own reading (INF)', id: 'inf', meaning: 'Where neither source states a case, the rule follows from a principle the sources do state; the specification names the principle. Tagged INF.' },
  { term: 'the sources disagree (DISPUTED)', id: 'disputed', meaning: 'The article and the help center say different things. The engine follows one reading; the report shows the other beside it, and the other reading\'s statements that the engine does not follow are shown as not holding.' },
  { term: 'signed-in customer, token (JWT)', id: 'jwt', meaning: "A customer whose chat carries a token the company's website signed (a JSON Web Token). It names the customer's customer number (external id), and may give an email address and say whether the company vouches for it (email_verified)." },
  { term: 'customer number (external id)', id: 'external-id', meaning: "The company's own identifier for a customer, carried by the token. It is the first thing a sign-in is matched on." },
  { term: 'verified / unverified email identity', id: 'verified', meaning: 'An address held by exactly one profile. Verified: a token the company signed vouched for it (or an import said so). Unverified: a visitor typed it, or a token gave it without vouching for it.' },
  { term: 'key id (kid)', id: 'kid', meaning: "The name of the signing key a token says it was signed with; a token naming a key the account does not know is refused." },
  { term: 'HS256, HS512, RS256, "none"', id: 'alg', meaning: 'Names of signing methods a token can claim. Only HS256 (a shared secret) is accepted; a token claiming any other method is refused.' },
  { term: 'taking over an address before its owner signs up (pre-account hijacking)', id: 'hijacking', meaning: 'A stranger puts himself on a customer\'s profile, or gets the customer\'s conversations, by typing or registering her address before she proves it. Sudhodanan and Paverd, USENIX Security 2022, name several forms of it.' },
  { term: 'a typed address that carries conversations along (trojan identifier)', id: 'trojan', meaning: 'A stranger types an address on his own visitor profile; when he later signs in, everything that profile gathered (other visitors\' conversations included) moves to his customer profile.' },
  { term: 'look-alike characters (Unicode)', id: 'look-alike', meaning: 'Characters that look like letters but are not, such as the Kelvin sign K (U+212A) that looks like the letter K. An address with one is a different address.' },
  { term: 'rule id (AUTH-NEW, VISIT-STRICT, …)', id: 'rule-id', meaning: 'Each rule of the specification (flows.md) has a stable id; the features, the engine and the reports name it.' },
  { term: 'expected failure, ratchet', id: 'ratchet', meaning: 'When a target is checked against a list of cases it is known to fail, each listed case is an expected failure; a new failure, or a listed case that now passes, fails the gate.' },
];
