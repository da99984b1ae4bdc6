import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Engine } from '../src/engine';
import { traceScenario } from '../src/invariants';
import { RULE_IDS, type RuleId } from '../src/policy/rules';
import type { ReadingProfile } from '../src/domain';
import type { Scenario } from '../src/replay/types';
import { ScenarioBuilder, scenarioArb } from './arbitraries/events';
import { CLAIM_VERIFIED, settingsArb, VERIFIED_AND_UNVERIFIED } from './arbitraries/settings';
import { buildUsers, usersSpecArb } from './arbitraries/users';
import { KEYS, NOW_TEXT } from './arbitraries/values';
import { firstDisagreement, modelFor } from './harness/agreement';
import { PROPERTY_PROFILES } from './harness/config';
import { HistoryFailure } from './harness/counterexample';
import { property, RUN_LOG, runProperty } from './harness/property';
import { loginCommandArb } from './model/commands/login';
import { mergeCommandArb } from './model/commands/merge';
import { settingsCommandArb } from './model/commands/settings';
import { signedInCommandArb } from './model/commands/signed-in';
import type { ModelSide, RealSide } from './model/commands/system';
import { visitorCommandArb } from './model/commands/visitor';
import { parseNow } from '../src/replay/validate';

/**
 * The engine against the independent model of properties/model/model.ts: fast-check model-based
 * testing (one command per event kind), and a property that they agree on every event of random
 * histories. Both also check every step invariant after each event.
 */

/** Rules an event can be decided by (ADMIN-IMPORT and ADMIN-UNVERIFIED-COUNT are not events). */
const AGREEMENT_RUNS = 500;

const EVENT_RULES = RULE_IDS.filter((rule) => rule !== 'ADMIN-IMPORT' && rule !== 'ADMIN-UNVERIFIED-COUNT');

/** The reading profiles of flows.md: the model learns them from their section, and agrees under each (fewer runs for seed and doc). */
const PROFILES: readonly { readonly profile: ReadingProfile; readonly scale: number }[] = [
  { profile: 'reference', scale: 1 },
  { profile: 'seed', scale: 10 },
  { profile: 'doc', scale: 10 },
];

/** Enough histories, weighted towards what the profile changes, that each case below is reached with near certainty. */
const PROFILE_AGREEMENT_RUNS = 150;

/** What each profile decides otherwise, as `rule outcome` of a result: the agreement must reach each. */
const PROFILE_CASES: Readonly<Record<'seed' | 'doc', readonly string[]>> = {
  seed: ['AUTH-ADOPT created', 'AUTH-CONFLICT created', 'LOGIN-UPGRADE upgraded', 'LOGIN-MOVE created'],
  doc: ['LOGIN-MOVE merged'],
};

for (const { profile, scale } of PROFILES) {
  if (profile === 'reference' || !PROPERTY_PROFILES.includes(profile)) continue;
  const suffix = `@${profile}`;
  const reached = new Map<string, number>();
  describe(`properties: the engine agrees with the independent model under the ${profile} reading`, () => {
    modelCommandsProperty(profile, suffix, Math.ceil(300 / scale));
    property(`MODEL-AGREEMENT${suffix}`, `on every event of a random history, under the ${profile} reading, the engine and the model agree`, () =>
      runProperty({
        id: `MODEL-AGREEMENT${suffix}`,
        profile,
        runs: PROFILE_AGREEMENT_RUNS,
        // What the profile changes weighs more: sign-ins and logins for seed; for doc, visitors who join
        // someone (outside verified-only) and then sign in.
        arbitrary:
          profile === 'seed'
            ? scenarioArb({ maxEvents: 10, weights: { visitor: 3, signedIn: 6, login: 5, merge: 1, settings: 0 } })
            : scenarioArb({ maxEvents: 10, settings: fc.constantFrom(VERIFIED_AND_UNVERIFIED, CLAIM_VERIFIED), weights: { visitor: 5, login: 5, signedIn: 2, merge: 1, settings: 0 } }),
        scenarioOf: (scenario) => scenario,
        predicate: async (scenario) => {
          const trace = await traceScenario(scenario, { profile });
          for (const step of trace.steps) {
            const key = `${step.result.rule} ${step.result.outcome}`;
            reached.set(key, (reached.get(key) ?? 0) + 1);
          }
          if (trace.error !== undefined) throw new HistoryFailure(`ENGINE-ERROR at ${trace.error.event}: ${trace.error.message}`, scenario);
          const difference = firstDisagreement(scenario, trace.steps, profile);
          if (difference !== null) throw new HistoryFailure(`MODEL-AGREEMENT${suffix} at events[${difference.index}] (${difference.event}): ${difference.message}`, scenario);
        },
      }),
    );

    it(`the random histories reach what the ${profile} reading decides otherwise`, function () {
      const agreement = RUN_LOG.find((run) => run.id === `MODEL-AGREEMENT${suffix}`);
      if (agreement === undefined || agreement.failed || agreement.runs < PROFILE_AGREEMENT_RUNS) this.skip();
      const cases = PROFILE_CASES[profile as 'seed' | 'doc'];
      console.log(`      reached: ${cases.map((key) => `${key} ${reached.get(key) ?? 0}`).join(', ')}`);
      assert.deepEqual(cases.filter((key) => !reached.has(key)), [], 'cases no random history reached');
    });
  });
}

function modelCommandsProperty(profile: ReadingProfile, suffix: string, runs: number): void {
  property(`MODEL-COMMANDS${suffix}`, 'fast-check model-based run: each command agrees with the model on rule, outcome, user, flags and store', () => {
    const commands = fc.commands(
      [visitorCommandArb(), signedInCommandArb(), loginCommandArb(), mergeCommandArb(), settingsCommandArb()],
      { maxCommands: 12 },
    );
    return runProperty({
      id: `MODEL-COMMANDS${suffix}`,
      profile,
      runs,
      arbitrary: fc.tuple(settingsArb(), usersSpecArb(), commands),
      predicate: async ([settings, usersSpec, cmds]) => {
        const users = buildUsers(usersSpec);
        const base: Scenario = { settings, now: NOW_TEXT, keys: KEYS, users, events: [] };
        const { model, claims } = modelFor(base, profile);
        const now = parseNow(NOW_TEXT);
        const engine = await Engine.open({ settings, keys: KEYS, now: () => now, profile });
        try {
          engine.addUsers(users);
          const setup = (): { model: ModelSide; real: RealSide } => ({
            model: { model, builder: new ScenarioBuilder(settings, users), claims },
            real: { engine },
          });
          await fc.asyncModelRun(setup, cmds);
        } finally {
          engine.close();
        }
      },
    });
  });
}

describe('properties: the engine agrees with an independent model of flows.md', () => {
  modelCommandsProperty('reference', '', 300);

  const seen = new Map<RuleId, number>();

  property('MODEL-AGREEMENT', 'on every event of a random history the engine and the model give the same rule ID, outcome, user, flags and store', () =>
    runProperty({
      id: 'MODEL-AGREEMENT',
      runs: AGREEMENT_RUNS,
      arbitrary: scenarioArb({ maxEvents: 10 }),
      scenarioOf: (scenario) => scenario,
      predicate: async (scenario) => {
        const trace = await traceScenario(scenario);
        for (const step of trace.steps) seen.set(step.result.rule, (seen.get(step.result.rule) ?? 0) + 1);
        if (trace.error !== undefined) throw new HistoryFailure(`ENGINE-ERROR at ${trace.error.event}: ${trace.error.message}`, scenario);
        const difference = firstDisagreement(scenario, trace.steps);
        if (difference !== null) throw new HistoryFailure(`MODEL-AGREEMENT at events[${difference.index}] (${difference.event}): ${difference.message}`, scenario);
      },
    }),
  );

  it('the random histories reach every rule an event can be decided by', function () {
    // Only meaningful when the agreement property ran all its histories, at least its default count.
    const agreement = RUN_LOG.find((run) => run.id === 'MODEL-AGREEMENT');
    if (agreement === undefined || agreement.failed || agreement.runs < AGREEMENT_RUNS) this.skip();
    const counts = EVENT_RULES.map((rule) => `${rule} ${seen.get(rule) ?? 0}`);
    console.log(`      rules reached: ${counts.join(', ')}`);
    const missing = EVENT_RULES.filter((rule) => !seen.has(rule));
    assert.deepEqual(missing, [], `rules no random history reached: ${missing.join(', ')}`);
  });
});
