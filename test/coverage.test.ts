import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkCoverage, formatMatrix, type FeatureSource } from '../src/coverage/gate';
import { readFlows } from '../src/coverage/flows';
import { INVARIANT_IDS, INVARIANTS } from '../src/invariants/ids';
import { provenanceOf, RULE_IDS, RULES, type RuleId } from '../src/policy/rules';
import { otherReadingOf, PROFILE_TABLE } from '../src/policy/table';
import { SETTING_IDS, type SettingId } from '../src/domain';

/**
 * The coverage gate must be able to fail: each test below starts from fixture feature texts that
 * pass and breaks one thing. The fixtures are generated from the rule catalog (the gate's test may
 * read it; the feature steps may not).
 */

interface FixtureScenario {
  rule: string;
  setting: string;
  tags: string[];
  settingStep?: boolean;
}

function tagsFor(rule: RuleId, setting: SettingId): string[] {
  const tags = [`@rule:${rule}`, `@source:${provenanceOf(rule, setting)}`, `@setting:${setting}`];
  if (RULES[rule].risks?.[setting] !== undefined) tags.push('@risk');
  return tags;
}

function completeScenarios(): FixtureScenario[] {
  const scenarios: FixtureScenario[] = [];
  for (const rule of RULE_IDS) {
    for (const setting of RULES[rule].settings) scenarios.push({ rule, setting, tags: tagsFor(rule, setting) });
    const other = otherReadingOf(rule);
    if (other !== undefined) {
      scenarios.push({ rule, setting: 'verified-only', tags: [...tagsFor(rule, 'verified-only'), `@reading:${other.source}`, '@expected-to-differ'] });
    }
  }
  return scenarios;
}

function featureOf(scenarios: readonly FixtureScenario[], uri = 'features/fixture/all.feature'): FeatureSource {
  const body = scenarios
    .map((scenario, index) => {
      const step = scenario.settingStep === false ? '      Given a visitor starts a conversation without an email' : `      Given the account uses the "${scenario.setting}" setting`;
      return `  ${scenario.tags.join(' ')}\n  Scenario: fixture ${index} ${scenario.rule} under ${scenario.setting}\n${step}\n`;
    })
    .join('\n');
  return { uri, text: `Feature: fixture\n\n${body}` };
}

/** A flows.md with the catalog's IDs: rule tables with a setting column, and the invariants. */
function flowsOf(
  ruleIds: readonly string[] = RULE_IDS,
  invariantIds: readonly string[] = INVARIANT_IDS,
  override: Record<string, string> = {},
  risks: readonly string[] = RULE_IDS.filter((id) => RULES[id].risks !== undefined),
): string {
  const settingCell = (settings: readonly string[]) => (settings.length === SETTING_IDS.length ? 'all' : settings.map((id) => `\`${id}\``).join(', '));
  const rules = ruleIds.map((id) => `| ${id} | ${override[id] ?? settingCell(RULES[id as RuleId]?.settings ?? SETTING_IDS)} | given | then | SEED |`);
  const invariants = invariantIds.map((id) => {
    const settings = INVARIANTS[id as (typeof INVARIANT_IDS)[number]]?.settings ?? SETTING_IDS;
    return `| ${id} | statement | ${settings.length === SETTING_IDS.length ? 'always' : settingCell(settings)} |`;
  });
  return [
    '# Flow catalog (fixture)',
    '',
    '| ID | setting | given | then | source |',
    '|---|---|---|---|---|',
    ...rules,
    '',
    '| ID | invariant | applies |',
    '|---|---|---|',
    ...invariants,
    '',
    ...risks.map((id) => `The report marks ${id} as a known risk.`),
    '',
  ].join('\n');
}

function check(scenarios: readonly FixtureScenario[], flows: string | null = flowsOf()) {
  return checkCoverage({ features: [featureOf(scenarios)], flowsMarkdown: flows });
}

function assertError(errors: readonly string[], pattern: RegExp): void {
  assert.ok(errors.some((error) => pattern.test(error)), `expected an error matching ${pattern}; got:\n${errors.join('\n')}`);
}

describe('coverage gate', () => {
  it('passes a complete set of scenarios against a matching flows.md', () => {
    const report = check(completeScenarios());
    assert.deepEqual(report.errors, []);
    const applicable = report.cells.filter((cell) => cell.applies);
    assert.equal(applicable.length, RULE_IDS.reduce((sum, rule) => sum + RULES[rule].settings.length, 0));
    assert.ok(applicable.every((cell) => cell.scenarios === 1));
  });

  it('fails when a rule × setting cell has no scenario', () => {
    const scenarios = completeScenarios().filter((s) => !(s.rule === 'VISIT-JOIN-UNVERIFIED' && s.setting === 'claim-verified'));
    const report = check(scenarios);
    assert.deepEqual(report.errors, ['VISIT-JOIN-UNVERIFIED × claim-verified: no scenario states this cell']);
    assert.match(formatMatrix(report), /VISIT-JOIN-UNVERIFIED\s+n\/a\s+1 !\s+0 ! MISSING/);
  });

  it('does not count a scenario of another reading for its cell', () => {
    const scenarios = completeScenarios().filter((s) => !(s.rule === 'AUTH-ADOPT' && s.setting === 'verified-only' && !s.tags.includes('@expected-to-differ')));
    assertError(check(scenarios).errors, /^AUTH-ADOPT × verified-only: no scenario/);
  });

  it('fails when a tag names an unknown rule', () => {
    const scenarios = [...completeScenarios(), { rule: 'VISIT-TELEPATHY', setting: 'verified-only', tags: ['@rule:VISIT-TELEPATHY', '@source:SEED'] }];
    assertError(check(scenarios).errors, /@rule:VISIT-TELEPATHY names no rule of the catalog/);
  });

  it('fails when a scenario has no rule tag, or two', () => {
    const none = [...completeScenarios(), { rule: 'none', setting: 'verified-only', tags: ['@source:SEED'] }];
    assertError(check(none).errors, /no @rule: tag/);
    const two = [...completeScenarios(), { rule: 'two', setting: 'verified-only', tags: ['@rule:AUTH-NEW', '@rule:AUTH-LINK', '@source:SEED'] }];
    assertError(check(two).errors, /several @rule: tags/);
  });

  it('fails when a @source tag disagrees with the catalog, per setting', () => {
    const scenarios = completeScenarios().map((s) =>
      s.rule === 'AUTH-UNVERIFIED-CLAIM' && s.setting === 'verified-only' ? { ...s, tags: s.tags.map((tag) => (tag === '@source:DOC' ? '@source:INF' : tag)) } : s,
    );
    assertError(check(scenarios).errors, /@source:INF disagrees with the catalog: AUTH-UNVERIFIED-CLAIM under verified-only is @source:DOC/);
    const missing = completeScenarios().map((s) => (s.rule === 'AUTH-NEW' && s.setting === 'claim-verified' ? { ...s, tags: ['@rule:AUTH-NEW'] } : s));
    assertError(check(missing).errors, /no @source: tag \(the catalog says @source:SEED\)/);
  });

  it('fails when a scenario is tagged with a rule under a setting where the rule does not apply', () => {
    const scenarios = [...completeScenarios(), { rule: 'VISIT-STRICT', setting: 'claim-verified', tags: ['@rule:VISIT-STRICT', '@source:SEED'] }];
    assertError(check(scenarios).errors, /VISIT-STRICT does not apply under claim-verified \(n\/a: /);
  });

  it('fails when a scenario names no setting, or its tag and its step disagree', () => {
    const none = [...completeScenarios(), { rule: 'AUTH-NEW', setting: 'verified-only', tags: ['@rule:AUTH-NEW', '@source:SEED'], settingStep: false }];
    assertError(check(none).errors, /names no setting/);
    const clash = [...completeScenarios(), { rule: 'AUTH-NEW', setting: 'verified-only', tags: ['@rule:AUTH-NEW', '@source:SEED', '@setting:claim-verified'] }];
    assertError(check(clash).errors, /names several settings \(claim-verified, verified-only\)/);
    const unknown = [...completeScenarios(), { rule: 'AUTH-NEW', setting: 'verified-sometimes', tags: ['@rule:AUTH-NEW', '@source:SEED', '@setting:verified-sometimes'] }];
    assertError(check(unknown).errors, /"verified-sometimes" is not a setting/);
    const untagged = [...completeScenarios(), { rule: 'AUTH-NEW', setting: 'claim-verified', tags: ['@rule:AUTH-NEW', '@source:SEED'] }];
    assertError(check(untagged).errors, /no @setting: tag \(tag the Examples block or the scenario, so that --tags '@setting:claim-verified' selects it\)/);
  });

  it('fails when a known-risk cell is not tagged @risk, or a safe cell is', () => {
    const untagged = completeScenarios().map((s) => (s.rule === 'VISIT-CLAIM-VERIFIED' ? { ...s, tags: s.tags.filter((tag) => tag !== '@risk') } : s));
    assertError(check(untagged).errors, /VISIT-CLAIM-VERIFIED under claim-verified is a known risk; tag it @risk/);
    const extra = completeScenarios().map((s) => (s.rule === 'LOGIN-MERGE' && s.setting === 'verified-only' ? { ...s, tags: [...s.tags, '@risk'] } : s));
    assertError(check(extra).errors, /@risk, but LOGIN-MERGE under verified-only is not a risk cell/);
  });

  it('fails when flows.md names a risk the catalog does not mark, or the catalog marks a risk flows.md does not name', () => {
    const risky = RULE_IDS.filter((id) => RULES[id].risks !== undefined);
    assert.ok(risky.includes('VISIT-JOIN-UNVERIFIED') && risky.includes('LOGIN-MERGE'));
    const extra = check(completeScenarios(), flowsOf(RULE_IDS, INVARIANT_IDS, {}, [...risky, 'AUTH-NEW']));
    assertError(extra.errors, /flows\.md:\d+: flows\.md names AUTH-NEW a known risk, but the catalog marks no cell of it as a risk/);
    const missing = check(completeScenarios(), flowsOf(RULE_IDS, INVARIANT_IDS, {}, risky.filter((id) => id !== 'VISIT-JOIN-UNVERIFIED')));
    assertError(missing.errors, /^VISIT-JOIN-UNVERIFIED has risk cells in the catalog, but flows\.md names it no risk$/);
  });

  it('fails when another reading is tagged wrongly, or a DISPUTED rule has none', () => {
    const wrongReading = completeScenarios().map((s) => (s.tags.includes('@reading:DOC') ? { ...s, tags: s.tags.map((tag) => (tag === '@reading:DOC' ? '@reading:SEED' : tag)) } : s));
    assertError(check(wrongReading).errors, /@expected-to-differ needs @reading:DOC \(the other reading of LOGIN-MOVE\)/);
    const notDisputed = [...completeScenarios(), { rule: 'AUTH-NEW', setting: 'verified-only', tags: [...tagsFor('AUTH-NEW', 'verified-only'), '@reading:DOC', '@expected-to-differ'] }];
    assertError(check(notDisputed).errors, /@expected-to-differ, but AUTH-NEW is not DISPUTED/);
    const noOther = completeScenarios().filter((s) => !(s.rule === 'AUTH-CONFLICT' && s.tags.includes('@expected-to-differ')));
    assertError(check(noOther).errors, /AUTH-CONFLICT is DISPUTED: no scenario states the SEED reading/);
    const stray = [...completeScenarios(), { rule: 'AUTH-NEW', setting: 'verified-only', tags: [...tagsFor('AUTH-NEW', 'verified-only'), '@reading:SEED'] }];
    assertError(check(stray).errors, /@reading: without @expected-to-differ/);
  });

  it('reads the other readings from the reading profiles: each DISPUTED rule is disputed by exactly one profile, which names its source', () => {
    for (const rule of RULE_IDS) {
      const disputed = SETTING_IDS.some((setting) => provenanceOf(rule, setting) === 'DISPUTED');
      const profiles = Object.values(PROFILE_TABLE).filter((profile) => profile.disputes.includes(rule));
      assert.equal(profiles.length, disputed ? 1 : 0, `${rule}: ${profiles.map((profile) => profile.id).join(', ')}`);
      assert.equal(RULES[rule].dispute !== undefined, disputed, `${rule}: a DISPUTED rule states both readings`);
      if (disputed) assert.ok(otherReadingOf(rule)?.source, `${rule}: the profile names the source of its reading`);
    }
    assert.equal(PROFILE_TABLE.reference.disputes.length, 0);
  });

  it('fails on a tag it does not know (a misspelt @risk)', () => {
    const scenarios = [...completeScenarios(), { rule: 'AUTH-NEW', setting: 'verified-only', tags: [...tagsFor('AUTH-NEW', 'verified-only'), '@rsik'] }];
    assertError(check(scenarios).errors, /unknown tag @rsik/);
  });

  it('fails on a feature file that does not parse', () => {
    const report = checkCoverage({
      features: [featureOf(completeScenarios()), { uri: 'features/broken.feature', text: 'Feature: x\n  Scenario: y\n    Given z\nFeature: a second feature in one file\n' }],
      flowsMarkdown: flowsOf(),
    });
    assertError(report.errors, /^features\/broken\.feature:\d+: /);
  });

  describe('the rule catalog against flows.md', () => {
    it('fails when flows.md lacks a rule or an invariant of the catalog', () => {
      assertError(check(completeScenarios(), flowsOf(RULE_IDS.filter((id) => id !== 'ADMIN-SWITCH'))).errors, /^ADMIN-SWITCH is in the rule catalog but not in flows\.md$/);
      assertError(check(completeScenarios(), flowsOf(RULE_IDS, INVARIANT_IDS.filter((id) => id !== 'INV-ONE-EXTID'))).errors, /^INV-ONE-EXTID is in the rule catalog but not in flows\.md$/);
    });

    it('fails when flows.md has a rule the catalog lacks, or lists one twice', () => {
      assertError(check(completeScenarios(), flowsOf([...RULE_IDS, 'AUTH-TELEPATHY'])).errors, /flows\.md:\d+: AUTH-TELEPATHY is in flows\.md but not in the rule catalog/);
      assertError(check(completeScenarios(), flowsOf([...RULE_IDS, 'AUTH-NEW'])).errors, /AUTH-NEW is listed twice/);
    });

    it('fails when flows.md and the catalog disagree on the settings a rule applies in', () => {
      const flows = flowsOf(RULE_IDS, INVARIANT_IDS, { 'VISIT-VERIFIED-HELD': '`verified-and-unverified`, `claim-verified`' });
      assertError(check(completeScenarios(), flows).errors, /VISIT-VERIFIED-HELD applies under verified-and-unverified, claim-verified in flows\.md but under verified-and-unverified in the catalog/);
    });

    it('fails when flows.md cannot be read', () => {
      assertError(check(completeScenarios(), null).errors, /cannot be read/);
    });

    it('reads IDs and settings from flows.md tables, ignoring other tables', () => {
      const entries = readFlows(
        ['| tag | source |', '|---|---|', '| `SEED` | x |', '', '| ID | setting | given |', '|---|---|---|', '| VISIT-STRICT | `verified-only` | x |', '| VISIT-NO-EMAIL | all | x |', '', '| ID | what |', '|---|---|', '| ADMIN-MERGE | x |'].join('\n'),
        SETTING_IDS,
      );
      assert.deepEqual(
        entries.map((entry) => [entry.id, entry.settings]),
        [
          ['VISIT-STRICT', ['verified-only']],
          ['VISIT-NO-EMAIL', [...SETTING_IDS]],
          ['ADMIN-MERGE', null],
        ],
      );
    });

    const realFlows = process.env.IDMATRIX_FLOWS ?? path.resolve(__dirname, '..', '..', 'shared', 'spec', 'flows.md');
    it('agrees with the shared flows.md', function () {
      if (!existsSync(realFlows)) this.skip();
      assert.deepEqual(check(completeScenarios(), readFileSync(realFlows, 'utf8')).errors, []);
    });
  });

  it('prints n/a, risk marks and other readings in the matrix', () => {
    const text = formatMatrix(check(completeScenarios()));
    assert.match(text, /VISIT-STRICT\s+1\s+n\/a\s+n\/a/);
    assert.match(text, /VISIT-CLAIM-VERIFIED\s+n\/a\s+n\/a\s+1 !/);
    assert.match(text, /AUTH-ADOPT\s+1 \+1\s+1\s+1/);
    assert.match(text, /Cells covered: 73 of 73 \(8 n\/a\)/);
  });
});
