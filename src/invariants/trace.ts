import { DEFAULT_PROFILE, type ReadingProfile } from '../domain';
import { openScenarioEngine, runScenarioEvent } from '../replay/run';
import type { EventResult, ReplayResult, Scenario } from '../replay/types';
import type { SettingProbe, Step } from './checks';
import { settingsInForce, settingsPairOf, type SettingName, type StoreImage } from './state';

/**
 * Runs a scenario through the reference engine with the replay runner's own event loop
 * (`openScenarioEngine`, `runScenarioEvent` of src/replay/run.ts), and keeps what the invariant checkers
 * need: the store image (and, on request, the database image) before and after every event. The engine
 * is the subject here; nothing of its policy is read.
 */

export interface TraceOptions {
  /** Take `engine.store.dump()` around every event (for INV-REJECT-WRITES-NOTHING). */
  readonly dumps?: boolean;
  /** The reading profile the engine decides under (default `reference`). */
  readonly profile?: ReadingProfile;
}

export interface Trace {
  readonly scenario: Scenario;
  readonly initial: StoreImage;
  /** One per event run; fewer than the events when the engine threw. */
  readonly steps: readonly Step[];
  readonly result: ReplayResult;
  /** Set when the engine threw instead of giving a result. */
  readonly error?: { readonly index: number; readonly event: string; readonly message: string };
}

export async function traceScenario(scenario: Scenario, options: TraceOptions = {}): Promise<Trace> {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const engine = await openScenarioEngine(scenario, undefined, profile);
  const settings = settingsInForce(scenario);
  const steps: Step[] = [];
  const results: EventResult[] = [];
  let error: Trace['error'];
  try {
    let before: StoreImage = engine.snapshot();
    const initial = before;
    let dumpBefore = options.dumps ? engine.store.dump() : undefined;
    for (const [index, event] of scenario.events.entries()) {
      let result: EventResult;
      try {
        result = await runScenarioEvent(engine, scenario, event);
      } catch (thrown) {
        error = { index, event: event.ref, message: thrown instanceof Error ? thrown.message : String(thrown) };
        break;
      }
      const after: StoreImage = engine.snapshot();
      const dumpAfter = options.dumps ? engine.store.dump() : undefined;
      steps.push({ index, event, setting: settings[index] ?? null, result, before, after, dumpBefore, dumpAfter, profile });
      results.push(result);
      before = after;
      dumpBefore = dumpAfter;
    }
    const final = engine.snapshot();
    const result: ReplayResult = { settings: scenario.settings, results, users: final.users, conversations: final.conversations };
    return error === undefined ? { scenario, initial, steps, result } : { scenario, initial, steps, result, error };
  } finally {
    engine.close();
  }
}

/** A ref for the probe's settings event that no user or event of the scenario uses. */
function probeRef(scenario: Scenario): string {
  const taken = new Set([...(scenario.users ?? []).map((user) => user.ref), ...scenario.events.map((event) => event.ref)]);
  let ref = 'probe-switch';
  while (taken.has(ref)) ref += "'";
  return ref;
}

/**
 * Event `index` run from the same store under each setting: a fresh engine runs the events before it,
 * switches to the setting (ADMIN-SWITCH keeps the data), then runs the event. Null when the engine
 * throws (the trace reports that).
 */
export async function probeSettings(
  scenario: Scenario,
  index: number,
  settings: readonly SettingName[],
  profile: ReadingProfile = DEFAULT_PROFILE,
): Promise<SettingProbe[] | null> {
  const event = scenario.events[index];
  if (event === undefined) throw new RangeError(`no event ${index}`);
  const switchRef = probeRef(scenario);
  const probes: SettingProbe[] = [];
  for (const setting of settings) {
    const engine = await openScenarioEngine(scenario, undefined, profile);
    try {
      for (const earlier of scenario.events.slice(0, index)) await runScenarioEvent(engine, scenario, earlier);
      engine.switchSettings(switchRef, settingsPairOf(setting));
      const result = await runScenarioEvent(engine, scenario, event);
      probes.push({ setting, result, after: engine.snapshot() });
    } catch {
      return null;
    } finally {
      engine.close();
    }
  }
  return probes;
}
