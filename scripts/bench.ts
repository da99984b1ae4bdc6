/**
 * Throughput of the reference engine against bare better-sqlite3 transactions, at several store
 * sizes. Prints figures; asserts nothing (speed targets live here, not in timed tests).
 *
 *   npm run bench                 # 10k, 100k and 1M users
 *   npm run bench -- 10000 50000  # chosen sizes
 *
 * Each size: a store seeded with N users (half with an external id, every one with an address,
 * a third of them verified), then E events of each kind on existing and new people. The baseline
 * runs, per event, the statements a visitor event needs (two indexed lookups, three inserts) as one
 * bare transaction on the same schema, prepared once.
 */
import Database from 'better-sqlite3';
import { Engine } from '../src/engine';
import { signTestToken } from '../src/identity/sign';
import { settingsOf } from '../src/domain';
import { SCHEMA_SQL } from '../src/store/schema';

const KEY = { kid: 'app_bench', secret: 'a benchmark secret of at least 32 bytes' };
const NOW = 1_767_225_600;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20000);

function seed(engine: Engine, users: number): void {
  const store = engine.store;
  const batch = 50_000;
  for (let start = 0; start < users; start += batch) {
    store.transaction(() => {
      for (let i = start; i < Math.min(users, start + batch); i++) {
        store.insertUser({
          ref: `u${i}`,
          name: `User ${i}`,
          externalId: i % 2 === 0 ? `ext-${i}` : null,
          emails: [{ address: `user${i}@example.com`, verified: i % 3 === 0 }],
        });
      }
    });
  }
}

function rate(count: number, started: bigint): number {
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

function bareBaseline(users: number): number {
  const db = new Database(':memory:');
  db.exec(SCHEMA_SQL);
  db.prepare("INSERT INTO settings VALUES (1, 'verified-and-unverified', 0)").run();
  const insertUser = db.prepare('INSERT INTO users (ref, name, external_id) VALUES (?, ?, ?)');
  const insertIdentity = db.prepare('INSERT INTO email_identities (user_id, address, verified) VALUES (?, ?, ?)');
  const insertConversation = db.prepare('INSERT INTO conversations (ref, user_id, authenticated, typed_email) VALUES (?, ?, 0, ?)');
  const byAddress = db.prepare('SELECT id, user_id, verified FROM email_identities WHERE normalised = ?');
  const byRef = db.prepare('SELECT id FROM users WHERE ref = ?');
  db.transaction(() => {
    for (let i = 0; i < users; i++) {
      const id = insertUser.run(`u${i}`, `User ${i}`, i % 2 === 0 ? `ext-${i}` : null).lastInsertRowid;
      insertIdentity.run(id, `user${i}@example.com`, i % 3 === 0 ? 1 : 0);
    }
  })();
  const event = db.transaction((i: number) => {
    byAddress.get(`new${i}@example.com`);
    byRef.get(`u${i % users}`);
    const id = insertUser.run(`new:b${i}`, 'Visitor', null).lastInsertRowid;
    insertIdentity.run(id, `new${i}@example.com`, 0);
    insertConversation.run(`b${i}`, id, `new${i}@example.com`);
  });
  const started = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) event(i);
  const result = rate(EVENTS, started);
  db.close();
  return result;
}

async function measure(users: number): Promise<void> {
  const engine = await Engine.open({ settings: settingsOf('verified-and-unverified'), keys: [KEY], now: () => NOW });
  const seeding = process.hrtime.bigint();
  seed(engine, users);
  const seedRate = rate(users, seeding);

  let started = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) {
    // alternately a new address and an existing one (joins when unverified, a user of its own when verified)
    const email = i % 2 === 0 ? `new${i}@example.com` : `user${(i * 7919) % users}@example.com`;
    engine.visitor(`v${i}`, { name: 'Visitor', email });
  }
  const visitorRate = rate(EVENTS, started);

  const tokens: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const known = i % 2 === 0;
    const n = (i * 7919) % users;
    const even = n - (n % 2);
    const claims = known
      ? { scope: 'user', external_id: `ext-${even}`, email: `user${even}@example.com`, email_verified: true }
      : { scope: 'user', external_id: `fresh-${i}`, email: `fresh${i}@example.com`, email_verified: true };
    tokens.push(signTestToken(claims, KEY));
  }
  started = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) await engine.signedIn(`s${i}`, tokens[i] as string);
  const signedInRate = rate(EVENTS, started);
  engine.close();

  const bare = bareBaseline(users);
  const row = [
    String(users).padStart(9),
    seedRate.toFixed(0).padStart(12),
    bare.toFixed(0).padStart(12),
    visitorRate.toFixed(0).padStart(12),
    `${((visitorRate / bare) * 100).toFixed(0)}%`.padStart(8),
    signedInRate.toFixed(0).padStart(12),
    `${((signedInRate / bare) * 100).toFixed(0)}%`.padStart(8),
    `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`.padStart(9),
  ];
  console.log(row.join(' '));
}

async function mainBench(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log(`events per kind and size: ${EVENTS}`);
  console.log(['    users', ' seed rows/s', '   bare tx/s', ' visitor ev/s', ' vs bare', ' signed-in/s', ' vs bare', '      rss'].join(' '));
  for (const users of sizes.length > 0 ? sizes : [10_000, 100_000, 1_000_000]) await measure(users);
}

void mainBench();
