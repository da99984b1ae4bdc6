/**
 * How long one `idmatrix` command takes from process start to exit: the CLI run from its TypeScript
 * sources (ts-node with SWC, what every start cost before the compiled build) against the compiled build
 * in dist/, with bare `node` as the floor taken in the same run. Prints figures; asserts nothing.
 *
 *   node -r ts-node/register scripts/cli-start.ts [runs]      # default 9 runs of each, after one warm-up
 *
 * `npm run bench` calls `cliStart` (and reports it against bare node); this script also stands alone. The
 * command timed is `idmatrix replay` of a small example, what a `cmd:` gate wrapping `idmatrix replay`
 * pays per scenario. dist/ is rebuilt first when a source is newer than it (bin/entry.js decides).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { chooseEntry } = require('../bin/entry.js') as { chooseEntry: (root: string, env: NodeJS.ProcessEnv) => 'compiled' | 'source' };

const ROOT = join(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 9);
const EXAMPLE = join(ROOT, 'examples', 'LOGIN-MOVE', 'joined-profile-keeps-its-other-conversations.json');

function timed(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function measure(label: string, args: readonly string[], env: NodeJS.ProcessEnv, runs: number, print: boolean): number {
  timed(args, env); // warm-up: file cache, SWC's cache
  const times = Array.from({ length: runs }, () => timed(args, env));
  const value = median(times);
  if (print) console.log(`${label.padEnd(46)} ${value.toFixed(0).padStart(6)} ms  (median of ${runs}; min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`);
  return value;
}

export interface CliStart {
  readonly command: string;
  readonly runs: number;
  /** Medians in milliseconds: `node -e 0`, the CLI through ts-node, the compiled CLI. */
  readonly bareNodeMs: number;
  readonly sourcesMs: number;
  readonly compiledMs: number;
}

/** The three medians (scripts/bench.ts calls this); prints them when `print`. */
export function cliStart(runs = RUNS, print = true): CliStart {
  const { IDMATRIX_SOURCE: _ignored, ...env } = process.env;
  if (chooseEntry(ROOT, env) !== 'compiled') {
    if (print) console.log('dist/ is missing or older than src/: npm run build');
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: print ? 'inherit' : 'ignore' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const command = `idmatrix replay ${EXAMPLE.slice(ROOT.length + 1)}`;
  if (print) console.log(`CLI start: ${command}`);
  const bareNodeMs = measure('bare node (node -e 0)', ['-e', '0'], {}, runs, print);
  const sourcesMs = measure('sources through ts-node + SWC (IDMATRIX_SOURCE=1)', ['bin/idmatrix.js', 'replay', EXAMPLE], { IDMATRIX_SOURCE: '1' }, runs, print);
  const compiledMs = measure('compiled build (dist/)', ['bin/idmatrix.js', 'replay', EXAMPLE], { IDMATRIX_SOURCE: '0' }, runs, print);
  if (print) console.log(`compiled / sources: ${(compiledMs / sourcesMs).toFixed(2)} (${(sourcesMs / compiledMs).toFixed(1)}x faster); compiled / bare node: ${(compiledMs / bareNodeMs).toFixed(1)}`);
  return { command, runs, bareNodeMs, sourcesMs, compiledMs };
}

if (require.main === module) cliStart();
