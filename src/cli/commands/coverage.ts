import type { Command } from 'commander';
import { EXIT_CHECK_FAILED, EXIT_OK, ExitStatus } from '../exit';
import type { CliIO } from '../io';

export function registerCoverage(program: Command, io: CliIO): void {
  program
    .command('coverage')
    .description('The coverage gate: every rule × setting cell of the catalog has a feature scenario, tags agree with the catalog, the catalog agrees with flows.md; prints the matrix')
    .option('--flows <path>', 'flows.md to compare the catalog with (default: $IDMATRIX_FLOWS, else ../shared/spec/flows.md)')
    .action(async (options: { flows?: string }) => {
      // Loaded on demand: it parses Gherkin with @cucumber/gherkin, which only this command needs.
      const { runCoverage } = await import('../../coverage/main');
      const status = runCoverage({ flowsPath: options.flows, stdout: io.stdout, stderr: io.stderr });
      if (status !== EXIT_OK) throw new ExitStatus(EXIT_CHECK_FAILED);
    });
}
