/**
 * The SQLite schema. The database itself holds the invariants that must never break, whatever the
 * policy decides: one owner per normalised address (a UNIQUE index on a column SQLite computes from
 * the address with its ASCII-only lower() and a U+0020-only trim(), the normalisation of
 * `inputs.md`), one user per external id, every conversation on an existing user, no identity on a
 * merged user, a verified identity kept verified and moved only by a merge, a valid settings
 * combination, and an append-only event log.
 *
 * Columns typed ANY hold text through `text.ts` (TEXT, or a UTF-16 BLOB for a string with a lone
 * surrogate).
 */
export const SCHEMA_VERSION = 3;

/*
 * Version 2: the store records the reading profile it was created under (store_meta), and the event log
 * records each accepted event's input and the setting in force, so that a store's history can be
 * decided again. Version 3 (this one): the one relaxation of the seed reading (verified_release below).
 * Stores of other versions are refused (see Store.open).
 */

export const SCHEMA_SQL = `
CREATE TABLE settings (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  email_identities TEXT    NOT NULL CHECK (email_identities IN ('verified-only', 'verified-and-unverified')),
  claim_verified   INTEGER NOT NULL CHECK (claim_verified IN (0, 1)),
  CHECK (NOT (email_identities = 'verified-only' AND claim_verified = 1))
) STRICT;

CREATE TABLE store_meta (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  profile TEXT    NOT NULL CHECK (profile IN ('reference', 'seed', 'doc'))
) STRICT;

CREATE TRIGGER store_meta_fixed BEFORE UPDATE ON store_meta
BEGIN SELECT RAISE(ABORT, 'a store keeps the reading profile it was created under'); END;

CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  ref         ANY     NOT NULL UNIQUE,
  name        ANY,
  external_id ANY     UNIQUE CHECK (external_id IS NULL OR length(external_id) > 0),
  merged_into INTEGER REFERENCES users (id),
  CHECK (merged_into IS NULL OR (external_id IS NULL AND merged_into <> id))
) STRICT;

CREATE TABLE email_identities (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  address    TEXT    NOT NULL,
  normalised TEXT    NOT NULL GENERATED ALWAYS AS (lower(trim(address, ' '))) STORED,
  verified   INTEGER NOT NULL CHECK (verified IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX email_identities_one_owner ON email_identities (normalised);
CREATE INDEX email_identities_by_user ON email_identities (user_id);

CREATE TRIGGER email_identities_not_on_merged_insert
BEFORE INSERT ON email_identities
WHEN (SELECT merged_into FROM users WHERE id = NEW.user_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a merged user holds no email identity'); END;

CREATE TRIGGER email_identities_not_on_merged_update
BEFORE UPDATE OF user_id ON email_identities
WHEN (SELECT merged_into FROM users WHERE id = NEW.user_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a merged user holds no email identity'); END;

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
BEGIN SELECT RAISE(ABORT, 'only a store of the seed reading releases a verified identity, and only a verified one'); END;

CREATE TRIGGER email_identities_verified_not_removed
BEFORE DELETE ON email_identities
WHEN OLD.verified = 1 AND NOT EXISTS (SELECT 1 FROM verified_release WHERE identity = OLD.id)
BEGIN SELECT RAISE(ABORT, 'a verified identity is never removed'); END;

CREATE TRIGGER email_identities_release_consumed
AFTER DELETE ON email_identities
BEGIN DELETE FROM verified_release WHERE identity = OLD.id; END;

CREATE TRIGGER email_identities_verified_moves_only_by_merge
BEFORE UPDATE OF user_id ON email_identities
WHEN OLD.verified = 1 AND (SELECT merged_into FROM users WHERE id = OLD.user_id) IS NULL
BEGIN SELECT RAISE(ABORT, 'a verified identity changes owner only through a merge'); END;

CREATE TRIGGER email_identities_stay_verified
BEFORE UPDATE OF verified ON email_identities
WHEN OLD.verified = 1 AND NEW.verified = 0
BEGIN SELECT RAISE(ABORT, 'a verified identity never becomes unverified'); END;

CREATE TABLE conversations (
  id            INTEGER PRIMARY KEY,
  ref           ANY     NOT NULL UNIQUE,
  user_id       INTEGER NOT NULL REFERENCES users (id),
  authenticated INTEGER NOT NULL CHECK (authenticated IN (0, 1)),
  typed_email   ANY
) STRICT;
CREATE INDEX conversations_by_user ON conversations (user_id);

CREATE TRIGGER conversations_not_on_merged_insert
BEFORE INSERT ON conversations
WHEN (SELECT merged_into FROM users WHERE id = NEW.user_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a merged user holds no conversation'); END;

CREATE TRIGGER conversations_not_on_merged_update
BEFORE UPDATE OF user_id ON conversations
WHEN (SELECT merged_into FROM users WHERE id = NEW.user_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a merged user holds no conversation'); END;

CREATE TABLE event_log (
  seq      INTEGER PRIMARY KEY,
  ref      ANY     NOT NULL UNIQUE,
  type     TEXT    NOT NULL,
  rule     TEXT    NOT NULL,
  outcome  TEXT    NOT NULL,
  user_id  INTEGER REFERENCES users (id),
  flags    TEXT    NOT NULL,
  setting  TEXT    NOT NULL CHECK (setting IN ('verified-only', 'verified-and-unverified', 'claim-verified')),
  input    TEXT    NOT NULL CHECK (json_valid(input) AND json_type(input) = 'object')
) STRICT;

CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER event_log_no_delete BEFORE DELETE ON event_log
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
`;
