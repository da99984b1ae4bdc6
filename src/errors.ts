/**
 * Every error the engine raises on purpose is an IdmatrixError with a stable `code`
 * (the codes of `replay.md` for rejections, and a few of our own for bad configuration).
 * Callers branch on `code` (and `reason` where given), never on `message`.
 */

export type RejectionCode = 'invalid-token' | 'conflict' | 'invalid-settings' | 'merge-refused';

export type ErrorCode = RejectionCode | 'malformed-scenario' | 'invalid-key' | 'invalid-import' | 'invalid-argument';

export abstract class IdmatrixError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Why a token was refused: a stable sub-code, one per check of `inputs.md`. */
export type TokenFailure =
  | 'token-not-string'
  | 'token-too-large'
  | 'token-malformed'
  | 'token-not-canonical'
  | 'header-invalid'
  | 'payload-invalid'
  | 'duplicate-member'
  | 'lone-surrogate'
  | 'alg-not-allowed'
  | 'crit-present'
  | 'kid-missing'
  | 'kid-unknown'
  | 'signature-invalid'
  | 'exp-invalid'
  | 'token-expired'
  | 'iat-invalid'
  | 'iat-in-future'
  | 'nbf-invalid'
  | 'nbf-in-future'
  | 'scope-invalid'
  | 'external-id-invalid'
  | 'name-invalid'
  | 'email-invalid'
  | 'email-verified-invalid';

export class InvalidTokenError extends IdmatrixError {
  readonly code = 'invalid-token' as const;
  constructor(
    readonly reason: TokenFailure,
    message: string,
  ) {
    super(message);
  }
}

export class ConflictError extends IdmatrixError {
  readonly code = 'conflict' as const;
}

export class InvalidSettingsError extends IdmatrixError {
  readonly code = 'invalid-settings' as const;
}

export type MergeRefusal = 'unknown-user' | 'same-user' | 'merged-away' | 'both-external-ids';

export class MergeRefusedError extends IdmatrixError {
  readonly code = 'merge-refused' as const;
  constructor(
    readonly reason: MergeRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** A scenario file that does not follow `replay.md`; `path` is the JSON path at fault (`$` for the root). */
export class MalformedScenarioError extends IdmatrixError {
  readonly code = 'malformed-scenario' as const;
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

/** A signing key that cannot be configured (a secret under 32 bytes, a duplicated or empty kid). */
export class InvalidKeyError extends IdmatrixError {
  readonly code = 'invalid-key' as const;
  constructor(
    message: string,
    /** Position of the faulty key in the configured list, and the member at fault. */
    readonly index: number,
    readonly member: 'kid' | 'secret' | null,
  ) {
    super(message);
  }
}

/** An import file that cannot be read at all (not a single row can be judged). */
export class InvalidImportError extends IdmatrixError {
  readonly code = 'invalid-import' as const;
}

/** A programmatic caller passed something the API does not accept (a bad user ref, an unknown setting id). */
export class InvalidArgumentError extends IdmatrixError {
  readonly code = 'invalid-argument' as const;
}
