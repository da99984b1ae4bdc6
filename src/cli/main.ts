import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check';
import { registerConform } from './commands/conform';
import { registerCount } from './commands/count';
import { registerCoverage } from './commands/coverage';
import { registerImport } from './commands/import';
import { registerMerge } from './commands/merge';
import { registerReplay } from './commands/replay';
import { registerServe } from './commands/serve';
import { registerStats } from './commands/stats';
import { registerSwitch } from './commands/switch';
import { registerWhatIf } from './commands/what-if';
import { describeFailure } from './errors';
import { UsageError, EXIT_BAD_INPUT, EXIT_OK } from './exit';
import { processIO, type CliIO } from './io';
import { packageVersion } from './version';

export { EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_INTERNAL, EXIT_OK } from './exit';
export type { CliIO } from './io';

/** The `idmatrix` program: one file per command under ./commands. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('idmatrix')
    .description('Scenario-matrix verification harness for email-identity resolution in messaging')
    .version(packageVersion(), '-V, --version', 'print the version of idmatrix')
    .exitOverride()
    // Usage errors are reported by main() in one line; help asked for goes to standard output.
    .configureOutput({ writeOut: io.stdout, writeErr: () => undefined, outputError: () => undefined });
  for (const register of [registerReplay, registerImport, registerCount, registerStats, registerWhatIf, registerSwitch, registerMerge, registerCheck, registerConform, registerServe, registerCoverage]) {
    register(program, io);
  }
  return program;
}

/**
 * Runs the CLI on `argv` (without the node and script names) and resolves to the exit status. A usage
 * error is one line pointing at the command's help; every other failure goes through the error layer
 * (errors.ts): what a user can cause is one line on standard error and nothing on standard output
 * (exit 2), exit 70 is for our own bugs.
 */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK;
      io.stderr(`${usageLine(error, argv, program)}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof UsageError) {
      io.stderr(`${usageLine(new CommanderError(EXIT_BAD_INPUT, 'idmatrix.usage', error.message), argv, program)}\n`);
      return EXIT_BAD_INPUT;
    }
    const failure = describeFailure(error);
    if (failure.message !== '') io.stderr(`${failure.message}\n`);
    return failure.status;
  }
}

/** A usage error in one line: commander's message (its suggestion included) and where to read more. */
function usageLine(error: CommanderError, argv: readonly string[], program: Command): string {
  const first = argv.find((arg) => !arg.startsWith('-'));
  const command = program.commands.find((candidate) => candidate.name() === first);
  const help = command === undefined ? 'idmatrix --help' : `idmatrix ${command.name()} --help`;
  if (error.code === 'commander.help') return `error: no command given; ${help} lists the commands`;
  const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*\((.*)\)\s*$/s, (_, hint: string) => ` (${hint.charAt(0).toLowerCase()}${hint.slice(1)})`);
  return `error: ${message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')}; see ${help}`;
}
