/** The scenario report's own style and script, on top of the toolkit's base style. */

export const PAGE_STYLE = `
header.page { padding-top: 8px; }
.kicker { margin: 0.6rem 0 0; letter-spacing: 0.04em; text-transform: uppercase; }
.lede { font-size: 1.02rem; max-width: 90ch; }
.run-facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0.6rem 0; }
.run-facts div { display: flex; gap: 6px; } .run-facts dt { white-space: nowrap; } .run-facts dt { color: var(--muted); } .run-facts dd { margin: 0; }
.toc { margin: 0.4rem 0 0.8rem; }
.filters { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)) auto; gap: 8px 16px; align-items: end; padding: 10px 12px; background: var(--wash); border: 1px solid var(--line); border-radius: 8px; margin: 0.6rem 0; }
.filter { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); }
.filter select { font: inherit; font-size: 0.95rem; color: var(--ink); padding: 4px 6px; border: 1px solid #9aa3af; border-radius: 6px; background: #fff; width: 100%; }
.matrix { width: 100%; table-layout: fixed; font-size: 0.92rem; }
.matrix th, .matrix td { border: 1px solid var(--line); padding: 8px; }
.matrix thead th { background: var(--wash); font-size: 0.9rem; position: sticky; top: 0; }
.matrix .rule-col { width: 24%; }
.col-detail { display: block; font-weight: 400; color: var(--muted); font-size: 0.8rem; }
.family-row th { background: #e8edf4; font-size: 0.95rem; }
.rule-head { font-weight: 400; }
.rule-head .statement { display: block; font-weight: 600; }
.rule-meta { display: block; margin-top: 4px; }
.cell .outcome { display: block; margin-bottom: 6px; }
.cell .cell-foot { display: flex; flex-wrap: wrap; gap: 4px; }
.cell > .small { display: block; margin-top: 4px; }
.cell.passed { background: #f6fdf8; } .cell.failed { background: #fff5f5; box-shadow: inset 4px 0 0 var(--failed); }
.cell.expected-failure { background: #fffbeb; box-shadow: inset 4px 0 0 var(--expected); }
.cell.not-covered { background: repeating-linear-gradient(135deg, #fff, #fff 6px, #f3f4f6 6px, #f3f4f6 12px); }
.cell.not-applicable { background: var(--na-bg); color: var(--muted); }
.cell.has-risk { outline: 3px solid var(--risk); outline-offset: -3px; }
.not-holding { text-decoration: line-through; text-decoration-thickness: 2px; text-decoration-color: var(--failed); }
.dispute { border: 1px solid var(--line); border-radius: 8px; padding: 4px 14px 10px; margin: 12px 0; }
.readings { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.reading { border-radius: 6px; padding: 6px 12px; }
.reading h4 { margin: 0.4rem 0; }
.reading.engine { background: #f6fdf8; border-left: 4px solid var(--passed); }
.reading.other { background: #faf5ff; border-left: 4px dashed var(--differs); }
.statements { padding-left: 1.1rem; }
.statements li { margin: 4px 0; }
.does-not-hold strong, .dnh { color: var(--failed); }
.risk-list { list-style: none; padding: 0; }
.risk-item { border-left: 4px solid var(--risk); background: #fffaf5; padding: 4px 12px; margin: 10px 0; border-radius: 0 6px 6px 0; }
.risk-item p { margin: 0.35rem 0; }
.changes { width: 100%; font-size: 0.9rem; table-layout: fixed; min-width: 640px; }
.changes td, .changes th { overflow-wrap: normal; word-break: normal; }
.changes th:nth-child(1) { width: 34%; } .changes th:nth-child(4) { width: 13%; }
.changes th, .changes td { border: 1px solid var(--line); padding: 6px 8px; }
.changes thead th { background: var(--wash); }
.flow { margin: 12px 0 20px; }
.flow figcaption { margin-bottom: 6px; }
.flow-box { border: 1px solid var(--line); border-radius: 8px; background: #fff; padding: 8px; margin-bottom: 8px; }
.flow-box pre.mermaid { margin: 0; white-space: pre; font-size: 0.7rem; color: var(--muted); }
.flow-box svg { max-width: none !important; height: auto; }
.feature h3 { margin-top: 1.4rem; }
.group { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; background: #fff; }
.group > summary { padding: 8px 12px; display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.group.has-failure { border-color: var(--failed); }
.group-title { font-weight: 600; flex: 1 1 24rem; }
.group-rule { flex-basis: 100%; }
.reading-tag { color: var(--differs); background: var(--differs-bg); border-radius: 4px; padding: 0 0.35em; font-size: 0.85em; }
.mini { text-decoration: none; font-size: 0.8rem; }
.side-by-side { display: grid; grid-template-columns: repeat(var(--columns), minmax(0, 1fr)); border-top: 1px solid var(--line); }
.side-by-side .column { padding: 8px 12px; border-left: 1px solid var(--line); }
.side-by-side .column:first-child { border-left: 0; }
.scenario { padding: 8px 12px; border-top: 1px solid var(--line); }
.scenario-head { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; }
.scenario-head:target, .scenario-head.targeted { background: #fef9c3; border-radius: 4px; }
.failure { white-space: pre-wrap; background: var(--failed-bg); color: var(--failed); padding: 6px; border-radius: 4px; font-size: 0.8rem; flex-basis: 100%; margin: 4px 0; }
.steps { padding-left: 1.3rem; margin: 6px 0; font-size: 0.9rem; }
.steps li { min-height: 1.4em; }
.kw { font-weight: 700; color: #334155; }
.step-failed { background: var(--failed-bg); }
.final-state { background: var(--wash); border-radius: 6px; padding: 4px 10px; }
.final-state .label { font-weight: 700; }
.final-state ul { margin: 2px 0; padding-left: 1.1rem; }
.glossary dt { font-weight: 700; margin-top: 8px; }
.glossary dd { margin-left: 0; max-width: 80ch; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 760px) {
  body { font-size: 14px; }
  .filters { grid-template-columns: 1fr 1fr; }
  .matrix, .matrix thead, .matrix tbody, .matrix tr, .matrix th, .matrix td { display: block; width: auto; }
  .matrix thead { display: none; }
  .matrix .rule-col { width: auto; }
  .matrix tr.rule-row { border: 1px solid var(--line); border-radius: 8px; margin: 10px 0; overflow: hidden; }
  .matrix th, .matrix td { border: 0; border-top: 1px solid var(--line); }
  .matrix .rule-head { border-top: 0; background: var(--wash); }
  .matrix td.cell::before { content: attr(data-label); display: block; font-size: 0.78rem; font-weight: 700; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
  .family-row th { border-radius: 6px; margin-top: 14px; }
  .readings { grid-template-columns: 1fr; }
  .side-by-side { grid-template-columns: 1fr; }
  .side-by-side .column { border-left: 0; border-top: 1px solid var(--line); }
}
`;

/**
 * The page's script: the filters, opening the scenario a link points to, and drawing the decision flows
 * with the inlined mermaid bundle.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var filters = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.rule-row'));
  var count = document.getElementById('filter-count');
  function value(name) { var el = document.querySelector('[data-filter="' + name + '"]'); return el ? el.value : ''; }
  function apply() {
    var setting = value('setting'), family = value('family'), status = value('status'), source = value('source');
    var shown = 0;
    document.querySelectorAll('.matrix [data-column]').forEach(function (el) {
      el.hidden = setting !== '' && el.getAttribute('data-column') !== setting;
    });
    rows.forEach(function (row) {
      var cells = Array.prototype.slice.call(row.querySelectorAll('td.cell')).filter(function (cell) { return !cell.hidden; });
      var ok = (family === '' || row.getAttribute('data-family') === family)
        && (status === '' || cells.some(function (cell) { return cell.getAttribute('data-status') === status; }))
        && (source === '' || cells.some(function (cell) { return cell.getAttribute('data-source') === source; }));
      row.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll('.matrix tbody').forEach(function (body) {
      body.hidden = !Array.prototype.some.call(body.querySelectorAll('tr.rule-row'), function (row) { return !row.hidden; });
    });
    if (count) count.textContent = shown + ' of ' + rows.length + ' rules shown';
  }
  filters.forEach(function (el) { el.addEventListener('change', apply); });
  apply();

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    if (!el) return;
    for (var node = el; node; node = node.parentElement) if (node.tagName === 'DETAILS') node.open = true;
    el.scrollIntoView();
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();

  if (window.mermaid) {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', flowchart: { useMaxWidth: false, htmlLabels: true, wrappingWidth: 220, nodeSpacing: 18, rankSpacing: 36, padding: 6 } });
    window.mermaid.run({ querySelector: 'pre.mermaid' }).then(function () {
      document.documentElement.setAttribute('data-flows', 'drawn');
    }, function (error) {
      document.documentElement.setAttribute('data-flows', 'failed');
      console.error('the decision flows could not be drawn: ' + error);
    });
  }
})();
`;
