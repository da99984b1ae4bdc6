import type { Database } from 'better-sqlite3';

/**
 * A mark of what a connection has written, for INV-REJECT-WRITES-NOTHING: SQLite's `total_changes()`
 * (every row an INSERT, UPDATE or DELETE changed since the connection opened, those of triggers
 * included), the schema cookie (any CREATE, DROP or ALTER) and the header's `user_version` and
 * `application_id` (the PRAGMAs that write). When the mark is the same after an event as before it,
 * the event changed no row, no schema and no header field, so the database image is the same; only
 * when the mark moved must the images be compared byte for byte (a `dump()` costs about half a
 * millisecond even for a small store). The engine runs nothing else that writes after its store is
 * open (no VACUUM, REINDEX or ANALYZE).
 */
export function writeCounter(db: Database): () => string {
  // Four plucked statements: about 2 µs in all, ten times less than one query over the pragma functions.
  const changes = db.prepare('SELECT total_changes()').pluck();
  const schema = db.prepare('PRAGMA schema_version').pluck();
  const user = db.prepare('PRAGMA user_version').pluck();
  const application = db.prepare('PRAGMA application_id').pluck();
  return () => `${changes.get() as number},${schema.get() as number},${user.get() as number},${application.get() as number}`;
}
