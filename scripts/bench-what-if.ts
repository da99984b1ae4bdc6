/**
 * `what-if --db` on a store with a long recorded history: its time at several history lengths, and
 * as a ratio to floors taken in the same run. Prints figures; asserts nothing.
 *
 *   npm run bench:what-if                  # 25k, 50k and 100k logged events
 *   npm run bench:what-if -- 100000 200000 # chosen lengths
 *
 * Each history, under "Use both verified and unverified emails": an import (a tenth of the events:
 * users with and without external ids, verified, unverified and no addresses), then visitors typing
 * imported addresses, addresses of earlier visitors, new ones or none; signed-in customers, known and
 * new; visitors signing in; now and then an agent's merge and a setting change. Events are applied
 * from their inputs (Engine.applyInput: the log is the same as through tokens, which it never keeps).
 *
 * Floors: (1) reading the log alone (every row, every input parsed); (2) one bare better-sqlite3
 * transaction per event doing a visitor's statements (two indexed lookups, three inserts) in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importUsers } from '../src/admin/import';
import { whatIfStore } from '../src/admin/what-if';
import { settingsOf, type EventInput } from '../src/domain';
import { Engine } from '../src/engine';
import { SCHEMA_SQL } from '../src/store/schema';
import { Store } from '../src/store/store';

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** A deterministic pseudo-random stream (mulberry32). */
function randomStream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function recordHistory(path: string, events: number): Promise<void> {
  const random = randomStream(events);
  const int = (n: number) => Math.floor(random() * n);
  const engine = await Engine.open({ path, settings: settingsOf('verified-and-unverified') });
  try {
    const imported = Math.floor(events / 10);
    const rows = Array.from({ length: imported }, (_, i) => {
      const kind = i % 10;
      return {
        line: i + 2,
        externalId: kind < 7 ? `ext-${i}` : null,
        name: `Customer ${i}`,
        emails: kind === 9 ? [] : [{ address: `customer${i}@example.com`, verified: kind < 3 }],
      };
    });
    let logged = importUsers(engine.store, rows, 'crm').rows.filter((row) => row.outcome !== 'rejected').length;
    const visitors: string[] = [];
    let nextExternal = imported;
    for (let i = 0; logged < events; i++) {
      const ref = `e${i}`;
      const roll = int(100);
      let input: Exclude<EventInput, { type: 'import' }>;
      if (roll < 45) {
        const pick = int(4);
        const email =
          pick === 0 ? `customer${int(imported)}@example.com` : pick === 1 && visitors.length > 0 ? `visitor${int(visitors.length)}@example.net` : pick === 2 ? `visitor${visitors.length}@example.net` : null;
        input = { type: 'visitor', name: `Visitor ${i}`, email };
        visitors.push(ref);
      } else if (roll < 80) {
        const known = int(2) === 0;
        const n = known ? int(imported) : nextExternal++;
        input = { type: 'signed-in', claims: { externalId: `ext-${n}`, name: `Customer ${n}`, email: `customer${n}@example.com`, emailVerified: int(10) > 0 } };
      } else if (roll < 95 && visitors.length > 0) {
        const n = int(2) === 0 ? int(imported) : nextExternal++;
        input = { type: 'login', conversation: visitors[int(visitors.length)] as string, claims: { externalId: `ext-${n}`, email: `customer${n}@example.com`, emailVerified: true } };
      } else if (roll < 99 && visitors.length > 1) {
        input = { type: 'merge', from: `new:${visitors[int(visitors.length)]}`, into: `new:${visitors[int(visitors.length)]}` };
      } else {
        input = { type: 'settings', settings: settingsOf(int(3) === 0 ? 'claim-verified' : 'verified-and-unverified') };
      }
      if (engine.applyInput(ref, input).outcome !== 'rejected') logged++;
    }
  } finally {
    engine.close();
  }
}

function readFloor(path: string): number {
  const store = Store.open({ path });
  const started = process.hrtime.bigint();
  let count = 0;
  for (const logged of store.loggedResults()) count += logged.input.type.length > 0 ? 1 : 0;
  const elapsed = seconds(started);
  store.close();
  return elapsed;
}

function bareFloor(events: number): number {
  const db = new Database(':memory:');
  db.exec(SCHEMA_SQL);
  db.prepare("INSERT INTO settings VALUES (1, 'verified-and-unverified', 0)").run();
  const insertUser = db.prepare('INSERT INTO users (ref, name, external_id) VALUES (?, ?, ?)');
  const insertIdentity = db.prepare('INSERT INTO email_identities (user_id, address, verified) VALUES (?, ?, ?)');
  const insertConversation = db.prepare('INSERT INTO conversations (ref, user_id, authenticated, typed_email) VALUES (?, ?, 0, ?)');
  const byAddress = db.prepare('SELECT id, user_id, verified FROM email_identities WHERE normalised = ?');
  const byRef = db.prepare('SELECT id FROM users WHERE ref = ?');
  const event = db.transaction((i: number) => {
    byAddress.get(`new${i}@example.com`);
    byRef.get(`u${i}`);
    const id = insertUser.run(`new:b${i}`, 'Visitor', null).lastInsertRowid;
    insertIdentity.run(id, `new${i}@example.com`, 0);
    insertConversation.run(`b${i}`, id, `new${i}@example.com`);
  });
  const started = process.hrtime.bigint();
  for (let i = 0; i < events; i++) event(i);
  const elapsed = seconds(started);
  db.close();
  return elapsed;
}

async function measure(events: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'idmatrix-bench-what-if-'));
  try {
    const path = join(dir, 'history.db');
    let started = process.hrtime.bigint();
    await recordHistory(path, events);
    const recording = seconds(started);

    const store = Store.open({ path });
    started = process.hrtime.bigint();
    const report = await whatIfStore(store, 'verified-only');
    const whatIf = seconds(started);
    store.close();
    const memory = process.memoryUsage().rss / 2 ** 20;

    const read = readFloor(path);
    const bare = bareFloor(events);
    const line = [
      `${events.toLocaleString('en-US').padStart(9)} logged events`,
      `what-if --db ${whatIf.toFixed(2)} s (${((whatIf / events) * 1e6).toFixed(1)} µs/event)`,
      `= ${(whatIf / bare).toFixed(1)}× the bare-transaction floor (${bare.toFixed(2)} s), ${(whatIf / read).toFixed(1)}× reading the log (${read.toFixed(2)} s)`,
      `${report.conversations.total + report.logins.total} conversations and logins compared, ${report.changes.length} changed`,
      `recorded in ${recording.toFixed(1)} s; RSS ${memory.toFixed(0)} MB`,
    ];
    process.stdout.write(`${line.join('; ')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  await measure(2_000); // warm-up: module loading and the JIT, not reported apart
  for (const events of sizes.length > 0 ? sizes : [25_000, 50_000, 100_000]) await measure(events);
}

void main();
