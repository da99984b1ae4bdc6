import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import { importUsers, readCsvImport, readJsonImport } from '../admin/import';
import { whatIf } from '../admin/what-if';
import { IdmatrixError } from '../errors';
import { isSettingId, settingsOf, SETTING_IDS, type SettingId } from '../domain';
import { replay } from '../replay/run';
import type { Scenario } from '../replay/types';
import { loadScenario } from '../replay/validate';
import { Store } from '../store/store';

/** Where a command writes; the real process streams, or buffers in tests. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file, `-` meaning standard input. */
  readonly readInput: (path: string) => string;
}

/**
 * Exit statuses: 0 done (a rejected event is a result, not an error), 1 a check found a failure (an
 * invariant, the coverage gate), 2 bad input or usage, 70 an internal error (EX_SOFTWARE).
 */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 70;

/** A command's own exit status, other than success (e.g. a gate that failed). */
class ExitStatus extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readInput: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
};

function settingOption(): Option {
  return new Option('--setting <id>', `email-identity setting (${SETTING_IDS.join(', ')})`).argParser((value: string): SettingId => {
    if (!isSettingId(value)) throw new CommanderArgumentError(`expected one of ${SETTING_IDS.join(', ')}`);
    return value;
  });
}

function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

function readScenario(io: CliIO, file: string): Scenario {
  let text: string;
  try {
    text = io.readInput(file);
  } catch (error) {
    throw new BadInput(`$: cannot read ${file === '-' ? 'standard input' : file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return loadScenario(text);
}

/** Bad input found by the CLI itself (an unreadable file), reported like a malformed scenario. */
class BadInput extends Error {}

export function buildProgram(io: CliIO): Command {
  const program = new Command('idmatrix')
    .description('Scenario-matrix verification harness for email-identity resolution in messaging')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('replay')
    .description('Run a scenario file (replay.md) through the reference engine and print the result JSON')
    .argument('<file>', 'scenario file, or - for standard input')
    .option('--db <path>', 'keep the store in this SQLite file (must not exist yet) instead of memory')
    .action(async (file: string, options: { db?: string }) => {
      const scenario = readScenario(io, file);
      printJson(io, await replay(scenario, { path: newStorePath(options.db) }));
    });

  program
    .command('import')
    .description('ADMIN-IMPORT: import users (CSV or JSON) into a store file; refused rows are listed with their line')
    .argument('<file>', 'users to import: .csv (external_id, name, verified_emails, unverified_emails) or .json')
    .requiredOption('--db <path>', 'the SQLite store file (created when missing)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'json']))
    .option('--batch <label>', 'label of this import, unique per store (default: the file name without extension)')
    .addOption(settingOption().default('verified-only', 'verified-only, for a new store'))
    .action((file: string, options: { db: string; format?: 'csv' | 'json'; batch?: string; setting: SettingId }) => {
      const format = options.format ?? (file.toLowerCase().endsWith('.json') ? 'json' : 'csv');
      const text = io.readInput(file);
      const rows = format === 'json' ? readJsonImport(text) : readCsvImport(text);
      const batch = options.batch ?? baseName(file);
      const store = Store.open({ path: options.db, settings: settingsOf(options.setting) });
      try {
        printJson(io, importUsers(store, rows, batch));
      } finally {
        store.close();
      }
    });

  program
    .command('count')
    .description('ADMIN-UNVERIFIED-COUNT: users without a verified identity, and unverified identities')
    .argument('[scenario]', 'a scenario file to replay first (instead of --db)')
    .option('--db <path>', 'an existing store file')
    .action(async (file: string | undefined, options: { db?: string }) => {
      if ((file === undefined) === (options.db === undefined)) throw new BadInput('$: give either a scenario file or --db <path>');
      if (file !== undefined) {
        let counts;
        await replay(readScenario(io, file), { inspect: (engine) => (counts = engine.counts()) });
        printJson(io, counts);
        return;
      }
      const path = options.db as string;
      if (!existsSync(path)) throw new BadInput(`$: no store at ${path}`);
      const store = Store.open({ path });
      try {
        printJson(io, store.counts());
      } finally {
        store.close();
      }
    });

  program
    .command('what-if')
    .description('ADMIN-SWITCH: replay a scenario under another setting and list the events that would have gone elsewhere')
    .argument('<file>', 'scenario file, or - for standard input')
    .addOption(settingOption().makeOptionMandatory())
    .action(async (file: string, options: { setting: SettingId }) => {
      printJson(io, await whatIf(readScenario(io, file), options.setting));
    });

  program
    .command('check')
    .description('Replay a scenario file and check every invariant of flows.md (INV-*) on it; exit 1 naming each violation')
    .argument('<file>', 'scenario file, or - for standard input')
    .action(async (file: string) => {
      const { checkScenario, formatViolation } = await import('../invariants');
      const scenario = readScenario(io, file);
      const { violations, checked } = await checkScenario(scenario);
      for (const violation of violations) io.stdout(`${formatViolation(violation)}\n`);
      if (violations.length > 0) throw new ExitStatus(EXIT_CHECK_FAILED);
      const events = scenario.events.length;
      io.stdout(`${checked.length} invariants hold on ${events} event${events === 1 ? '' : 's'}\n`);
    });

  program
    .command('coverage')
    .description('The coverage gate: every rule × setting cell of the catalog has a feature scenario, tags agree with the catalog, the catalog agrees with flows.md; prints the matrix')
    .option('--flows <path>', 'flows.md to compare the catalog with (default: $IDMATRIX_FLOWS, else ../shared/spec/flows.md)')
    .action(async (options: { flows?: string }) => {
      // Loaded on demand: it parses Gherkin with @cucumber/gherkin, which only this command needs.
      const { runCoverage } = await import('../coverage/main');
      const status = runCoverage({ flowsPath: options.flows, stdout: io.stdout, stderr: io.stderr });
      if (status !== EXIT_OK) throw new ExitStatus(EXIT_CHECK_FAILED);
    });

  return program;
}

/**
 * Runs the CLI on `argv` (without the node and script names) and resolves to the exit status. Bad
 * input prints one line on standard error and nothing on standard output.
 */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    if (error instanceof ExitStatus) return error.status;
    if (error instanceof BadInput) {
      io.stderr(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof IdmatrixError) {
      io.stderr(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

function newStorePath(path: string | undefined): string | undefined {
  if (path !== undefined && existsSync(path)) throw new BadInput(`$: ${path} exists already; replay writes a new store`);
  return path;
}

function baseName(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return name.replace(/\.[^.]*$/, '') || 'import';
}
