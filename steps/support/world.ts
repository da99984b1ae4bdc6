import { AssertionError, strict as assert } from 'node:assert';
import { IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import type { WhatIfReport } from '../../src/admin/what-if';
import { expectationFor, type Expectation } from '../../src/conformance/expectation';
import { vectorId } from '../../src/conformance/vectors';
import { isSettingId, settingIdOf, settingsOf, SETTING_IDS, type ReadingProfile, type SettingId, type Settings } from '../../src/domain';
import type { ImportReportDocument } from '../../src/replay/protocol';
import type {
  EventResult,
  JsonObject,
  ReplayResult,
  ResultConversation,
  ResultUser,
  Scenario,
  ScenarioEmail,
  ScenarioEvent,
  TokenSource,
} from '../../src/replay/types';
import { validateResult, validateScenario } from '../../src/replay/validate';
import { countsOf, NotSupported, TargetFailure, whatIfThrough, type Counts, type ImportFile, type Target } from '../../src/targets';
import { COMPANY_KEY, NOW, NOW_TEXT, ONE_DAY } from './company';
import { featureGate, vectorTarget, writingVectors } from './target';

type ImportReport = ImportReportDocument;

/**
 * A person named in a scenario (Olga, Kim, or "the visitor" who gave no name). A person may be a
 * starting user, write in as a visitor, sign in, or be a row of an import; the World maps the name to
 * the refs of the scenario document, and after the run to the user the result says holds them.
 */
export interface Person {
  readonly name: string;
  /** The ref of the starting user of this name, if any. */
  startingRef: string | null;
  /** The `name` claim of this person's tokens; the person's name unless a step says otherwise. */
  tokenName: string | null;
  /** What the company's website knows of this person (the claims a good token would carry). */
  account: { readonly externalId: string; readonly email: string } | null;
  /** Refs of this person's visitor, signed-in and login events, in order. */
  readonly events: string[];
  /** Where an import file lists this person: the file's index and the CSV line. */
  imported: { readonly file: number; readonly line: number } | null;
}

export interface ImportRow {
  readonly person: string;
  readonly externalId: string | null;
  readonly verified: readonly string[];
  readonly unverified: readonly string[];
}

/** What a Then step reads: the documents of the run. */
export interface Run {
  readonly scenario: Scenario;
  readonly result: ReplayResult;
  readonly imports: readonly ImportReport[];
}

/** A Then statement that did not hold in a scenario expected to differ from the engine. */
export interface Difference {
  /** The pickle step's id in the run's messages, so that the reports can mark that very step. */
  readonly stepId: string;
  readonly step: string;
  readonly message: string;
}

interface MutableUser {
  ref: string;
  name: string | null;
  externalId: string | null;
  emails: ScenarioEmail[];
}

const VISITOR = 'the visitor';

export class IdmatrixWorld extends World {
  /** The implementation the scenario runs against (steps/support/target.ts), set when it first runs. */
  private target: Target | null = null;

  /** Where the scenario comes from, for the document's title and the export file name. */
  source = { uri: '', line: 0, name: '' };
  /** The setting named by an `@setting:` tag of the scenario, if any; the setting step must agree. */
  taggedSetting: SettingId | null = null;
  /** The scenario's `@rule:` tag. */
  rule = '';
  /** The reading the scenario states: `reference`, or the profile of its `@reading:` tag. */
  statedReading: ReadingProfile = 'reference';
  /**
   * What the scenario must do on the target (src/conformance/expectation.ts), settled when it runs:
   * hold, or differ (another reading, or an expected failure of the target). Statements that do not
   * hold in a scenario expected to differ are recorded instead of failing the step.
   */
  expectation: Expectation = { kind: 'hold' };
  get expectedToDiffer(): boolean {
    return this.expectation.kind === 'differ';
  }
  /** The scenario's vector id (src/conformance/vectors.ts), settled when it runs. */
  vectorId = '';
  /** Why the target could not run the scenario (ADMIN-IMPORT on a target without it), if so. */
  unsupported: string | null = null;
  /** What the harness computed from the target's results (for the vector written from this scenario). */
  readonly derived: { counts?: Counts; whatIf?: { setting: SettingId; report: WhatIfReport } } = {};
  readonly differences: Difference[] = [];
  /** The step being run (for the differences report): its pickle step id and its text. */
  currentStep = { id: '', text: '' };

  private setting: SettingId | null = null;
  private readonly users: MutableUser[] = [];
  private readonly events: ScenarioEvent[] = [];
  private readonly importFiles: { rows: ImportRow[]; batch: string }[] = [];
  private readonly people = new Map<string, Person>();
  private readonly counters = { conversation: 0, login: 0, merge: 0, settings: 0 };
  private run: Run | null = null;
  /** The setting of the what-if report a When step asked for. */
  whatIfSetting: string | null = null;
  /** Import lines a Then step said were refused ("the other lines" are the rest). */
  readonly statedRefusals = new Set<number>();
  /** Admin actions that are not replay events, for the rule check of the hooks. */
  readonly adminActions = { imported: false, counted: false, whatIf: false };

  constructor(options: IWorldOptions) {
    super(options);
  }

  // ------------------------------------------------------------------------------------------
  // Building the scenario document (Given and When steps)

  useSetting(id: string): void {
    if (!isSettingId(id)) throw new Error(`"${id}" is not a setting; the settings are ${SETTING_IDS.join(', ')}`);
    if (this.setting !== null) throw new Error(`the scenario names its setting twice ("${this.setting}", "${id}")`);
    if (this.taggedSetting !== null && this.taggedSetting !== id) {
      throw new Error(`the scenario is tagged @setting:${this.taggedSetting} but its step says "${id}"`);
    }
    this.beforeRun();
    this.setting = id;
  }

  addStartingUser(name: string, externalId: string | null, emails: ScenarioEmail[]): void {
    this.beforeRun();
    const person = this.person(name);
    if (person.startingRef !== null) throw new Error(`${name} is already a starting user`);
    const ref = refOf(name);
    person.startingRef = ref;
    this.users.push({ ref, name: name === VISITOR ? null : name, externalId, emails: [...emails] });
  }

  addEmail(name: string, email: ScenarioEmail): void {
    this.beforeRun();
    const user = this.users.find((candidate) => candidate.ref === this.person(name).startingRef);
    if (user === undefined) throw new Error(`${name} is not a starting user, so holds nothing yet`);
    user.emails.push(email);
  }

  /** A visitor's new conversation; returns its ref. */
  addVisitor(name: string, email: string | null): string {
    const ref = this.nextConversationRef();
    this.push(name, { ref, type: 'visitor', name: name === VISITOR ? null : name, email });
    return ref;
  }

  /** A signed-in customer's new conversation. */
  addSignedIn(name: string, token: TokenSource): void {
    this.push(name, { ref: this.nextConversationRef(), type: 'signed-in', ...token });
  }

  /** `name` signs in during the latest visitor conversation of `owner` (usually themselves). */
  addLogin(name: string, owner: string, token: TokenSource): void {
    const conversation = this.latestVisitorConversation(owner);
    this.counters.login++;
    this.push(name, { ref: `l${this.counters.login}`, type: 'login', conversation, ...token });
  }

  addMerge(from: string, into: string): void {
    this.beforeRun();
    this.counters.merge++;
    this.events.push({ ref: `m${this.counters.merge}`, type: 'merge', from: this.mergeRef(from), into: this.mergeRef(into) });
  }

  addSettingsChange(settings: Settings): void {
    this.beforeRun();
    this.counters.settings++;
    this.events.push({ ref: `s${this.counters.settings}`, type: 'settings', ...settings });
  }

  addImport(rows: ImportRow[]): void {
    this.beforeRun();
    if (this.events.length > 0) throw new Error('an import comes before the conversations of a scenario (write it as a Given step first)');
    const file = this.importFiles.length;
    rows.forEach((row, index) => {
      const person = this.person(row.person);
      person.imported = { file, line: index + 2 };
    });
    this.importFiles.push({ rows, batch: `import-${file + 1}` });
  }

  /** The claims of a good token for this person: the seed's example payload, expiring a day after now. */
  claimsFor(name: string, externalId: string, email: { address: string; verified: boolean | 'unsaid' } | null): JsonObject {
    const person = this.person(name);
    const claims: Record<string, unknown> = { scope: 'user', external_id: externalId };
    if (person.tokenName !== null) claims.name = person.tokenName;
    if (email !== null) {
      claims.email = email.address;
      if (email.verified !== 'unsaid') claims.email_verified = email.verified;
    }
    claims.exp = NOW + ONE_DAY;
    return claims;
  }

  person(name: string): Person {
    let person = this.people.get(name);
    if (person === undefined) {
      person = { name, startingRef: null, tokenName: name === VISITOR ? null : name, account: null, events: [], imported: null };
      this.people.set(name, person);
    }
    return person;
  }

  /** A person the scenario has already introduced (a Then step naming someone new is a step bug). */
  known(name: string): Person {
    const person = this.people.get(name);
    if (person === undefined) throw new Error(`nobody called ${name} appears earlier in the scenario`);
    return person;
  }

  // ------------------------------------------------------------------------------------------
  // Running it (the first Then step)

  /** The scenario document of `replay.md`, validated. */
  scenario(events: readonly ScenarioEvent[] = this.events): Scenario {
    if (this.setting === null) throw new Error('the scenario never says which setting the account uses');
    const doc: Record<string, unknown> = {
      title: this.source.name,
      description: `${this.source.uri}:${this.source.line}`,
      settings: settingsOf(this.setting),
      now: NOW_TEXT,
      keys: [COMPANY_KEY],
      users: this.users.map((user) => ({ ...user, emails: [...user.emails] })),
      events,
    };
    return validateScenario(JSON.parse(JSON.stringify(doc)));
  }

  importFilesText(): ImportFile[] {
    return this.importFiles.map((file) => ({ batch: file.batch, csv: toCsv(file.rows) }));
  }

  async ensureRun(): Promise<Run> {
    if (this.run !== null) return this.run;
    const scenario = this.scenario();
    const files = this.importFilesText();
    const vectors = writingVectors();
    const whatIf = this.whatIfSetting !== null && isSettingId(this.whatIfSetting) ? this.whatIfSetting : undefined;
    this.vectorId = vectorId({
      rule: this.rule,
      setting: this.setting as SettingId,
      reading: this.statedReading,
      scenario,
      ...(files.length > 0 ? { imports: files } : {}),
      ...(whatIf === undefined ? {} : { whatIf }),
    });
    if (vectors !== null) {
      // Writing vectors: every scenario holds on the engine under the reading it states.
      this.target = vectorTarget(this.statedReading);
    } else {
      const gate = await featureGate();
      this.target = gate.target;
      this.expectation = expectationFor({ id: this.vectorId, rule: this.rule, reading: this.statedReading }, gate.reading, gate.expectedFailures);
    }
    const target = this.target;
    let result: ReplayResult;
    let imports: readonly ImportReport[] = [];
    if (files.length > 0) {
      ({ result, reports: imports } = await target.importUsers(scenario, files));
      this.adminActions.imported = true;
    } else {
      result = await target.replay(scenario);
    }
    validateResult(result);
    this.run = { scenario, result, imports };
    return this.run;
  }

  /**
   * Before a Then statement: runs the scenario. `unsupported` when the target does not serve what it
   * needs (the step is skipped, never passed); `failed-as-expected` when the target gave no result but
   * the scenario is listed as an expected failure of the target (recorded as its difference).
   */
  async beforeOutcome(): Promise<'ready' | 'unsupported' | 'failed-as-expected'> {
    if (this.unsupported !== null) return 'unsupported';
    if (this.run === null && this.differences.length > 0) return 'failed-as-expected';
    try {
      await this.ensureRun();
      return 'ready';
    } catch (error) {
      if (error instanceof NotSupported) {
        this.unsupported = error.message;
        return 'unsupported';
      }
      if (error instanceof TargetFailure && this.expectation.kind === 'differ' && this.expectation.why === 'expected-failure') {
        this.differences.push({ stepId: this.currentStep.id, step: this.currentStep.text, message: `the target gave no result: ${error.message}` });
        return 'failed-as-expected';
      }
      throw error;
    }
  }

  /** Runs `check`; when the scenario is an expected failure of the target, what it throws is recorded as a difference. */
  recordIfExpectedFailure(check: () => void, step: string): void {
    try {
      check();
    } catch (error) {
      if (this.expectation.kind !== 'differ' || this.expectation.why !== 'expected-failure') throw error;
      this.differences.push({ stepId: '', step, message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The implementation the scenario ran against (for the steps that replay more, and the reports). */
  get runTarget(): Target {
    if (this.target === null) throw new Error('the scenario has not run yet');
    return this.target;
  }

  get hasRun(): boolean {
    return this.run !== null;
  }

  get done(): Run {
    if (this.run === null) throw new Error('the scenario has not run yet');
    return this.run;
  }

  /** The store without the scenario's last event: what "nothing changes" compares with. */
  async withoutLastEvent(): Promise<ReplayResult> {
    await this.ensureRun();
    const scenario = this.scenario(this.events.slice(0, -1));
    const result =
      this.importFiles.length > 0 ? (await this.runTarget.importUsers(scenario, this.importFilesText())).result : await this.runTarget.replay(scenario);
    validateResult(result);
    return result;
  }

  /** ADMIN-UNVERIFIED-COUNT: computed by the harness from the target's result (src/targets/derived.ts). */
  async counts(): Promise<Counts> {
    const { result } = await this.ensureRun();
    this.adminActions.counted = true;
    this.derived.counts = countsOf(result);
    return this.derived.counts;
  }

  /** ADMIN-SWITCH's what-if report: computed by the harness from the target's replays. */
  async whatIf(setting: string): Promise<WhatIfReport> {
    if (!isSettingId(setting)) throw new Error(`"${setting}" is not a setting`);
    await this.ensureRun();
    this.adminActions.whatIf = true;
    const report = await whatIfThrough(this.runTarget, this.scenario(), setting);
    this.derived.whatIf = { setting, report };
    return report;
  }

  /**
   * Runs one Then statement. Normally a failed assertion fails the step. In a scenario expected to
   * differ, a failed assertion is recorded as a difference and the scenario goes on; the After hook
   * then requires at least one. Only assertion failures count: a step bug or an engine error fails.
   */
  async check(statement: () => void | Promise<void>): Promise<void> {
    try {
      await statement();
    } catch (error) {
      if (this.expectedToDiffer && error instanceof AssertionError) {
        this.differences.push({ stepId: this.currentStep.id, step: this.currentStep.text, message: error.message });
        return;
      }
      throw error;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Reading the result (Then steps)

  get result(): ReplayResult {
    return this.done.result;
  }

  userByRef(ref: string): ResultUser {
    const user = this.result.users.find((candidate) => candidate.ref === ref);
    assert.ok(user, `the result lists no user "${ref}"`);
    return user;
  }

  /** The user a person is now: their starting user, their imported user, or whoever holds their latest conversation. */
  userOf(name: string): ResultUser {
    return this.userByRef(this.userRefOf(name));
  }

  userRefOf(name: string): string {
    const person = this.known(name);
    if (person.startingRef !== null) return person.startingRef;
    if (person.imported !== null) {
      const report = this.done.imports[person.imported.file];
      const row = report?.rows.find((candidate) => candidate.line === person.imported?.line);
      assert.ok(row?.user, `${name}'s line of the import created no user`);
      return row.user;
    }
    return this.conversation(this.latestConversationOf(name)).user;
  }

  /** The conversation a person last wrote in, signed in to, or signed in during. */
  latestConversationOf(name: string): string {
    const person = this.known(name);
    for (const ref of [...person.events].reverse()) {
      const conversation = this.conversationRefOfEvent(ref);
      if (this.result.conversations.some((candidate) => candidate.ref === conversation)) return conversation;
    }
    assert.fail(`${name} has no conversation in the store`);
  }

  /** The conversations a person opened (visitor or signed-in), in order, that the store recorded. */
  conversationsOf(name: string): string[] {
    return this.known(name)
      .events.filter((ref) => this.eventByRef(ref).type !== 'login')
      .filter((ref) => this.result.conversations.some((candidate) => candidate.ref === ref));
  }

  /** The scenario's latest conversation ("the conversation"). */
  latestConversation(): string {
    for (const event of [...this.events].reverse()) {
      if (event.type === 'visitor' || event.type === 'signed-in' || event.type === 'login') {
        const conversation = this.conversationRefOfEvent(event.ref);
        if (this.result.conversations.some((candidate) => candidate.ref === conversation)) return conversation;
      }
    }
    assert.fail('the scenario recorded no conversation');
  }

  /** "the conversation" (the scenario's latest) or "Kim's conversation" (the latest Kim took part in). */
  conversationRef(conversation: { readonly owner: string | null }): string {
    return conversation.owner === null ? this.latestConversation() : this.latestConversationOf(conversation.owner);
  }

  /** The row of the last import file that starts on CSV line `line`. */
  importRow(line: number): ImportReport['rows'][number] {
    const report = this.done.imports.at(-1);
    if (report === undefined) throw new Error('nothing was imported');
    const row = report.rows.find((candidate) => candidate.line === line);
    if (row === undefined) throw new Error(`the import has no line ${line}`);
    return row;
  }

  conversation(ref: string): ResultConversation {
    const conversation = this.result.conversations.find((candidate) => candidate.ref === ref);
    assert.ok(conversation, `no conversation "${ref}" was recorded`);
    return conversation;
  }

  /** The result of the last event that opened or signed in to this conversation. */
  lastResultFor(conversationRef: string): EventResult {
    for (const event of [...this.events].reverse()) {
      if (event.ref === conversationRef || (event.type === 'login' && event.conversation === conversationRef)) {
        return this.resultOf(event.ref);
      }
    }
    throw new Error(`no event of the scenario concerns conversation "${conversationRef}"`);
  }

  /** Refs of the events that may have created the user now holding this conversation. */
  creatorsOf(conversationRef: string): string[] {
    return this.events
      .filter((event) => event.ref === conversationRef || (event.type === 'login' && event.conversation === conversationRef))
      .map((event) => `new:${event.ref}`);
  }

  /** The person's latest sign-in (signed-in or login event). */
  latestSignInOf(name: string): ScenarioEvent {
    const person = this.known(name);
    const ref = [...person.events].reverse().find((candidate) => {
      const event = this.eventByRef(candidate);
      return event.type === 'signed-in' || event.type === 'login';
    });
    if (ref === undefined) throw new Error(`${name} never signs in in this scenario`);
    return this.eventByRef(ref);
  }

  /** The user the person's first visitor conversation created (`new:<ref>` in replay.md). */
  visitorProfileOf(name: string): ResultUser {
    const person = this.known(name);
    const first = person.events.find((ref) => this.eventByRef(ref).type === 'visitor');
    if (first === undefined) throw new Error(`${name} never writes in as a visitor`);
    return this.userByRef(`new:${first}`);
  }

  resultOf(ref: string): EventResult {
    const result = this.result.results.find((candidate) => candidate.ref === ref);
    if (result === undefined) throw new Error(`the result has no entry for event "${ref}"`);
    return result;
  }

  lastEvent(type?: ScenarioEvent['type']): ScenarioEvent {
    const event = [...this.events].reverse().find((candidate) => type === undefined || candidate.type === type);
    if (event === undefined) throw new Error(type === undefined ? 'the scenario has no event' : `the scenario has no ${type} event`);
    return event;
  }

  eventByRef(ref: string): ScenarioEvent {
    const event = this.events.find((candidate) => candidate.ref === ref);
    if (event === undefined) throw new Error(`no event "${ref}"`);
    return event;
  }

  /** The starting user's email identities as the scenario gave them. */
  startingEmailsOf(name: string): ScenarioEmail[] {
    const ref = this.known(name).startingRef;
    const user = this.users.find((candidate) => candidate.ref === ref);
    if (user === undefined) throw new Error(`${name} is not a starting user`);
    return user.emails;
  }

  /** For each event, the setting in force when it was decided (settings events take effect after themselves). */
  settingsInForce(): { event: ScenarioEvent; setting: SettingId; result: EventResult }[] {
    let current = settingIdOf(this.done.scenario.settings);
    return this.events.map((event) => {
      const result = this.resultOf(event.ref);
      const entry = { event, setting: current, result };
      if (event.type === 'settings' && result.outcome === 'applied') current = settingIdOf(event);
      return entry;
    });
  }

  // ------------------------------------------------------------------------------------------

  private push(name: string, event: ScenarioEvent): void {
    this.beforeRun();
    this.events.push(event);
    this.person(name).events.push(event.ref);
  }

  private nextConversationRef(): string {
    this.counters.conversation++;
    return `c${this.counters.conversation}`;
  }

  private latestVisitorConversation(name: string): string {
    const person = this.known(name);
    const ref = [...person.events].reverse().find((candidate) => this.eventByRef(candidate).type === 'visitor');
    if (ref === undefined) throw new Error(`${name} has no visitor conversation to sign in during`);
    return ref;
  }

  private conversationRefOfEvent(ref: string): string {
    const event = this.eventByRef(ref);
    return event.type === 'login' ? event.conversation : event.ref;
  }

  /** A merge names a starting user by its ref, anyone else by the user their first conversation created. */
  private mergeRef(name: string): string {
    const person = this.known(name);
    if (person.startingRef !== null) return person.startingRef;
    const first = person.events[0];
    if (first === undefined) throw new Error(`${name} has no profile an agent could merge`);
    return `new:${first}`;
  }

  private beforeRun(): void {
    if (this.run !== null) throw new Error('a Given or When step comes after the outcome was checked; put it before the first Then');
  }
}

function refOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** The CSV of an import (src/admin/import.ts columns); a cell with a comma, quote or line break is quoted. */
function toCsv(rows: readonly ImportRow[]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = ['external_id,name,verified_emails,unverified_emails'];
  for (const row of rows) {
    lines.push([row.externalId ?? '', row.person, row.verified.join(' '), row.unverified.join(' ')].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

setWorldConstructor(IdmatrixWorld);
