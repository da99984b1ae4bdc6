// cucumber-js configuration: `npm run verify` (default profile) runs every feature against the
// reference engine and writes the four reports; the `usage` profile (`npm run coverage:steps`) is a dry
// run that lists which step definitions the features use (scripts/coverage-steps.ts fails on an unused one).
'use strict';

// Any idmatrix process a scenario starts runs the TypeScript sources, never a build in dist/.
process.env.IDMATRIX_SOURCE = '1';

const common = {
  paths: ['features/**/*.feature'],
  requireModule: ['ts-node/register'],
  require: ['steps/**/*.ts'],
  strict: true,
};

module.exports = {
  default: {
    ...common,
    format: [
      'progress',
      'html:reports/cucumber.html',
      'json:reports/cucumber.json',
      'junit:reports/junit.xml',
      'message:reports/messages.ndjson',
    ],
    formatOptions: { junit: { suiteName: 'idmatrix features' } },
  },
  usage: {
    ...common,
    dryRun: true,
    format: ['summary', 'usage-json:reports/step-usage.json'],
  },
};
