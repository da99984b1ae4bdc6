import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  INVARIANT_IDS,
  checkDeterministic,
  checkModeBlind,
  checkScenario,
  checkVisitorMonotone,
  formatViolation,
  probeSettings,
  SETTING_NAMES,
  type InvariantId,
  type SettingProbe,
  type Violation,
} from '../src/invariants';
import { replay } from '../src/replay/run';
import type { Scenario, ScenarioEvent } from '../src/replay/types';
import {
  eventSpecArb,
  loginSpecArb,
  ScenarioBuilder,
  scenarioArb,
  signedInSpecArb,
  visitorSpecArb,
  type EventSpec,
} from './arbitraries/events';
import { CLAIM_VERIFIED, settingsArb, VERIFIED_AND_UNVERIFIED, VERIFIED_ONLY, type SettingsPair } from './arbitraries/settings';
import { tokenSpecArb } from './arbitraries/tokens';
import { buildUsers, usersSpecArb, type UsersSpec } from './arbitraries/users';
import { RUN_DESCRIPTION, SEED } from './harness/config';
import { HistoryFailure } from './harness/counterexample';
import { property, runProperty } from './harness/property';

/**
 * One property per invariant of `flows.md`, named by its ID, over random histories (settings, starting
 * users, events) run against the reference engine. The checkers are src/invariants (the same that
 * `idmatrix check` runs); a failure writes the shrunk history as a scenario file.
 */

const DEFAULT_RUNS = 300;

function fail(violations: readonly Violation[], scenario: Scenario): never {
  throw new HistoryFailure(violations.map(formatViolation).join('\n'), scenario);
}

/** A step invariant over whole random histories. */
function stepProperty(id: InvariantId, title: string, arbitrary: fc.Arbitrary<Scenario>, runs = DEFAULT_RUNS): void {
  property(id, title, () =>
    runProperty({
      id,
      runs,
      arbitrary,
      scenarioOf: (scenario) => scenario,
      predicate: async (scenario) => {
        const { violations } = await checkScenario(scenario, { only: [id] });
        if (violations.length > 0) fail(violations, scenario);
      },
    }),
  );
}

/** A cross-setting invariant: a random history, then one probe event run from the store it leaves under each setting. */
function probeProperty(
  id: InvariantId,
  title: string,
  probe: fc.Arbitrary<EventSpec>,
  check: (index: number, event: ScenarioEvent, probes: readonly SettingProbe[]) => Violation[],
): void {
  property(id, title, () =>
    runProperty({
      id,
      runs: DEFAULT_RUNS,
      arbitrary: probeCaseArb(probe),
      scenarioOf: probeScenario,
      predicate: async (value) => {
        const scenario = probeScenario(value);
        const index = scenario.events.length - 1;
        const probes = await probeSettings(scenario, index, SETTING_NAMES);
        if (probes === null) fail([{ invariant: 'ENGINE-ERROR', event: null, index: null, message: 'the engine threw' }], scenario);
        const violations = check(index, scenario.events[index]!, probes);
        if (violations.length > 0) fail(violations, scenario);
      },
    }),
  );
}

/** A history, then one probe event run from the store the history leaves, under each setting. */
interface ProbeCase {
  readonly settings: SettingsPair;
  readonly users: UsersSpec;
  readonly history: readonly EventSpec[];
  readonly probe: EventSpec;
}

function probeScenario(value: ProbeCase): Scenario {
  const builder = new ScenarioBuilder(value.settings, buildUsers(value.users));
  for (const spec of value.history) builder.add(spec);
  builder.add(value.probe);
  return builder.scenario();
}

function probeCaseArb(probe: fc.Arbitrary<EventSpec>): fc.Arbitrary<ProbeCase> {
  return fc.record({
    settings: settingsArb(),
    users: usersSpecArb(),
    history: fc.array(eventSpecArb(), { maxLength: 6 }),
    probe,
  });
}

describe('properties: every invariant of flows.md over random histories', () => {
  before(() => console.log(`      seed ${SEED}, ${RUN_DESCRIPTION}`));

  it('every INV-* of the invariant catalog has a property here', function () {
    const titles = (this.test?.parent?.tests ?? []).map((test) => test.title);
    const missing = INVARIANT_IDS.filter((id) => !titles.some((title) => title.startsWith(`${id}: `)));
    assert.deepEqual(missing, []);
  });

  stepProperty('INV-ONE-OWNER', 'an email address (normalised) is held by at most one user', scenarioArb());

  stepProperty('INV-ONE-EXTID', 'an external id is held by at most one user', scenarioArb({ weights: { signedIn: 5, login: 4, merge: 3 } }));

  stepProperty(
    'INV-NO-ANON-CLAIM',
    'under verified-only and verified-and-unverified a visitor never lands on a user holding the typed address verified',
    scenarioArb({ settings: fc.constantFrom(VERIFIED_ONLY, VERIFIED_AND_UNVERIFIED), weights: { visitor: 6, settings: 1 } }),
  );

  stepProperty(
    'INV-STRICT-NO-IDENTITY',
    'under verified-only no VISIT-* rule creates or changes an email identity',
    scenarioArb({ settings: fc.constant(VERIFIED_ONLY), weights: { visitor: 6, settings: 1 } }),
  );

  stepProperty(
    'INV-VERIFIED-BY-JWT',
    'an identity becomes verified only through a valid JWT with email_verified true for it; merges keep verified flags',
    scenarioArb(),
  );

  stepProperty('INV-VERIFIED-STAYS', 'a verified identity changes owner only through a merge (and never goes away)', scenarioArb({ weights: { merge: 3 } }));

  stepProperty(
    'INV-REJECT-WRITES-NOTHING',
    'a rejected request leaves the store byte-for-byte as it was (engine.store.dump() before and after)',
    scenarioArb({ weights: { merge: 3, settings: 2 } }),
  );

  stepProperty(
    'INV-EVERY-CONVERSATION',
    'every accepted conversation belongs to exactly one existing user, the one its result names',
    scenarioArb({ weights: { login: 4, merge: 3 } }),
  );

  probeProperty(
    'INV-AUTH-MODE-BLIND',
    'from the same store, a JWT with email_verified true or no email gives the same outcome in every setting',
    fc.oneof(signedInSpecArb(tokenSpecArb({ verifiedOnly: true })), loginSpecArb(tokenSpecArb({ verifiedOnly: true }))),
    checkModeBlind,
  );

  probeProperty(
    'INV-VISITOR-MONOTONE',
    'from the same store, what a visitor joins under verified-only it joins under verified-and-unverified, and that under claim-verified',
    visitorSpecArb(),
    checkVisitorMonotone,
  );

  property('INV-DETERMINISTIC', 'the same settings, starting users and events give the same result (two replays compared)', () =>
    runProperty({
      id: 'INV-DETERMINISTIC',
      runs: DEFAULT_RUNS,
      arbitrary: scenarioArb({ settings: fc.constantFrom(VERIFIED_ONLY, VERIFIED_AND_UNVERIFIED, CLAIM_VERIFIED) }),
      scenarioOf: (scenario) => scenario,
      predicate: async (scenario) => {
        const violations = checkDeterministic(await replay(scenario), await replay(scenario));
        if (violations.length > 0) fail(violations, scenario);
      },
    }),
  );
});
