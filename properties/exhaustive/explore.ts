import { isDeepStrictEqual } from 'node:util';
import {
  checkModeBlind,
  checkStep,
  checkVisitorMonotone,
  formatViolation,
  isModeBlindEvent,
  SETTING_NAMES,
  settingNameOf,
  STEP_INVARIANTS,
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
import { countWorlds, enumerateStores, eventAlphabet, prefixShape } from './alphabet';
import { Sandbox } from './sandbox';

export interface Bound {
  /** Starting stores with up to this many users. */
  readonly maxUsers: number;
  /** Sequences of 1 to `depth` events. */
  readonly depth: number;
  /** Every n-th world of a part is also replayed from scratch with `replay` and compared (INV-DETERMINISTIC). */
  readonly sampleEvery: number;
}

/**
 * A part of the work: the units (a root, that is an initial setting and a starting store, with the
 * first event of its sequences) numbered in order, and part `index` of `count` (0-based) takes every
 * unit whose number is `index` modulo `count`. Parts are disjoint and together cover the bound.
 */
export interface Part {
  readonly index: number;
  readonly count: number;
}

export const WHOLE: Part = { index: 0, count: 1 };

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

/** Roots explored at the same time (engines of their own): while one waits for jose, another runs. */
const CONCURRENCY = 2;

const CLAIMS = modelClaimsReader({ settings: VALID_SETTINGS[0]!, keys: KEYS, events: [] }, parseNow(NOW_TEXT));

const EVERY_STEP_INVARIANT_BUT_DUMPS = STEP_INVARIANTS.filter((id) => id !== 'INV-REJECT-WRITES-NOTHING');

interface Root {
  readonly settings: Scenario['settings'];
  readonly users: readonly ScenarioUser[];
  /** Positions in the first event's alphabet that this part explores. */
  readonly firstEvents: readonly number[];
}

interface Node {
  readonly sandbox: Sandbox;
  readonly users: readonly ScenarioUser[];
  readonly settings: Scenario['settings'];
  readonly model: Model;
  readonly prefix: readonly ScenarioEvent[];
  readonly results: readonly EventResult[];
}

/** The roots of the bound with the first events `part` takes, and how many worlds that is. */
export function planPart(bound: Bound, part: Part): { roots: Root[]; worlds: number; stores: number } {
  const stores = enumerateStores(bound.maxUsers);
  const roots: Root[] = [];
  let unit = 0;
  let worlds = 0;
  for (const settings of VALID_SETTINGS) {
    for (const users of stores) {
      const alphabet = eventAlphabet([], users.map((user) => user.ref));
      const firstEvents: number[] = [];
      for (const [position, event] of alphabet.entries()) {
        if (unit++ % part.count !== part.index) continue;
        firstEvents.push(position);
        const shape = prefixShape([event]);
        worlds += 1 + countWorlds(users.length, bound.depth - 1, shape.visitors, shape.creating);
      }
      if (firstEvents.length > 0) roots.push({ settings, users, firstEvents });
    }
  }
  return { roots, worlds, stores: stores.length };
}

/**
 * Checks every world of one part of the bound: every step invariant and the model's agreement on each
 * event; the cross-setting invariants by running each eligible event from the same store under every
 * setting; INV-DETERMINISTIC on a sample replayed from scratch. `progress` is called with the worlds
 * checked so far, every second or so.
 */
export async function explorePart(bound: Bound, part: Part, progress?: (worlds: number) => void): Promise<ExploreReport> {
  const started = performance.now();
  const plan = planPart(bound, part);
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

  /** The events of the alphabet at `node` (all of them, or the chosen positions) and their sub-trees. */
  const visit = async (node: Node, depth: number, positions?: readonly number[]): Promise<void> => {
    const { sandbox } = node;
    const before: StoreImage = sandbox.engine.snapshot();
    /** The database image at this node, taken only if a rejected event wrote (see writeCounter). */
    let dumpBefore: Uint8Array | undefined;
    const userRefs = node.users.map((user) => user.ref);
    const alphabet = eventAlphabet(node.prefix, userRefs);
    const events = positions === undefined ? alphabet : positions.map((position) => alphabet[position] as ScenarioEvent);
    const index = node.prefix.length;
    const setting = node.model.setting;
    /** Each event the cross-setting invariants apply to, with its run under the node's setting. */
    const probeCases: { event: ScenarioEvent; blind: boolean; probes: SettingProbe[] }[] = [];

    for (const event of events) {
      let main: SettingProbe | undefined;
      let rejectedWrite: { step: Parameters<typeof checkStep>[0]; dumpAfter: Uint8Array } | undefined;
      await sandbox.branch(async () => {
        const mark = sandbox.writeMark();
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
        const step = { index, event, setting, result, before, after };
        // A rejected event that wrote is compared byte for byte once the branch is rolled back.
        const wrote = result.outcome === 'rejected' && sandbox.writeMark() !== mark;
        if (wrote) rejectedWrite = { step, dumpAfter: sandbox.engine.store.dump() };
        for (const violation of checkStep(step, wrote ? EVERY_STEP_INVARIANT_BUT_DUMPS : STEP_INVARIANTS)) {
          found(violation.invariant, scenarioOf(node, event), formatViolation(violation));
        }
        const model = node.model.clone();
        const expected = model.apply(event, CLAIMS);
        const difference = disagreement(result, after, expected, model.image());
        if (difference !== null) found('MODEL-AGREEMENT', scenarioOf(node, event), `MODEL-AGREEMENT at ${event.ref}: ${difference}`);

        if (worlds % bound.sampleEvery === 0) {
          replayed++;
          const scenario = scenarioOf(node, event);
          const fresh = await replay(scenario);
          const tree = { settings: node.settings, results: [...node.results, result], users: after.users, conversations: after.conversations };
          if (!isDeepStrictEqual(fresh, tree)) {
            found('INV-DETERMINISTIC', scenario, `INV-DETERMINISTIC at ${event.ref}: replaying the world from scratch gives another result than the run that reached it`);
          }
        }
        const now = performance.now();
        if (progress && now - lastReport > 1000) {
          lastReport = now;
          progress(worlds);
        }
        if (index + 1 < depth) {
          await visit({ sandbox, users: node.users, settings: node.settings, model, prefix: [...node.prefix, event], results: [...node.results, result] }, depth);
        }
      });
      if (rejectedWrite !== undefined) {
        dumpBefore ??= sandbox.engine.store.dump();
        const violations = checkStep({ ...rejectedWrite.step, dumpBefore, dumpAfter: rejectedWrite.dumpAfter }, ['INV-REJECT-WRITES-NOTHING']);
        for (const violation of violations) found(violation.invariant, scenarioOf(node, event), formatViolation(violation));
      }
      const blind = isModeBlindEvent(event);
      if (main !== undefined && (blind || event.type === 'visitor')) probeCases.push({ event, blind, probes: [main] });
    }

    // The cross-setting probes: one switch per other setting, then every eligible event from there.
    if (probeCases.length === 0) return;
    for (const other of SETTING_NAMES) {
      if (other === setting) continue;
      await sandbox.branch(async () => {
        try {
          sandbox.switchTo(other);
        } catch (error) {
          for (const { event } of probeCases) {
            found('ENGINE-ERROR', scenarioOf(node, event), `ENGINE-ERROR at ${event.ref}: switching to ${other} threw ${(error as Error).message}`);
          }
          return;
        }
        for (const probeCase of probeCases) {
          await sandbox.branch(async () => {
            try {
              const result = await sandbox.run(probeCase.event);
              probeCase.probes.push({ setting: other, result, after: sandbox.engine.snapshot() });
            } catch (error) {
              found('ENGINE-ERROR', scenarioOf(node, probeCase.event), `ENGINE-ERROR at ${probeCase.event.ref} under ${other}: ${(error as Error).message}`);
            }
          });
        }
      });
    }
    for (const { event, blind, probes } of probeCases) {
      probed++;
      const violations = blind ? checkModeBlind(index, event, probes) : checkVisitorMonotone(index, event, probes);
      for (const violation of violations) found(violation.invariant, scenarioOf(node, event), formatViolation(violation));
    }
  };

  let next = 0;
  const worker = async () => {
    // One engine per initial setting; each root's starting users are added in a branch and rolled back.
    const sandboxes = new Map<string, Sandbox>();
    try {
      for (let i = next++; i < plan.roots.length; i = next++) {
        const { settings, users, firstEvents } = plan.roots[i]!;
        const name = settingNameOf(settings);
        if (name === null) throw new Error('invalid initial settings');
        let sandbox = sandboxes.get(name);
        if (sandbox === undefined) {
          sandbox = await Sandbox.open(settings);
          sandboxes.set(name, sandbox);
        }
        const open = sandbox;
        await open.withUsers(users, () => visit({ sandbox: open, users, settings, model: Model.start(settings, users), prefix: [], results: [] }, bound.depth, firstEvents));
      }
    } finally {
      for (const sandbox of sandboxes.values()) sandbox.close();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (worlds !== plan.worlds && findings.size === 0) {
    throw new Error(`the part was planned as ${plan.worlds} worlds but ${worlds} were checked`);
  }
  return { bound, stores: plan.stores, worlds, worldsByDepth, replayed, probed, findings, rules, seconds: (performance.now() - started) / 1000 };
}
