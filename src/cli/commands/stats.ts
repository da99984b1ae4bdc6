import type { Command } from 'commander';
import type { ReadingProfile } from '../../domain';
import { formatStats, storeStats } from '../../admin/stats';
import { printJson, type CliIO } from '../io';
import { readingOption } from '../options';
import { withStore } from '../store-file';

export function registerStats(program: Command, io: CliIO): void {
  program
    .command('stats')
    .description(
      "What a store holds: users, users without a verified identity (the seed's is_verified:false search), unverified identities, users with external ids, conversations by rule and by setting, logins, imports, merges, setting changes",
    )
    .requiredOption('--db <path>', 'an existing store file')
    .option('--json', 'print JSON instead of text')
    .addOption(readingOption())
    .action(async (options: { db: string; json?: boolean; reading?: ReadingProfile }) => {
      const stats = await withStore(options.db, (store) => storeStats(store), options.reading);
      if (options.json) printJson(io, stats);
      else io.stdout(formatStats(stats, options.db));
    });
}
