import { SETTING_IDS, type SettingId } from '../../domain';
import {
  DECISION_CHECKS,
  DECISION_ENTRIES,
  DECISION_EXITS,
  outcomeOf,
  provenanceOf,
  RULE_IDS,
  RULES,
  type Condition,
  type DecisionFamily,
  type Provenance,
  type RiskSpec,
  type RuleFamily,
  type RuleId,
} from '../../policy/rules';
import type { RunView, ScenarioView } from './run';

/**
 * What the scenario report shows, built from the rule catalog (what each cell is) and a run (how each
 * cell fared). A cell's status: passed / failed / not covered / does not apply / expected failure (a
 * failure the target's expected-failures list names).
 */

export type CellStatus = 'passed' | 'failed' | 'not-covered' | 'not-applicable' | 'expected-failure';
export const CELL_STATUS_WORDS: Readonly<Record<CellStatus, string>> = {
  passed: 'passed',
  failed: 'failed',
  'not-covered': 'not covered',
  'not-applicable': 'does not apply',
  'expected-failure': 'expected failure',
};

/** The column of the refused fourth combination (only verified emails, claiming on). */
export const REFUSED = 'refused';
export type Column = SettingId | typeof REFUSED;
export const COLUMNS: readonly Column[] = [...SETTING_IDS, REFUSED];

/** The target the run was made against, and the failures its expected-failures list names (the gate's ratchet). */
export interface TargetInfo {
  readonly name: string;
  readonly reading: string;
  /** Rule ids, or scenario anchors / `uri:line`, each with its reason. */
  readonly expectedFailures: readonly { readonly id: string; readonly reason: string }[];
  /** Where this came from (a file, the environment). */
  readonly from: string;
}

export const REFERENCE_TARGET: TargetInfo = { name: 'reference', reading: 'reference', expectedFailures: [], from: 'default' };

export interface CellView {
  readonly rule: RuleId;
  readonly column: Column;
  readonly status: CellStatus;
  readonly outcome: string;
  readonly provenance: Provenance | null;
  readonly risk: RiskSpec | null;
  /** Scenarios stating the engine's reading of this cell. */
  readonly scenarios: readonly ScenarioView[];
  /** Scenarios stating another source's reading of this cell. */
  readonly otherReadings: readonly ScenarioView[];
  /** Why the rule does not apply here. */
  readonly note: string | null;
  readonly expectedReason: string | null;
}

export interface RowView {
  readonly rule: RuleId;
  readonly family: RuleFamily;
  readonly statement: string;
  readonly provenances: readonly Provenance[];
  readonly sources: string;
  readonly cells: readonly CellView[];
}

export function expectedFailureReason(target: TargetInfo, scenario: ScenarioView): string | null {
  const hit = target.expectedFailures.find(
    (entry) => entry.id === scenario.rule || entry.id === scenario.anchor || entry.id === `${scenario.uri}:${scenario.line}`,
  );
  return hit?.reason ?? null;
}

export function buildRows(run: RunView, target: TargetInfo = REFERENCE_TARGET): RowView[] {
  return RULE_IDS.map((rule) => {
    const spec = RULES[rule];
    const cells = COLUMNS.map((column) => buildCell(rule, column, run, target));
    const provenances = [...new Set(spec.settings.map((setting) => provenanceOf(rule, setting)))];
    return { rule, family: spec.family, statement: spec.statement, provenances, sources: spec.sources, cells };
  });
}

function buildCell(rule: RuleId, column: Column, run: RunView, target: TargetInfo): CellView {
  const spec = RULES[rule];
  if (column === REFUSED) {
    const scenarios = run.scenarios.filter((scenario) => scenario.rule === rule && scenario.refusedSetting && scenario.reading === null);
    return {
      rule,
      column,
      ...statusOf(scenarios, target, scenarios.length === 0 ? 'not-applicable' : null),
      outcome: scenarios.length > 0 ? 'the account refuses the change and keeps its setting' : 'the account cannot be set this way',
      provenance: null,
      risk: null,
      scenarios,
      otherReadings: [],
      note: scenarios.length > 0 ? null : 'the claim option exists only with "Use both verified and unverified emails"',
    };
  }
  const here = run.scenarios.filter((scenario) => scenario.rule === rule && scenario.setting === column);
  const scenarios = here.filter((scenario) => scenario.reading === null);
  const otherReadings = here.filter((scenario) => scenario.reading !== null);
  const applies = spec.settings.includes(column);
  return {
    rule,
    column,
    ...statusOf(scenarios, target, applies ? null : 'not-applicable'),
    outcome: applies ? outcomeOf(rule, column) : 'another rule decides this situation',
    provenance: applies ? provenanceOf(rule, column) : null,
    risk: spec.risks?.[column] ?? null,
    scenarios,
    otherReadings,
    note: applies ? null : (spec.notApplicable?.[column] ?? null),
  };
}

function statusOf(
  scenarios: readonly ScenarioView[],
  target: TargetInfo,
  whenEmpty: CellStatus | null,
): { status: CellStatus; expectedReason: string | null } {
  if (scenarios.length === 0) return { status: whenEmpty ?? 'not-covered', expectedReason: null };
  const failed = scenarios.filter((scenario) => scenario.status === 'failed');
  if (failed.length === 0) return { status: 'passed', expectedReason: null };
  const reasons = failed.map((scenario) => expectedFailureReason(target, scenario));
  if (reasons.every((reason) => reason !== null)) return { status: 'expected-failure', expectedReason: reasons[0] ?? null };
  return { status: 'failed', expectedReason: null };
}

// ---------------------------------------------------------------------------------------------------
// What switching changes

export interface Situation {
  readonly family: DecisionFamily;
  /** The answers that make the situation, in words. */
  readonly conditions: readonly Condition[];
  /** The rule that decides it under each setting. */
  readonly rules: Readonly<Record<SettingId, RuleId>>;
}

/** Every situation the decision flow distinguishes: the longest paths of the catalog's rules. */
export function situations(): Situation[] {
  const paths: { family: DecisionFamily; when: readonly Condition[] }[] = [];
  for (const rule of RULE_IDS) {
    const spec = RULES[rule];
    if (spec.when === undefined || spec.family === 'admin') continue;
    const key = JSON.stringify(spec.when);
    if (paths.some((path) => JSON.stringify(path.when) === key)) continue;
    // A path that is a strict prefix of another (VISIT-STRICT) is a situation only through its longer paths.
    const longer = RULE_IDS.some((other) => {
      const when = RULES[other].when;
      return when !== undefined && when.length > spec.when!.length && isPrefix(spec.when!, when);
    });
    if (!longer) paths.push({ family: spec.family as DecisionFamily, when: spec.when });
  }
  return paths.map((path) => {
    const rules = Object.fromEntries(SETTING_IDS.map((setting) => [setting, decidingRule(path.when, setting)])) as Record<SettingId, RuleId>;
    return { family: path.family, conditions: path.when, rules };
  });
}

function isPrefix(prefix: readonly Condition[], path: readonly Condition[]): boolean {
  return prefix.every((condition, index) => path[index]?.check === condition.check && path[index]?.answer === condition.answer);
}

function decidingRule(path: readonly Condition[], setting: SettingId): RuleId {
  const found = RULE_IDS.filter((rule) => {
    const when = RULES[rule].when;
    return when !== undefined && RULES[rule].settings.includes(setting) && isPrefix(when, path);
  }).sort((a, b) => (RULES[b].when?.length ?? 0) - (RULES[a].when?.length ?? 0));
  const rule = found[0];
  if (rule === undefined) throw new Error(`no rule of the catalog decides ${JSON.stringify(path)} under ${setting}`);
  return rule;
}

export interface SwitchChange {
  readonly situation: Situation;
  readonly from: { readonly rule: RuleId; readonly outcome: string; readonly risk: boolean };
  readonly to: { readonly rule: RuleId; readonly outcome: string; readonly risk: boolean };
  /** 'outcome': what happens changes; 'risk': a known risk opens or closes; 'rule': only the rule's name changes. */
  readonly kind: 'outcome' | 'risk' | 'rule';
}

export const SETTING_PAIRS: readonly [SettingId, SettingId][] = [
  ['verified-and-unverified', 'verified-only'],
  ['claim-verified', 'verified-only'],
  ['claim-verified', 'verified-and-unverified'],
];

export function switchChanges(from: SettingId, to: SettingId): SwitchChange[] {
  const changes: SwitchChange[] = [];
  for (const situation of situations()) {
    const a = situation.rules[from];
    const b = situation.rules[to];
    const before = { rule: a, outcome: outcomeOf(a, from), risk: RULES[a].risks?.[from] !== undefined };
    const after = { rule: b, outcome: outcomeOf(b, to), risk: RULES[b].risks?.[to] !== undefined };
    const kind = before.outcome !== after.outcome ? 'outcome' : before.risk !== after.risk ? 'risk' : a !== b ? 'rule' : null;
    if (kind !== null) changes.push({ situation, from: before, to: after, kind });
  }
  // Rules that decide the same way everywhere but are a risk in one setting only (LOGIN-MERGE).
  for (const rule of RULE_IDS) {
    const spec = RULES[rule];
    if (spec.when !== undefined && spec.family !== 'admin') continue;
    const riskFrom = spec.risks?.[from] !== undefined;
    const riskTo = spec.risks?.[to] !== undefined;
    if (riskFrom === riskTo) continue;
    changes.push({
      situation: { family: 'login', conditions: [], rules: { 'verified-only': rule, 'verified-and-unverified': rule, 'claim-verified': rule } },
      from: { rule, outcome: outcomeOf(rule, from), risk: riskFrom },
      to: { rule, outcome: outcomeOf(rule, to), risk: riskTo },
      kind: 'risk',
    });
  }
  const order = { outcome: 0, risk: 1, rule: 2 } as const;
  return changes.sort((a, b) => order[a.kind] - order[b.kind]);
}

// ---------------------------------------------------------------------------------------------------
// The decision flow of one setting, as a mermaid flowchart

/** Mermaid flowchart source for the decision flow under `setting`, generated from the catalog. */
export function flowchart(setting: SettingId, only?: DecisionFamily): string {
  const lines = ['flowchart LR'];
  const ids = new Map<string, string>();
  const id = (key: string) => {
    if (!ids.has(key)) ids.set(key, `n${ids.size}`);
    return ids.get(key) as string;
  };
  const label = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;
  const edges = new Set<string>();
  const riskNodes: string[] = [];
  const disputedNodes: string[] = [];
  const refusedNodes: string[] = [];
  for (const family of Object.keys(DECISION_ENTRIES) as DecisionFamily[]) {
    if (only !== undefined && family !== only) continue;
    const entry = id(`entry:${family}`);
    lines.push(`  ${entry}([${label(DECISION_ENTRIES[family])}])`);
    for (const rule of RULE_IDS) {
      const spec = RULES[rule];
      if (spec.family !== family || spec.when === undefined || !spec.settings.includes(setting)) continue;
      let from = entry;
      let answer: string | null = null;
      spec.when.forEach((condition, index) => {
        const prefix = JSON.stringify(spec.when!.slice(0, index));
        const node = id(`check:${family}:${prefix}:${condition.check}`);
        lines.push(`  ${node}{{${label(DECISION_CHECKS[condition.check].question)}}}`);
        edges.add(`  ${from} ${answer === null ? '-->' : `-- ${label(answer)} -->`} ${node}`);
        from = node;
        answer = condition.answer;
      });
      const ruleNode = id(`rule:${rule}`);
      const risky = spec.risks?.[setting] !== undefined;
      lines.push(`  ${ruleNode}[${label(`${rule}${risky ? ' ⚠ known risk' : ''}${spec.dispute ? ' (sources disagree)' : ''}: ${outcomeOf(rule, setting)}`)}]`);
      edges.add(`  ${from} -- ${label(answer ?? '')} --> ${ruleNode}`);
      if (risky) riskNodes.push(ruleNode);
      if (spec.dispute) disputedNodes.push(ruleNode);
      if (/^refused/.test(outcomeOf(rule, setting))) refusedNodes.push(ruleNode);
    }
  }
  for (const exit of DECISION_EXITS) {
    for (const [key, node] of ids) {
      if (!key.startsWith(`check:${DECISION_CHECKS[exit.check].family}:`) || !key.endsWith(`:${exit.check}`)) continue;
      const exitNode = id(`exit:${exit.check}:${exit.answer}`);
      lines.push(`  ${exitNode}[${label(exit.outcome)}]`);
      edges.add(`  ${node} -- ${label(exit.answer)} --> ${exitNode}`);
      refusedNodes.push(exitNode);
    }
  }
  lines.push(...edges);
  lines.push('  classDef risk fill:#ffedd5,stroke:#9a3412,stroke-width:3px,color:#1d2430');
  lines.push('  classDef disputed fill:#ede9fe,stroke:#6d28d9,stroke-width:2px,stroke-dasharray:6 3,color:#1d2430');
  lines.push('  classDef refused fill:#f3f4f6,stroke:#4b5563,color:#1d2430');
  if (refusedNodes.length > 0) lines.push(`  class ${[...new Set(refusedNodes)].join(',')} refused`);
  if (disputedNodes.length > 0) lines.push(`  class ${disputedNodes.join(',')} disputed`);
  if (riskNodes.length > 0) lines.push(`  class ${riskNodes.join(',')} risk`);
  return [...new Set(lines)].join('\n');
}
