'use strict';
// `node hold-lock.js <store> <ms>`: takes a store's write lock (BEGIN IMMEDIATE), says `locked`, writes
// the settings, and commits after <ms>. Plain JavaScript, so that it starts at once.
const Database = require('better-sqlite3');

const [path, ms] = process.argv.slice(2);
const db = new Database(path);
db.exec('BEGIN IMMEDIATE');
db.prepare("UPDATE settings SET email_identities = 'verified-and-unverified', claim_verified = 1").run();
process.stdout.write('locked\n');
const until = Date.now() + Number(ms);
while (Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
db.exec('COMMIT');
db.close();
