import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, copyFileSync, existsSync, linkSync, lstatSync, mkdtempSync, openSync, readSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { environmentReason, StoreRefusedError } from '../errors';
import { showPath } from '../quote';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema';

/**
 * Opening a store file as SQLite users expect:
 *
 * - `read-only`: the file must be a store; it is opened with SQLITE_OPEN_READONLY and never written
 *   (a read-only mount is enough; an empty file stays empty).
 * - `read-write`: the file must be a store.
 * - `create`: the file must not exist. The store is built in a temporary file beside it and linked
 *   into place in one step (link(2) fails if the name exists), so no process ever sees half a store and
 *   of two creators racing for one name exactly one wins.
 * - `open-or-create`: read-write when the file exists, else create (and if another process created it
 *   in the meantime, open that one).
 *
 * A file is a store when it is a SQLite database whose application id is idmatrix's; its schema
 * version must be this build's. Anything else is refused in one line (StoreRefusedError) before
 * SQLite touches the file. A store is in WAL mode from its creation on (so opening one never rewrites
 * its header). SQLite cannot open a WAL file read-only where it cannot create the `-shm` beside it (a
 * read-only mount); there, the store (and its `-wal`, if a crash left one) is copied to a private
 * temporary directory and read from the copy, which is removed on close.
 */
export type OpenMode = 'read-only' | 'read-write' | 'create' | 'open-or-create';

export interface OpenOptions {
  readonly mode: OpenMode;
  /** How long one statement waits for a lock before SQLite reports SQLITE_BUSY (busy_timeout). */
  readonly busyTimeoutMs: number;
  /** How long opening may wait for other processes in all (switching to WAL does not wait by itself). */
  readonly busyBudgetMs: number;
  /** Writes the schema and first rows of a new store (inside one transaction). */
  readonly initialise: (db: Database.Database) => void;
}

export interface OpenedDatabase {
  readonly db: Database.Database;
  /** The absolute path of the file. */
  readonly path: string;
  readonly created: boolean;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Paths SQLite would read as something other than a file name. */
function checkPath(path: string): string {
  if (path === '') throw new StoreRefusedError('no-path', 'the store path is empty; name a file');
  if (path === ':memory:' || path.startsWith('file:')) {
    throw new StoreRefusedError('no-path', `${showPath(path)} is not a file name to SQLite; write ./${path} for a file of that name`);
  }
  return resolve(path);
}

export function openDatabase(path: string, options: OpenOptions): OpenedDatabase {
  const file = checkPath(path);
  const shown = showPath(path);
  if (options.mode === 'create' || options.mode === 'open-or-create') {
    if (!exists(file)) {
      const created = createStore(file, shown, options);
      if (created) return { db: openExisting(file, shown, 'read-write', options), path: file, created: true };
      if (options.mode === 'create') throw new StoreRefusedError('exists', `${shown} exists already (another process created it); name a new file`);
    } else if (options.mode === 'create') {
      throw new StoreRefusedError('exists', `${shown} exists already; name a new file`);
    }
    return { db: openExisting(file, shown, 'read-write', options), path: file, created: false };
  }
  return { db: openExisting(file, shown, options.mode, options), path: file, created: false };
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw environmentRefusal(error, `cannot use ${showPath(file)}`);
  }
}

/** Checks the file's header, then opens it; refuses anything that is not a store of this schema. */
function openExisting(file: string, shown: string, mode: 'read-only' | 'read-write', options: OpenOptions): Database.Database {
  const header = readHeader(file, shown);
  if (header.length === 0) {
    throw new StoreRefusedError('empty', `${shown} is an empty file, not an idmatrix store; remove it or name another file`);
  }
  if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new StoreRefusedError('not-a-store', `${shown} is not an idmatrix store (not a SQLite database)`);
  }
  const userVersion = header.readUInt32BE(60);
  const applicationId = header.readUInt32BE(68);
  if (applicationId !== APPLICATION_ID) {
    // Stores of schema versions 1 to 3 carried no application id.
    const older = userVersion >= 1 && userVersion < SCHEMA_VERSION;
    throw new StoreRefusedError(
      older ? 'older-schema' : 'not-a-store',
      older
        ? `${shown} is not an idmatrix store of this version (schema version ${userVersion} or another program's SQLite file); this build reads schema version ${SCHEMA_VERSION}: recreate the store with replay or import`
        : `${shown} is a SQLite database, but not an idmatrix store`,
    );
  }
  if (userVersion > SCHEMA_VERSION) {
    throw new StoreRefusedError('newer-schema', `${shown} is an idmatrix store of schema version ${userVersion}, made by a newer idmatrix; this build reads ${SCHEMA_VERSION}`);
  }
  if (userVersion < SCHEMA_VERSION) {
    throw new StoreRefusedError('older-schema', `${shown} is an idmatrix store of schema version ${userVersion}; this build reads ${SCHEMA_VERSION}: recreate the store with replay or import`);
  }
  if (mode === 'read-write') {
    try {
      accessSync(file, constants.W_OK);
    } catch (error) {
      throw environmentRefusal(error, `cannot open ${shown} for writing`);
    }
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: mode === 'read-only', fileMustExist: true, timeout: options.busyTimeoutMs });
    db.pragma('user_version', { simple: true });
  } catch (error) {
    db?.close();
    const walOnReadOnlyMedia = mode === 'read-only' && String((error as { code?: unknown }).code).startsWith('SQLITE_CANTOPEN') && header[18] === 2;
    if (!walOnReadOnlyMedia) throw environmentRefusal(error, `cannot open ${shown}${mode === 'read-only' ? ' for reading' : ''}`);
    db = openCopy(file, shown, options.busyTimeoutMs);
  }
  try {
    db.pragma('foreign_keys = ON');
    // The header checks above read the file as it is on disk; a WAL may hold newer pages, so ask SQLite too.
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('store_meta', 'settings', 'users', 'email_identities', 'conversations', 'event_log')").pluck().get() as number;
    if (version !== SCHEMA_VERSION || tables !== 6) {
      throw new StoreRefusedError('not-a-store', `${shown} carries idmatrix's application id but not its schema; it is not a usable store`);
    }
    if (mode === 'read-write') {
      // SQLite answers SQLITE_BUSY at once, without waiting, while another process holds the file.
      const wal = db;
      retryWhileBusy(() => wal.pragma('journal_mode = WAL'), options.busyBudgetMs);
      db.pragma('synchronous = NORMAL');
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreRefusedError) throw error;
    throw environmentRefusal(error, `cannot ${mode === 'read-only' ? 'read' : 'open'} ${shown}`);
  }
}

/** Temporary copies of stores read from read-only media, by the path SQLite has open: removed on close. */
const copies = new Map<string, string>();

/**
 * A read-only connection to a copy of `file` (and of its `-wal`, if there is one) in a private
 * temporary directory: for a WAL store on read-only media, where SQLite cannot create the `-shm`.
 */
function openCopy(file: string, shown: string, busyTimeoutMs: number): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'idmatrix-readonly-'));
  const copy = join(dir, 'store.db');
  try {
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = new Database(copy, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    db.pragma('user_version', { simple: true });
    copies.set(db.name, dir);
    return db;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw environmentRefusal(error, `cannot read ${shown} (copied from read-only media)`);
  }
}

/** The first 100 bytes of the file (fewer when it is shorter). */
function readHeader(file: string, shown: string): Buffer {
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreRefusedError('missing', `no store at ${shown} (no such file)`);
    throw environmentRefusal(error, `cannot use ${shown}`);
  }
  if (stat.isDirectory()) throw new StoreRefusedError('not-a-file', `${shown} is a directory, not a store file`);
  if (!stat.isFile()) throw new StoreRefusedError('not-a-file', `${shown} is not a regular file, so not a store`);
  const header = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    let length = 0;
    for (let n = -1; n !== 0 && length < header.length; length += n) n = readSync(fd, header, length, header.length - length, null);
    return header.subarray(0, length);
  } catch (error) {
    throw environmentRefusal(error, `cannot read ${shown}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Builds a new store in a temporary file in the target's directory and links it to `file`. Returns
 * false when `file` appeared meanwhile (another creator won the race).
 */
function createStore(file: string, shown: string, options: OpenOptions): boolean {
  const dir = dirname(file);
  try {
    if (!statSync(dir).isDirectory()) throw new StoreRefusedError('unavailable', `cannot create ${shown}: ${showPath(dir)} is not a directory`);
  } catch (error) {
    if (error instanceof StoreRefusedError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StoreRefusedError('unavailable', `cannot create ${shown}: the directory ${showPath(dir)} does not exist`);
    }
    throw environmentRefusal(error, `cannot create ${shown}`);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw environmentRefusal(error, `cannot create ${shown} in ${showPath(dir)}`);
  }
  const temporary = join(dir, `.${basename(file)}.${process.pid}-${randomBytes(6).toString('hex')}.creating`);
  try {
    let db: Database.Database;
    try {
      db = new Database(temporary, { timeout: options.busyTimeoutMs });
    } catch (error) {
      throw environmentRefusal(error, `cannot create ${shown}`);
    }
    try {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.transaction(() => {
        options.initialise(db);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    } catch (error) {
      db.close();
      throw environmentRefusal(error, `cannot create ${shown}`);
    }
    db.close();
    try {
      linkSync(temporary, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw environmentRefusal(error, `cannot create ${shown}`);
      // A file system without hard links: an exclusive copy still never overwrites a store.
      try {
        copyFileSync(temporary, file, constants.COPYFILE_EXCL);
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw environmentRefusal(copyError, `cannot create ${shown}`);
      }
    }
    return true;
  } finally {
    for (const leftover of [temporary, `${temporary}-journal`, `${temporary}-wal`, `${temporary}-shm`]) {
      try {
        unlinkSync(leftover);
      } catch {
        // not there
      }
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` milliseconds (the store is synchronous, like better-sqlite3). */
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

/**
 * Runs `fn` until it does not fail with SQLITE_BUSY / SQLITE_LOCKED or `budgetMs` has passed, with
 * jittered exponential backoff (10 ms doubling to 320 ms). The last error is thrown as it is.
 */
export function retryWhileBusy<T>(fn: () => T, budgetMs: number): T {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      const left = deadline - Date.now();
      if (!isBusy(error) || left <= 0) throw error;
      sleep(Math.max(1, Math.min(10 * 2 ** Math.min(attempt, 5), left) * (0.5 + Math.random() / 2)));
    }
  }
}

/** Closes a store's connection (and removes the temporary copy of a store read from read-only media). */
export function closeDatabase(db: Database.Database): void {
  const name = db.name;
  if (db.open) db.close();
  const copy = copies.get(name);
  if (copy !== undefined) {
    copies.delete(name);
    rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * A StoreRefusedError for an error from the environment (a system or SQLite error), prefixed with
 * `what`; any other error (a bug) is returned as it is.
 */
export function environmentRefusal(error: unknown, what: string): unknown {
  if (error instanceof StoreRefusedError) return error;
  const reason = environmentReason(error);
  if (reason === undefined) return error;
  const code = (error as { code: string }).code;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreRefusedError('busy', `${what}: ${reason}; try again when it is done`);
  }
  return new StoreRefusedError('unavailable', `${what}: ${reason}`);
}
