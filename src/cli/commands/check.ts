import type { Command } from 'commander';
import type { ReadingProfile } from '../../domain';
import { EXIT_CHECK_FAILED, ExitStatus } from '../exit';
import { maxInputSizeOption, readScenario } from '../input';
import type { CliIO } from '../io';
import { readingOption } from '../options';

export function registerCheck(program: Command, io: CliIO): void {
  program
    .command('check')
    .description('Replay a scenario file and check every invariant of flows.md (INV-*) on it; exit 1 naming each violation')
    .argument('<file>', 'scenario file, or - for standard input')
    .addOption(readingOption())
    .addOption(maxInputSizeOption())
    .action(async (file: string, options: { reading?: ReadingProfile; maxInputSize: number }) => {
      const { checkScenario, formatViolation, NOT_HELD_UNDER } = await import('../../invariants');
      const scenario = await readScenario(io, file, { maxBytes: options.maxInputSize });
      const reading = options.reading ?? 'reference';
      const { violations, checked } = await checkScenario(scenario, { profile: reading });
      for (const violation of violations) io.stdout(`${formatViolation(violation)}\n`);
      const onPurpose = NOT_HELD_UNDER[reading].filter((id) => violations.some((violation) => violation.invariant === id));
      if (onPurpose.length > 0) {
        io.stdout(`(the ${reading} reading breaks ${onPurpose.join(', ')} on purpose: flows.md, "Other readings of the DISPUTED rules")\n`);
      }
      if (violations.length > 0) throw new ExitStatus(EXIT_CHECK_FAILED);
      const events = scenario.events.length;
      io.stdout(`${checked.length} invariants hold on ${events} event${events === 1 ? '' : 's'}\n`);
    });
}
