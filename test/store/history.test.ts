import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { settingsOf } from '../../src/domain';
import { Engine } from '../../src/engine';
import { signTestToken } from '../../src/identity/sign';
import { DEFAULT_KEYS } from '../../src/identity/keys';
import { SCHEMA_VERSION } from '../../src/store/schema';
import { Store } from '../../src/store/store';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z

describe('store: its reading profile and its recorded history', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'idmatrix-history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records the profile a store was created under and refuses to open it under another', () => {
    const path = join(dir, 'seed.db');
    Store.open({ path, settings: settingsOf('verified-only'), profile: 'seed' }).close();
    const reopened = Store.open({ path, profile: 'seed' });
    assert.equal(reopened.profile(), 'seed');
    reopened.close();
    assert.throws(() => Store.open({ path }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'store-refused');
      assert.match(error.message, /created under the "seed" reading; it cannot be opened under "reference"/);
      return true;
    });
    assert.throws(() => Store.open({ path, profile: 'doc' }), /cannot be opened under "doc"/);
  });

  it('a new store is created under the reference reading by default, and keeps it', () => {
    const store = Store.open({ settings: settingsOf('claim-verified') });
    assert.equal(store.profile(), 'reference');
    assert.throws(() => store.db.prepare("UPDATE store_meta SET profile = 'seed'").run(), /keeps the reading profile/);
    store.close();
  });

  it('logs each accepted event with its input and the setting in force, never the token; rejections not at all', async () => {
    const engine = await Engine.open({ settings: settingsOf('verified-and-unverified'), now: () => NOW });
    const key = DEFAULT_KEYS[0]!;
    const token = signTestToken({ scope: 'user', external_id: 'kim-1', email: ' kim@example.com', email_verified: true, name: 'Kim' }, key);
    engine.visitor('c1', { name: 'Olga', email: 'olga@example.com' });
    await engine.signedIn('c2', token);
    await engine.login('l1', 'c1', signTestToken({ scope: 'user', external_id: 'olga-1' }, key));
    await engine.signedIn('c3', 'not a token');
    engine.switchSettings('s1', settingsOf('verified-only'));
    engine.visitor('c4', { email: null });
    engine.merge('m1', 'new:c4', 'new:c2');
    engine.merge('m2', 'new:c1', 'new:c2'); // refused: both have an external id
    const logged = [...engine.store.loggedEvents()];
    engine.close();
    assert.deepEqual(
      logged.map(({ ref, setting, input }) => ({ ref, setting, input })),
      [
        { ref: 'c1', setting: 'verified-and-unverified', input: { type: 'visitor', name: 'Olga', email: 'olga@example.com' } },
        { ref: 'c2', setting: 'verified-and-unverified', input: { type: 'signed-in', claims: { externalId: 'kim-1', emailVerified: true, name: 'Kim', email: ' kim@example.com' } } },
        { ref: 'l1', setting: 'verified-and-unverified', input: { type: 'login', conversation: 'c1', claims: { externalId: 'olga-1', emailVerified: false } } },
        { ref: 's1', setting: 'verified-and-unverified', input: { type: 'settings', settings: settingsOf('verified-only') } },
        { ref: 'c4', setting: 'verified-only', input: { type: 'visitor', name: null, email: null } },
        { ref: 'm1', setting: 'verified-only', input: { type: 'merge', from: 'new:c4', into: 'new:c2' } },
      ],
    );
    assert.ok(logged.every((entry, index) => index === 0 || entry.seq > (logged[index - 1]?.seq ?? 0)));
  });

  it('refuses a store of schema version 1 in one line', () => {
    const path = join(dir, 'v1.db');
    const db = new Database(path);
    db.exec('CREATE TABLE settings (id INTEGER PRIMARY KEY)');
    db.pragma('user_version = 1');
    db.close();
    assert.throws(() => Store.open({ path }), new RegExp(`is not an idmatrix store of this version \\(schema version 1 or another program's SQLite file\\); this build reads schema version ${SCHEMA_VERSION}`));
  });
});
