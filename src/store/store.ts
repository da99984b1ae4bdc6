import Database from 'better-sqlite3';
import { InvalidArgumentError, StoreRefusedError } from '../errors';
import { showPath } from '../quote';
import {
  DEFAULT_PROFILE,
  type ConversationFacts,
  type ConversationRecord,
  type Decision,
  type Effect,
  type EmailEntry,
  type EventInput,
  type Flag,
  type IdentityFacts,
  type LoggedEvent,
  type Outcome,
  type ReadingProfile,
  type RuleId,
  type SettingId,
  type Settings,
  type StoreReader,
  type UserFacts,
  type UserHandle,
  type UserRecord,
} from '../domain';
import { closeDatabase, environmentRefusal, openDatabase, retryWhileBusy, type OpenMode } from './open';
import { APPLICATION_ID, SCHEMA_SQL, SCHEMA_VERSION } from './schema';
import { decodeNullableText, decodeText, encodeNullableText, encodeText, type StoredText } from './text';

interface UserRow {
  id: number;
  ref: StoredText;
  name: StoredText | null;
  external_id: StoredText | null;
  merged_into: number | null;
}
interface IdentityRow {
  id: number;
  user_id: number;
  address: string;
  normalised: string;
  verified: number;
}
interface ConversationRow {
  id: number;
  ref: StoredText;
  user_id: number;
}

export interface StoreOptions {
  /** A database file; in memory when absent. A file is opened in WAL mode. */
  readonly path?: string;
  /**
   * How to open `path` (see open.ts): `read-only`, `read-write` (the store must exist), `create` (it
   * must not), `open-or-create`. Default: `open-or-create` when `settings` are given, else `read-write`.
   */
  readonly mode?: OpenMode;
  /** The settings of a new store (required to create one). An existing store keeps its own. */
  readonly settings?: Settings;
  /**
   * How long a write waits for another process's lock, in all, before giving up (StoreRefusedError
   * `busy`); the transaction, decision included, is retried until then. Default 30 s.
   */
  readonly busyTimeoutMs?: number;
  /**
   * The reading profile (`flows.md`): a new store records it; an existing store must have been created
   * under the same one (default `reference`), else opening it is refused. `stored`: an existing store
   * is opened under the profile it was created under (a new one is created under `reference`).
   */
  readonly profile?: ReadingProfile | 'stored';
}

export interface StartingUser {
  readonly ref: string;
  readonly name?: string | null;
  readonly externalId?: string | null;
  readonly emails?: readonly EmailEntry[];
}

export interface Snapshot {
  readonly users: UserRecord[];
  readonly conversations: ConversationRecord[];
}

/** A logged event with the result it was given (the user as its ref). */
export interface LoggedResult extends LoggedEvent {
  readonly result: { readonly outcome: Outcome; readonly rule: RuleId; readonly user: string | null; readonly flags: readonly Flag[] };
}

export interface IdentityCounts {
  /** Users (not merged away) holding no verified identity: the seed's `is_verified:false` search. */
  readonly usersWithoutVerifiedIdentity: number;
  readonly unverifiedIdentities: number;
  readonly users: number;
}

/**
 * The SQLite store (better-sqlite3). Every statement is prepared once, when the store opens; every
 * lookup goes through an index. The store reads facts for the policy (StoreReader) and applies the
 * policy's decisions; it decides nothing itself.
 */
export class Store implements StoreReader {
  readonly db: Database.Database;
  /** The file as given, for messages; `:memory:` for an in-memory store. */
  readonly location: string;
  private readonly sql;
  private readonly busyTimeoutMs: number;
  /** One transaction wrapper, made once: `.immediate(fn)` / `.deferred(fn)` / a savepoint when nested. */
  private readonly runner: Database.Transaction<(fn: () => unknown) => unknown>;

  private constructor(db: Database.Database, location: string, busyTimeoutMs: number) {
    this.db = db;
    this.runner = db.transaction((fn: () => unknown) => fn());
    this.location = location;
    this.busyTimeoutMs = busyTimeoutMs;
    const prepare = (text: string) => db.prepare(text);
    this.sql = {
      userById: prepare('SELECT id, ref, name, external_id, merged_into FROM users WHERE id = ?'),
      userByRef: prepare('SELECT id, ref, name, external_id, merged_into FROM users WHERE ref = ?'),
      userByExternalId: prepare('SELECT id, ref, name, external_id, merged_into FROM users WHERE external_id = ?'),
      identityByNormalised: prepare('SELECT id, user_id, address, normalised, verified FROM email_identities WHERE normalised = ?'),
      hasIdentities: prepare('SELECT 1 FROM email_identities WHERE user_id = ? LIMIT 1').pluck(),
      conversationByRef: prepare('SELECT id, ref, user_id FROM conversations WHERE ref = ?'),
      insertUser: prepare('INSERT INTO users (ref, name, external_id) VALUES (?, ?, ?)'),
      insertIdentity: prepare('INSERT INTO email_identities (user_id, address, verified) VALUES (?, ?, ?)'),
      deleteIdentity: prepare('DELETE FROM email_identities WHERE id = ?'),
      releaseVerified: prepare('INSERT INTO verified_release (identity) VALUES (?)'),
      verifyIdentity: prepare('UPDATE email_identities SET verified = 1 WHERE id = ?'),
      setExternalId: prepare('UPDATE users SET external_id = ? WHERE id = ?'),
      setName: prepare('UPDATE users SET name = ? WHERE id = ?'),
      // A merge is this one update; the schema's users_merge_moves trigger moves what the user held.
      markMerged: prepare('UPDATE users SET merged_into = ?, external_id = NULL WHERE id = ?'),
      insertConversation: prepare('INSERT INTO conversations (ref, user_id, authenticated, typed_email) VALUES (?, ?, ?, ?)'),
      moveConversation: prepare('UPDATE conversations SET user_id = ? WHERE id = ?'),
      authenticateConversation: prepare('UPDATE conversations SET authenticated = 1 WHERE id = ?'),
      readSettings: prepare('SELECT email_identities, claim_verified FROM settings WHERE id = 1'),
      writeSettings: prepare('UPDATE settings SET email_identities = ?, claim_verified = ? WHERE id = 1'),
      loggedByRef: prepare('SELECT type, input FROM event_log WHERE ref = ?'),
      eventInRange: prepare('SELECT 1 FROM event_log WHERE ref >= ? AND ref < ? LIMIT 1').pluck(),
      logEvent: prepare('INSERT INTO event_log (ref, type, rule, outcome, user_id, flags, setting, input) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      loggedEvents: prepare('SELECT seq, ref, setting, input FROM event_log ORDER BY seq'),
      loggedResults: prepare(
        'SELECT l.seq, l.ref, l.setting, l.input, l.rule, l.outcome, l.flags, u.ref AS user FROM event_log l LEFT JOIN users u ON u.id = l.user_id ORDER BY l.seq',
      ),
      loggedType: prepare('SELECT type FROM event_log WHERE ref = ?').pluck(),
      // Users an event created are "new:<event ref>"; any other was given from outside the log (a BLOB ref is checked in code).
      unloggedUserRefs: prepare("SELECT ref FROM users WHERE typeof(ref) <> 'text' OR NOT (ref >= 'new:' AND ref < 'new;')").pluck(),
      readProfile: prepare('SELECT profile FROM store_meta WHERE id = 1').pluck(),
      countUsers: prepare('SELECT count(*) FROM users WHERE merged_into IS NULL').pluck(),
      countUsersWithoutVerified: prepare(
        `SELECT count(*) FROM users u WHERE u.merged_into IS NULL
           AND NOT EXISTS (SELECT 1 FROM email_identities e WHERE e.user_id = u.id AND e.verified = 1)`,
      ).pluck(),
      countUnverifiedIdentities: prepare('SELECT count(*) FROM email_identities WHERE verified = 0').pluck(),
      allUsers: prepare('SELECT id, ref, name, external_id, merged_into FROM users ORDER BY id'),
      allIdentities: prepare('SELECT user_id, address, normalised, verified FROM email_identities'),
      allConversations: prepare('SELECT id, ref, user_id, authenticated, typed_email FROM conversations ORDER BY id'),
      identitiesOfUser: prepare('SELECT user_id, address, normalised, verified FROM email_identities WHERE user_id = ?'),
      conversationRefsOfUser: prepare('SELECT ref FROM conversations WHERE user_id = ? ORDER BY id').pluck(),
      conversationById: prepare('SELECT id, ref, user_id, authenticated, typed_email FROM conversations WHERE id = ?'),
    };
  }

  static open(options: StoreOptions): Store {
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    const wanted = options.profile ?? DEFAULT_PROFILE;
    const created = wanted === 'stored' ? DEFAULT_PROFILE : wanted;
    const initialise = (db: Database.Database) => {
      const settings = options.settings;
      if (settings === undefined) throw new InvalidArgumentError('a new store needs its settings');
      db.exec(SCHEMA_SQL);
      db.prepare('INSERT INTO settings (id, email_identities, claim_verified) VALUES (1, ?, ?)').run(
        settings.emailIdentities,
        settings.unauthenticatedCanClaimVerified ? 1 : 0,
      );
      db.prepare('INSERT INTO store_meta (id, profile) VALUES (1, ?)').run(created);
    };
    if (options.path === undefined) {
      const db = new Database(':memory:');
      try {
        db.pragma('foreign_keys = ON');
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.transaction(() => {
          initialise(db);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
        })();
      } catch (error) {
        db.close();
        throw error;
      }
      return new Store(db, ':memory:', busyTimeoutMs);
    }
    const mode = options.mode ?? (options.settings === undefined ? 'read-write' : 'open-or-create');
    if ((mode === 'create' || mode === 'open-or-create') && options.settings === undefined) {
      throw new InvalidArgumentError('a new store needs its settings');
    }
    // Each statement waits up to a tenth of the budget for a lock; transactions retry up to all of it.
    const opened = openDatabase(options.path, { mode, busyTimeoutMs: Math.min(busyTimeoutMs, Math.max(100, busyTimeoutMs / 10)), busyBudgetMs: busyTimeoutMs, initialise });
    const store = new Store(opened.db, options.path, busyTimeoutMs);
    try {
      const profile = store.profile();
      if (wanted !== 'stored' && profile !== wanted) {
        throw new StoreRefusedError(
          'profile-mismatch',
          `${showPath(options.path)} was created under the "${profile}" reading; it cannot be opened under "${wanted}" (give --reading ${profile}, or leave --reading out)`,
        );
      }
    } catch (error) {
      store.close();
      throw environmentRefusal(error, `cannot read ${showPath(options.path)}`);
    }
    return store;
  }

  close(): void {
    closeDatabase(this.db);
  }

  /**
   * Runs `fn` in one transaction: it commits whole or not at all. The outermost transaction begins
   * IMMEDIATE (it takes the write lock before `fn` reads anything), so what `fn` decides from its reads
   * still holds when it writes. When another process holds the lock past the busy timeout, the whole
   * transaction, `fn` included, runs again, until `busyTimeoutMs` has passed (then StoreRefusedError
   * `busy`). Inside another transaction it is a savepoint. Errors from the environment (a full disk, a
   * read-only file) become StoreRefusedError; others (a constraint the policy broke) pass as they are.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return this.runner(fn) as T;
    try {
      return retryWhileBusy(() => this.runner.immediate(fn) as T, this.busyTimeoutMs);
    } catch (error) {
      throw environmentRefusal(error, `cannot write ${showPath(this.location)}`);
    }
  }

  /** Runs `fn` in one read transaction, so that it sees one state of the store (others may write meanwhile). */
  read<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    try {
      return this.runner.deferred(fn) as T;
    } catch (error) {
      throw environmentRefusal(error, `cannot read ${showPath(this.location)}`);
    }
  }

  // --- StoreReader -------------------------------------------------------------------------------

  userById(id: number): UserFacts | undefined {
    return toUser(this.sql.userById.get(id) as UserRow | undefined);
  }

  userByRef(ref: string): UserFacts | undefined {
    return toUser(this.sql.userByRef.get(encodeText(ref)) as UserRow | undefined);
  }

  userByExternalId(externalId: string): UserFacts | undefined {
    return toUser(this.sql.userByExternalId.get(encodeText(externalId)) as UserRow | undefined);
  }

  identityByNormalised(normalised: string): IdentityFacts | undefined {
    const row = this.sql.identityByNormalised.get(normalised) as IdentityRow | undefined;
    return row && { id: row.id, userId: row.user_id, address: row.address, verified: row.verified === 1 };
  }

  hasIdentities(userId: number): boolean {
    return this.sql.hasIdentities.get(userId) !== undefined;
  }

  conversationByRef(ref: string): ConversationFacts | undefined {
    const row = this.sql.conversationByRef.get(encodeText(ref)) as ConversationRow | undefined;
    return row && { id: row.id, ref: decodeText(row.ref), userId: row.user_id };
  }

  /** Whether an event whose ref begins with `prefix` (ending in ":") was logged: an index range scan. */
  hasEventWithPrefix(prefix: string): boolean {
    if (!prefix.endsWith(':')) throw new InvalidArgumentError('an event ref prefix ends with ":"');
    return this.sql.eventInRange.get(prefix, `${prefix.slice(0, -1)};`) !== undefined;
  }

  /** The logged input of event `ref`, or undefined when no event of that ref was applied to this store. */
  loggedInput(ref: string): EventInput | undefined {
    const row = this.sql.loggedByRef.get(encodeText(ref)) as { type: string; input: string } | undefined;
    return row && (JSON.parse(row.input) as EventInput);
  }

  /** The reading profile this store was created under. */
  profile(): ReadingProfile {
    return this.sql.readProfile.get() as ReadingProfile;
  }

  /** The accepted events, in the order they were applied, with their inputs (schema v2). */
  *loggedEvents(): IterableIterator<LoggedEvent> {
    for (const row of this.sql.loggedEvents.iterate() as IterableIterator<{ seq: number; ref: StoredText; setting: SettingId; input: string }>) {
      yield { seq: row.seq, ref: decodeText(row.ref), setting: row.setting, input: JSON.parse(row.input) as EventInput };
    }
  }

  *loggedResults(): IterableIterator<LoggedResult> {
    type Row = { seq: number; ref: StoredText; setting: SettingId; input: string; rule: RuleId; outcome: Outcome; flags: string; user: StoredText | null };
    for (const row of this.sql.loggedResults.iterate() as IterableIterator<Row>) {
      yield {
        seq: row.seq,
        ref: decodeText(row.ref),
        setting: row.setting,
        input: JSON.parse(row.input) as EventInput,
        result: { outcome: row.outcome, rule: row.rule, user: decodeNullableText(row.user), flags: row.flags === '' ? [] : (row.flags.split(',') as Flag[]) },
      };
    }
  }

  /** The type of the logged event `ref`, or undefined when no accepted event has that ref. */
  loggedType(ref: string): EventInput['type'] | undefined {
    return this.sql.loggedType.get(encodeText(ref)) as EventInput['type'] | undefined;
  }

  /**
   * Users that no logged event created (a scenario's starting users given to `replay --db`): the store's
   * history does not account for them, so it cannot be decided again from the empty store.
   */
  unloggedUsers(): string[] {
    return (this.sql.unloggedUserRefs.all() as StoredText[]).map(decodeText).filter((ref) => !ref.startsWith('new:'));
  }

  settings(): Settings {
    const row = this.sql.readSettings.get() as { email_identities: Settings['emailIdentities']; claim_verified: number };
    return { emailIdentities: row.email_identities, unauthenticatedCanClaimVerified: row.claim_verified === 1 };
  }

  // --- Writes ------------------------------------------------------------------------------------

  /** Inserts a user and its identities as given (starting users; not logged: see unloggedUsers). Call inside a transaction. */
  insertUser(user: StartingUser): number {
    const id = Number(this.sql.insertUser.run(encodeText(user.ref), encodeNullableText(user.name), encodeNullableText(user.externalId)).lastInsertRowid);
    for (const email of user.emails ?? []) this.insertIdentity(id, email.address, email.verified);
    return id;
  }

  insertIdentity(userId: number, address: string, verified: boolean): void {
    this.sql.insertIdentity.run(userId, address, verified ? 1 : 0);
  }

  /**
   * Applies a decision of event `eventRef` (inside the caller's transaction) and logs it with its input
   * and `setting`, the setting in force when it was decided (for a switch, the one it replaces). A rejected decision writes nothing at all. Returns the ref of the user the
   * result names, or null.
   */
  apply(eventRef: string, input: EventInput, setting: SettingId, decision: Decision): string | null {
    if (decision.rejection !== undefined) return null;
    let created: number | null = null;
    const idOf = (handle: UserHandle): number => {
      if (handle !== 'new') return handle;
      if (created === null) throw new Error(`decision of ${eventRef} uses the new user before creating it`);
      return created;
    };
    for (const effect of decision.effects) {
      if (effect.op === 'create-user') {
        created = this.applyCreateUser(eventRef, effect);
      } else {
        this.applyEffect(eventRef, effect, idOf);
      }
    }
    const userId = decision.user === null ? null : idOf(decision.user);
    this.sql.logEvent.run(encodeText(eventRef), input.type, decision.rule, decision.outcome, userId, decision.flags.join(','), setting, JSON.stringify(input));
    if (userId === null) return null;
    return decision.user === 'new' ? `new:${eventRef}` : decodeText((this.sql.userById.get(userId) as UserRow).ref);
  }

  private applyCreateUser(eventRef: string, effect: Extract<Effect, { op: 'create-user' }>): number {
    return Number(
      this.sql.insertUser.run(encodeText(`new:${eventRef}`), encodeNullableText(effect.name), encodeNullableText(effect.externalId)).lastInsertRowid,
    );
  }

  private applyEffect(eventRef: string, effect: Exclude<Effect, { op: 'create-user' }>, idOf: (handle: UserHandle) => number): void {
    const sql = this.sql;
    switch (effect.op) {
      case 'add-identity':
        sql.insertIdentity.run(idOf(effect.user), effect.address, effect.verified ? 1 : 0);
        return;
      case 'remove-identity':
        sql.deleteIdentity.run(effect.identity);
        return;
      case 'remove-verified-identity':
        // Refused by the schema unless the store was created under the seed reading; the deletion consumes the release.
        sql.releaseVerified.run(effect.identity);
        sql.deleteIdentity.run(effect.identity);
        return;
      case 'verify-identity':
        sql.verifyIdentity.run(effect.identity);
        return;
      case 'set-external-id':
        sql.setExternalId.run(encodeText(effect.externalId), idOf(effect.user));
        return;
      case 'set-name':
        sql.setName.run(encodeText(effect.name), idOf(effect.user));
        return;
      case 'merge-user':
        // One update; the schema moves the user's conversations, identities and external id along, and
        // refuses a merge between two external-id holders whatever the policy decided.
        sql.markMerged.run(idOf(effect.into), effect.from);
        return;
      case 'open-conversation':
        sql.insertConversation.run(encodeText(eventRef), idOf(effect.user), effect.authenticated ? 1 : 0, encodeNullableText(effect.typedEmail));
        return;
      case 'move-conversation':
        sql.moveConversation.run(idOf(effect.user), effect.conversation);
        return;
      case 'authenticate-conversation':
        sql.authenticateConversation.run(effect.conversation);
        return;
      case 'set-settings':
        sql.writeSettings.run(effect.settings.emailIdentities, effect.settings.unauthenticatedCanClaimVerified ? 1 : 0);
        return;
    }
  }

  // --- Reading the whole store -------------------------------------------------------------------

  /** Users, identities and conversations in the order and shape of the replay result. */
  snapshot(): Snapshot {
    return this.read(() => this.readSnapshot());
  }

  private readSnapshot(): Snapshot {
    const userRows = this.sql.allUsers.all() as UserRow[];
    const refById = new Map<number, string>();
    for (const row of userRows) refById.set(row.id, decodeText(row.ref));
    const emailsById = new Map<number, IdentityRow[]>();
    for (const row of this.sql.allIdentities.all() as IdentityRow[]) {
      const list = emailsById.get(row.user_id) ?? [];
      list.push(row);
      emailsById.set(row.user_id, list);
    }
    const conversationsById = new Map<number, string[]>();
    const conversations: ConversationRecord[] = [];
    for (const row of this.sql.allConversations.all() as ConversationListRow[]) {
      const record = toConversationRecord(row, refById.get(row.user_id) as string);
      const list = conversationsById.get(row.user_id) ?? [];
      list.push(record.ref);
      conversationsById.set(row.user_id, list);
      conversations.push(record);
    }
    const users = userRows.map((row) =>
      toUserRecord(row, emailsById.get(row.id) ?? [], conversationsById.get(row.id) ?? [], row.merged_into === null ? undefined : (refById.get(row.merged_into) as string)),
    );
    return { users, conversations };
  }

  /**
   * One user as `snapshot()` lists it (undefined when no user has this id): for readers that keep an
   * image of the store up to date from `changeFeed()` instead of reading it whole after every event.
   */
  userRecord(id: number): UserRecord | undefined {
    const row = this.sql.userById.get(id) as UserRow | undefined;
    if (row === undefined) return undefined;
    const identities = this.sql.identitiesOfUser.all(id) as IdentityRow[];
    const conversations = (this.sql.conversationRefsOfUser.all(id) as StoredText[]).map(decodeText);
    const target = row.merged_into === null ? undefined : (this.sql.userById.get(row.merged_into) as UserRow | undefined);
    return toUserRecord(row, identities, conversations, target === undefined ? undefined : decodeText(target.ref));
  }

  /** One conversation as `snapshot()` lists it (undefined when no conversation has this id). */
  conversationRecord(id: number): ConversationRecord | undefined {
    const row = this.sql.conversationById.get(id) as ConversationListRow | undefined;
    if (row === undefined) return undefined;
    const owner = this.sql.userById.get(row.user_id) as UserRow | undefined;
    return toConversationRecord(row, owner === undefined ? (undefined as unknown as string) : decodeText(owner.ref));
  }

  /**
   * A feed of what changed, for a reader that keeps an image of the store up to date: temporary
   * triggers (in the connection's temp schema: never in the store file nor in `dump()`) record the id of
   * every user whose record may have changed (its row, or an identity or conversation it holds or held)
   * and of every conversation changed. `take()` gives the ids recorded since the previous call, each
   * once (and forgets them). Changes rolled back are forgotten with them: take the feed inside a
   * savepoint, and after rolling it back the feed is as it was before.
   */
  changeFeed(): ChangeFeed {
    this.db.exec(CHANGE_FEED_SQL);
    const changed = this.db.prepare('SELECT kind, id FROM temp.idmatrix_changes').raw();
    const forget = this.db.prepare('DELETE FROM temp.idmatrix_changes');
    return {
      take: () => {
        const rows = changed.all() as [number, number][];
        if (rows.length === 0) return { users: [], conversations: [] };
        forget.run();
        const users = new Set<number>();
        const conversations = new Set<number>();
        for (const [kind, id] of rows) (kind === 0 ? users : conversations).add(id);
        return { users: [...users], conversations: [...conversations] };
      },
    };
  }

  /** The row ids of the users and of the conversations, in the order `snapshot()` lists them. */
  rowIds(): { users: number[]; conversations: number[] } {
    return {
      users: this.db.prepare('SELECT id FROM users ORDER BY id').pluck().all() as number[],
      conversations: this.db.prepare('SELECT id FROM conversations ORDER BY id').pluck().all() as number[],
    };
  }

  counts(): IdentityCounts {
    return this.read(() => ({
      usersWithoutVerifiedIdentity: this.sql.countUsersWithoutVerified.get() as number,
      unverifiedIdentities: this.sql.countUnverifiedIdentities.get() as number,
      users: this.sql.countUsers.get() as number,
    }));
  }

  /** The database image, byte for byte: what INV-REJECT-WRITES-NOTHING compares. */
  dump(): Buffer {
    return this.db.serialize();
  }
}

interface ConversationListRow extends ConversationRow {
  authenticated: number;
  typed_email: StoredText | null;
}

export interface ChangeFeed {
  /** Ids of the users and conversations changed since the previous call. */
  take(): { readonly users: number[]; readonly conversations: number[] };
}

/** The change feed's temporary table and triggers (created once per connection). */
const CHANGE_FEED_SQL = `
CREATE TEMP TABLE IF NOT EXISTS idmatrix_changes (kind INTEGER NOT NULL, id INTEGER NOT NULL);
CREATE TEMP TRIGGER IF NOT EXISTS idmatrix_users_insert AFTER INSERT ON main.users
BEGIN INSERT INTO idmatrix_changes (kind, id) VALUES (0, NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS idmatrix_users_update AFTER UPDATE ON main.users
BEGIN INSERT INTO idmatrix_changes (kind, id) VALUES (0, OLD.id), (0, NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS idmatrix_users_delete AFTER DELETE ON main.users
BEGIN INSERT INTO idmatrix_changes (kind, id) VALUES (0, OLD.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS idmatrix_identities_insert AFTER INSERT ON main.email_identities
BEGIN INSERT INTO idmatrix_changes (kind, id) VALUES (0, NEW.user_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS idmatrix_identities_update AFTER UPDATE ON main.email_identities
BEGIN INSERT INTO idmatrix_changes (kind, id) VALUES (0, OLD.user_id), (0, NEW.user_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS idmatrix_identities_delete AFTER DELETE ON main.email_identities
BEGIN INSERT INTO idmatrix_changes (kind, id) VALUES (0, OLD.user_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS idmatrix_conversations_insert AFTER INSERT ON main.conversations
BEGIN INSERT INTO idmatrix_changes (kind, id) VALUES (1, NEW.id), (0, NEW.user_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS idmatrix_conversations_update AFTER UPDATE ON main.conversations
BEGIN INSERT INTO idmatrix_changes (kind, id) VALUES (1, OLD.id), (1, NEW.id), (0, OLD.user_id), (0, NEW.user_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS idmatrix_conversations_delete AFTER DELETE ON main.conversations
BEGIN INSERT INTO idmatrix_changes (kind, id) VALUES (1, OLD.id), (0, OLD.user_id); END;
`;

/** A user row, its identity rows and conversation refs as the replay result lists the user. */
function toUserRecord(row: UserRow, identities: readonly IdentityRow[], conversations: string[], mergedInto: string | undefined): UserRecord {
  const emails = identities
    .slice()
    // code-unit order of the normalised address (SQLite would order UTF-8 bytes, which differs above U+FFFF)
    .sort((a, b) => (a.normalised < b.normalised ? -1 : a.normalised > b.normalised ? 1 : 0))
    .map((identity): EmailEntry => ({ address: identity.address, verified: identity.verified === 1 }));
  const user: UserRecord = {
    ref: decodeText(row.ref),
    externalId: decodeNullableText(row.external_id),
    name: decodeNullableText(row.name),
    emails,
    conversations,
  };
  return row.merged_into === null ? user : { ...user, mergedInto };
}

function toConversationRecord(row: ConversationListRow, owner: string): ConversationRecord {
  return { ref: decodeText(row.ref), user: owner, authenticated: row.authenticated === 1, typedEmail: decodeNullableText(row.typed_email) };
}

const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

function toUser(row: UserRow | undefined): UserFacts | undefined {
  return row && { id: row.id, ref: decodeText(row.ref), name: decodeNullableText(row.name), externalId: decodeNullableText(row.external_id), mergedInto: row.merged_into };
}
