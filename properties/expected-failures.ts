/**
 * Properties that are known to fail because of a reported, not yet fixed engine bug (like the OpenID
 * conformance suite's expected-failures file). A listed property still runs: its failure is reported as
 * pending with the reason below, and if it passes the suite fails, so that the entry is removed as soon
 * as the bug is fixed. Never weaken a property instead of listing it here.
 *
 * Each entry: property ID → the bug report (what, counterexample file, spec sentence).
 */
export const EXPECTED_FAILURES: Readonly<Record<string, string>> = {};
