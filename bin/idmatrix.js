#!/usr/bin/env node
'use strict';
// Runs the TypeScript sources directly (ts-node with SWC, as configured in tsconfig.json): no build step.
const path = require('node:path');
require('ts-node').register({ project: path.join(__dirname, '..', 'tsconfig.json') });
require('../src/cli/main')
  .main(process.argv.slice(2))
  .then((status) => {
    process.exitCode = status;
  });
