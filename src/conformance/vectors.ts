import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isReadingProfile, isRuleId, isSettingId, type ReadingProfile, type RuleId, type SettingId } from '../domain';
import { InvalidArgumentError, MalformedScenarioError } from '../errors';
import type { ImportFile, ImportReportDocument } from '../replay/protocol';
import type { ReplayResult, Scenario } from '../replay/types';
import { InvalidResultError, validateResult, validateScenario } from '../replay/validate';

/**
 * Test vectors: every feature scenario as a language-neutral JSON file (like the JSON-Schema-Test-Suite's
 * cases), `vectors/<family>/<rule>/<id>.json`, written by `npm run vectors` from a run of the features
 * against the reference engine under the reading each scenario states. A team in any language replays
 * `scenario` (and `imports`) through its implementation and compares with `expected`, member for member,
 * `error.message` aside; `idmatrix conform` does exactly that against any target.
 */
export interface Vector {
  /** Stable: the same scenario keeps its id when its title or its steps' wording change (see vectorId). */
  readonly id: string;
  readonly rule: RuleId;
  readonly family: string;
  readonly setting: SettingId;
  /** The reading the expected result follows: `reference`, or the profile a `@reading:` scenario states. */
  readonly reading: ReadingProfile;
  /**
   * The feature scenarios that state this case (usually one; the same case may be stated in two feature
   * files, say once per setting side by side and once in its rule's file): the feature file, the
   * scenario's title, and the Then statements the expected result stands for, as the file words them.
   */
  readonly statedIn: readonly StatedIn[];
  readonly scenario: Scenario;
  /** ADMIN-IMPORT: files imported between the starting users and the events (an import request). */
  readonly imports?: readonly ImportFile[];
  /** ADMIN-SWITCH: the setting of the what-if report the harness computes from two replays. */
  readonly whatIf?: SettingId;
  readonly expected: VectorExpectation;
}

export interface StatedIn {
  readonly feature: string;
  readonly title: string;
  readonly statements: readonly string[];
}

/** How the reports name a vector: the title of its first feature scenario. */
export function titleOf(vector: Pick<Vector, 'statedIn'>): string {
  return vector.statedIn[0]?.title ?? '(untitled)';
}

export interface VectorExpectation {
  readonly result: ReplayResult;
  /** One report per import file. */
  readonly imports?: readonly ImportReportDocument[];
  /** ADMIN-UNVERIFIED-COUNT, computed by the harness from the result's users. */
  readonly counts?: { readonly usersWithoutVerifiedIdentity: number; readonly unverifiedIdentities: number; readonly users: number };
  /** The what-if report, computed by the harness from the replays of the scenario and of its alternative. */
  readonly whatIf?: unknown;
}

/** What identifies a vector: its rule, reading and everything it sends, never its words. */
export interface VectorIdentity {
  readonly rule: string;
  readonly setting: string;
  readonly reading: ReadingProfile;
  readonly scenario: Scenario;
  readonly imports?: readonly ImportFile[];
  readonly whatIf?: string;
}

/**
 * `<rule>.<setting>[.<reading>].<hash>`: the hash (SHA-256, 10 hex digits) of the rule, the reading,
 * the scenario document without `title` and `description`, the import files and the what-if setting.
 * Rewording a scenario (its title, its steps) keeps its id; changing what it sends gives a new vector.
 */
export function vectorId(identity: VectorIdentity): string {
  const { title: _title, description: _description, ...sent } = identity.scenario;
  const material = JSON.stringify({ rule: identity.rule, reading: identity.reading, scenario: sent, imports: identity.imports ?? null, whatIf: identity.whatIf ?? null });
  const hash = createHash('sha256').update(material).digest('hex').slice(0, 10);
  return `${identity.rule.toLowerCase()}.${identity.setting}${identity.reading === 'reference' ? '' : `.${identity.reading}`}.${hash}`;
}

/** Where a vector lives under the vectors folder. */
export function vectorPath(vector: Pick<Vector, 'family' | 'rule' | 'id'>): string {
  return `${vector.family}/${vector.rule}/${vector.id}.json`;
}

// ---------------------------------------------------------------------------------------------------
// Reading vectors

/** Every vector file under the given folders (index.json and schema/ left out) and the files given. */
export function vectorFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string, top: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (!(dir === top && name === 'schema')) walk(full, top);
      } else if (name.endsWith('.json') && !(dir === top && name === 'index.json')) {
        files.push(full);
      }
    }
  };
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw new InvalidArgumentError(`${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`);
    }
    if (isDirectory) walk(path, path);
    else files.push(path);
  }
  return files;
}

/** Reads and checks one vector file; a file that is not a vector is bad input naming the file and the path. */
export function readVector(file: string, label = file): Vector {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError(`${label}: ${(error as NodeJS.ErrnoException).code ?? `not JSON: ${(error as Error).message}`}`);
  }
  return checkVector(doc, label);
}

export function checkVector(doc: unknown, label: string): Vector {
  const fail = (path: string, what: string): never => {
    throw new InvalidArgumentError(`${label}: ${path}: ${what}`);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('$', 'expected a vector object');
  const v = doc as Record<string, unknown>;
  const known = ['id', 'rule', 'family', 'setting', 'reading', 'statedIn', 'scenario', 'imports', 'whatIf', 'expected'];
  for (const member of Object.keys(v)) if (!known.includes(member)) fail(member, 'is not a member of a vector');
  for (const member of ['id', 'family']) if (typeof v[member] !== 'string' || v[member] === '') fail(member, 'expected a non-empty string');
  if (!isRuleId(v.rule)) fail('rule', 'expected a rule ID of flows.md');
  if (!isSettingId(v.setting)) fail('setting', 'expected a setting id');
  if (!isReadingProfile(v.reading)) fail('reading', 'expected reference, seed or doc');
  if (!Array.isArray(v.statedIn) || v.statedIn.length === 0) fail('statedIn', 'expected a non-empty array of {feature, title, statements}');
  (v.statedIn as unknown[]).forEach((entry, index) => {
    const e = entry as Record<string, unknown>;
    const ok = typeof e?.feature === 'string' && typeof e.title === 'string' && Array.isArray(e.statements) && e.statements.every((text) => typeof text === 'string');
    if (!ok || Object.keys(e).length !== 3) fail(`statedIn[${index}]`, 'expected {"feature": <string>, "title": <string>, "statements": [<string>, …]}');
  });
  if (v.whatIf !== undefined && !isSettingId(v.whatIf)) fail('whatIf', 'expected a setting id');
  let scenario: Scenario;
  try {
    scenario = validateScenario(v.scenario);
  } catch (error) {
    if (error instanceof MalformedScenarioError) return fail(`scenario${error.path === '$' ? '' : `.${error.path}`}`, error.detail);
    throw error;
  }
  if (v.imports !== undefined) {
    if (!Array.isArray(v.imports)) fail('imports', 'expected an array of {batch, csv}');
    (v.imports as unknown[]).forEach((file, index) => {
      const f = file as Record<string, unknown>;
      if (typeof f?.batch !== 'string' || typeof f.csv !== 'string' || Object.keys(f).length !== 2) fail(`imports[${index}]`, 'expected {"batch": <string>, "csv": <string>}');
    });
  }
  const expected = v.expected as Record<string, unknown> | undefined;
  if (typeof expected !== 'object' || expected === null) return fail('expected', 'expected an object with "result"');
  for (const member of Object.keys(expected)) if (!['result', 'imports', 'counts', 'whatIf'].includes(member)) fail(`expected.${member}`, 'is not a member of expected');
  try {
    validateResult(expected.result);
  } catch (error) {
    if (error instanceof InvalidResultError) fail(`expected.result${error.path === '$' ? '' : `.${error.path}`}`, error.detail);
    throw error;
  }
  if ((v.imports === undefined) !== (expected.imports === undefined)) fail('expected.imports', 'a vector with imports expects their reports, and only then');
  if ((v.whatIf === undefined) !== (expected.whatIf === undefined)) fail('expected.whatIf', 'a vector with whatIf expects its report, and only then');
  const vector = { ...(v as unknown as Vector), scenario };
  const id = vectorId(vector);
  if (id !== vector.id) fail('id', `is ${JSON.stringify(vector.id)}, but what the vector sends gives ${JSON.stringify(id)}`);
  return vector;
}

// ---------------------------------------------------------------------------------------------------
// Comparing

/** A deep copy without the `message` of every `error` object: messages are for people, not compared. */
export function withoutMessages(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMessages);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (key === 'error' && member !== null && typeof member === 'object' && !Array.isArray(member)) {
        const { message: _message, ...rest } = member as Record<string, unknown>;
        copy[key] = withoutMessages(rest);
      } else {
        copy[key] = withoutMessages(member);
      }
    }
    return copy;
  }
  return value;
}

/**
 * The first place where `actual` differs from `expected`, member for member (`error.message` aside), as
 * `results[1].rule: expected "AUTH-ADOPT", got "AUTH-NEW"`; null when they are equal.
 */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | null {
  const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));
  const here = path === '' ? '$' : path;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length) return `${here}[${i}]: expected nothing (${expected.length} items), got ${show(actual[i])}`;
      if (i >= actual.length) return `${here}[${i}]: expected ${show(expected[i])}, got nothing (${actual.length} items)`;
      const inner = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (inner !== null) return inner;
    }
    return null;
  }
  if (isRecord(expected) && isRecord(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (key === 'message' && /(^|\.|\])error$/.test(path)) continue;
      const inner = firstDifference(expected[key], actual[key], path === '' ? key : `${path}.${key}`);
      if (inner !== null) return inner;
    }
    return null;
  }
  return Object.is(expected, actual) ? null : `${here}: expected ${show(expected)}, got ${show(actual)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path relative to `root`, with forward slashes (how the reports and the index name files). */
export function relativePath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}
