/**
 * Single faults planted in a copy of the engine, one at a time, to show that the properties catch
 * each (`npm run mutation`). Each is a textual replacement in one src file; the search text must occur
 * exactly once, else the check fails loudly (a fault that is not planted cannot be caught).
 */
export interface Fault {
  readonly id: string;
  /** What the fault does, in the words of `flows.md`. */
  readonly description: string;
  readonly file: string;
  readonly search: string;
  readonly replace: string;
}

export const FAULTS: readonly Fault[] = [
  {
    id: 'visitor-claims-verified-in-vau',
    description: 'under verified-and-unverified a visitor typing an address held verified joins its holder (VISIT-VERIFIED-HELD lands on the holder)',
    file: 'src/policy/table.ts',
    search: "'held-verified': { rule: 'VISIT-VERIFIED-HELD', lands: 'new-user',",
    replace: "'held-verified': { rule: 'VISIT-VERIFIED-HELD', lands: 'holder',",
  },
  {
    id: 'rejected-token-writes-user',
    description: 'a signed-in event whose token is rejected (AUTH-INVALID-TOKEN) still writes a user',
    file: 'src/engine.ts',
    search: "    if (!('claims' in verdict)) return invalidToken(ref, verdict);\n    return this.applyInput(ref, { type: 'signed-in',",
    replace:
      "    if (!('claims' in verdict)) {\n      this.store.transaction(() => this.store.insertUser({ ref: `rejected:${ref}` }));\n      return invalidToken(ref, verdict);\n    }\n    return this.applyInput(ref, { type: 'signed-in',",
  },
  {
    id: 'supersede-keeps-unverified-copy',
    description: 'a vouched address held unverified by another user is not superseded: the copy stays there and the signed-in user does not get it (AUTH-NEW-SUPERSEDE, AUTH-LINK-TAKE-UNVERIFIED)',
    file: 'src/policy/auth.ts',
    search: "        { op: 'remove-identity', identity: (holder as IdentityFacts).id },\n        { op: 'add-identity', user, address: email.address, verified: true },\n",
    replace: '',
  },
  {
    id: 'login-move-merges-joined-user',
    description: 'LOGIN-MOVE merges the user the conversation had joined into the signed-in user instead of moving only the conversation',
    file: 'src/policy/login.ts',
    search: "      if (user !== current.id) effects.push({ op: 'move-conversation', conversation: conversation.id, user });",
    replace:
      "      if (typeof user === 'number' && user !== current.id) effects.push({ op: 'merge-user', from: current.id, into: user });\n      else if (user !== current.id) effects.push({ op: 'move-conversation', conversation: conversation.id, user });",
  },
  {
    id: 'merge-flips-verified',
    description: 'a merge (ADMIN-MERGE, LOGIN-MERGE) flips the verified flag of every identity it moves',
    file: 'src/store/schema.ts',
    search: '  UPDATE email_identities SET user_id = NEW.merged_into WHERE user_id = NEW.id;',
    replace: '  UPDATE email_identities SET user_id = NEW.merged_into, verified = 1 - verified WHERE user_id = NEW.id;',
  },
  {
    id: 'merge-verifies-moved-identities',
    description: 'a merge marks every identity it moves verified (the half of a flip that the store\'s triggers do not refuse)',
    file: 'src/store/schema.ts',
    search: '  UPDATE email_identities SET user_id = NEW.merged_into WHERE user_id = NEW.id;',
    replace: '  UPDATE email_identities SET user_id = NEW.merged_into, verified = 1 WHERE user_id = NEW.id;',
  },
  {
    id: 'external-id-case-insensitive',
    description: 'external ids are compared case-insensitively (U-1 finds the customer u-1)',
    file: 'src/store/store.ts',
    search: "FROM users WHERE external_id = ?'),",
    replace: "FROM users WHERE external_id = ? COLLATE NOCASE'),",
  },
  {
    id: 'unvouched-email-verifies',
    description: 'a JWT whose email_verified is false or absent is treated as vouching for the address (P4 broken)',
    file: 'src/policy/auth.ts',
    search: '  if (email === undefined || !claims.emailVerified) {',
    replace: '  if (email === undefined) {',
  },
  {
    id: 'auth-depends-on-setting',
    description: 'under verified-only a JWT with email_verified true is read as an unvouched claim (the signed-in flow depends on the setting)',
    file: 'src/policy/auth.ts',
    search: '  if (email === undefined || !claims.emailVerified) {',
    replace: "  if (email === undefined || !claims.emailVerified || setting === 'verified-only') {",
  },
  {
    id: 'claim-verified-refuses-unverified-holder',
    description: 'under claim-verified a visitor typing an address held unverified gets a new user instead of joining the holder',
    file: 'src/policy/table.ts',
    search: "    'held-unverified': JOIN_UNVERIFIED,\n    'held-verified': { rule: 'VISIT-CLAIM-VERIFIED'",
    replace: "    'held-unverified': { rule: 'VISIT-VERIFIED-HELD', lands: 'new-user', storesAddress: false, flags: [] },\n    'held-verified': { rule: 'VISIT-CLAIM-VERIFIED'",
  },
  {
    id: 'rejection-logged',
    description: 'a rejected decision (conflict, refused merge, invalid settings) is written to the event log: the users are unchanged, the database is not',
    file: 'src/store/store.ts',
    search: '    if (decision.rejection !== undefined) return null;\n',
    replace: '',
  },
  {
    id: 'login-move-forgets-conversation',
    description: 'LOGIN-MOVE names the signed-in user but leaves the conversation where it was',
    file: 'src/policy/login.ts',
    search: "      if (user !== current.id) effects.push({ op: 'move-conversation', conversation: conversation.id, user });\n",
    replace: '',
  },
];
