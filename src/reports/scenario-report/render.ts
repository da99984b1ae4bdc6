import { SETTING_IDS, type SettingId } from '../../domain';
import { DECISION_CHECKS, RULES, type RuleFamily, type RuleId } from '../../policy/rules';
import { otherReadingOf } from '../../policy/table';
import { inlineScript, jsonData, packageFile, packageVersion } from '../html/assets';
import { classes, html, type Html, type HtmlValue } from '../html/html';
import { renderPage } from '../html/page';
import { FAMILY_WORDS, GLOSSARY, PROVENANCE_WORDS, READING_WORDS, REFUSED_COMBINATION, SETTING_SHORT, SETTING_WORDS } from '../words';
import {
  buildRows,
  CELL_STATUS_WORDS,
  COLUMNS,
  flowchart,
  REFUSED,
  SETTING_PAIRS,
  switchChanges,
  type CellView,
  type Column,
  type RowView,
  type TargetInfo,
} from './model';
import type { RunView, ScenarioView, StepView } from './run';
import type { MutationSummary, PropertiesSummary } from './summaries';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets';

/**
 * The scenario report a product manager reads (reports/index.html): the rule × setting matrix, the
 * disputes with both readings, the known risks, what switching settings changes, the decision flow of
 * each setting, the property and mutation summaries, and every scenario with its steps and final state.
 */

export interface ReportInput {
  readonly run: RunView;
  readonly target: TargetInfo;
  readonly properties: PropertiesSummary | null;
  readonly mutation: MutationSummary | null;
  /** When the page was written (ISO), and by what. */
  readonly generatedAt: string;
  /** Links to the detailed reports, relative to the page, that exist. */
  readonly links: readonly { readonly href: string; readonly label: string }[];
}

const FAMILIES: readonly RuleFamily[] = ['visitor', 'signed-in', 'login', 'admin'];

function columnTitle(column: Column): string {
  return column === REFUSED ? REFUSED_COMBINATION.title : SETTING_WORDS[column].title;
}

function columnDetail(column: Column): string {
  return column === REFUSED ? 'refused by the account' : SETTING_WORDS[column].detail;
}

function columnShort(column: Column): string {
  return column === REFUSED ? 'Refused combination' : SETTING_SHORT[column];
}

function statusBadge(status: keyof typeof CELL_STATUS_WORDS): Html {
  return html`<span class="${classes('status', status)}">${CELL_STATUS_WORDS[status]}</span>`;
}

function scenarioStatusBadge(scenario: ScenarioView): Html {
  if (scenario.status === 'differs') return html`<span class="status differs">differs from the engine, as expected</span>`;
  return statusBadge(scenario.status);
}

// ---------------------------------------------------------------------------------------------------

export function renderReport(input: ReportInput): string {
  const rows = buildRows(input.run, input.target);
  const cells = rows.flatMap((row) => row.cells);
  const counts = (status: string) => cells.filter((cell) => cell.status === status).length;
  const scenarios = input.run.scenarios;
  const failedScenarios = scenarios.filter((scenario) => scenario.status === 'failed');
  const riskCells = cells.filter((cell) => cell.risk !== null);

  const body = html`
<header class="page">
  <p class="kicker muted small">idmatrix · scenario report</p>
  <h1>How a customer's email identity is decided, under each setting</h1>
  <p class="lede">Each row is a rule of the specification, each column a setting of the account's email identities. A cell says what
  happens and whether the run showed it. Known risks are marked <span class="risk">known risk</span>; where the sources disagree, both readings are shown.</p>
  <dl class="run-facts small">
    <div><dt>Checked against</dt><dd><strong>${input.target.name}</strong> (reading: ${readingWords(input.target.reading)})</dd></div>
    <div><dt>Run</dt><dd>${input.run.startedAt === null ? 'unknown time' : whenWords(input.run.startedAt)}, ${scenarios.length} scenarios${input.run.seconds === null ? '' : `, ${input.run.seconds.toFixed(1)} s`}</dd></div>
    <div><dt>Outcome</dt><dd>${failedScenarios.length === 0 ? html`<span class="status passed">every scenario passed</span>` : html`<span class="status failed">${failedScenarios.length} scenario${failedScenarios.length === 1 ? '' : 's'} failed</span>`}</dd></div>
  </dl>
  <div class="summary-cards">
    <div class="card"><span class="big">${counts('passed')} of ${cells.filter((cell) => cell.status !== 'not-applicable').length}</span>cells passed</div>
    <div class="card"><span class="big">${counts('failed')}</span>cells failed</div>
    <div class="card"><span class="big">${counts('expected-failure')}</span>expected failures</div>
    <div class="card"><span class="big">${counts('not-covered')}</span>cells not covered</div>
    <div class="card"><span class="big">${riskCells.length}</span>known-risk cells</div>
  </div>
  <nav class="toc small no-print" aria-label="Sections">
    <a href="#matrix">Matrix</a> · <a href="#disputes">Disputes</a> · <a href="#risks">Known risks</a> · <a href="#switching">What switching changes</a> ·
    <a href="#flows">Decision flows</a> · <a href="#checks">Property and mutation checks</a> · <a href="#scenarios">Scenarios</a> · <a href="#glossary">Glossary</a>
  </nav>
</header>
<main>
  ${renderMatrix(rows)}
  ${renderDisputes(rows)}
  ${renderRisks(rows)}
  ${renderSwitching()}
  ${renderFlows()}
  ${renderChecks(input)}
  ${renderScenarios(scenarios, input.target)}
  ${renderGlossary()}
</main>
<footer class="page small muted">
  <p>Written ${input.generatedAt} from the run's machine-readable outputs (reports/messages.ndjson and the property and mutation reports);
  <code>npm run report</code> writes it again without running anything. Decision flows drawn by mermaid ${packageVersion('mermaid')} inside this page; nothing is fetched.</p>
</footer>`;

  return renderPage({
    title: 'idmatrix scenario report: the rule × setting matrix',
    description: 'How the reference engine decides a customer\'s email identity under each setting, and how the run fared.',
    style: PAGE_STYLE,
    body,
    scripts: [
      jsonData('report-data', {
        target: input.target.name,
        reading: input.target.reading,
        cells: cells.map((cell) => ({ rule: cell.rule, column: cell.column, status: cell.status, scenarios: cell.scenarios.map((s) => s.anchor) })),
      }),
      inlineScript(packageFile('mermaid', 'dist/mermaid.min.js')),
      inlineScript(PAGE_SCRIPT),
    ],
  });
}

function whenWords(iso: string): string {
  const date = new Date(iso);
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

function readingWords(reading: string): string {
  if (reading === 'reference') return 'the reference engine\'s readings of the disputed rules';
  const words = READING_WORDS[reading.toUpperCase()];
  return words === undefined ? reading : `${words}'s readings of the disputed rules`;
}

// ---------------------------------------------------------------------------------------------------
// The matrix

function renderMatrix(rows: readonly RowView[]): Html {
  const filter = (id: string, label: string, options: readonly [string, string][]) => html`
    <label class="filter" for="${id}"><span>${label}</span>
      <select id="${id}" data-filter="${id.replace(/^filter-/, '')}">
        <option value="">all</option>
        ${options.map(([value, words]) => html`<option value="${value}">${words}</option>`)}
      </select>
    </label>`;
  return html`
<section id="matrix" aria-labelledby="matrix-title">
  <h2 id="matrix-title">The matrix: every rule under every setting</h2>
  <p class="small">Rows are rules, grouped by who writes in; columns are the three settings an account can have, and the fourth combination the account refuses.
  Each cell: what happens, in words, and the run's verdict (${(['passed', 'failed', 'expected-failure', 'not-covered', 'not-applicable'] as const).map((status, index) => html`${index > 0 ? ', ' : ''}${statusBadge(status)}`)}).
  The numbered links open the scenarios that show the cell.</p>
  <form class="filters no-print" aria-label="Filter the matrix" onsubmit="return false">
    ${filter('filter-setting', 'Setting', COLUMNS.map((column) => [column, columnShort(column)]))}
    ${filter('filter-family', 'Who writes in', FAMILIES.map((family) => [family, FAMILY_WORDS[family]]))}
    ${filter('filter-status', 'Status', (['passed', 'failed', 'expected-failure', 'not-covered', 'not-applicable'] as const).map((status) => [status, CELL_STATUS_WORDS[status]]))}
    ${filter('filter-source', 'Source', (['SEED', 'DOC', 'INF', 'DISPUTED'] as const).map((code) => [code, PROVENANCE_WORDS[code]]))}
    <output id="filter-count" class="small muted" aria-live="polite"></output>
  </form>
  <div class="matrix-wrap">
  <table class="matrix">
    <thead><tr><th scope="col" class="rule-col">Rule</th>${COLUMNS.map(
      (column) => html`<th scope="col" data-column="${column}">${columnTitle(column)}<span class="col-detail">${columnDetail(column)}</span></th>`,
    )}</tr></thead>
    ${FAMILIES.map(
      (family) => html`<tbody data-family="${family}">
      <tr class="family-row"><th colspan="${COLUMNS.length + 1}" scope="rowgroup">${FAMILY_WORDS[family]}</th></tr>
      ${rows.filter((row) => row.family === family).map((row) => renderRow(row))}
    </tbody>`,
    )}
  </table>
  </div>
</section>`;
}

function renderRow(row: RowView): Html {
  const spec = RULES[row.rule];
  return html`<tr id="rule-${row.rule}" class="rule-row" data-family="${row.family}" data-sources="${row.provenances.join(' ')}">
    <th scope="row" class="rule-head">
      <span class="statement">${row.statement}</span>
      <span class="rule-meta small muted"><code>${row.rule}</code> · source: ${inWords(row.sources)}${spec.dispute ? html` · <a href="#dispute-${row.rule}">both readings</a>` : ''}</span>
    </th>
    ${row.cells.map((cell) => renderCell(cell))}
  </tr>`;
}

function renderCell(cell: CellView): Html {
  const links = cell.scenarios.map((scenario, index) => html`<a href="#${scenario.anchor}" title="${scenario.name}">${index + 1}</a>`);
  return html`<td class="${classes('cell', cell.status, cell.risk !== null && 'has-risk')}" data-rule="${cell.rule}" data-column="${cell.column}" data-status="${cell.status}"
      data-label="${columnShort(cell.column)}" data-source="${cell.provenance ?? ''}">
    ${cell.status === 'not-applicable' ? '' : html`<span class="outcome">${cell.outcome}</span>`}
    <span class="cell-foot">${statusBadge(cell.status)}${cell.risk !== null ? html` <a class="risk" href="#risk-${cell.rule}-${cell.column}">known risk</a>` : ''}</span>
    ${cell.expectedReason !== null ? html`<span class="small muted">expected: ${cell.expectedReason}</span>` : ''}
    ${cell.note !== null && cell.column !== REFUSED ? html`<span class="small muted">${inWords(cell.note)}</span>` : ''}
    ${links.length > 0 ? html`<span class="scenario-links small">scenarios: ${links.map((link, index) => html`${index > 0 ? ' · ' : ''}${link}`)}</span>` : ''}
    ${cell.otherReadings.length > 0 ? html`<span class="small"><a href="#dispute-${cell.rule}">the other reading: ${cell.otherReadings.length} scenario${cell.otherReadings.length === 1 ? '' : 's'}</a></span>` : ''}
  </td>`;
}

// ---------------------------------------------------------------------------------------------------
// Disputes

function renderDisputes(rows: readonly RowView[]): Html {
  const disputed = rows.filter((row) => RULES[row.rule].dispute !== undefined);
  return html`
<section id="disputes" aria-labelledby="disputes-title">
  <h2 id="disputes-title">Where the sources disagree: both readings</h2>
  <p class="small">For these rules the article on these settings and Zendesk's help center say different things. The engine follows one reading;
  the other reading's scenarios run too, and each of their statements that the engine does not do is shown <span class="not-holding">struck through</span> with
  "does not hold". None of them is counted as passed.</p>
  ${disputed.map((row) => renderDispute(row))}
</section>`;
}

function renderDispute(row: RowView): Html {
  const dispute = RULES[row.rule].dispute!;
  const cells = row.cells.filter((cell) => cell.column !== REFUSED);
  const engine = cells.flatMap((cell) => cell.scenarios);
  const other = cells.flatMap((cell) => cell.otherReadings);
  const otherSource = otherReadingOf(row.rule)?.source ?? 'another source';
  const otherName = READING_WORDS[otherSource] ?? otherSource;
  // The other reading's statements, each with the settings where it held and where it did not.
  const statements = new Map<string, { holds: SettingId[]; doesNot: SettingId[]; anchors: string[] }>();
  for (const scenario of other) {
    for (const step of scenario.steps.filter((candidate) => candidate.outcome)) {
      if (!statements.has(step.text)) statements.set(step.text, { holds: [], doesNot: [], anchors: [] });
      const entry = statements.get(step.text)!;
      if (scenario.setting !== null) (step.notHolding || step.status !== 'passed' ? entry.doesNot : entry.holds).push(scenario.setting);
      entry.anchors.push(scenario.anchor);
    }
  }
  const engineStatus = engine.some((scenario) => scenario.status === 'failed') ? 'failed' : engine.length === 0 ? 'not-covered' : 'passed';
  return html`<article class="dispute" id="dispute-${row.rule}">
    <h3>${row.statement} <code class="small">${row.rule}</code></h3>
    <div class="readings">
      <div class="reading engine">
        <h4>The reading the engine follows</h4>
        <p>${capitalise(inWords(dispute.engine))}.</p>
        <p class="small">${engine.length} scenario${engine.length === 1 ? '' : 's'}: ${statusBadge(engineStatus)} ${engine.map((scenario, index) => html`<a href="#${scenario.anchor}" title="${scenario.name}">${index + 1}</a> `)}</p>
      </div>
      <div class="reading other">
        <h4>${capitalise(otherName)}'s reading (the engine does not follow it)</h4>
        <p>${capitalise(inWords(dispute.other))}.</p>
        <ul class="statements">
          ${[...statements].map(([text, entry]) =>
            entry.doesNot.length > 0
              ? html`<li class="does-not-hold"><span class="not-holding">${text}</span> <strong>does not hold</strong>: the engine does not do this (${settingsWords(entry.doesNot)})${entry.holds.length > 0 ? html`; it holds under ${settingsWords(entry.holds)}` : ''}</li>`
              : html`<li class="holds">${text} <span class="small muted">holds here too (the engine does this as well)</span></li>`,
          )}
        </ul>
        <p class="small">${other.length} scenario${other.length === 1 ? '' : 's'} of this reading: ${other.map((scenario, index) => html`<a href="#${scenario.anchor}" title="${scenario.name}">${index + 1}</a> `)}</p>
      </div>
    </div>
  </article>`;
}

const PRINCIPLES: Readonly<Record<string, string>> = {
  P1: 'the customer number comes first',
  P2: 'a verified address supersedes an unverified copy',
  P3: 'a verified address never moves silently',
  P4: 'only a token that vouches for an address verifies it',
  P5: 'a refused request writes nothing',
  P6: 'a visitor is never turned away',
};

/** The catalog's short source notes (DOC, P1, ...) in words. */
export function inWords(text: string): string {
  return text
    .replace(/\b(SEED|DOC|INF|DISPUTED)\b/g, (code) => PROVENANCE_WORDS[code as keyof typeof PROVENANCE_WORDS])
    .replace(/\bP[1-6]\b/g, (code) => PRINCIPLES[code] ?? code);
}

function settingsWords(settings: readonly SettingId[]): string {
  const unique = [...new Set(settings)];
  if (unique.length === SETTING_IDS.length) return 'under every setting';
  return `under ${unique.map((setting) => `"${SETTING_SHORT[setting]}"`).join(' and ')}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------------
// Risks

function renderRisks(rows: readonly RowView[]): Html {
  const risky = rows.flatMap((row) => row.cells.filter((cell) => cell.risk !== null).map((cell) => ({ row, cell })));
  return html`
<section id="risks" aria-labelledby="risks-title">
  <h2 id="risks-title">Known risks</h2>
  <p class="small">Cells where the specification knowingly lets someone reach a profile without proof that the address is theirs. Each says who could see or take what, and which setting closes it.</p>
  <ul class="risk-list">
    ${risky.map(
      ({ row, cell }) => html`<li id="risk-${cell.rule}-${cell.column}" class="risk-item">
        <p><span class="risk">known risk</span> <strong>${row.statement}</strong> — under "${columnTitle(cell.column)}"${cell.column === 'claim-verified' ? ' with claiming on' : ''} <code class="small">${cell.rule}</code></p>
        <p>${cell.risk!.what}</p>
        <p class="small"><strong>Closed by:</strong> ${cell.risk!.closedBy.map((setting, index) => html`${index > 0 ? ' or ' : ''}"${SETTING_WORDS[setting].title}"${setting === 'verified-and-unverified' ? ' with claiming off' : ''}`)}.
        Run: ${statusBadge(cell.status)} ${cell.scenarios.map((scenario, index) => html`<a href="#${scenario.anchor}" title="${scenario.name}">${index + 1}</a> `)}</p>
      </li>`,
    )}
  </ul>
</section>`;
}

// ---------------------------------------------------------------------------------------------------
// What switching changes

function renderSwitching(): Html {
  return html`
<section id="switching" aria-labelledby="switching-title">
  <h2 id="switching-title">What switching changes</h2>
  <p class="small">The article's migration advice ends with switching to "Use only verified emails" when few users are left without a verified address; it leaves open what else the switch changes.
  For each pair of settings, the situations that are decided differently, from the rule catalog. Existing data stays as it is; only later conversations follow the new setting.</p>
  ${SETTING_PAIRS.map(([from, to]) => {
    const changes = switchChanges(from, to);
    return html`<article class="switch">
      <h3>From "${SETTING_SHORT[from]}" to "${SETTING_SHORT[to]}"</h3>
      <div class="scroll"><table class="changes">
        <thead><tr><th scope="col">Situation</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">What changes</th></tr></thead>
        <tbody>${changes.map(
          (change) => html`<tr>
            <td>${situationWords(change.situation.family, change.situation.conditions, change.from.rule)}</td>
            <td>${change.from.outcome} ${change.from.risk ? html`<span class="risk">known risk</span>` : ''} <a class="small" href="#rule-${change.from.rule}"><code>${change.from.rule}</code></a></td>
            <td>${change.to.outcome} ${change.to.risk ? html`<span class="risk">known risk</span>` : ''} <a class="small" href="#rule-${change.to.rule}"><code>${change.to.rule}</code></a></td>
            <td>${change.kind === 'outcome' ? 'what happens changes' : change.kind === 'risk' ? (change.to.risk ? 'a known risk opens' : 'a known risk closes') : 'the same for the customer; another rule decides'}</td>
          </tr>`,
        )}</tbody>
      </table></div>
      <p class="small muted">Switching back from "${SETTING_SHORT[to]}" to "${SETTING_SHORT[from]}" changes the same situations the other way.</p>
    </article>`;
  })}
</section>`;
}

function situationWords(family: string, conditions: readonly { check: keyof typeof DECISION_CHECKS; answer: string }[], rule: RuleId): string {
  if (conditions.length === 0) return RULES[rule].statement;
  const start = family === 'visitor' ? 'A visitor writes in' : family === 'signed-in' ? 'A signed-in customer writes in' : 'A visitor signs in during the conversation';
  const meaningful = conditions.filter((condition) => !(condition.answer === 'yes' && (condition.check === 'token-valid' || condition.check === 'visitor-usable')));
  return `${start}: ${meaningful.map((condition) => `${DECISION_CHECKS[condition.check].question.replace(/\?$/, '').replace(/…$/, '')} — ${condition.answer}`).join('; ')}`;
}

// ---------------------------------------------------------------------------------------------------
// Decision flows

function renderFlows(): Html {
  return html`
<section id="flows" aria-labelledby="flows-title">
  <h2 id="flows-title">The decision flow under each setting</h2>
  <p class="small">Drawn from the rule catalog: how a visitor, a signed-in customer, and a visitor who signs in during the conversation are led to a rule and its outcome.
  Rules marked "known risk" have a thick orange border; rules where the sources disagree a dashed purple one. Wide pictures scroll sideways inside their box.</p>
  ${SETTING_IDS.map(
    (setting) => html`<figure class="flow" id="flow-${setting}">
      <figcaption><strong>${SETTING_WORDS[setting].title}</strong> — ${SETTING_WORDS[setting].detail}</figcaption>
      ${(['visitor', 'signed-in', 'login'] as const).map(
        (family) => html`<div class="scroll flow-box"><pre class="mermaid" data-setting="${setting}" data-family="${family}">${flowchart(setting, family)}</pre></div>`,
      )}
    </figure>`,
  )}
</section>`;
}

// ---------------------------------------------------------------------------------------------------
// Property and mutation checks

function renderChecks(input: ReportInput): Html {
  const properties = input.properties;
  const mutation = input.mutation;
  return html`
<section id="checks" aria-labelledby="checks-title">
  <h2 id="checks-title">Property and mutation checks</h2>
  <div class="summary-cards">
    ${properties === null
      ? html`<div class="card"><span class="big">–</span>property checks: no report yet (<code>npm run properties</code>)</div>`
      : html`<div class="card"><span class="big">${properties.invariants.passed} / ${properties.invariants.total}</span>invariants held over random histories${properties.runs === null ? '' : `, ${properties.runs} runs in all`}</div>
        <div class="card"><span class="big">${properties.exhaustive.map((bound) => bound.worlds === null ? bound.id : bound.worlds.toLocaleString('en')).join(' + ')}</span>${properties.exhaustive.some((bound) => bound.worlds !== null) ? 'worlds checked exhaustively' : 'exhaustive bounds checked'} (${properties.exhaustive.map((bound) => `${bound.id}: ${bound.passed ? 'passed' : 'failed'}`).join(', ')})</div>
        <div class="card"><span class="big">${properties.passed} / ${properties.total}</span>property tests passed${properties.seconds === null ? '' : `, ${Math.round(properties.seconds)} s`}</div>`}
    ${mutation === null
      ? html`<div class="card"><span class="big">–</span>mutation check: no report yet (<code>npm run mutation</code>)</div>`
      : html`<div class="card"><span class="big">${mutation.caught} / ${mutation.faults}</span>planted faults caught</div>
        <div class="card"><span class="big">${mutation.counterexamples}</span>counterexample files that reproduce a fault</div>`}
    <div class="card"><span class="big">${input.properties?.counterexampleFiles ?? 0}</span>counterexample files from the property run</div>
  </div>
  ${mutation !== null && mutation.uncaught.length > 0 ? html`<p><span class="status failed">not caught</span> ${mutation.uncaught.join(', ')}</p>` : ''}
  <p class="small">Detailed reports: ${input.links.map((link, index) => html`${index > 0 ? ' · ' : ''}<a href="${link.href}">${link.label}</a>`)}</p>
</section>`;
}

// ---------------------------------------------------------------------------------------------------
// Scenarios, side by side

function renderScenarios(scenarios: readonly ScenarioView[], target: TargetInfo): Html {
  const byFeature = new Map<string, ScenarioView[]>();
  for (const scenario of scenarios) {
    if (!byFeature.has(scenario.uri)) byFeature.set(scenario.uri, []);
    byFeature.get(scenario.uri)!.push(scenario);
  }
  return html`
<section id="scenarios" aria-labelledby="scenarios-title">
  <h2 id="scenarios-title">Scenarios, with their steps and final state</h2>
  <p class="small">Grouped by feature; the examples of one scenario are shown side by side, one column per setting. A statement of another source's reading that the engine does not do is
  <span class="not-holding">struck through</span> and marked "does not hold".</p>
  ${[...byFeature].map(([uri, list]) => {
    const groups = new Map<string, ScenarioView[]>();
    for (const scenario of list) {
      if (!groups.has(scenario.groupId)) groups.set(scenario.groupId, []);
      groups.get(scenario.groupId)!.push(scenario);
    }
    return html`<section class="feature" id="feature-${uri.replace(/[^A-Za-z0-9]+/g, '-')}">
      <h3>${list[0]!.feature} <span class="small muted">${uri}</span></h3>
      ${[...groups.values()].map((group) => renderGroup(group, target))}
    </section>`;
  })}
</section>`;
}

function renderGroup(group: readonly ScenarioView[], target: TargetInfo): Html {
  const first = group[0]!;
  const failed = group.some((scenario) => scenario.status === 'failed');
  const sideBySide = group.length > 1 && group.length <= 4;
  return html`<details class="${classes('group', failed && 'has-failure')}" id="g-${first.anchor}" ${failed ? html`open` : ''}>
    <summary><span class="group-title">${first.reading !== null ? html`<span class="reading-tag">another source's reading</span> ` : ''}${first.groupTitle}</span>
      <span class="group-statuses">${groupStatus(group)}</span>
      ${first.ruleTitle !== null ? html`<span class="small muted group-rule">${first.ruleTitle}</span>` : ''}
    </summary>
    ${sideBySide ? renderSideBySide(group, target) : group.map((scenario) => renderOne(scenario, target))}
  </details>`;
}

function groupStatus(group: readonly ScenarioView[]): Html {
  const failed = group.filter((scenario) => scenario.status === 'failed').length;
  const differs = group.filter((scenario) => scenario.status === 'differs').length;
  const passed = group.length - failed - differs;
  const of = group.length === 1 ? '' : ` of ${group.length}`;
  return html`${failed > 0 ? html`<span class="status failed">${failed}${of} failed</span> ` : ''}${differs > 0 ? html`<span class="status differs">${differs}${of} differ from the engine, as expected</span> ` : ''}${passed > 0 ? html`<span class="status passed">${passed}${failed + differs > 0 ? '' : of} passed</span>` : ''}`;
}

function scenarioHead(scenario: ScenarioView, target: TargetInfo): Html {
  const expected = scenario.status === 'failed' ? target.expectedFailures.find((entry) => entry.id === scenario.rule || entry.id === scenario.anchor) : undefined;
  return html`<div class="scenario-head" id="${scenario.anchor}" data-scenario="${scenario.anchor}" data-status="${scenario.status}">
    <strong>${scenario.setting === null ? 'Scenario' : SETTING_SHORT[scenario.setting]}</strong>
    ${expected !== undefined ? statusBadge('expected-failure') : scenarioStatusBadge(scenario)}
    ${scenario.risk ? html`<span class="risk">known risk</span>` : ''}
    <span class="small muted">${scenario.rule === null ? '' : html`<a href="#rule-${scenario.rule}"><code>${scenario.rule}</code></a>`} · ${scenario.uri}:${scenario.line}</span>
    ${scenario.failure !== null ? html`<pre class="failure">${scenario.failure}</pre>` : ''}
  </div>`;
}

function stepLine(step: StepView | undefined): Html {
  if (step === undefined) return html``;
  const failed = step.status === 'failed' || step.status === 'undefined' || step.status === 'ambiguous' || step.status === 'pending';
  return html`<span class="${classes('step', step.notHolding && 'does-not-hold', failed && 'step-failed', step.status === 'skipped' && !step.notHolding && 'step-skipped')}">
    <span class="kw">${step.keyword}</span> <span class="${step.notHolding ? 'not-holding' : ''}">${step.text}</span>
    ${step.notHolding ? html` <strong class="dnh">does not hold: the engine does not do this</strong>` : failed ? html` <strong class="dnh">${step.status}</strong>` : ''}
  </span>`;
}

function renderOne(scenario: ScenarioView, target: TargetInfo): Html {
  return html`<div class="scenario">${scenarioHead(scenario, target)}
    <ol class="steps">${scenario.steps.map((step) => html`<li>${stepLine(step)}</li>`)}</ol>
    ${finalState(scenario)}
  </div>`;
}

function renderSideBySide(group: readonly ScenarioView[], target: TargetInfo): Html {
  const length = Math.max(...group.map((scenario) => scenario.steps.length));
  const indexes = Array.from({ length }, (_, index) => index);
  return html`<div class="side-by-side" style="--columns: ${group.length}">
    ${group.map((scenario) => html`<div class="column">${scenarioHead(scenario, target)}
      <ol class="steps">${indexes.map((index) => html`<li>${stepLine(scenario.steps[index])}</li>`)}</ol>
      ${finalState(scenario)}
    </div>`)}
  </div>`;
}

function finalState(scenario: ScenarioView): HtmlValue {
  const state = scenario.finalState;
  if (state === null) return html`<p class="small muted">No final state: the scenario did not run to its end.</p>`;
  return html`<div class="final-state small"><span class="label">Final state</span>
    <ul>${state.users.map(
      (user) => html`<li><strong>${user.name ?? (user.ref.startsWith('new:') ? 'a new profile' : user.ref)}</strong> <span class="muted">(${user.ref})</span>${user.externalId !== null ? html` (customer number ${user.externalId})` : ''}${user.mergedInto !== undefined ? html` — merged into ${user.mergedInto}` : ''}:
        ${user.emails.length === 0 ? 'no address' : user.emails.map((email, index) => html`${index > 0 ? ', ' : ''}${email.address} ${email.verified ? 'verified' : 'unverified'}`)}${user.conversations.length > 0 ? html`; conversations ${user.conversations.join(', ')}` : ''}</li>`,
    )}</ul>
  </div>`;
}

// ---------------------------------------------------------------------------------------------------

function renderGlossary(): Html {
  return html`
<section id="glossary" aria-labelledby="glossary-title">
  <h2 id="glossary-title">Glossary</h2>
  <p class="small">The technical names behind the plain words of this report and of the feature files.</p>
  <dl class="glossary">${GLOSSARY.map((entry) => html`<dt id="glossary-${entry.id}">${entry.term}</dt><dd>${entry.meaning}</dd>`)}</dl>
</section>`;
}
