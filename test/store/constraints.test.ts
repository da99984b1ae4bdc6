import { strict as assert } from 'node:assert';
import { Store } from '../../src/store/store';
import { settingsOf } from '../../src/domain';
import { normaliseAddress } from '../../src/identity/email';

/**
 * The database holds the invariants itself, whatever the policy decides: these tests write around
 * the policy (store methods and raw SQL) and expect SQLite to refuse.
 */
describe('store: the database enforces the invariants', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open({ settings: settingsOf('verified-and-unverified') });
  });
  afterEach(() => store.close());

  const user = (ref: string, externalId: string | null = null) => store.insertUser({ ref, externalId });

  it('refuses a second owner of an address, whatever its case or surrounding spaces (INV-ONE-OWNER)', () => {
    const olga = user('olga');
    const kim = user('kim');
    store.insertIdentity(olga, 'olga@example.com', false);
    assert.throws(() => store.insertIdentity(kim, 'olga@example.com', true), /an address has one owner/);
    assert.throws(() => store.insertIdentity(kim, 'OLGA@Example.COM', false), /an address has one owner/);
    assert.throws(
      () => store.db.prepare('INSERT INTO email_identities (user_id, address, verified) VALUES (?, ?, 1)').run(kim, ' Olga@example.com '),
      /an address has one owner/,
    );
    assert.equal(store.identityByNormalised('olga@example.com')?.userId, olga);
  });

  it('computes the same normalised form as the identity module (A-Z folded, U+0020 trimmed, nothing else)', () => {
    const olga = user('olga');
    const addresses = ['Kelly@Example.com', '\u212Aelly@example.com', 'İvan@example.com', 'ıvan@example.com', 'STRASSE@x', 'straße@x', 'Émile@X.FR'];
    for (const address of addresses) store.insertIdentity(olga, address, false);
    const rows = store.db.prepare('SELECT address, normalised FROM email_identities').all() as { address: string; normalised: string }[];
    assert.equal(rows.length, addresses.length, 'no two of these collide');
    for (const row of rows) assert.equal(row.normalised, normaliseAddress(row.address), row.address);
  });

  it('refuses a second user with the same external id, compared exactly (INV-ONE-EXTID)', () => {
    user('ann', 'ann-1');
    assert.throws(() => user('other', 'ann-1'), /the external id is held by another user/);
    user('upper', 'ANN-1');
    user('spaced', ' ann-1');
    assert.equal(store.userByExternalId('ann-1')?.ref, 'ann');
    assert.equal(store.userByExternalId('ANN-1')?.ref, 'upper');
  });

  it('refuses an identity or a conversation on a merged user', () => {
    const from = user('from');
    const into = user('into');
    store.db.prepare('UPDATE users SET merged_into = ? WHERE id = ?').run(into, from);
    assert.throws(() => store.db.prepare('UPDATE users SET merged_into = NULL WHERE id = ?').run(from), /stays merged/);
    assert.throws(() => store.insertIdentity(from, 'x@example.com', false), /a merged user holds no email identity/);
    assert.throws(
      () => store.db.prepare('INSERT INTO conversations (ref, user_id, authenticated) VALUES (?, ?, 0)').run('c1', from),
      /a merged user holds no conversation/,
    );
  });

  it('keeps a verified identity verified, and lets it change owner only by a merge (INV-VERIFIED-STAYS)', () => {
    const olga = user('olga');
    const kim = user('kim');
    store.insertIdentity(olga, 'olga@example.com', true);
    store.insertIdentity(olga, 'o.typed@example.com', false);
    const sql = (text: string) => () => store.db.prepare(text).run();
    assert.throws(sql("DELETE FROM email_identities WHERE address = 'olga@example.com'"), /a verified identity is never removed/);
    assert.throws(sql(`UPDATE email_identities SET user_id = ${kim} WHERE address = 'olga@example.com'`), /changes owner only through a merge/);
    assert.throws(sql("UPDATE email_identities SET verified = 0 WHERE address = 'olga@example.com'"), /never becomes unverified/);
    // An unverified identity may be removed or moved (supersede, take).
    sql(`UPDATE email_identities SET user_id = ${kim} WHERE address = 'o.typed@example.com'`)();
    sql("DELETE FROM email_identities WHERE address = 'o.typed@example.com'")();
    // A merge moves the verified identity, flag unchanged.
    store.transaction(() => store.apply('m1', { type: 'merge', from: 'olga', into: 'kim' }, 'verified-only', { rule: 'ADMIN-MERGE', outcome: 'merged', flags: [], user: kim, effects: [{ op: 'merge-user', from: olga, into: kim }] }));
    assert.deepEqual(store.identityByNormalised('olga@example.com'), { id: 1, userId: kim, address: 'olga@example.com', verified: true });
  });

  it('lets a store of the seed reading, and only such a store, release one verified identity for a sign-in to take', () => {
    const take = (target: Store, effect: 'remove-identity' | 'remove-verified-identity', identity: number) =>
      target.transaction(() =>
        target.apply('c9', { type: 'signed-in', claims: { externalId: 'x-1', emailVerified: true, email: 'olga@example.com' } }, 'verified-only', {
          rule: 'AUTH-CONFLICT',
          outcome: 'created',
          flags: [],
          user: 'new',
          effects: [{ op: 'create-user', externalId: 'x-1', name: null }, { op: effect, identity }, { op: 'add-identity', user: 'new', address: 'olga@example.com', verified: true }],
        }),
      );
    const olga = user('olga', 'olga-1');
    store.insertIdentity(olga, 'olga@example.com', true);
    const id = (target: Store) => target.identityByNormalised('olga@example.com')?.id as number;
    assert.throws(() => take(store, 'remove-verified-identity', id(store)), /only a store of the seed reading releases a verified identity/);
    assert.equal(store.identityByNormalised('olga@example.com')?.userId, olga, 'nothing of the refused event stays');

    const seed = Store.open({ settings: settingsOf('verified-only'), profile: 'seed' });
    try {
      const kim = seed.insertUser({ ref: 'kim', externalId: 'kim-1', emails: [{ address: 'olga@example.com', verified: true }, { address: 'kim@example.com', verified: false }] });
      assert.throws(() => take(seed, 'remove-identity', id(seed)), /a verified identity is never removed/, 'a plain removal stays refused under seed');
      const unverified = seed.identityByNormalised('kim@example.com')?.id as number;
      assert.throws(() => seed.db.prepare('INSERT INTO verified_release (identity) VALUES (?)').run(unverified), /and only a verified one/);
      assert.equal(take(seed, 'remove-verified-identity', id(seed)), 'new:c9');
      assert.equal(seed.identityByNormalised('olga@example.com')?.userId, seed.userByRef('new:c9')?.id);
      assert.equal(seed.db.prepare('SELECT count(*) FROM verified_release').pluck().get(), 0, 'the deletion consumed the release');
      assert.throws(() => seed.db.prepare('DELETE FROM email_identities WHERE id = ?').run(id(seed)), /a verified identity is never removed/);
      assert.equal(seed.userById(kim)?.ref, 'kim');
    } finally {
      seed.close();
    }
  });

  it('refuses a conversation on a user that does not exist (INV-EVERY-CONVERSATION)', () => {
    assert.throws(() => store.db.prepare('INSERT INTO conversations (ref, user_id, authenticated) VALUES (?, ?, 0)').run('c1', 999), /a conversation belongs to an existing user/);
  });

  it('refuses the invalid settings combination', () => {
    assert.throws(() => store.db.prepare("UPDATE settings SET email_identities = 'verified-only', claim_verified = 1").run(), /CHECK constraint failed/);
  });

  it('keeps the event log append-only', () => {
    store.db
      .prepare("INSERT INTO event_log (ref, type, rule, outcome, user_id, flags, setting, input) VALUES ('c1', 'visitor', 'VISIT-NO-EMAIL', 'created', NULL, '', 'verified-only', ?)")
      .run(JSON.stringify({ type: 'visitor', name: null, email: null }));
    assert.throws(() => store.db.prepare("UPDATE event_log SET rule = 'X'").run(), /append-only/);
    assert.throws(() => store.db.prepare('DELETE FROM event_log').run(), /append-only/);
  });

  it('round-trips refs, names and external ids with lone surrogates exactly, without collisions', () => {
    user('\ud800', 'x\ud800');
    user('\udc00', 'x\udc00');
    user('\ufffd', 'x\ufffd');
    assert.equal(store.userByRef('\ud800')?.externalId, 'x\ud800');
    assert.equal(store.userByRef('\udc00')?.externalId, 'x\udc00');
    assert.equal(store.userByExternalId('x\ufffd')?.ref, '\ufffd');
    assert.deepEqual(store.snapshot().users.map((u) => u.ref), ['\ud800', '\udc00', '\ufffd']);
  });
});
