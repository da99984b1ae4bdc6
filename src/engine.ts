import { InvalidArgumentError, InvalidTokenError } from './errors';
import { DEFAULT_KEYS } from './identity/keys';
import { TokenVerifier, type VerifiedClaims } from './identity/token';
import { decideMerge, decideSwitch } from './policy/admin';
import { decideLogin } from './policy/login';
import { decideSignedIn } from './policy/signed-in';
import { decideVisitor, type VisitorInput } from './policy/visitor';
import {
  DEFAULT_PROFILE,
  settingIdOf,
  type ClaimsInput,
  type Decision,
  type EventInput,
  type EventResult,
  type KeyConfig,
  type ReadingProfile,
  type SettingId,
  type Settings,
} from './domain';
import { Store, type IdentityCounts, type Snapshot, type StartingUser } from './store/store';

export interface EngineOptions {
  /** A database file (WAL mode); in memory when absent. */
  readonly path?: string;
  /** The settings of a new store; an existing store keeps its own. */
  readonly settings: Settings;
  /** Signing keys, imported once when the engine opens. Default: the scenario default key. */
  readonly keys?: readonly KeyConfig[];
  /** The clock for token checks, in whole epoch seconds. Default: the wall clock. */
  readonly now?: () => number;
  /** The reading profile of `flows.md` (default `reference`); a store file keeps the one it was created under. */
  readonly profile?: ReadingProfile;
}

/**
 * The reference engine: one method per kind of event. Each accepted event is one SQLite transaction
 * (decide, then apply, then log); a rejected event writes nothing. Tokens are verified before the
 * transaction opens, so the synchronous transaction never waits on crypto.
 */
export class Engine {
  private constructor(
    readonly store: Store,
    readonly profile: ReadingProfile,
    private readonly verifier: TokenVerifier,
    private readonly now: () => number,
  ) {}

  static async open(options: EngineOptions): Promise<Engine> {
    settingIdOf(options.settings);
    const verifier = await TokenVerifier.create(options.keys ?? DEFAULT_KEYS);
    const profile = options.profile ?? DEFAULT_PROFILE;
    const store = Store.open({ path: options.path, settings: options.settings, profile });
    return new Engine(store, profile, verifier, options.now ?? (() => Math.floor(Date.now() / 1000)));
  }

  close(): void {
    this.store.close();
  }

  /** The setting in force: read from the store (one indexed row), so a rolled-back switch is undone too. */
  get settingId(): SettingId {
    return settingIdOf(this.store.settings());
  }

  /** Starting users, all in one transaction. They must satisfy the invariants; the database refuses otherwise. */
  addUsers(users: readonly StartingUser[]): void {
    this.store.transaction(() => {
      for (const user of users) {
        if (user.ref.startsWith('new:')) throw new InvalidArgumentError(`a starting user's ref cannot begin with "new:" (${user.ref})`);
        this.store.insertUser(user);
      }
    });
  }

  visitor(ref: string, visitor: VisitorInput): EventResult {
    const input: EventInput = { type: 'visitor', name: visitor.name ?? null, email: visitor.email ?? null };
    return this.run(ref, input, (setting) => decideVisitor(this.store, setting, visitor));
  }

  async signedIn(ref: string, token: string): Promise<EventResult> {
    const claims = await this.verify(token);
    if (claims instanceof InvalidTokenError) return invalidToken(ref, claims);
    return this.run(ref, { type: 'signed-in', claims: claimsInput(claims) }, (setting) => decideSignedIn(this.store, setting, claims));
  }

  /** The visitor of conversation `conversationRef` signs in. */
  async login(ref: string, conversationRef: string, token: string): Promise<EventResult> {
    const claims = await this.verify(token);
    if (claims instanceof InvalidTokenError) return invalidToken(ref, claims);
    return this.run(ref, { type: 'login', conversation: conversationRef, claims: claimsInput(claims) }, (setting) => {
      const conversation = this.store.conversationByRef(conversationRef);
      if (conversation === undefined) throw new InvalidArgumentError(`no conversation "${conversationRef}" to sign in to`);
      return decideLogin(this.store, setting, conversation, claims);
    });
  }

  merge(ref: string, fromRef: string, intoRef: string): EventResult {
    return this.run(ref, { type: 'merge', from: fromRef, into: intoRef }, () => decideMerge(this.store, fromRef, intoRef));
  }

  switchSettings(ref: string, settings: Settings): EventResult {
    return this.run(ref, { type: 'settings', settings }, () => decideSwitch(settings));
  }

  snapshot(): Snapshot {
    return this.store.snapshot();
  }

  counts(): IdentityCounts {
    return this.store.counts();
  }

  private async verify(token: string): Promise<VerifiedClaims | InvalidTokenError> {
    try {
      return await this.verifier.verify(token, this.now());
    } catch (error) {
      if (error instanceof InvalidTokenError) return error;
      throw error;
    }
  }

  /** Decides and applies one event in one transaction, under the setting in force as the transaction reads it. */
  private run(ref: string, input: EventInput, decide: (setting: SettingId) => Decision): EventResult {
    return this.store.transaction(() => {
      const setting = this.settingId;
      const decision = decide(setting);
      const user = this.store.apply(ref, input, setting, decision);
      const result: EventResult = { ref, outcome: decision.outcome, rule: decision.rule, user, flags: decision.flags };
      return decision.rejection ? { ...result, error: decision.rejection } : result;
    });
  }
}

function invalidToken(ref: string, error: InvalidTokenError): EventResult {
  return { ref, outcome: 'rejected', rule: 'AUTH-INVALID-TOKEN', user: null, flags: [], error: { code: 'invalid-token', message: error.message } };
}

/** What the event log keeps of a verified token: its claims, never the token. */
function claimsInput(claims: VerifiedClaims): ClaimsInput {
  const input: { -readonly [K in keyof ClaimsInput]: ClaimsInput[K] } = { externalId: claims.externalId, emailVerified: claims.emailVerified };
  if (claims.name !== undefined) input.name = claims.name;
  if (claims.email !== undefined) input.email = claims.email.raw;
  return input;
}
