/**
 * The SQLite schema. The database itself holds the invariants that must never break, whatever the
 * policy decides and whoever writes to the file (another SQLite tool, a connection without
 * `foreign_keys`, `INSERT OR REPLACE`): one owner per normalised address (a UNIQUE index on a column
 * SQLite computes from the address with its ASCII-only lower() and a U+0020-only trim(), the
 * normalisation of `inputs.md`), one user per external id, every conversation on an existing user,
 * nothing held by a merged user, a verified identity kept verified and moved only by a merge, no merge
 * between two external-id holders and no merge cycle, a valid settings combination, an append-only
 * event log, and a reading profile fixed at creation.
 *
 * Why triggers as well as constraints: a REPLACE conflict resolution deletes the conflicting row
 * without running the delete triggers (unless `recursive_triggers` is on, which a foreign connection
 * need not set), so every table whose rows must never disappear refuses the conflict itself in a
 * BEFORE INSERT trigger (a RAISE(ABORT) wins over any conflict clause), and refuses updates of the
 * columns a REPLACE could collide on. Foreign keys are also checked by triggers, since a connection
 * may run with `foreign_keys` off.
 *
 * Columns typed ANY hold text through `text.ts`: TEXT, or a UTF-16LE BLOB for a string with a lone
 * surrogate. A BLOB that is not exactly that (odd length, or the UTF-16 of a well-formed string, which
 * would read back equal to some TEXT value) is refused, and so is any other storage class (an integer
 * external id).
 *
 * Reading profiles (`flows.md`): under `seed` a sign-in in the AUTH-ADOPT / AUTH-CONFLICT situation
 * takes a verified address from its holder. That is the one guarantee relaxed, and only in a store
 * created under `seed` (store_meta), one identity at a time: a verified identity the store released
 * first (verified_release) may be deleted. Everything else holds in every profile.
 */
export const SCHEMA_VERSION = 4;

/** `PRAGMA application_id` of every idmatrix store ("idMx"): how a store file is told from other SQLite files. */
export const APPLICATION_ID = 0x69644d78;

/*
 * Version 2: the store records the reading profile it was created under (store_meta), and the event log
 * records each accepted event's input and the setting in force, so that a store's history can be
 * decided again. Version 3: the one relaxation of the seed reading (verified_release below). Version 4
 * (this one): the schema defends itself against writes around the policy (REPLACE, respelling, merges
 * left half done, BLOB/TEXT collisions), a merge is one update, and the file carries idmatrix's
 * application id. Stores of other versions are refused (see open.ts).
 */

/** A raise with a message naming what was refused. */
function raise(message: string): string {
  return `SELECT RAISE(ABORT, '${message.replace(/'/g, "''")}')`;
}

/**
 * True when the BLOB `x` is the UTF-16LE encoding of a string with a lone surrogate: an even, non-zero
 * number of bytes, and some code unit that is a high surrogate not followed by a low one, or a low
 * surrogate not preceded by a high one. Code unit i has its high byte at 1-based position 2i + 2.
 */
function isLoneSurrogateUtf16(x: string): string {
  const high = (i: string) => `substr(${x}, 2 * (${i}) + 2, 1) BETWEEN x'D8' AND x'DB'`;
  const low = (i: string) => `substr(${x}, 2 * (${i}) + 2, 1) BETWEEN x'DC' AND x'DF'`;
  const units = `(length(${x}) / 2)`;
  return (
    `(length(${x}) > 0 AND length(${x}) % 2 = 0 AND EXISTS (` +
    `WITH RECURSIVE unit(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM unit WHERE i + 1 < ${units}) ` +
    `SELECT 1 FROM unit WHERE (${high('i')} AND (i + 1 >= ${units} OR NOT (${low('i + 1')}))) ` +
    `OR (${low('i')} AND (i = 0 OR NOT (${high('i - 1')})))))`
  );
}

function blobMessage(table: string, column: string): string {
  return `${table}.${column}: a BLOB holds only text with a lone surrogate, as UTF-16LE`;
}

/** CASE arms (for a table's one insert trigger) refusing a BLOB in `column` that is not the canonical form of a string with a lone surrogate. */
function canonicalTextArms(table: string, ...columns: string[]): string {
  return columns
    .map((column) => `\n    WHEN typeof(NEW.${column}) = 'blob' AND NOT ${isLoneSurrogateUtf16(`NEW.${column}`)} THEN RAISE(ABORT, '${blobMessage(table, column)}')`)
    .join('');
}

/** The trigger refusing such a BLOB when `table.column` is updated. */
function canonicalTextOnUpdate(table: string, column: string): string {
  return `
CREATE TRIGGER ${table}_${column}_text BEFORE UPDATE OF ${column} ON ${table}
WHEN typeof(NEW.${column}) = 'blob' AND NOT ${isLoneSurrogateUtf16(`NEW.${column}`)}
BEGIN ${raise(blobMessage(table, column))}; END;`;
}

/** ANY columns holding text: TEXT or BLOB (NULL where `nullable`), nothing else. */
const textOrBlob = (column: string) => `typeof(${column}) IN ('text', 'blob')`;

export const SCHEMA_SQL = `
CREATE TABLE store_meta (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  profile TEXT    NOT NULL CHECK (profile IN ('reference', 'seed', 'doc'))
) STRICT;

CREATE TRIGGER store_meta_once BEFORE INSERT ON store_meta WHEN EXISTS (SELECT 1 FROM store_meta)
BEGIN ${raise('a store keeps the reading profile it was created under')}; END;
CREATE TRIGGER store_meta_fixed BEFORE UPDATE ON store_meta
BEGIN ${raise('a store keeps the reading profile it was created under')}; END;
CREATE TRIGGER store_meta_kept BEFORE DELETE ON store_meta
BEGIN ${raise('a store keeps the reading profile it was created under')}; END;

CREATE TABLE settings (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  email_identities TEXT    NOT NULL CHECK (email_identities IN ('verified-only', 'verified-and-unverified')),
  claim_verified   INTEGER NOT NULL CHECK (claim_verified IN (0, 1)),
  CHECK (NOT (email_identities = 'verified-only' AND claim_verified = 1))
) STRICT;

CREATE TRIGGER settings_once BEFORE INSERT ON settings WHEN EXISTS (SELECT 1 FROM settings)
BEGIN ${raise('a store has one settings row, changed in place')}; END;
CREATE TRIGGER settings_kept BEFORE DELETE ON settings
BEGIN ${raise('a store has one settings row, changed in place')}; END;

CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  ref         ANY     NOT NULL UNIQUE CHECK (${textOrBlob('ref')}),
  name        ANY     CHECK (name IS NULL OR ${textOrBlob('name')}),
  external_id ANY     UNIQUE CHECK (external_id IS NULL OR (${textOrBlob('external_id')} AND length(external_id) > 0)),
  -- No REFERENCES clause: with one, every insert into users would scan users for children (a statement
  -- with triggers may write several rows); the merge trigger checks the target exists instead.
  merged_into INTEGER,
  CHECK (merged_into IS NULL OR (external_id IS NULL AND merged_into <> id))
) STRICT;

-- Each insert trigger is one statement (a CASE of RAISEs): the checks cost index lookups, not statements.
CREATE TRIGGER users_insert BEFORE INSERT ON users
BEGIN
  SELECT CASE
    WHEN NEW.merged_into IS NOT NULL THEN RAISE(ABORT, 'a user is created not merged')
    WHEN EXISTS (SELECT 1 FROM users WHERE id = NEW.id) THEN RAISE(ABORT, 'users: the id is taken (a user is never replaced)')
    WHEN EXISTS (SELECT 1 FROM users WHERE ref = NEW.ref) THEN RAISE(ABORT, 'users: the ref is taken (a user is never replaced)')
    WHEN NEW.external_id IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE external_id = NEW.external_id) THEN RAISE(ABORT, 'users: the external id is held by another user')${canonicalTextArms('users', 'ref', 'name', 'external_id')}
  END;
END;

CREATE TRIGGER users_kept BEFORE DELETE ON users
BEGIN ${raise('a user is never deleted (a merged user stays listed)')}; END;

CREATE TRIGGER users_fixed BEFORE UPDATE OF id, ref ON users
WHEN NEW.id IS NOT OLD.id OR NEW.ref IS NOT OLD.ref
BEGIN ${raise('a user keeps its id and ref')}; END;

CREATE TRIGGER users_external_id BEFORE UPDATE OF external_id ON users
BEGIN
  SELECT RAISE(ABORT, 'an external id is never changed or removed (only a merge moves it)')
  WHERE OLD.external_id IS NOT NULL AND NEW.external_id IS NOT OLD.external_id
    AND NOT (OLD.merged_into IS NULL AND NEW.merged_into IS NOT NULL AND NEW.external_id IS NULL);
  SELECT RAISE(ABORT, 'users: the external id is held by another user')
  WHERE NEW.external_id IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE external_id = NEW.external_id AND id <> NEW.id);
END;

-- A merge is one update: merged_into is set (and the external id cleared) on the user merged away;
-- the trigger after it moves everything that user held. A user is merged once, into a user that exists
-- and is not merged itself (so merges never form a cycle), and never when both have an external id.
CREATE TRIGGER users_merge BEFORE UPDATE OF merged_into ON users
WHEN NEW.merged_into IS NOT OLD.merged_into
BEGIN
  SELECT RAISE(ABORT, 'a merged user stays merged into the same user') WHERE OLD.merged_into IS NOT NULL;
  SELECT RAISE(ABORT, 'a merge target is an existing user')
  WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.merged_into);
  SELECT RAISE(ABORT, 'a merge target is a user not merged away')
  WHERE (SELECT merged_into FROM users WHERE id = NEW.merged_into) IS NOT NULL;
  SELECT RAISE(ABORT, 'two users that both have an external id are never merged')
  WHERE OLD.external_id IS NOT NULL AND (SELECT external_id FROM users WHERE id = NEW.merged_into) IS NOT NULL;
END;

CREATE TRIGGER users_merge_moves AFTER UPDATE OF merged_into ON users
WHEN OLD.merged_into IS NULL AND NEW.merged_into IS NOT NULL
BEGIN
  UPDATE users SET external_id = OLD.external_id WHERE id = NEW.merged_into AND OLD.external_id IS NOT NULL;
  UPDATE conversations SET user_id = NEW.merged_into WHERE user_id = NEW.id;
  UPDATE email_identities SET user_id = NEW.merged_into WHERE user_id = NEW.id;
END;
${canonicalTextOnUpdate('users', 'name')}${canonicalTextOnUpdate('users', 'external_id')}

CREATE TABLE email_identities (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  address    TEXT    NOT NULL,
  normalised TEXT    NOT NULL GENERATED ALWAYS AS (lower(trim(address, ' '))) STORED,
  verified   INTEGER NOT NULL CHECK (verified IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX email_identities_one_owner ON email_identities (normalised);
CREATE INDEX email_identities_by_user ON email_identities (user_id);

CREATE TRIGGER email_identities_insert BEFORE INSERT ON email_identities
BEGIN
  SELECT CASE
    WHEN owner.merged IS NULL THEN RAISE(ABORT, 'an email identity belongs to an existing user')
    WHEN owner.merged THEN RAISE(ABORT, 'a merged user holds no email identity')
    WHEN EXISTS (SELECT 1 FROM email_identities WHERE id = NEW.id) THEN RAISE(ABORT, 'email_identities: the id is taken (an identity is never replaced)')
    WHEN EXISTS (SELECT 1 FROM email_identities WHERE normalised = lower(trim(NEW.address, ' '))) THEN RAISE(ABORT, 'an address has one owner: it is held already (INV-ONE-OWNER)')
  END
  FROM (SELECT (SELECT merged_into IS NOT NULL FROM users WHERE id = NEW.user_id) AS merged) AS owner;
END;

CREATE TRIGGER email_identities_fixed BEFORE UPDATE OF id, address ON email_identities
WHEN NEW.id IS NOT OLD.id OR NEW.address IS NOT OLD.address
BEGIN ${raise('an email identity keeps its id and its spelling')}; END;

CREATE TRIGGER email_identities_owner BEFORE UPDATE OF user_id ON email_identities
WHEN NEW.user_id IS NOT OLD.user_id
BEGIN
  SELECT CASE
    WHEN owner.merged IS NULL THEN RAISE(ABORT, 'an email identity belongs to an existing user')
    WHEN owner.merged THEN RAISE(ABORT, 'a merged user holds no email identity')
  END
  FROM (SELECT (SELECT merged_into IS NOT NULL FROM users WHERE id = NEW.user_id) AS merged) AS owner;
END;

-- INV-VERIFIED-STAYS: a verified identity is never removed nor un-verified, and changes owner only
-- when its user is merged away (the merge marks the user first, then moves what it holds).
-- The one exception is the seed reading's sign-in (flows.md, "Other readings"), which takes a verified
-- address from its holder: in a store created under the seed profile, and for one identity at a time,
-- the store first releases that identity here, and the deletion consumes the release.
CREATE TABLE verified_release (
  identity INTEGER PRIMARY KEY REFERENCES email_identities (id)
) STRICT;

CREATE TRIGGER verified_release_only_under_seed
BEFORE INSERT ON verified_release
WHEN (SELECT profile FROM store_meta WHERE id = 1) IS NOT 'seed'
  OR (SELECT verified FROM email_identities WHERE id = NEW.identity) IS NOT 1
BEGIN ${raise('only a store of the seed reading releases a verified identity, and only a verified one')}; END;

CREATE TRIGGER email_identities_verified_not_removed
BEFORE DELETE ON email_identities
WHEN OLD.verified = 1 AND NOT EXISTS (SELECT 1 FROM verified_release WHERE identity = OLD.id)
BEGIN ${raise('a verified identity is never removed')}; END;

CREATE TRIGGER email_identities_release_consumed
AFTER DELETE ON email_identities
BEGIN DELETE FROM verified_release WHERE identity = OLD.id; END;

CREATE TRIGGER email_identities_verified_moves_only_by_merge
BEFORE UPDATE OF user_id ON email_identities
WHEN OLD.verified = 1 AND NEW.user_id IS NOT OLD.user_id AND (SELECT merged_into FROM users WHERE id = OLD.user_id) IS NULL
BEGIN ${raise('a verified identity changes owner only through a merge')}; END;

CREATE TRIGGER email_identities_stay_verified
BEFORE UPDATE OF verified ON email_identities
WHEN OLD.verified = 1 AND NEW.verified IS NOT 1
BEGIN ${raise('a verified identity never becomes unverified')}; END;

CREATE TABLE conversations (
  id            INTEGER PRIMARY KEY,
  ref           ANY     NOT NULL UNIQUE CHECK (${textOrBlob('ref')}),
  user_id       INTEGER NOT NULL REFERENCES users (id),
  authenticated INTEGER NOT NULL CHECK (authenticated IN (0, 1)),
  typed_email   ANY     CHECK (typed_email IS NULL OR ${textOrBlob('typed_email')})
) STRICT;
CREATE INDEX conversations_by_user ON conversations (user_id);

CREATE TRIGGER conversations_insert BEFORE INSERT ON conversations
BEGIN
  SELECT CASE
    WHEN owner.merged IS NULL THEN RAISE(ABORT, 'a conversation belongs to an existing user')
    WHEN owner.merged THEN RAISE(ABORT, 'a merged user holds no conversation')
    WHEN EXISTS (SELECT 1 FROM conversations WHERE id = NEW.id) THEN RAISE(ABORT, 'conversations: the id is taken (a conversation is never replaced)')
    WHEN EXISTS (SELECT 1 FROM conversations WHERE ref = NEW.ref) THEN RAISE(ABORT, 'conversations: the ref is taken (a conversation is never replaced)')${canonicalTextArms('conversations', 'ref', 'typed_email')}
  END
  FROM (SELECT (SELECT merged_into IS NOT NULL FROM users WHERE id = NEW.user_id) AS merged) AS owner;
END;

CREATE TRIGGER conversations_kept BEFORE DELETE ON conversations
BEGIN ${raise('a conversation is never removed')}; END;

CREATE TRIGGER conversations_fixed BEFORE UPDATE OF id, ref, typed_email ON conversations
WHEN NEW.id IS NOT OLD.id OR NEW.ref IS NOT OLD.ref OR NEW.typed_email IS NOT OLD.typed_email
BEGIN ${raise('a conversation keeps its id, ref and typed email')}; END;

CREATE TRIGGER conversations_stay_authenticated BEFORE UPDATE OF authenticated ON conversations
WHEN OLD.authenticated = 1 AND NEW.authenticated IS NOT 1
BEGIN ${raise('an authenticated conversation stays authenticated')}; END;

CREATE TRIGGER conversations_owner BEFORE UPDATE OF user_id ON conversations
WHEN NEW.user_id IS NOT OLD.user_id
BEGIN
  SELECT CASE
    WHEN owner.merged IS NULL THEN RAISE(ABORT, 'a conversation belongs to an existing user')
    WHEN owner.merged THEN RAISE(ABORT, 'a merged user holds no conversation')
  END
  FROM (SELECT (SELECT merged_into IS NOT NULL FROM users WHERE id = NEW.user_id) AS merged) AS owner;
END;


-- The event log: each accepted event once, with its input (schema v2) and the setting in force when it
-- was decided, so that a store's history can be decided again.
CREATE TABLE event_log (
  seq      INTEGER PRIMARY KEY,
  ref      ANY     NOT NULL UNIQUE CHECK (${textOrBlob('ref')}),
  type     TEXT    NOT NULL CHECK (type IN ('visitor', 'signed-in', 'login', 'merge', 'settings', 'import')),
  rule     TEXT    NOT NULL,
  outcome  TEXT    NOT NULL,
  -- No REFERENCES clause, for the same reason as users.merged_into: checked by event_log_insert.
  user_id  INTEGER,
  flags    TEXT    NOT NULL,
  setting  TEXT    NOT NULL CHECK (setting IN ('verified-only', 'verified-and-unverified', 'claim-verified')),
  input    TEXT    NOT NULL CHECK (json_valid(input) AND json_type(input) = 'object' AND json_extract(input, '$.type') = type)
) STRICT;

CREATE TRIGGER event_log_insert BEFORE INSERT ON event_log
BEGIN
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM event_log WHERE seq = NEW.seq) THEN RAISE(ABORT, 'the event log is append-only: the seq is taken')
    WHEN EXISTS (SELECT 1 FROM event_log WHERE ref = NEW.ref) THEN RAISE(ABORT, 'the event log is append-only: the event ref is logged already')
    WHEN NEW.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id) THEN RAISE(ABORT, 'a logged event names an existing user')${canonicalTextArms('event_log', 'ref')}
  END;
END;
CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log
BEGIN ${raise('the event log is append-only')}; END;
CREATE TRIGGER event_log_no_delete BEFORE DELETE ON event_log
BEGIN ${raise('the event log is append-only')}; END;
`;
