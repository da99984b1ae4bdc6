import { Command, CommanderError } from 'commander';
import { IdmatrixError } from '../errors';
import { registerCheck } from './commands/check';
import { registerCount } from './commands/count';
import { registerCoverage } from './commands/coverage';
import { registerImport } from './commands/import';
import { registerReplay } from './commands/replay';
import { registerWhatIf } from './commands/what-if';
import { BadInput, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, ExitStatus } from './exit';
import { processIO, type CliIO } from './io';

export { EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_INTERNAL, EXIT_OK } from './exit';
export type { CliIO } from './io';

/** The `idmatrix` program: one file per command under ./commands. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('idmatrix')
    .description('Scenario-matrix verification harness for email-identity resolution in messaging')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of [registerReplay, registerImport, registerCount, registerWhatIf, registerCheck, registerCoverage]) {
    register(program, io);
  }
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
    if (error instanceof BadInput || error instanceof IdmatrixError) {
      io.stderr(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_INTERNAL;
  }
}
