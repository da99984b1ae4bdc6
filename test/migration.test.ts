/**
 * The seed article's migration path, walked on the example account of examples/migration/ with the
 * commands its README shows, in order, as a user types them: import the export → stats → replay a
 * recorded month → stats → what-if "Use only verified emails" → switch → replay the week after → stats.
 * Each output is checked against what the generator (scripts/migration-example.ts) predicts from
 * flows.md for the events it drew, never against the engine's own tables; and the README must show
 * exactly what each command printed (`npm run examples:migration` rewrites it).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WhatIfReport } from '../src/admin/what-if';
import { Store } from '../src/store/store';
import { generateMigrationExample, migrationFiles, MIGRATION_DIR, type ExpectedResult, type MigrationExample, type UserKey } from '../scripts/migration-example';
import { parseWalk, README, renderBlock, runStep, scratchCopy, type StepRun } from '../scripts/migration-walk';
import { runCli } from './support/cli';

describe('the migration path on the example account (examples/migration)', function () {
  this.timeout(120_000);
  const readme = readFileSync(README, 'utf8');
  const steps = parseWalk(readme);
  let example: MigrationExample;
  let scratch: ReturnType<typeof scratchCopy> | undefined;
  const db = 'account.db';
  /** `line:<n>` → the ref of the user import line n created or completed. */
  const userOfLine = new Map<string, string>();
  const resolve = (key: UserKey | null): string | null => {
    if (key === null || !key.startsWith('line:')) return key;
    const ref = userOfLine.get(key);
    if (ref === undefined) throw new Error(`no user for import ${key}`);
    return ref;
  };
  const statsNow = async () => {
    const run = await runCli(['stats', '--db', db, '--json']);
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
  };
  const countsOf = (stats: Record<string, number>) => {
    const { users, usersWithoutVerifiedIdentity, unverifiedIdentities, usersWithExternalId } = stats;
    return { users, usersWithoutVerifiedIdentity, unverifiedIdentities, usersWithExternalId };
  };
  const checkResults = (results: { ref: string; rule: string; outcome: string; user: string | null }[], expected: ReadonlyMap<string, ExpectedResult>) => {
    assert.equal(results.length, expected.size);
    const wrong = results.filter((result) => {
      const want = expected.get(result.ref);
      return want === undefined || want.rule !== result.rule || want.outcome !== result.outcome || resolve(want.user) !== result.user;
    });
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} results differ from flows.md's`);
  };

  /** What flows.md says each step of the README must print (by the step's label). */
  const checks: Record<string, (run: StepRun) => Promise<void>> = {
    async import(run) {
      assert.equal(run.status, 0, run.stderr);
      // JSON Lines: each refused row (its line, the reason), then the summary.
      const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const report = lines.at(-1) as { created: number; updated: number; unchanged: number; rejected: number };
      const refused = new Map(lines.slice(0, -1).map((row) => [row.line as number, row as { line: number; code: string }]));
      const { rows: expectedRows, ...totals } = example.expected.import;
      assert.deepEqual({ created: report.created, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected }, totals);
      assert.equal(refused.size, report.rejected);
      for (const row of expectedRows) {
        const got = refused.get(row.line);
        assert.equal(got !== undefined, row.outcome === 'rejected', `line ${row.line}`);
        if (row.code !== undefined) assert.equal(got?.code, row.code, `line ${row.line}`);
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
    },
    async 'stats-after-import'(run) {
      assert.equal(run.status, 0, run.stderr);
      const stats = await statsNow();
      assert.deepEqual(countsOf(stats), example.expected.afterImport);
      const count = await runCli(['count', '--db', db]);
      assert.deepEqual(JSON.parse(count.stdout), { usersWithoutVerifiedIdentity: stats.usersWithoutVerifiedIdentity, unverifiedIdentities: stats.unverifiedIdentities, users: stats.users });
      assert.match(run.stdout, new RegExp(`\\n  without a verified email identity +${stats.usersWithoutVerifiedIdentity.toLocaleString('en-US')}  the seed's is_verified:false search\\n`));
    },
    async month(run) {
      assert.equal(run.status, 0, run.stderr);
      const result = JSON.parse(readFileSync('month.result.json', 'utf8'));
      checkResults(result.results, example.expected.month);
      const refused = result.results.filter((r: { outcome: string }) => r.outcome === 'rejected');
      assert.ok(refused.length > 0 && refused.every((r: { rule: string }) => r.rule === 'AUTH-CONFLICT' || r.rule === 'AUTH-INVALID-TOKEN'));
      // This run's results, then the whole store's users and conversations.
      const stats = await statsNow();
      assert.equal(result.users.filter((user: { mergedInto?: string }) => user.mergedInto === undefined).length, stats.users);
      assert.equal(result.conversations.length, stats.conversations.total);
    },
    async 'stats-after-month'(run) {
      assert.equal(run.status, 0, run.stderr);
      const stats = await statsNow();
      const { conversationsByRule, ...counts } = example.expected.afterMonth;
      assert.deepEqual(countsOf(stats), counts);
      assert.deepEqual(sorted(stats.conversations.byRule), sorted(conversationsByRule));
      assert.deepEqual(Object.keys(stats.conversations.bySetting), ['verified-and-unverified']);
      assert.equal(stats.setting, 'verified-and-unverified');
    },
    async 'what-if'(run) {
      assert.equal(run.status, 0, run.stderr);
      const whatIf = JSON.parse(run.stdout) as WhatIfReport;
      const expected = [...example.expected.month].filter(([, result]) => result.whatIf !== undefined);
      const changed = new Map(whatIf.changes.map((change) => [change.ref, change]));
      const wrong = expected.filter(([ref, result]) => {
        const change = changed.get(ref);
        const cls = change?.class ?? 'same-user';
        return cls !== result.whatIf!.class || (change !== undefined && (change.whatIf.rule !== result.whatIf!.rule || change.recorded.rule !== result.rule));
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
      // Under only verified emails no visitor joins anyone: nothing goes to another existing user.
      assert.equal(whatIf.conversations.classes['another-existing-user'], undefined);
      assert.equal(whatIf.conversations.goingElsewhere, whatIf.conversations.classes['new-user-instead-of-existing']);
      const byRule = new Map(whatIf.byRule.map((group) => [group.rule, group]));
      assert.deepEqual(byRule.get('VISIT-JOIN-UNVERIFIED')?.whatIfRules, { 'VISIT-STRICT': byRule.get('VISIT-JOIN-UNVERIFIED')?.total });
      assert.deepEqual(byRule.get('VISIT-NEW-UNVERIFIED')?.classes, { 'same-landing-another-rule': byRule.get('VISIT-NEW-UNVERIFIED')?.total });
      // The agents' merges and the import rows give the same results.
      assert.deepEqual(whatIf.otherEvents.changes, []);
      assert.ok(whatIf.notSeen.some((sentence) => /conflict/.test(sentence)));
      const merges = [...example.expected.month.values()].filter((result) => result.rule === 'ADMIN-MERGE').length;
      assert.deepEqual(whatIf.source, { kind: 'store', profile: 'reference', loggedEvents: (await statsNow()).importedRows + expected.length + merges });
    },
    async 'what-if-claim'(run) {
      assert.equal(run.status, 0, run.stderr);
      // With claiming on, exactly the visitors who typed a verified customer's address would have joined that customer.
      const whatIf = JSON.parse(run.stdout) as WhatIfReport;
      const verifiedHeld = [...example.expected.month].filter(([, result]) => result.rule === 'VISIT-VERIFIED-HELD').map(([ref]) => ref);
      assert.deepEqual(whatIf.changes.map((change) => [change.ref, change.class, change.whatIf.rule]), verifiedHeld.map((ref) => [ref, 'existing-user-instead-of-new', 'VISIT-CLAIM-VERIFIED']));
    },
    async switch(run) {
      assert.equal(run.status, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).to, 'verified-only');
      // Nothing already in the store changed (ADMIN-SWITCH).
      const after = await statsNow();
      const { conversationsByRule, ...counts } = example.expected.afterMonth;
      assert.deepEqual(countsOf(after), counts);
      assert.deepEqual(sorted(after.conversations.byRule), sorted(conversationsByRule));
      assert.equal(after.setting, 'verified-only');
    },
    async 'refused-append'(run) {
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^settings: [^\n]*"verified-and-unverified"[^\n]*"verified-only"[^\n]*\n$/);
    },
    async 'after-switch'(run) {
      assert.equal(run.status, 0, run.stderr);
      checkResults(JSON.parse(readFileSync('after-switch.result.json', 'utf8')).results, example.expected.afterSwitch);
    },
    async 'stats-after-switch'(run) {
      assert.equal(run.status, 0, run.stderr);
      const stats = await statsNow();
      assert.deepEqual(countsOf(stats), example.expected.afterAll);
      assert.deepEqual(Object.keys(stats.conversations.bySetting), ['verified-only', 'verified-and-unverified']);
      // No visitor stored an address after the switch (INV-STRICT-NO-IDENTITY): unverified identities only fell.
      assert.ok(stats.unverifiedIdentities <= example.expected.afterMonth.unverifiedIdentities);
    },
  };

  before(() => {
    example = generateMigrationExample();
    scratch = scratchCopy(MIGRATION_DIR);
  });
  after(() => scratch?.done());

  it('the committed files are the generator\'s output (npm run examples:migration)', () => {
    for (const [name, text] of Object.entries(migrationFiles(example))) {
      assert.ok(readFileSync(join(MIGRATION_DIR, name), 'utf8') === text, `examples/migration/${name} is not what the generator writes; run npm run examples:migration`);
    }
  });

  it('the README walks the whole path: import, stats, a month, stats, what-if, switch, the week after, stats', () => {
    const labels = steps.map((step) => step.label);
    for (const label of ['import', 'stats-after-import', 'month', 'stats-after-month', 'what-if', 'switch', 'after-switch', 'stats-after-switch']) {
      assert.ok(labels.includes(label), `the README has no step "${label}"`);
    }
    assert.deepEqual(labels.filter((label) => checks[label] === undefined), [], 'every step of the README is checked');
  });

  for (const step of steps) {
    it(`${step.label}: $ ${step.command}`, async () => {
      const run = await runStep(step);
      await checks[step.label]?.(run);
      assert.equal(renderBlock(step, run), readme.slice(step.start, step.end), 'the README does not show what the command printed; run npm run examples:migration');
    });
  }
});

function sorted(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
