import { cpus } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../../src/replay/types';
import { exploreShard, type Bound, type ExploreReport, type Finding } from './explore';

/** A report as it crosses the worker boundary (maps as entry lists). */
export interface WireReport extends Omit<ExploreReport, 'findings' | 'rules'> {
  readonly findings: [string, Finding][];
  readonly rules: [string, number][];
}

export function toWire(report: ExploreReport): WireReport {
  return { ...report, findings: [...report.findings], rules: [...report.rules] };
}

function merge(bound: Bound, reports: readonly WireReport[], seconds: number): ExploreReport {
  const findings = new Map<string, Finding>();
  const rules = new Map<string, number>();
  const worldsByDepth = new Array<number>(bound.depth).fill(0);
  for (const report of reports) {
    for (const [key, finding] of report.findings) {
      const known = findings.get(key);
      findings.set(key, known ? { ...known, count: known.count + finding.count } : finding);
    }
    for (const [rule, count] of report.rules) rules.set(rule, (rules.get(rule) ?? 0) + count);
    report.worldsByDepth.forEach((count, i) => (worldsByDepth[i] = (worldsByDepth[i] ?? 0) + count));
  }
  const sum = (pick: (report: WireReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
  return {
    bound,
    stores: reports[0]?.stores ?? 0,
    worlds: sum((r) => r.worlds),
    worldsByDepth,
    replayed: sum((r) => r.replayed),
    probed: sum((r) => r.probed),
    findings,
    rules,
    seconds,
  };
}

/**
 * Explores the bound, split over worker threads (one per core by default; `workers: 1` runs in this
 * thread). Each worker takes every n-th (setting, starting store) root.
 */
export async function explore(bound: Bound, options: { workers?: number; progress?: (line: string) => void } = {}): Promise<ExploreReport> {
  const started = performance.now();
  const workers = Math.max(1, options.workers ?? cpus().length);
  if (workers === 1) {
    const report = await exploreShard(bound, 0, 1, options.progress);
    return { ...report, seconds: (performance.now() - started) / 1000 };
  }
  const reports = await Promise.all(
    Array.from(
      { length: workers },
      (_, shard) =>
        new Promise<WireReport>((resolve, reject) => {
          const worker = new Worker(join(__dirname, 'worker.js'), { workerData: { bound, shard, shards: workers } });
          let result: WireReport | undefined;
          worker.on('message', (message: { progress?: string; report?: WireReport }) => {
            if (message.progress !== undefined) options.progress?.(`worker ${shard + 1}/${workers}: ${message.progress}`);
            if (message.report !== undefined) result = message.report;
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (result !== undefined ? resolve(result) : reject(new Error(`exhaustive worker ${shard} exited with ${code}`))));
        }),
    ),
  );
  return merge(bound, reports, (performance.now() - started) / 1000);
}

export type { Bound, ExploreReport, Finding, Scenario };
