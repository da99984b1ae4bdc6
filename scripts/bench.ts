/**
 * The engine's speed against its floors, taken in the same run (issue 11). Prints tables and writes
 * reports/bench.json; asserts nothing (speed targets live here, never in timed tests).
 *
 *   npm run bench                       # 10k, 100k and 1M users, 3 rounds of 1,000 events per cell
 *   npm run bench -- --quick            # the same sizes, 1 round of 200 events per cell, fewer CLI runs
 *   npm run bench -- --sizes 10000,50000 --events 500 --rounds 5 --out reports/bench.json --keep
 *
 * For each store size a store is generated in memory (users u<i>: half with an external id, every one
 * with an address, a third of them verified; the time, and the size of the file VACUUM INTO writes of
 * it, reported), then for each setting and each
 * kind of event (visitor new / joins unverified / held verified; signed-in new / link / supersede /
 * conflict / bad token; login upgrade / merge / move; merge) a cell measures, interleaved round by
 * round on the same connection:
 *
 * - the engine: events/s (median of the rounds), p50 and p99 latency of single events;
 * - the bare floor: better-sqlite3 transactions (prepared once) running the very statements the engine
 *   runs for that rule, with the same SQL text, on rows prepared for them. The statements the engine
 *   ran for one event are captured and compared with the floor's: a difference is printed and kept in
 *   the report, so the floor cannot drift from the engine unseen;
 * - for events with a token: jose's `jwtVerify` alone over the same tokens, and createHmac +
 *   timingSafeEqual over them.
 *
 * Each engine figure is given as a ratio to its floor: the bare transaction for visitors, merges and
 * repeated tokens (the verdict memo answers), "jose + bare transaction" (per-event times added) for
 * distinct tokens. Also: CLI start against bare node (scripts/cli-start.ts), peak RSS, and the cost
 * of the store's triggers (the bare floors of three kinds again, with the triggers dropped in a
 * savepoint that is rolled back).
 */
import Database, { type Statement } from 'better-sqlite3';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { jwtVerify } from 'jose';
import { settingsOf, type EventResult, type RuleId, type SettingId } from '../src/domain';
import { Engine } from '../src/engine';
import { signTestToken } from '../src/identity/sign';
import { VERDICTS } from '../src/identity/token';
import type { Store } from '../src/store/store';
import { cliStart, type CliStart } from './cli-start';

const KEY = { kid: 'app_bench', secret: 'a benchmark secret of at least 32 bytes' };
const OTHER_SECRET = 'not the benchmark secret, but as long as one';
const NOW = 1_767_225_600;
const SETTINGS: readonly SettingId[] = ['verified-only', 'verified-and-unverified', 'claim-verified'];
const ROOT = resolve(__dirname, '..');

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  readonly sizes: number[];
  readonly events: number;
  readonly rounds: number;
  readonly cliRuns: number;
  readonly out: string;
  readonly keep: boolean;
  readonly quick: boolean;
}

function options(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const sizes = (value('--sizes') ?? '10000,100000,1000000').split(',').map(Number);
  if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1000)) throw new Error('--sizes: whole numbers of users, at least 1000 each');
  const events = Number(value('--events') ?? (quick ? 200 : 1000));
  const rounds = Number(value('--rounds') ?? (quick ? 1 : 3));
  if (!Number.isSafeInteger(events) || events < 10 || !Number.isSafeInteger(rounds) || rounds < 1) throw new Error('--events (at least 10) and --rounds (at least 1) are whole numbers');
  return { sizes, events, rounds, cliRuns: quick ? 3 : 7, out: resolve(ROOT, value('--out') ?? 'reports/bench.json'), keep: argv.includes('--keep'), quick };
}

// ---------------------------------------------------------------------------------------------
// Figures

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const now = () => process.hrtime.bigint();
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

// ---------------------------------------------------------------------------------------------
// The bare floor: the store's own statements (same SQL text), prepared on the same connection

/** The store's prepared statements by name (the SQL texts the bare floor prepares again). */
function storeStatements(store: Store): Record<string, Statement> {
  return (store as unknown as { sql: Record<string, Statement> }).sql;
}

class Bare {
  private readonly sql: Record<string, Statement> = {};
  readonly transaction: (body: () => void) => void;

  constructor(
    readonly db: Database.Database,
    store: Store,
  ) {
    for (const [name, statement] of Object.entries(storeStatements(store))) this.sql[name] = db.prepare(statement.source);
    const runner = db.transaction((body: () => void) => body());
    this.transaction = (body) => runner(body);
  }

  private statement(name: string): Statement {
    const statement = this.sql[name];
    if (statement === undefined) throw new Error(`the store has no statement ${name} any more: update scripts/bench.ts`);
    return statement;
  }

  settings(): void {
    this.statement('readSettings').get();
  }
  identity(normalised: string): { id: number; user_id: number } | undefined {
    return this.statement('identityByNormalised').get(normalised) as { id: number; user_id: number } | undefined;
  }
  userByExternalId(externalId: string): { id: number } | undefined {
    return this.statement('userByExternalId').get(externalId) as { id: number } | undefined;
  }
  userById(id: number): void {
    this.statement('userById').get(id);
  }
  userByRef(ref: string): { id: number } {
    return this.statement('userByRef').get(ref) as { id: number };
  }
  conversationByRef(ref: string): { id: number; user_id: number } {
    return this.statement('conversationByRef').get(ref) as { id: number; user_id: number };
  }
  hasIdentities(userId: number): void {
    this.statement('hasIdentities').get(userId);
  }
  insertUser(ref: string, externalId: string | null): number {
    return Number(this.statement('insertUser').run(ref, 'Bare', externalId).lastInsertRowid);
  }
  insertIdentity(userId: number, address: string, verified: boolean): void {
    this.statement('insertIdentity').run(userId, address, verified ? 1 : 0);
  }
  insertConversation(ref: string, userId: number, authenticated: boolean, typed: string | null): number {
    return Number(this.statement('insertConversation').run(ref, userId, authenticated ? 1 : 0, typed).lastInsertRowid);
  }
  deleteIdentity(id: number): void {
    this.statement('deleteIdentity').run(id);
  }
  setExternalId(externalId: string, userId: number): void {
    this.statement('setExternalId').run(externalId, userId);
  }
  authenticate(conversationId: number): void {
    this.statement('authenticateConversation').run(conversationId);
  }
  merge(from: number, into: number): void {
    this.statement('markMerged').run(into, from);
    this.statement('moveConversationsOf').run(into, from);
    this.statement('moveIdentitiesOf').run(into, from);
  }
  moveConversation(userId: number, conversationId: number): void {
    this.statement('moveConversation').run(userId, conversationId);
  }
  log(ref: string, type: string, rule: RuleId, outcome: string, userId: number | null, setting: SettingId, input: string): void {
    this.statement('logEvent').run(ref, type, rule, outcome, userId, '', setting, input);
  }
}

// ---------------------------------------------------------------------------------------------
// Statement capture: which of the store's statements one event runs

const STATEMENT_PROTOTYPE = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;

async function captured<T>(sources: ReadonlySet<string>, body: () => T | Promise<T>): Promise<{ value: T; statements: string[] }> {
  const statements: string[] = [];
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = STATEMENT_PROTOTYPE[method] as (...args: unknown[]) => unknown;
    originals.set(method, original);
    STATEMENT_PROTOTYPE[method] = function (this: Statement, ...args: unknown[]) {
      if (sources.has(this.source)) statements.push(this.source);
      return original.apply(this, args);
    };
  }
  try {
    return { value: await body(), statements };
  } finally {
    for (const [method, original] of originals) STATEMENT_PROTOTYPE[method] = original;
  }
}

function sameStatements(a: readonly string[], b: readonly string[]): boolean {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

// ---------------------------------------------------------------------------------------------
// The store: users u<i>; even i have external id ext-<i>; every user holds user<i>@example.com, verified when i % 3 == 0

const isUnverified = (i: number) => i % 3 !== 0;
const isKnownVerified = (i: number) => i % 6 === 0; // an external id, and its own address verified

/** The n-th user index (spread over the store) of those `accept` takes. */
function pick(users: number, n: number, accept: (i: number) => boolean): number {
  let i = (n * 7919 + 13) % users;
  while (!accept(i)) i = (i + 1) % users;
  return i;
}

/**
 * The store of `users` users, in memory (as the engine runs a scenario; the floors share its
 * connection), then written to `path` with VACUUM INTO for its file size.
 */
async function generate(path: string, users: number): Promise<{ engine: Engine; seconds: number; fileSeconds: number; bytes: number }> {
  const started = now();
  const engine = await Engine.open({ settings: settingsOf('verified-and-unverified'), keys: [KEY], now: () => NOW });
  const store = engine.store;
  const batch = 50_000;
  for (let start = 0; start < users; start += batch) {
    store.transaction(() => {
      for (let i = start; i < Math.min(users, start + batch); i++) {
        store.insertUser({ ref: `u${i}`, name: `User ${i}`, externalId: i % 2 === 0 ? `ext-${i}` : null, emails: [{ address: `user${i}@example.com`, verified: i % 3 === 0 }] });
      }
    });
  }
  store.db.exec('ANALYZE');
  const generated = seconds(started);
  const writing = now();
  store.db.prepare('VACUUM INTO ?').run(path);
  const fileSeconds = seconds(writing);
  const bytes = statSync(path).size;
  rmSync(path);
  return { engine, seconds: generated, fileSeconds, bytes };
}

// ---------------------------------------------------------------------------------------------
// Kinds of event: fixtures, the engine's events and the bare floor's transactions

type TokenUse = 'distinct' | 'repeated' | 'none';

interface Cell {
  /** The engine's event number n of the block (fixtures made beforehand). */
  readonly run: (n: number) => EventResult | Promise<EventResult>;
  /** The floor's transaction number n (null: no transaction, as for a refused token). */
  readonly bare: ((n: number) => void) | null;
  /** The tokens of the engine's events, by n (for the jose and createHmac floors). */
  readonly tokens?: (n: number) => string;
}

interface Kind {
  readonly name: string;
  readonly tokens: TokenUse;
  /** Makes what `count` events need (untimed) and returns them. */
  readonly prepare: (context: Context, count: number) => Promise<Cell> | Cell;
}

interface Context {
  readonly engine: Engine;
  readonly bare: Bare;
  readonly users: number;
  readonly setting: SettingId;
  /** A prefix no earlier cell used, for refs and addresses. */
  readonly tag: string;
}

const claims = (externalId: string, email: string, extra: Record<string, unknown> = {}) => ({ scope: 'user', external_id: externalId, email, email_verified: true, ...extra });
const sign = (body: Record<string, unknown>, secret = KEY.secret) => signTestToken(body as never, { kid: KEY.kid, secret });
const input = (type: string, body: Record<string, unknown>) => JSON.stringify({ type, ...body });

/** A visitor user of its own (no external id, no address) with one conversation, made by the engine. */
function visitorConversations(context: Context, count: number, name: string, email: (n: number) => string | null): string[] {
  const refs: string[] = [];
  for (let n = 0; n < count; n++) {
    const ref = `${context.tag}${name}${n}`;
    context.engine.visitor(ref, { name: 'Visitor', email: email(n) });
    refs.push(ref);
  }
  return refs;
}

/** The same, made with bare statements for the floor. */
function bareConversations(context: Context, count: number, name: string): { userId: number; conversationId: number; ref: string }[] {
  const rows: { userId: number; conversationId: number; ref: string }[] = [];
  context.bare.transaction(() => {
    for (let n = 0; n < count; n++) {
      const userId = context.bare.insertUser(`${context.tag}${name}u${n}`, null);
      const ref = `${context.tag}${name}${n}`;
      rows.push({ userId, conversationId: context.bare.insertConversation(ref, userId, false, null), ref });
    }
  });
  return rows;
}

/** The engine runs under `setting` as the store reads it; fixtures for another setting are made after a switch and switched back. */
function under<T>(context: Context, setting: SettingId, body: () => T): T {
  if (setting === context.setting) return body();
  context.engine.switchSettings(`${context.tag}switch-to-${setting}`, settingsOf(setting));
  try {
    return body();
  } finally {
    context.engine.switchSettings(`${context.tag}switch-back`, settingsOf(context.setting));
  }
}

/** `address` gives event n's typed address; `floorAddress` the floor's (its own where the event stores it). */
function visitorKind(name: string, address: (context: Context, n: number) => string, lands: 'holder' | 'new', floorAddress = address): Kind {
  return {
    name,
    tokens: 'none',
    prepare: (context) => {
      const { engine, bare, setting, tag } = context;
      const rule = (engine.visitor(`${tag}probe`, { name: 'Visitor', email: address(context, 1_000_000) }) as EventResult).rule;
      return {
        run: (n) => engine.visitor(`${tag}v${n}`, { name: 'Visitor', email: address(context, n) }),
        bare: (n) =>
          bare.transaction(() => {
            const typed = floorAddress(context, n);
            bare.settings();
            const holder = bare.identity(typed.trim().toLowerCase());
            const ref = `${tag}b${n}`;
            const body = input('visitor', { name: 'Visitor', email: typed });
            if (setting !== 'verified-only' && lands === 'holder' && holder !== undefined && (rule === 'VISIT-JOIN-UNVERIFIED' || rule === 'VISIT-CLAIM-VERIFIED')) {
              bare.insertConversation(ref, holder.user_id, false, typed);
              bare.log(ref, 'visitor', rule, 'joined', holder.user_id, setting, body);
              bare.userById(holder.user_id);
              return;
            }
            const userId = bare.insertUser(`new:${ref}`, null);
            if (rule === 'VISIT-NEW-UNVERIFIED') bare.insertIdentity(userId, typed, false);
            bare.insertConversation(ref, userId, false, typed);
            bare.log(ref, 'visitor', rule, 'created', userId, setting, body);
          }),
      };
    },
  };
}

function signedInKind(name: string, tokens: TokenUse, make: (context: Context, count: number) => { claims: (n: number) => Record<string, unknown>; secret?: string; bare: ((n: number) => void) | null }): Kind {
  return {
    name,
    tokens,
    prepare: async (context, count) => {
      const made = make(context, count);
      const token = (n: number) => sign(tokens === 'repeated' ? made.claims(n % 16) : made.claims(n), made.secret);
      const texts = Array.from({ length: count }, (_, n) => token(n));
      if (tokens === 'repeated') for (let n = 0; n < 16; n++) await context.engine.signedIn(`${context.tag}warm${n}`, texts[n] as string);
      return { run: (n) => context.engine.signedIn(`${context.tag}s${n}`, texts[n] as string), bare: made.bare, tokens: (n) => texts[n] as string };
    },
  };
}

const KINDS: readonly Kind[] = [
  visitorKind('visitor new', (c, n) => `${c.tag}new${n}@example.com`, 'new', (c, n) => `${c.tag}bnew${n}@example.com`),
  visitorKind('visitor joins unverified', (c, n) => `user${pick(c.users, n, isUnverified)}@example.com`, 'holder'),
  visitorKind('visitor held verified', (c, n) => `user${pick(c.users, n, (i) => !isUnverified(i))}@example.com`, 'holder'),
  signedInKind('signed-in new', 'distinct', (context) => ({
    claims: (n) => claims(`${context.tag}x${n}`, `${context.tag}x${n}@example.com`),
    bare: (n) =>
      context.bare.transaction(() => {
        const { bare, tag, setting } = context;
        bare.settings();
        bare.userByExternalId(`${tag}bx${n}`);
        bare.identity(`${tag}bx${n}@example.com`);
        const userId = bare.insertUser(`new:${tag}b${n}`, `${tag}bx${n}`);
        bare.insertIdentity(userId, `${tag}bx${n}@example.com`, true);
        bare.insertConversation(`${tag}b${n}`, userId, true, null);
        bare.log(`${tag}b${n}`, 'signed-in', 'AUTH-NEW', 'created', userId, setting, input('signed-in', { claims: claims(`${tag}bx${n}`, `${tag}bx${n}@example.com`) }));
      }),
  })),
  ...(['distinct', 'repeated'] as const).map((use) =>
    signedInKind(`signed-in link${use === 'repeated' ? ' (repeated tokens)' : ''}`, use, (context) => {
      const customer = (n: number) => pick(context.users, n, isKnownVerified);
      return {
        claims: (n) => claims(`ext-${customer(n)}`, `user${customer(n)}@example.com`, use === 'distinct' ? { jti: `${context.tag}${n}` } : {}),
        bare: (n) =>
          context.bare.transaction(() => {
            const { bare, tag, setting } = context;
            const i = customer(n);
            bare.settings();
            const known = bare.userByExternalId(`ext-${i}`) as { id: number };
            bare.identity(`user${i}@example.com`);
            bare.insertConversation(`${tag}b${n}`, known.id, true, null);
            bare.log(`${tag}b${n}`, 'signed-in', 'AUTH-LINK', 'joined', known.id, setting, input('signed-in', { claims: claims(`ext-${i}`, `user${i}@example.com`) }));
            bare.userById(known.id);
          }),
      };
    }),
  ),
  signedInKind('signed-in supersede', 'distinct', (context, count) => {
    // Holders of an unverified address, one per event, for the engine and for the floor.
    const { bare, tag, setting } = context;
    bare.transaction(() => {
      for (let n = 0; n < count; n++) {
        bare.insertIdentity(bare.insertUser(`${tag}h${n}`, null), `${tag}h${n}@example.com`, false);
        bare.insertIdentity(bare.insertUser(`${tag}bh${n}`, null), `${tag}bh${n}@example.com`, false);
      }
    });
    return {
      claims: (n) => claims(`${tag}x${n}`, `${tag}h${n}@example.com`),
      bare: (n) =>
        bare.transaction(() => {
          bare.settings();
          bare.userByExternalId(`${tag}bx${n}`);
          const holder = bare.identity(`${tag}bh${n}@example.com`) as { id: number; user_id: number };
          bare.userById(holder.user_id);
          const userId = bare.insertUser(`new:${tag}b${n}`, `${tag}bx${n}`);
          bare.deleteIdentity(holder.id);
          bare.insertIdentity(userId, `${tag}bh${n}@example.com`, true);
          bare.insertConversation(`${tag}b${n}`, userId, true, null);
          bare.log(`${tag}b${n}`, 'signed-in', 'AUTH-NEW-SUPERSEDE', 'created', userId, setting, input('signed-in', { claims: claims(`${tag}bx${n}`, `${tag}bh${n}@example.com`) }));
        }),
    };
  }),
  ...(['distinct', 'repeated'] as const).map((use) =>
    signedInKind(`signed-in conflict${use === 'repeated' ? ' (repeated tokens)' : ''}`, use, (context) => {
      const holder = (n: number) => pick(context.users, n, isKnownVerified);
      return {
        claims: (n) => claims(`${context.tag}x${n}`, `user${holder(n)}@example.com`),
        bare: (n) =>
          context.bare.transaction(() => {
            const { bare, tag } = context;
            bare.settings();
            bare.userByExternalId(`${tag}bx${n}`);
            const held = bare.identity(`user${holder(n)}@example.com`) as { user_id: number };
            bare.userById(held.user_id);
          }),
      };
    }),
  ),
  ...(['distinct', 'repeated'] as const).map((use) =>
    signedInKind(`signed-in bad token${use === 'repeated' ? ' (repeated tokens)' : ''}`, use, (context) => ({
      claims: (n) => claims(`${context.tag}x${n}`, `${context.tag}x${n}@example.com`),
      secret: OTHER_SECRET,
      bare: null,
    })),
  ),
  loginKind('login upgrade', (context, count) => {
    const conversations = visitorConversations(context, count, 'lu', () => null);
    const floor = bareConversations(context, count, 'blu');
    return {
      claims: (n) => claims(`${context.tag}x${n}`, `${context.tag}x${n}@example.com`),
      conversation: (n) => conversations[n] as string,
      bare: (n) =>
        context.bare.transaction(() => {
          const { bare, tag, setting } = context;
          const row = floor[n] as { userId: number; conversationId: number; ref: string };
          bare.settings();
          const conversation = bare.conversationByRef(row.ref);
          bare.userByExternalId(`${tag}bx${n}`);
          bare.identity(`${tag}bx${n}@example.com`);
          bare.userById(conversation.user_id);
          bare.identity(`${tag}bx${n}@example.com`);
          bare.hasIdentities(conversation.user_id);
          bare.setExternalId(`${tag}bx${n}`, conversation.user_id);
          bare.insertIdentity(conversation.user_id, `${tag}bx${n}@example.com`, true);
          bare.authenticate(conversation.id);
          bare.log(`${tag}bl${n}`, 'login', 'LOGIN-UPGRADE', 'upgraded', conversation.user_id, setting, input('login', { conversation: row.ref, claims: claims(`${tag}bx${n}`, `${tag}bx${n}@example.com`) }));
          bare.userById(conversation.user_id);
        }),
    };
  }),
  loginKind('login merge', (context, count) => {
    const conversations = visitorConversations(context, count, 'lm', () => null);
    const floor = bareConversations(context, count, 'blm');
    const customer = (n: number) => pick(context.users, n, isKnownVerified);
    return {
      claims: (n) => claims(`ext-${customer(n)}`, `user${customer(n)}@example.com`, { jti: `${context.tag}${n}` }),
      conversation: (n) => conversations[n] as string,
      bare: (n) =>
        context.bare.transaction(() => {
          const { bare, tag, setting } = context;
          const row = floor[n] as { userId: number; conversationId: number; ref: string };
          const i = customer(n + 1);
          bare.settings();
          const conversation = bare.conversationByRef(row.ref);
          const known = bare.userByExternalId(`ext-${i}`) as { id: number };
          bare.identity(`user${i}@example.com`);
          bare.userById(conversation.user_id);
          bare.identity(`user${i}@example.com`);
          bare.merge(conversation.user_id, known.id);
          bare.authenticate(conversation.id);
          bare.log(`${tag}bl${n}`, 'login', 'LOGIN-MERGE', 'merged', known.id, setting, input('login', { conversation: row.ref, claims: claims(`ext-${i}`, `user${i}@example.com`) }));
          bare.userById(known.id);
        }),
    };
  }),
  loginKind('login move', (context, count) => {
    // A visitor who joined an existing user: made under a setting where visitors join (verified-only never does).
    const joining: SettingId = context.setting === 'verified-only' ? 'verified-and-unverified' : context.setting;
    const conversations = under(context, joining, () => visitorConversations(context, count, 'lv', (n) => `user${pick(context.users, n, isUnverified)}@example.com`));
    const floor: { conversationId: number; ref: string }[] = [];
    context.bare.transaction(() => {
      for (let n = 0; n < count; n++) {
        const holder = context.bare.identity(`user${pick(context.users, n + count, isUnverified)}@example.com`) as { user_id: number };
        const ref = `${context.tag}blv${n}`;
        floor.push({ conversationId: context.bare.insertConversation(ref, holder.user_id, false, null), ref });
      }
    });
    return {
      claims: (n) => claims(`${context.tag}x${n}`, `${context.tag}x${n}@example.com`),
      conversation: (n) => conversations[n] as string,
      bare: (n) =>
        context.bare.transaction(() => {
          const { bare, tag, setting } = context;
          const row = floor[n] as { conversationId: number; ref: string };
          bare.settings();
          const conversation = bare.conversationByRef(row.ref);
          bare.userByExternalId(`${tag}bx${n}`);
          bare.identity(`${tag}bx${n}@example.com`);
          bare.userById(conversation.user_id);
          const userId = bare.insertUser(`new:${tag}bl${n}`, `${tag}bx${n}`);
          bare.insertIdentity(userId, `${tag}bx${n}@example.com`, true);
          bare.moveConversation(userId, conversation.id);
          bare.authenticate(conversation.id);
          bare.log(`${tag}bl${n}`, 'login', 'LOGIN-MOVE', 'created', userId, setting, input('login', { conversation: row.ref, claims: claims(`${tag}bx${n}`, `${tag}bx${n}@example.com`) }));
        }),
    };
  }),
  {
    name: 'merge',
    tokens: 'none',
    prepare: (context, count) => {
      const { engine, bare, tag, setting, users } = context;
      const from = visitorConversations(context, count, 'mf', () => null);
      const floor = bareConversations(context, count, 'bmf');
      return {
        run: (n) => engine.merge(`${tag}m${n}`, `new:${from[n] as string}`, `u${pick(users, n, () => true)}`),
        bare: (n) =>
          bare.transaction(() => {
            const row = floor[n] as { userId: number };
            const intoRef = `u${pick(users, n + 1, () => true)}`;
            bare.settings();
            bare.userByRef(`${tag}bmfu${n}`);
            const into = bare.userByRef(intoRef);
            bare.merge(row.userId, into.id);
            bare.log(`${tag}bm${n}`, 'merge', 'ADMIN-MERGE', 'merged', into.id, setting, input('merge', { from: `${tag}bmfu${n}`, into: intoRef }));
            bare.userById(into.id);
          }),
      };
    },
  },
];

function loginKind(
  name: string,
  make: (context: Context, count: number) => { claims: (n: number) => Record<string, unknown>; conversation: (n: number) => string; bare: (n: number) => void },
): Kind {
  return {
    name,
    tokens: 'distinct',
    prepare: (context, count) => {
      const made = make(context, count);
      const texts = Array.from({ length: count }, (_, n) => sign(made.claims(n)));
      return { run: (n) => context.engine.login(`${context.tag}l${n}`, made.conversation(n), texts[n] as string), bare: made.bare, tokens: (n) => texts[n] as string };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Token floors: jose's jwtVerify alone, createHmac + timingSafeEqual

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

async function joseRate(tokens: readonly string[], key: HmacKey): Promise<number> {
  const started = now();
  for (const token of tokens) {
    try {
      await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: new Date(NOW * 1000), clockTolerance: 0 });
    } catch {
      // a refused token is jose's work too
    }
  }
  return tokens.length / seconds(started);
}

function hmacRate(tokens: readonly string[]): number {
  const secret = Buffer.from(KEY.secret, 'utf8');
  const started = now();
  for (const token of tokens) {
    const dot = token.lastIndexOf('.');
    const mac = createHmac('sha256', secret).update(token.slice(0, dot)).digest();
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    if (given.length === mac.length) timingSafeEqual(mac, given);
  }
  return tokens.length / seconds(started);
}

// ---------------------------------------------------------------------------------------------
// One cell: interleaved rounds of engine events and floors

interface CellReport {
  readonly users: number;
  readonly setting: SettingId;
  readonly kind: string;
  readonly tokens: TokenUse;
  readonly rule: RuleId;
  readonly outcome: string;
  readonly events: number;
  readonly engine: { readonly eventsPerSecond: number; readonly p50Microseconds: number; readonly p99Microseconds: number };
  readonly bare: number | null;
  readonly jose: number | null;
  readonly hmac: number | null;
  readonly floor: { readonly name: string; readonly perSecond: number } | null;
  readonly ratio: number | null;
  readonly statementsMatch: boolean;
  readonly statementDifference?: { readonly engine: readonly string[]; readonly bare: readonly string[] };
}

async function measureCell(context: Context, kind: Kind, options: Options, joseKey: HmacKey, sources: ReadonlySet<string>): Promise<CellReport> {
  const total = options.events * options.rounds;
  const cell = await kind.prepare(context, total + 1);
  // The first event and floor transaction (untimed) tell the rule and the statements each runs.
  const first = await captured(sources, () => cell.run(total));
  const floorStatements = cell.bare ? (await captured(sources, () => cell.bare?.(total))).statements : [];
  const rule = first.value.rule;
  const engineRates: number[] = [];
  const bareRates: number[] = [];
  const joseRates: number[] = [];
  const hmacRates: number[] = [];
  const latencies: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const from = round * options.events;
    const engineBlock = async () => {
      const started = now();
      for (let n = from; n < from + options.events; n++) {
        const t = now();
        await cell.run(n);
        latencies.push(Number(now() - t) / 1000);
      }
      engineRates.push(options.events / seconds(started));
    };
    const floorBlock = async () => {
      if (cell.bare !== null) {
        const started = now();
        for (let n = from; n < from + options.events; n++) cell.bare(n);
        bareRates.push(options.events / seconds(started));
      }
      if (cell.tokens !== undefined && kind.tokens !== 'none') {
        const texts = Array.from({ length: options.events }, (_, k) => cell.tokens?.(from + k) as string);
        joseRates.push(await joseRate(texts, joseKey));
        hmacRates.push(hmacRate(texts));
      }
    };
    // Interleaved, the order alternating from round to round.
    if (round % 2 === 0) {
      await engineBlock();
      await floorBlock();
    } else {
      await floorBlock();
      await engineBlock();
    }
  }
  latencies.sort((a, b) => a - b);
  const engineRate = median(engineRates);
  const bare = bareRates.length > 0 ? median(bareRates) : null;
  const jose = joseRates.length > 0 ? median(joseRates) : null;
  const hmac = hmacRates.length > 0 ? median(hmacRates) : null;
  let floor: CellReport['floor'] = null;
  if (kind.tokens === 'distinct' && jose !== null) {
    floor = bare !== null ? { name: 'jose + bare', perSecond: 1 / (1 / jose + 1 / bare) } : { name: 'jose', perSecond: jose };
  } else if (bare !== null) {
    floor = { name: 'bare', perSecond: bare };
  }
  const statementsMatch = cell.bare === null || sameStatements(first.statements, floorStatements);
  return {
    users: context.users,
    setting: context.setting,
    kind: kind.name,
    tokens: kind.tokens,
    rule,
    outcome: first.value.outcome,
    events: total,
    engine: { eventsPerSecond: engineRate, p50Microseconds: percentile(latencies, 50), p99Microseconds: percentile(latencies, 99) },
    bare,
    jose,
    hmac,
    floor,
    ratio: floor === null ? null : engineRate / floor.perSecond,
    statementsMatch,
    ...(statementsMatch ? {} : { statementDifference: { engine: first.statements, bare: floorStatements } }),
  };
}

/** The bare floors of a few kinds with every trigger of the store dropped (in a savepoint, rolled back). */
async function triggerCost(context: Context, options: Options): Promise<{ kind: string; withTriggers: number; withoutTriggers: number; microsecondsPerEvent: number }[]> {
  const out: { kind: string; withTriggers: number; withoutTriggers: number; microsecondsPerEvent: number }[] = [];
  const db = context.engine.store.db;
  for (const name of ['visitor new', 'signed-in new', 'merge']) {
    const kind = KINDS.find((k) => k.name === name) as Kind;
    const count = options.events;
    const cell = await kind.prepare({ ...context, tag: `${context.tag}t${out.length}-` }, 2 * count);
    if (cell.bare === null) continue;
    const bare = cell.bare;
    const rate = (from: number) => {
      const started = now();
      for (let n = from; n < from + count; n++) bare(n);
      return count / seconds(started);
    };
    const withTriggers = rate(0);
    const triggers = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").pluck().all() as string[];
    db.exec('SAVEPOINT bench_triggers');
    let withoutTriggers: number;
    try {
      for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.replaceAll('"', '""')}"`);
      // The floor's statements were prepared with the triggers: prepare them again.
      const again = await kind.prepare({ ...context, bare: new Bare(db, context.engine.store), tag: `${context.tag}u${out.length}-` }, count);
      const bareAgain = again.bare as (n: number) => void;
      const started = now();
      for (let n = 0; n < count; n++) bareAgain(n);
      withoutTriggers = count / seconds(started);
    } finally {
      db.exec('ROLLBACK TO bench_triggers');
      db.exec('RELEASE bench_triggers');
    }
    out.push({ kind: name, withTriggers, withoutTriggers, microsecondsPerEvent: 1e6 / withTriggers - 1e6 / withoutTriggers });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Output

const fmt = (value: number | null, digits = 0) => (value === null ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function printCells(cells: readonly CellReport[]): void {
  const header = ['setting', 'kind', 'rule', 'ev/s', 'p50 µs', 'p99 µs', 'bare/s', 'jose/s', 'hmac/s', 'floor', 'ratio'];
  const rows = cells.map((c) => [
    c.setting,
    c.kind,
    c.rule,
    fmt(c.engine.eventsPerSecond),
    fmt(c.engine.p50Microseconds),
    fmt(c.engine.p99Microseconds),
    fmt(c.bare),
    fmt(c.jose),
    fmt(c.hmac),
    c.floor?.name ?? '—',
    c.ratio === null ? '—' : `${c.ratio.toFixed(2)}${c.statementsMatch ? '' : ' !'}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cols: readonly string[]) => cols.map((col, i) => (i < 3 ? col.padEnd(widths[i] as number) : col.padStart(widths[i] as number))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

interface Target {
  readonly name: string;
  readonly value: number;
  readonly target: string;
  readonly met: boolean;
}

function targets(cells: readonly CellReport[], sizes: readonly number[]): Target[] {
  const out: Target[] = [];
  const worst = (list: readonly CellReport[]) => Math.min(...list.map((c) => c.ratio ?? Infinity));
  for (const users of sizes) {
    const visitors = cells.filter((c) => c.users === users && c.kind.startsWith('visitor'));
    if (visitors.length > 0) out.push({ name: `visitor events / bare floor at ${users.toLocaleString('en-US')} users (lowest cell)`, value: worst(visitors), target: '≥ 0.5', met: worst(visitors) >= 0.5 });
  }
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  if (largest > smallest) {
    const ratioAt = (users: number) => median(cells.filter((c) => c.users === users && c.kind.startsWith('visitor') && c.ratio !== null).map((c) => c.ratio as number));
    const value = ratioAt(largest) / ratioAt(smallest);
    out.push({ name: `visitor (engine/bare at ${largest.toLocaleString('en-US')}) / (engine/bare at ${smallest.toLocaleString('en-US')}), medians`, value, target: '≥ 0.8', met: value >= 0.8 });
  }
  const distinct = cells.filter((c) => (c.kind.startsWith('signed-in') || c.kind.startsWith('login')) && c.tokens === 'distinct' && c.floor?.name === 'jose + bare');
  if (distinct.length > 0) out.push({ name: 'signed-in and login, distinct tokens / (jose + bare) (lowest cell)', value: worst(distinct), target: '≥ 0.8', met: worst(distinct) >= 0.8 });
  const repeated = cells.filter((c) => c.tokens === 'repeated' && c.floor?.name === 'bare');
  if (repeated.length > 0) out.push({ name: 'signed-in, repeated tokens / bare (lowest cell)', value: worst(repeated), target: '≥ 0.5', met: worst(repeated) >= 0.5 });
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = now();
  const directory = mkdtempSync(join(tmpdir(), 'idmatrix-bench-'));
  const joseKey = await crypto.subtle.importKey('raw', new TextEncoder().encode(KEY.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  console.log(`idmatrix bench: sizes ${opts.sizes.join(', ')}; ${opts.rounds} round(s) of ${opts.events} events per cell; node ${process.version}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const stores: { users: number; seconds: number; usersPerSecond: number; fileSeconds: number; bytes: number; peakRssBytes: number }[] = [];
  const cells: CellReport[] = [];
  const triggers: { users: number; kind: string; withTriggers: number; withoutTriggers: number; microsecondsPerEvent: number }[] = [];
  try {
    for (const users of opts.sizes) {
      const path = join(directory, `store-${users}.sqlite`);
      const generated = await generate(path, users);
      const { engine } = generated;
      try {
        stores.push({ users, seconds: generated.seconds, usersPerSecond: users / generated.seconds, fileSeconds: generated.fileSeconds, bytes: generated.bytes, peakRssBytes: process.resourceUsage().maxRSS * 1024 });
        console.log(
          `\n${users.toLocaleString('en-US')} users: store generated in memory in ${generated.seconds.toFixed(1)} s (${fmt(users / generated.seconds)} users/s); as a file ${(generated.bytes / 2 ** 20).toFixed(1)} MiB, written in ${generated.fileSeconds.toFixed(1)} s`,
        );
        const bare = new Bare(engine.store.db, engine.store);
        const sources = new Set(Object.values(storeStatements(engine.store)).map((statement) => statement.source));
        const sizeCells: CellReport[] = [];
        for (const [s, setting] of SETTINGS.entries()) {
          engine.switchSettings(`bench-${setting}`, settingsOf(setting));
          for (const [k, kind] of KINDS.entries()) {
            VERDICTS.clear();
            const context: Context = { engine, bare, users, setting, tag: `s${s}k${k}-` };
            const report = await measureCell(context, kind, opts, joseKey, sources);
            sizeCells.push(report);
            cells.push(report);
          }
        }
        printCells(sizeCells);
        const cost = await triggerCost({ engine, bare, users, setting: 'verified-and-unverified', tag: 'trig-' }, opts);
        for (const entry of cost) triggers.push({ users, ...entry });
        console.log(`store triggers: ${cost.map((c) => `${c.kind} ${fmt(c.withTriggers)}/s with, ${fmt(c.withoutTriggers)}/s without (${c.microsecondsPerEvent.toFixed(1)} µs per event)`).join('; ')}`);
        const mismatched = sizeCells.filter((c) => !c.statementsMatch);
        for (const c of mismatched) console.log(`! ${c.setting} ${c.kind}: the floor runs other statements than the engine:\n  engine: ${c.statementDifference?.engine.join(' | ')}\n  floor:  ${c.statementDifference?.bare.join(' | ')}`);
      } finally {
        engine.close();
      }
    }
  } finally {
    if (!opts.keep) rmSync(directory, { recursive: true, force: true });
    else console.log(`stores kept in ${directory}`);
  }
  console.log('\nCLI start:');
  const cli: CliStart = cliStart(opts.cliRuns, true);
  const goals = targets(cells, opts.sizes);
  console.log('\ntargets (issue 11, ratios from this run):');
  for (const goal of goals) console.log(`  ${goal.met ? 'met    ' : 'MISSED '} ${goal.name}: ${goal.value.toFixed(2)} (${goal.target})`);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(`peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB; ${seconds(started).toFixed(0)} s in all`);
  const report = {
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, cores: cpus().length, cpu: cpus()[0]?.model ?? null, loadAverage: loadavg() },
    options: { sizes: opts.sizes, events: opts.events, rounds: opts.rounds, quick: opts.quick },
    stores,
    cells,
    triggers,
    cliStart: { ...cli, compiledOverBareNode: cli.compiledMs / cli.bareNodeMs, sourcesOverBareNode: cli.sourcesMs / cli.bareNodeMs },
    peakRssBytes,
    targets: goals,
    seconds: seconds(started),
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written: ${opts.out.slice(ROOT.length + 1)}`);
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exitCode = 1;
});
