import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { FAULTS, type Fault } from './faults';

/**
 * The mutation check: for each fault of faults.ts, copy the project to a temporary directory (with a
 * symlink to node_modules), plant the fault, run the property suite there with a fixed seed, and
 * require that it fails and wrote counterexamples of which at least one reproduces the failure in the
 * mutated copy (`properties:check` replays it and exits 1) and passes on the reference engine; every
 * counterexample of an invariant property must also make `idmatrix check` exit 1 on the mutant and 0
 * on the reference.
 *
 *   npm run mutation [-- --only <fault-id>] [-- --keep]
 *
 * Environment: MUTATION_SEED (default 20260101), MUTATION_EXHAUSTIVE (default `default`, or `off`).
 * Writes reports/mutation/report.json and report.md; exits 1 when a fault goes uncaught.
 */

const ROOT = resolve(__dirname, '..', '..');
const COPIED = ['src', 'test', 'properties', 'bin', 'package.json', 'tsconfig.json'];
const SEED = process.env.MUTATION_SEED ?? '20260101';
const EXHAUSTIVE = process.env.MUTATION_EXHAUSTIVE ?? 'default';

interface Reproduction {
  readonly file: string;
  /** properties:check in the mutated copy: exit status and its first line. */
  readonly mutant: { readonly status: number | null; readonly line: string };
  /** The same file on the reference engine. */
  readonly reference: { readonly status: number | null; readonly line: string };
  /** `replay` in the mutated copy exits 0 and prints a result. */
  readonly replays: boolean;
  /** `idmatrix check` (the invariants alone) in the mutated copy and on the reference: exit statuses. */
  readonly idmatrixCheck: { readonly mutant: number | null; readonly reference: number | null };
}

interface FaultReport {
  readonly id: string;
  readonly description: string;
  readonly file: string;
  readonly suiteStatus: number | null;
  readonly failed: readonly string[];
  readonly reproductions: readonly Reproduction[];
  readonly caught: boolean;
  readonly seconds: number;
  readonly directory?: string;
}

function plant(directory: string, fault: Fault): void {
  const path = join(directory, fault.file);
  const text = readFileSync(path, 'utf8');
  const count = text.split(fault.search).length - 1;
  if (count !== 1) {
    throw new Error(`fault ${fault.id}: the search text occurs ${count} times in ${fault.file} (expected once); update properties/mutation/faults.ts:\n${fault.search}`);
  }
  const planted = text.replace(fault.search, () => fault.replace);
  if (planted === text) throw new Error(`fault ${fault.id}: the replacement changed nothing`);
  writeFileSync(path, planted);
}

function copyProject(fault: Fault): string {
  const directory = mkdtempSync(join(tmpdir(), `idmatrix-mutant-${fault.id}-`));
  for (const entry of COPIED) if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(directory, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(directory, 'node_modules'), 'dir');
  return directory;
}

function node(directory: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, args, { cwd: directory, env: { ...process.env, IDMATRIX_SOURCE: '1', ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Titles of the failed tests in a mochawesome JSON report. */
function failedTests(reportFile: string): string[] {
  if (!existsSync(reportFile)) return [];
  const failed: string[] = [];
  const walk = (suite: { tests?: { title: string; state?: string; fail?: boolean }[]; suites?: unknown[] }) => {
    for (const test of suite.tests ?? []) if (test.fail || test.state === 'failed') failed.push(test.title);
    for (const child of suite.suites ?? []) walk(child as never);
  };
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { results: unknown[] };
  for (const result of report.results) walk(result as never);
  return failed;
}

/** `--reading <profile>` for a counterexample found under a reading profile (`<ID>@<profile>-<seed>.json`). */
function readingOf(file: string): string[] {
  const profile = /@(seed|doc)-[^/]*\.json$/.exec(file)?.[1];
  return profile === undefined ? [] : ['--reading', profile];
}

function check(directory: string, file: string): { status: number | null; line: string } {
  const run = node(directory, ['-r', 'ts-node/register', 'properties/bin/check.ts', file, ...readingOf(file)]);
  const line = (run.stdout.split('\n').find((l) => l.trim() !== '') ?? run.stderr.split('\n')[0] ?? '').trim();
  return { status: run.status, line };
}

function runFault(fault: Fault, keep: boolean): FaultReport {
  const started = performance.now();
  const directory = copyProject(fault);
  try {
    plant(directory, fault);
    const suite = node(directory, ['node_modules/mocha/bin/mocha.js', '--config', 'properties/.mocharc.json'], {
      FC_SEED: SEED,
      EXHAUSTIVE,
      NUM_RUNS: '',
      RUNS_SCALE: '',
      FC_PATH: '',
      COUNTEREXAMPLES_DIR: '',
      // The faults are planted in the reference reading; the other readings' runs would only add time.
      PROPERTY_PROFILES: 'reference',
    });
    const failed = failedTests(join(directory, 'reports', 'properties', 'index.json')).map((title) => title.split(':')[0] as string);
    const counterexampleDir = join(directory, 'reports', 'counterexamples');
    const files = existsSync(counterexampleDir) ? readdirSync(counterexampleDir).filter((f) => f.endsWith('.json')).sort() : [];
    const reproductions = files.map((name): Reproduction => {
      const file = join(counterexampleDir, name);
      const replayed = node(directory, ['bin/idmatrix.js', 'replay', file, ...readingOf(file)]);
      const reference = node(ROOT, ['bin/idmatrix.js', 'replay', file, ...readingOf(file)]);
      return {
        file: name,
        mutant: check(directory, file),
        reference: check(ROOT, file),
        replays: [replayed, reference].every((run) => run.status === 0 && run.stdout.includes('"results"')),
        idmatrixCheck: {
          mutant: node(directory, ['bin/idmatrix.js', 'check', file, ...readingOf(file)]).status,
          reference: node(ROOT, ['bin/idmatrix.js', 'check', file, ...readingOf(file)]).status,
        },
      };
    });
    // A counterexample of an invariant property must also fail `idmatrix check`, the product's own command.
    const invariantCounterexamplesFailCheck = reproductions
      .filter((r) => r.file.startsWith('INV-'))
      .every((r) => r.idmatrixCheck.mutant === 1 && r.idmatrixCheck.reference === 0);
    const caught =
      suite.status !== 0 &&
      failed.length > 0 &&
      invariantCounterexamplesFailCheck &&
      reproductions.some((r) => r.mutant.status === 1 && r.reference.status === 0 && r.replays);
    if (files.length > 0) {
      // The counterexamples stay available after the copy is removed.
      cpSync(counterexampleDir, join(ROOT, 'reports', 'mutation', fault.id), { recursive: true });
    }
    return {
      id: fault.id,
      description: fault.description,
      file: fault.file,
      suiteStatus: suite.status,
      failed,
      reproductions,
      caught,
      seconds: (performance.now() - started) / 1000,
      ...(keep ? { directory } : {}),
    };
  } finally {
    if (!keep) rmSync(directory, { recursive: true, force: true });
  }
}

function main(argv: readonly string[]): number {
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  const keep = argv.includes('--keep');
  const faults = only === undefined ? FAULTS : FAULTS.filter((fault) => fault.id === only);
  if (faults.length === 0) throw new Error(`no fault "${only}"; faults: ${FAULTS.map((f) => f.id).join(', ')}`);
  console.log(`mutation check: ${faults.length} fault(s), seed ${SEED}, exhaustive ${EXHAUSTIVE}`);
  const outDir = join(ROOT, 'reports', 'mutation');
  mkdirSync(outDir, { recursive: true });
  const reports: FaultReport[] = [];
  for (const fault of faults) {
    const report = runFault(fault, keep);
    reports.push(report);
    const best = report.reproductions.find((r) => r.mutant.status === 1 && r.reference.status === 0 && r.replays);
    console.log(`${report.caught ? 'caught  ' : 'MISSED  '} ${fault.id} (${report.seconds.toFixed(0)} s): failed ${report.failed.join(', ') || 'nothing'}`);
    if (best) console.log(`           ${best.file}: ${best.mutant.line}`);
  }

  const rows = reports.map((report) => {
    const reproducing = report.reproductions.filter((r) => r.mutant.status === 1 && r.reference.status === 0 && r.replays).map((r) => `reports/mutation/${report.id}/${r.file}`);
    return `| ${report.id} | ${report.caught ? 'yes' : '**NO**'} | ${report.failed.join(', ')} | ${reproducing.join(', ') || '—'} |`;
  });
  const table = [
    `Mutation check, seed ${SEED}, exhaustive ${EXHAUSTIVE}: ${reports.filter((r) => r.caught).length} of ${reports.length} faults caught`,
    '',
    '| fault | caught | properties that failed | counterexamples that reproduce (properties:check exits 1 on the mutant and 0 on the reference; replay runs on both; `idmatrix check` agrees on INV-* ones) |',
    '|---|---|---|---|',
    ...rows,
    '',
    ...reports.map((report) => `- **${report.id}** (${report.file}): ${report.description}`),
  ].join('\n');
  console.log(`\n${table}`);
  writeFileSync(join(outDir, 'report.md'), `${table}\n`);
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(reports, null, 2)}\n`);
  console.log(`\nwritten: ${relative(ROOT, join(outDir, 'report.md'))}, report.json`);
  return reports.every((report) => report.caught) ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 2;
}
