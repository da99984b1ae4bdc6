import { cpus } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../../src/replay/types';
import { explorePart, planPart, WHOLE, type Bound, type ExploreReport, type Finding, type Part } from './explore';

/** A report as it crosses a worker or file boundary (maps as entry lists). */
export interface WireReport extends Omit<ExploreReport, 'findings' | 'rules'> {
  readonly findings: [string, Finding][];
  readonly rules: [string, number][];
}

export function toWire(report: ExploreReport): WireReport {
  return { ...report, findings: [...report.findings], rules: [...report.rules] };
}

/** The sum of reports of disjoint parts of one bound. */
export function mergeReports(bound: Bound, reports: readonly WireReport[], seconds: number): ExploreReport {
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

export interface Progress {
  readonly worlds: number;
  readonly total: number;
  readonly seconds: number;
  readonly worldsPerSecond: number;
  /** Seconds left at the rate so far. */
  readonly eta: number;
}

export function formatProgress(progress: Progress): string {
  const percent = ((100 * progress.worlds) / Math.max(1, progress.total)).toFixed(1);
  return `${progress.worlds.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')} worlds (${percent}%), ${progress.worldsPerSecond.toFixed(0)} worlds/s, ${formatDuration(progress.seconds)} so far, about ${formatDuration(progress.eta)} left`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export interface ExploreOptions {
  /** The part of the bound to explore (`--shard i/n`); the whole bound by default. */
  readonly part?: Part;
  /** Worker threads (one per core by default; 1 runs in this thread). */
  readonly workers?: number;
  /** Called about every `progressEvery` seconds (default 10) with the worlds checked so far. */
  readonly progress?: (progress: Progress) => void;
  readonly progressEvery?: number;
}

/**
 * Explores a part of the bound (all of it by default), split over worker threads: worker w of W takes
 * the sub-part `part.index + part.count * w` of `part.count * W`, so the sub-parts are disjoint and
 * cover the part.
 */
export async function explore(bound: Bound, options: ExploreOptions = {}): Promise<ExploreReport> {
  const started = performance.now();
  const part = options.part ?? WHOLE;
  const workers = Math.max(1, options.workers ?? cpus().length);
  const total = planPart(bound, part).worlds;
  const done = new Array<number>(workers).fill(0);
  let lastReport = started;
  const report = (worker: number, worlds: number) => {
    done[worker] = worlds;
    const now = performance.now();
    if (options.progress === undefined || now - lastReport < (options.progressEvery ?? 10) * 1000) return;
    lastReport = now;
    const worldsSoFar = done.reduce((a, b) => a + b, 0);
    const seconds = (now - started) / 1000;
    const worldsPerSecond = worldsSoFar / seconds;
    options.progress({ worlds: worldsSoFar, total, seconds, worldsPerSecond, eta: (total - worldsSoFar) / worldsPerSecond });
  };
  const subPart = (w: number): Part => ({ index: part.index + part.count * w, count: part.count * workers });
  if (workers === 1) {
    const result = await explorePart(bound, part, (worlds) => report(0, worlds));
    return { ...result, seconds: (performance.now() - started) / 1000 };
  }
  const reports = await Promise.all(
    Array.from(
      { length: workers },
      (_, w) =>
        new Promise<WireReport>((resolve, reject) => {
          const worker = new Worker(join(__dirname, 'worker.js'), { workerData: { bound, part: subPart(w) } });
          let result: WireReport | undefined;
          worker.on('message', (message: { worlds?: number; report?: WireReport }) => {
            if (message.worlds !== undefined) report(w, message.worlds);
            if (message.report !== undefined) result = message.report;
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (result !== undefined ? resolve(result) : reject(new Error(`exhaustive worker ${w} exited with ${code}`))));
        }),
    ),
  );
  return mergeReports(bound, reports, (performance.now() - started) / 1000);
}

export type { Bound, ExploreReport, Finding, Part, Scenario };
