import { strict as assert } from 'node:assert';
import type { Statement } from 'better-sqlite3';
import { settingsOf } from '../../src/domain';
import { Store } from '../../src/store/store';

/**
 * Every statement the store prepares for the events' hot path finds its rows through an index or the
 * primary key: `EXPLAIN QUERY PLAN` shows no SCAN of a table (issue 11). Only the statements that read
 * a whole table on purpose (the snapshot, the counts, the history) may scan; a statement added to the
 * store is held to this unless it is listed here, with its reason.
 */
const WHOLE_TABLE_READS: Readonly<Record<string, string>> = {
  allUsers: 'the snapshot lists every user',
  allIdentities: 'the snapshot lists every identity',
  allConversations: 'the snapshot lists every conversation',
  loggedEvents: 'the history lists every logged event',
  loggedResults: 'the history lists every logged event with its result',
  unloggedUserRefs: 'the users no logged event created (starting users of replay --db)',
  countUsers: 'ADMIN-UNVERIFIED-COUNT counts users',
  countUsersWithoutVerified: 'ADMIN-UNVERIFIED-COUNT counts users',
  countUnverifiedIdentities: 'ADMIN-UNVERIFIED-COUNT counts identities',
};

/** The plan's lines, e.g. `SEARCH users USING INDEX sqlite_autoindex_users_1 (ref=?)`. */
function planOf(store: Store, statement: Statement): string[] {
  const parameters = (statement.source.match(/\?/g) ?? []).length;
  const rows = store.db.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all(...new Array<null>(parameters).fill(null)) as { detail: string }[];
  return rows.map((row) => row.detail);
}

describe('store: query plans of the hot path (EXPLAIN QUERY PLAN)', () => {
  let store: Store;
  before(() => {
    store = Store.open({ settings: settingsOf('verified-and-unverified') });
    // A few rows and fresh statistics, so that the planner sees tables worth indexing.
    store.transaction(() => {
      for (let i = 0; i < 200; i++) store.insertUser({ ref: `u${i}`, externalId: `x${i}`, emails: [{ address: `u${i}@example.com`, verified: i % 2 === 0 }] });
    });
    store.db.exec('ANALYZE');
  });
  after(() => store.close());

  const statements = (): [string, Statement][] => Object.entries((store as unknown as { sql: Record<string, Statement> }).sql);

  it('the store prepares its statements where this test can read them, whole-table reads among them', () => {
    const names = statements().map(([name]) => name);
    assert.ok(names.includes('identityByNormalised') && names.includes('logEvent'), names.join(', '));
    for (const name of Object.keys(WHOLE_TABLE_READS)) assert.ok(names.includes(name), `${name} is no longer a statement of the store: update this list`);
  });

  it('no statement of the hot path scans a table', () => {
    const scans: string[] = [];
    let searched = 0;
    for (const [name, statement] of statements()) {
      if (WHOLE_TABLE_READS[name] !== undefined) continue;
      const plan = planOf(store, statement);
      if (plan.some((line) => /\bSEARCH\b/.test(line))) searched++;
      for (const line of plan) if (/\bSCAN\b/.test(line)) scans.push(`${name}: ${line}  (${statement.source})`);
    }
    assert.deepEqual(scans, []);
    assert.ok(searched >= 10, `only ${searched} statements search an index: the plans were not read`);
  });

  it('the check sees a scan when there is one', () => {
    const plan = planOf(store, store.db.prepare('SELECT id FROM users WHERE name = ?'));
    assert.ok(plan.some((line) => /\bSCAN\b/.test(line)), plan.join('; '));
  });
});
