import { isDeepStrictEqual } from 'node:util';
import {
  checkModeBlind,
  checkStep,
  checkVisitorMonotone,
  formatViolation,
  isModeBlindEvent,
  SETTING_NAMES,
  settingNameOf,
  type SettingProbe,
  type StoreImage,
} from '../../src/invariants';
import { replay } from '../../src/replay/run';
import type { EventResult, Scenario, ScenarioEvent, ScenarioUser } from '../../src/replay/types';
import { parseNow } from '../../src/replay/validate';
import { VALID_SETTINGS } from '../arbitraries/settings';
import { KEYS, NOW_TEXT } from '../arbitraries/values';
import { disagreement } from '../harness/agreement';
import { modelClaimsReader } from '../model/judge';
import { Model } from '../model/model';
import { enumerateStores, eventAlphabet } from './alphabet';
import { Sandbox } from './sandbox';

export interface Bound {
  /** Starting stores with up to this many users. */
  readonly maxUsers: number;
  /** Sequences of 1 to `depth` events. */
  readonly depth: number;
  /** Every n-th world is also replayed from scratch with `replay` and compared (INV-DETERMINISTIC). */
  readonly sampleEvery: number;
}

export interface Finding {
  readonly count: number;
  readonly scenario: Scenario;
  readonly message: string;
}

export interface ExploreReport {
  readonly bound: Bound;
  readonly stores: number;
  /** Worlds checked: (setting, starting store, sequence of 1..depth events). */
  readonly worlds: number;
  readonly worldsByDepth: readonly number[];
  /** Worlds also replayed from scratch. */
  readonly replayed: number;
  /** Cross-setting probes run (INV-AUTH-MODE-BLIND, INV-VISITOR-MONOTONE). */
  readonly probed: number;
  /** By invariant (or MODEL-AGREEMENT, ENGINE-ERROR): how many worlds broke it, and the first one. */
  readonly findings: ReadonlyMap<string, Finding>;
  readonly rules: ReadonlyMap<string, number>;
  readonly seconds: number;
}

/** Stores explored at the same time (one engine each). */
const CONCURRENCY = 4;

const CLAIMS = modelClaimsReader({ settings: VALID_SETTINGS[0]!, keys: KEYS, events: [] }, parseNow(NOW_TEXT));

interface Node {
  readonly sandbox: Sandbox;
  readonly users: readonly ScenarioUser[];
  readonly settings: Scenario['settings'];
  readonly model: Model;
  readonly prefix: readonly ScenarioEvent[];
  readonly results: readonly EventResult[];
}

/**
 * Checks every world of the bound: every step invariant and the model's agreement on each event; the
 * cross-setting invariants by running each eligible event from the same store under every setting;
 * INV-DETERMINISTIC on a sample replayed from scratch.
 */
export async function exploreShard(bound: Bound, shard: number, shards: number, progress?: (line: string) => void): Promise<ExploreReport> {
  const started = performance.now();
  const stores = enumerateStores(bound.maxUsers);
  const findings = new Map<string, { count: number; scenario: Scenario; message: string }>();
  const rules = new Map<string, number>();
  const worldsByDepth = new Array<number>(bound.depth).fill(0);
  let worlds = 0;
  let replayed = 0;
  let probed = 0;
  let lastReport = started;

  const scenarioOf = (node: Node, event: ScenarioEvent): Scenario => ({
    title: 'exhaustive world',
    settings: node.settings,
    now: NOW_TEXT,
    keys: KEYS,
    users: node.users,
    events: [...node.prefix, event],
  });
  const found = (key: string, scenario: Scenario, message: string) => {
    const finding = findings.get(key);
    if (finding) finding.count++;
    else findings.set(key, { count: 1, scenario, message });
  };

  const visit = async (node: Node, depth: number): Promise<void> => {
    const { sandbox } = node;
    const before: StoreImage = sandbox.engine.snapshot();
    const dumpBefore = sandbox.engine.store.dump();
    const userRefs = node.users.map((user) => user.ref);
    for (const event of eventAlphabet(node.prefix, userRefs)) {
      const index = node.prefix.length;
      const setting = node.model.setting;
      let main: SettingProbe | undefined;
      await sandbox.branch(async () => {
        let result: EventResult;
        try {
          result = await sandbox.run(event);
        } catch (error) {
          found('ENGINE-ERROR', scenarioOf(node, event), `ENGINE-ERROR at ${event.ref}: ${(error as Error).message}`);
          return;
        }
        worlds++;
        worldsByDepth[index] = (worldsByDepth[index] ?? 0) + 1;
        rules.set(result.rule, (rules.get(result.rule) ?? 0) + 1);
        const after = sandbox.engine.snapshot();
        main = { setting, result, after };
        const dumpAfter = result.outcome === 'rejected' ? sandbox.engine.store.dump() : undefined;
        for (const violation of checkStep({ index, event, setting, result, before, after, dumpBefore, dumpAfter })) {
          found(violation.invariant, scenarioOf(node, event), formatViolation(violation));
        }
        const model = node.model.clone();
        const expected = model.apply(event, CLAIMS);
        const difference = disagreement(result, after, expected, model.image());
        if (difference !== null) found('MODEL-AGREEMENT', scenarioOf(node, event), `MODEL-AGREEMENT at ${event.ref}: ${difference}`);

        if ((worlds * shards + shard) % bound.sampleEvery === 0) {
          replayed++;
          const scenario = scenarioOf(node, event);
          const fresh = await replay(scenario);
          const tree = { settings: node.settings, results: [...node.results, result], users: after.users, conversations: after.conversations };
          if (!isDeepStrictEqual(fresh, tree)) {
            found('INV-DETERMINISTIC', scenario, `INV-DETERMINISTIC at ${event.ref}: replaying the world from scratch gives another result than the run that reached it`);
          }
        }
        const now = performance.now();
        if (progress && now - lastReport > 10_000) {
          lastReport = now;
          progress(`${worlds} worlds, ${((now - started) / 1000).toFixed(0)} s`);
        }
        if (index + 1 < depth) {
          await visit({ sandbox, users: node.users, settings: node.settings, model, prefix: [...node.prefix, event], results: [...node.results, result] }, depth);
        }
      });

      const blind = isModeBlindEvent(event);
      if (main === undefined || (!blind && event.type !== 'visitor')) continue;
      const probes: SettingProbe[] = [main];
      for (const other of SETTING_NAMES) {
        if (other === setting) continue;
        await sandbox.branch(async () => {
          sandbox.switchTo(other);
          try {
            const result = await sandbox.run(event);
            probes.push({ setting: other, result, after: sandbox.engine.snapshot() });
          } catch (error) {
            found('ENGINE-ERROR', scenarioOf(node, event), `ENGINE-ERROR at ${event.ref} under ${other}: ${(error as Error).message}`);
          }
        });
      }
      probed++;
      const index2 = node.prefix.length;
      const violations = blind ? checkModeBlind(index2, event, probes) : checkVisitorMonotone(index2, event, probes);
      for (const violation of violations) found(violation.invariant, scenarioOf(node, event), formatViolation(violation));
    }
  };

  // The roots, explored a few at a time: while one waits for the engine's (asynchronous) token
  // verification, another runs.
  const roots = VALID_SETTINGS.flatMap((settings) => stores.map((users) => ({ settings, users }))).filter((_, i) => i % shards === shard);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < roots.length; i = next++) {
      const { settings, users } = roots[i]!;
      if (settingNameOf(settings) === null) throw new Error('invalid initial settings');
      const sandbox = await Sandbox.open(settings, users);
      try {
        await visit({ sandbox, users, settings, model: Model.start(settings, users), prefix: [], results: [] }, bound.depth);
      } finally {
        sandbox.close();
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { bound, stores: stores.length, worlds, worldsByDepth, replayed, probed, findings, rules, seconds: (performance.now() - started) / 1000 };
}
