/**
 * Every error the engine raises on purpose is an IdmatrixError with a stable `code`
 * (the codes of `replay.md` for rejections, and a few of our own for bad configuration).
 * Callers branch on `code` (and `reason` where given), never on `message`.
 */

export type RejectionCode = 'invalid-token' | 'conflict' | 'invalid-settings' | 'merge-refused';

export type ErrorCode =
  | RejectionCode
  | 'malformed-scenario'
  | 'invalid-key'
  | 'invalid-import'
  | 'invalid-argument'
  | 'invalid-input'
  | 'store-refused';

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

/**
 * An input that cannot be read as the command needs it: a file that is missing or not a file, larger
 * than the documented maximum, or not valid UTF-8. The message names the input and, where it applies,
 * the byte offset or line at fault.
 */
export class InvalidInputError extends IdmatrixError {
  readonly code = 'invalid-input' as const;
  constructor(
    message: string,
    readonly reason: 'unreadable' | 'too-large' | 'not-utf8',
  ) {
    super(message);
  }
}

/** Why a store file could not be used. */
export type StoreRefusal =
  | 'no-path'
  | 'missing'
  | 'exists'
  | 'not-a-file'
  | 'empty'
  | 'not-a-store'
  | 'older-schema'
  | 'newer-schema'
  | 'profile-mismatch'
  | 'busy'
  | 'unavailable';

/**
 * A store file that cannot be opened or written as asked: no such file, a file that is not an idmatrix
 * store (or of another schema version or reading profile), a store another process keeps locked beyond
 * the busy timeout, or a file the system will not let us open (permissions, a read-only mount, a full
 * disk). The message is one line naming the file and what to do.
 */
export class StoreRefusedError extends IdmatrixError {
  readonly code = 'store-refused' as const;
  constructor(
    readonly reason: StoreRefusal,
    message: string,
  ) {
    super(message);
  }
}

const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  EBUSY: 'resource busy',
  ENXIO: 'no such device',
};

/** SQLite result codes a user's environment causes (as opposed to constraint failures, which are our bugs). */
const SQLITE_ENVIRONMENT: readonly [RegExp, string][] = [
  [/^SQLITE_BUSY/, 'another process keeps it locked'],
  [/^SQLITE_LOCKED/, 'it is locked'],
  [/^SQLITE_READONLY/, 'it cannot be written (read-only file or file system)'],
  [/^SQLITE_CANTOPEN/, 'it cannot be opened (check the path and its permissions)'],
  [/^SQLITE_PERM/, 'permission denied'],
  [/^SQLITE_AUTH/, 'permission denied'],
  [/^SQLITE_NOTADB/, 'it is not a SQLite database'],
  [/^SQLITE_CORRUPT/, 'the database file is damaged'],
  [/^SQLITE_FULL/, 'the disk is full'],
  [/^SQLITE_IOERR/, 'an input/output error occurred'],
  [/^SQLITE_NOLFS/, 'the file is too large for this system'],
  [/^SQLITE_PROTOCOL/, 'the file locking protocol failed'],
];

/**
 * The reason an error from the environment gives, in words (`no such file or directory (ENOENT)`), or
 * undefined when it is not such an error: a system error, or a SQLite result code a user's environment
 * causes (a lock, a read-only or full disk, a file that is not a database), as opposed to a constraint
 * failure, which is a bug.
 */
export function environmentReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  if (code in SYSTEM_ERRORS) return `${SYSTEM_ERRORS[code]} (${code})`;
  for (const [pattern, words] of SQLITE_ENVIRONMENT) if (pattern.test(code)) return `${words} (${code})`;
  return undefined;
}
