// npm run report: writes reports/index.html again from the last run's machine-readable outputs
// (reports/messages.ndjson, reports/target.json, the property and mutation reports), without running
// anything. `-- --reports <dir>` reads and writes another folder; `-- --out <file>` writes elsewhere.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildIndex, describeWrite } from '../src/reports/scenario-report/build';
import { MessagesError } from '../src/reports/scenario-report/run';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

const reportsDir = resolve(option('--reports') ?? 'reports');
const out = resolve(option('--out') ?? join(reportsDir, 'index.html'));
if (!existsSync(join(reportsDir, 'messages.ndjson'))) {
  console.error(`report: ${join(reportsDir, 'messages.ndjson')} does not exist; run \`npm run verify\` first`);
  process.exit(2);
}
const started = performance.now();
try {
  const page = buildIndex({ reportsDir });
  writeFileSync(out, page);
  console.log(describeWrite(out, Buffer.byteLength(page), (performance.now() - started) / 1000));
} catch (error) {
  if (!(error instanceof MessagesError)) throw error;
  console.error(`report: ${error.message}`);
  process.exit(2);
}
