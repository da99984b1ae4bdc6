/**
 * Phrase tables of the step vocabulary that are plain data (no cucumber calls), so that scripts can
 * read them: scripts/coverage-steps.ts checks that every phrase is used by some feature step.
 */

/** Why an import line is refused, in words; the value is the refusal code of src/admin/import.ts. */
export const IMPORT_REFUSALS: Readonly<Record<string, string>> = {
  'the address belongs to another user': 'email-held-elsewhere',
  'the address is not usable': 'email-invalid',
  'the address is listed twice': 'email-repeated',
  'its addresses belong to different users': 'emails-of-several-users',
  'its addresses belong to a customer with another external id': 'external-id-mismatch',
};
