import type { EventResult, Flag, Outcome, ResultConversation, ResultUser, ScenarioEvent, ScenarioUser } from '../../src/replay/types';
import { keyOf, readAddress, trimmed } from './address';
import type { ModelClaims } from './claims';

/**
 * A small, independent model of the rules of `flows.md`, written for the tests from the spec text: plain
 * maps of users, identities and conversations, one method per kind of event. It shares no code with the
 * engine's policy or its decision tables (only the result document's types), so that the engine and the
 * model can only agree by both following the spec.
 */

export type ModelSetting = 'verified-only' | 'verified-and-unverified' | 'claim-verified';

/**
 * The reading of the disputed rules (`flows.md`, "Other readings of the DISPUTED rules"), written here
 * from that section: `seed` lets a new customer take a verified address from its holder; `doc` merges the
 * user a visitor's conversation was on into whoever signs in.
 */
export type ModelProfile = 'reference' | 'seed' | 'doc';

export interface SettingsPair {
  readonly emailIdentities: 'verified-only' | 'verified-and-unverified';
  readonly unauthenticatedCanClaimVerified: boolean;
}

export function modelSettingOf(settings: SettingsPair): ModelSetting | null {
  if (settings.emailIdentities === 'verified-only') return settings.unauthenticatedCanClaimVerified ? null : 'verified-only';
  return settings.unauthenticatedCanClaimVerified ? 'claim-verified' : 'verified-and-unverified';
}

interface Identity {
  spelling: string;
  verified: boolean;
}

interface User {
  readonly ref: string;
  name: string | null;
  externalId: string | null;
  /** By key (normalised address). */
  identities: Map<string, Identity>;
  mergedInto: string | null;
}

interface Conversation {
  readonly ref: string;
  /** The position of the opening event, which orders a user's conversations. */
  readonly position: number;
  user: string;
  authenticated: boolean;
  readonly typedEmail: string | null;
}

/** What the model says an event gives: the result document's facts, without the error message. */
export interface ModelResult {
  readonly ref: string;
  readonly outcome: Outcome;
  readonly rule: EventResult['rule'];
  readonly user: string | null;
  readonly flags: readonly Flag[];
  readonly code: NonNullable<EventResult['error']>['code'] | null;
}

/** Step 1 of a login, and the whole of a signed-in event: the JWT read against the store as it stands. */
type Resolution =
  | { readonly kind: 'reject'; readonly rule: EventResult['rule'] }
  | {
      readonly kind: 'existing' | 'create';
      readonly rule: EventResult['rule'];
      /** The existing user it resolves (kind existing). */
      readonly target: string | null;
      readonly flags: readonly Flag[];
      /** Every write but the conversation's; `self` is the resolved or created user. */
      readonly apply: (model: Model, self: string) => void;
      /** The seed reading's new customer, who takes a verified address from its holder. */
      readonly seizes?: boolean;
    };

export class Model {
  setting: ModelSetting;
  readonly profile: ModelProfile;
  private users = new Map<string, User>();
  private conversations = new Map<string, Conversation>();
  private position = 0;

  private constructor(setting: ModelSetting, profile: ModelProfile) {
    this.setting = setting;
    this.profile = profile;
  }

  static start(settings: SettingsPair, users: readonly ScenarioUser[], profile: ModelProfile = 'reference'): Model {
    const setting = modelSettingOf(settings);
    if (setting === null) throw new Error('the model starts from a valid setting');
    const model = new Model(setting, profile);
    for (const user of users) {
      const identities = new Map<string, Identity>();
      // replay.md: an address is listed as it was created, without its surrounding spaces.
      for (const email of user.emails ?? []) identities.set(keyOf(email.address), { spelling: trimmed(email.address), verified: email.verified });
      model.users.set(user.ref, { ref: user.ref, name: user.name ?? null, externalId: user.externalId ?? null, identities, mergedInto: null });
    }
    return model;
  }

  clone(): Model {
    const copy = new Model(this.setting, this.profile);
    for (const [ref, user] of this.users) {
      copy.users.set(ref, { ...user, identities: new Map([...user.identities].map(([key, identity]) => [key, { ...identity }])) });
    }
    for (const [ref, conversation] of this.conversations) copy.conversations.set(ref, { ...conversation });
    copy.position = this.position;
    return copy;
  }

  // --- reading ------------------------------------------------------------------------------------

  /** Who holds the address with this key, if anyone. */
  private holder(key: string): { user: User; identity: Identity } | undefined {
    for (const user of this.users.values()) {
      const identity = user.identities.get(key);
      if (identity !== undefined) return { user, identity };
    }
    return undefined;
  }

  private withExternalId(externalId: string): User | undefined {
    for (const user of this.users.values()) if (user.externalId === externalId) return user;
    return undefined;
  }

  private user(ref: string): User {
    const user = this.users.get(ref);
    if (user === undefined) throw new Error(`model: no user ${ref}`);
    return user;
  }

  hasConversation(ref: string): boolean {
    return this.conversations.has(ref);
  }

  /** The store as the result document shows it (`replay.md`). */
  image(): { users: ResultUser[]; conversations: ResultConversation[] } {
    const conversations = [...this.conversations.values()].sort((a, b) => a.position - b.position);
    const users = [...this.users.values()].map((user): ResultUser => {
      if (user.mergedInto !== null) {
        return { ref: user.ref, externalId: null, name: user.name, emails: [], conversations: [], mergedInto: user.mergedInto };
      }
      const keys = [...user.identities.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return {
        ref: user.ref,
        externalId: user.externalId,
        name: user.name,
        emails: keys.map((key) => {
          const identity = user.identities.get(key) as Identity;
          return { address: identity.spelling, verified: identity.verified };
        }),
        conversations: conversations.filter((conversation) => conversation.user === user.ref).map((conversation) => conversation.ref),
      };
    });
    return {
      users,
      conversations: conversations.map((c) => ({ ref: c.ref, user: c.user, authenticated: c.authenticated, typedEmail: c.typedEmail })),
    };
  }

  // --- writing ------------------------------------------------------------------------------------

  private createUser(ref: string, name: string | null, externalId: string | null): User {
    const user: User = { ref, name, externalId, identities: new Map(), mergedInto: null };
    this.users.set(ref, user);
    return user;
  }

  private open(ref: string, user: string, authenticated: boolean, typedEmail: string | null): void {
    this.conversations.set(ref, { ref, position: this.position, user, authenticated, typedEmail });
  }

  private static result(ref: string, outcome: Outcome, rule: EventResult['rule'], user: string | null, flags: readonly Flag[] = []): ModelResult {
    return { ref, outcome, rule, user, flags: [...flags].sort(), code: null };
  }

  private static rejection(ref: string, rule: EventResult['rule'], code: ModelResult['code']): ModelResult {
    return { ref, outcome: 'rejected', rule, user: null, flags: [], code };
  }

  // --- events -------------------------------------------------------------------------------------

  /** A visitor's new conversation (`flows.md`, visitor flows). Never rejected. */
  visitor(ref: string, name: string | null | undefined, email: string | null | undefined): ModelResult {
    this.position++;
    const typed = email ?? null;
    const create = (rule: EventResult['rule'], flags: readonly Flag[], identity?: { spelling: string; key: string }) => {
      const user = this.createUser(`new:${ref}`, name ?? null, null);
      if (identity) user.identities.set(identity.key, { spelling: identity.spelling, verified: false });
      this.open(ref, user.ref, false, typed);
      return Model.result(ref, 'created', rule, user.ref, flags);
    };
    if (typed === null) return create('VISIT-NO-EMAIL', []);
    const address = readAddress(typed);
    if (!address.usable) return create('VISIT-BAD-EMAIL', ['invalid-email']);
    if (this.setting === 'verified-only') return create('VISIT-STRICT', []);
    const held = this.holder(address.key);
    if (held === undefined) return create('VISIT-NEW-UNVERIFIED', [], address);
    if (!held.identity.verified) {
      this.open(ref, held.user.ref, false, typed);
      return Model.result(ref, 'joined', 'VISIT-JOIN-UNVERIFIED', held.user.ref);
    }
    if (this.setting === 'verified-and-unverified') return create('VISIT-VERIFIED-HELD', []);
    this.open(ref, held.user.ref, false, typed);
    return Model.result(ref, 'joined', 'VISIT-CLAIM-VERIFIED', held.user.ref, ['risk-anonymous-claim']);
  }

  /** A new signed-in conversation. */
  signedIn(ref: string, claims: ModelClaims): ModelResult {
    this.position++;
    if (!claims.valid) return Model.rejection(ref, 'AUTH-INVALID-TOKEN', 'invalid-token');
    const resolution = this.resolve(claims);
    if (resolution.kind === 'reject') return Model.rejection(ref, resolution.rule, 'conflict');
    const self = resolution.kind === 'create' ? this.createUser(`new:${ref}`, claims.name ?? null, claims.externalId).ref : (resolution.target as string);
    resolution.apply(this, self);
    this.open(ref, self, true, null);
    return Model.result(ref, resolution.kind === 'create' ? 'created' : 'joined', resolution.rule, self, resolution.flags);
  }

  /** The visitor of conversation `conversationRef` signs in: the two-step decision of `flows.md`. */
  login(ref: string, conversationRef: string, claims: ModelClaims): ModelResult {
    this.position++;
    if (!claims.valid) return Model.rejection(ref, 'AUTH-INVALID-TOKEN', 'invalid-token');
    const step1 = this.resolve(claims);
    if (step1.kind === 'reject') return Model.rejection(ref, step1.rule, 'conflict');
    const conversation = this.conversations.get(conversationRef);
    if (conversation === undefined) throw new Error(`model: no conversation ${conversationRef}`);
    const current = this.user(conversation.user);
    const createdForIt = current.ref === `new:${conversationRef}` && current.mergedInto === null && current.externalId === null;

    if (createdForIt && (step1.kind === 'create' || step1.target === current.ref)) {
      // LOGIN-UPGRADE: the visitor's own user becomes the signed-in customer.
      current.externalId = claims.externalId;
      if (claims.name !== undefined) current.name = claims.name;
      const flags = step1.seizes ? this.seizeUnlessHeld(current, claims) : this.emailStep(current, claims);
      conversation.authenticated = true;
      return Model.result(ref, 'upgraded', 'LOGIN-UPGRADE', current.ref, flags);
    }
    if (createdForIt) {
      // LOGIN-MERGE into the user step 1 resolves (which takes the external id when step 1 adopted it).
      const into = this.user(step1.target as string);
      if (into.externalId === null) into.externalId = claims.externalId;
      this.mergeUsers(current, into);
      const flags = this.emailStep(into, claims);
      conversation.authenticated = true;
      return Model.result(ref, 'merged', 'LOGIN-MERGE', into.ref, flags);
    }
    // LOGIN-MOVE: step 1 with all its effects; only this conversation moves.
    const heldByCurrent = claims.email !== undefined && this.holder(claims.email.key)?.user === current;
    const self = step1.kind === 'create' ? this.createUser(`new:${ref}`, claims.name ?? null, claims.externalId).ref : (step1.target as string);
    step1.apply(this, self);
    if (this.profile === 'doc' && self !== current.ref && current.externalId === null) {
      // The help center's reading: the current user is merged into the signed-in one, as an agent's merge
      // would (which refuses when both have an external id; the signed-in one has the JWT's).
      this.mergeUsers(current, this.user(self));
      conversation.authenticated = true;
      const flags = heldByCurrent ? step1.flags.filter((flag) => flag !== 'email-conflict') : step1.flags;
      return Model.result(ref, 'merged', 'LOGIN-MOVE', self, flags);
    }
    conversation.user = self;
    conversation.authenticated = true;
    return Model.result(ref, step1.kind === 'create' ? 'created' : 'joined', 'LOGIN-MOVE', self, step1.flags);
  }

  /** ADMIN-MERGE. */
  merge(ref: string, fromRef: string, intoRef: string): ModelResult {
    this.position++;
    const from = this.users.get(fromRef);
    const into = this.users.get(intoRef);
    const refused =
      from === undefined ||
      into === undefined ||
      from.mergedInto !== null ||
      into.mergedInto !== null ||
      from === into ||
      (from.externalId !== null && into.externalId !== null);
    if (refused) return Model.rejection(ref, 'ADMIN-MERGE', 'merge-refused');
    const externalId = from.externalId;
    this.mergeUsers(from, into);
    if (externalId !== null) into.externalId = externalId;
    return Model.result(ref, 'merged', 'ADMIN-MERGE', into.ref);
  }

  /** ADMIN-SWITCH. */
  settings(ref: string, settings: SettingsPair): ModelResult {
    this.position++;
    const setting = modelSettingOf(settings);
    if (setting === null) return Model.rejection(ref, 'ADMIN-SWITCH', 'invalid-settings');
    this.setting = setting;
    return Model.result(ref, 'applied', 'ADMIN-SWITCH', null);
  }

  /** Any event of a scenario; `claimsOf` reads a signed-in or login event's token. */
  apply(event: ScenarioEvent, claimsOf: (event: ScenarioEvent) => ModelClaims): ModelResult {
    switch (event.type) {
      case 'visitor':
        return this.visitor(event.ref, event.name, event.email);
      case 'signed-in':
        return this.signedIn(event.ref, claimsOf(event));
      case 'login':
        return this.login(event.ref, event.conversation, claimsOf(event));
      case 'merge':
        return this.merge(event.ref, event.from, event.into);
      case 'settings':
        return this.settings(event.ref, event);
    }
  }

  // --- the rules ----------------------------------------------------------------------------------

  /** Conversations and identities (flags unchanged) move; the merged user keeps its name only. */
  private mergeUsers(from: User, into: User): void {
    for (const conversation of this.conversations.values()) if (conversation.user === from.ref) conversation.user = into.ref;
    for (const [key, identity] of from.identities) into.identities.set(key, identity);
    from.identities = new Map();
    from.externalId = null;
    from.mergedInto = into.ref;
  }

  /** A valid JWT as a new signed-in conversation (`flows.md`, "Which rule decides a signed-in event"). */
  private resolve(claims: Extract<ModelClaims, { valid: true }>): Resolution {
    const known = this.withExternalId(claims.externalId);
    const email = claims.email;
    const kind = known ? 'existing' : 'create';
    const target = known ? known.ref : null;

    if (email === undefined) return { kind, rule: 'AUTH-NO-EMAIL', target, flags: [], apply: () => {} };
    if (!claims.vouched) {
      return {
        kind,
        rule: 'AUTH-UNVERIFIED-CLAIM',
        target,
        flags: [],
        apply: (model, self) => model.keepUnvouched(model.user(self), email),
      };
    }
    const held = this.holder(email.key);
    if (known) {
      const cell = this.linkCell(known, email.key);
      return { kind, rule: cell.rule, target, flags: cell.flags, apply: (model, self) => model.vouch(model.user(self), email) };
    }
    if (held === undefined) {
      return { kind, rule: 'AUTH-NEW', target, flags: [], apply: (model, self) => model.vouch(model.user(self), email) };
    }
    if (!held.identity.verified) {
      return { kind, rule: 'AUTH-NEW-SUPERSEDE', target, flags: [], apply: (model, self) => model.vouch(model.user(self), email) };
    }
    if (this.profile === 'seed') {
      // The seed article: a new user with the address; its holder, whoever it is, loses it.
      return {
        kind: 'create',
        rule: held.user.externalId === null ? 'AUTH-ADOPT' : 'AUTH-CONFLICT',
        target: null,
        flags: [],
        seizes: true,
        apply: (model, self) => model.seize(model.user(self), email),
      };
    }
    if (held.user.externalId === null) {
      const adopted = held.user.ref;
      return {
        kind: 'existing',
        rule: 'AUTH-ADOPT',
        target: adopted,
        flags: [],
        apply: (model) => {
          model.user(adopted).externalId = claims.externalId;
        },
      };
    }
    return { kind: 'reject', rule: 'AUTH-CONFLICT' };
  }

  /** Which AUTH-LINK rule a vouched address gives for `user`, by where the address is. */
  private linkCell(user: User, key: string): { rule: EventResult['rule']; flags: readonly Flag[] } {
    const held = this.holder(key);
    if (held === undefined) return { rule: user.identities.size > 0 ? 'AUTH-LINK-ADD-SECONDARY' : 'AUTH-LINK-ADD-EMAIL', flags: [] };
    if (held.user === user) return { rule: held.identity.verified ? 'AUTH-LINK' : 'AUTH-LINK-PROMOTE', flags: [] };
    return held.identity.verified ? { rule: 'AUTH-LINK-EMAIL-TAKEN', flags: ['email-conflict'] } : { rule: 'AUTH-LINK-TAKE-UNVERIFIED', flags: [] };
  }

  /**
   * A vouched address for `user`: promote its own copy (spelling kept), take another user's unverified
   * copy (P2), add it, or leave it where another user holds it verified (P3).
   */
  private vouch(user: User, email: { spelling: string; key: string }): Flag[] {
    const held = this.holder(email.key);
    if (held === undefined) {
      user.identities.set(email.key, { spelling: email.spelling, verified: true });
      return [];
    }
    if (held.user === user) {
      held.identity.verified = true;
      return [];
    }
    if (held.identity.verified) return ['email-conflict'];
    held.user.identities.delete(email.key);
    user.identities.set(email.key, { spelling: email.spelling, verified: true });
    return [];
  }

  /** The seed reading: whoever holds the address loses it; `user` gets it verified, spelled as in the JWT. */
  private seize(user: User, email: { spelling: string; key: string }): void {
    this.holder(email.key)?.user.identities.delete(email.key);
    user.identities.set(email.key, { spelling: email.spelling, verified: true });
  }

  /** The seed reading's LOGIN-UPGRADE email step: an address the user holds stays as it is; else it is seized. */
  private seizeUnlessHeld(user: User, claims: Extract<ModelClaims, { valid: true }>): Flag[] {
    const email = claims.email as { spelling: string; key: string };
    if (this.holder(email.key)?.user === user) return this.vouch(user, email);
    this.seize(user, email);
    return [];
  }

  /** An address the JWT does not vouch for: kept unverified outside verified-only, only if nobody holds it. */
  private keepUnvouched(user: User, email: { spelling: string; key: string }): void {
    if (this.setting === 'verified-only' || this.holder(email.key) !== undefined) return;
    user.identities.set(email.key, { spelling: email.spelling, verified: false });
  }

  /** The email step after LOGIN-UPGRADE / LOGIN-MERGE, on the resulting user; returns its flags. */
  private emailStep(user: User, claims: Extract<ModelClaims, { valid: true }>): Flag[] {
    if (claims.email === undefined) return [];
    if (!claims.vouched) {
      this.keepUnvouched(user, claims.email);
      return [];
    }
    return this.vouch(user, claims.email);
  }
}
