import { strict as assert } from 'node:assert';
import { importUsers } from '../src/admin/import';
import { whatIfStore } from '../src/admin/what-if';
import { settingIdOf, type ReadingProfile } from '../src/domain';
import { openScenarioEngine, runScenarioEvent } from '../src/replay/run';
import type { Scenario, ScenarioEvent } from '../src/replay/types';
import { scenarioArb } from './arbitraries/events';
import { property, runProperty } from './harness/property';

/**
 * `what-if --db` decides a store's history again from its event log. Held here over random histories:
 * decided again under the setting it was recorded under (no switch in it), every logged event gets the
 * result it was logged with. So the log keeps every input a decision reads, and re-deciding from it is
 * faithful. The starting users of a random history are given as an import, which the log records (a
 * store with starting users of `replay --db` is refused by what-if --db).
 */
const RUNS = 200;

/** Under each reading profile (the store records its own, and what-if --db decides under it); seed and doc at a fifth of the runs. */
for (const profile of ['reference', 'seed', 'doc'] as const satisfies readonly ReadingProfile[]) {
  const id = `WHAT-IF-REPLAYS-ITS-LOG${profile === 'reference' ? '' : `@${profile}`}`;
  property(id, `a history decided again under its own setting gives every logged event its logged result (reading ${profile})`, () =>
    runProperty({
      id,
      arbitrary: scenarioArb({ weights: { settings: 0 }, maxEvents: 12 }),
      scenarioOf: (scenario: Scenario) => scenario,
      runs: profile === 'reference' ? RUNS : RUNS / 5,
      predicate: async (scenario: Scenario) => {
        const engine = await openScenarioEngine({ ...scenario, users: [] }, undefined, profile);
        try {
          const users = scenario.users ?? [];
          const imported = importUsers(
            engine.store,
            users.map((user, index) => ({ line: index + 2, externalId: user.externalId ?? null, name: user.name ?? null, emails: user.emails ?? [] })),
            'crm',
          );
          assert.equal(imported.rejected, 0, 'starting users import as they are');
          const refOf = new Map(users.map((user, index) => [user.ref, imported.rows[index]?.user ?? user.ref]));
          for (const event of scenario.events) {
            const moved: ScenarioEvent = event.type === 'merge' ? { ...event, from: refOf.get(event.from) ?? event.from, into: refOf.get(event.into) ?? event.into } : event;
            await runScenarioEvent(engine, scenario, moved);
          }
          const report = await whatIfStore(engine.store, settingIdOf(scenario.settings));
          assert.deepEqual(report.changes, [], 'conversations or logins decided otherwise');
          assert.deepEqual(report.otherEvents.changes, [], 'merges or import rows decided otherwise');
          assert.equal(report.conversations.goingElsewhere + report.logins.goingElsewhere, 0);
        } finally {
          engine.close();
        }
      },
    }),
  );
}
