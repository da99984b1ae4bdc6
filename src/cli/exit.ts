/**
 * Exit statuses: 0 done (a rejected event is a result, not an error), 1 a check found a failure (an
 * invariant, the coverage gate), 2 bad input or usage, 70 an internal error (EX_SOFTWARE).
 */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 70;

/** A command's own exit status, other than success (e.g. a gate that failed). */
export class ExitStatus extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

/** Bad input found by the CLI itself (an option out of range), reported in one line like a malformed scenario. */
export class BadInput extends Error {}

/** A command given the wrong combination of arguments: reported like commander's usage errors, in one line with a pointer to --help. */
export class UsageError extends BadInput {}
