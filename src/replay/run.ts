import { DEFAULT_PROFILE, type ReadingProfile } from '../domain';
import { Engine } from '../engine';
import type { OpenMode } from '../store/open';
import { DEFAULT_KEYS } from '../identity/keys';
import { BoundedMemo } from '../identity/memo';
import { serialise, signTestToken } from '../identity/sign';
import type { EventResult, KeyConfig, ReplayResult, Scenario, ScenarioEvent, TokenSource } from './types';
import { parseNow } from './validate';

export interface ReplayOptions {
  /** Keep the store in this SQLite file instead of memory. */
  readonly path?: string;
  /** The reading profile of `flows.md` the engine decides under (default `reference`; `stored`: an existing store file's own). */
  readonly profile?: ReadingProfile | 'stored';
  /** How to open `path` (default `create`: the file must not exist yet; `read-write` appends to a store). */
  readonly mode?: OpenMode;
  /** How long a write waits for another process's lock (default 30 s). */
  readonly busyTimeoutMs?: number;
  /** Called with the open engine once the starting users are in, before the first event (e.g. an import). */
  readonly prepare?: (engine: Engine) => void;
  /** Called with the open engine after the run, before it closes (reports, dumps). */
  readonly inspect?: (engine: Engine) => void;
}

/**
 * Runs a validated scenario through a fresh reference engine and returns the result document of
 * `replay.md`. Rejections are results, not errors; an error thrown here is a defect or bad input
 * that validation should have caught.
 */
export async function replay(scenario: Scenario, options: ReplayOptions = {}): Promise<ReplayResult> {
  const engine = await openScenarioEngine(scenario, options.path, options.profile, { mode: options.mode, busyTimeoutMs: options.busyTimeoutMs });
  try {
    options.prepare?.(engine);
    const results: EventResult[] = [];
    const ahead = new TokensAhead(engine, scenario);
    for (const [index, event] of scenario.events.entries()) {
      ahead.reach(index);
      results.push(await runScenarioEvent(engine, scenario, event));
    }
    const { users, conversations } = engine.snapshot();
    options.inspect?.(engine);
    return { settings: scenario.settings, results, users, conversations };
  } finally {
    engine.close();
  }
}

/**
 * A fresh engine for `scenario`: its settings, its keys, its clock (`now`, else the wall clock read
 * once) and its starting users, deciding under reading `profile`.
 */
export async function openScenarioEngine(
  scenario: Scenario,
  path?: string,
  profile: ReadingProfile | 'stored' = DEFAULT_PROFILE,
  file: { mode?: OpenMode; busyTimeoutMs?: number } = {},
): Promise<Engine> {
  const now = scenario.now !== undefined ? parseNow(scenario.now) : Math.floor(Date.now() / 1000);
  const engine = await Engine.open({
    path,
    mode: file.mode ?? 'create',
    busyTimeoutMs: file.busyTimeoutMs,
    settings: scenario.settings,
    keys: scenario.keys ?? DEFAULT_KEYS,
    now: () => now,
    profile,
  });
  try {
    engine.addUsers(scenario.users ?? []);
  } catch (error) {
    engine.close();
    throw error;
  }
  return engine;
}

/**
 * Reads a scenario's tokens ahead of its events: `reach(i)` before event i starts verifying the tokens of
 * the next `window` events (`Engine.verifyAhead`), so that jose's work (a round trip to the crypto
 * thread pool per token) overlaps instead of one token after another. The verdicts are jose's and go
 * to the memo; nothing is written ahead.
 */
export class TokensAhead {
  private next = 0;

  constructor(
    private readonly engine: Engine,
    private readonly scenario: Scenario,
    private readonly window = 64,
  ) {}

  reach(index: number): void {
    const events = this.scenario.events;
    const until = Math.min(events.length, index + this.window);
    for (; this.next < until; this.next++) {
      const event = events[this.next] as ScenarioEvent;
      if (event.type === 'signed-in' || event.type === 'login') this.engine.verifyAhead(tokenOf(event, signingKeyOf(this.scenario)));
    }
  }
}

/** One event of `scenario` on the engine; `claims` are signed with the scenario's first key. */
export function runScenarioEvent(engine: Engine, scenario: Scenario, event: ScenarioEvent): EventResult | Promise<EventResult> {
  switch (event.type) {
    case 'visitor':
      return engine.visitor(event.ref, { name: event.name, email: event.email });
    case 'signed-in':
      return engine.signedIn(event.ref, tokenOf(event, signingKeyOf(scenario)));
    case 'login':
      return engine.login(event.ref, event.conversation, tokenOf(event, signingKeyOf(scenario)));
    case 'merge':
      return engine.merge(event.ref, event.from, event.into);
    case 'settings':
      return engine.switchSettings(event.ref, {
        emailIdentities: event.emailIdentities,
        unauthenticatedCanClaimVerified: event.unauthenticatedCanClaimVerified,
      });
  }
}

function signingKeyOf(scenario: Scenario): KeyConfig {
  return (scenario.keys ?? DEFAULT_KEYS)[0] as KeyConfig;
}

/**
 * The tokens this runner signed, by key, kid, header and claims (signing is a pure function of them):
 * the exhaustive check and the invariant probes sign the same few claims again and again.
 */
export const SIGNED_TOKENS = new BoundedMemo<string>(20_000, 16 * 2 ** 20);

/** A ready `token` as given, or `claims` signed with the first key (`replay.md`). */
export function tokenOf(source: TokenSource, signingKey: KeyConfig): string {
  if (source.token !== undefined) return source.token;
  const claims = source.claims ?? {};
  // serialise: JSON.stringify at any depth (deep claims are signed too; their token is then too large).
  const memoKey = serialise([signingKey.kid, signingKey.secret, source.kid ?? null, source.header ?? null, claims]);
  const known = SIGNED_TOKENS.get(memoKey);
  if (known !== undefined) return known;
  const token = signTestToken(claims, signingKey, { kid: source.kid, header: source.header });
  SIGNED_TOKENS.set(memoKey, token);
  return token;
}
