import { existsSync } from 'node:fs';
import type { Scenario } from '../replay/types';
import { loadScenario, type ScenarioContext } from '../replay/validate';
import { BadInput } from './exit';
import type { CliIO } from './io';

/** Reads and validates a scenario file (`-` for standard input). */
export function readScenario(io: CliIO, file: string, context: ScenarioContext = {}): Scenario {
  let text: string;
  try {
    text = io.readInput(file);
  } catch (error) {
    throw new BadInput(`$: cannot read ${file === '-' ? 'standard input' : file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return loadScenario(text, context);
}

export function newStorePath(path: string | undefined): string | undefined {
  if (path !== undefined && existsSync(path)) throw new BadInput(`$: ${path} exists already; replay writes a new store`);
  return path;
}
