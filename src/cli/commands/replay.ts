import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { settingIdOf, type ReadingProfile } from '../../domain';
import { checkAppend, type StoreFacts } from '../../replay/append';
import { replay } from '../../replay/run';
import { Store } from '../../store/store';
import { maxInputSizeOption, readScenario } from '../input';
import { printJson, type CliIO } from '../io';
import { busyTimeoutOption, readingOption, storeReading } from '../options';

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
    .addOption(maxInputSizeOption())
    .addOption(busyTimeoutOption())
    .action(async (file: string, options: { db?: string; reading?: ReadingProfile; maxInputSize: number; busyTimeout: number }) => {
      const read = { maxBytes: options.maxInputSize };
      const writing = { busyTimeoutMs: options.busyTimeout };
      if (options.db === undefined || !existsSync(options.db)) {
        // A new store, created atomically: if another process creates the file meanwhile, this run is refused in one line.
        const scenario = await readScenario(io, file, read);
        printJson(io, await replay(scenario, { path: options.db, mode: 'create', profile: options.reading, ...writing }));
        return;
      }
      const path = options.db;
      const profile = storeReading(options.reading);
      const store = Store.open({ path, mode: 'read-only', profile });
      let scenario;
      try {
        scenario = await readScenario(io, file, { ...read, earlierEvent: (ref) => store.loggedType(ref) });
        checkAppend(scenario, storeFacts(store));
      } finally {
        store.close();
      }
      const appended = scenario;
      // Checked again on the engine's own connection, before its first event: nothing is written on a refusal.
      printJson(io, await replay(appended, { path, mode: 'read-write', profile, ...writing, prepare: (engine) => checkAppend(appended, storeFacts(engine.store)) }));
    });
}

function storeFacts(store: Store): StoreFacts {
  return {
    setting: settingIdOf(store.settings()),
    loggedType: (ref) => store.loggedType(ref),
    hasUser: (ref) => store.userByRef(ref) !== undefined,
  };
}
