import { strict as assert } from 'node:assert';
import { RULE_IDS } from '../src/policy/rules';
import { enumerateStores, eventAlphabet } from './exhaustive/alphabet';
import { explore, formatProgress, type Bound, type ExploreReport } from './exhaustive/run';
import { Sandbox } from './exhaustive/sandbox';
import { VERIFIED_AND_UNVERIFIED } from './arbitraries/settings';
import { reproduceCommands, writeCounterexample } from './harness/counterexample';
import { recordFigure } from './harness/property';

/**
 * The exhaustive small-scope check (the small-scope hypothesis behind Alloy and TLC): every starting
 * store up to a bound, every sequence of events over a small alphabet (properties/exhaustive/alphabet.ts),
 * in every setting; every INV-* and the model's agreement checked on each world.
 *
 * EXHAUSTIVE=default (npm test): stores of up to 2 users with 1 event, and of up to 1 user with up to 2
 * events. EXHAUSTIVE=deep (properties:deep): up to 2 users and up to 2 events. EXHAUSTIVE_USERS and
 * EXHAUSTIVE_DEPTH give one bound of your own (e.g. 1 and 3); EXHAUSTIVE=off skips the check.
 */

const SAMPLE_EVERY = 200;

function bounds(): Bound[] {
  const users = process.env.EXHAUSTIVE_USERS;
  const depth = process.env.EXHAUSTIVE_DEPTH;
  if (users !== undefined || depth !== undefined) {
    return [{ maxUsers: Number(users ?? 2), depth: Number(depth ?? 2), sampleEvery: SAMPLE_EVERY }];
  }
  switch (process.env.EXHAUSTIVE ?? 'default') {
    case 'off':
      return [];
    case 'deep':
      return [{ maxUsers: 2, depth: 2, sampleEvery: SAMPLE_EVERY }];
    case 'default':
      return [
        { maxUsers: 2, depth: 1, sampleEvery: SAMPLE_EVERY },
        { maxUsers: 1, depth: 2, sampleEvery: SAMPLE_EVERY },
      ];
    default:
      throw new Error(`EXHAUSTIVE must be default, deep or off, not "${process.env.EXHAUSTIVE}"`);
  }
}

const EVENT_RULES = RULE_IDS.filter((rule) => rule !== 'ADMIN-IMPORT' && rule !== 'ADMIN-UNVERIFIED-COUNT');

function summary(report: ExploreReport): string {
  const { bound } = report;
  return (
    `${report.worlds} worlds (${report.stores} starting stores of up to ${bound.maxUsers} user(s) x 3 settings x every sequence of 1..${bound.depth} event(s); ` +
    `by length ${report.worldsByDepth.join(' + ')}), ${report.probed} cross-setting probes, ${report.replayed} worlds replayed from scratch, ${report.seconds.toFixed(1)} s`
  );
}

describe('exhaustive small-scope check: every world up to a bound, every INV-* and the model', () => {
  it('the sandbox puts the store back byte for byte, the setting included', async () => {
    const users = enumerateStores(1).at(-1)!;
    const sandbox = await Sandbox.open(VERIFIED_AND_UNVERIFIED, users);
    try {
      const before = sandbox.engine.store.dump();
      for (const event of eventAlphabet([], users.map((user) => user.ref))) {
        await sandbox.branch(async () => {
          await sandbox.run(event);
        });
        assert.ok(sandbox.engine.store.dump().equals(before), `${JSON.stringify(event)} left the store changed`);
        assert.equal(sandbox.engine.settingId, 'verified-and-unverified');
      }
    } finally {
      sandbox.close();
    }
  });

  for (const bound of bounds()) {
    it(`EXHAUSTIVE-U${bound.maxUsers}-D${bound.depth}: every world of up to ${bound.maxUsers} starting user(s) and ${bound.depth} event(s), in every setting: no violation`, async function () {
      this.timeout(0);
      const report = await explore(bound, { progress: (progress) => console.log(`      … ${formatProgress(progress)}`) });
      console.log(`      exhaustive: ${summary(report)}`);
      recordFigure(this, 'worlds', report.worlds);
      const missing = bound.depth >= 2 ? EVENT_RULES.filter((rule) => !report.rules.has(rule)) : [];
      if (bound.depth >= 2) console.log(`      rules reached: ${EVENT_RULES.map((rule) => `${rule} ${report.rules.get(rule) ?? 0}`).join(', ')}`);
      if (report.findings.size === 0) {
        assert.deepEqual(missing, [], `rules no world reached: ${missing.join(', ')}`);
        return;
      }
      const lines = [`the exhaustive check found violations in ${summary(report)}:`];
      for (const [key, finding] of report.findings) {
        const path = writeCounterexample(key, `exhaustive-u${bound.maxUsers}d${bound.depth}`, finding.scenario, finding.message);
        lines.push(`${key}: ${finding.count} world(s); first: ${finding.message}`, `  counterexample: ${path}`, ...reproduceCommands(path).map((c) => `    ${c}`));
      }
      if (missing.length > 0) lines.push(`(and no world reached ${missing.join(', ')})`);
      throw new Error(lines.join('\n'));
    });
  }
});
