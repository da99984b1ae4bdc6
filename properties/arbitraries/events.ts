import fc from 'fast-check';
import type { Scenario, ScenarioEvent, ScenarioUser } from '../../src/replay/types';
import { settingsArb, settingsEventArb, type SettingsPair } from './settings';
import { tokenMember, tokenSpecArb, type TokenSpec } from './tokens';
import { usersSpecArb, buildUsers, type UsersSpec } from './users';
import { KEYS, NOW_TEXT, PEOPLE, spelling, UNUSABLE } from './values';

/**
 * Event sequences. An event is drawn as a spec (small numbers into the pools) and made concrete when
 * the scenario is built, because a login must name an earlier visitor conversation and a merge picks
 * refs that exist at that point (starting users, users created by earlier events, or `ghost`, which
 * names nobody). Shrinking works on the specs.
 */

export type VisitorEmailSpec =
  | { readonly kind: 'absent' }
  | { readonly kind: 'null' }
  | { readonly kind: 'address'; readonly address: number; readonly variant: number }
  | { readonly kind: 'unusable'; readonly text: number };

export type EventSpec =
  | { readonly kind: 'visitor'; readonly name: number | null; readonly email: VisitorEmailSpec }
  | { readonly kind: 'signed-in'; readonly token: TokenSpec }
  /** `conversation` picks an earlier visitor event (modulo their number); without one it is a signed-in event. */
  | { readonly kind: 'login'; readonly conversation: number; readonly token: TokenSpec }
  /** `from` and `into` pick among the refs that exist at that point, and `ghost`. */
  | { readonly kind: 'merge'; readonly from: number; readonly into: number }
  | { readonly kind: 'settings'; readonly settings: SettingsPair };

export function visitorEmailArb(): fc.Arbitrary<VisitorEmailSpec> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'absent' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'null' as const }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('address' as const), address: fc.nat(3), variant: fc.nat(2) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('unusable' as const), text: fc.nat(UNUSABLE.length - 1) }) },
  );
}

export function visitorSpecArb(): fc.Arbitrary<EventSpec> {
  return fc.record({ kind: fc.constant('visitor' as const), name: fc.option(fc.nat(PEOPLE.length - 1), { nil: null }), email: visitorEmailArb() });
}

export function signedInSpecArb(token = tokenSpecArb()): fc.Arbitrary<EventSpec> {
  return fc.record({ kind: fc.constant('signed-in' as const), token });
}

export function loginSpecArb(token = tokenSpecArb()): fc.Arbitrary<EventSpec> {
  return fc.record({ kind: fc.constant('login' as const), conversation: fc.nat(7), token });
}

export function mergeSpecArb(): fc.Arbitrary<EventSpec> {
  return fc.record({ kind: fc.constant('merge' as const), from: fc.nat(9), into: fc.nat(9) });
}

export function settingsSpecArb(): fc.Arbitrary<EventSpec> {
  return fc.record({ kind: fc.constant('settings' as const), settings: settingsEventArb() });
}

export interface EventWeights {
  readonly visitor?: number;
  readonly signedIn?: number;
  readonly login?: number;
  readonly merge?: number;
  readonly settings?: number;
}

export function eventSpecArb(weights: EventWeights = {}): fc.Arbitrary<EventSpec> {
  const entries: { weight: number; arbitrary: fc.Arbitrary<EventSpec> }[] = [
    { weight: weights.visitor ?? 4, arbitrary: visitorSpecArb() },
    { weight: weights.signedIn ?? 4, arbitrary: signedInSpecArb() },
    { weight: weights.login ?? 3, arbitrary: loginSpecArb() },
    { weight: weights.merge ?? 2, arbitrary: mergeSpecArb() },
    { weight: weights.settings ?? 1, arbitrary: settingsSpecArb() },
  ];
  return fc.oneof(...entries.filter((entry) => entry.weight > 0));
}

/** A whole scenario, as specs. */
export interface ScenarioSpec {
  readonly settings: SettingsPair;
  readonly users: UsersSpec;
  readonly events: readonly EventSpec[];
}

export interface ScenarioArbOptions {
  readonly settings?: fc.Arbitrary<SettingsPair>;
  readonly maxUsers?: number;
  readonly minEvents?: number;
  readonly maxEvents?: number;
  readonly weights?: EventWeights;
}

export function scenarioSpecArb(options: ScenarioArbOptions = {}): fc.Arbitrary<ScenarioSpec> {
  return fc.record({
    settings: options.settings ?? settingsArb(),
    users: usersSpecArb(options.maxUsers ?? 3),
    events: fc.array(eventSpecArb(options.weights), { minLength: options.minEvents ?? 1, maxLength: options.maxEvents ?? 8 }),
  });
}

/** Makes the specs concrete: refs, login targets and merge refs, in event order. */
export class ScenarioBuilder {
  private readonly events: ScenarioEvent[] = [];
  private readonly visitorRefs: string[] = [];
  private readonly userRefs: string[];

  constructor(
    private readonly settings: SettingsPair,
    private readonly users: readonly ScenarioUser[],
  ) {
    this.userRefs = users.map((user) => user.ref);
  }

  /** The refs a merge may name now: starting users, `new:<ref>` of every earlier conversation event, and `ghost`. */
  mergeCandidates(): string[] {
    return [...this.userRefs, 'ghost'];
  }

  get visitorConversations(): readonly string[] {
    return this.visitorRefs;
  }

  get length(): number {
    return this.events.length;
  }

  add(spec: EventSpec): ScenarioEvent {
    const n = this.events.length + 1;
    let event: ScenarioEvent;
    switch (spec.kind) {
      case 'visitor': {
        const visitor: { ref: string; type: 'visitor'; name?: string | null; email?: string | null } = { ref: `c${n}`, type: 'visitor' };
        if (spec.name !== null) visitor.name = PEOPLE[spec.name] as string;
        if (spec.email.kind === 'null') visitor.email = null;
        if (spec.email.kind === 'address') visitor.email = spelling(spec.email.address, spec.email.variant);
        if (spec.email.kind === 'unusable') visitor.email = UNUSABLE[spec.email.text] as string;
        event = visitor;
        this.visitorRefs.push(visitor.ref);
        break;
      }
      case 'signed-in':
        event = { ref: `c${n}`, type: 'signed-in', ...tokenMember(spec.token) };
        break;
      case 'login': {
        const conversation = this.visitorRefs[spec.conversation % Math.max(1, this.visitorRefs.length)];
        event =
          conversation === undefined
            ? { ref: `c${n}`, type: 'signed-in', ...tokenMember(spec.token) }
            : { ref: `l${n}`, type: 'login', conversation, ...tokenMember(spec.token) };
        break;
      }
      case 'merge': {
        const candidates = this.mergeCandidates();
        const from = candidates[spec.from % candidates.length] as string;
        const into = candidates[spec.into % candidates.length] as string;
        event = { ref: `m${n}`, type: 'merge', from, into };
        break;
      }
      case 'settings':
        event = { ref: `s${n}`, type: 'settings', ...spec.settings };
        break;
    }
    if (event.type === 'visitor' || event.type === 'signed-in' || event.type === 'login') this.userRefs.push(`new:${event.ref}`);
    this.events.push(event);
    return event;
  }

  scenario(title?: string): Scenario {
    return {
      ...(title !== undefined ? { title } : {}),
      settings: this.settings,
      now: NOW_TEXT,
      keys: KEYS,
      users: this.users,
      events: [...this.events],
    };
  }
}

export function buildScenario(spec: ScenarioSpec): Scenario {
  const builder = new ScenarioBuilder(spec.settings, buildUsers(spec.users));
  for (const event of spec.events) builder.add(event);
  return builder.scenario();
}

export function scenarioArb(options: ScenarioArbOptions = {}): fc.Arbitrary<Scenario> {
  return scenarioSpecArb(options).map(buildScenario);
}
