/**
 * The walk of examples/migration/README.md: each command the README shows, run for real, its output
 * written under it. A step is a comment followed by a console block:
 *
 *   <!-- walk: <label> | idmatrix <arguments> [> <file>] [| show <filter>] -->
 *   ```console
 *   $ idmatrix <arguments> [> <file>]
 *   <what it printed>
 *   ```
 *
 * `npm run examples:migration` runs the walk in a scratch copy of the example files and rewrites the
 * blocks; test/migration.test.ts runs the same walk, checks each output against flows.md (by label) and
 * that the README shows exactly what the commands print. Filters keep long outputs readable: `head <n>`
 * (the first n lines), `ends <n>` (the first n lines and the last one), `json <member[:n],…>` (those members of a JSON output, one array entry a line,
 * an array cut to its first n entries when `:n` is given); a cut says what it left out.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processIO } from '../src/cli/io';
import { main, type CliIO } from '../src/cli/main';

export const README = join(__dirname, '..', 'examples', 'migration', 'README.md');
export const WALK_FILES = ['accounts.csv', 'month.json', 'after-switch.json'] as const;

export interface WalkStep {
  readonly label: string;
  /** The command line as shown, without the `$ `. */
  readonly command: string;
  readonly argv: readonly string[];
  /** `> file`: standard output goes to this file. */
  readonly redirect?: string;
  readonly show?:
    | { readonly kind: 'head' | 'ends'; readonly lines: number }
    | { readonly kind: 'json'; readonly members: readonly { readonly name: string; readonly cut?: number }[] };
  /** Where the console block (from its opening fence to the end of its closing fence) sits in the README. */
  readonly start: number;
  readonly end: number;
}

export interface StepRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const MARKER = /<!-- walk: ([a-z0-9-]+) \| (idmatrix [^|>]*?)(?: > (\S+))?(?: \| show (head \d+|ends \d+|json [\w,:]+))? -->\n(```console\n(?:[\s\S]*?\n)??```)/g;

export function parseWalk(readme: string): WalkStep[] {
  const steps: WalkStep[] = [];
  for (const match of readme.matchAll(MARKER)) {
    const [, label, command, redirect, show, block] = match as unknown as [string, string, string, string | undefined, string | undefined, string];
    const start = (match.index as number) + match[0].length - block.length;
    const argv = command.trim().split(/\s+/).slice(1);
    let parsedShow: WalkStep['show'];
    if (show?.startsWith('head ')) parsedShow = { kind: 'head', lines: Number(show.slice(5)) };
    else if (show?.startsWith('ends ')) parsedShow = { kind: 'ends', lines: Number(show.slice(5)) };
    else if (show?.startsWith('json ')) {
      const members = show.slice(5).split(',').map((member) => {
        const [name, cut] = member.split(':') as [string, string | undefined];
        return cut === undefined ? { name } : { name, cut: Number(cut) };
      });
      parsedShow = { kind: 'json', members };
    }
    steps.push({
      label,
      command: `${command.trim()}${redirect ? ` > ${redirect}` : ''}`,
      argv,
      ...(redirect ? { redirect } : {}),
      ...(parsedShow ? { show: parsedShow } : {}),
      start,
      end: start + block.length,
    });
  }
  return steps;
}

/** Runs one step in the current directory (the CLI in-process, as `idmatrix` would run). */
export async function runStep(step: WalkStep): Promise<StepRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    openInput: processIO.openInput,
    stderrIsTTY: false,
  };
  const status = await main(step.argv, io);
  if (step.redirect !== undefined) {
    writeFileSync(step.redirect, stdout);
    stdout = '';
  }
  return { status, stdout, stderr };
}

/** The console block of a step as the README shows it. */
export function renderBlock(step: WalkStep, run: StepRun): string {
  let shown = run.stdout;
  if (step.show?.kind === 'head') {
    const lines = shown.replace(/\n$/, '').split('\n');
    if (lines.length > step.show.lines) shown = `${lines.slice(0, step.show.lines).join('\n')}\n… (${lines.length - step.show.lines} more lines)\n`;
  } else if (step.show?.kind === 'ends') {
    const lines = shown.replace(/\n$/, '').split('\n');
    if (lines.length > step.show.lines + 1) {
      shown = `${lines.slice(0, step.show.lines).join('\n')}\n… (${lines.length - step.show.lines - 1} more lines)\n${lines.at(-1)}\n`;
    }
  } else if (step.show?.kind === 'json' && shown !== '') {
    const members = step.show.members;
    const value = JSON.parse(shown) as Record<string, unknown>;
    const lines = members.map(({ name, cut }) => `  ${JSON.stringify(name)}: ${compact(value[name], cut)}`);
    const left = Object.keys(value).filter((member) => !members.some(({ name }) => name === member));
    shown = `{\n${lines.join(',\n')}\n}\n${left.length > 0 ? `… (not shown: ${left.join(', ')})\n` : ''}`;
  }
  const output = `${shown}${run.stderr}${run.status === 0 ? '' : `(exit ${run.status})\n`}`;
  return `\`\`\`console\n$ ${step.command}\n${output}\`\`\``;
}

/** A member's value on one line, or an array one entry a line (the first `cut` entries when given). */
function compact(value: unknown, cut?: number): string {
  if (!Array.isArray(value)) return JSON.stringify(value);
  if (value.length === 0) return '[]';
  const shown = cut === undefined ? value : value.slice(0, cut);
  const more = value.length - shown.length;
  return `[\n${shown.map((entry) => `    ${JSON.stringify(entry)}`).join(',\n')}${more > 0 ? `,\n    … ${more} more` : ''}\n  ]`;
}

/** The README with each step's block replaced by `blocks[i]`. */
export function withBlocks(readme: string, steps: readonly WalkStep[], blocks: readonly string[]): string {
  let text = '';
  let at = 0;
  steps.forEach((step, index) => {
    text += readme.slice(at, step.start) + blocks[index];
    at = step.end;
  });
  return text + readme.slice(at);
}

/** A scratch directory holding the example files, made the current directory until `done()`. */
export function scratchCopy(from: string): { readonly dir: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'idmatrix-walk-'));
  for (const file of WALK_FILES) copyFileSync(join(from, file), join(dir, file));
  const previous = process.cwd();
  process.chdir(dir);
  return {
    dir,
    done() {
      process.chdir(previous);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the whole walk and rewrites the README's blocks; returns the steps' runs. */
export async function updateReadme(exampleDir: string): Promise<StepRun[]> {
  const readme = readFileSync(README, 'utf8');
  const steps = parseWalk(readme);
  const scratch = scratchCopy(exampleDir);
  const runs: StepRun[] = [];
  try {
    for (const step of steps) runs.push(await runStep(step));
  } finally {
    scratch.done();
  }
  writeFileSync(README, withBlocks(readme, steps, steps.map((step, index) => renderBlock(step, runs[index] as StepRun))));
  return runs;
}
