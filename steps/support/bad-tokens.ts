import type { TokenFailure } from '../../src/errors';
import type { JsonObject, TokenSource } from '../../src/replay/types';
import { base64url, COMPANY_KEY, companyHeader, NOW, OTHER_COMPANY_SECRET, rawToken } from './company';

/**
 * The bad-token catalog of `inputs.md`, in the words the feature file uses. Each phrase turns the
 * customer's good claims into what the scenario document sends: changed `claims`, `header` or `kid`
 * where the scenario format can say it (so that an exported scenario shows the fault plainly), a ready
 * `token` otherwise. `catalog` names the row of test/fixtures/tokens.ts `badTokenCatalog()` that the
 * phrase stands for (null: a check of `inputs.md` that catalog does not list); `reason` is the check
 * that must refuse it. Both are read only by test/coverage-bad-tokens.test.ts, which proves each
 * phrase fails for its own reason; the steps only need `source`.
 */
export interface BadTokenPhrase {
  readonly phrase: string;
  readonly catalog: string | null;
  readonly reason: TokenFailure;
  readonly source: (claims: JsonObject) => TokenSource;
}

const withClaims = (extra: JsonObject) => (claims: JsonObject): TokenSource => ({ claims: { ...claims, ...extra } });
const withHeader = (members: JsonObject) => (claims: JsonObject): TokenSource => ({ claims, header: members });
const without = (member: string) => (claims: JsonObject): TokenSource => {
  const { [member]: _dropped, ...rest } = claims;
  return { claims: rest };
};
const payloadText = (claims: JsonObject) => JSON.stringify(claims);
const headerText = () => JSON.stringify(companyHeader());
/** The good token, as the runner would sign it, split into its three segments. */
const good = (claims: JsonObject) => rawToken(headerText(), payloadText(claims));
const segments = (claims: JsonObject) => good(claims).split('.') as [string, string, string];
const ready = (make: (claims: JsonObject) => string) => (claims: JsonObject): TokenSource => ({ token: make(claims) });

export const BAD_TOKENS: readonly BadTokenPhrase[] = [
  {
    phrase: "a token signed with another company's secret",
    catalog: 'signature made with another secret',
    reason: 'signature-invalid',
    source: ready((claims) => rawToken(headerText(), payloadText(claims), OTHER_COMPANY_SECRET)),
  },
  { phrase: 'a token that says it needs no signature', catalog: 'alg none', reason: 'alg-not-allowed', source: withHeader({ alg: 'none' }) },
  {
    phrase: 'a token that says it needs no signature and has none',
    catalog: 'alg none without signature',
    reason: 'alg-not-allowed',
    source: ready((claims) => `${base64url(JSON.stringify({ alg: 'none', kid: COMPANY_KEY.kid }))}.${base64url(payloadText(claims))}.`),
  },
  { phrase: 'a token signed by another method than the agreed one', catalog: 'alg HS512', reason: 'alg-not-allowed', source: withHeader({ alg: 'HS512' }) },
  {
    phrase: "a token that claims a public-key signature made with the company's secret",
    catalog: 'alg RS256 with the HMAC secret as public key',
    reason: 'alg-not-allowed',
    source: withHeader({ alg: 'RS256' }),
  },
  { phrase: 'a token naming a signing key the company does not have', catalog: 'unknown kid', reason: 'kid-unknown', source: (claims) => ({ claims, kid: 'app_0000dead' }) },
  {
    phrase: "a token naming the company's signing key in capitals",
    catalog: null,
    reason: 'kid-unknown',
    source: (claims) => ({ claims, kid: COMPANY_KEY.kid.toUpperCase() }),
  },
  {
    phrase: 'a token naming no signing key',
    catalog: 'missing kid',
    reason: 'kid-missing',
    source: ready((claims) => rawToken('{"alg":"HS256","typ":"JWT"}', payloadText(claims))),
  },
  {
    phrase: 'a token asking for an extension nobody understands',
    catalog: null,
    reason: 'crit-present',
    source: withHeader({ crit: ['exp'] }),
  },
  { phrase: 'a token that expired a minute ago', catalog: 'expired exp', reason: 'token-expired', source: withClaims({ exp: NOW - 60 }) },
  {
    phrase: 'a token whose expiry is too large to be a number',
    catalog: 'exp 1e400',
    reason: 'exp-invalid',
    source: ready((claims) => rawToken(headerText(), payloadText(without('exp')(claims).claims as JsonObject).replace(/}$/, ',"exp":1e400}'))),
  },
  { phrase: 'a token whose expiry is written as text', catalog: 'exp a string', reason: 'exp-invalid', source: withClaims({ exp: String(NOW + 3600) }) },
  { phrase: 'a token issued a minute in the future', catalog: 'iat in the future', reason: 'iat-in-future', source: withClaims({ iat: NOW + 60 }) },
  { phrase: 'a token whose issue time is written as text', catalog: null, reason: 'iat-invalid', source: withClaims({ iat: String(NOW) }) },
  { phrase: 'a token not valid until a minute from now', catalog: 'nbf in the future', reason: 'nbf-in-future', source: withClaims({ nbf: NOW + 60 }) },
  { phrase: 'a token without a scope', catalog: 'scope missing', reason: 'scope-invalid', source: without('scope') },
  { phrase: 'a token whose scope is "admin"', catalog: 'scope not "user"', reason: 'scope-invalid', source: withClaims({ scope: 'admin' }) },
  { phrase: 'a token without an external id', catalog: 'external_id missing', reason: 'external-id-invalid', source: without('external_id') },
  { phrase: 'a token with an empty external id', catalog: 'external_id empty', reason: 'external-id-invalid', source: withClaims({ external_id: '' }) },
  { phrase: 'a token whose external id is a number', catalog: 'external_id a number', reason: 'external-id-invalid', source: withClaims({ external_id: 4821 }) },
  { phrase: 'a token whose external id is a list', catalog: 'external_id an array', reason: 'external-id-invalid', source: (claims) => withClaims({ external_id: [claims.external_id] })(claims) },
  {
    phrase: 'a token whose external id is 256 characters long',
    catalog: 'external_id longer than 255',
    reason: 'external-id-invalid',
    source: withClaims({ external_id: 'c'.repeat(256) }),
  },
  { phrase: 'a token whose email_verified is the text "true"', catalog: 'email_verified "true"', reason: 'email-verified-invalid', source: withClaims({ email_verified: 'true' }) },
  { phrase: 'a token whose email_verified is the text "false"', catalog: 'email_verified "false"', reason: 'email-verified-invalid', source: withClaims({ email_verified: 'false' }) },
  { phrase: 'a token whose email_verified is the number 1', catalog: 'email_verified 1', reason: 'email-verified-invalid', source: withClaims({ email_verified: 1 }) },
  { phrase: 'a token whose email_verified is the number 0', catalog: 'email_verified 0', reason: 'email-verified-invalid', source: withClaims({ email_verified: 0 }) },
  { phrase: 'a token whose email_verified is null', catalog: 'email_verified null', reason: 'email-verified-invalid', source: withClaims({ email_verified: null }) },
  { phrase: 'a token whose name is a number', catalog: 'name not a string', reason: 'name-invalid', source: withClaims({ name: 7 }) },
  {
    phrase: 'a token whose email is not an address',
    catalog: 'email not a usable address',
    reason: 'email-invalid',
    source: (claims) => withClaims({ email: String(claims.email).replace('@', ' at ') })(claims),
  },
  { phrase: 'a token whose email is null', catalog: 'email null', reason: 'email-invalid', source: withClaims({ email: null }) },
  {
    phrase: 'a token that names its signing key twice',
    catalog: 'duplicated member in the header',
    reason: 'duplicate-member',
    source: ready((claims) => rawToken(`{"alg":"HS256","typ":"JWT","kid":"${COMPANY_KEY.kid}","kid":"${COMPANY_KEY.kid}"}`, payloadText(claims))),
  },
  {
    phrase: 'a token with its external id given twice',
    catalog: 'duplicated member in the payload',
    reason: 'duplicate-member',
    source: ready((claims) => rawToken(headerText(), payloadText(claims).replace(/}$/, `,"external_id":"${String(claims.external_id)}-2"}`))),
  },
  {
    phrase: 'a token whose payload starts with a byte order mark',
    catalog: null,
    reason: 'payload-invalid',
    source: ready((claims) => rawToken(headerText(), `\uFEFF${payloadText(claims)}`)),
  },
  {
    phrase: 'a token whose name holds half of a surrogate pair',
    catalog: null,
    reason: 'lone-surrogate',
    source: ready((claims) => rawToken(headerText(), payloadText({ ...claims, name: 'NAME' }).replace('"NAME"', '"Ann \\ud800"'))),
  },
  { phrase: 'a token larger than 8 KiB', catalog: 'token larger than 8 KiB', reason: 'token-too-large', source: withClaims({ padding: 'x'.repeat(8192) }) },
  {
    phrase: 'a token with a space inside',
    catalog: 'whitespace inside',
    reason: 'token-malformed',
    source: ready((claims) => segments(claims).join('. ')),
  },
  { phrase: 'a token with a newline at the end', catalog: 'newline at the end', reason: 'token-malformed', source: ready((claims) => `${good(claims)}\n`) },
  { phrase: 'a token padded with "="', catalog: '= padding', reason: 'token-malformed', source: ready((claims) => `${good(claims)}=`) },
  {
    phrase: 'a token with a "+" in its signature',
    catalog: 'character outside base64url',
    reason: 'token-malformed',
    source: ready((claims) => `${good(claims).slice(0, -1)}+`),
  },
  {
    phrase: 'a token whose signature is spelled in a non-canonical way',
    catalog: null,
    reason: 'token-not-canonical',
    source: ready((claims) => {
      const token = good(claims);
      // 32 signature bytes take 43 characters: the last one carries 2 unused bits, which must be zero.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(token.slice(-1));
      return `${token.slice(0, -1)}${alphabet[last | 1]}`;
    }),
  },
  {
    phrase: 'a token in two parts instead of three',
    catalog: 'not three segments',
    reason: 'token-malformed',
    source: ready((claims) => segments(claims).slice(0, 2).join('.')),
  },
];

const BY_PHRASE = new Map(BAD_TOKENS.map((entry) => [entry.phrase, entry]));

export function badTokenSource(phrase: string, claims: JsonObject): TokenSource {
  const entry = BY_PHRASE.get(phrase);
  if (entry === undefined) throw new Error(`no bad token is described as "${phrase}"`);
  return entry.source(claims);
}

/** The parameter type's pattern: exactly the phrases above, so that a phrase nobody defined is an undefined step. */
export function badTokenPattern(): RegExp {
  const escaped = BAD_TOKENS.map((entry) => entry.phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(escaped.sort((a, b) => b.length - a.length).join('|'));
}
