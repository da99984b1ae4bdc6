import { Option, InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import type { ReadingProfile } from '../../domain';
import { EXIT_CHECK_FAILED, ExitStatus, UsageError } from '../exit';
import type { CliIO } from '../io';
import { readingOption } from '../options';

interface ConformOptions {
  readonly target?: string;
  readonly reading?: ReadingProfile;
  /** A file, or false for --no-expected-failures. */
  readonly expectedFailures?: string | false;
  readonly timeout: number;
  readonly quiet?: boolean;
}

export function registerConform(program: Command, io: CliIO): void {
  program
    .command('conform')
    .description(
      "Replay test vectors (npm run vectors) through a target and compare each result with the expected one, member for member (error.message aside): one line per vector, the rule × setting matrix, and 'N passed, N failed'. Exit 1 when a vector fails that the target's expected-failures file does not list, or a listed one passes",
    )
    .argument('[paths...]', 'vector folders or files (default: the vectors that ship with idmatrix)')
    .option('--target <target>', 'reference, reference:seed, reference:doc, http://host:port or cmd:<command line> (default: $IDMATRIX_TARGET)')
    .addOption(readingOption().default(undefined, "what the target's health answer says, else reference"))
    .option('--expected-failures <file>', "the target's expected-failures file (default: under the seed or doc reading, the project's committed one)")
    .option('--no-expected-failures', 'judge without any expected-failures file')
    .addOption(new Option('--timeout <seconds>', 'how long one request may take').default(30).argParser(seconds))
    .option('--quiet', 'leave out the lines of the vectors that passed')
    .action(async (paths: string[], options: ConformOptions) => {
      const spec = options.target ?? process.env.IDMATRIX_TARGET;
      if (spec === undefined || spec === '') throw new UsageError('give --target (or set IDMATRIX_TARGET)');
      const { conform, formatCase, formatMatrix, formatSummary } = await import('../../conformance/conform');
      const { openGate, SHIPPED_VECTORS } = await import('../../conformance/session');
      const { readVector, vectorFiles } = await import('../../conformance/vectors');
      const files = vectorFiles(paths.length > 0 ? paths : [SHIPPED_VECTORS]);
      if (files.length === 0) throw new UsageError(`no vector files in ${paths.join(', ') || SHIPPED_VECTORS}`);
      const vectors = files.map((file) => readVector(file));
      const gate = await openGate(spec, {
        ...(options.reading === undefined ? {} : { reading: options.reading }),
        ...(options.expectedFailures === undefined ? {} : { expectedFailures: options.expectedFailures }),
        timeoutMs: options.timeout * 1000,
      });
      try {
        const from = gate.readingFrom === 'target' ? 'as the target says' : gate.readingFrom === 'given' ? 'as --reading says' : 'the target does not say';
        io.stdout(`conform: ${vectors.length} vectors against ${gate.target.name}, reading ${gate.reading} (${from})\n`);
        const report = await conform(vectors, gate.target, {
          reading: gate.reading,
          expectedFailures: gate.expectedFailures,
          onCase: (c) => {
            if (!options.quiet || c.judgement.verdict !== 'passed') io.stdout(`${formatCase(c)}\n`);
          },
        });
        io.stdout(`\n${formatMatrix(report)}\n\n${formatSummary(report)}\n`);
        if (report.failed > 0) throw new ExitStatus(EXIT_CHECK_FAILED);
      } finally {
        await gate.target.close();
      }
    });
}

function seconds(value: string): number {
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(number > 0) || number > 3600) throw new CommanderArgumentError('a number of seconds above 0, at most 3600');
  return number;
}
