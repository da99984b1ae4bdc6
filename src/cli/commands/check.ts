import type { Command } from 'commander';
import { EXIT_CHECK_FAILED, ExitStatus } from '../exit';
import { readScenario } from '../input';
import type { CliIO } from '../io';

export function registerCheck(program: Command, io: CliIO): void {
  program
    .command('check')
    .description('Replay a scenario file and check every invariant of flows.md (INV-*) on it; exit 1 naming each violation')
    .argument('<file>', 'scenario file, or - for standard input')
    .action(async (file: string) => {
      const { checkScenario, formatViolation } = await import('../../invariants');
      const scenario = readScenario(io, file);
      const { violations, checked } = await checkScenario(scenario);
      for (const violation of violations) io.stdout(`${formatViolation(violation)}\n`);
      if (violations.length > 0) throw new ExitStatus(EXIT_CHECK_FAILED);
      const events = scenario.events.length;
      io.stdout(`${checked.length} invariants hold on ${events} event${events === 1 ? '' : 's'}\n`);
    });
}
