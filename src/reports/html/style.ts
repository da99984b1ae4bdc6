/**
 * The toolkit's base style: readable type, a page that never scrolls sideways at 390 px (wide tables
 * and pictures scroll inside their own box), and status marks that carry a word and a symbol as well as
 * a colour, so that a page reads the same printed in grey or by someone who does not see colour.
 */
export const BASE_STYLE = `
:root {
  --ink: #1d2430; --muted: #5b6472; --line: #d5dae1; --paper: #ffffff; --wash: #f4f6f9; --link: #1d4ed8;
  --passed: #166534; --passed-bg: #dcfce7; --failed: #b91c1c; --failed-bg: #fee2e2;
  --expected: #92400e; --expected-bg: #fef3c7; --uncovered: #4b5563; --uncovered-bg: #f3f4f6;
  --na: #6b7280; --na-bg: #fafafa; --differs: #6d28d9; --differs-bg: #ede9fe; --risk: #9a3412; --risk-bg: #ffedd5;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--paper); overflow-wrap: anywhere; }
main, header.page, footer.page { max-width: 1240px; margin: 0 auto; padding: 0 16px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.8rem 0 0.3rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.6rem; padding-top: 0.4rem; border-top: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
p, li { max-width: 80ch; }
a { color: var(--link); }
code, .code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
.muted { color: var(--muted); }
.small { font-size: 0.86rem; }
.scroll { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
.status { display: inline-flex; align-items: baseline; gap: 0.3em; font-weight: 600; border-radius: 4px; padding: 0 0.35em; white-space: nowrap; }
.status::before { font-weight: 700; }
.status.passed { color: var(--passed); background: var(--passed-bg); } .status.passed::before { content: "✓"; }
.status.failed { color: var(--failed); background: var(--failed-bg); } .status.failed::before { content: "✗"; }
.status.expected-failure { color: var(--expected); background: var(--expected-bg); } .status.expected-failure::before { content: "!"; }
.status.not-covered { color: var(--uncovered); background: var(--uncovered-bg); border: 1px dashed var(--uncovered); } .status.not-covered::before { content: "?"; }
.status.not-applicable { color: var(--na); background: var(--na-bg); font-weight: 500; } .status.not-applicable::before { content: "–"; }
.status.differs { color: var(--differs); background: var(--differs-bg); } .status.differs::before { content: "≠"; }
.risk { color: var(--risk); background: var(--risk-bg); font-weight: 700; border-radius: 4px; padding: 0 0.35em; white-space: nowrap; }
.risk::before { content: "⚠ "; }
.summary-cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; margin: 0.8rem 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: var(--wash); }
.card .big { font-size: 1.5rem; font-weight: 700; display: block; }
table { border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; }
details > summary { cursor: pointer; }
[hidden] { display: none !important; }
@media print { .no-print { display: none !important; } }
`;
