import { RULE_IDS, SETTING_IDS, type ReadingProfile } from '../domain';
import { countsOf, whatIfThrough } from '../targets/derived';
import { NotSupported, TargetFailure, type Target } from '../targets/target';
import { expectationFor, judge, type Expectation, type Judgement, type Observation, type Verdict } from './expectation';
import type { ExpectedFailureEntry, ExpectedFailures } from './ratchet';
import { firstDifference, titleOf, withoutMessages, type Vector } from './vectors';

/**
 * `idmatrix conform`: every vector replayed through a target and compared with its expected result,
 * member for member (`error.message` aside), judged by expectation.ts, ratcheted by the target's
 * expected-failures file; then the rule × setting matrix and the closing count.
 */

export interface CaseReport {
  readonly vector: Vector;
  readonly expectation: Expectation;
  readonly observation: Observation;
  readonly judgement: Judgement;
}

export interface ConformReport {
  readonly target: string;
  readonly reading: ReadingProfile;
  readonly expectedFailures: ExpectedFailures | null;
  readonly cases: readonly CaseReport[];
  /** Listed entries that no longer fail: each fails the gate. */
  readonly stale: readonly ExpectedFailureEntry[];
  readonly counts: Readonly<Record<Verdict, number>>;
  /** Failed cases plus stale entries: the gate passes when this is 0. */
  readonly failed: number;
  readonly seconds: number;
}

/** What happened to one vector on the target. */
export async function observe(vector: Vector, target: Target): Promise<Observation> {
  try {
    const expected = vector.expected;
    const differences: string[] = [];
    const compare = (what: string, want: unknown, got: unknown) => {
      const difference = firstDifference(withoutMessages(want), withoutMessages(got));
      if (difference !== null) differences.push(what === '' ? difference : `${what}: ${difference}`);
    };
    let result;
    if (vector.imports !== undefined) {
      const run = await target.importUsers(vector.scenario, vector.imports);
      compare('import reports', expected.imports, run.reports);
      result = run.result;
    } else {
      result = await target.replay(vector.scenario);
    }
    compare('', expected.result, result);
    if (expected.counts !== undefined) compare('counts (from the result)', expected.counts, countsOf(result));
    if (vector.whatIf !== undefined) compare(`what-if ${vector.whatIf} (from two replays)`, expected.whatIf, await whatIfThrough(target, vector.scenario, vector.whatIf));
    const [first] = differences;
    return first === undefined ? { kind: 'held' } : { kind: 'differed', detail: first };
  } catch (error) {
    if (error instanceof NotSupported) return { kind: 'unsupported', detail: error.message };
    if (error instanceof TargetFailure) return { kind: 'error', detail: error.message };
    throw error;
  }
}

export interface ConformOptions {
  readonly reading: ReadingProfile;
  readonly expectedFailures: ExpectedFailures | null;
  /** Called with each case as it is judged (for the one-line-per-vector output). */
  readonly onCase?: (report: CaseReport) => void;
}

export async function conform(vectors: readonly Vector[], target: Target, options: ConformOptions): Promise<ConformReport> {
  const started = performance.now();
  const cases: CaseReport[] = [];
  for (const vector of vectors) {
    const expectation = expectationFor({ id: vector.id, rule: vector.rule, reading: vector.reading }, options.reading, options.expectedFailures);
    const observation = await observe(vector, target);
    const report = { vector, expectation, observation, judgement: judge(expectation, observation) };
    cases.push(report);
    options.onCase?.(report);
  }
  const stale = options.expectedFailures?.stale(cases.map((c) => ({ id: c.vector.id, rule: c.vector.rule, verdict: c.judgement.verdict }))) ?? [];
  const counts: Record<Verdict, number> = { passed: 0, failed: 0, 'expected failure': 0, 'not supported': 0 };
  for (const c of cases) counts[c.judgement.verdict]++;
  return {
    target: target.name,
    reading: options.reading,
    expectedFailures: options.expectedFailures,
    cases,
    stale,
    counts,
    failed: counts.failed + stale.length,
    seconds: (performance.now() - started) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------
// The text report

const LABEL: Readonly<Record<Verdict, string>> = { passed: 'PASS ', failed: 'FAIL ', 'expected failure': 'XFAIL', 'not supported': 'N/S  ' };

/** One line per vector: verdict, id, cell, title, and why when it is not a plain pass. */
export function formatCase(report: CaseReport): string {
  const { vector, judgement } = report;
  const full = titleOf(vector);
  const title = full.length > 80 ? `${full.slice(0, 79)}…` : full;
  // The reason of an expected failure is the file's, often a paragraph: its line shows the start of it.
  const text = judgement.why ?? '';
  const why = judgement.why === null ? '' : ` — ${text.length > 160 ? `${text.slice(0, 159)}…` : text}`;
  return `${LABEL[judgement.verdict]} ${vector.id}  ${title}${why}`;
}

/** The rule × setting matrix: per cell, how many vectors passed, failed, failed as expected, or were not supported. */
export function formatMatrix(report: ConformReport): string {
  const cellText = (cases: readonly CaseReport[]): string => {
    if (cases.length === 0) return '-';
    const count = (verdict: Verdict) => cases.filter((c) => c.judgement.verdict === verdict).length;
    const parts = [
      count('passed') > 0 ? `${count('passed')} passed` : '',
      count('failed') > 0 ? `${count('failed')} FAILED` : '',
      count('expected failure') > 0 ? `${count('expected failure')} xfail` : '',
      count('not supported') > 0 ? `${count('not supported')} n/s` : '',
    ];
    return parts.filter((part) => part !== '').join(', ');
  };
  const rules = RULE_IDS.filter((rule) => report.cases.some((c) => c.vector.rule === rule));
  const first = Math.max(26, ...rules.map((rule) => rule.length + 2));
  const cells = rules.map((rule) => SETTING_IDS.map((setting) => cellText(report.cases.filter((c) => c.vector.rule === rule && c.vector.setting === setting))));
  const widths = SETTING_IDS.map((setting, index) => Math.max(setting.length, ...cells.map((row) => (row[index] as string).length)));
  const row = (head: string, texts: readonly string[]) => `${head.padEnd(first)}${texts.map((text, index) => text.padEnd((widths[index] as number) + 3)).join('')}`.trimEnd();
  const lines = [
    'Vectors per rule × setting (passed; FAILED; xfail: an expected failure of the target; n/s: not supported by the target; -: none)',
    row('rule', SETTING_IDS),
    ...rules.map((rule, index) => row(rule, cells[index] as string[])),
  ];
  return lines.join('\n');
}

/** The closing lines: stale entries, then `N passed, N failed, …`. */
export function formatSummary(report: ConformReport): string {
  const lines = report.stale.map(
    (entry) => `FAIL  ${entry.scope} ${entry.entry} is listed in ${report.expectedFailures?.file} as an expected failure, but none of its cases fails: remove it from the list`,
  );
  const { counts } = report;
  const ratchet = report.expectedFailures === null ? 'no expected-failures file' : `expected failures: ${report.expectedFailures.file}`;
  lines.push(
    `${counts.passed} passed, ${report.failed} failed, ${counts['expected failure']} expected failure${counts['expected failure'] === 1 ? '' : 's'}, ${counts['not supported']} not supported ` +
      `(${report.cases.length} vectors against ${report.target}, reading ${report.reading}; ${ratchet}; ${report.seconds.toFixed(1)} s)`,
  );
  return lines.join('\n');
}
