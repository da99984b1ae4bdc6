import type { Command } from 'commander';
import type { ReadingProfile } from '../../domain';
import { BadInput, EXIT_CHECK_FAILED, ExitStatus } from '../exit';
import { maxInputSizeOption, readScenario } from '../input';
import type { CliIO } from '../io';
import { readingOption } from '../options';

export function registerCheck(program: Command, io: CliIO): void {
  program
    .command('check')
    .description(
      'Replay a scenario file and check every invariant of flows.md (INV-*) on it; exit 1 naming each violation. With --target, the scenario goes to that target instead of the engine in this process: each prefix of its events is replayed once, and the checks that cannot be made there are named',
    )
    .argument('<file>', 'scenario file, or - for standard input')
    .addOption(readingOption())
    .option('--target <target>', 'check a target (reference[:seed|:doc], http://host:port, cmd:<command line>) instead of the engine in this process')
    .addOption(maxInputSizeOption())
    .action(async (file: string, options: { reading?: ReadingProfile; target?: string; maxInputSize: number }) => {
      const { checkScenario, formatViolation, NOT_HELD_UNDER } = await import('../../invariants');
      const scenario = await readScenario(io, file, { maxBytes: options.maxInputSize });
      let gate: Awaited<ReturnType<typeof import('../../conformance/session').openGate>> | null = null;
      // The engine in this process (reference[:<profile>]) is checked in full, its database image included.
      const inProcess = /^reference(:(.*))?$/.exec(options.target ?? '');
      if (inProcess !== null && options.target !== undefined) {
        const { isReadingProfile } = await import('../../domain');
        const profile = inProcess[2] ?? 'reference';
        if (!isReadingProfile(profile)) throw new BadInput(`--target ${options.target}: the reading after "reference:" is one of reference, seed, doc`);
        if (options.reading !== undefined && options.reading !== profile) throw new BadInput(`--target ${options.target} follows the ${profile} reading, not ${options.reading}`);
        options = { reading: profile, maxInputSize: options.maxInputSize };
      } else if (options.target !== undefined) {
        const { openGate } = await import('../../conformance/session');
        gate = await openGate(options.target, { ...(options.reading === undefined ? {} : { reading: options.reading }), expectedFailures: false });
      }
      try {
        const reading = gate?.reading ?? options.reading ?? 'reference';
        const through = gate === null ? {} : { through: gate.target.replay.bind(gate.target) };
        const { violations, checked, notChecked } = await checkScenario(scenario, { profile: reading, ...through });
        for (const violation of violations) io.stdout(`${formatViolation(violation)}\n`);
        const onPurpose = NOT_HELD_UNDER[reading].filter((id) => violations.some((violation) => violation.invariant === id));
        if (onPurpose.length > 0) {
          io.stdout(`(the ${reading} reading breaks ${onPurpose.join(', ')} on purpose: flows.md, "Other readings of the DISPUTED rules")\n`);
        }
        for (const what of notChecked) io.stdout(`not checked on ${gate?.target.name ?? 'this target'}: ${what}\n`);
        if (violations.length > 0) throw new ExitStatus(EXIT_CHECK_FAILED);
        const events = scenario.events.length;
        const where = gate === null ? '' : ` on ${gate.target.name} (reading ${reading})`;
        io.stdout(`${checked.length} invariants hold on ${events} event${events === 1 ? '' : 's'}${where}\n`);
      } finally {
        await gate?.target.close();
      }
    });
}
