/**
 * The example account of examples/migration/: the seed article's migration path walked on data that
 * looks like a real account. Deterministic (a seeded generator): `npm run examples:migration` writes
 *
 * - `accounts.csv`: an export of 10,000 user rows (ADMIN-IMPORT's CSV) with overlapping domains,
 *   verified, unverified and no addresses, external ids on most, and the duplicates a real export has
 *   (repeated rows, renamed people, an address in another case, one address for two accounts, …);
 * - `month.json`: a recorded month of conversations under "Use both verified and unverified emails"
 *   (visitors, signed-in customers, visitors who sign in, an agent's merges, a few refused sign-ins);
 * - `after-switch.json`: the first week after switching to "Use only verified emails";
 * and runs the commands of `README.md`, writing their output under each (scripts/migration-walk.ts).
 *
 * Each event is drawn from a category whose outcome flows.md states directly, on users no other event
 * of the file touches, so that the generator also knows, from flows.md and not from the engine, what each
 * step of the path must print: the import's outcome per row, the counts, each event's rule and user,
 * and each conversation's class in the what-if report (test/migration.test.ts checks them all).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIGRATION_DIR = join(__dirname, '..', 'examples', 'migration');
export const BATCH = 'accounts';

const SEED = 20260131;
const BASE_USERS = 9960;
const MONTH_NOW = '2026-01-31T18:00:00Z';
const AFTER_SWITCH_NOW = '2026-02-07T18:00:00Z';
const MONTH_EXP = Date.parse(MONTH_NOW) / 1000 + 86_400;
const AFTER_SWITCH_EXP = Date.parse(AFTER_SWITCH_NOW) / 1000 + 86_400;

// --- What the generator predicts ---------------------------------------------------------------

/** A user: `line:<n>` for the user created by line n of the import, else its ref (`new:c0042`). */
export type UserKey = string;

export type WhatIfClass = 'same-user' | 'same-landing-another-rule' | 'new-user-instead-of-existing';

export interface ExpectedResult {
  readonly rule: string;
  readonly outcome: 'joined' | 'created' | 'upgraded' | 'merged' | 'rejected';
  readonly user: UserKey | null;
  /** The class of this conversation or login in the what-if report under verified-only (month only). */
  readonly whatIf?: { readonly class: WhatIfClass; readonly rule: string };
}

export interface ExpectedCounts {
  readonly users: number;
  readonly usersWithoutVerifiedIdentity: number;
  readonly unverifiedIdentities: number;
  readonly usersWithExternalId: number;
}

export interface ExpectedImportRow {
  readonly line: number;
  readonly outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  readonly code?: string;
  /** The user an accepted row created or completed. */
  readonly user?: UserKey;
}

export interface MigrationExpectations {
  readonly import: { readonly created: number; readonly updated: number; readonly unchanged: number; readonly rejected: number; readonly rows: readonly ExpectedImportRow[] };
  readonly afterImport: ExpectedCounts;
  readonly month: ReadonlyMap<string, ExpectedResult>;
  readonly afterMonth: ExpectedCounts & { readonly conversationsByRule: Readonly<Record<string, number>> };
  readonly afterSwitch: ReadonlyMap<string, ExpectedResult>;
  readonly afterAll: ExpectedCounts;
}

export interface MigrationExample {
  readonly accountsCsv: string;
  readonly month: ScenarioDocument;
  readonly afterSwitch: ScenarioDocument;
  readonly expected: MigrationExpectations;
}

interface ScenarioDocument {
  readonly title: string;
  readonly description: string;
  readonly settings: { readonly emailIdentities: string; readonly unauthenticatedCanClaimVerified: boolean };
  readonly now: string;
  readonly events: readonly Record<string, unknown>[];
}

// --- A small model of the account: who holds what ----------------------------------------------

interface ModelUser {
  key: UserKey;
  externalId: string | null;
  name: string;
  /** normalised address → spelling and flag */
  emails: Map<string, { address: string; verified: boolean }>;
  merged: boolean;
}

type Kind = 'verified-ext' | 'verified-ext-secondary' | 'verified-noext' | 'unverified-ext' | 'unverified-noext' | 'none-ext' | 'none-noext';

interface BaseRow {
  kind: Kind;
  user: ModelUser;
  externalId: string | null;
  name: string;
  verified: string[];
  unverified: string[];
  /** Line in the file, set once the rows are laid out. */
  line: number;
  /** Touched by a duplicate row: no event of the month uses it. */
  touched: boolean;
}

interface ImportRowSpec {
  externalId: string | null;
  name: string;
  verified: string[];
  unverified: string[];
  /** What flows.md (decision 19 of docs/decisions.md) gives this row. */
  expect: { outcome: ExpectedImportRow['outcome']; code?: string; user?: BaseRow };
  /** The rows it must come after (those it repeats). */
  after: BaseRow[];
}

const FIRST = [
  'Anna', 'Ben', 'Carla', 'David', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kim', 'Lena', 'Mateo', 'Nina', 'Olga', 'Pavel',
  'Quinn', 'Rosa', 'Sami', 'Tara', 'Umar', 'Vera', 'Wim', 'Xenia', 'Yusuf', 'Zoe', 'Aiko', 'Bruno', 'Chloe', 'Dario', 'Emma', 'Felix',
  'Gina', 'Hana', 'Igor', 'Jana', 'Karim', 'Lotte', 'Milan', 'Noor', 'Oskar', 'Priya', 'Ravi', 'Sofia', 'Tomas', 'Ulla', 'Viktor', 'Wanda',
];
const LAST = [
  'Novak', 'Kowalska', 'Berg', 'Silva', 'Yilmaz', 'Haddad', 'Jensen', 'Moreau', 'Rossi', 'Schmidt', 'Lee', 'Fischer', 'Garcia', 'Ivanova',
  'Kaur', 'Dubois', 'Nagy', 'Horvat', 'Petrov', 'Olsen', 'Costa', 'Weber', 'Jansen', 'Kovacs', 'Lindqvist', 'Mendes', 'Nowak', 'Popescu',
  'Quist', 'Romero', 'Sato', 'Tanaka', 'Ueda', 'Varga', 'Wagner', 'Young', 'Zhang', 'Okafor', 'Mensah', 'Abebe',
];
/** Shared mail providers (many users each) and company domains (fewer), overlapping local parts. */
const DOMAINS: readonly [string, number][] = [
  ['gmail.com', 30], ['outlook.com', 12], ['yahoo.com', 8], ['icloud.com', 6], ['proton.me', 3], ['gmx.de', 4], ['web.de', 3],
  ['hotmail.co.uk', 3], ['orange.fr', 2], ['libero.it', 2], ['acme-logistics.com', 4], ['brightwave.io', 3], ['northwind.example', 3],
  ['fabrikam.example', 2], ['contoso.example', 3], ['tailspin.example', 2], ['globex.example', 2], ['initech.example', 1],
];

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let x = this.next() * total;
    for (const [item, weight] of items) {
      x -= weight;
      if (x < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }
  hex(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += '0123456789abcdef'[this.int(16)];
    return text;
  }
}

const normalise = (address: string) => address.toLowerCase();

export function generateMigrationExample(): MigrationExample {
  const random = new Random(SEED);
  const taken = new Set<string>();
  const externalIds = new Set<string>();

  const freshExternalId = (): string => {
    for (;;) {
      const id = `user_${random.hex(8)}`;
      if (!externalIds.has(id)) {
        externalIds.add(id);
        return id;
      }
    }
  };
  const personName = () => `${random.pick(FIRST)} ${random.pick(LAST)}`;
  /** A usable address nobody holds yet, spelled as people type them (now and then with capitals). */
  const freshAddress = (name: string): string => {
    const [first, last] = name.toLowerCase().split(' ') as [string, string];
    for (;;) {
      const local = random.weighted<string>([
        [`${first}.${last}`, 5],
        [`${first}${last}`, 2],
        [`${first[0]}${last}`, 3],
        [`${first}.${last}${random.int(100)}`, 4],
        [`${first}${1950 + random.int(60)}`, 2],
        [`${last}.${first}`, 1],
      ]);
      const domain = random.weighted(DOMAINS);
      let address = `${local}@${domain}`;
      if (random.next() < 0.05) address = `${local[0]!.toUpperCase()}${local.slice(1)}@${domain}`;
      if (!taken.has(normalise(address))) {
        taken.add(normalise(address));
        return address;
      }
    }
  };

  // --- The export: base rows --------------------------------------------------------------------
  const users: ModelUser[] = [];
  const base: BaseRow[] = [];
  for (let i = 0; i < BASE_USERS; i++) {
    const kind = random.weighted<Kind>([
      ['verified-ext', 28],
      ['verified-ext-secondary', 5],
      ['verified-noext', 5],
      ['unverified-ext', 32],
      ['unverified-noext', 18],
      ['none-ext', 10],
      ['none-noext', 2],
    ]);
    const name = personName();
    const externalId = kind.endsWith('-ext') || kind === 'verified-ext-secondary' ? freshExternalId() : null;
    const verified = kind.startsWith('verified') ? [freshAddress(name)] : [];
    const unverified = kind.startsWith('unverified') || kind === 'verified-ext-secondary' ? [freshAddress(name)] : [];
    const user: ModelUser = { key: '', externalId, name, emails: new Map(), merged: false };
    for (const address of verified) user.emails.set(normalise(address), { address, verified: true });
    for (const address of unverified) user.emails.set(normalise(address), { address, verified: false });
    users.push(user);
    base.push({ kind, user, externalId, name, verified, unverified, line: 0, touched: false });
  }

  // --- The duplicates a real export has, each placed after the row it repeats -------------------
  const untouched = (filter: (row: BaseRow) => boolean): BaseRow => {
    for (;;) {
      const row = base[random.int(base.length)] as BaseRow;
      if (!row.touched && filter(row)) {
        row.touched = true;
        return row;
      }
    }
  };
  const hasEmail = (row: BaseRow) => row.verified.length + row.unverified.length > 0;
  const duplicates: ImportRowSpec[] = [];
  const repeat = (count: number, make: () => ImportRowSpec) => {
    for (let i = 0; i < count; i++) duplicates.push(make());
  };
  // The same row exported twice.
  repeat(6, () => {
    const row = untouched((r) => r.externalId !== null && hasEmail(r));
    return { ...copyOf(row), expect: { outcome: 'unchanged', user: row }, after: [row] };
  });
  // The same customer, renamed since (a new family name).
  repeat(6, () => {
    const row = untouched((r) => r.externalId !== null);
    const name = `${row.name}-${random.pick(LAST)}`;
    return { ...copyOf(row), name, expect: { outcome: 'updated', user: row }, after: [row] };
  });
  // The same address in other capitals, on a row without external id: the same customer.
  repeat(5, () => {
    const row = untouched((r) => r.verified.length + r.unverified.length === 1);
    const spelled = (address: string) => address.toUpperCase();
    return {
      externalId: null,
      name: row.name,
      verified: row.verified.map(spelled),
      unverified: row.unverified.map(spelled),
      expect: { outcome: 'unchanged', user: row },
      after: [row],
    };
  });
  // A customer with a second address since.
  repeat(5, () => {
    const row = untouched((r) => r.externalId !== null);
    const added = freshAddress(row.name);
    row.user.emails.set(normalise(added), { address: added, verified: false });
    return { ...copyOf(row), unverified: [...row.unverified, added], expect: { outcome: 'updated', user: row }, after: [row] };
  });
  // Two accounts of the source system share one address: the second is refused.
  repeat(6, () => {
    const row = untouched((r) => r.externalId !== null && hasEmail(r));
    return {
      externalId: freshExternalId(),
      name: personName(),
      verified: [],
      unverified: [(row.verified[0] ?? row.unverified[0]) as string],
      expect: { outcome: 'rejected', code: 'external-id-mismatch' },
      after: [row],
    };
  });
  // One address listed twice in a row (once verified, once in other capitals unverified).
  repeat(4, () => {
    const name = personName();
    const address = freshAddress(name);
    return { externalId: freshExternalId(), name, verified: [address], unverified: [address.toUpperCase()], expect: { outcome: 'rejected', code: 'email-repeated' }, after: [] };
  });
  // Addresses that are not addresses.
  for (const broken of ['n/a', '%@', '%@@%d', '%@%l..com']) {
    const name = personName();
    const [first, last] = name.toLowerCase().split(' ') as [string, string];
    const domain = random.weighted(DOMAINS);
    const text = broken.replace('%', `${first}.${last}`).replace('%d', domain).replace('%l', domain.split('.')[0] as string);
    duplicates.push({ externalId: freshExternalId(), name, verified: [], unverified: [text], expect: { outcome: 'rejected', code: 'email-invalid' }, after: [] });
  }
  // A merged contact listing the addresses of two customers.
  repeat(2, () => {
    const a = untouched((r) => hasEmail(r));
    const b = untouched((r) => hasEmail(r));
    return {
      externalId: null,
      name: a.name,
      verified: [],
      unverified: [(a.unverified[0] ?? a.verified[0]) as string, (b.unverified[0] ?? b.verified[0]) as string],
      expect: { outcome: 'rejected', code: 'emails-of-several-users' },
      after: [a, b],
    };
  });
  // A customer's external id with another customer's address.
  repeat(2, () => {
    const a = untouched((r) => r.externalId !== null);
    const b = untouched((r) => hasEmail(r));
    return {
      externalId: a.externalId,
      name: a.name,
      verified: [],
      unverified: [...a.unverified, (b.unverified[0] ?? b.verified[0]) as string],
      expect: { outcome: 'rejected', code: 'email-held-elsewhere' },
      after: [a, b],
    };
  });

  // Lay the file out: each duplicate goes somewhere after the row(s) it repeats.
  const order: (BaseRow | ImportRowSpec)[] = [...base];
  for (const duplicate of duplicates) {
    const after = Math.max(-1, ...duplicate.after.map((row) => order.indexOf(row)));
    const position = after + 1 + random.int(order.length - after);
    order.splice(position, 0, duplicate);
  }
  const lines: string[] = ['external_id,name,verified_emails,unverified_emails'];
  const expectedRows: ExpectedImportRow[] = [];
  order.forEach((entry, index) => {
    const line = index + 2;
    if ('kind' in entry) {
      entry.line = line;
      entry.user.key = `line:${line}`;
    }
  });
  // Every duplicate comes after each row whose address it names (a check of the placement above).
  for (const duplicate of duplicates) {
    const position = order.indexOf(duplicate);
    const named = [...duplicate.verified, ...duplicate.unverified].map(normalise);
    for (const row of base) {
      if ([...row.user.emails.keys()].some((address) => named.includes(address)) && order.indexOf(row) > position) {
        throw new Error('generator: a duplicate row precedes a row it repeats');
      }
    }
  }
  order.forEach((entry, index) => {
    const line = index + 2;
    lines.push(csvLine(entry.externalId, entry.name, entry.verified, entry.unverified));
    if ('kind' in entry) expectedRows.push({ line, outcome: 'created', user: entry.user.key });
    else {
      const user = entry.expect.user?.user.key;
      expectedRows.push({ line, outcome: entry.expect.outcome, ...(entry.expect.code ? { code: entry.expect.code } : {}), ...(user ? { user } : {}) });
    }
  });
  const tally = (outcome: ExpectedImportRow['outcome']) => expectedRows.filter((row) => row.outcome === outcome).length;
  const importExpect = { created: tally('created'), updated: tally('updated'), unchanged: tally('unchanged'), rejected: tally('rejected'), rows: expectedRows };
  const afterImport = countsOf(users);

  // --- A month under "Use both verified and unverified emails" ----------------------------------
  const pools = {
    verifiedExt: base.filter((r) => !r.touched && r.kind === 'verified-ext'),
    unverifiedExt: base.filter((r) => !r.touched && r.kind === 'unverified-ext'),
    unverifiedNoExt: base.filter((r) => !r.touched && r.kind === 'unverified-noext'),
    verifiedNoExt: base.filter((r) => !r.touched && r.kind === 'verified-noext'),
    noneExt: base.filter((r) => !r.touched && r.kind === 'none-ext'),
    verifiedSecondary: base.filter((r) => !r.touched && r.kind === 'verified-ext-secondary'),
  };
  for (const pool of Object.values(pools)) shuffle(random, pool);
  const take = (pool: BaseRow[]): BaseRow => {
    const row = pool.pop();
    if (row === undefined) throw new Error('generator: a pool of users ran out');
    return row;
  };

  const created = (key: UserKey, externalId: string | null, name: string | null): ModelUser => {
    const user: ModelUser = { key, externalId, name: name ?? '', emails: new Map(), merged: false };
    users.push(user);
    return user;
  };

  const month = new Map<string, ExpectedResult>();
  const monthEvents: Record<string, unknown>[] = [];
  let counter = 0;
  const nextRef = (prefix: string) => `${prefix}${String(++counter).padStart(4, '0')}`;
  const claims = (externalId: string, name: string | null, email: string | null, verified: boolean | 'absent', exp: number) => {
    const body: Record<string, unknown> = { scope: 'user', external_id: externalId };
    if (name !== null) body.name = name;
    if (email !== null) body.email = email;
    if (verified !== 'absent') body.email_verified = verified;
    body.exp = exp;
    return body;
  };

  /** Visitor conversations a later event may come back to. */
  const returning: { ref: string; address: string; user: ModelUser }[] = [];
  const freshVisitors: { ref: string; address: string; user: ModelUser }[] = [];
  const noEmailVisitors: { ref: string; user: ModelUser }[] = [];
  const pendingLogins: (() => void)[] = [];

  const visitor = (events: Record<string, unknown>[], ref: string, name: string | null, email: string | null) =>
    events.push({ ref, type: 'visitor', name, email });
  const signedIn = (events: Record<string, unknown>[], ref: string, body: Record<string, unknown>) => events.push({ ref, type: 'signed-in', claims: body });
  const login = (events: Record<string, unknown>[], ref: string, conversation: string, body: Record<string, unknown>) =>
    events.push({ ref, type: 'login', conversation, claims: body });

  type Category =
    | 'A' | 'A2' | 'B' | 'C' | 'C2' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'J2' | 'K' | 'L' | 'M' | 'N' | 'N2' | 'O' | 'P' | 'Q' | 'R';
  const weights: [Category, number][] = [
    ['A', 330], ['A2', 70], ['B', 140], ['C', 260], ['C2', 80], ['D', 150], ['E', 25], ['F', 260], ['G', 170], ['H', 45], ['I', 120],
    ['J', 40], ['J2', 25], ['K', 15], ['L', 10], ['M', 8], ['N', 25], ['N2', 40], ['O', 60], ['P', 50], ['Q', 50], ['R', 12],
  ];
  const steps = weights.reduce((sum, [, weight]) => sum + weight, 0);
  const badTexts = ['n/a', 'none', 'my email is anna at gmail', 'kim@', '@gmail.com', 'tom@@outlook.com', ''];

  const runMonthCategory = (category: Category): void => {
    const events = monthEvents;
    switch (category) {
      case 'A': {
        // A visitor types the address an imported customer holds unverified: joins that customer.
        const row = take(random.next() < 0.6 ? pools.unverifiedExt : pools.unverifiedNoExt);
        const ref = nextRef('c');
        const address = row.unverified[0] as string;
        visitor(events, ref, row.name.split(' ')[0] as string, address);
        month.set(ref, { rule: 'VISIT-JOIN-UNVERIFIED', outcome: 'joined', user: row.user.key, whatIf: { class: 'new-user-instead-of-existing', rule: 'VISIT-STRICT' } });
        returning.push({ ref, address, user: row.user });
        return;
      }
      case 'A2': {
        // The same visitor writes in again: joins the same customer again.
        const earlier = returning.length > 0 ? returning[random.int(returning.length)]! : undefined;
        if (earlier === undefined) return runMonthCategory('A');
        const ref = nextRef('c');
        visitor(events, ref, earlier.user.name.split(' ')[0] as string, earlier.address);
        month.set(ref, { rule: 'VISIT-JOIN-UNVERIFIED', outcome: 'joined', user: earlier.user.key, whatIf: { class: 'new-user-instead-of-existing', rule: 'VISIT-STRICT' } });
        return;
      }
      case 'B': {
        // A visitor types a verified customer's address: a new user of their own.
        const row = take(random.next() < 0.8 ? pools.verifiedExt : pools.verifiedSecondary);
        const ref = nextRef('c');
        visitor(events, ref, row.name, row.verified[0] as string);
        created(`new:${ref}`, null, row.name);
        month.set(ref, { rule: 'VISIT-VERIFIED-HELD', outcome: 'created', user: `new:${ref}`, whatIf: { class: 'same-landing-another-rule', rule: 'VISIT-STRICT' } });
        return;
      }
      case 'C': {
        // A visitor types an address nobody holds: a new user holding it unverified.
        const name = personName();
        const address = freshAddress(name);
        const ref = nextRef('c');
        visitor(events, ref, name, address);
        const user = created(`new:${ref}`, null, name);
        user.emails.set(normalise(address), { address, verified: false });
        month.set(ref, { rule: 'VISIT-NEW-UNVERIFIED', outcome: 'created', user: user.key, whatIf: { class: 'same-landing-another-rule', rule: 'VISIT-STRICT' } });
        freshVisitors.push({ ref, address, user });
        return;
      }
      case 'C2': {
        // That visitor comes back with the same address: joins the user their first visit created.
        const index = freshVisitors.findIndex(() => true);
        if (index < 0) return runMonthCategory('C');
        const earlier = freshVisitors.splice(random.int(freshVisitors.length), 1)[0]!;
        const ref = nextRef('c');
        visitor(events, ref, earlier.user.name, earlier.address);
        month.set(ref, { rule: 'VISIT-JOIN-UNVERIFIED', outcome: 'joined', user: earlier.user.key, whatIf: { class: 'new-user-instead-of-existing', rule: 'VISIT-STRICT' } });
        returning.push({ ref, address: earlier.address, user: earlier.user });
        return;
      }
      case 'D': {
        const ref = nextRef('c');
        visitor(events, ref, random.next() < 0.5 ? personName() : null, null);
        const user = created(`new:${ref}`, null, null);
        month.set(ref, { rule: 'VISIT-NO-EMAIL', outcome: 'created', user: user.key, whatIf: { class: 'same-user', rule: 'VISIT-NO-EMAIL' } });
        noEmailVisitors.push({ ref, user });
        return;
      }
      case 'E': {
        const ref = nextRef('c');
        visitor(events, ref, personName(), random.pick(badTexts));
        created(`new:${ref}`, null, null);
        month.set(ref, { rule: 'VISIT-BAD-EMAIL', outcome: 'created', user: `new:${ref}`, whatIf: { class: 'same-user', rule: 'VISIT-BAD-EMAIL' } });
        return;
      }
      case 'F': {
        // A known customer signs in with the address they hold verified.
        const row = take(pools.verifiedExt);
        const ref = nextRef('c');
        signedIn(events, ref, claims(row.externalId as string, row.name, row.verified[0] as string, true, MONTH_EXP));
        month.set(ref, { rule: 'AUTH-LINK', outcome: 'joined', user: row.user.key, whatIf: { class: 'same-user', rule: 'AUTH-LINK' } });
        return;
      }
      case 'G': {
        // A known customer signs in with the address they hold unverified: it becomes verified.
        const row = take(pools.unverifiedExt);
        const ref = nextRef('c');
        const address = row.unverified[0] as string;
        signedIn(events, ref, claims(row.externalId as string, row.name, address, true, MONTH_EXP));
        row.user.emails.get(normalise(address))!.verified = true;
        month.set(ref, { rule: 'AUTH-LINK-PROMOTE', outcome: 'joined', user: row.user.key, whatIf: { class: 'same-user', rule: 'AUTH-LINK-PROMOTE' } });
        return;
      }
      case 'H': {
        const row = take(pools.noneExt);
        const address = freshAddress(row.name);
        const ref = nextRef('c');
        signedIn(events, ref, claims(row.externalId as string, row.name, address, true, MONTH_EXP));
        row.user.emails.set(normalise(address), { address, verified: true });
        month.set(ref, { rule: 'AUTH-LINK-ADD-EMAIL', outcome: 'joined', user: row.user.key, whatIf: { class: 'same-user', rule: 'AUTH-LINK-ADD-EMAIL' } });
        return;
      }
      case 'I': {
        const name = personName();
        const address = freshAddress(name);
        const externalId = freshExternalId();
        const ref = nextRef('c');
        signedIn(events, ref, claims(externalId, name, address, true, MONTH_EXP));
        created(`new:${ref}`, externalId, name).emails.set(normalise(address), { address, verified: true });
        month.set(ref, { rule: 'AUTH-NEW', outcome: 'created', user: `new:${ref}`, whatIf: { class: 'same-user', rule: 'AUTH-NEW' } });
        return;
      }
      case 'J': {
        // A new signed-in customer proves an address an imported contact holds unverified.
        const row = take(pools.unverifiedNoExt);
        const address = row.unverified[0] as string;
        const externalId = freshExternalId();
        const ref = nextRef('c');
        signedIn(events, ref, claims(externalId, row.name, address, true, MONTH_EXP));
        row.user.emails.delete(normalise(address));
        created(`new:${ref}`, externalId, row.name).emails.set(normalise(address), { address, verified: true });
        month.set(ref, { rule: 'AUTH-NEW-SUPERSEDE', outcome: 'created', user: `new:${ref}`, whatIf: { class: 'same-user', rule: 'AUTH-NEW-SUPERSEDE' } });
        return;
      }
      case 'J2': {
        // A new signed-in customer proves an address a visitor typed earlier this month.
        if (freshVisitors.length === 0) return runMonthCategory('I');
        const earlier = freshVisitors.splice(random.int(freshVisitors.length), 1)[0]!;
        const externalId = freshExternalId();
        const ref = nextRef('c');
        signedIn(events, ref, claims(externalId, earlier.user.name, earlier.address, true, MONTH_EXP));
        earlier.user.emails.delete(normalise(earlier.address));
        created(`new:${ref}`, externalId, earlier.user.name).emails.set(normalise(earlier.address), { address: earlier.address, verified: true });
        month.set(ref, { rule: 'AUTH-NEW-SUPERSEDE', outcome: 'created', user: `new:${ref}`, whatIf: { class: 'same-landing-another-rule', rule: 'AUTH-NEW' } });
        return;
      }
      case 'K': {
        // A new signed-in customer whose address a contact without external id holds verified: AUTH-ADOPT.
        const row = take(pools.verifiedNoExt);
        const externalId = freshExternalId();
        const ref = nextRef('c');
        signedIn(events, ref, claims(externalId, row.name, row.verified[0] as string, true, MONTH_EXP));
        row.user.externalId = externalId;
        month.set(ref, { rule: 'AUTH-ADOPT', outcome: 'joined', user: row.user.key, whatIf: { class: 'same-user', rule: 'AUTH-ADOPT' } });
        return;
      }
      case 'L': {
        // Another external id with a verified customer's address: refused, nothing written.
        const row = take(pools.verifiedExt);
        const ref = nextRef('c');
        signedIn(events, ref, claims(freshExternalId(), personName(), row.verified[0] as string, true, MONTH_EXP));
        month.set(ref, { rule: 'AUTH-CONFLICT', outcome: 'rejected', user: null });
        return;
      }
      case 'M': {
        // An expired token: refused.
        const row = take(pools.verifiedExt);
        const ref = nextRef('c');
        signedIn(events, ref, claims(row.externalId as string, row.name, row.verified[0] as string, true, Date.parse(MONTH_NOW) / 1000 - 3600));
        month.set(ref, { rule: 'AUTH-INVALID-TOKEN', outcome: 'rejected', user: null });
        return;
      }
      case 'N': {
        // A known customer's token carries an address it does not vouch for: kept unverified (not under verified-only).
        const row = take(pools.verifiedExt);
        const address = freshAddress(row.name);
        const ref = nextRef('c');
        signedIn(events, ref, claims(row.externalId as string, row.name, address, random.next() < 0.5 ? false : 'absent', MONTH_EXP));
        row.user.emails.set(normalise(address), { address, verified: false });
        month.set(ref, { rule: 'AUTH-UNVERIFIED-CLAIM', outcome: 'joined', user: row.user.key, whatIf: { class: 'same-user', rule: 'AUTH-UNVERIFIED-CLAIM' } });
        return;
      }
      case 'N2': {
        const row = take(pools.noneExt);
        const ref = nextRef('c');
        signedIn(events, ref, claims(row.externalId as string, row.name, null, 'absent', MONTH_EXP));
        month.set(ref, { rule: 'AUTH-NO-EMAIL', outcome: 'joined', user: row.user.key, whatIf: { class: 'same-user', rule: 'AUTH-NO-EMAIL' } });
        return;
      }
      case 'O': {
        // A visitor without email, later signing in as a known customer: merged into that customer.
        const row = take(pools.verifiedExt);
        const ref = nextRef('c');
        visitor(events, ref, null, null);
        const anonymous = created(`new:${ref}`, null, null);
        month.set(ref, { rule: 'VISIT-NO-EMAIL', outcome: 'created', user: anonymous.key, whatIf: { class: 'same-user', rule: 'VISIT-NO-EMAIL' } });
        pendingLogins.push(() => {
          const loginRef = nextRef('l');
          login(events, loginRef, ref, claims(row.externalId as string, row.name, row.verified[0] as string, true, MONTH_EXP));
          anonymous.merged = true;
          month.set(loginRef, { rule: 'LOGIN-MERGE', outcome: 'merged', user: row.user.key, whatIf: { class: 'same-user', rule: 'LOGIN-MERGE' } });
        });
        return;
      }
      case 'P': {
        // A visitor types a new address, then signs in as a new customer with it: their user is upgraded.
        const name = personName();
        const address = freshAddress(name);
        const ref = nextRef('c');
        visitor(events, ref, name.split(' ')[0] as string, address);
        const user = created(`new:${ref}`, null, name.split(' ')[0] as string);
        user.emails.set(normalise(address), { address, verified: false });
        month.set(ref, { rule: 'VISIT-NEW-UNVERIFIED', outcome: 'created', user: user.key, whatIf: { class: 'same-landing-another-rule', rule: 'VISIT-STRICT' } });
        pendingLogins.push(() => {
          const loginRef = nextRef('l');
          const externalId = freshExternalId();
          login(events, loginRef, ref, claims(externalId, name, address, true, MONTH_EXP));
          user.externalId = externalId;
          user.emails.get(normalise(address))!.verified = true;
          month.set(loginRef, { rule: 'LOGIN-UPGRADE', outcome: 'upgraded', user: user.key, whatIf: { class: 'same-user', rule: 'LOGIN-UPGRADE' } });
        });
        return;
      }
      case 'Q': {
        // A visitor joins a customer's unverified profile by its address, then signs in as that customer.
        const row = take(pools.unverifiedExt);
        const address = row.unverified[0] as string;
        const ref = nextRef('c');
        visitor(events, ref, row.name.split(' ')[0] as string, address);
        month.set(ref, { rule: 'VISIT-JOIN-UNVERIFIED', outcome: 'joined', user: row.user.key, whatIf: { class: 'new-user-instead-of-existing', rule: 'VISIT-STRICT' } });
        pendingLogins.push(() => {
          const loginRef = nextRef('l');
          login(events, loginRef, ref, claims(row.externalId as string, row.name, address, true, MONTH_EXP));
          row.user.emails.get(normalise(address))!.verified = true;
          month.set(loginRef, { rule: 'LOGIN-MOVE', outcome: 'joined', user: row.user.key, whatIf: { class: 'same-landing-another-rule', rule: 'LOGIN-MERGE' } });
        });
        return;
      }
      case 'R': {
        // An agent merges a visitor's profile without email into the profile that visitor made with an address.
        if (noEmailVisitors.length === 0 || freshVisitors.length === 0) return runMonthCategory('D');
        const from = noEmailVisitors.splice(random.int(noEmailVisitors.length), 1)[0]!;
        const into = freshVisitors.splice(random.int(freshVisitors.length), 1)[0]!;
        const ref = nextRef('m');
        events.push({ ref, type: 'merge', from: from.user.key, into: into.user.key });
        from.user.merged = true;
        month.set(ref, { rule: 'ADMIN-MERGE', outcome: 'merged', user: into.user.key });
        // The merged profile holds the address now, as before: a later visit still joins it.
        freshVisitors.push(into);
        return;
      }
    }
  };

  for (let step = 0; step < steps; step++) {
    if (pendingLogins.length > 0 && random.next() < 0.35) {
      pendingLogins.splice(random.int(Math.min(3, pendingLogins.length)), 1)[0]!();
      continue;
    }
    runMonthCategory(random.weighted(weights));
  }
  while (pendingLogins.length > 0) pendingLogins.shift()!();

  const conversationsByRule: Record<string, number> = {};
  for (const [ref, expected] of month) {
    if (ref.startsWith('c') && expected.outcome !== 'rejected') conversationsByRule[expected.rule] = (conversationsByRule[expected.rule] ?? 0) + 1;
  }
  const afterMonth = { ...countsOf(users), conversationsByRule };

  // --- The first week after switching to "Use only verified emails" -----------------------------
  const afterSwitch = new Map<string, ExpectedResult>();
  const weekEvents: Record<string, unknown>[] = [];
  const weekWeights: [string, number][] = [['A', 80], ['A3', 40], ['B', 40], ['D', 40], ['F', 80], ['G', 60], ['I', 30], ['J', 15], ['P', 15]];
  const weekSteps = weekWeights.reduce((sum, [, weight]) => sum + weight, 0);
  for (let step = 0; step < weekSteps; step++) {
    const category = random.weighted(weekWeights);
    const ref = nextRef('c');
    switch (category) {
      case 'A': {
        // Under only verified emails, a visitor typing a customer's unverified address gets a user of their own.
        const row = take(pools.unverifiedNoExt);
        visitor(weekEvents, ref, row.name.split(' ')[0] as string, row.unverified[0] as string);
        created(`new:${ref}`, null, row.name.split(' ')[0] as string);
        afterSwitch.set(ref, { rule: 'VISIT-STRICT', outcome: 'created', user: `new:${ref}` });
        break;
      }
      case 'A3': {
        // A visitor of last month comes back: no longer joins the profile they joined then.
        const earlier = returning[random.int(returning.length)]!;
        visitor(weekEvents, ref, earlier.user.name.split(' ')[0] as string, earlier.address);
        created(`new:${ref}`, null, earlier.user.name.split(' ')[0] as string);
        afterSwitch.set(ref, { rule: 'VISIT-STRICT', outcome: 'created', user: `new:${ref}` });
        break;
      }
      case 'B': {
        const row = take(pools.verifiedExt);
        visitor(weekEvents, ref, row.name, row.verified[0] as string);
        created(`new:${ref}`, null, row.name);
        afterSwitch.set(ref, { rule: 'VISIT-STRICT', outcome: 'created', user: `new:${ref}` });
        break;
      }
      case 'D': {
        visitor(weekEvents, ref, null, null);
        created(`new:${ref}`, null, null);
        afterSwitch.set(ref, { rule: 'VISIT-NO-EMAIL', outcome: 'created', user: `new:${ref}` });
        break;
      }
      case 'F': {
        const row = take(pools.verifiedExt);
        signedIn(weekEvents, ref, claims(row.externalId as string, row.name, row.verified[0] as string, true, AFTER_SWITCH_EXP));
        afterSwitch.set(ref, { rule: 'AUTH-LINK', outcome: 'joined', user: row.user.key });
        break;
      }
      case 'G': {
        const row = take(pools.unverifiedExt);
        const address = row.unverified[0] as string;
        signedIn(weekEvents, ref, claims(row.externalId as string, row.name, address, true, AFTER_SWITCH_EXP));
        row.user.emails.get(normalise(address))!.verified = true;
        afterSwitch.set(ref, { rule: 'AUTH-LINK-PROMOTE', outcome: 'joined', user: row.user.key });
        break;
      }
      case 'I': {
        const name = personName();
        const address = freshAddress(name);
        const externalId = freshExternalId();
        signedIn(weekEvents, ref, claims(externalId, name, address, true, AFTER_SWITCH_EXP));
        created(`new:${ref}`, externalId, name).emails.set(normalise(address), { address, verified: true });
        afterSwitch.set(ref, { rule: 'AUTH-NEW', outcome: 'created', user: `new:${ref}` });
        break;
      }
      case 'J': {
        const row = take(pools.unverifiedNoExt);
        const address = row.unverified[0] as string;
        const externalId = freshExternalId();
        signedIn(weekEvents, ref, claims(externalId, row.name, address, true, AFTER_SWITCH_EXP));
        row.user.emails.delete(normalise(address));
        created(`new:${ref}`, externalId, row.name).emails.set(normalise(address), { address, verified: true });
        afterSwitch.set(ref, { rule: 'AUTH-NEW-SUPERSEDE', outcome: 'created', user: `new:${ref}` });
        break;
      }
      case 'P': {
        // Under only verified emails a visitor's address is not stored; signing in as someone new upgrades their user.
        const name = personName();
        const address = freshAddress(name);
        visitor(weekEvents, ref, name.split(' ')[0] as string, address);
        const user = created(`new:${ref}`, null, name.split(' ')[0] as string);
        afterSwitch.set(ref, { rule: 'VISIT-STRICT', outcome: 'created', user: user.key });
        const loginRef = nextRef('l');
        const externalId = freshExternalId();
        login(weekEvents, loginRef, ref, claims(externalId, name, address, true, AFTER_SWITCH_EXP));
        user.externalId = externalId;
        user.emails.set(normalise(address), { address, verified: true });
        afterSwitch.set(loginRef, { rule: 'LOGIN-UPGRADE', outcome: 'upgraded', user: user.key });
        break;
      }
    }
  }
  const afterAll = countsOf(users);

  const settings = (id: 'verified-and-unverified' | 'verified-only') => ({ emailIdentities: id, unauthenticatedCanClaimVerified: false });
  return {
    accountsCsv: `${lines.join('\n')}\n`,
    month: {
      title: 'A month of conversations on the example account, under "Use both verified and unverified emails"',
      description:
        'Generated by scripts/migration-example.ts (npm run examples:migration). Visitors typing imported addresses, verified and not, or new ones, or none; known and new customers signing in; visitors who sign in; an agent merging two profiles of one visitor; a few refused sign-ins.',
      settings: settings('verified-and-unverified'),
      now: MONTH_NOW,
      events: monthEvents,
    },
    afterSwitch: {
      title: 'The first week after switching the example account to "Use only verified emails"',
      description: 'Generated by scripts/migration-example.ts (npm run examples:migration).',
      settings: settings('verified-only'),
      now: AFTER_SWITCH_NOW,
      events: weekEvents,
    },
    expected: { import: importExpect, afterImport, month, afterMonth, afterSwitch, afterAll },
  };
}

function copyOf(row: BaseRow): Pick<ImportRowSpec, 'externalId' | 'name' | 'verified' | 'unverified'> {
  return { externalId: row.externalId, name: row.name, verified: [...row.verified], unverified: [...row.unverified] };
}

function countsOf(users: readonly ModelUser[]): ExpectedCounts {
  const live = users.filter((user) => !user.merged);
  return {
    users: live.length,
    usersWithoutVerifiedIdentity: live.filter((user) => ![...user.emails.values()].some((email) => email.verified)).length,
    unverifiedIdentities: live.reduce((sum, user) => sum + [...user.emails.values()].filter((email) => !email.verified).length, 0),
    usersWithExternalId: live.filter((user) => user.externalId !== null).length,
  };
}

function csvLine(externalId: string | null, name: string, verified: readonly string[], unverified: readonly string[]): string {
  const cell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [externalId ?? '', name, verified.join(' '), unverified.join(' ')].map(cell).join(',');
}

function shuffle<T>(random: Random, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/** A scenario document with one event per line: readable, and diffs stay small. */
export function scenarioText(document: ScenarioDocument): string {
  const { events, ...head } = document;
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${top},\n  "events": [\n${events.map((event) => `    ${JSON.stringify(event)}`).join(',\n')}\n  ]\n}\n`;
}

export function migrationFiles(example: MigrationExample = generateMigrationExample()): Record<string, string> {
  return {
    'accounts.csv': example.accountsCsv,
    'month.json': scenarioText(example.month),
    'after-switch.json': scenarioText(example.afterSwitch),
  };
}

if (require.main === module) {
  void (async () => {
    mkdirSync(MIGRATION_DIR, { recursive: true });
    for (const [name, text] of Object.entries(migrationFiles())) {
      writeFileSync(join(MIGRATION_DIR, name), text);
      process.stdout.write(`examples/migration/${name}: ${text.length} bytes\n`);
    }
    // The README shows what the commands print: run them and write their output under each.
    const { updateReadme } = await import('./migration-walk');
    const runs = await updateReadme(MIGRATION_DIR);
    process.stdout.write(`examples/migration/README.md: ${runs.length} commands run, their output written\n`);
  })();
}
