import { isDeepStrictEqual } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ITestCaseHookParameter } from '@cucumber/cucumber';
import { vectorPath, type Vector } from '../../src/conformance/vectors';
import { isSettingId, type RuleId, type SettingId } from '../../src/domain';
import { RULES } from '../../src/policy/rules';
import type { IdmatrixWorld } from './world';

type Pickle = ITestCaseHookParameter['pickle'];

/**
 * `npm run vectors` (IDMATRIX_VECTORS_DIR set): the scenario just run, as a vector
 * (src/conformance/vectors.ts): what it sent, what came back from the engine under the reading it
 * states, what the harness computed from that, and the Then statements it stands for.
 */
export function writeVector(world: IdmatrixWorld, pickle: Pickle, dir: string): void {
  const { scenario: run, result, imports } = world.done;
  // The description names the feature file's line, which moves with every edit above it: left out.
  const { description: _line, ...scenario } = run;
  const files = world.importFilesText();
  const rule = world.rule as RuleId;
  const setting = world.taggedSetting as SettingId;
  const whatIf = world.derived.whatIf;
  const statements = pickle.steps.filter((step) => step.type === 'Outcome').map((step) => step.text);
  const vector: Vector = {
    id: world.vectorId,
    rule,
    family: RULES[rule].family,
    setting,
    reading: world.statedReading,
    statedIn: [{ feature: pickle.uri, title: pickle.name, statements }],
    scenario,
    ...(files.length > 0 ? { imports: files } : {}),
    ...(whatIf !== undefined && isSettingId(whatIf.setting) ? { whatIf: whatIf.setting } : {}),
    expected: {
      result,
      ...(files.length > 0 ? { imports } : {}),
      ...(world.derived.counts !== undefined ? { counts: world.derived.counts } : {}),
      ...(whatIf !== undefined ? { whatIf: whatIf.report } : {}),
    },
  };
  const path = join(dir, vectorPath(vector));
  mkdirSync(dirname(path), { recursive: true });
  let written = vector;
  if (existsSync(path)) {
    // The same case stated by another scenario: one vector, stated in both (in feature-file order).
    const earlier = JSON.parse(readFileSync(path, 'utf8')) as Vector;
    if (!isDeepStrictEqual(sent(JSON.parse(JSON.stringify(vector)) as Vector), sent(earlier))) {
      throw new Error(`${path}: another scenario with the same id expects something else`);
    }
    const statedIn = [...earlier.statedIn, ...vector.statedIn].sort((a, b) => (a.feature + a.title < b.feature + b.title ? -1 : 1));
    // The scenario's title is the first statement's, so that the file does not depend on the order scenarios ran in.
    const first = statedIn[0] === earlier.statedIn[0] ? earlier : vector;
    written = { ...first, statedIn };
  }
  writeFileSync(path, `${JSON.stringify(written, null, 2)}\n`);
}

/** What a vector sends and expects, its words (titles, statements) aside. */
function sent(vector: Vector): unknown {
  const { statedIn: _stated, scenario, expected, ...rest } = vector;
  const { title: _title, ...document } = scenario;
  const { whatIf, ...results } = expected;
  const report = whatIf as { source?: unknown } | undefined;
  return { ...rest, document, results, whatIf: report === undefined ? undefined : { ...report, source: undefined } };
}
