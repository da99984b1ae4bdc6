// `npm run coverage:steps`: after a dry run of the features with the usage formatter
// (`cucumber-js -p usage`, which writes reports/step-usage.json), fails when a step definition is
// used by no feature step, or a phrase of a phrase-table parameter type (bad tokens, import
// refusals) appears in no feature step: the step vocabulary holds nothing nobody uses.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BAD_TOKENS } from '../steps/support/bad-tokens';
import { IMPORT_REFUSALS } from '../steps/support/phrases';

interface UsageEntry {
  readonly pattern: string;
  readonly patternType: string;
  readonly uri: string;
  readonly line: number;
  readonly matches: readonly { readonly text: string; readonly uri: string; readonly line: number }[];
}

const file = process.argv[2] ?? path.join('reports', 'step-usage.json');
const usage = JSON.parse(readFileSync(file, 'utf8')) as UsageEntry[];
const problems: string[] = [];

for (const definition of usage) {
  if (definition.matches.length === 0) {
    problems.push(`${definition.uri}:${definition.line}: step definition "${definition.pattern}" (${definition.patternType}) is used by no feature step`);
  }
}
const texts = usage.flatMap((definition) => definition.matches.map((match) => match.text));
const phraseTables: [string, readonly string[]][] = [
  ['bad token', BAD_TOKENS.map((entry) => entry.phrase)],
  ['import refusal', Object.keys(IMPORT_REFUSALS)],
];
for (const [kind, phrases] of phraseTables) {
  for (const phrase of phrases) {
    if (!texts.some((text) => text.includes(phrase))) problems.push(`${kind} phrase "${phrase}" is used by no feature step`);
  }
}

const regexes = usage.filter((definition) => definition.patternType !== 'CucumberExpression').length;
const steps = texts.length;
process.stdout.write(`${usage.length} step definitions (${regexes} regular expressions), used by ${steps} feature steps.\n`);
if (problems.length > 0) {
  process.stderr.write(`Unused step vocabulary (${problems.length}):\n${problems.map((problem) => `  - ${problem}\n`).join('')}`);
  process.exitCode = 1;
} else {
  process.stdout.write('Every step definition and every phrase is used.\n');
}
