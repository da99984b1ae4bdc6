import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Scenario } from '../../src/replay/types';
import { validateScenario } from '../../src/replay/validate';
import { COUNTEREXAMPLES_DIR, PROJECT_ROOT } from './config';

/**
 * Writes a failing history as a scenario file of `replay.md`, validated first (a counterexample that
 * `replay` would refuse as malformed is useless), and returns its path relative to the project root.
 */
export function writeCounterexample(property: string, seed: number | string, scenario: Scenario, failure: string): string {
  const document: Scenario = {
    title: `Counterexample to ${property} (seed ${seed})`,
    description: failure.length > 2000 ? `${failure.slice(0, 2000)}…` : failure,
    settings: scenario.settings,
    ...(scenario.now !== undefined ? { now: scenario.now } : {}),
    ...(scenario.keys !== undefined ? { keys: scenario.keys } : {}),
    users: scenario.users ?? [],
    events: scenario.events,
  };
  validateScenario(JSON.parse(JSON.stringify(document)));
  mkdirSync(COUNTEREXAMPLES_DIR, { recursive: true });
  const file = join(COUNTEREXAMPLES_DIR, `${property}-${seed}.json`);
  writeFileSync(file, `${asciiJson(document)}\n`);
  return relative(PROJECT_ROOT, file);
}

/** JSON with every non-ASCII code unit escaped, so that look-alikes (U+212A KELVIN SIGN, U+200B) stay visible. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The commands that reproduce a counterexample file (found under reading `profile`). */
export function reproduceCommands(path: string, profile = 'reference'): string[] {
  const reading = profile === 'reference' ? '' : ` --reading ${profile}`;
  return [`npm run -s replay -- ${path}${reading}`, `npm run -s idmatrix -- check ${path}${reading}`, `npm run -s properties:check -- ${path}${reading}`];
}

/** An error that carries the history it happened in, so that the property can write it out. */
export class HistoryFailure extends Error {
  constructor(
    message: string,
    readonly scenario: Scenario,
  ) {
    super(message);
    this.name = 'HistoryFailure';
  }
}

export function scenarioOfError(error: unknown): Scenario | undefined {
  return error instanceof HistoryFailure ? error.scenario : undefined;
}
