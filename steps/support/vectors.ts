import { isDeepStrictEqual } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ITestCaseHookParameter } from '@cucumber/cucumber';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';
import { readFeatureSources } from '../../src/coverage/features';
import { SHIPPED_VECTORS } from '../../src/conformance/session';
import { relativePath, vectorFiles, vectorPath, type Vector } from '../../src/conformance/vectors';
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
  const vector = vectorOf(world, pickle);
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

/** The ids of the committed vectors the run's scenarios checked (checkCommittedVector). */
export const CHECKED_VECTORS = new Set<string>();

/**
 * A run of the features against the engine in process under the reference reading (`npm run verify`)
 * holds vectors/ to what it did, so that stale vectors fail it (without running the features a second
 * time): the scenario's vector exists (its id hashes what the scenario sent), names this scenario and
 * its Then statements, and, for a scenario of the reference reading, expects this very result (and
 * counts, what-if report, import reports). The other readings' expected results are held by
 * test/conformance/vectors.test.ts, which replays every vector under its reading; vectors no scenario
 * gives any more are found at the end of a whole run (staleVectors).
 */
export function checkCommittedVector(world: IdmatrixWorld, pickle: Pickle): void {
  const mine = vectorOf(world, pickle);
  const path = join(SHIPPED_VECTORS, vectorPath(mine));
  const stale = (why: string): never => {
    throw new Error(`vectors/ is stale (${why}); run npm run vectors and commit it`);
  };
  if (!existsSync(path)) stale(`no vector ${mine.id} says what this scenario sends`);
  const committed = JSON.parse(readFileSync(path, 'utf8')) as Vector;
  const stated = mine.statedIn[0];
  if (!committed.statedIn.some((entry) => isDeepStrictEqual(entry, stated))) stale(`${vectorPath(mine)} does not name this scenario and its Then statements as they read now`);
  if (mine.reading === 'reference' && !isDeepStrictEqual(sent(JSON.parse(JSON.stringify(mine)) as Vector), sent(committed))) {
    stale(`${vectorPath(mine)} expects another result than the engine gives now`);
  }
  CHECKED_VECTORS.add(mine.id);
}

/** After a whole run: the committed vectors that no scenario gave. */
export function staleVectors(): string[] {
  return vectorFiles([SHIPPED_VECTORS])
    .map((file) => relativePath(SHIPPED_VECTORS, file))
    .filter((file) => !CHECKED_VECTORS.has(file.replace(/^.*\//, '').replace(/\.json$/, '')));
}

/** The scenario just run as a vector: what it sent, what came back, what the harness computed, its words. */
function vectorOf(world: IdmatrixWorld, pickle: Pickle): Vector {
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
  return vector;
}

/** What a vector sends and expects, its words (titles, statements) aside. */
function sent(vector: Vector): unknown {
  const { statedIn: _stated, scenario, expected, ...rest } = vector;
  const { title: _title, ...document } = scenario;
  const { whatIf, ...results } = expected;
  const report = whatIf as { source?: unknown } | undefined;
  return { ...rest, document, results, whatIf: report === undefined ? undefined : { ...report, source: undefined } };
}

/** How many scenarios (pickles) the feature files hold: a run that ran them all can tell which vectors no scenario gives. */
export function countScenarios(): number {
  let count = 0;
  for (const feature of readFeatureSources(join(SHIPPED_VECTORS, '..'))) {
    const envelopes = generateMessages(feature.text, feature.uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
      includeSource: false,
      includeGherkinDocument: false,
      includePickles: true,
      newId: IdGenerator.incrementing(),
    });
    count += envelopes.filter((envelope) => envelope.pickle !== undefined).length;
  }
  return count;
}
