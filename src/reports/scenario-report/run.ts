import { AttachmentContentEncoding, TestStepResultStatus, type Envelope, type GherkinDocument } from '@cucumber/messages';
import { isSettingId, type SettingId } from '../../domain';
import { DIFFERENCES_FILE, type DifferencesAttachment } from '../cucumber/honest';

/**
 * A cucumber run, read from its (honest) messages into what the scenario report shows: each scenario
 * with its rule, setting and tags, its steps and their status, and the final state its result document
 * gives. Nothing here re-decides anything: the statuses are the run's, the statements that did not hold
 * are the ones the World recorded.
 */

export type ScenarioStatus = 'passed' | 'failed' | 'differs';
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'pending' | 'undefined' | 'ambiguous' | 'unknown';

export interface StepView {
  readonly keyword: string;
  readonly text: string;
  readonly status: StepStatus;
  /** A Then statement (an outcome), as opposed to a Given or When step. */
  readonly outcome: boolean;
  readonly message?: string;
  /** A statement of another reading that did not hold. */
  readonly notHolding: boolean;
}

export interface UserState {
  readonly ref: string;
  readonly name: string | null;
  readonly externalId: string | null;
  readonly emails: readonly { readonly address: string; readonly verified: boolean }[];
  readonly conversations: readonly string[];
  readonly mergedInto?: string;
}

export interface ScenarioView {
  /** Stable across runs: the feature file and the line of the scenario (or of its Examples row). */
  readonly anchor: string;
  readonly uri: string;
  readonly line: number;
  readonly name: string;
  readonly feature: string;
  readonly ruleTitle: string | null;
  /** The outline (or scenario) this pickle comes from: pickles of one outline are shown side by side. */
  readonly groupId: string;
  readonly groupTitle: string;
  readonly rule: string | null;
  readonly setting: SettingId | null;
  readonly tags: readonly string[];
  readonly risk: boolean;
  /** The source whose reading the scenario states, when it states another source's reading. */
  readonly reading: string | null;
  readonly status: ScenarioStatus;
  readonly steps: readonly StepView[];
  /** Why it failed: the first failed step's or hook's message. */
  readonly failure: string | null;
  readonly finalState: { readonly users: readonly UserState[]; readonly conversations: readonly { readonly ref: string; readonly user: string }[] } | null;
  /** Its events include a settings change the account refused (the fourth, invalid combination). */
  readonly refusedSetting: boolean;
}

export interface RunView {
  readonly scenarios: readonly ScenarioView[];
  readonly startedAt: string | null;
  readonly seconds: number | null;
  readonly success: boolean | null;
  readonly tool: string | null;
}

const STATUS_WORDS: Record<number | string, StepStatus> = {
  [TestStepResultStatus.PASSED]: 'passed',
  [TestStepResultStatus.FAILED]: 'failed',
  [TestStepResultStatus.SKIPPED]: 'skipped',
  [TestStepResultStatus.PENDING]: 'pending',
  [TestStepResultStatus.UNDEFINED]: 'undefined',
  [TestStepResultStatus.AMBIGUOUS]: 'ambiguous',
  [TestStepResultStatus.UNKNOWN]: 'unknown',
};

interface AstInfo {
  readonly feature: string;
  readonly rule: string | null;
  readonly keyword: Map<string, string>;
  readonly scenarioName: Map<string, string>;
}

function astInfo(document: GherkinDocument): AstInfo {
  const keyword = new Map<string, string>();
  const scenarioName = new Map<string, string>();
  const ruleOf = new Map<string, string>();
  const walk = (node: unknown, rule: string | null): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((item) => walk(item, rule));
    const record = node as { id?: string; keyword?: string; text?: string; name?: string; rule?: { name: string }; steps?: unknown; examples?: unknown };
    if (typeof record.id === 'string' && typeof record.keyword === 'string' && typeof record.text === 'string') keyword.set(record.id, record.keyword.trim());
    if (typeof record.id === 'string' && record.steps !== undefined && typeof record.name === 'string' && record.examples !== undefined) {
      scenarioName.set(record.id, record.name);
      if (rule !== null) ruleOf.set(record.id, rule);
    }
    for (const [key, value] of Object.entries(node)) walk(value, key === 'rule' && record.rule ? record.rule.name : rule);
  };
  walk(document.feature, null);
  return { feature: document.feature?.name ?? document.uri ?? '', rule: null, keyword, scenarioName: new Map([...scenarioName].map(([id, name]) => [id, `${ruleOf.get(id) ?? ''}\u0000${name}`])) };
}

function bodyOf(attachment: NonNullable<Envelope['attachment']>): string {
  return attachment.contentEncoding === AttachmentContentEncoding.BASE64 ? Buffer.from(attachment.body, 'base64').toString('utf8') : attachment.body;
}

export function readRun(envelopes: readonly Envelope[]): RunView {
  const ast = new Map<string, AstInfo>();
  const pickles = new Map<string, NonNullable<Envelope['pickle']>>();
  const testCases = new Map<string, NonNullable<Envelope['testCase']>>();
  const started = new Map<string, string>(); // testCaseStarted id -> testCase id
  const lastAttempt = new Map<string, string>(); // pickle id -> testCaseStarted id
  const results = new Map<string, Map<string, { status: StepStatus; message?: string }>>();
  const attachments = new Map<string, Map<string, string>>();
  let startedAt: string | null = null;
  let seconds: number | null = null;
  let success: boolean | null = null;
  let tool: string | null = null;
  let startSeconds: number | null = null;

  for (const envelope of envelopes) {
    if (envelope.meta) tool = `${envelope.meta.implementation.name} ${envelope.meta.implementation.version}`;
    if (envelope.gherkinDocument?.uri) ast.set(envelope.gherkinDocument.uri, astInfo(envelope.gherkinDocument));
    if (envelope.pickle) pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.testCase) testCases.set(envelope.testCase.id, envelope.testCase);
    if (envelope.testRunStarted) {
      startSeconds = Number(envelope.testRunStarted.timestamp.seconds) + envelope.testRunStarted.timestamp.nanos / 1e9;
      startedAt = new Date(startSeconds * 1000).toISOString();
    }
    if (envelope.testRunFinished) {
      success = envelope.testRunFinished.success;
      const end = Number(envelope.testRunFinished.timestamp.seconds) + envelope.testRunFinished.timestamp.nanos / 1e9;
      if (startSeconds !== null) seconds = end - startSeconds;
    }
    if (envelope.testCaseStarted) {
      started.set(envelope.testCaseStarted.id, envelope.testCaseStarted.testCaseId);
      const pickleId = testCases.get(envelope.testCaseStarted.testCaseId)?.pickleId;
      if (pickleId !== undefined) lastAttempt.set(pickleId, envelope.testCaseStarted.id);
    }
    if (envelope.testStepFinished) {
      const { testCaseStartedId, testStepId, testStepResult } = envelope.testStepFinished;
      if (!results.has(testCaseStartedId)) results.set(testCaseStartedId, new Map());
      results.get(testCaseStartedId)?.set(testStepId, {
        status: STATUS_WORDS[testStepResult.status] ?? 'unknown',
        ...(testStepResult.message ? { message: testStepResult.message } : {}),
      });
    }
    if (envelope.attachment?.testCaseStartedId && envelope.attachment.fileName) {
      const id = envelope.attachment.testCaseStartedId;
      if (!attachments.has(id)) attachments.set(id, new Map());
      attachments.get(id)?.set(envelope.attachment.fileName, bodyOf(envelope.attachment));
    }
  }

  const scenarios: ScenarioView[] = [];
  for (const [pickleId, attempt] of lastAttempt) {
    const pickle = pickles.get(pickleId);
    const testCase = testCases.get(started.get(attempt) ?? '');
    if (pickle === undefined || testCase === undefined) continue;
    const info = ast.get(pickle.uri);
    const tags = pickle.tags.map((tag) => tag.name);
    const valued = (prefix: string) => tags.find((tag) => tag.startsWith(prefix))?.slice(prefix.length) ?? null;
    const stepResults = results.get(attempt) ?? new Map<string, { status: StepStatus; message?: string }>();
    const files = attachments.get(attempt) ?? new Map<string, string>();
    const differences = files.has(DIFFERENCES_FILE) ? (JSON.parse(files.get(DIFFERENCES_FILE) as string) as DifferencesAttachment) : null;
    const notHolding = new Set(differences?.statements.map((statement) => statement.pickleStepId) ?? []);
    const steps: StepView[] = [];
    let failure: string | null = null;
    for (const testStep of testCase.testSteps) {
      const result = stepResults.get(testStep.id) ?? { status: 'unknown' as StepStatus };
      if (failure === null && result.status !== 'passed' && result.status !== 'skipped') failure = result.message ?? `a step is ${result.status}`;
      if (!testStep.pickleStepId) continue;
      const pickleStep = pickle.steps.find((step) => step.id === testStep.pickleStepId);
      if (pickleStep === undefined) continue;
      steps.push({
        keyword: info?.keyword.get(pickleStep.astNodeIds[0] ?? '') ?? '',
        text: pickleStep.text.replace(/ — does not hold: the engine does not do this$/, ''),
        status: result.status,
        outcome: pickleStep.type === 'Outcome',
        ...(result.message !== undefined ? { message: result.message } : {}),
        notHolding: notHolding.has(pickleStep.id),
      });
    }
    const status: ScenarioStatus = failure !== null ? 'failed' : notHolding.size > 0 ? 'differs' : 'passed';
    const result = files.has('result.json') ? (JSON.parse(files.get('result.json') as string) as ResultDocument) : null;
    const scenario = files.has('scenario.json') ? (JSON.parse(files.get('scenario.json') as string) as ScenarioDocument) : null;
    const groupId = pickle.astNodeIds[0] ?? pickle.id;
    const [ruleTitle, groupTitle] = (info?.scenarioName.get(groupId) ?? `\u0000${pickle.name}`).split('\u0000') as [string, string];
    const setting = valued('@setting:');
    scenarios.push({
      anchor: anchorOf(pickle.uri, pickle.location?.line ?? 0),
      uri: pickle.uri,
      line: pickle.location?.line ?? 0,
      name: pickle.name,
      feature: info?.feature ?? pickle.uri,
      ruleTitle: ruleTitle === '' ? null : ruleTitle,
      groupId,
      groupTitle,
      rule: valued('@rule:'),
      setting: isSettingId(setting) ? setting : null,
      tags,
      risk: tags.includes('@risk'),
      reading: tags.includes('@expected-to-differ') ? valued('@reading:') : null,
      status,
      steps,
      failure,
      finalState: result === null ? null : { users: result.users ?? [], conversations: (result.conversations ?? []).map((c) => ({ ref: c.ref, user: c.user })) },
      refusedSetting: refusedSetting(scenario, result),
    });
  }
  scenarios.sort((a, b) => a.uri.localeCompare(b.uri) || a.line - b.line);
  return { scenarios, startedAt, seconds, success, tool };
}

interface ResultDocument {
  readonly users?: readonly UserState[];
  readonly conversations?: readonly { readonly ref: string; readonly user: string }[];
  readonly results?: readonly { readonly ref: string; readonly outcome: string; readonly error?: { readonly code: string } }[];
}
interface ScenarioDocument {
  readonly events?: readonly { readonly ref: string; readonly type: string }[];
}

function refusedSetting(scenario: ScenarioDocument | null, result: ResultDocument | null): boolean {
  const settingsEvents = new Set((scenario?.events ?? []).filter((event) => event.type === 'settings').map((event) => event.ref));
  return (result?.results ?? []).some((entry) => settingsEvents.has(entry.ref) && entry.outcome === 'rejected');
}

export function anchorOf(uri: string, line: number): string {
  return `s-${uri.replace(/^features\//, '').replace(/\.feature$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${line}`;
}

/** Parses messages.ndjson; a line that is not a JSON object is an error naming the line. */
export function parseMessages(text: string, name = 'messages.ndjson'): Envelope[] {
  const envelopes: Envelope[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new MessagesError(`${name}:${index + 1}: not a JSON message (was the run cut short? run \`npm run verify\` again)`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MessagesError(`${name}:${index + 1}: not a cucumber message`);
    envelopes.push(value as Envelope);
  });
  return envelopes;
}

export class MessagesError extends Error {}
