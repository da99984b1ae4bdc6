import { defineParameterType } from '@cucumber/cucumber';
import { badTokenPattern } from './bad-tokens';
import { IMPORT_REFUSALS } from './phrases';

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

defineParameterType({
  name: 'importRefusal',
  regexp: new RegExp(Object.keys(IMPORT_REFUSALS).join('|')),
  transformer: (phrase: string) => IMPORT_REFUSALS[phrase] as string,
});
