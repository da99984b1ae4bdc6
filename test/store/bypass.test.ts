import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { READING_PROFILES, settingsOf, type Decision, type ReadingProfile } from '../../src/domain';
import { Store } from '../../src/store/store';

/**
 * The schema defends itself: each case writes around the policy (raw SQL, REPLACE conflict clauses, a
 * forged decision) and the database must refuse it and stay as it was. Each runs on the store's own
 * connection and on a foreign one (a plain SQLite connection: foreign keys off, recursive triggers
 * off, as the sqlite3 shell opens a file), under every reading profile. Under `seed` exactly one
 * guarantee is relaxed: a verified identity the store released first may be deleted (a sign-in takes
 * the address).
 */

interface Fixture {
  store: Store;
  /** The connection the case writes through. */
  db: Database.Database;
  ids: { olga: number; kim: number; ann: number; gone: number; olgaVerified: number; kimIdentity: number };
}

/** Every row of every table, to compare before and after a refused statement. */
function contents(db: Database.Database): string {
  const tables = ['store_meta', 'settings', 'users', 'email_identities', 'conversations', 'event_log'];
  return JSON.stringify(tables.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).raw().all()), (_key, value: unknown) =>
    Buffer.isBuffer(value) ? `blob:${value.toString('hex')}` : value,
  );
}

const utf16 = (text: string) => Buffer.from(text, 'utf16le');

/** Each bypass: the SQL (or a function of the fixture), and the refusal expected. */
const REFUSED: readonly { name: string; run: (f: Fixture) => unknown; refusal: RegExp }[] = [
  // INSERT OR REPLACE / UPDATE OR REPLACE would delete the conflicting row without the delete triggers.
  {
    name: 'INSERT OR REPLACE of an address someone holds verified (would delete the verified identity)',
    run: (f) => f.db.prepare("INSERT OR REPLACE INTO email_identities (user_id, address, verified) VALUES (?, ' OLGA@example.com', 0)").run(f.ids.kim),
    refusal: /an address has one owner/,
  },
  {
    name: 'INSERT OR REPLACE over the id of a verified identity',
    run: (f) => f.db.prepare("INSERT OR REPLACE INTO email_identities (id, user_id, address, verified) VALUES (?, ?, 'x@example.com', 0)").run(f.ids.olgaVerified, f.ids.kim),
    refusal: /the id is taken/,
  },
  {
    name: 'UPDATE OR REPLACE respelling an address into one held verified',
    run: (f) => f.db.prepare("UPDATE OR REPLACE email_identities SET address = 'olga@example.com' WHERE id = ?").run(f.ids.kimIdentity),
    refusal: /keeps its id and its spelling/,
  },
  {
    name: 'UPDATE OR REPLACE moving an identity onto the id of a verified one',
    run: (f) => f.db.prepare('UPDATE OR REPLACE email_identities SET id = ? WHERE id = ?').run(f.ids.olgaVerified, f.ids.kimIdentity),
    refusal: /keeps its id and its spelling/,
  },
  {
    name: 'respelling a verified address',
    run: (f) => f.db.prepare("UPDATE email_identities SET address = 'OLGA@EXAMPLE.COM' WHERE id = ?").run(f.ids.olgaVerified),
    refusal: /keeps its id and its spelling/,
  },
  {
    name: 'moving a verified identity to another user without a merge',
    run: (f) => f.db.prepare('UPDATE email_identities SET user_id = ? WHERE id = ?').run(f.ids.kim, f.ids.olgaVerified),
    refusal: /changes owner only through a merge/,
  },
  {
    name: 'un-verifying a verified identity',
    run: (f) => f.db.prepare('UPDATE email_identities SET verified = 0 WHERE id = ?').run(f.ids.olgaVerified),
    refusal: /never becomes unverified/,
  },
  {
    name: 'REPLACE INTO event_log over a logged seq (rewriting the append-only log)',
    run: (f) => f.db.prepare("REPLACE INTO event_log (seq, ref, type, rule, outcome, user_id, flags, setting, input) VALUES (1, 'forged', 'settings', 'ADMIN-SWITCH', 'applied', NULL, '', 'verified-only', '{\"type\":\"settings\"}')").run(),
    refusal: /append-only: the seq is taken/,
  },
  {
    name: 'REPLACE INTO event_log over a logged ref',
    run: (f) => f.db.prepare("REPLACE INTO event_log (ref, type, rule, outcome, user_id, flags, setting, input) VALUES ('m1', 'settings', 'ADMIN-SWITCH', 'applied', NULL, '', 'verified-only', '{\"type\":\"settings\"}')").run(),
    refusal: /append-only: the event ref is logged already/,
  },
  { name: 'deleting from the event log', run: (f) => f.db.prepare('DELETE FROM event_log').run(), refusal: /append-only/ },
  {
    name: 'INSERT OR REPLACE of a user by an existing ref (would delete the user)',
    run: (f) => f.db.prepare("INSERT OR REPLACE INTO users (ref, name) VALUES ('olga', 'Mallory')").run(),
    refusal: /the ref is taken/,
  },
  {
    name: 'INSERT OR REPLACE of a user by an existing id',
    run: (f) => f.db.prepare("INSERT OR REPLACE INTO users (id, ref) VALUES (?, 'mallory')").run(f.ids.olga),
    refusal: /the id is taken/,
  },
  {
    name: 'INSERT OR REPLACE of a user with an external id someone holds',
    run: (f) => f.db.prepare("INSERT OR REPLACE INTO users (ref, external_id) VALUES ('mallory', 'olga-1')").run(),
    refusal: /external id is held by another user/,
  },
  {
    name: 'UPDATE OR REPLACE giving a user an external id someone holds',
    run: (f) => f.db.prepare("UPDATE OR REPLACE users SET external_id = 'olga-1' WHERE id = ?").run(f.ids.kim),
    refusal: /external id is held by another user/,
  },
  {
    name: 'erasing an external id',
    run: (f) => f.db.prepare('UPDATE users SET external_id = NULL WHERE id = ?').run(f.ids.olga),
    refusal: /never changed or removed/,
  },
  {
    name: 'changing an external id',
    run: (f) => f.db.prepare("UPDATE users SET external_id = 'olga-2' WHERE id = ?").run(f.ids.olga),
    refusal: /never changed or removed/,
  },
  { name: 'deleting a user', run: (f) => f.db.prepare('DELETE FROM users WHERE id = ?').run(f.ids.kim), refusal: /never deleted/ },
  { name: 'renaming a user ref', run: (f) => f.db.prepare("UPDATE users SET ref = 'x' WHERE id = ?").run(f.ids.kim), refusal: /keeps its id and ref/ },
  {
    name: 'an external id stored as a BLOB that reads back as a held TEXT one',
    run: (f) => f.db.prepare("INSERT INTO users (ref, external_id) VALUES ('mallory', ?)").run(utf16('olga-1')),
    refusal: /users.external_id: a BLOB holds only text with a lone surrogate/,
  },
  {
    name: 'a ref stored as a BLOB that reads back as a taken TEXT one',
    run: (f) => f.db.prepare('INSERT INTO users (ref) VALUES (?)').run(utf16('olga')),
    refusal: /users.ref: a BLOB holds only text with a lone surrogate/,
  },
  {
    name: 'a BLOB of an odd number of bytes',
    run: (f) => f.db.prepare("INSERT INTO users (ref, external_id) VALUES ('mallory', ?)").run(Buffer.concat([utf16('x\ud800'), Buffer.from([0x41])])),
    refusal: /a BLOB holds only text with a lone surrogate/,
  },
  {
    name: 'a conversation ref as a BLOB of well-formed text',
    run: (f) => f.db.prepare('INSERT INTO conversations (ref, user_id, authenticated) VALUES (?, ?, 0)').run(utf16('c9'), f.ids.kim),
    refusal: /conversations.ref: a BLOB holds only text/,
  },
  {
    name: 'an integer external id',
    run: (f) => f.db.prepare("INSERT INTO users (ref, external_id) VALUES ('mallory', 42)").run(),
    refusal: /CHECK constraint failed/,
  },
  {
    name: 'an integer name',
    run: (f) => f.db.prepare('UPDATE users SET name = 7 WHERE id = ?').run(f.ids.kim),
    refusal: /CHECK constraint failed/,
  },
  {
    name: 'a merge between two external-id holders (raw SQL)',
    run: (f) => f.db.prepare('UPDATE users SET merged_into = ?, external_id = NULL WHERE id = ?').run(f.ids.ann, f.ids.olga),
    refusal: /both have an external id are never merged/,
  },
  {
    name: 'a merge into a merged user (the first step of a cycle)',
    run: (f) => f.db.prepare('UPDATE users SET merged_into = ? WHERE id = ?').run(f.ids.gone, f.ids.kim),
    refusal: /a merge target is a user not merged away/,
  },
  {
    name: 'a merged user re-pointed elsewhere',
    run: (f) => f.db.prepare('UPDATE users SET merged_into = ? WHERE id = ?').run(f.ids.ann, f.ids.gone),
    refusal: /stays merged into the same user/,
  },
  {
    name: 'a merged user un-merged',
    run: (f) => f.db.prepare('UPDATE users SET merged_into = NULL WHERE id = ?').run(f.ids.gone),
    refusal: /stays merged into the same user/,
  },
  {
    name: 'a merge into a user that does not exist',
    run: (f) => f.db.prepare('UPDATE users SET merged_into = 999 WHERE id = ?').run(f.ids.kim),
    refusal: /a merge target is an existing user/,
  },
  {
    name: 'a user created already merged',
    run: (f) => f.db.prepare("INSERT INTO users (ref, merged_into) VALUES ('mallory', ?)").run(f.ids.kim),
    refusal: /a user is created not merged/,
  },
  {
    name: 'an identity given to a merged user',
    run: (f) => f.db.prepare("INSERT INTO email_identities (user_id, address, verified) VALUES (?, 'new@example.com', 0)").run(f.ids.gone),
    refusal: /a merged user holds no email identity/,
  },
  {
    name: 'an identity moved to a merged user',
    run: (f) => f.db.prepare('UPDATE email_identities SET user_id = ? WHERE id = ?').run(f.ids.gone, f.ids.kimIdentity),
    refusal: /a merged user holds no email identity/,
  },
  {
    name: 'a conversation moved to a merged user',
    run: (f) => f.db.prepare("UPDATE conversations SET user_id = ? WHERE ref = 'c1'").run(f.ids.gone),
    refusal: /a merged user holds no conversation/,
  },
  {
    name: 'an identity of a user that does not exist (foreign keys off)',
    run: (f) => f.db.prepare("INSERT INTO email_identities (user_id, address, verified) VALUES (999, 'new@example.com', 0)").run(),
    refusal: /belongs to an existing user/,
  },
  {
    name: 'a conversation of a user that does not exist (foreign keys off)',
    run: (f) => f.db.prepare("INSERT INTO conversations (ref, user_id, authenticated) VALUES ('c9', 999, 0)").run(),
    refusal: /belongs to an existing user/,
  },
  {
    name: 'INSERT OR REPLACE of a conversation by its ref (would delete it)',
    run: (f) => f.db.prepare("INSERT OR REPLACE INTO conversations (ref, user_id, authenticated) VALUES ('c1', ?, 0)").run(f.ids.kim),
    refusal: /the ref is taken/,
  },
  { name: 'deleting a conversation', run: (f) => f.db.prepare("DELETE FROM conversations WHERE ref = 'c1'").run(), refusal: /never removed/ },
  {
    name: 'un-authenticating a conversation',
    run: (f) => f.db.prepare("UPDATE conversations SET authenticated = 0 WHERE ref = 'c1'").run(),
    refusal: /stays authenticated/,
  },
  {
    name: 'rewriting what a visitor typed',
    run: (f) => f.db.prepare("UPDATE conversations SET typed_email = 'x' WHERE ref = 'c1'").run(),
    refusal: /keeps its id, ref and typed email/,
  },
  {
    name: 'REPLACE INTO store_meta (changing the reading profile)',
    run: (f) => f.db.prepare("REPLACE INTO store_meta (id, profile) VALUES (1, 'doc')").run(),
    refusal: /keeps the reading profile/,
  },
  { name: 'deleting the reading profile', run: (f) => f.db.prepare('DELETE FROM store_meta').run(), refusal: /keeps the reading profile/ },
  { name: 'deleting the settings', run: (f) => f.db.prepare('DELETE FROM settings').run(), refusal: /one settings row/ },
  {
    name: 'INSERT OR REPLACE of the settings row',
    run: (f) => f.db.prepare("INSERT OR REPLACE INTO settings (id, email_identities, claim_verified) VALUES (1, 'verified-only', 0)").run(),
    refusal: /one settings row/,
  },
  {
    name: 'the invalid settings combination',
    run: (f) => f.db.prepare("UPDATE settings SET email_identities = 'verified-only', claim_verified = 1").run(),
    refusal: /CHECK constraint failed/,
  },
  {
    name: 'a merge-user effect between two external-id holders, whatever the policy says',
    run: (f) => {
      const decision: Decision = { rule: 'ADMIN-MERGE', outcome: 'merged', flags: [], user: f.ids.ann, effects: [{ op: 'merge-user', from: f.ids.olga, into: f.ids.ann }] };
      return f.store.transaction(() => f.store.apply('m9', { type: 'merge', from: 'olga', into: 'ann' }, 'verified-only', decision));
    },
    refusal: /both have an external id are never merged/,
  },
];

describe('store: the schema refuses every write around the policy', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'idmatrix-bypass-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  let count = 0;
  /** One store per profile, built once through the store's API; each case works on a copy. */
  function template(profile: ReadingProfile): string {
    const path = join(dir, `template-${profile}.db`);
    if (existsSync(path)) return path;
    const store = Store.open({ path, settings: settingsOf('verified-and-unverified'), profile, mode: 'create' });
    store.transaction(() => {
      const setting = 'verified-and-unverified';
      const olga = store.insertUser({ ref: 'olga', externalId: 'olga-1', emails: [{ address: 'Olga@Example.com', verified: true }, { address: 'o.typed@example.com', verified: false }] });
      const kim = store.insertUser({ ref: 'kim', emails: [{ address: 'kim@example.com', verified: false }] });
      store.insertUser({ ref: 'ann', externalId: 'ann-1' });
      const gone = store.insertUser({ ref: 'gone' });
      store.apply('c1', { type: 'visitor', name: null, email: null }, setting, { rule: 'VISIT-NO-EMAIL', outcome: 'joined', flags: [], user: olga, effects: [{ op: 'open-conversation', user: olga, authenticated: true, typedEmail: null }] });
      store.apply('m1', { type: 'merge', from: 'gone', into: 'kim' }, setting, { rule: 'ADMIN-MERGE', outcome: 'merged', flags: [], user: kim, effects: [{ op: 'merge-user', from: gone, into: kim }] });
    });
    store.close();
    return path;
  }

  function fixture(profile: ReadingProfile, foreign: boolean): Fixture & { close: () => void } {
    const path = join(dir, `store-${count++}.db`);
    copyFileSync(template(profile), path);
    const store = Store.open({ path, profile, mode: 'read-write' });
    let db = store.db;
    if (foreign) {
      // As the sqlite3 shell opens a file: foreign keys off, recursive triggers off.
      db = new Database(path);
      db.pragma('foreign_keys = OFF');
      assert.equal(db.pragma('recursive_triggers', { simple: true }), 0);
    }
    const id = (ref: string) => (store.userByRef(ref) as { id: number }).id;
    const identity = (address: string) => (store.identityByNormalised(address) as { id: number }).id;
    const ids = { olga: id('olga'), kim: id('kim'), ann: id('ann'), gone: id('gone'), olgaVerified: identity('olga@example.com'), kimIdentity: identity('kim@example.com') };
    return {
      store,
      db,
      ids,
      close: () => {
        if (foreign) db.close();
        store.close();
        rmSync(path, { force: true });
      },
    };
  }

  for (const profile of READING_PROFILES) {
    for (const foreign of [false, true]) {
      describe(`under the ${profile} reading, through ${foreign ? 'a foreign connection' : "the store's connection"}`, () => {
        let shared: ReturnType<typeof fixture>;
        before(() => (shared = fixture(profile, foreign)));
        after(() => shared.close());

        for (const bypass of REFUSED) {
          it(`refuses ${bypass.name}`, () => {
            // Each case inside a savepoint, rolled back after it, so that the cases share one store.
            const f = shared;
            f.db.exec('SAVEPOINT bypass');
            try {
              const before = contents(f.db);
              assert.throws(() => bypass.run(f), bypass.refusal);
              assert.equal(contents(f.db), before, 'the refused statement changed nothing');
              assert.doesNotThrow(() => f.store.snapshot());
            } finally {
              f.db.exec('ROLLBACK TO bypass; RELEASE bypass');
            }
          });
        }

        it('refuses deleting a verified identity outright, and a release of it outside the seed reading', () => {
          const f = fixture(profile, foreign);
          try {
            const remove = () => f.db.prepare('DELETE FROM email_identities WHERE id = ?').run(f.ids.olgaVerified);
            assert.throws(remove, /a verified identity is never removed/);
            const release = () => f.db.prepare('INSERT INTO verified_release (identity) VALUES (?)').run(f.ids.olgaVerified);
            if (profile === 'seed') {
              // The one relaxation: a store created under the seed reading releases one verified identity, and its deletion consumes the release.
              release();
              remove();
              assert.equal(f.store.identityByNormalised('olga@example.com'), undefined);
              assert.equal(f.db.prepare('SELECT count(*) FROM verified_release').pluck().get(), 0);
            } else {
              assert.throws(release, /only a store of the seed reading releases a verified identity/);
            }
            assert.throws(() => f.db.prepare('INSERT INTO verified_release (identity) VALUES (?)').run(f.ids.kimIdentity), /only a verified one/);
          } finally {
            f.close();
          }
        });

        it('a raw merge moves everything the merged user held, external id included: a merged user keeps nothing', () => {
          const f = fixture(profile, foreign);
          try {
            f.db.prepare('UPDATE users SET merged_into = ?, external_id = NULL WHERE id = ?').run(f.ids.kim, f.ids.olga);
            const olga = f.store.snapshot().users.find((user) => user.ref === 'olga');
            const kim = f.store.snapshot().users.find((user) => user.ref === 'kim');
            assert.deepEqual(olga, { ref: 'olga', externalId: null, name: null, emails: [], conversations: [], mergedInto: 'kim' });
            assert.equal(kim?.externalId, 'olga-1');
            assert.deepEqual(kim?.emails.map((email) => [email.address, email.verified]), [['kim@example.com', false], ['o.typed@example.com', false], ['Olga@Example.com', true]]);
            assert.deepEqual(kim?.conversations, ['c1']);
          } finally {
            f.close();
          }
        });

        it('accepts a BLOB that is the UTF-16LE of a string with a lone surrogate, and reads it back exactly', () => {
          const f = fixture(profile, foreign);
          try {
            for (const text of ['\ud800', 'x\udc00', 'a\ud83d', '\udc00\ud800']) {
              f.db.prepare('INSERT INTO users (ref, external_id) VALUES (?, ?)').run(utf16(`r${text}`), utf16(text));
              assert.equal(f.store.userByExternalId(text)?.ref, `r${text}`);
            }
            assert.throws(() => f.db.prepare("INSERT INTO users (ref, external_id) VALUES ('pair', ?)").run(utf16('\ud83d\ude00')), /lone surrogate/);
          } finally {
            f.close();
          }
        });
      });
    }
  }
});
