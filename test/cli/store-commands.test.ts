import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/store';
import { assertOneLineError, runCli } from '../support/cli';

/** A store is the unit of work: import into it, append scenarios, merge, switch, read its stats. */
describe('idmatrix on a store: replay --db appends, stats, merge, switch, import --strict', () => {
  let dir: string;
  let db: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'idmatrix-store-'));
    db = join(dir, 'account.db');
    const csv = join(dir, 'crm.csv');
    writeFileSync(csv, 'external_id,name,verified_emails,unverified_emails\nkim-1,Kim,kim@example.com,\n,Olga,,olga@example.com\nlee-7,Lee,,\n');
    const imported = await runCli(['import', csv, '--db', db, '--setting', 'verified-and-unverified']);
    assert.equal(imported.status, 0, imported.stderr);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const V_AND_U = { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: false };
  const scenarioFile = (name: string, doc: Record<string, unknown>): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ settings: V_AND_U, now: '2026-01-01T00:00:00Z', ...doc }));
    return path;
  };
  const image = (): Buffer => {
    const store = Store.open({ path: db });
    try {
      return store.dump();
    } finally {
      store.close();
    }
  };
  const stats = async () => JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout);

  describe('replay --db on an existing store appends (this replaces decision 7\'s refusal)', () => {
    it('applies the events to the store and prints this run\'s results, then the whole store\'s users and conversations', async () => {
      const first = await runCli(['replay', scenarioFile('week1.json', { events: [{ ref: 'c1', type: 'visitor', name: 'Olga', email: 'olga@example.com' }, { ref: 'c2', type: 'visitor' }] }), '--db', db]);
      assert.equal(first.stderr, '');
      assert.equal(first.status, 0);
      const week1 = JSON.parse(first.stdout);
      assert.deepEqual(week1.results.map((r: { ref: string; rule: string; user: string }) => [r.ref, r.rule, r.user]), [
        ['c1', 'VISIT-JOIN-UNVERIFIED', 'new:crm:3'],
        ['c2', 'VISIT-NO-EMAIL', 'new:c2'],
      ]);
      assert.deepEqual(week1.users.map((u: { ref: string }) => u.ref), ['new:crm:2', 'new:crm:3', 'new:crm:4', 'new:c2']);

      // A later file: a login may name a visitor conversation the store holds.
      const login = { ref: 'l1', type: 'login', conversation: 'c2', claims: { scope: 'user', external_id: 'lee-7' } };
      const second = await runCli(['replay', scenarioFile('week2.json', { events: [login, { ref: 'c3', type: 'visitor', email: 'nina@example.com' }] }), '--db', db]);
      assert.equal(second.status, 0, second.stderr);
      const week2 = JSON.parse(second.stdout);
      assert.deepEqual(week2.results.map((r: { ref: string; rule: string; user: string }) => [r.ref, r.rule, r.user]), [
        ['l1', 'LOGIN-MERGE', 'new:crm:4'],
        ['c3', 'VISIT-NEW-UNVERIFIED', 'new:c3'],
      ]);
      assert.deepEqual(week2.conversations.map((c: { ref: string; user: string }) => [c.ref, c.user]), [
        ['c1', 'new:crm:3'],
        ['c2', 'new:crm:4'],
        ['c3', 'new:c3'],
      ]);
      assert.deepEqual(week2.users.find((u: { ref: string }) => u.ref === 'new:c2'), { ref: 'new:c2', externalId: null, name: null, emails: [], conversations: [], mergedInto: 'new:crm:4' });
    });

    const refusals: [string, Record<string, unknown>, RegExp][] = [
      ['a file with starting users', { users: [{ ref: 'nina' }], events: [{ ref: 'c1', type: 'visitor' }] }, /^users: a file appended to a store gives no starting users/],
      [
        'another setting than the store\'s, naming both',
        { settings: { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false }, events: [{ ref: 'c1', type: 'visitor' }] },
        /^settings: this file is recorded under "verified-only", but the store's setting in force is "verified-and-unverified"/,
      ],
      [
        'an event ref the store\'s log holds, even as the last event (nothing before it is written)',
        { events: [{ ref: 'c9', type: 'visitor' }, { ref: 'crm:2', type: 'visitor' }] },
        /^events\[1\]\.ref: "crm:2" is already the ref of an import event in the store's log/,
      ],
      [
        'a login naming a conversation neither the file nor the store has',
        { events: [{ ref: 'l1', type: 'login', conversation: 'c404', claims: { scope: 'user', external_id: 'kim-1' } }] },
        /^events\[0\]\.conversation: "c404" is the ref of no event of this file or of the store/,
      ],
      [
        'a login naming an event of the store that is not a visitor conversation',
        { events: [{ ref: 'l1', type: 'login', conversation: 'crm:2', claims: { scope: 'user', external_id: 'kim-1' } }] },
        /^events\[0\]\.conversation: "crm:2" is an import event of the store; a login names an earlier visitor event$/,
      ],
    ];
    for (const [name, doc, message] of refusals) {
      it(`refuses ${name}: exit 2, one line, the store unchanged byte for byte`, async () => {
        const before = image();
        const run = await runCli(['replay', scenarioFile('bad.json', doc), '--db', db]);
        assert.match(assertOneLineError(run, name), message);
        assert.ok(image().equals(before), 'the store changed');
      });
    }
  });

  it('stats --json: users, users without a verified identity, unverified identities, external ids, conversations by rule and by setting', async () => {
    const events = [
      { ref: 'c1', type: 'visitor', email: 'olga@example.com' },
      { ref: 'c2', type: 'signed-in', claims: { scope: 'user', external_id: 'kim-1', email: 'kim@example.com', email_verified: true } },
      { ref: 'c3', type: 'visitor', email: 'nina@example.com' },
    ];
    assert.equal((await runCli(['replay', scenarioFile('m.json', { events }), '--db', db])).status, 0);
    assert.equal((await runCli(['switch', 'verified-only', '--db', db])).status, 0);
    const later = [{ ref: 'c4', type: 'visitor', email: 'olga@example.com' }];
    const settings = { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false };
    assert.equal((await runCli(['replay', scenarioFile('n.json', { settings, events: later }), '--db', db])).status, 0);
    assert.deepEqual(await stats(), {
      setting: 'verified-only',
      profile: 'reference',
      users: 5,
      usersWithoutVerifiedIdentity: 4,
      usersWithOnlyUnverifiedIdentities: 2,
      usersWithoutEmailIdentity: 2,
      usersWithExternalId: 2,
      mergedUsers: 0,
      verifiedIdentities: 1,
      unverifiedIdentities: 2,
      conversations: {
        total: 4,
        authenticated: 1,
        byRule: { 'AUTH-LINK': 1, 'VISIT-STRICT': 1, 'VISIT-JOIN-UNVERIFIED': 1, 'VISIT-NEW-UNVERIFIED': 1 },
        bySetting: { 'verified-only': 1, 'verified-and-unverified': 3 },
        byRuleAndSetting: {
          'AUTH-LINK': { 'verified-and-unverified': 1 },
          'VISIT-STRICT': { 'verified-only': 1 },
          'VISIT-JOIN-UNVERIFIED': { 'verified-and-unverified': 1 },
          'VISIT-NEW-UNVERIFIED': { 'verified-and-unverified': 1 },
        },
      },
      logins: { total: 0, byRule: {} },
      importedRows: 3,
      importBatches: 1,
      merges: 0,
      settingChanges: 1,
    });
    const text = await runCli(['stats', '--db', db]);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^Store .*account\.db: setting in force "verified-only", reading "reference"\n/);
    assert.match(text.stdout, /\n {2}without a verified email identity +4 {2}the seed's is_verified:false search\n/);
    assert.match(text.stdout, /\n {2}VISIT-JOIN-UNVERIFIED +- +1 +1\n/);
  });

  it('switch --db changes the setting in force and nothing else (ADMIN-SWITCH); a later append follows it', async () => {
    const before = await stats();
    const run = await runCli(['switch', 'verified-only', '--db', db]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { ref: 'switch-1', outcome: 'applied', rule: 'ADMIN-SWITCH', user: null, flags: [], from: 'verified-and-unverified', to: 'verified-only' });
    const after = await stats();
    assert.deepEqual({ ...after, setting: before.setting, settingChanges: before.settingChanges }, before);
    assert.equal(after.setting, 'verified-only');
    const old = await runCli(['replay', scenarioFile('old.json', { events: [{ ref: 'c1', type: 'visitor', email: 'olga@example.com' }] }), '--db', db]);
    assert.match(assertOneLineError(old), /store's setting in force is "verified-only"/);
  });

  it('merge --db moves conversations and identities as verified as they were; a refused merge writes nothing and exits 1', async () => {
    const events = [{ ref: 'c1', type: 'visitor', email: 'nina@example.com' }];
    assert.equal((await runCli(['replay', scenarioFile('m.json', { events }), '--db', db])).status, 0);
    const merged = await runCli(['merge', 'new:c1', 'new:crm:2', '--db', db, '--ref', 'm1']);
    assert.equal(merged.status, 0, merged.stderr);
    assert.deepEqual(JSON.parse(merged.stdout), { ref: 'm1', outcome: 'merged', rule: 'ADMIN-MERGE', user: 'new:crm:2', flags: [] });
    const store = Store.open({ path: db });
    const kim = store.snapshot().users.find((user) => user.ref === 'new:crm:2');
    store.close();
    assert.deepEqual(kim?.emails, [
      { address: 'kim@example.com', verified: true },
      { address: 'nina@example.com', verified: false },
    ]);
    assert.deepEqual(kim?.conversations, ['c1']);

    const before = image();
    const refused = await runCli(['merge', 'new:crm:4', 'new:crm:2', '--db', db]);
    assert.equal(refused.status, 1);
    assert.equal(JSON.parse(refused.stdout).error.code, 'merge-refused');
    assert.match(refused.stderr, /^merge refused: both users have an external id[^\n]*\n$/);
    assert.ok(image().equals(before), 'a refused merge wrote');
    assert.match(assertOneLineError(await runCli(['merge', 'new:crm:3', 'new:crm:2', '--db', db, '--ref', 'm1'])), /"m1" is already the ref of a merge event/);
  });

  it('stats, merge and switch refuse a missing store in one line', async () => {
    for (const argv of [['stats'], ['merge', 'a', 'b'], ['switch', 'verified-only']]) {
      assert.match(assertOneLineError(await runCli([...argv, '--db', join(dir, 'missing.db')])), /no store at/);
    }
  });

  it('import --strict exits 1 when a row was refused (the others are imported); without --strict, or with no refusal, 0', async () => {
    const csv = join(dir, 'more.csv');
    writeFileSync(csv, 'external_id,name,verified_emails\nann-1,Ann,ann@example.com\nbo-2,Bo,bo@\n');
    const strict = await runCli(['import', csv, '--db', db, '--strict']);
    assert.equal(strict.status, 1);
    const lines = strict.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines[0], { line: 3, code: 'email-invalid', message: '"bo@" has an empty domain' });
    assert.equal(lines.at(-1)?.rejected, 1);
    assert.equal(strict.stderr, '1 row was refused (--strict)\n');
    assert.equal((await stats()).users, 4, 'the accepted row is imported all the same');
    const lax = await runCli(['import', csv, '--db', db, '--batch', 'again']);
    assert.equal(lax.status, 0, lax.stderr);
    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, 'external_id,name\ncy-3,Cy\n');
    assert.equal((await runCli(['import', clean, '--db', db, '--strict'])).status, 0);
  });
});
