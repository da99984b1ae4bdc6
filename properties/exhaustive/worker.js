'use strict';
// A worker thread of the exhaustive check: registers ts-node (as the mocha run does) and explores one
// part of the bound. Plain JavaScript because a worker starts without the parent's require hooks.
const path = require('node:path');
require('ts-node').register({ project: path.join(__dirname, '..', '..', 'tsconfig.json') });
const { parentPort, workerData } = require('node:worker_threads');
const { explorePart } = require('./explore');
const { toWire } = require('./run');

explorePart(workerData.bound, workerData.part, (worlds) => parentPort.postMessage({ worlds })).then(
  (report) => parentPort.postMessage({ report: toWire(report) }),
  (error) => {
    throw error;
  },
);
