import { parseAddress } from '../identity/email';
import type { Decision, Effect, IdentityFacts, SettingId, StoreReader } from '../domain';
import { VISITOR_TABLE, type VisitorSituation } from './table';

export interface VisitorInput {
  readonly name?: string | null;
  /** What the visitor typed, exactly as given; absent or null when nothing was typed. */
  readonly email?: string | null;
}

/** A visitor's new conversation (`flows.md`, "Which rule decides a visitor event"). Never rejected (P6). */
export function decideVisitor(reader: StoreReader, setting: SettingId, visitor: VisitorInput): Decision {
  const typed = visitor.email ?? null;
  let situation: VisitorSituation = 'no-email';
  let holder: IdentityFacts | undefined;
  let address: string | null = null;
  if (typed !== null) {
    const parsed = parseAddress(typed);
    if (!parsed.usable) {
      situation = 'unusable-email';
    } else {
      address = parsed.address;
      holder = reader.identityByNormalised(parsed.normalised);
      situation = holder === undefined ? 'nobody-holds' : holder.verified ? 'held-verified' : 'held-unverified';
    }
  }

  const cell = VISITOR_TABLE[setting][situation];
  if (cell.lands === 'holder') {
    const user = (holder as IdentityFacts).userId;
    return {
      rule: cell.rule,
      outcome: 'joined',
      flags: cell.flags,
      user,
      effects: [{ op: 'open-conversation', user, authenticated: false, typedEmail: typed }],
    };
  }
  const effects: Effect[] = [{ op: 'create-user', externalId: null, name: visitor.name ?? null }];
  if (cell.storesAddress) effects.push({ op: 'add-identity', user: 'new', address: address as string, verified: false });
  effects.push({ op: 'open-conversation', user: 'new', authenticated: false, typedEmail: typed });
  return { rule: cell.rule, outcome: 'created', flags: cell.flags, user: 'new', effects };
}
