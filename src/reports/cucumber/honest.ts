import {
  AttachmentContentEncoding,
  TestStepResultStatus,
  type Envelope,
  type GherkinDocument,
  type Pickle,
  type TestStepFinished,
} from '@cucumber/messages';
import { READING_WORDS } from '../words';

/**
 * The honest form of a cucumber run's messages, from which every report of `npm run verify` is
 * written (cucumber.html, cucumber.json, junit.xml, messages.ndjson and index.html).
 *
 * A scenario tagged `@expected-to-differ` states another source's reading of a disputed rule. Its Then
 * statements that do not hold are recorded by the World instead of failing the step (the scenario
 * passes when at least one does not hold), so cucumber itself reports them as passed steps. Here each
 * such statement becomes a step that is not passed (status SKIPPED, the status JUnit, JSON and HTML
 * readers know as "neither passed nor failed", as pytest reports an expected failure) whose message says
 * that it does not hold and why, and its text says "does not hold" too, so that no report shows it as
 * passed. The steps that held stay passed, and a scenario whose statements all held is left alone.
 *
 * Also, for the HTML report: descriptions lose their common indentation (a Rule's description is indented
 * by four spaces in the feature file, which Markdown renders as a monospace code block).
 */

/** The attachment in which the After hook records the statements that did not hold. */
export const DIFFERENCES_FILE = 'differences.json';

export interface DifferencesAttachment {
  /** The source whose reading the scenario states (`SEED`, `DOC`), from its `@reading:` tag. */
  readonly reading: string | null;
  /**
   * Set when the statements did not hold because the scenario is an expected failure of the target it
   * ran against (its expected-failures file lists it: src/conformance/expectation.ts), not because it
   * states another reading.
   */
  readonly expectedFailure?: { readonly target: string; readonly file: string; readonly entry: string; readonly reason: string };
  readonly statements: readonly { readonly pickleStepId: string; readonly text: string; readonly message: string }[];
}

export const DOES_NOT_HOLD = 'does not hold: the engine does not do this';

export function honestEnvelopes(envelopes: readonly Envelope[]): Envelope[] {
  const testCaseOfStarted = new Map<string, string>();
  const pickleStepOfTestStep = new Map<string, string>();
  const differences = new Map<string, DifferencesAttachment>();
  for (const envelope of envelopes) {
    if (envelope.testCase) {
      for (const step of envelope.testCase.testSteps) if (step.pickleStepId) pickleStepOfTestStep.set(step.id, step.pickleStepId);
    }
    if (envelope.testCaseStarted) testCaseOfStarted.set(envelope.testCaseStarted.id, envelope.testCaseStarted.testCaseId);
    const attachment = envelope.attachment;
    if (attachment?.fileName === DIFFERENCES_FILE && attachment.testCaseStartedId) {
      const body = attachment.contentEncoding === AttachmentContentEncoding.BASE64 ? Buffer.from(attachment.body, 'base64').toString('utf8') : attachment.body;
      differences.set(attachment.testCaseStartedId, JSON.parse(body) as DifferencesAttachment);
    }
  }
  const notHolding = new Map<string, string>();
  for (const recorded of differences.values()) {
    for (const statement of recorded.statements) notHolding.set(statement.pickleStepId, readingName(recorded.reading));
  }

  return envelopes.map((envelope) => {
    if (envelope.gherkinDocument) return { ...envelope, gherkinDocument: dedentDescriptions(envelope.gherkinDocument) };
    if (envelope.pickle && envelope.pickle.steps.some((step) => notHolding.has(step.id))) return { ...envelope, pickle: markPickle(envelope.pickle, notHolding) };
    if (envelope.testStepFinished) {
      const finished = envelope.testStepFinished;
      const recorded = differences.get(finished.testCaseStartedId);
      const pickleStepId = pickleStepOfTestStep.get(finished.testStepId);
      const statement = recorded?.statements.find((candidate) => candidate.pickleStepId === pickleStepId);
      if (recorded !== undefined && statement !== undefined && finished.testStepResult.status === TestStepResultStatus.PASSED) {
        return { ...envelope, testStepFinished: notHeld(finished, statement.message, recorded.reading) };
      }
    }
    return envelope;
  });
}

function readingName(reading: string | null): string {
  return (reading !== null && READING_WORDS[reading]) || 'another source';
}

function markPickle(pickle: Pickle, notHolding: ReadonlyMap<string, string>): Pickle {
  return {
    ...pickle,
    steps: pickle.steps.map((step) => (notHolding.has(step.id) ? { ...step, text: `${step.text} — ${DOES_NOT_HOLD}` } : step)),
  };
}

function notHeld(finished: TestStepFinished, message: string, reading: string | null): TestStepFinished {
  const why = message.split('\n')[0] ?? '';
  return {
    ...finished,
    testStepResult: {
      ...finished.testStepResult,
      status: TestStepResultStatus.SKIPPED,
      message:
        `Does not hold: the engine does not do this (${why}). This scenario states ${readingName(reading)}'s reading of a rule the ` +
        'sources disagree on, and the engine follows the other reading: that this statement does not hold is expected, and it is not a passed step.',
    },
  };
}

/** Removes the common leading white space of every description (feature, rule, background, scenario, examples). */
export function dedentDescriptions(document: GherkinDocument): GherkinDocument {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) copy[key] = key === 'description' && typeof value === 'string' ? dedent(value) : visit(value);
    return copy;
  };
  return visit(document) as GherkinDocument;
}

export function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((line) => line.slice(Math.min(common, /^[ \t]*/.exec(line)?.[0].length ?? 0))).join('\n');
}
