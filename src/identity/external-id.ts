/**
 * External ids (`inputs.md`): a non-empty string of at most 255 UTF-16 code units, compared exactly,
 * code unit by code unit (no trimming, case folding or Unicode normalisation).
 */
export const MAX_EXTERNAL_ID_LENGTH = 255;

export function isValidExternalId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_EXTERNAL_ID_LENGTH;
}
