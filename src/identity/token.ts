/**
 * Verification of a signed-in customer's JWT (`inputs.md`, "JWT" and the bad-token catalog).
 *
 * The token's shape, header and payload are checked here first (strictly, see token-json.ts), then the
 * signature and registered time claims by `jose`, then the checks a JWT library does not make (the ✱ rows
 * of the catalog) on the payload decoded here. Every failure is an InvalidTokenError with a stable reason.
 */

import { createHash } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import { InvalidArgumentError, InvalidTokenError, type TokenFailure } from '../errors';
import { quote } from '../quote';
import type { KeyConfig } from '../domain';
import { isValidExternalId, MAX_EXTERNAL_ID_LENGTH } from './external-id';
import { describeAddressProblem, parseAddress } from './email';
import { validateKeyConfigs } from './keys';
import { BoundedMemo } from './memo';
import { decodeJsonSegment, isCanonicalBase64url } from './token-json';

/** 8 KiB. A valid token is ASCII, so its length in code units is its length in bytes. */
export const MAX_TOKEN_LENGTH = 8192;

/** How much of a claim's text a message quotes. */
const MAX_QUOTED = 64;

/** The only algorithm accepted, compared exactly. */
const ALGORITHM = 'HS256';

/** Three base64url segments and nothing else: no whitespace, no padding, no other character. */
const COMPACT_JWS = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** Largest magnitude of a Date, in seconds (ECMA-262 time value range). */
const MAX_DATE_SECONDS = 8_640_000_000_000;

/** What a valid token says about the customer. */
export interface VerifiedClaims {
  /** Exactly as in the token: no trimming, folding or normalisation. */
  readonly externalId: string;
  /** Absent when the JWT has no `name`; `""` is a name. */
  readonly name?: string;
  /** Absent when the JWT has no `email` claim. */
  readonly email?: {
    /** The claim as given. */
    readonly raw: string;
    /** The stored spelling: trimmed of surrounding spaces. */
    readonly address: string;
    /** The identity key. */
    readonly normalised: string;
  };
  /** True only for the JSON boolean `true`. */
  readonly emailVerified: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** What verifying a token gave: its claims, or why it was refused. */
export type TokenVerdict = { readonly claims: VerifiedClaims } | { readonly reason: TokenFailure; readonly message: string };

/**
 * The verdicts of `TokenVerifier.verify`, shared by every verifier: verification is a pure function of
 * the exact token text, the key set and the clock second, so a verdict is remembered under those three
 * (the key set as a SHA-256 of its kids and secrets). jose still verifies every token the memo has not
 * seen; a verdict is never made up, only repeated. Bounded: 20,000 verdicts, 16 Mi code units of keys.
 */
export const VERDICTS = new BoundedMemo<TokenVerdict>(20_000, 16 * 2 ** 20);

/** Verifications under way, by the same key as VERDICTS. */
const PENDING = new Map<string, Promise<TokenVerdict>>();

export class TokenVerifier {
  private constructor(
    private readonly keys: ReadonlyMap<string, HmacKey>,
    /** Identifies the key set in the verdict memo. */
    private readonly keySetId: string,
  ) {}

  /**
   * Checks the key list (InvalidKeyError on a short secret, a duplicated or empty kid) and imports every
   * secret once, as the UTF-8 bytes of `secret`, into a non-extractable HMAC SHA-256 verification key.
   */
  static async create(configs: readonly KeyConfig[]): Promise<TokenVerifier> {
    validateKeyConfigs(configs);
    const encoder = new TextEncoder();
    const keys = new Map<string, HmacKey>();
    for (const config of configs) {
      const key = await crypto.subtle.importKey(
        'raw',
        encoder.encode(config.secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      );
      keys.set(config.kid, key);
    }
    const fingerprint = createHash('sha256');
    for (const config of configs) fingerprint.update(JSON.stringify([config.kid, config.secret]));
    return new TokenVerifier(keys, fingerprint.digest('base64url'));
  }

  /**
   * Verifies `token` against the clock `nowSeconds` (whole seconds since the epoch; no tolerance).
   * Rejects with InvalidTokenError for any token that is not valid, and with InvalidArgumentError only
   * when `nowSeconds` itself is not a whole number of seconds a Date can hold.
   */
  async verify(token: unknown, nowSeconds: number): Promise<VerifiedClaims> {
    const verdict = await this.verdict(token, nowSeconds);
    if ('claims' in verdict) return verdict.claims;
    throw new InvalidTokenError(verdict.reason, verdict.message);
  }

  /**
   * `verify` without the exception: the claims, or why the token is refused. Rejects only with
   * InvalidArgumentError (the clock). A verdict the memo holds is given again without verifying again.
   */
  async verdict(token: unknown, nowSeconds: number): Promise<TokenVerdict> {
    if (!Number.isInteger(nowSeconds) || Math.abs(nowSeconds) > MAX_DATE_SECONDS) {
      throw new InvalidArgumentError(`the clock must be a whole number of seconds, got ${String(nowSeconds)}`);
    }
    if (typeof token !== 'string') {
      return { reason: 'token-not-string', message: `the token must be a string, got ${describeJson(token)}` };
    }
    const memoKey = `${this.keySetId} ${nowSeconds} ${token}`;
    const known = VERDICTS.get(memoKey);
    if (known !== undefined) return known;
    // A token being verified already (say, fetched ahead by the replay runner) is not verified twice.
    const pending = PENDING.get(memoKey);
    if (pending !== undefined) return pending;
    const verdict = this.verifyToVerdict(token, nowSeconds).finally(() => PENDING.delete(memoKey));
    PENDING.set(memoKey, verdict);
    VERDICTS.set(memoKey, await verdict);
    return verdict;
  }

  private async verifyToVerdict(token: string, nowSeconds: number): Promise<TokenVerdict> {
    try {
      return { claims: await this.verifyUncached(token, nowSeconds) };
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      return { reason: error.reason, message: error.message };
    }
  }

  /** Every check of `inputs.md`, jose's among them, on a string token. */
  private async verifyUncached(token: string, nowSeconds: number): Promise<VerifiedClaims> {
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenError(
        'token-too-large',
        `the token has ${token.length} characters; at most ${MAX_TOKEN_LENGTH} are accepted`,
      );
    }
    if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('token-malformed', describeMalformation(token));

    const firstDot = token.indexOf('.');
    const secondDot = token.indexOf('.', firstDot + 1);
    const header = decodeJsonSegment(token.slice(0, firstDot), 'header');
    const payload = decodeJsonSegment(token.slice(firstDot + 1, secondDot), 'payload');
    const key = this.checkHeader(header);
    if (!isCanonicalBase64url(token.slice(secondDot + 1))) {
      throw new InvalidTokenError('token-not-canonical', 'the token signature is not canonical base64url');
    }

    try {
      await jwtVerify(token, key, {
        algorithms: [ALGORITHM],
        currentDate: new Date(nowSeconds * 1000),
        clockTolerance: 0,
      });
    } catch (error) {
      throw mapJoseError(error, payload, nowSeconds);
    }

    checkTimeClaims(payload, nowSeconds);
    return freeze(readClaims(payload));
  }

  /** `alg` exactly HS256, no `crit`, and a string `kid` naming a configured key (matched exactly). */
  private checkHeader(header: Record<string, unknown>): HmacKey {
    if (header.alg !== ALGORITHM) {
      const got = Object.hasOwn(header, 'alg') ? `got ${describeJson(header.alg)}` : 'it is missing';
      throw new InvalidTokenError('alg-not-allowed', `header "alg" must be "${ALGORITHM}"; ${got}`);
    }
    if (Object.hasOwn(header, 'crit')) {
      throw new InvalidTokenError('crit-present', 'header "crit" is present; no JWS extension is understood');
    }
    const kid = header.kid;
    if (typeof kid !== 'string') {
      const got = Object.hasOwn(header, 'kid') ? `got ${describeJson(kid)}` : 'it is missing';
      throw new InvalidTokenError('kid-missing', `header "kid" must be a string naming a signing key; ${got}`);
    }
    const key = this.keys.get(kid);
    if (key === undefined) throw new InvalidTokenError('kid-unknown', `no signing key has the id ${quote(kid, MAX_QUOTED)}`);
    return key;
  }
}

/** Turns whatever `jwtVerify` threw into an InvalidTokenError: nothing from jose escapes unmapped. */
function mapJoseError(error: unknown, payload: Record<string, unknown>, now: number): InvalidTokenError {
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError('signature-invalid', 'the token signature does not match its signing key');
  }
  if (error instanceof errors.JWTExpired || error instanceof errors.JWTClaimValidationFailed) {
    // Our own time checks give the precise reason (jose calls an infinite `nbf` "in the future", and an
    // `exp` of -Infinity "expired"); they are expected to throw here. If they somehow do not, fall back on
    // what jose reported.
    checkTimeClaims(payload, now);
    return new InvalidTokenError(joseClaimFailure(error), `the token claims were refused: ${error.message}`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new InvalidTokenError('alg-not-allowed', `header "alg" must be "${ALGORITHM}"`);
  }
  if (error instanceof errors.JOSEError) {
    // JWSInvalid / JWTInvalid and the like: the checks above should already have refused such a token.
    return new InvalidTokenError('token-malformed', `the token is not a valid JWS: ${error.message}`);
  }
  // Not a JOSE error (say a TypeError from the crypto layer): the signature could not be established.
  const detail = error instanceof Error ? error.message : String(error);
  return new InvalidTokenError('signature-invalid', `the token signature could not be verified: ${detail}`);
}

function joseClaimFailure(error: errors.JWTExpired | errors.JWTClaimValidationFailed): TokenFailure {
  if (error instanceof errors.JWTExpired) return 'token-expired';
  const invalid = error.reason === 'invalid';
  switch (error.claim) {
    case 'nbf':
      return invalid ? 'nbf-invalid' : 'nbf-in-future';
    case 'iat':
      return invalid ? 'iat-invalid' : 'iat-in-future';
    case 'exp':
      return invalid ? 'exp-invalid' : 'token-expired';
    default:
      return 'payload-invalid';
  }
}

/**
 * `exp`, when present, a finite number greater than now; `iat` and `nbf`, when present, finite numbers
 * not greater than now. jose lets an infinite `exp` (`1e400` parses as Infinity) and a future `iat` pass.
 */
function checkTimeClaims(payload: Record<string, unknown>, now: number): void {
  if (Object.hasOwn(payload, 'exp')) {
    const exp = payload.exp;
    if (!isFiniteNumber(exp)) throw timeClaimInvalid('exp-invalid', 'exp', exp);
    if (exp <= now) {
      throw new InvalidTokenError('token-expired', `the token expired at ${formatSeconds(exp)}`);
    }
  }
  if (Object.hasOwn(payload, 'iat')) {
    const iat = payload.iat;
    if (!isFiniteNumber(iat)) throw timeClaimInvalid('iat-invalid', 'iat', iat);
    if (iat > now) {
      throw new InvalidTokenError('iat-in-future', `the token claims to be issued at ${formatSeconds(iat)}, in the future`);
    }
  }
  if (Object.hasOwn(payload, 'nbf')) {
    const nbf = payload.nbf;
    if (!isFiniteNumber(nbf)) throw timeClaimInvalid('nbf-invalid', 'nbf', nbf);
    if (nbf > now) {
      throw new InvalidTokenError('nbf-in-future', `the token is not valid before ${formatSeconds(nbf)}`);
    }
  }
}

function timeClaimInvalid(reason: TokenFailure, claim: string, value: unknown): InvalidTokenError {
  return new InvalidTokenError(reason, `claim "${claim}" must be a finite number of seconds, got ${describeJson(value)}`);
}

/** The claims of `inputs.md` a JWT library does not check, then the result. */
function readClaims(payload: Record<string, unknown>): VerifiedClaims {
  if (payload.scope !== 'user') {
    const got = Object.hasOwn(payload, 'scope') ? `got ${describeJson(payload.scope)}` : 'it is missing';
    throw new InvalidTokenError('scope-invalid', `claim "scope" must be the string "user"; ${got}`);
  }

  const externalId = payload.external_id;
  if (!isValidExternalId(externalId)) {
    const got =
      typeof externalId === 'string'
        ? `got a string of ${externalId.length} code units`
        : Object.hasOwn(payload, 'external_id')
          ? `got ${describeJson(externalId)}`
          : 'it is missing';
    throw new InvalidTokenError(
      'external-id-invalid',
      `claim "external_id" must be a non-empty string of at most ${MAX_EXTERNAL_ID_LENGTH} UTF-16 code units; ${got}`,
    );
  }

  const claims: Mutable<VerifiedClaims> = { externalId, emailVerified: false };

  if (Object.hasOwn(payload, 'name')) {
    const name = payload.name;
    if (typeof name !== 'string') {
      throw new InvalidTokenError('name-invalid', `claim "name" must be a string, got ${describeJson(name)}`);
    }
    claims.name = name;
  }

  if (Object.hasOwn(payload, 'email')) {
    const raw = payload.email;
    const parsed = parseAddress(raw);
    if (!parsed.usable) {
      throw new InvalidTokenError(
        'email-invalid',
        `claim "email" is not a usable address: it ${describeAddressProblem(parsed.problem)}`,
      );
    }
    claims.email = { raw: raw as string, address: parsed.address, normalised: parsed.normalised };
  }

  if (Object.hasOwn(payload, 'email_verified')) {
    const verified = payload.email_verified;
    if (typeof verified !== 'boolean') {
      throw new InvalidTokenError(
        'email-verified-invalid',
        `claim "email_verified" must be a JSON boolean, got ${describeJson(verified)}`,
      );
    }
    claims.emailVerified = verified;
  }

  return claims;
}

/** Claims handed out more than once (from the verdict memo) cannot be changed by whoever holds them. */
function freeze(claims: VerifiedClaims): VerifiedClaims {
  if (claims.email !== undefined) Object.freeze(claims.email);
  return Object.freeze(claims);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Says which rule a token that failed the compact-JWS pattern breaks. */
function describeMalformation(token: string): string {
  if (/\s/.test(token)) return 'the token contains whitespace or a line break';
  if (token.includes('=')) return 'the token contains "=" padding; JWS segments are unpadded base64url';
  const segments = token.split('.').length;
  if (segments !== 3) return `the token has ${segments} "."-separated segments; a compact JWS has 3`;
  return 'the token contains a character outside the base64url alphabet';
}

/** `2026-01-01T00:00:00Z` for whole seconds; the bare number when a Date cannot hold it. */
function formatSeconds(seconds: number): string {
  if (Math.abs(seconds) > MAX_DATE_SECONDS) return `${seconds} seconds since the epoch`;
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}


/** `the string "true"`, `the number 1`, `null`, `an array`… for messages. */
function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${quote(value, MAX_QUOTED)}`;
    case 'number':
      return `the number ${String(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return `a value of type ${typeof value}`;
  }
}
