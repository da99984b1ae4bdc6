import { readFileSync } from 'node:fs';
import { isReadingProfile, type ReadingProfile } from '../../src/domain';
import { checkScenario, formatViolation, traceScenario } from '../../src/invariants';
import { IdmatrixError } from '../../src/errors';
import { loadScenario } from '../../src/replay/validate';
import { compareWithModel } from '../harness/agreement';

/**
 * `npm run -s properties:check -- <scenario.json>`: replays a scenario file (a counterexample, an
 * example, any file of `replay.md`) and checks every INV-* of `flows.md` on it (src/invariants, what
 * `idmatrix check` will run), then the agreement of the engine with the independent model of the
 * property tests. Prints one line per violation; exits 1 when there is one, 2 on a malformed file.
 * `--reading seed|doc` runs the engine and the model under that reading profile.
 */
async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  let profile: ReadingProfile = 'reference';
  const at = args.indexOf('--reading');
  if (at >= 0) {
    const value = args[at + 1];
    if (!isReadingProfile(value)) {
      process.stderr.write('--reading: expected one of reference, seed, doc\n');
      return 2;
    }
    profile = value;
    args.splice(at, 2);
  }
  const file = args[0];
  if (file === undefined || args.length > 1) {
    process.stderr.write('usage: properties:check <scenario.json | -> [--reading reference|seed|doc]\n');
    return 2;
  }
  let scenario;
  try {
    scenario = loadScenario(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (error) {
    if (error instanceof IdmatrixError || (error as NodeJS.ErrnoException).code !== undefined) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
  const report = await checkScenario(scenario, { profile });
  const lines = report.violations.map(formatViolation);
  const trace = await traceScenario(scenario, { profile });
  const comparison = compareWithModel(scenario, trace.steps, profile);
  let model = comparison.stopped === undefined ? 'agrees' : `agrees on the first ${comparison.judged} event(s), then cannot judge ${comparison.stopped}`;
  if (comparison.disagreement !== null) {
    const difference = comparison.disagreement;
    model = 'disagrees';
    lines.push(`MODEL-AGREEMENT at events[${difference.index}] (${difference.event}): ${difference.message}`);
  }
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.stdout.write(
    `${lines.length === 0 ? 'ok' : 'FAILED'}: ${scenario.events.length} event(s), ${report.checked.length} invariant(s) checked, ${report.violations.length} violation(s); model ${model}\n`,
  );
  return lines.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
