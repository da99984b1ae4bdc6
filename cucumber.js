// cucumber-js configuration: `npm run verify` (default profile) runs every feature against the
// reference engine (or IDMATRIX_TARGET: steps/support/target.ts) and writes the four reports; the `usage` profile (`npm run coverage:steps`) is a dry
// run that lists which step definitions the features use (scripts/coverage-steps.ts fails on an unused one).
'use strict';

// Any idmatrix process a scenario starts runs the TypeScript sources, never a build in dist/.
process.env.IDMATRIX_SOURCE = '1';

// Where the reports go: reports/ unless IDMATRIX_REPORTS_DIR names another folder (the report tests run
// part of the features into a temporary folder, leaving reports/ as the last full run wrote it).
const reports = process.env.IDMATRIX_REPORTS_DIR || 'reports';

const common = {
  paths: ['features/**/*.feature'],
  requireModule: ['ts-node/register'],
  require: ['steps/**/*.ts'],
  strict: true,
};

module.exports = {
  default: {
    ...common,
    // Each report is written from the honest form of the run's messages (src/reports/cucumber/honest.ts):
    // a statement of another source's reading that does not hold is never shown as passed.
    format: [
      'progress',
      ['./src/reports/cucumber/formatters/html.js', `${reports}/cucumber.html`],
      ['./src/reports/cucumber/formatters/json.js', `${reports}/cucumber.json`],
      ['./src/reports/cucumber/formatters/junit.js', `${reports}/junit.xml`],
      ['./src/reports/cucumber/formatters/message.js', `${reports}/messages.ndjson`],
      ['./src/reports/cucumber/formatters/index.js', `${reports}/index.html`],
    ],
    formatOptions: { junit: { suiteName: 'idmatrix features' } },
  },
  // `npm run vectors` (scripts/vectors.ts): every scenario under the reading it states, written as a vector; no reports.
  vectors: {
    ...common,
    format: ['summary'],
  },
  usage: {
    ...common,
    dryRun: true,
    format: ['summary', 'usage-json:reports/step-usage.json'],
  },
};
