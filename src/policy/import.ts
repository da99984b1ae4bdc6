import { describeAddressProblem, parseAddress } from '../identity/email';
import { isValidExternalId, MAX_EXTERNAL_ID_LENGTH } from '../identity/external-id';
import type { Decision, Effect, IdentityFacts, StoreReader, UserFacts } from '../domain';
import { quote } from '../quote';

/** One user of an import file, as read; `line` is where it starts in the file. */
export interface ImportRow {
  readonly line: number;
  readonly externalId: string | null;
  readonly name: string | null;
  readonly emails: readonly { readonly address: string; readonly verified: boolean }[];
}

export type ImportRefusal =
  | 'row-malformed'
  | 'external-id-invalid'
  | 'email-invalid'
  | 'email-repeated'
  | 'email-held-elsewhere'
  | 'emails-of-several-users'
  | 'external-id-mismatch';

export type ImportDecision =
  | { readonly accepted: true; readonly outcome: 'created' | 'updated' | 'unchanged'; readonly decision: Decision }
  | { readonly accepted: false; readonly reason: ImportRefusal; readonly message: string };

/**
 * ADMIN-IMPORT, one row (INF where `flows.md` is silent, see docs/rules.md): the row's user is found
 * by external id, else by the addresses it lists, else created. It is completed, never stripped: a
 * missing external id or address is added, an address the row marks verified becomes verified (an
 * import is a source of verification, INV-VERIFIED-BY-JWT), a verified one never becomes unverified,
 * and a given name replaces the old one. A row that would give an address or an external id a second
 * owner is refused whole.
 */
export function decideImportRow(reader: StoreReader, row: ImportRow): ImportDecision {
  const refuse = (reason: ImportRefusal, message: string): ImportDecision => ({ accepted: false, reason, message });

  if (row.externalId !== null && !isValidExternalId(row.externalId)) {
    return refuse('external-id-invalid', `external id must have 1 to ${MAX_EXTERNAL_ID_LENGTH} characters`);
  }
  const parsed: { address: string; normalised: string; verified: boolean; holder: IdentityFacts | undefined }[] = [];
  const seen = new Set<string>();
  for (const email of row.emails) {
    const address = parseAddress(email.address);
    if (!address.usable) return refuse('email-invalid', `${quote(email.address, 64)} ${describeAddressProblem(address.problem)}`);
    if (seen.has(address.normalised)) return refuse('email-repeated', `${quote(email.address, 64)} is listed twice`);
    seen.add(address.normalised);
    parsed.push({ ...address, verified: email.verified, holder: reader.identityByNormalised(address.normalised) });
  }

  const byExternalId = row.externalId === null ? undefined : reader.userByExternalId(row.externalId);
  const holders = [...new Set(parsed.flatMap((entry) => (entry.holder ? [entry.holder.userId] : [])))];
  let target: UserFacts | undefined = byExternalId;
  if (target === undefined && holders.length > 1) {
    return refuse('emails-of-several-users', 'the addresses of this row belong to different users');
  }
  if (target === undefined && holders.length === 1) {
    target = reader.userById(holders[0] as number);
    if (target !== undefined && target.externalId !== null && row.externalId !== null) {
      return refuse('external-id-mismatch', `the addresses belong to a user with external id ${quote(target.externalId, 64)}`);
    }
  }
  for (const entry of parsed) {
    if (entry.holder !== undefined && entry.holder.userId !== target?.id) {
      const owner = reader.userById(entry.holder.userId);
      return refuse('email-held-elsewhere', `${quote(entry.address, 64)} is held by user ${quote(owner?.ref ?? '?', 64)}`);
    }
  }

  if (target === undefined) {
    const effects: Effect[] = [{ op: 'create-user', externalId: row.externalId, name: row.name }];
    for (const entry of parsed) effects.push({ op: 'add-identity', user: 'new', address: entry.address, verified: entry.verified });
    return { accepted: true, outcome: 'created', decision: decision('created', 'new', effects) };
  }

  const user = target.id;
  const effects: Effect[] = [];
  if (target.externalId === null && row.externalId !== null) effects.push({ op: 'set-external-id', user, externalId: row.externalId });
  if (row.name !== null && row.name !== target.name) effects.push({ op: 'set-name', user, name: row.name });
  for (const entry of parsed) {
    if (entry.holder === undefined) effects.push({ op: 'add-identity', user, address: entry.address, verified: entry.verified });
    else if (entry.verified && !entry.holder.verified) effects.push({ op: 'verify-identity', identity: entry.holder.id });
  }
  return { accepted: true, outcome: effects.length > 0 ? 'updated' : 'unchanged', decision: decision('joined', user, effects) };
}

function decision(outcome: 'created' | 'joined', user: number | 'new', effects: Effect[]): Decision {
  return { rule: 'ADMIN-IMPORT', outcome, flags: [], user, effects };
}
