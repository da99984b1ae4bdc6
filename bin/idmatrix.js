#!/usr/bin/env node
'use strict';
// The idmatrix CLI: the compiled build, or the sources when the build is missing or stale (bin/entry.js).
const path = require('node:path');
const { chooseEntry } = require('./entry');

const root = path.join(__dirname, '..');
let cli;
if (chooseEntry(root, process.env) === 'compiled') {
  cli = require(path.join(root, 'dist', 'cli', 'main.js'));
} else {
  require('ts-node').register({ project: path.join(root, 'tsconfig.json') });
  cli = require('../src/cli/main');
}
cli.main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
