import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { After, Before, BeforeStep, type ITestCaseHookParameter, Status } from '@cucumber/cucumber';
import { settingIdOf, type SettingId } from '../../src/domain';
import { PROFILE_TABLE } from '../../src/policy/table';
import { DIFFERENCES_FILE } from '../../src/reports/cucumber/honest';
import { settleDifferences, verdictOf } from './expectations';
import { holdsVectors, VERDICTS, writingVectors } from './target';
import { checkCommittedVector, writeVector } from './vectors';
import type { IdmatrixWorld } from './world';

type GherkinDocument = ITestCaseHookParameter['gherkinDocument'];
type Pickle = ITestCaseHookParameter['pickle'];

const SETTING_IDS: readonly string[] = ['verified-only', 'verified-and-unverified', 'claim-verified'];

Before(function (this: IdmatrixWorld, { pickle, gherkinDocument }: ITestCaseHookParameter) {
  const tags = pickle.tags.map((tag) => tag.name);
  this.source = { uri: pickle.uri, line: lineOf(gherkinDocument, pickle), name: pickle.name };
  const settings = [...new Set(tags.filter((tag) => tag.startsWith('@setting:')).map((tag) => tag.slice('@setting:'.length)))];
  if (settings.length > 1) throw new Error(`the scenario is tagged with several settings: ${settings.join(', ')}`);
  const [setting] = settings;
  if (setting !== undefined) {
    if (!SETTING_IDS.includes(setting)) throw new Error(`@setting:${setting} names no setting`);
    this.taggedSetting = setting as SettingId;
  }
  // What the scenario must do on the target is settled when it runs (src/conformance/expectation.ts),
  // from its rule and the reading it states.
  this.rule = tags.find((tag) => tag.startsWith('@rule:'))?.slice('@rule:'.length) ?? '';
  const reading = tags.find((tag) => tag.startsWith('@reading:'))?.slice('@reading:'.length);
  if (reading !== undefined) {
    const profile = Object.values(PROFILE_TABLE).find((candidate) => candidate.source === reading)?.id;
    if (profile === undefined) throw new Error(`@reading:${reading} names no reading profile`);
    this.statedReading = profile;
  }
});

BeforeStep(function (this: IdmatrixWorld, { pickleStep }) {
  this.currentStep = { id: pickleStep.id, text: pickleStep.text };
});

/**
 * After each scenario: run it if no Then step did; check that the engine decided the scenario's
 * `@rule:` under its setting (so that a scenario counted in a cell of the coverage matrix really
 * reaches that cell); for `@expected-to-differ`, check that some statement did not hold; attach the
 * scenario and the result document to the report; export the scenario when asked.
 */
After(async function (this: IdmatrixWorld, { pickle, result }: ITestCaseHookParameter) {
  const passedSoFar = result?.status === Status.PASSED;
  if (passedSoFar && !this.hasRun && (await this.beforeOutcome()) === 'unsupported') return 'skipped';
  if (this.unsupported !== null) {
    VERDICTS.push({ id: this.vectorId, rule: this.rule, verdict: 'not supported' });
    await this.attach(`Not run: ${this.unsupported}.`, 'text/plain');
    return;
  }
  if (!this.hasRun) {
    if (this.vectorId !== '') VERDICTS.push({ id: this.vectorId, rule: this.rule, verdict: verdictOf(this, passedSoFar) });
    return;
  }

  const { scenario, result: outcome, imports } = this.done;
  await this.attach(JSON.stringify(scenario, null, 2), { mediaType: 'application/json', fileName: 'scenario.json' });
  await this.attach(JSON.stringify(outcome, null, 2), { mediaType: 'application/json', fileName: 'result.json' });
  const files = this.importFilesText();
  for (const [index, file] of files.entries()) {
    await this.attach(file.csv, { mediaType: 'text/csv', fileName: `${file.batch}.csv` });
    const report = imports[index];
    if (report !== undefined) await this.attach(JSON.stringify(report, null, 2), { mediaType: 'application/json', fileName: `${file.batch}-report.json` });
  }
  exportScenario(this, files);

  if (!passedSoFar) {
    VERDICTS.push({ id: this.vectorId, rule: this.rule, verdict: 'failed' });
    return;
  }
  // On a target expected to fail the scenario, deciding it by another rule is one way of failing it.
  this.recordIfExpectedFailure(() => checkRuleReached(this, pickle), '(the rule the scenario is filed under)');
  // The reports (src/reports/cucumber/honest.ts) mark the statements that did not hold, never as passed.
  const reading = pickle.tags.map((tag) => tag.name).find((tag) => tag.startsWith('@reading:'))?.slice('@reading:'.length) ?? null;
  const recorded = settleDifferences(this, reading);
  if (recorded !== null) await this.attach(JSON.stringify(recorded, null, 2), { mediaType: 'application/json', fileName: DIFFERENCES_FILE });
  const vectors = writingVectors();
  if (vectors !== null) writeVector(this, pickle, vectors);
  else if (await holdsVectors()) checkCommittedVector(this, pickle);
  VERDICTS.push({ id: this.vectorId, rule: this.rule, verdict: verdictOf(this, true) });
});

function checkRuleReached(world: IdmatrixWorld, pickle: Pickle): void {
  const rules = pickle.tags.map((tag) => tag.name).filter((tag) => tag.startsWith('@rule:'));
  if (rules.length !== 1) throw new Error(`a scenario has exactly one @rule: tag; this one has ${rules.length}`);
  const rule = (rules[0] as string).slice('@rule:'.length);
  if (rule === 'ADMIN-IMPORT') {
    if (!world.adminActions.imported) throw new Error('tagged @rule:ADMIN-IMPORT, but no users were imported');
    return;
  }
  if (rule === 'ADMIN-UNVERIFIED-COUNT') {
    if (!world.adminActions.counted) throw new Error('tagged @rule:ADMIN-UNVERIFIED-COUNT, but nothing was counted');
    return;
  }
  if (rule === 'ADMIN-SWITCH' && world.adminActions.whatIf) return; // the what-if report is ADMIN-SWITCH's, and not an event
  const decided = world.settingsInForce();
  const setting = settingIdOf(world.done.scenario.settings);
  if (!decided.some((entry) => entry.result.rule === rule && entry.setting === setting)) {
    const seen = decided.map((entry) => `${entry.event.ref}: ${entry.result.rule} (${entry.setting})`).join('; ');
    throw new Error(`tagged @rule:${rule}, but no event was decided by ${rule} under the scenario's setting. Decided: ${seen}`);
  }
}

function exportScenario(world: IdmatrixWorld, files: readonly { batch: string; csv: string }[]): void {
  const dir = process.env.IDMATRIX_EXPORT_SCENARIOS;
  if (dir === undefined || dir === '') return;
  const feature = world.source.uri.replace(/^features\//, '').replace(/\.feature$/, '').replace(/[\\/]/g, '-');
  const base = path.join(dir, `${feature}-${world.source.line}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${base}.json`, `${JSON.stringify(world.done.scenario, null, 2)}\n`);
  for (const file of files) writeFileSync(`${base}.${file.batch}.csv`, file.csv);
}

/** The line of the scenario, or of the Examples row for an outline. */
function lineOf(document: GherkinDocument, pickle: Pickle): number {
  const wanted = pickle.astNodeIds[pickle.astNodeIds.length - 1];
  let line = 0;
  const visit = (node: unknown): void => {
    if (line !== 0 || node === null || typeof node !== 'object') return;
    const record = node as { id?: unknown; location?: { line: number } };
    if (record.id === wanted && record.location !== undefined) {
      line = record.location.line;
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(document.feature);
  return line;
}
