import {
  RULE_IDS,
  SETTING_IDS,
  settingIdOf,
  settingsOf,
  type EventInput,
  type EventResult,
  type EventType,
  type Outcome,
  type ReadingProfile,
  type RuleId,
  type SettingId,
} from '../domain';
import { Engine } from '../engine';
import { InvalidArgumentError } from '../errors';
import { decideImportRow } from '../policy/import';
import { replay } from '../replay/run';
import type { ReplayResult, Scenario } from '../replay/types';
import type { LoggedResult, Store } from '../store/store';

/**
 * ADMIN-SWITCH's what-if report: a recorded history decided again with another setting in force from
 * the start, each conversation compared with where it was recorded.
 *
 * A conversation (a visitor or signed-in event) and a login (where it leaves its conversation) falls
 * in one class:
 * - `same-user`: the same user, by the same rule;
 * - `same-landing-another-rule`: the same user, or a new user of its own both times, but another rule
 *   decides it (a visitor who gets a new user under both settings is not going elsewhere);
 * - `another-existing-user`: a user that existed before, but another one;
 * - `new-user-instead-of-existing`: a new user of its own instead of a user that existed before;
 * - `existing-user-instead-of-new`: a user that existed before instead of a new user of its own;
 * - `refused-instead` / `accepted-instead`: refused under one setting only (a conflict, when the other
 *   history gave the address to someone else); `refused-under-both`.
 * "A new user of its own" is the user the event created (`new:<ref>`), and for a login also the user
 * its visitor event created (`new:<conversation>`, which LOGIN-UPGRADE keeps).
 */
export const WHAT_IF_CLASSES = [
  'same-user',
  'same-landing-another-rule',
  'another-existing-user',
  'new-user-instead-of-existing',
  'existing-user-instead-of-new',
  'refused-instead',
  'accepted-instead',
  'refused-under-both',
] as const;

export type WhatIfClass = (typeof WHAT_IF_CLASSES)[number];

/** The classes in which a conversation goes to another person (or nowhere) under the other setting. */
export const GOING_ELSEWHERE: readonly WhatIfClass[] = [
  'another-existing-user',
  'new-user-instead-of-existing',
  'existing-user-instead-of-new',
  'refused-instead',
  'accepted-instead',
];

/** Where an event landed: its outcome, rule and user (null when refused or not a conversation). */
export interface Landing {
  readonly outcome: Outcome;
  readonly rule: RuleId;
  readonly user: string | null;
  /** Why it was refused (a rejection code of replay.md, or an import refusal). */
  readonly refused?: string;
}

export interface ConversationChange {
  /** The event: a visitor or signed-in event (the conversation itself), or a login. */
  readonly ref: string;
  readonly type: 'visitor' | 'signed-in' | 'login';
  /** A login's conversation. */
  readonly conversation?: string;
  readonly class: WhatIfClass;
  readonly recorded: Landing;
  readonly whatIf: Landing;
}

export interface OtherChange {
  readonly ref: string;
  readonly type: 'merge' | 'import';
  readonly recorded: Landing;
  readonly whatIf: Landing;
}

export interface Tally {
  readonly total: number;
  /** Those in a class of GOING_ELSEWHERE. */
  readonly goingElsewhere: number;
  /** How many fall in each class: the classes with at least one, in the order of WHAT_IF_CLASSES. */
  readonly classes: Readonly<Partial<Record<WhatIfClass, number>>>;
}

export interface RuleTally extends Tally {
  /** The rule that decided these conversations (or logins) in the recording. */
  readonly rule: RuleId;
  /** The rules that decide them under the what-if setting, with counts. */
  readonly whatIfRules: Readonly<Partial<Record<RuleId, number>>>;
}

export interface WhatIfReport {
  readonly source:
    | { readonly kind: 'scenario'; readonly title: string | null }
    | { readonly kind: 'store'; readonly profile: ReadingProfile; readonly loggedEvents: number };
  readonly whatIf: SettingId;
  /** How many conversations and logins the recording decided under each setting (settings in the order of flows.md). */
  readonly recordedSettings: Readonly<Partial<Record<SettingId, number>>>;
  /** Visitor and signed-in events: each opens a conversation. */
  readonly conversations: Tally;
  /** Logins: where each leaves its conversation. */
  readonly logins: Tally;
  /** Conversations and logins grouped by the rule that decided them in the recording, in catalog order. */
  readonly byRule: readonly RuleTally[];
  /** Every conversation and login whose landing or rule changes (all but `same-user` and `refused-under-both`), in recorded order. */
  readonly changes: readonly ConversationChange[];
  /** Merges and import rows: how many gave the same result, and those that did not. */
  readonly otherEvents: { readonly unchanged: number; readonly changes: readonly OtherChange[] };
  /** Settings events of the recording, which the what-if run leaves out (it holds one setting throughout). */
  readonly skippedSettingsEvents: readonly string[];
  /** What the report cannot see, in sentences (a store keeps accepted events only). */
  readonly notSeen: readonly string[];
}

/** One event of the recording and its counterpart under the what-if setting. */
export interface EventPair {
  readonly ref: string;
  readonly type: EventType;
  /** A login's conversation. */
  readonly conversation?: string;
  /** The setting in force when the recording decided it. */
  readonly setting: SettingId;
  readonly recorded: Landing;
  readonly whatIf: Landing;
}

export function classify(pair: Pick<EventPair, 'ref' | 'type' | 'conversation' | 'recorded' | 'whatIf'>): WhatIfClass {
  const own = pair.type === 'login' ? [`new:${pair.ref}`, `new:${pair.conversation}`] : [`new:${pair.ref}`];
  const kind = (landing: Landing) => (landing.outcome === 'rejected' ? 'refused' : own.includes(landing.user as string) ? 'new' : 'existing');
  const recorded = kind(pair.recorded);
  const whatIf = kind(pair.whatIf);
  if (recorded === 'refused') return whatIf === 'refused' ? 'refused-under-both' : 'accepted-instead';
  if (whatIf === 'refused') return 'refused-instead';
  const sameLanding = recorded === whatIf && (recorded === 'new' || pair.recorded.user === pair.whatIf.user);
  if (sameLanding) {
    return pair.recorded.rule === pair.whatIf.rule && pair.recorded.outcome === pair.whatIf.outcome ? 'same-user' : 'same-landing-another-rule';
  }
  if (recorded === 'existing') return whatIf === 'existing' ? 'another-existing-user' : 'new-user-instead-of-existing';
  return 'existing-user-instead-of-new';
}

/** The report of a sequence of pairs, in recorded order. */
export function buildReport(
  pairs: Iterable<EventPair>,
  whatIf: SettingId,
  context: { source: WhatIfReport['source']; skippedSettingsEvents: readonly string[]; notSeen: readonly string[] },
): WhatIfReport {
  const conversations = newTally();
  const logins = newTally();
  const byRule = new Map<RuleId, { tally: MutableTally; whatIfRules: Partial<Record<RuleId, number>> }>();
  const recordedSettings: Partial<Record<SettingId, number>> = {};
  const changes: ConversationChange[] = [];
  const otherChanges: OtherChange[] = [];
  let otherUnchanged = 0;

  for (const pair of pairs) {
    if (pair.type === 'merge' || pair.type === 'import') {
      if (sameLanding(pair.recorded, pair.whatIf)) otherUnchanged++;
      else otherChanges.push({ ref: pair.ref, type: pair.type, recorded: pair.recorded, whatIf: pair.whatIf });
      continue;
    }
    if (pair.type === 'settings') continue;
    const kind = classify(pair);
    recordedSettings[pair.setting] = (recordedSettings[pair.setting] ?? 0) + 1;
    count(pair.type === 'login' ? logins : conversations, kind);
    let group = byRule.get(pair.recorded.rule);
    if (group === undefined) byRule.set(pair.recorded.rule, (group = { tally: newTally(), whatIfRules: {} }));
    count(group.tally, kind);
    group.whatIfRules[pair.whatIf.rule] = (group.whatIfRules[pair.whatIf.rule] ?? 0) + 1;
    if (kind !== 'same-user' && kind !== 'refused-under-both') {
      const change: ConversationChange = {
        ref: pair.ref,
        type: pair.type,
        ...(pair.type === 'login' ? { conversation: pair.conversation } : {}),
        class: kind,
        recorded: pair.recorded,
        whatIf: pair.whatIf,
      };
      changes.push(change);
    }
  }

  return {
    source: context.source,
    whatIf,
    recordedSettings: Object.fromEntries(SETTING_IDS.filter((id) => recordedSettings[id] !== undefined).map((id) => [id, recordedSettings[id]])),
    conversations: finished(conversations),
    logins: finished(logins),
    byRule: RULE_IDS.filter((rule) => byRule.has(rule)).map((rule) => {
      const group = byRule.get(rule)!;
      return { rule, ...finished(group.tally), whatIfRules: sortedByRule(group.whatIfRules) };
    }),
    changes,
    otherEvents: { unchanged: otherUnchanged, changes: otherChanges },
    skippedSettingsEvents: context.skippedSettingsEvents,
    notSeen: context.notSeen,
  };
}

/**
 * `what-if <scenario> --setting <id>`: replays a recorded scenario as it is, and again with `setting`
 * in force from the start (its own settings events left out), and compares each event. `run` replays a
 * scenario: the reference engine by default, or any target (the report is computed from its results).
 */
export async function whatIf(scenario: Scenario, setting: SettingId, run: (scenario: Scenario) => Promise<ReplayResult> = (s) => replay(s)): Promise<WhatIfReport> {
  const skippedSettingsEvents = scenario.events.filter((event) => event.type === 'settings').map((event) => event.ref);
  const alternative: Scenario = {
    ...scenario,
    settings: settingsOf(setting),
    events: scenario.events.filter((event) => event.type !== 'settings'),
  };
  const [recorded, replayed] = await Promise.all([run(scenario), run(alternative)]);
  const byRef = new Map(replayed.results.map((result) => [result.ref, result]));
  const pairs: EventPair[] = [];
  let inForce = settingIdOf(scenario.settings);
  scenario.events.forEach((event, index) => {
    const result = recorded.results[index] as EventResult;
    if (event.type === 'settings') {
      if (result.outcome === 'applied') inForce = settingIdOf(event);
      return;
    }
    pairs.push({
      ref: event.ref,
      type: event.type,
      ...(event.type === 'login' ? { conversation: event.conversation } : {}),
      setting: inForce,
      recorded: landingOf(result),
      whatIf: landingOf(byRef.get(event.ref) as EventResult),
    });
  });
  return buildReport(pairs, setting, { source: { kind: 'scenario', title: scenario.title ?? null }, skippedSettingsEvents, notSeen: [] });
}

/** What a store's report cannot see: its log keeps accepted events only (docs/decisions.md, 1). */
export const STORE_NOT_SEEN: readonly string[] = [
  'Requests the store refused are not in its event log, so this report cannot compare them: sign-ins with a token that failed verification (refused under every setting), sign-ins and logins refused as a conflict (AUTH-CONFLICT), merges refused (merge-refused), setting changes refused, and import rows refused.',
  'A sign-in refused as a conflict, or an import row refused, under the recorded setting might have been accepted under the what-if setting: such a request is missing from this report.',
];

/**
 * `what-if --db <store> --setting <id>`: the store's recorded history (imports and accepted events,
 * from their logged inputs, in order) decided again from the empty store, in memory, with `setting` in
 * force throughout and the store's reading profile; each event is compared with its logged result. One
 * pass over the log. A store whose history is incomplete (users given from outside the log) is refused.
 */
export async function whatIfStore(store: Store, setting: SettingId): Promise<WhatIfReport> {
  const unlogged = store.unloggedUsers();
  if (unlogged.length > 0) {
    throw new InvalidArgumentError(
      `the store's history is incomplete: ${unlogged.length} starting user${unlogged.length === 1 ? ' was' : 's were'} given to replay --db outside its event log (${quoteRefs(unlogged)}), so it cannot be decided again from the empty store`,
    );
  }
  const profile = store.profile();
  const engine = await Engine.open({ settings: settingsOf(setting), profile });
  const skippedSettingsEvents: string[] = [];
  let loggedEvents = 0;
  try {
    function* pairs(): Generator<EventPair> {
      for (const logged of store.loggedResults()) {
        loggedEvents++;
        if (logged.input.type === 'settings') {
          skippedSettingsEvents.push(logged.ref);
          continue;
        }
        yield {
          ref: logged.ref,
          type: logged.input.type,
          ...(logged.input.type === 'login' ? { conversation: logged.input.conversation } : {}),
          setting: logged.setting,
          recorded: { outcome: logged.result.outcome, rule: logged.result.rule, user: logged.result.user },
          whatIf: decideAgain(engine, logged),
        };
      }
    }
    const report = buildReport(pairs(), setting, { source: { kind: 'store', profile, loggedEvents: 0 }, skippedSettingsEvents, notSeen: STORE_NOT_SEEN });
    return { ...report, source: { kind: 'store', profile, loggedEvents } };
  } finally {
    engine.close();
  }
}

function decideAgain(engine: Engine, logged: LoggedResult): Landing {
  const input: EventInput = logged.input;
  if (input.type !== 'import') return landingOf(engine.applyInput(logged.ref, input));
  const store = engine.store;
  return store.transaction((): Landing => {
    const decision = decideImportRow(store, { line: input.line, ...input.row });
    if (!decision.accepted) return { outcome: 'rejected', rule: 'ADMIN-IMPORT', user: null, refused: decision.reason };
    const user = store.apply(logged.ref, input, settingIdOf(store.settings()), decision.decision);
    return { outcome: decision.decision.outcome, rule: 'ADMIN-IMPORT', user };
  });
}

function landingOf(result: EventResult): Landing {
  const landing: Landing = { outcome: result.outcome, rule: result.rule, user: result.user };
  return result.error === undefined ? landing : { ...landing, refused: result.error.code };
}

function sameLanding(a: Landing, b: Landing): boolean {
  return a.outcome === b.outcome && a.rule === b.rule && a.user === b.user && a.refused === b.refused;
}

type MutableTally = { total: number; goingElsewhere: number; classes: Record<WhatIfClass, number> };

function newTally(): MutableTally {
  return { total: 0, goingElsewhere: 0, classes: Object.fromEntries(WHAT_IF_CLASSES.map((kind) => [kind, 0])) as Record<WhatIfClass, number> };
}

/** The tally as the report prints it: only the classes that occur. */
function finished(tally: MutableTally): Tally {
  return { ...tally, classes: Object.fromEntries(WHAT_IF_CLASSES.filter((kind) => tally.classes[kind] > 0).map((kind) => [kind, tally.classes[kind]])) };
}

function count(tally: MutableTally, kind: WhatIfClass): void {
  tally.total++;
  tally.classes[kind]++;
  if (GOING_ELSEWHERE.includes(kind)) tally.goingElsewhere++;
}

function sortedByRule(counts: Partial<Record<RuleId, number>>): Partial<Record<RuleId, number>> {
  return Object.fromEntries(RULE_IDS.filter((rule) => counts[rule] !== undefined).map((rule) => [rule, counts[rule]]));
}

function quoteRefs(refs: readonly string[]): string {
  const shown = refs.slice(0, 3).map((ref) => JSON.stringify(ref)).join(', ');
  return refs.length > 3 ? `${shown} and ${refs.length - 3} more` : shown;
}
