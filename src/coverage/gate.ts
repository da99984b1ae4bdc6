import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType, type GherkinDocument, type Pickle } from '@cucumber/messages';
import { INVARIANT_IDS, INVARIANTS } from '../invariants/ids';
import { provenanceOf, RULE_IDS, RULES, type RuleId } from '../policy/rules';
import { otherReadingOf } from '../policy/table';
import { SETTING_IDS, type SettingId } from '../domain';
import { readFlows, readRiskMentions } from './flows';

/**
 * The coverage gate of issue 4: every rule × setting cell of the rule catalog that applies has at
 * least one scenario in the feature files, every scenario is traceable to exactly one cell, its tags
 * agree with the catalog, and the catalog agrees with `flows.md`. Pure: it is given the texts and
 * returns the report; src/coverage/main.ts reads the files and prints.
 */

export interface FeatureSource {
  /** The path the report names, e.g. features/visitors/typed-addresses.feature. */
  readonly uri: string;
  readonly text: string;
}

/** The parts of the rule catalog the gate reads (src/policy/rules.ts by default; tests may pass another). */
export interface Catalog {
  readonly ruleIds: readonly string[];
  readonly invariantIds: readonly string[];
  readonly settingIds: readonly string[];
  readonly family: (rule: string) => string;
  readonly settings: (rule: string) => readonly string[];
  readonly notApplicable: (rule: string, setting: string) => string | undefined;
  readonly provenance: (rule: string, setting: string) => string;
  readonly risk: (rule: string, setting: string) => string | undefined;
  /** The other source of a DISPUTED rule (the reading that scenarios tagged @expected-to-differ state). */
  readonly otherReading: (rule: string) => string | undefined;
  readonly invariantSettings: (invariant: string) => readonly string[];
}

export const PROJECT_CATALOG: Catalog = {
  ruleIds: RULE_IDS,
  invariantIds: INVARIANT_IDS,
  settingIds: SETTING_IDS,
  family: (rule) => RULES[rule as RuleId].family,
  settings: (rule) => RULES[rule as RuleId].settings,
  notApplicable: (rule, setting) => RULES[rule as RuleId].notApplicable?.[setting as SettingId],
  provenance: (rule, setting) => provenanceOf(rule as RuleId, setting as SettingId),
  risk: (rule, setting) => RULES[rule as RuleId].risks?.[setting as SettingId]?.what,
  // The reading profiles (PROFILE_TABLE) say which source's reading of each disputed rule is stated apart.
  otherReading: (rule) => otherReadingOf(rule as RuleId)?.source ?? undefined,
  invariantSettings: (invariant) => INVARIANTS[invariant as (typeof INVARIANT_IDS)[number]].settings,
};

/** One scenario (a pickle: an outline gives one per Examples row), as the gate classified it. */
export interface ScenarioEntry {
  readonly uri: string;
  readonly line: number;
  readonly name: string;
  readonly rule: string | null;
  readonly setting: string | null;
  /** Tagged @expected-to-differ: it states another source's reading, and does not count for its cell. */
  readonly otherReading: boolean;
}

export interface Cell {
  readonly rule: string;
  readonly setting: string;
  readonly applies: boolean;
  readonly risk: boolean;
  /** Scenarios stating the engine's reading. */
  readonly scenarios: number;
  /** Scenarios stating another source's reading (expected to differ). */
  readonly otherReadings: number;
}

export interface CoverageReport {
  readonly errors: readonly string[];
  readonly scenarios: readonly ScenarioEntry[];
  readonly cells: readonly Cell[];
  readonly settingIds: readonly string[];
  readonly ruleIds: readonly string[];
  readonly family: (rule: string) => string;
}

export interface CoverageInput {
  readonly features: readonly FeatureSource[];
  /** The text of `flows.md`; null when it could not be read (an error). */
  readonly flowsMarkdown: string | null;
  readonly flowsPath?: string;
  readonly catalog?: Catalog;
}

const KNOWN_FLAGS = new Set(['@risk', '@expected-to-differ']);
const KNOWN_PREFIXES = ['@rule:', '@source:', '@setting:', '@reading:'];
const SETTING_STEP = /^the account uses the "([^"]*)" setting$/;

export function checkCoverage(input: CoverageInput): CoverageReport {
  const catalog = input.catalog ?? PROJECT_CATALOG;
  const errors: string[] = [];
  const scenarios: ScenarioEntry[] = [];

  if (input.features.length === 0) errors.push('no feature files were found');
  for (const feature of input.features) {
    for (const pickle of parse(feature, errors)) scenarios.push(classify(pickle.pickle, pickle.line, catalog, errors));
  }

  const cells: Cell[] = [];
  for (const rule of catalog.ruleIds) {
    const applicable = catalog.settings(rule);
    for (const setting of catalog.settingIds) {
      const here = scenarios.filter((entry) => entry.rule === rule && entry.setting === setting);
      const cell: Cell = {
        rule,
        setting,
        applies: applicable.includes(setting),
        risk: catalog.risk(rule, setting) !== undefined,
        scenarios: here.filter((entry) => !entry.otherReading).length,
        otherReadings: here.filter((entry) => entry.otherReading).length,
      };
      cells.push(cell);
      if (cell.applies && cell.scenarios === 0) errors.push(`${rule} × ${setting}: no scenario states this cell`);
    }
    const other = catalog.otherReading(rule);
    if (other !== undefined && !scenarios.some((entry) => entry.rule === rule && entry.otherReading)) {
      errors.push(`${rule} is DISPUTED: no scenario states the ${other} reading (@reading:${other} @expected-to-differ)`);
    }
  }

  checkCatalogAgainstFlows(input, catalog, errors);
  return { errors, scenarios, cells, settingIds: catalog.settingIds, ruleIds: catalog.ruleIds, family: catalog.family };
}

// ---------------------------------------------------------------------------------------------------

function parse(feature: FeatureSource, errors: string[]): { pickle: Pickle; line: number }[] {
  const envelopes = generateMessages(feature.text, feature.uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
    includeSource: false,
    includeGherkinDocument: true,
    includePickles: true,
    newId: IdGenerator.incrementing(),
  });
  let document: GherkinDocument | undefined;
  const pickles: Pickle[] = [];
  for (const envelope of envelopes) {
    if (envelope.parseError) {
      const where = envelope.parseError.source.location?.line;
      errors.push(`${feature.uri}${where === undefined ? '' : `:${where}`}: ${envelope.parseError.message}`);
    }
    if (envelope.gherkinDocument) document = envelope.gherkinDocument;
    if (envelope.pickle) pickles.push(envelope.pickle);
  }
  const lines = document === undefined ? new Map<string, number>() : nodeLines(document);
  return pickles.map((pickle) => ({ pickle, line: lines.get(pickle.astNodeIds[pickle.astNodeIds.length - 1] ?? '') ?? 0 }));
}

/** The line of every AST node with an id (scenarios, Examples rows). */
function nodeLines(document: GherkinDocument): Map<string, number> {
  const lines = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const record = node as { id?: unknown; location?: { line?: unknown } };
    if (typeof record.id === 'string' && typeof record.location?.line === 'number') lines.set(record.id, record.location.line);
    for (const value of Object.values(node)) visit(value);
  };
  visit(document.feature);
  return lines;
}

function classify(pickle: Pickle, line: number, catalog: Catalog, errors: string[]): ScenarioEntry {
  const where = `${pickle.uri}:${line} "${pickle.name}"`;
  const fail = (message: string) => errors.push(`${where}: ${message}`);
  const tags = [...new Set(pickle.tags.map((tag) => tag.name))];
  const valued = (prefix: string) => tags.filter((tag) => tag.startsWith(prefix)).map((tag) => tag.slice(prefix.length));

  for (const tag of tags) {
    if (!KNOWN_FLAGS.has(tag) && !KNOWN_PREFIXES.some((prefix) => tag.startsWith(prefix))) fail(`unknown tag ${tag}`);
  }

  // The rule: exactly one @rule: tag naming a rule of the catalog.
  const rules = valued('@rule:');
  let rule: string | null = null;
  if (rules.length !== 1) fail(rules.length === 0 ? 'no @rule: tag' : `several @rule: tags (${rules.join(', ')})`);
  else if (!catalog.ruleIds.includes(rules[0] as string)) fail(`@rule:${rules[0]} names no rule of the catalog`);
  else rule = rules[0] as string;

  // The setting: from @setting: tags and the "the account uses the … setting" step; one, and they
  // agree. The tag is required, so that a run for one setting (--tags @setting:<id>) misses nothing.
  const tagged = valued('@setting:');
  const stepped = pickle.steps.map((step) => SETTING_STEP.exec(step.text)?.[1]).filter((id): id is string => id !== undefined);
  const named = [...new Set([...tagged, ...stepped])];
  let setting: string | null = null;
  if (stepped.length > 1) fail(`the setting step appears ${stepped.length} times`);
  if (named.length === 0) fail('names no setting (no @setting: tag and no "the account uses the … setting" step)');
  else if (named.length > 1) fail(`names several settings (${named.join(', ')}): its @setting: tags and its setting step disagree`);
  else if (!catalog.settingIds.includes(named[0] as string)) fail(`"${named[0]}" is not a setting (${catalog.settingIds.join(', ')})`);
  else setting = named[0] as string;
  if (tagged.length === 0 && named.length > 0) fail(`no @setting: tag (tag the Examples block or the scenario, so that --tags '@setting:${named[0]}' selects it)`);

  const otherReading = tags.includes('@expected-to-differ');
  const readings = valued('@reading:');
  if (rule !== null && setting !== null) {
    if (!catalog.settings(rule).includes(setting)) {
      fail(`${rule} does not apply under ${setting} (n/a: ${catalog.notApplicable(rule, setting) ?? 'not in the catalog'})`);
    }
    const sources = valued('@source:');
    const expected = catalog.provenance(rule, setting);
    if (sources.length !== 1) fail(sources.length === 0 ? `no @source: tag (the catalog says @source:${expected})` : `several @source: tags (${sources.join(', ')})`);
    else if (sources[0] !== expected) fail(`@source:${sources[0]} disagrees with the catalog: ${rule} under ${setting} is @source:${expected}`);
    const risk = catalog.risk(rule, setting);
    if (risk !== undefined && !tags.includes('@risk')) fail(`${rule} under ${setting} is a known risk; tag it @risk`);
    if (risk === undefined && tags.includes('@risk')) fail(`@risk, but ${rule} under ${setting} is not a risk cell of the catalog`);
    const other = catalog.otherReading(rule);
    if (otherReading) {
      if (other === undefined) fail(`@expected-to-differ, but ${rule} is not DISPUTED`);
      else if (readings.length !== 1 || readings[0] !== other) fail(`@expected-to-differ needs @reading:${other} (the other reading of ${rule})`);
    }
  }
  if (!otherReading && readings.length > 0) fail('@reading: without @expected-to-differ (the engine\'s reading carries no @reading tag)');

  return { uri: pickle.uri, line, name: pickle.name, rule, setting, otherReading };
}

function checkCatalogAgainstFlows(input: CoverageInput, catalog: Catalog, errors: string[]): void {
  const flowsName = input.flowsPath ?? 'flows.md';
  if (input.flowsMarkdown === null) {
    errors.push(`${flowsName}: cannot be read, so the rule catalog cannot be compared with it`);
    return;
  }
  const entries = readFlows(input.flowsMarkdown, catalog.settingIds);
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const first = seen.get(entry.id);
    if (first !== undefined) errors.push(`${flowsName}:${entry.line}: ${entry.id} is listed twice (first on line ${first})`);
    else seen.set(entry.id, entry.line);
  }
  const inFlows = [...seen.keys()];
  const inCatalog = [...catalog.ruleIds, ...catalog.invariantIds];
  for (const id of inFlows.filter((id) => !inCatalog.includes(id))) errors.push(`${flowsName}:${seen.get(id)}: ${id} is in flows.md but not in the rule catalog`);
  for (const id of inCatalog.filter((id) => !inFlows.includes(id))) errors.push(`${id} is in the rule catalog but not in ${flowsName}`);

  // Every rule flows.md says the report marks as a risk has risk cells in the catalog, and no other.
  const mentions = readRiskMentions(input.flowsMarkdown);
  const risky = catalog.ruleIds.filter((rule) => catalog.settingIds.some((setting) => catalog.risk(rule, setting) !== undefined));
  for (const mention of mentions) {
    if (catalog.ruleIds.includes(mention.id) && !risky.includes(mention.id) && mentions.find((other) => other.id === mention.id) === mention) {
      errors.push(`${flowsName}:${mention.line}: flows.md names ${mention.id} a known risk, but the catalog marks no cell of it as a risk`);
    }
  }
  for (const rule of risky.filter((id) => !mentions.some((mention) => mention.id === id))) {
    errors.push(`${rule} has risk cells in the catalog, but flows.md names it no risk`);
  }

  for (const entry of entries) {
    const isRule = catalog.ruleIds.includes(entry.id);
    const isInvariant = catalog.invariantIds.includes(entry.id);
    if (!isRule && !isInvariant) continue;
    const expected = entry.settings ?? catalog.settingIds;
    const actual = isRule ? catalog.settings(entry.id) : catalog.invariantSettings(entry.id);
    if (!sameSet(expected, actual)) {
      errors.push(`${flowsName}:${entry.line}: ${entry.id} applies under ${expected.join(', ')} in flows.md but under ${actual.join(', ')} in the catalog`);
    }
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

// ---------------------------------------------------------------------------------------------------
// The text report

/**
 * The matrix: one row per rule (grouped by family), one column per setting; a cell is the number of
 * scenarios stating the engine's reading, "+n" the scenarios of another source's reading, "!" a known
 * risk, "n/a" a cell where the rule does not apply.
 */
export function formatMatrix(report: CoverageReport): string {
  const columns = report.settingIds;
  const ruleWidth = Math.max(28, ...report.ruleIds.map((rule) => rule.length + 4));
  const cellText = (cell: Cell) => {
    if (!cell.applies) return cell.scenarios + cell.otherReadings > 0 ? `n/a(${cell.scenarios + cell.otherReadings})` : 'n/a';
    return `${cell.scenarios}${cell.otherReadings > 0 ? ` +${cell.otherReadings}` : ''}${cell.risk ? ' !' : ''}${cell.scenarios === 0 ? ' MISSING' : ''}`;
  };
  const widths = columns.map((setting) => Math.max(setting.length, 12));
  const row = (first: string, cells: readonly string[]) =>
    `${first.padEnd(ruleWidth)}${cells.map((text, index) => text.padEnd((widths[index] as number) + 2)).join('')}`.trimEnd();

  const lines: string[] = [];
  lines.push('Scenarios per rule × setting (n: the engine\'s reading; +n: another source\'s reading, expected to differ; !: known risk; n/a: does not apply)');
  lines.push('');
  lines.push(row('rule', [...columns]));
  const families = [...new Set(report.ruleIds.map((rule) => report.family(rule)))];
  for (const family of families) {
    const rules = report.ruleIds.filter((rule) => report.family(rule) === family);
    const count = report.scenarios.filter((entry) => entry.rule !== null && rules.includes(entry.rule)).length;
    lines.push(`${family} (${count} scenarios)`);
    for (const rule of rules) {
      lines.push(row(`  ${rule}`, columns.map((setting) => cellText(report.cells.find((cell) => cell.rule === rule && cell.setting === setting) as Cell))));
    }
  }
  const totals = columns.map((setting) => String(report.scenarios.filter((entry) => entry.setting === setting).length));
  lines.push(row('all scenarios, per setting', totals));
  lines.push('');

  const byFolder = new Map<string, number>();
  for (const entry of report.scenarios) {
    const folder = entry.uri.replace(/^features\//, '').split('/').slice(0, -1).join('/') || '.';
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + 1);
  }
  lines.push(`Scenarios per feature family: ${[...byFolder].map(([folder, count]) => `${folder} ${count}`).join(', ')}; total ${report.scenarios.length}`);
  const applicable = report.cells.filter((cell) => cell.applies);
  const covered = applicable.filter((cell) => cell.scenarios > 0);
  const risks = applicable.filter((cell) => cell.risk).map((cell) => `${cell.rule} × ${cell.setting}`);
  lines.push(`Cells covered: ${covered.length} of ${applicable.length} (${report.cells.length - applicable.length} n/a)`);
  lines.push(`Known-risk cells: ${risks.join('; ')}`);
  return lines.join('\n');
}
