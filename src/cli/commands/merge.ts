import type { Command } from 'commander';
import type { ReadingProfile } from '../../domain';
import { EXIT_CHECK_FAILED, ExitStatus } from '../exit';
import { printJson, type CliIO } from '../io';
import { readingOption } from '../options';
import { adminEventRef, withEngine } from '../store-file';

export function registerMerge(program: Command, io: CliIO): void {
  program
    .command('merge')
    .description(
      "ADMIN-MERGE: an agent merges user <from> into user <into> in a store: conversations and email identities move, each as verified as it was; an external id moves when only <from> has one. Prints the result; a refused merge (merge-refused: a ref naming no user, a user merged away already, the same user twice, two external ids) writes nothing and exits 1",
    )
    .argument('<from>', 'ref of the user merged away (e.g. new:c0042)')
    .argument('<into>', 'ref of the user that keeps everything')
    .requiredOption('--db <path>', 'an existing store file')
    .option('--ref <ref>', "this event's ref in the store's log (default: merge-<n>)")
    .addOption(readingOption())
    .action(async (from: string, into: string, options: { db: string; ref?: string; reading?: ReadingProfile }) => {
      const result = await withEngine(options.db, (engine) => engine.merge(adminEventRef(engine.store, 'merge', options.ref), from, into), options.reading);
      printJson(io, result);
      if (result.error !== undefined) {
        io.stderr(`merge refused: ${result.error.message}\n`);
        throw new ExitStatus(EXIT_CHECK_FAILED);
      }
    });
}
