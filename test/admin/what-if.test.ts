import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importUsers, readCsvImport } from '../../src/admin/import';
import { classify, GOING_ELSEWHERE, whatIf, whatIfStore, type Landing } from '../../src/admin/what-if';
import { settingsOf, type SettingId } from '../../src/domain';
import { Engine } from '../../src/engine';
import { DEFAULT_KEYS } from '../../src/identity/keys';
import { signTestToken } from '../../src/identity/sign';
import { loadScenario } from '../../src/replay/validate';
import { Store } from '../../src/store/store';
import { assertOneLineError, runCli } from '../support/cli';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const KEY = DEFAULT_KEYS[0]!;

const joined = (rule: Landing['rule'], user: string): Landing => ({ outcome: 'joined', rule, user });
const created = (rule: Landing['rule'], user: string): Landing => ({ outcome: 'created', rule, user });
const refused = (rule: Landing['rule']): Landing => ({ outcome: 'rejected', rule, user: null, refused: 'conflict' });

describe('what-if: the class of each conversation', () => {
  const cases: [string, Parameters<typeof classify>[0], ReturnType<typeof classify>][] = [
    ['the same existing user by the same rule', { ref: 'c1', type: 'visitor', recorded: joined('VISIT-JOIN-UNVERIFIED', 'olga'), whatIf: joined('VISIT-JOIN-UNVERIFIED', 'olga') }, 'same-user'],
    ['a new user of its own by the same rule', { ref: 'c1', type: 'visitor', recorded: created('VISIT-STRICT', 'new:c1'), whatIf: created('VISIT-STRICT', 'new:c1') }, 'same-user'],
    ['a new user of its own both times, by another rule', { ref: 'c1', type: 'visitor', recorded: created('VISIT-NEW-UNVERIFIED', 'new:c1'), whatIf: created('VISIT-STRICT', 'new:c1') }, 'same-landing-another-rule'],
    ['the same existing user by another rule', { ref: 'c1', type: 'visitor', recorded: joined('VISIT-CLAIM-VERIFIED', 'kim'), whatIf: joined('VISIT-JOIN-UNVERIFIED', 'kim') }, 'same-landing-another-rule'],
    ['another existing user', { ref: 'c3', type: 'visitor', recorded: joined('VISIT-JOIN-UNVERIFIED', 'olga'), whatIf: joined('VISIT-JOIN-UNVERIFIED', 'new:c1') }, 'another-existing-user'],
    ['a new user instead of an existing one', { ref: 'c1', type: 'visitor', recorded: joined('VISIT-JOIN-UNVERIFIED', 'olga'), whatIf: created('VISIT-STRICT', 'new:c1') }, 'new-user-instead-of-existing'],
    ['an existing user instead of a new one', { ref: 'c2', type: 'visitor', recorded: created('VISIT-STRICT', 'new:c2'), whatIf: joined('VISIT-JOIN-UNVERIFIED', 'new:c1') }, 'existing-user-instead-of-new'],
    ['a login: a new user made by the login and the visitor\'s own user upgraded are both new users of its own', { ref: 'l1', type: 'login', conversation: 'c1', recorded: created('LOGIN-MOVE', 'new:l1'), whatIf: { outcome: 'upgraded', rule: 'LOGIN-UPGRADE', user: 'new:c1' } }, 'same-landing-another-rule'],
    ['a login that merges into an existing user instead of upgrading', { ref: 'l1', type: 'login', conversation: 'c1', recorded: { outcome: 'upgraded', rule: 'LOGIN-UPGRADE', user: 'new:c1' }, whatIf: { outcome: 'merged', rule: 'LOGIN-MERGE', user: 'kim' } }, 'existing-user-instead-of-new'],
    ['accepted, then refused', { ref: 'c4', type: 'signed-in', recorded: created('AUTH-NEW', 'new:c4'), whatIf: refused('AUTH-CONFLICT') }, 'refused-instead'],
    ['refused, then accepted', { ref: 'c4', type: 'signed-in', recorded: refused('AUTH-CONFLICT'), whatIf: created('AUTH-NEW', 'new:c4') }, 'accepted-instead'],
    ['refused both times', { ref: 'c4', type: 'signed-in', recorded: refused('AUTH-INVALID-TOKEN'), whatIf: refused('AUTH-INVALID-TOKEN') }, 'refused-under-both'],
  ];
  for (const [name, pair, expected] of cases) {
    it(`${name}: ${expected}`, () => assert.equal(classify(pair), expected));
  }

  it('a visitor who gets a new user of its own under both settings is not going elsewhere (the defect: it was listed as "different")', async () => {
    const scenario = loadScenario(
      JSON.stringify({
        title: 'Nina types an address nobody holds',
        settings: settingsOf('verified-and-unverified'),
        now: '2026-01-01T00:00:00Z',
        events: [{ ref: 'c1', type: 'visitor', name: 'Nina', email: 'nina@example.com' }],
      }),
    );
    const report = await whatIf(scenario, 'verified-only');
    assert.deepEqual(report.conversations, { total: 1, goingElsewhere: 0, classes: { 'same-landing-another-rule': 1 } });
    assert.deepEqual(report.changes.map((change) => [change.ref, change.class]), [['c1', 'same-landing-another-rule']]);
    assert.equal(report.changes.filter((change) => GOING_ELSEWHERE.includes(change.class)).length, 0);
  });
});

describe('what-if --db: a store\'s recorded history decided again', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'idmatrix-what-if-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const token = (claims: Record<string, unknown>) => signTestToken({ scope: 'user', ...claims }, KEY);

  /**
   * Under "verified and unverified": an import (Kim kim-1 verified, Olga unverified without external id,
   * Lee lee-7 without email), visitors, sign-ins, logins, merges; then, unless `switchAtEnd` is false, a
   * switch to "only verified emails" and one more visitor.
   */
  async function recordedStore(path: string, switchAtEnd = true): Promise<void> {
    const engine = await Engine.open({ path, settings: settingsOf('verified-and-unverified'), now: () => NOW });
    try {
      const csv = 'external_id,name,verified_emails,unverified_emails\nkim-1,Kim,kim@example.com,\n,Olga,,olga@example.com\nlee-7,Lee,,\n';
      const report = importUsers(engine.store, readCsvImport(csv), 'crm');
      assert.deepEqual([report.created, report.rejected], [3, 0]);
      engine.visitor('c1', { name: 'Olga', email: 'olga@example.com' });
      engine.visitor('c2', { name: 'Nina', email: 'nina@example.com' });
      engine.visitor('c3', { name: 'Nina', email: 'nina@example.com' });
      await engine.signedIn('c4', token({ external_id: 'kim-1', email: 'kim@example.com', email_verified: true }));
      await engine.signedIn('c5', token({ external_id: 'nina-9', email: 'nina@example.com', email_verified: true }));
      engine.visitor('c6', { name: null, email: null });
      await engine.login('l1', 'c6', token({ external_id: 'lee-7' }));
      engine.visitor('c7', { name: 'Olga', email: 'olga@example.com' });
      await engine.login('l2', 'c7', token({ external_id: 'olga-5', email: 'olga@example.com', email_verified: true }));
      assert.equal(engine.merge('m1', 'new:c2', 'new:crm:3').outcome, 'merged');
      assert.equal(engine.merge('m2', 'new:l2', 'new:crm:3').outcome, 'merged');
      assert.equal(engine.merge('m3', 'new:c3', 'new:crm:3').outcome, 'rejected'); // c3 joined new:c2: not logged
      await engine.signedIn('c9', 'not a token'); // refused: not logged
      if (switchAtEnd) {
        engine.switchSettings('s1', settingsOf('verified-only'));
        engine.visitor('c8', { name: 'Olga', email: 'olga@example.com' });
      }
    } finally {
      engine.close();
    }
  }

  async function reportOf(path: string, setting: SettingId) {
    const store = Store.open({ path });
    try {
      return await whatIfStore(store, setting);
    } finally {
      store.close();
    }
  }

  it('classifies every conversation and login of the log, groups them by rule, and says what it cannot see', async () => {
    const path = join(dir, 'account.db');
    await recordedStore(path);
    const report = await reportOf(path, 'verified-only');
    const { notSeen, ...rest } = report;
    assert.ok(notSeen.length > 0 && notSeen.some((sentence) => /refused/.test(sentence) && /conflict/.test(sentence)), 'names the refused requests it cannot see');
    assert.deepEqual(JSON.parse(JSON.stringify(rest)), {
      source: { kind: 'store', profile: 'reference', loggedEvents: 16 },
      whatIf: 'verified-only',
      recordedSettings: { 'verified-only': 1, 'verified-and-unverified': 9 },
      conversations: { total: 8, goingElsewhere: 3, classes: { 'same-user': 3, 'same-landing-another-rule': 2, 'new-user-instead-of-existing': 3 } },
      logins: { total: 2, goingElsewhere: 0, classes: { 'same-user': 1, 'same-landing-another-rule': 1 } },
      byRule: [
        { rule: 'AUTH-NEW-SUPERSEDE', total: 1, goingElsewhere: 0, classes: { 'same-landing-another-rule': 1 }, whatIfRules: { 'AUTH-NEW': 1 } },
        { rule: 'AUTH-LINK', total: 1, goingElsewhere: 0, classes: { 'same-user': 1 }, whatIfRules: { 'AUTH-LINK': 1 } },
        { rule: 'VISIT-NO-EMAIL', total: 1, goingElsewhere: 0, classes: { 'same-user': 1 }, whatIfRules: { 'VISIT-NO-EMAIL': 1 } },
        { rule: 'VISIT-STRICT', total: 1, goingElsewhere: 0, classes: { 'same-user': 1 }, whatIfRules: { 'VISIT-STRICT': 1 } },
        { rule: 'VISIT-JOIN-UNVERIFIED', total: 3, goingElsewhere: 3, classes: { 'new-user-instead-of-existing': 3 }, whatIfRules: { 'VISIT-STRICT': 3 } },
        { rule: 'VISIT-NEW-UNVERIFIED', total: 1, goingElsewhere: 0, classes: { 'same-landing-another-rule': 1 }, whatIfRules: { 'VISIT-STRICT': 1 } },
        { rule: 'LOGIN-MERGE', total: 1, goingElsewhere: 0, classes: { 'same-user': 1 }, whatIfRules: { 'LOGIN-MERGE': 1 } },
        { rule: 'LOGIN-MOVE', total: 1, goingElsewhere: 0, classes: { 'same-landing-another-rule': 1 }, whatIfRules: { 'LOGIN-UPGRADE': 1 } },
      ],
      changes: [
        { ref: 'c1', type: 'visitor', class: 'new-user-instead-of-existing', recorded: joined('VISIT-JOIN-UNVERIFIED', 'new:crm:3'), whatIf: created('VISIT-STRICT', 'new:c1') },
        { ref: 'c2', type: 'visitor', class: 'same-landing-another-rule', recorded: created('VISIT-NEW-UNVERIFIED', 'new:c2'), whatIf: created('VISIT-STRICT', 'new:c2') },
        { ref: 'c3', type: 'visitor', class: 'new-user-instead-of-existing', recorded: joined('VISIT-JOIN-UNVERIFIED', 'new:c2'), whatIf: created('VISIT-STRICT', 'new:c3') },
        { ref: 'c5', type: 'signed-in', class: 'same-landing-another-rule', recorded: created('AUTH-NEW-SUPERSEDE', 'new:c5'), whatIf: created('AUTH-NEW', 'new:c5') },
        { ref: 'c7', type: 'visitor', class: 'new-user-instead-of-existing', recorded: joined('VISIT-JOIN-UNVERIFIED', 'new:crm:3'), whatIf: created('VISIT-STRICT', 'new:c7') },
        {
          ref: 'l2',
          type: 'login',
          conversation: 'c7',
          class: 'same-landing-another-rule',
          recorded: created('LOGIN-MOVE', 'new:l2'),
          whatIf: { outcome: 'upgraded', rule: 'LOGIN-UPGRADE', user: 'new:c7' },
        },
      ],
      otherEvents: {
        unchanged: 4,
        changes: [
          { ref: 'm2', type: 'merge', recorded: { outcome: 'merged', rule: 'ADMIN-MERGE', user: 'new:crm:3' }, whatIf: { outcome: 'rejected', rule: 'ADMIN-MERGE', user: null, refused: 'merge-refused' } },
        ],
      },
      skippedSettingsEvents: ['s1'],
    });
  });

  it('decided again under the setting it was recorded under, a history gives every event its logged result', async () => {
    const path = join(dir, 'account.db');
    await recordedStore(path, false);
    const report = await reportOf(path, 'verified-and-unverified');
    assert.deepEqual(report.changes, []);
    assert.deepEqual(report.otherEvents, { unchanged: 5, changes: [] });
    assert.deepEqual(report.conversations.classes, { 'same-user': 7 });
    assert.deepEqual(report.logins.classes, { 'same-user': 2 });
  });

  it('the command prints the report of the store', async () => {
    const path = join(dir, 'account.db');
    await recordedStore(path);
    const run = await runCli(['what-if', '--db', path, '--setting', 'verified-only']);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.deepEqual(JSON.parse(run.stdout), JSON.parse(JSON.stringify(await reportOf(path, 'verified-only'))));
  });

  it('refuses in one line a store whose history is incomplete: starting users given to replay --db', async () => {
    const scenarioPath = join(dir, 'scenario.json');
    writeFileSync(
      scenarioPath,
      JSON.stringify({
        settings: settingsOf('verified-and-unverified'),
        now: '2026-01-01T00:00:00Z',
        users: [{ ref: 'olga', emails: [{ address: 'olga@example.com', verified: false }] }],
        events: [{ ref: 'c1', type: 'visitor', email: 'olga@example.com' }],
      }),
    );
    const path = join(dir, 'replayed.db');
    assert.equal((await runCli(['replay', scenarioPath, '--db', path])).status, 0);
    const line = assertOneLineError(await runCli(['what-if', '--db', path, '--setting', 'verified-only']));
    assert.match(line, /history is incomplete: 1 starting user was given to replay --db outside its event log \("olga"\)/);
  });

  it('refuses in one line a store of schema version 1 (no logged inputs), a missing store, and a scenario given with --db', async () => {
    const v1 = join(dir, 'v1.db');
    const db = new Database(v1);
    db.exec('CREATE TABLE settings (id INTEGER PRIMARY KEY)');
    db.pragma('user_version = 1');
    db.close();
    assert.match(assertOneLineError(await runCli(['what-if', '--db', v1, '--setting', 'verified-only'])), /schema version 1/);
    assert.match(assertOneLineError(await runCli(['what-if', '--db', join(dir, 'missing.db'), '--setting', 'verified-only'])), /no store at/);
    assert.match(assertOneLineError(await runCli(['what-if', 'x.json', '--db', v1, '--setting', 'verified-only'])), /give either a scenario file or --db/);
  });
});
