import type { Command } from 'commander';
import type { ReadingProfile } from '../../domain';
import { replay } from '../../replay/run';
import { Store } from '../../store/store';
import { UsageError } from '../exit';
import { maxInputSizeOption, readScenario } from '../input';
import { printJson, type CliIO } from '../io';
import { readingOption, storeReading } from '../options';

export function registerCount(program: Command, io: CliIO): void {
  program
    .command('count')
    .description('ADMIN-UNVERIFIED-COUNT: users without a verified identity, and unverified identities')
    .argument('[scenario]', 'a scenario file to replay first (instead of --db)')
    .option('--db <path>', 'an existing store file (opened read-only)')
    .addOption(readingOption())
    .addOption(maxInputSizeOption())
    .action(async (file: string | undefined, options: { db?: string; reading?: ReadingProfile; maxInputSize: number }) => {
      if ((file === undefined) === (options.db === undefined)) throw new UsageError('give either a scenario file or --db <path>');
      if (file !== undefined) {
        let counts;
        const scenario = await readScenario(io, file, { maxBytes: options.maxInputSize });
        await replay(scenario, { profile: options.reading, inspect: (engine) => (counts = engine.counts()) });
        printJson(io, counts);
        return;
      }
      // Read-only: a read-only mount is enough, and a file that is not a store is left as it was.
      const store = Store.open({ path: options.db as string, mode: 'read-only', profile: storeReading(options.reading) });
      try {
        printJson(io, store.counts());
      } finally {
        store.close();
      }
    });
}
