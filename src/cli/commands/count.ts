import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { ReadingProfile } from '../../domain';
import { replay } from '../../replay/run';
import { Store } from '../../store/store';
import { BadInput, UsageError } from '../exit';
import { readScenario } from '../input';
import { printJson, type CliIO } from '../io';
import { readingOption, storeReading } from '../options';

export function registerCount(program: Command, io: CliIO): void {
  program
    .command('count')
    .description('ADMIN-UNVERIFIED-COUNT: users without a verified identity, and unverified identities')
    .argument('[scenario]', 'a scenario file to replay first (instead of --db)')
    .option('--db <path>', 'an existing store file')
    .addOption(readingOption())
    .action(async (file: string | undefined, options: { db?: string; reading?: ReadingProfile }) => {
      if ((file === undefined) === (options.db === undefined)) throw new UsageError('give either a scenario file or --db <path>');
      if (file !== undefined) {
        let counts;
        await replay(readScenario(io, file), { profile: options.reading, inspect: (engine) => (counts = engine.counts()) });
        printJson(io, counts);
        return;
      }
      const path = options.db as string;
      if (!existsSync(path)) throw new BadInput(`$: no store at ${path}`);
      const store = Store.open({ path, profile: storeReading(options.reading) });
      try {
        printJson(io, store.counts());
      } finally {
        store.close();
      }
    });
}
