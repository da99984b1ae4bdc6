import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { REFERENCE_TARGET, type TargetInfo } from './model';
import { renderReport } from './render';
import { parseMessages, readRun } from './run';
import { readMutationSummary, readPropertiesSummary } from './summaries';

/**
 * Builds reports/index.html from a run's honest messages and the other reports found in the reports
 * folder. Used by the cucumber formatter at the end of `npm run verify` and by `npm run report`.
 */

/** The budget the page is held to (a test checks it): the inlined mermaid bundle is about 3.6 MB of it. */
export const PAGE_BUDGET_BYTES = 4_800_000;
/** The budget for everything but the mermaid bundle. */
export const CONTENT_BUDGET_BYTES = 1_200_000;

export const TARGET_FILE = 'target.json';

/**
 * The target the run was made against: reports/target.json when present (written at the end of each
 * run; the conformance gate may write its own, with its expected-failures list), else the environment
 * (IDMATRIX_TARGET, default `reference`; the reading is the part after `reference:`).
 */
export function readTarget(reportsDir: string, env: NodeJS.ProcessEnv = process.env): TargetInfo {
  const path = join(reportsDir, TARGET_FILE);
  if (existsSync(path)) {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<TargetInfo>;
    return {
      name: String(data.name ?? 'reference'),
      reading: String(data.reading ?? readingOf(String(data.name ?? 'reference'))),
      expectedFailures: Array.isArray(data.expectedFailures) ? data.expectedFailures.map((entry) => ({ id: String(entry.id), reason: String(entry.reason) })) : [],
      from: TARGET_FILE,
    };
  }
  return targetFromEnv(env);
}

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): TargetInfo {
  const name = env.IDMATRIX_TARGET;
  if (name === undefined || name === '') return REFERENCE_TARGET;
  return { name, reading: readingOf(name), expectedFailures: [], from: 'IDMATRIX_TARGET' };
}

function readingOf(target: string): string {
  if (target === 'reference') return 'reference';
  const match = /^reference:(\w+)$/.exec(target);
  return match ? (match[1] as string) : 'unknown';
}

export interface BuildOptions {
  readonly reportsDir: string;
  readonly envelopes?: readonly Envelope[];
  readonly target?: TargetInfo;
  readonly now?: Date;
}

export function buildIndex(options: BuildOptions): string {
  const { reportsDir } = options;
  const envelopes = options.envelopes ?? parseMessages(readFileSync(join(reportsDir, 'messages.ndjson'), 'utf8'), join(reportsDir, 'messages.ndjson'));
  const candidates: [string, string][] = [
    ['cucumber.html', 'every scenario, step by step (cucumber)'],
    ['junit.xml', 'JUnit XML'],
    ['cucumber.json', 'cucumber JSON'],
    ['messages.ndjson', 'cucumber messages'],
    ['unit/index.html', 'unit, CLI and example tests (mochawesome)'],
    ['properties/index.html', 'property, model and exhaustive checks (mochawesome)'],
    ['mutation/report.md', 'mutation check table'],
  ];
  const links = candidates.filter(([file]) => existsSync(join(reportsDir, file))).map(([href, label]) => ({ href, label }));
  return renderReport({
    run: readRun(envelopes),
    target: options.target ?? readTarget(reportsDir),
    properties: readPropertiesSummary(reportsDir),
    mutation: readMutationSummary(reportsDir),
    generatedAt: (options.now ?? new Date()).toISOString(),
    links,
  });
}

export function describeWrite(path: string, bytes: number, seconds: number): string {
  return `written: ${relative(process.cwd(), path)} (${bytes.toLocaleString('en')} bytes, ${seconds.toFixed(2)} s)`;
}
