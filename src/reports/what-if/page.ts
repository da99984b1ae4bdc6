import type { ConversationChange, Landing, WhatIfClass, WhatIfReport } from '../../admin/what-if';
import { GOING_ELSEWHERE, WHAT_IF_CLASSES } from '../../admin/what-if';
import { SETTING_IDS, type RuleId } from '../../domain';
import { RULES } from '../../policy/rules';
import { inlineScript, jsonData, packageFile, packageVersion } from '../html/assets';
import { classes, html, type Html } from '../html/html';
import { renderPage } from '../html/page';
import { SETTING_WORDS } from '../words';

/**
 * The what-if page (`idmatrix what-if … --html <file>`): ADMIN-SWITCH's report for a person deciding
 * whether to switch. A bar per rule (the rule that decided the conversations in the recording), split
 * into unchanged / moved to another existing user / a new user instead of an existing one, drawn by
 * Chart.js (inlined, offline); the same counts as a table, each class in words; the conversations that
 * change, by class; what the report cannot see. Built with the project's HTML toolkit (src/reports/html).
 */

/** The budget a test holds the page to: Chart.js is about 210 kB of it; the lists are capped. */
export const WHAT_IF_PAGE_BUDGET_BYTES = 1_000_000;

/** How many conversations of each class the page lists (the JSON report lists them all). */
export const LISTED_PER_CLASS = 100;

/** The chart's series: the classes each bar segment adds up. */
export const SERIES = [
  { id: 'unchanged', label: 'Unchanged', classes: ['same-user', 'same-landing-another-rule', 'refused-under-both'], colour: '#94a3b8' },
  { id: 'moved', label: 'Moved to another existing user', classes: ['another-existing-user', 'existing-user-instead-of-new'], colour: '#d97706' },
  { id: 'new-user', label: 'New user instead of an existing one', classes: ['new-user-instead-of-existing'], colour: '#7c3aed' },
  { id: 'refused', label: 'Refused or accepted instead', classes: ['refused-instead', 'accepted-instead'], colour: '#dc2626' },
] as const satisfies readonly { id: string; label: string; classes: readonly WhatIfClass[]; colour: string }[];

/** Each class in words. */
export const CLASS_WORDS: Readonly<Record<WhatIfClass, { readonly title: string; readonly detail: string }>> = {
  'same-user': { title: 'Same user', detail: 'the same user, by the same rule' },
  'same-landing-another-rule': {
    title: 'Same place, another rule',
    detail: 'the same user, or a new user of its own under both settings, decided by another rule: not going elsewhere',
  },
  'another-existing-user': { title: 'Another existing user', detail: 'a user that existed before, but another one' },
  'new-user-instead-of-existing': { title: 'A new user instead of an existing one', detail: 'a user of its own, where the recording put it on a user that existed before' },
  'existing-user-instead-of-new': { title: 'An existing user instead of a new one', detail: 'a user that existed before, where the recording gave it a user of its own' },
  'refused-instead': { title: 'Refused instead', detail: 'accepted in the recording, refused under the other setting (a conflict)' },
  'accepted-instead': { title: 'Accepted instead', detail: 'refused in the recording, accepted under the other setting' },
  'refused-under-both': { title: 'Refused under both', detail: 'refused in the recording and under the other setting' },
};

export interface WhatIfPageInput {
  readonly report: WhatIfReport;
  /** What was decided again, as the user named it: the store file or the scenario file. */
  readonly subject: string;
  /** When the page was written (ISO). */
  readonly generatedAt: string;
}

export interface ChartData {
  readonly labels: readonly string[];
  readonly datasets: readonly { readonly id: string; readonly label: string; readonly data: readonly number[]; readonly backgroundColor: string }[];
}

/** The chart's data: one bar per recorded rule, in catalog order, a dataset per series (empty series left out but "unchanged"). */
export function chartData(report: WhatIfReport): ChartData {
  const groups = report.byRule;
  const datasets = SERIES.map((series) => ({
    id: series.id,
    label: series.label,
    data: groups.map((group) => series.classes.reduce((sum, kind) => sum + (group.classes[kind] ?? 0), 0)),
    backgroundColor: series.colour,
  })).filter((dataset) => dataset.id === 'unchanged' || dataset.id === 'moved' || dataset.id === 'new-user' || dataset.data.some((n) => n > 0));
  return { labels: groups.map((group) => group.rule), datasets };
}

const n = (value: number) => value.toLocaleString('en-US');
const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(part * 1000 < whole && part > 0 ? 1 : 0)}%`);

function settingTitle(id: string): string {
  const words = SETTING_WORDS[id as keyof typeof SETTING_WORDS];
  return words === undefined ? id : `${words.title} (${words.detail})`;
}

function landing(value: Landing): Html {
  if (value.outcome === 'rejected') return html`<span class="muted">refused</span> <code>${value.rule}</code>${value.refused ? html` <span class="muted">(${value.refused})</span>` : ''}`;
  return html`<code>${value.user}</code> <span class="muted">by</span> <code>${value.rule}</code>`;
}

function classBadge(kind: WhatIfClass): Html {
  return html`<span class="${classes('class-badge', kind, GOING_ELSEWHERE.includes(kind) && 'elsewhere')}">${CLASS_WORDS[kind].title}</span>`;
}

export function renderWhatIfPage(input: WhatIfPageInput): string {
  const { report } = input;
  const whatIf = SETTING_WORDS[report.whatIf];
  const conversations = report.conversations;
  const present = WHAT_IF_CLASSES.filter((kind) => report.byRule.some((group) => (group.classes[kind] ?? 0) > 0));
  const source =
    report.source.kind === 'store'
      ? html`The store <code>${input.subject}</code> (reading ${report.source.profile}): its ${n(report.source.loggedEvents)} logged events, imports included, decided again from their logged inputs`
      : html`The scenario <code>${input.subject}</code>${report.source.title ? html` (“${report.source.title}”)` : ''}, replayed as recorded and decided again`;
  const recorded = SETTING_IDS.filter((id) => report.recordedSettings[id] !== undefined).map(
    (id) => html`<li>${n(report.recordedSettings[id] as number)} under “${settingTitle(id)}”</li>`,
  );
  const changesByClass = new Map<WhatIfClass, ConversationChange[]>();
  for (const change of report.changes) {
    const list = changesByClass.get(change.class) ?? [];
    list.push(change);
    changesByClass.set(change.class, list);
  }
  const chart = chartData(report);
  const chartHeight = 90 + 30 * Math.max(1, chart.labels.length);

  const body = html`
<header class="page">
  <h1>What if “${whatIf.title}” had been in force?</h1>
  <p class="lead">${source}, with “${whatIf.title}” in force from the start (${whatIf.detail})${report.skippedSettingsEvents.length > 0 ? html`; the recording's ${n(report.skippedSettingsEvents.length)} setting change${report.skippedSettingsEvents.length === 1 ? ' is' : 's are'} left out` : ''}.</p>
</header>
<main>
  <section class="summary-cards" aria-label="Summary">
    <div class="card"><span class="big" id="total">${n(conversations.total)}</span>conversations compared</div>
    <div class="card elsewhere-card"><span class="big" id="elsewhere">${n(conversations.goingElsewhere)}</span>would go elsewhere (${percent(conversations.goingElsewhere, conversations.total)})</div>
    <div class="card"><span class="big" id="same-place">${n(conversations.classes['same-landing-another-rule'] ?? 0)}</span>same place, another rule</div>
    <div class="card"><span class="big" id="logins">${n(report.logins.total)}</span>logins, ${n(report.logins.goingElsewhere)} going elsewhere</div>
  </section>
  ${recorded.length === 0 ? html`<p>The recording holds no conversation.</p>` : html`<p>Decided in the recording:</p><ul class="recorded">${recorded}</ul>`}

  <h2 id="by-rule">By rule</h2>
  <p>One bar per rule that decided conversations and logins in the recording: how many would be unchanged under “${whatIf.title}” (the same user, or a new user of their own both times), moved to another user that existed before, or given a new user of their own instead of an existing one.</p>
  <figure class="chart">
    <div class="chart-box" style="height: ${chartHeight}px"><canvas id="what-if-chart" role="img" aria-label="Conversations by rule: unchanged, moved, new user (the table below gives the same counts)"></canvas></div>
    <figcaption class="small muted">Drawn by Chart.js ${packageVersion('chart.js')}, inlined: the page needs no network. The table gives the same counts.</figcaption>
  </figure>
  <div class="scroll">
  <table class="by-rule" id="by-rule-table">
    <thead><tr><th scope="col">Rule in the recording</th><th scope="col" class="num">Total</th>${present.map((kind) => html`<th scope="col" class="num" data-class="${kind}">${CLASS_WORDS[kind].title}</th>`)}<th scope="col">Decided under “${whatIf.title}” by</th></tr></thead>
    <tbody>
    ${report.byRule.map(
      (group) => html`<tr data-rule="${group.rule}">
      <th scope="row"><code>${group.rule}</code><div class="small muted">${RULES[group.rule].statement}</div></th>
      <td class="num" data-total="${group.total}">${n(group.total)}</td>
      ${present.map((kind) => html`<td class="${classes('num', (group.classes[kind] ?? 0) > 0 && GOING_ELSEWHERE.includes(kind) && 'elsewhere')}" data-class="${kind}">${(group.classes[kind] ?? 0) === 0 ? html`<span class="muted">–</span>` : n(group.classes[kind] as number)}</td>`)}
      <td>${(Object.entries(group.whatIfRules) as [RuleId, number][]).map(([rule, count]) => html`<div><code>${rule}</code> ${n(count)}</div>`)}</td>
    </tr>`,
    )}
    </tbody>
  </table>
  </div>

  <h2 id="classes">What each class means</h2>
  <dl class="classes">${WHAT_IF_CLASSES.map((kind) => html`<dt>${classBadge(kind)}</dt><dd>${CLASS_WORDS[kind].detail}${GOING_ELSEWHERE.includes(kind) ? ': going elsewhere' : ''}.</dd>`)}</dl>
  <p class="small muted">“A new user of its own” is the user the conversation's own event created; for a login, also the user its visitor event created. Any other user existed before.</p>

  <h2 id="changes">Conversations that change</h2>
  ${report.changes.length === 0 ? html`<p>None: every conversation lands on the same user by the same rule.</p>` : ''}
  ${WHAT_IF_CLASSES.filter((kind) => changesByClass.has(kind)).map((kind) => {
    const list = changesByClass.get(kind) as ConversationChange[];
    const shown = list.slice(0, LISTED_PER_CLASS);
    return html`<details class="changes" data-class="${kind}"${GOING_ELSEWHERE.includes(kind) ? ' open' : ''}>
      <summary>${classBadge(kind)} ${n(list.length)} conversation${list.length === 1 ? '' : 's'}${list.length > shown.length ? html` <span class="muted">(the first ${n(shown.length)} listed; the JSON report lists all)</span>` : ''}</summary>
      <div class="scroll"><table class="changes-table"><thead><tr><th scope="col">Event</th><th scope="col">Recorded</th><th scope="col">Under “${whatIf.title}”</th></tr></thead><tbody>
      ${shown.map((change) => html`<tr><td><code>${change.ref}</code>${change.conversation ? html` <span class="muted">(login on <code>${change.conversation}</code>)</span>` : ''}</td><td>${landing(change.recorded)}</td><td>${landing(change.whatIf)}</td></tr>`)}
      </tbody></table></div>
    </details>`;
  })}
  ${
    report.otherEvents.changes.length === 0
      ? html`<p>Merges and import rows: ${n(report.otherEvents.unchanged)} give the same result.</p>`
      : html`<h3>Merges and import rows that change</h3><div class="scroll"><table class="changes-table"><tbody>${report.otherEvents.changes.map(
          (change) => html`<tr><td><code>${change.ref}</code> <span class="muted">(${change.type})</span></td><td>${landing(change.recorded)}</td><td>${landing(change.whatIf)}</td></tr>`,
        )}</tbody></table></div><p>${n(report.otherEvents.unchanged)} others give the same result.</p>`
  }

  <h2 id="not-seen">What this report cannot see</h2>
  ${report.notSeen.length === 0 ? html`<p>Nothing: a scenario file holds every request, refused ones included.</p>` : html`<ul class="not-seen">${report.notSeen.map((sentence) => html`<li>${sentence}</li>`)}</ul>`}
</main>
<footer class="page small muted"><p>Written by <code>idmatrix what-if</code> on ${input.generatedAt}. The rules are those of flows.md; the JSON report (<code>idmatrix what-if</code> without <code>--html</code>) holds every conversation.</p></footer>
`;

  return renderPage({
    title: `What if “${whatIf.title}” had been in force: ${input.subject}`,
    description: `ADMIN-SWITCH what-if report: ${n(conversations.goingElsewhere)} of ${n(conversations.total)} conversations would go elsewhere.`,
    style: PAGE_STYLE,
    body,
    scripts: [jsonData('what-if-chart-data', chart), inlineScript(packageFile('chart.js', 'dist/chart.umd.min.js')), inlineScript(PAGE_SCRIPT, 'what-if-script')],
  });
}

const PAGE_STYLE = `
.lead { color: var(--muted); max-width: 90ch; }
.chart { margin: 0.5rem 0 1rem; }
.chart-box { position: relative; width: 100%; max-width: 1100px; }
table.by-rule, table.changes-table { width: 100%; font-size: 0.92rem; }
table.by-rule { min-width: 760px; }
table.by-rule th[scope="row"] { min-width: 16rem; }
table.by-rule thead th.num { white-space: normal; min-width: 5.5rem; }
table.by-rule td:last-child { min-width: 12rem; }
table.changes-table { min-width: 600px; }
table.changes-table td:first-child { min-width: 8rem; }
table.by-rule, table.changes-table, table code { overflow-wrap: normal; }
table.by-rule th, table.by-rule td, table.changes-table td, table.changes-table th { padding: 6px 8px; border-bottom: 1px solid var(--line); }
table.by-rule thead th { position: sticky; top: 0; background: var(--paper); font-size: 0.85rem; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.elsewhere { font-weight: 700; color: #5b21b6; }
.class-badge { display: inline-block; border-radius: 4px; padding: 0 0.4em; background: var(--wash); border: 1px solid var(--line); font-weight: 600; }
.class-badge.elsewhere { background: #ede9fe; border-color: #c4b5fd; color: #5b21b6; }
.class-badge.elsewhere::before { content: "→ "; }
.elsewhere-card { border-color: #c4b5fd; background: #f5f3ff; }
dl.classes { display: grid; grid-template-columns: max-content 1fr; gap: 6px 12px; }
dl.classes dd { margin: 0; }
details.changes { margin: 0.6rem 0; }
details.changes summary { padding: 4px 0; }
ul.not-seen li { margin: 0.3rem 0; }
@media (max-width: 600px) { dl.classes { grid-template-columns: 1fr; } }
`;

/** Draws the chart from the page's data; no animation, so that a screenshot shows the final bars. */
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('what-if-chart-data').textContent);
  var canvas = document.getElementById('what-if-chart');
  window.whatIfChart = new Chart(canvas, {
    type: 'bar',
    data: { labels: data.labels, datasets: data.datasets.map(function (d) { return { label: d.label, data: d.data, backgroundColor: d.backgroundColor, borderWidth: 0 }; }) },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, beginAtZero: true, title: { display: true, text: 'conversations and logins' }, ticks: { precision: 0 } },
        y: { stacked: true, ticks: { autoSkip: false, font: { family: 'ui-monospace, monospace' } } }
      },
      plugins: { legend: { position: 'top', align: 'start' }, tooltip: { mode: 'index', intersect: false } }
    }
  });
})();
`;
