import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The property and mutation checks, as their own reports left them (reports/properties/index.json from
 * mochawesome, reports/mutation/report.json from the mutation check, reports/counterexamples/). Read
 * tolerantly: a missing or older report gives null or fewer figures, never an error.
 */

export interface PropertiesSummary {
  readonly total: number;
  readonly passed: number;
  readonly seconds: number | null;
  readonly invariants: { readonly total: number; readonly passed: number };
  /** Runs over random histories, when the report records them (test context "runs"). */
  readonly runs: number | null;
  readonly exhaustive: readonly { readonly id: string; readonly passed: boolean; readonly worlds: number | null }[];
  readonly counterexampleFiles: number;
}

export interface MutationSummary {
  readonly faults: number;
  readonly caught: number;
  readonly uncaught: readonly string[];
  readonly counterexamples: number;
}

interface MochaTest {
  readonly title: string;
  readonly state?: string;
  readonly pass?: boolean;
  readonly context?: string | null;
}
interface MochaSuite {
  readonly tests?: readonly MochaTest[];
  readonly suites?: readonly MochaSuite[];
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function contextNumber(test: MochaTest, title: string): number | null {
  if (typeof test.context !== 'string') return null;
  try {
    const context = JSON.parse(test.context) as unknown;
    const entries = Array.isArray(context) ? context : [context];
    for (const entry of entries) {
      if (entry && typeof entry === 'object' && (entry as { title?: unknown }).title === title) {
        const value = Number((entry as { value?: unknown }).value);
        if (Number.isFinite(value)) return value;
      }
    }
  } catch {
    return null;
  }
  return null;
}

export function readPropertiesSummary(reportsDir: string): PropertiesSummary | null {
  const report = readJson(join(reportsDir, 'properties', 'index.json')) as { stats?: { duration?: number }; results?: readonly MochaSuite[] } | null;
  if (report === null || !Array.isArray(report.results)) return null;
  const tests: MochaTest[] = [];
  const walk = (suite: MochaSuite) => {
    tests.push(...(suite.tests ?? []));
    (suite.suites ?? []).forEach(walk);
  };
  report.results.forEach(walk);
  const passed = (test: MochaTest) => test.state === 'passed' || test.pass === true;
  const runs = tests.map((test) => contextNumber(test, 'runs')).filter((value): value is number => value !== null);
  // An invariant's property records its runs; a report without figures (older) counts the INV-* titles.
  const invariants = tests.filter((test) => /^INV-[A-Z-]+: /.test(test.title) && (runs.length === 0 || contextNumber(test, 'runs') !== null));
  const exhaustive = tests
    .filter((test) => /^EXHAUSTIVE-/.test(test.title))
    .map((test) => ({ id: test.title.split(':')[0] as string, passed: passed(test), worlds: contextNumber(test, 'worlds') }));
  const counterexamples = join(reportsDir, 'counterexamples');
  return {
    total: tests.length,
    passed: tests.filter(passed).length,
    seconds: typeof report.stats?.duration === 'number' ? report.stats.duration / 1000 : null,
    invariants: { total: invariants.length, passed: invariants.filter(passed).length },
    runs: runs.length === 0 ? null : runs.reduce((sum, value) => sum + value, 0),
    exhaustive,
    counterexampleFiles: existsSync(counterexamples) ? readdirSync(counterexamples).filter((name) => name.endsWith('.json')).length : 0,
  };
}

export function readMutationSummary(reportsDir: string): MutationSummary | null {
  const report = readJson(join(reportsDir, 'mutation', 'report.json'));
  if (!Array.isArray(report)) return null;
  const faults = report as readonly { id?: string; caught?: boolean; reproductions?: readonly unknown[] }[];
  return {
    faults: faults.length,
    caught: faults.filter((fault) => fault.caught === true).length,
    uncaught: faults.filter((fault) => fault.caught !== true).map((fault) => String(fault.id)),
    counterexamples: faults.reduce((sum, fault) => sum + (Array.isArray(fault.reproductions) ? fault.reproductions.length : 0), 0),
  };
}
