import type { Statement } from 'better-sqlite3';
import { DEFAULT_PROFILE, type ReadingProfile } from '../domain';
import type { Engine } from '../engine';
import { openScenarioEngine, runScenarioEvent, TokensAhead } from '../replay/run';
import type { EventResult, ReplayResult, Scenario, ScenarioEvent } from '../replay/types';
import type { SettingProbe, Step } from './checks';
import { ImageTracker, IncrementalImageError } from './image';
import { settingsInForce, settingsPairOf, type SettingName, type StoreImage } from './state';
import { writeCounter } from './writes';

/**
 * Runs a scenario through the reference engine with the replay runner's own event loop
 * (`openScenarioEngine`, `runScenarioEvent` of src/replay/run.ts), once, and keeps what the invariant
 * checkers need: the store image before and after every event and, for the events the cross-setting
 * invariants apply to, the event run from the same store under each setting. Linear in the events:
 *
 * - the images are kept up to date from the store's change feed (src/invariants/image.ts): after an
 *   event only the users and conversations it changed are read again, and the step carries what changed
 *   (`Step.delta`) so that the checks read that part only;
 * - a probe under another setting is a settings switch and the event inside a SQLite savepoint that is
 *   rolled back (the store after a rollback is the store before, byte for byte; the exhaustive check's
 *   sandbox rests on the same fact, and a test holds it);
 * - the database image (for INV-REJECT-WRITES-NOTHING) is compared only when a rejected event wrote
 *   (`writeCounter`).
 *
 * The incremental image is checked against a full snapshot after events 1, 2, 4, 8, … and after the
 * last. When it cannot be followed (a user or conversation removed, a ref changed, a rejected event that
 * wrote) or disagrees with the snapshot, the trace starts over reading whole images and dumps (the way
 * of the first version: quadratic, but exact whatever the engine did). The engine is the subject here;
 * nothing of its policy is read.
 */

export interface TraceOptions {
  /** The reading profile the engine decides under (default `reference`). */
  readonly profile?: ReadingProfile;
  /** Compare the database images around rejected events (INV-REJECT-WRITES-NOTHING). */
  readonly dumps?: boolean;
  /** Run the events `probe` selects under each of these settings too (INV-AUTH-MODE-BLIND, INV-VISITOR-MONOTONE). */
  readonly probes?: {
    readonly settings: readonly SettingName[];
    readonly select: (event: ScenarioEvent) => boolean;
    /** Whether the probes of this event need the store after them (INV-AUTH-MODE-BLIND does; default yes). */
    readonly images?: (event: ScenarioEvent) => boolean;
  };
  /** Keep every step in the trace (default true; false for long scenarios, with `onStep`). */
  readonly keepSteps?: boolean;
  /**
   * Called with each step as it is traced, and its probes (null when the engine threw in one). The
   * step's delta holds only during the call.
   */
  readonly onStep?: (step: Step, probes: readonly SettingProbe[] | null | undefined) => void;
  /** Called when the trace starts over with whole images: the steps seen so far come again. */
  readonly onRestart?: () => void;
  /** Check the incremental image against a full snapshot after every event (tests). */
  readonly validateEveryStep?: boolean;
  /** Read whole images after every event instead (the fallback; tests compare the two). */
  readonly wholeImages?: boolean;
}

export interface Trace {
  readonly scenario: Scenario;
  readonly initial: StoreImage;
  /** One per event run (when kept); fewer than the events when the engine threw. */
  readonly steps: readonly Step[];
  readonly result: ReplayResult;
  /** Set when the engine threw instead of giving a result. */
  readonly error?: { readonly index: number; readonly event: string; readonly message: string };
  /** Whether the images were kept up to date event by event (false: the trace fell back to whole images). */
  readonly incremental: boolean;
}

/** Runs the scenario once, with incremental images, or whole ones when those cannot be followed. */
export async function traceScenario(scenario: Scenario, options: TraceOptions = {}): Promise<Trace> {
  if (options.wholeImages) return traceOnce(scenario, options, false);
  try {
    return await traceOnce(scenario, options, true);
  } catch (error) {
    if (!(error instanceof IncrementalImageError)) throw error;
    options.onRestart?.();
    return traceOnce(scenario, options, false);
  }
}

/** A ref for the probe's settings event that no user or event of the scenario uses. */
function probeRef(scenario: Scenario): string {
  const taken = new Set([...(scenario.users ?? []).map((user) => user.ref), ...scenario.events.map((event) => event.ref)]);
  let ref = 'probe-switch';
  while (taken.has(ref)) ref += "'";
  return ref;
}

/** SAVEPOINT / ROLLBACK TO / RELEASE for the probes, prepared once per engine. */
class Savepoint {
  private readonly save: Statement;
  private readonly rollback: Statement;
  private readonly release: Statement;

  constructor(engine: Engine) {
    const db = engine.store.db;
    this.save = db.prepare('SAVEPOINT idmatrix_probe');
    this.rollback = db.prepare('ROLLBACK TO idmatrix_probe');
    this.release = db.prepare('RELEASE idmatrix_probe');
  }

  async around<T>(body: () => Promise<T>): Promise<T> {
    this.save.run();
    try {
      return await body();
    } finally {
      this.rollback.run();
      this.release.run();
    }
  }
}

/**
 * Event `index`'s probes: from the store before it, a settings event (ADMIN-SWITCH keeps the data) to
 * each setting, then the event, each inside a savepoint rolled back afterwards. Null when the engine
 * throws.
 */
async function runProbes(
  engine: Engine,
  scenario: Scenario,
  event: ScenarioEvent,
  settings: readonly SettingName[],
  switchRef: string,
  savepoint: Savepoint,
  imageAfter: (() => StoreImage) | undefined,
  discard: () => void,
): Promise<SettingProbe[] | null> {
  const probes: SettingProbe[] = [];
  for (const setting of settings) {
    try {
      probes.push(
        await savepoint.around(async () => {
          engine.switchSettings(switchRef, settingsPairOf(setting));
          const result = await runScenarioEvent(engine, scenario, event);
          return imageAfter === undefined ? { setting, result } : { setting, result, after: imageAfter() };
        }),
      );
    } catch (error) {
      if (error instanceof IncrementalImageError) throw error;
      return null;
    } finally {
      discard();
    }
  }
  return probes;
}

async function traceOnce(scenario: Scenario, options: TraceOptions, incremental: boolean): Promise<Trace> {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const engine = await openScenarioEngine(scenario, undefined, profile);
  const settings = settingsInForce(scenario);
  const steps: Step[] = [];
  const results: EventResult[] = [];
  const keep = options.keepSteps ?? true;
  let error: Trace['error'];
  try {
    const tracker = incremental ? new ImageTracker(engine) : undefined;
    const snapshot = () => engine.snapshot();
    const marks = writeCounter(engine.store.db);
    const savepoint = new Savepoint(engine);
    const switchRef = probeRef(scenario);
    const initial: StoreImage = tracker ? tracker.image : snapshot();
    let before = initial;
    let dumpBefore = options.dumps && !incremental ? engine.store.dump() : undefined;
    const validate = () => {
      if (tracker && JSON.stringify(tracker.image) !== JSON.stringify(snapshot())) {
        throw new IncrementalImageError('the image kept event by event differs from the store');
      }
    };
    const ahead = new TokensAhead(engine, scenario);
    for (const [index, event] of scenario.events.entries()) {
      ahead.reach(index);
      let probes: SettingProbe[] | null | undefined;
      if (options.probes !== undefined && options.probes.select(event)) {
        const images = options.probes.images?.(event) ?? true;
        const imageAfter = !images ? undefined : tracker ? () => tracker.advance().image : snapshot;
        probes = await runProbes(engine, scenario, event, options.probes.settings, switchRef, savepoint, imageAfter, () => tracker?.discard());
      }
      const mark = marks();
      let result: EventResult;
      try {
        result = await runScenarioEvent(engine, scenario, event);
      } catch (thrown) {
        error = { index, event: event.ref, message: thrown instanceof Error ? thrown.message : String(thrown) };
        break;
      }
      const wrote = marks() !== mark;
      let step: Step;
      if (tracker) {
        if (options.dumps && result.outcome === 'rejected' && wrote) {
          throw new IncrementalImageError(`rejected event ${event.ref} wrote to the database`);
        }
        const { image, delta } = tracker.next();
        step = { index, event, setting: settings[index] ?? null, result, before, after: image, delta, profile };
        const position = index + 1;
        if (options.validateEveryStep || (position & (position - 1)) === 0) validate();
      } else {
        const after = snapshot();
        const dumpAfter = dumpBefore !== undefined ? (wrote ? engine.store.dump() : dumpBefore) : undefined;
        step = { index, event, setting: settings[index] ?? null, result, before, after, dumpBefore, dumpAfter, profile };
        dumpBefore = dumpAfter;
      }
      options.onStep?.(step, probes);
      if (keep) steps.push(keep && step.delta !== undefined ? withoutDelta(step) : step);
      results.push(result);
      before = step.after;
    }
    validate();
    const final = tracker ? tracker.image : snapshot();
    const replayed: ReplayResult = { settings: scenario.settings, results, users: final.users, conversations: final.conversations };
    return error === undefined
      ? { scenario, initial, steps, result: replayed, incremental }
      : { scenario, initial, steps, result: replayed, error, incremental };
  } finally {
    engine.close();
  }
}

/** A kept step without its delta (whose lookups hold only while the step is being traced). */
function withoutDelta(step: Step): Step {
  const { delta: _delta, ...rest } = step;
  return rest;
}

/**
 * Event `index` run from the same store under each setting (see `runProbes`): the events before it
 * run once, then each setting in a savepoint. Null when the engine throws.
 */
export async function probeSettings(
  scenario: Scenario,
  index: number,
  settings: readonly SettingName[],
  profile: ReadingProfile = DEFAULT_PROFILE,
): Promise<SettingProbe[] | null> {
  const event = scenario.events[index];
  if (event === undefined) throw new RangeError(`no event ${index}`);
  const engine = await openScenarioEngine(scenario, undefined, profile);
  try {
    for (const earlier of scenario.events.slice(0, index)) await runScenarioEvent(engine, scenario, earlier);
    return await runProbes(engine, scenario, event, settings, probeRef(scenario), new Savepoint(engine), () => engine.snapshot(), () => undefined);
  } catch {
    return null;
  } finally {
    engine.close();
  }
}
/** Replays a scenario document somewhere (an implementation under test) and returns its result document. */
export type Replayer = (scenario: Scenario) => Promise<ReplayResult>;

/**
 * The trace of a scenario on an implementation that can only replay whole documents (a target): each
 * prefix of the events is replayed once, from the starting users alone to the whole scenario, and the
 * store images are read from the results. No database image: INV-REJECT-WRITES-NOTHING compares the
 * users and conversations only. A prefix the implementation cannot replay ends the trace with an error.
 */
export async function traceByReplays(scenario: Scenario, run: Replayer, profile: ReadingProfile = DEFAULT_PROFILE): Promise<Trace> {
  const settings = settingsInForce(scenario);
  const imageOf = (result: ReplayResult): StoreImage => ({ users: result.users, conversations: result.conversations });
  const steps: Step[] = [];
  const prefix = (count: number): Scenario => ({ ...scenario, events: scenario.events.slice(0, count) });
  let previous: ReplayResult;
  try {
    previous = await run(prefix(0));
  } catch (thrown) {
    const empty: ReplayResult = { settings: scenario.settings, results: [], users: [], conversations: [] };
    return { scenario, initial: imageOf(empty), steps, result: empty, incremental: false, error: { index: 0, event: '(the starting users)', message: messageOf(thrown) } };
  }
  const initial = imageOf(previous);
  for (const [index, event] of scenario.events.entries()) {
    let next: ReplayResult;
    try {
      next = await run(prefix(index + 1));
    } catch (thrown) {
      return { scenario, initial, steps, result: previous, incremental: false, error: { index, event: event.ref, message: messageOf(thrown) } };
    }
    const result = next.results[index];
    if (result === undefined) {
      return { scenario, initial, steps, result: previous, incremental: false, error: { index, event: event.ref, message: `the result of ${index + 1} events lists ${next.results.length} results` } };
    }
    steps.push({ index, event, setting: settings[index] ?? null, result, before: imageOf(previous), after: imageOf(next), profile });
    previous = next;
  }
  return { scenario, initial, steps, result: previous, incremental: false };
}

/** probeSettings through whole replays: the events before `index`, a switch to each setting, then the event. */
export async function probeSettingsByReplays(scenario: Scenario, index: number, settings: readonly SettingName[], run: Replayer): Promise<SettingProbe[] | null> {
  const event: ScenarioEvent | undefined = scenario.events[index];
  if (event === undefined) throw new RangeError(`no event ${index}`);
  const switchRef = probeRef(scenario);
  const probes: SettingProbe[] = [];
  for (const setting of settings) {
    const events: ScenarioEvent[] = [...scenario.events.slice(0, index), { ref: switchRef, type: 'settings', ...settingsPairOf(setting) }, event];
    try {
      const result = await run({ ...scenario, events });
      const own = result.results[index + 1];
      if (own === undefined) return null;
      probes.push({ setting, result: own, after: { users: result.users, conversations: result.conversations } });
    } catch {
      return null;
    }
  }
  return probes;
}

function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
