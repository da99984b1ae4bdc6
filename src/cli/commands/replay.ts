import type { Command } from 'commander';
import { replay } from '../../replay/run';
import { newStorePath, readScenario } from '../input';
import { printJson, type CliIO } from '../io';

export function registerReplay(program: Command, io: CliIO): void {
  program
    .command('replay')
    .description('Run a scenario file (replay.md) through the reference engine and print the result JSON')
    .argument('<file>', 'scenario file, or - for standard input')
    .option('--db <path>', 'keep the store in this SQLite file (must not exist yet) instead of memory')
    .action(async (file: string, options: { db?: string }) => {
      const scenario = readScenario(io, file);
      printJson(io, await replay(scenario, { path: newStorePath(options.db) }));
    });
}
