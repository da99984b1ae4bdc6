'use strict';
// A worker thread of the exhaustive check: registers ts-node (as the mocha run does) and explores one
// shard of the roots. Plain JavaScript because a worker starts without the parent's require hooks.
const path = require('node:path');
require('ts-node').register({ project: path.join(__dirname, '..', '..', 'tsconfig.json') });
const { parentPort, workerData } = require('node:worker_threads');
const { exploreShard } = require('./explore');
const { toWire } = require('./run');

exploreShard(workerData.bound, workerData.shard, workerData.shards, (line) => parentPort.postMessage({ progress: line })).then(
  (report) => parentPort.postMessage({ report: toWire(report) }),
  (error) => {
    throw error;
  },
);
