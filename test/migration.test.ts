/**
 * The seed article's migration path, walked on the example account of examples/migration/ with the
 * idmatrix commands a user types: import the export → replay a recorded month → stats → what-if
 * "Use only verified emails" → switch → replay the week after → stats. Each output is checked against
 * what the generator (scripts/migration-example.ts) predicts from flows.md for the events it drew, never
 * against the engine's own tables.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WhatIfReport } from '../src/admin/what-if';
import { Store } from '../src/store/store';
import { generateMigrationExample, migrationFiles, MIGRATION_DIR, type ExpectedResult, type MigrationExample, type UserKey } from '../scripts/migration-example';
import { assertOneLineError, runCli } from './support/cli';

describe('the migration path on the example account (examples/migration)', function () {
  this.timeout(120_000);
  let dir: string;
  let db: string;
  let example: MigrationExample;
  /** `line:<n>` → the ref of the user import line n created or completed. */
  const userOfLine = new Map<string, string>();
  const resolve = (key: UserKey | null): string | null => {
    if (key === null || !key.startsWith('line:')) return key;
    const ref = userOfLine.get(key);
    if (ref === undefined) throw new Error(`no user for import ${key}`);
    return ref;
  };
  const file = (name: string) => join(MIGRATION_DIR, name);
  const statsNow = async () => {
    const run = await runCli(['stats', '--db', db, '--json']);
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
  };
  const checkResults = (results: { ref: string; rule: string; outcome: string; user: string | null }[], expected: ReadonlyMap<string, ExpectedResult>) => {
    assert.equal(results.length, expected.size);
    const wrong = results.filter((result) => {
      const want = expected.get(result.ref);
      return want === undefined || want.rule !== result.rule || want.outcome !== result.outcome || resolve(want.user) !== result.user;
    });
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} results differ from flows.md's`);
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'idmatrix-migration-'));
    db = join(dir, 'account.db');
    example = generateMigrationExample();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the committed files are the generator\'s output (npm run examples:migration)', () => {
    for (const [name, text] of Object.entries(migrationFiles(example))) {
      assert.ok(readFileSync(file(name), 'utf8') === text, `examples/migration/${name} is not what the generator writes; run npm run examples:migration`);
    }
  });

  it('1. import the export under "Use both verified and unverified emails": each row created, completed, left as it was, or refused with its line', async () => {
    const run = await runCli(['import', file('accounts.csv'), '--db', db, '--setting', 'verified-and-unverified']);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { created: number; updated: number; unchanged: number; rejected: number; rows: { line: number; outcome: string; error?: { code: string } }[] };
    const { rows: expectedRows, ...totals } = example.expected.import;
    assert.deepEqual({ created: report.created, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected }, totals);
    const byLine = new Map(report.rows.map((row) => [row.line, row]));
    for (const row of expectedRows) {
      const got = byLine.get(row.line);
      assert.equal(got?.outcome, row.outcome, `line ${row.line}`);
      if (row.code !== undefined) assert.equal(got?.error?.code, row.code, `line ${row.line}`);
    }
    // Which user each line made or completed, from the store's log (whatever the import's ref scheme).
    const store = Store.open({ path: db });
    try {
      for (const logged of store.loggedResults()) {
        if (logged.input.type === 'import' && logged.result.user !== null) userOfLine.set(`line:${logged.input.line}`, logged.result.user);
      }
    } finally {
      store.close();
    }
    for (const row of expectedRows) if (row.user !== undefined) assert.equal(userOfLine.get(`line:${row.line}`), resolve(row.user), `line ${row.line}`);

    const stats = await statsNow();
    const { users, usersWithoutVerifiedIdentity, unverifiedIdentities, usersWithExternalId } = stats;
    assert.deepEqual({ users, usersWithoutVerifiedIdentity, unverifiedIdentities, usersWithExternalId }, example.expected.afterImport);
    const count = await runCli(['count', '--db', db]);
    assert.deepEqual(JSON.parse(count.stdout), { usersWithoutVerifiedIdentity, unverifiedIdentities, users });
  });

  it('2. replay the recorded month into the store: every event decided as flows.md says, refusals included', async () => {
    const run = await runCli(['replay', file('month.json'), '--db', db]);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    checkResults(result.results, example.expected.month);
    const refused = result.results.filter((r: { outcome: string }) => r.outcome === 'rejected');
    assert.ok(refused.length > 0 && refused.every((r: { rule: string }) => r.rule === 'AUTH-CONFLICT' || r.rule === 'AUTH-INVALID-TOKEN'));
    // The whole store's users and conversations follow this run's results.
    const stats = await statsNow();
    assert.equal(result.users.filter((user: { mergedInto?: string }) => user.mergedInto === undefined).length, stats.users);
    assert.equal(result.conversations.length, stats.conversations.total);
  });

  it('3. stats: the counts the seed says to watch, and conversations by rule and setting', async () => {
    const stats = await statsNow();
    const { conversationsByRule, ...counts } = example.expected.afterMonth;
    const { users, usersWithoutVerifiedIdentity, unverifiedIdentities, usersWithExternalId } = stats;
    assert.deepEqual({ users, usersWithoutVerifiedIdentity, unverifiedIdentities, usersWithExternalId }, counts);
    assert.deepEqual(sorted(stats.conversations.byRule), sorted(conversationsByRule));
    assert.deepEqual(Object.keys(stats.conversations.bySetting), ['verified-and-unverified']);
    assert.equal(stats.setting, 'verified-and-unverified');
    // Under "both", visitors who type new addresses make unverified profiles: the count to bring down went up.
    assert.ok(usersWithoutVerifiedIdentity > example.expected.afterImport.usersWithoutVerifiedIdentity);
  });

  let whatIf: WhatIfReport;
  it('4. what-if "Use only verified emails": each conversation in its class, grouped by rule; refused requests named as unseen', async () => {
    const run = await runCli(['what-if', '--db', db, '--setting', 'verified-only']);
    assert.equal(run.status, 0, run.stderr);
    whatIf = JSON.parse(run.stdout) as WhatIfReport;
    const expected = [...example.expected.month].filter(([, result]) => result.whatIf !== undefined);
    const changed = new Map(whatIf.changes.map((change) => [change.ref, change]));
    const wrong = expected.filter(([ref, result]) => {
      const change = changed.get(ref);
      const cls = change?.class ?? 'same-user';
      return cls !== result.whatIf!.class || (change !== undefined && change.whatIf.rule !== result.whatIf!.rule) || (change !== undefined && change.recorded.rule !== result.rule);
    });
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} conversations classed otherwise than flows.md gives`);
    assert.equal(whatIf.changes.length, expected.filter(([, result]) => result.whatIf!.class !== 'same-user').length);
    const tally = (prefix: string) => {
      const counts: Record<string, number> = {};
      for (const [ref, result] of expected) if (ref.startsWith(prefix)) counts[result.whatIf!.class] = (counts[result.whatIf!.class] ?? 0) + 1;
      return counts;
    };
    assert.deepEqual(sorted(whatIf.conversations.classes), sorted(tally('c')));
    assert.deepEqual(sorted(whatIf.logins.classes), sorted(tally('l')));
    // Under only verified emails every visitor gets a user of their own: no conversation joins another existing user.
    assert.equal(whatIf.conversations.classes['another-existing-user'], undefined);
    assert.equal(whatIf.conversations.goingElsewhere, whatIf.conversations.classes['new-user-instead-of-existing']);
    const byRule = new Map(whatIf.byRule.map((group) => [group.rule, group]));
    assert.deepEqual(byRule.get('VISIT-JOIN-UNVERIFIED')?.whatIfRules, { 'VISIT-STRICT': byRule.get('VISIT-JOIN-UNVERIFIED')?.total });
    assert.deepEqual(byRule.get('VISIT-NEW-UNVERIFIED')?.classes, { 'same-landing-another-rule': byRule.get('VISIT-NEW-UNVERIFIED')?.total });
    // The agents' merges and the import rows give the same results.
    assert.deepEqual(whatIf.otherEvents.changes, []);
    assert.ok(whatIf.notSeen.some((sentence) => /conflict/.test(sentence)));
    assert.deepEqual(whatIf.source, { kind: 'store', profile: 'reference', loggedEvents: (await statsNow()).importedRows + expected.length + [...example.expected.month.values()].filter((r) => r.rule === 'ADMIN-MERGE').length });
  });

  it('5. switch to "Use only verified emails": nothing already there changes', async () => {
    const before = await statsNow();
    const run = await runCli(['switch', 'verified-only', '--db', db]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).to, 'verified-only');
    const after = await statsNow();
    assert.deepEqual({ ...after, setting: before.setting, settingChanges: before.settingChanges }, before);
    // The month cannot be appended again: its refs are in the log, and its setting is no longer in force.
    assert.match(assertOneLineError(await runCli(['replay', file('month.json'), '--db', db])), /^settings: .*"verified-and-unverified".*"verified-only"/);
  });

  it('6. replay the week after the switch: visitors get users of their own, signed-in customers as before', async () => {
    const run = await runCli(['replay', file('after-switch.json'), '--db', db]);
    assert.equal(run.status, 0, run.stderr);
    checkResults(JSON.parse(run.stdout).results, example.expected.afterSwitch);
    const stats = await statsNow();
    const { users, usersWithoutVerifiedIdentity, unverifiedIdentities, usersWithExternalId } = stats;
    assert.deepEqual({ users, usersWithoutVerifiedIdentity, unverifiedIdentities, usersWithExternalId }, example.expected.afterAll);
    assert.deepEqual(Object.keys(stats.conversations.bySetting), ['verified-only', 'verified-and-unverified']);
    // No identity was created by a visitor after the switch (INV-STRICT-NO-IDENTITY): unverified identities only fell.
    assert.ok(unverifiedIdentities <= example.expected.afterMonth.unverifiedIdentities);
  });
});

function sorted(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
