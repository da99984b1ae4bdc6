import { defineParameterType } from '@cucumber/cucumber';
import { badTokenPattern } from './bad-tokens';

/**
 * The parameter types of the step vocabulary. A person is a capitalised first name (Olga, Kim) or
 * "the visitor" (someone who gave no name).
 */
defineParameterType({
  name: 'person',
  regexp: [/the visitor/, /[A-Z][a-z]+/],
  transformer: (name: string) => name,
});

defineParameterType({
  name: 'verification',
  regexp: /verified|unverified/,
  transformer: (word: string) => word === 'verified',
});

/** "the conversation" is the scenario's latest one; "Kim's conversation" the latest Kim took part in. */
export interface ConversationRef {
  readonly owner: string | null;
}

defineParameterType({
  name: 'conversation',
  regexp: [/the conversation/, /(the visitor|[A-Z][a-z]+)'s conversation/],
  transformer: (owner?: string): ConversationRef => ({ owner: owner ?? null }),
});

/** One phrase of the bad-token catalog (steps/support/bad-tokens.ts); any other phrase is an undefined step. */
defineParameterType({
  name: 'badToken',
  regexp: badTokenPattern(),
  transformer: (phrase: string) => phrase,
});

/** Why an import line is refused, in words; the value is the refusal code of src/admin/import.ts. */
export const IMPORT_REFUSALS: Readonly<Record<string, string>> = {
  'the address belongs to another user': 'email-held-elsewhere',
  'the address is not usable': 'email-invalid',
  'the address is listed twice': 'email-repeated',
  'its addresses belong to different users': 'emails-of-several-users',
  'its addresses belong to a customer with another external id': 'external-id-mismatch',
};

defineParameterType({
  name: 'importRefusal',
  regexp: new RegExp(Object.keys(IMPORT_REFUSALS).join('|')),
  transformer: (phrase: string) => IMPORT_REFUSALS[phrase] as string,
});
