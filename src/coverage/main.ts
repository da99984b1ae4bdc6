import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../errors';
import { readFeatureSources } from './features';
import { checkCoverage, formatMatrix } from './gate';

export interface CoverageOptions {
  /** The project root (where features/ is); default: two levels above this file. */
  readonly root?: string;
  /** flows.md; default: $IDMATRIX_FLOWS, else <root>/../shared/spec/flows.md. */
  readonly flowsPath?: string;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/**
 * `npm run coverage` (and, when wired, `idmatrix coverage`): reads features/**\/*.feature and flows.md,
 * prints the matrix, lists every error, and resolves to the exit status: 0 when the gate passes, 1
 * when it fails. A flows.md that cannot be read is bad input, not a failed gate: InvalidArgumentError
 * (the CLI's exit 2, one line).
 */
export function runCoverage(options: CoverageOptions = {}): number {
  const root = options.root ?? path.resolve(__dirname, '..', '..');
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  const flowsPath = options.flowsPath ?? process.env.IDMATRIX_FLOWS ?? path.resolve(root, '..', 'shared', 'spec', 'flows.md');

  const features = readFeatureSources(root);
  let flowsMarkdown: string;
  try {
    flowsMarkdown = readFileSync(flowsPath, 'utf8');
  } catch (error) {
    const given = options.flowsPath !== undefined ? '--flows ' : process.env.IDMATRIX_FLOWS !== undefined ? '$IDMATRIX_FLOWS ' : '';
    const hint = given === '' ? '; give its path with --flows or $IDMATRIX_FLOWS' : '';
    throw new InvalidArgumentError(`${given}${flowsPath}: flows.md cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})${hint}`);
  }

  const report = checkCoverage({ features, flowsMarkdown, flowsPath: path.relative(root, flowsPath) || flowsPath });
  stdout(`${formatMatrix(report)}\n`);
  if (report.errors.length > 0) {
    stderr(`\nCoverage gate FAILED (${report.errors.length} problem${report.errors.length === 1 ? '' : 's'}):\n`);
    for (const error of report.errors) stderr(`  - ${error}\n`);
    return 1;
  }
  stdout('\nCoverage gate passed.\n');
  return 0;
}
