/**
 * A long, valid scenario file of `replay.md` for timing `idmatrix check` and `replay` (the bench uses
 * it; so can anyone): `events` events of every kind over a pool of people small enough that
 * addresses and external ids collide (joins, supersedes, conflicts, merges, refused merges, switches,
 * bad tokens). Deterministic: the same arguments give the same file.
 *
 *   node -r ts-node/register scripts/long-scenario.ts 10000 > /tmp/long.json
 */
import type { JsonObject, Scenario, ScenarioEvent, ScenarioUser } from '../src/replay/types';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function longScenario(events: number, seed = 1): Scenario {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const people = Math.max(4, Math.floor(events / 4));
  const address = (p: number) => (next() < 0.2 ? ` Person${p}@Example.com ` : `person${p}@example.com`);
  const users: ScenarioUser[] = [];
  for (let p = 0; p < Math.min(people, 50); p++) {
    users.push({ ref: `p${p}`, name: `Person ${p}`, externalId: p % 2 === 0 ? `ext-${p}` : null, emails: [{ address: `person${p}@example.com`, verified: p % 3 === 0 }] });
  }
  const userRefs = users.map((user) => user.ref);
  const visitors: string[] = [];
  const list: ScenarioEvent[] = [];
  for (let i = 1; i <= events; i++) {
    const roll = next();
    const p = Math.floor(next() * people);
    if (roll < 0.35) {
      list.push({ ref: `c${i}`, type: 'visitor', name: `Visitor ${i}`, email: next() < 0.1 ? null : address(p) });
      visitors.push(`c${i}`);
      userRefs.push(`new:c${i}`);
    } else if (roll < 0.65 || (roll < 0.8 && visitors.length === 0)) {
      list.push({ ref: `c${i}`, type: 'signed-in', ...tokenSource(p, i, next) });
      userRefs.push(`new:c${i}`);
    } else if (roll < 0.8) {
      list.push({ ref: `l${i}`, type: 'login', conversation: pick(visitors), ...tokenSource(p, i, next) });
      userRefs.push(`new:l${i}`);
    } else if (roll < 0.97) {
      list.push({ ref: `m${i}`, type: 'merge', from: pick(userRefs), into: pick(userRefs) });
    } else {
      const settings = pick([
        { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false },
        { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: false },
        { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: true },
        { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: true },
      ] as const);
      list.push({ ref: `s${i}`, type: 'settings', ...settings });
    }
  }
  return {
    title: `a long scenario of ${events} events`,
    settings: { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: false },
    now: '2026-01-01T00:00:00Z',
    users,
    events: list,
  };
}

function tokenSource(p: number, i: number, next: () => number): { claims: JsonObject } | { token: string } {
  if (next() < 0.03) return { token: `not.a.token${i}` };
  const claims: Record<string, unknown> = { scope: 'user', external_id: next() < 0.7 ? `ext-${p}` : `ext-${p}-${i}` };
  const shape = next();
  if (shape < 0.7) {
    claims.email = `person${p}@example.com`;
    claims.email_verified = true;
  } else if (shape < 0.85) {
    claims.email = `person${p}@example.com`;
    claims.email_verified = false;
  }
  if (next() < 0.3) claims.name = `Person ${p}`;
  return { claims: claims as JsonObject };
}

if (require.main === module) {
  const events = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? 1);
  if (!Number.isSafeInteger(events) || events < 1) {
    console.error('usage: long-scenario.ts <events> [seed]');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(longScenario(events, seed))}\n`);
}
