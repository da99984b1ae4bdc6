/**
 * The hand-written examples of `examples/`: one directory per rule ID of flows.md, each holding
 * scenario files (replay.md) with the result they must give. Every expectation was written from the
 * spec by reasoning, before the engine was run on it; this test is the independent check of the
 * reference engine against them. It never derives an expectation from the engine.
 *
 * Layout, per directory `examples/<RULE-ID>/`:
 * - `<slug>.json`                      a scenario (title and a fixed `now` required)
 * - `<slug>.result.json`               the complete expected result document (error messages not compared)
 * - `<slug>.result.<profile>.json`     the expected result under the reading profile `seed` or `doc` of
 *                                      flows.md ("Other readings of the DISPUTED rules")
 * - `<slug>.count.json`                ADMIN-UNVERIFIED-COUNT: the counts after the run
 * - `<slug>.what-if.<setting>.json`    ADMIN-SWITCH: the what-if report for that setting
 * - `<slug>.csv` / `<slug>.users.json` ADMIN-IMPORT: an import file (batch `<slug>`), run against the
 *                                      final store of `<slug>.json` when present, else an empty store
 * - `<slug>.import.json`               the expected import report (error messages not compared)
 * - `<slug>.after-import.json`         optional: `{ "users": [...] }`, the store's users after the import
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { importUsers, readCsvImport, readJsonImport } from '../src/admin/import';
import { whatIf } from '../src/admin/what-if';
import { RULE_IDS } from '../src/policy/rules';
import { isReadingProfile, SETTING_IDS, type ReadingProfile, type SettingId } from '../src/domain';
import { replay } from '../src/replay/run';
import type { Scenario } from '../src/replay/types';
import { loadScenario, validateResult } from '../src/replay/validate';
import { Store } from '../src/store/store';

const ROOT = join(__dirname, '..');
const EXAMPLES = join(ROOT, 'examples');

/** Directories whose rule no event result can name: their scenarios only set up counts or an import. */
const NO_RESULT_RULE = new Set<string>(['ADMIN-IMPORT', 'ADMIN-UNVERIFIED-COUNT']);

/** What each file name of a directory is, so that no file goes unchecked. */
type Entry =
  | { kind: 'scenario'; slug: string }
  | { kind: 'result' | 'count' | 'import' | 'after-import' | 'csv' | 'users'; slug: string }
  | { kind: 'what-if'; slug: string; setting: string }
  | { kind: 'profile-result'; slug: string; profile: string };

function classify(file: string): Entry | undefined {
  const whatIfMatch = /^(.+)\.what-if\.([a-z-]+)\.json$/.exec(file);
  if (whatIfMatch) return { kind: 'what-if', slug: whatIfMatch[1] as string, setting: whatIfMatch[2] as string };
  const profileMatch = /^(.+)\.result\.([a-z-]+)\.json$/.exec(file);
  if (profileMatch) return { kind: 'profile-result', slug: profileMatch[1] as string, profile: profileMatch[2] as string };
  for (const kind of ['result', 'count', 'import', 'after-import', 'users'] as const) {
    const suffix = `.${kind}.json`;
    if (file.endsWith(suffix)) return { kind, slug: file.slice(0, -suffix.length) };
  }
  if (file.endsWith('.csv')) return { kind: 'csv', slug: file.slice(0, -'.csv'.length) };
  if (file.endsWith('.json') && !file.slice(0, -'.json'.length).includes('.')) return { kind: 'scenario', slug: file.slice(0, -'.json'.length) };
  return undefined;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** A deep copy with every `message` of an `error` object removed: messages are for people, not compared. */
function withoutMessages(value: unknown): unknown {
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

/** A JSON round trip: the engine's objects compared as the documents they print. */
function asDocument(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** examples/migration/ is the seed's migration path on a generated account, walked by test/migration.test.ts. */
const NOT_A_RULE = new Set(['migration']);

function ruleDirectories(): string[] {
  return readdirSync(EXAMPLES)
    .filter((name) => statSync(join(EXAMPLES, name)).isDirectory() && !NOT_A_RULE.has(name))
    .sort();
}

function loadExample(path: string): Scenario {
  return loadScenario(readFileSync(path, 'utf8'));
}

function titleOf(path: string): string {
  const doc = readJson(path) as { title?: unknown };
  return typeof doc.title === 'string' ? doc.title : '(no title)';
}

describe('examples/ (hand-written expectations, one directory per rule)', () => {
  const directories = ruleDirectories();

  it('has a directory for every rule ID of the catalog, and no other directory', () => {
    const ruleIds = new Set<string>(RULE_IDS);
    const missing = RULE_IDS.filter((id) => !directories.includes(id));
    const unknown = directories.filter((name) => !ruleIds.has(name));
    assert.deepStrictEqual({ missing, unknown }, { missing: [], unknown: [] });
  });

  for (const directory of directories) {
    const dirPath = join(EXAMPLES, directory);
    const files = readdirSync(dirPath).sort();
    const has = (file: string) => files.includes(file);

    describe(directory, () => {
      it('holds at least one checked example, and only files of the layout, each paired', () => {
        const problems: string[] = [];
        let checked = 0;
        for (const file of files) {
          const entry = classify(file);
          if (entry === undefined) {
            problems.push(`${file}: not a file of the examples layout`);
            continue;
          }
          switch (entry.kind) {
            case 'scenario': {
              const expectations = files.filter((other) => other !== file && other.startsWith(`${entry.slug}.`) && !other.endsWith('.csv') && !other.endsWith('.users.json'));
              const isImportStore = has(`${entry.slug}.csv`) || has(`${entry.slug}.users.json`);
              if (expectations.length === 0 && !isImportStore) problems.push(`${file}: a scenario without any expectation file`);
              const doc = readJson(join(dirPath, file)) as { title?: unknown; now?: unknown };
              if (typeof doc.title !== 'string' || doc.title.trim() === '') problems.push(`${file}: no title`);
              if (typeof doc.now !== 'string') problems.push(`${file}: no fixed now`);
              break;
            }
            case 'result':
            case 'count':
            case 'what-if':
            case 'profile-result':
              if (!has(`${entry.slug}.json`)) problems.push(`${file}: no scenario ${entry.slug}.json`);
              checked += 1;
              if (entry.kind === 'what-if' && !(SETTING_IDS as readonly string[]).includes(entry.setting)) {
                problems.push(`${file}: ${entry.setting} is not a setting id`);
              }
              if (entry.kind === 'profile-result') {
                if (!isReadingProfile(entry.profile) || entry.profile === 'reference') problems.push(`${file}: ${entry.profile} is not a reading profile other than reference`);
                if (!has(`${entry.slug}.result.json`)) problems.push(`${file}: no ${entry.slug}.result.json (the reference reading's result comes first)`);
              }
              break;
            case 'csv':
            case 'users':
              if (!has(`${entry.slug}.import.json`)) problems.push(`${file}: no ${entry.slug}.import.json`);
              break;
            case 'import':
            case 'after-import': {
              const sources = [`${entry.slug}.csv`, `${entry.slug}.users.json`].filter(has);
              if (sources.length !== 1) problems.push(`${file}: needs exactly one of ${entry.slug}.csv, ${entry.slug}.users.json`);
              if (entry.kind === 'import') checked += 1;
              break;
            }
          }
        }
        if (checked === 0) problems.push('no checked example');
        assert.deepStrictEqual(problems, []);
      });

      for (const file of files) {
        const entry = classify(file);
        if (entry === undefined) continue;
        const label = relative(ROOT, join(dirPath, file));
        const scenarioPath = join(dirPath, `${entry.slug}.json`);

        if (entry.kind === 'result' && existsSync(scenarioPath)) {
          it(`${label}: ${titleOf(scenarioPath)}`, async () => {
            const scenario = loadExample(scenarioPath);
            const actual = asDocument(await replay(scenario));
            validateResult(actual);
            const expected = readJson(join(dirPath, file));
            validateResult(expected);
            assert.deepStrictEqual(withoutMessages(actual), withoutMessages(expected));
            if (!NO_RESULT_RULE.has(directory)) {
              const rules = (expected as { results: { rule: string }[] }).results.map((result) => result.rule);
              assert.ok(rules.includes(directory), `no result of ${entry.slug}.json names ${directory} (rules: ${rules.join(', ')})`);
            }
          });
        }

        if (entry.kind === 'profile-result' && existsSync(scenarioPath) && isReadingProfile(entry.profile)) {
          const profile: ReadingProfile = entry.profile;
          it(`${label}: ${titleOf(scenarioPath)} (under the ${profile} reading)`, async () => {
            const scenario = loadExample(scenarioPath);
            const actual = asDocument(await replay(scenario, { profile }));
            validateResult(actual);
            const expected = readJson(join(dirPath, file));
            validateResult(expected);
            assert.deepStrictEqual(withoutMessages(actual), withoutMessages(expected));
          });
        }

        if (entry.kind === 'count' && existsSync(scenarioPath)) {
          it(`${label}: ${titleOf(scenarioPath)}`, async () => {
            const scenario = loadExample(scenarioPath);
            let counts: unknown;
            await replay(scenario, { inspect: (engine) => (counts = engine.counts()) });
            assert.deepStrictEqual(asDocument(counts), readJson(join(dirPath, file)));
          });
        }

        if (entry.kind === 'what-if' && existsSync(scenarioPath)) {
          it(`${label}: ${titleOf(scenarioPath)} (what if ${entry.setting} had been in force)`, async () => {
            const scenario = loadExample(scenarioPath);
            const report = await whatIf(scenario, entry.setting as SettingId);
            assert.deepStrictEqual(asDocument(report), readJson(join(dirPath, file)));
          });
        }

        if (entry.kind === 'import') {
          const source = [`${entry.slug}.csv`, `${entry.slug}.users.json`].find(has);
          if (source === undefined) continue;
          const title = existsSync(scenarioPath) ? titleOf(scenarioPath) : 'into an empty store';
          it(`${label}: import ${source} (${title})`, async () => {
            const tmp = mkdtempSync(join(tmpdir(), 'idmatrix-examples-'));
            let store: Store | undefined;
            try {
              if (existsSync(scenarioPath)) {
                const scenario = loadExample(scenarioPath);
                const path = join(tmp, 'store.sqlite');
                await replay(scenario, { path });
                store = Store.open({ path, settings: scenario.settings });
              } else {
                store = Store.open({ settings: { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: false } });
              }
              const text = readFileSync(join(dirPath, source), 'utf8');
              const rows = source.endsWith('.csv') ? readCsvImport(text) : readJsonImport(text);
              const report = importUsers(store, rows, entry.slug);
              assert.deepStrictEqual(withoutMessages(asDocument(report)), withoutMessages(readJson(join(dirPath, file))));
              const afterPath = join(dirPath, `${entry.slug}.after-import.json`);
              if (existsSync(afterPath)) {
                const expectedAfter = readJson(afterPath) as { users: unknown };
                assert.deepStrictEqual(asDocument(store.snapshot().users), expectedAfter.users, 'the store after the import');
              }
            } finally {
              store?.close();
              rmSync(tmp, { recursive: true, force: true });
            }
          });
        }
      }
    });
  }

  it('the real CLI prints an example\'s expected result and exits 0', () => {
    const scenario = join(EXAMPLES, 'LOGIN-MOVE', 'joined-profile-keeps-its-other-conversations.json');
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'idmatrix.js'), 'replay', scenario], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    const expected = readJson(join(EXAMPLES, 'LOGIN-MOVE', 'joined-profile-keeps-its-other-conversations.result.json'));
    assert.deepStrictEqual(withoutMessages(JSON.parse(run.stdout)), withoutMessages(expected));
  });
});
