import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { settingIdOf, type ReadingProfile } from '../../domain';
import { checkAppend, type StoreFacts } from '../../replay/append';
import { replay } from '../../replay/run';
import { Store } from '../../store/store';
import { readScenario } from '../input';
import { printJson, type CliIO } from '../io';
import { readingOption, storeReading } from '../options';

export function registerReplay(program: Command, io: CliIO): void {
  program
    .command('replay')
    .description(
      'Run a scenario file (replay.md) through the reference engine and print the result JSON. With --db naming an existing store, the events are appended to it: the result lists this run\'s results, then the whole store\'s users and conversations',
    )
    .argument('<file>', 'scenario file, or - for standard input')
    .option(
      '--db <path>',
      'keep the store in this SQLite file instead of memory; an existing store gets the events appended (the file gives no users, its settings are the store\'s setting in force, no event ref is in the store\'s log yet)',
    )
    .addOption(readingOption())
    .action(async (file: string, options: { db?: string; reading?: ReadingProfile }) => {
      if (options.db === undefined || !existsSync(options.db)) {
        printJson(io, await replay(readScenario(io, file), { path: options.db, profile: options.reading }));
        return;
      }
      const path = options.db;
      const profile = storeReading(options.reading);
      const store = Store.open({ path, profile });
      let scenario;
      try {
        scenario = readScenario(io, file, { earlierEvent: (ref) => store.loggedType(ref) });
        checkAppend(scenario, storeFacts(store));
      } finally {
        store.close();
      }
      const appended = scenario;
      // Checked again on the engine's own connection, before its first event: nothing is written on a refusal.
      printJson(io, await replay(appended, { path, profile, prepare: (engine) => checkAppend(appended, storeFacts(engine.store)) }));
    });
}

function storeFacts(store: Store): StoreFacts {
  return {
    setting: settingIdOf(store.settings()),
    loggedType: (ref) => store.loggedType(ref),
    hasUser: (ref) => store.userByRef(ref) !== undefined,
  };
}
