import { readFileSync } from 'node:fs';
import { isRuleId } from '../domain';
import { InvalidArgumentError } from '../errors';
import type { Verdict } from './expectation';

/**
 * The ratchet: an expected-failures file per target (as the OpenID conformance suite keeps one), listing
 * the cases that target is known to fail, each by its vector id or by its rule ID, each with a reason.
 * The gate passes while exactly those fail; a new failure fails it, and so does a listed case that now
 * passes (a vector id that passes, or a rule none of whose cases fails), so the list only shrinks.
 *
 *   { "target": "who this file is for",
 *     "expectedFailures": [ { "vector": "<id>", "reason": "…" }, { "rule": "AUTH-ADOPT", "reason": "…" } ] }
 */
export interface ExpectedFailureEntry {
  readonly scope: 'vector' | 'rule';
  /** The vector id or the rule ID. */
  readonly entry: string;
  readonly reason: string;
}

export class ExpectedFailures {
  private readonly byVector = new Map<string, ExpectedFailureEntry>();
  private readonly byRule = new Map<string, ExpectedFailureEntry>();

  constructor(
    /** The file, as the reports name it. */
    readonly file: string,
    readonly target: string | null,
    readonly entries: readonly ExpectedFailureEntry[],
  ) {
    for (const entry of entries) (entry.scope === 'vector' ? this.byVector : this.byRule).set(entry.entry, entry);
  }

  /** The entry listing this case: its vector id first, then its rule. */
  lookup(id: string, rule: string): ExpectedFailureEntry | undefined {
    return this.byVector.get(id) ?? this.byRule.get(rule);
  }

  /**
   * Rule entries that no longer fail: some case of the rule was run and none failed. (A listed vector
   * that passes fails as its own case: expectation.ts judges it.)
   */
  stale(cases: readonly { readonly id: string; readonly rule: string; readonly verdict: Verdict }[]): ExpectedFailureEntry[] {
    return this.entries.filter((entry) => {
      if (entry.scope !== 'rule') return false;
      const judged = cases.filter((c) => c.rule === entry.entry && !this.byVector.has(c.id) && c.verdict !== 'not supported');
      return judged.length > 0 && !judged.some((c) => c.verdict === 'expected failure');
    });
  }
}

/** Reads and checks an expected-failures file; a file that does not follow the format is bad input (exit 2). */
export function readExpectedFailures(path: string, label: string = path): ExpectedFailures {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(`${label}: ${code ? `cannot read it (${code})` : `not JSON: ${(error as Error).message}`}`);
  }
  return parseExpectedFailures(doc, label);
}

export function parseExpectedFailures(doc: unknown, label: string): ExpectedFailures {
  const fail = (where: string, what: string): never => {
    throw new InvalidArgumentError(`${label}: ${where}: ${what}`);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('$', 'expected an object with "expectedFailures"');
  const record = doc as Record<string, unknown>;
  for (const member of Object.keys(record)) {
    if (!['$schema', 'target', 'expectedFailures'].includes(member)) fail(member, 'is not a member of an expected-failures file');
  }
  if (record.target !== undefined && typeof record.target !== 'string') fail('target', 'expected string');
  if (!Array.isArray(record.expectedFailures)) return fail('expectedFailures', record.expectedFailures === undefined ? 'is required' : 'expected array');
  const seen = new Set<string>();
  const entries = (record.expectedFailures as unknown[]).map((raw, index): ExpectedFailureEntry => {
    const where = `expectedFailures[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(where, 'expected an object');
    const entry = raw as Record<string, unknown>;
    for (const member of Object.keys(entry)) if (!['vector', 'rule', 'reason'].includes(member)) fail(`${where}.${member}`, 'is not a member of an entry (vector or rule, and reason)');
    if ((entry.vector === undefined) === (entry.rule === undefined)) fail(where, 'give exactly one of "vector" and "rule"');
    const scope = entry.vector !== undefined ? 'vector' : 'rule';
    const name = entry[scope];
    if (typeof name !== 'string' || name === '') fail(`${where}.${scope}`, 'expected a non-empty string');
    if (scope === 'rule' && !isRuleId(name)) fail(`${where}.rule`, `${JSON.stringify(name)} is not a rule ID of flows.md`);
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') fail(`${where}.reason`, 'every entry says why it fails');
    if (seen.has(`${scope}:${name as string}`)) fail(where, `${name as string} is listed twice`);
    seen.add(`${scope}:${name as string}`);
    return { scope, entry: name as string, reason: entry.reason as string };
  });
  return new ExpectedFailures(label, (record.target as string | undefined) ?? null, entries);
}
