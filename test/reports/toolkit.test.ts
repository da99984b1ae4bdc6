import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTING_IDS } from '../../src/domain';
import { RULE_IDS, RULES } from '../../src/policy/rules';
import { dedent, dedentDescriptions } from '../../src/reports/cucumber/honest';
import { inlineScript, jsonData, readJsonData } from '../../src/reports/html/assets';
import { html, trusted } from '../../src/reports/html/html';
import { CONTENT_SECURITY_POLICY, renderPage } from '../../src/reports/html/page';
import { flowchart, situations, switchChanges } from '../../src/reports/scenario-report/model';
import { readMutationSummary, readPropertiesSummary } from '../../src/reports/scenario-report/summaries';
import { chromiumPath, requireChromium } from '../browser/browser';

describe('the HTML toolkit (src/reports/html)', () => {
  it('escapes every interpolated text, and inserts templates and trusted markup as they are', () => {
    const name = '<script>alert("x")</script> & \'Kim\'';
    const fragment = html`<p title="${name}">${name}</p>`;
    assert.equal(fragment.text, '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;Kim&apos;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;Kim&apos;</p>');
    assert.equal(html`<ul>${['a<b', html`<li>c</li>`, null, false, undefined, 3]}</ul>`.text, '<ul>a&lt;b<li>c</li>3</ul>');
    assert.equal(html`${trusted('<svg/>')}`.text, '<svg/>');
  });

  it('inlines scripts and JSON data that no text can break out of', () => {
    assert.equal(inlineScript('var s = "</script><script>bad()";').text, '<script>var s = "<\\/script><script>bad()";</script>');
    const value = { name: '</script><script>bad()</script>', line: '\u2028' };
    const page = jsonData('data', value).text;
    assert.ok(!page.slice(0, -'</script>'.length).includes('</script'), page);
    assert.deepEqual(readJsonData(page, 'data'), value);
  });

  it('writes a whole page whose policy forbids any request', () => {
    const page = renderPage({ title: 'T & <t>', body: html`<p>hi</p>` });
    assert.match(page, /^<!doctype html>/);
    assert.ok(page.includes(`content="${CONTENT_SECURITY_POLICY.replace(/'/g, '&apos;')}"`), page.slice(0, 400));
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'none'/);
    assert.match(page, /<title>T &amp; &lt;t&gt;<\/title>/);
  });
});

describe('the browser helper says what to install when the browser is missing', () => {
  it('names the Debian package and CHROMIUM_PATH in one line', () => {
    assert.equal(chromiumPath({}), '/usr/bin/chromium-headless-shell');
    assert.throws(
      () => requireChromium({ CHROMIUM_PATH: '/nowhere/chromium' }),
      (error: Error) =>
        !error.message.includes('\n') && /no Chromium at \/nowhere\/chromium/.test(error.message) && /apt-get install -y --no-install-recommends chromium-headless-shell/.test(error.message),
    );
  });
});

describe('the honest reports: descriptions lose their common indentation', () => {
  it('dedents, keeping relative indentation and blank lines', () => {
    assert.equal(dedent('    Known risk: anyone\n    who types\n\n      it'), 'Known risk: anyone\nwho types\n\n  it');
    const document = { uri: 'x', comments: [], feature: { description: '  a\n  b', children: [{ rule: { description: '    c\n    d' } }] } };
    const dedented = dedentDescriptions(document as never) as unknown as typeof document;
    assert.equal(dedented.feature.description, 'a\nb');
    assert.equal(dedented.feature.children[0]?.rule.description, 'c\nd');
  });
});

describe('the scenario report model, from the rule catalog', () => {
  it('draws every rule that applies in a setting exactly once in that setting\'s flow, and no other', () => {
    for (const setting of SETTING_IDS) {
      const chart = flowchart(setting);
      for (const rule of RULE_IDS.filter((id) => RULES[id].when !== undefined)) {
        const count = chart.split('\n').filter((line) => new RegExp(`\\["${rule}[ :(]`).test(line)).length;
        assert.equal(count, RULES[rule].settings.includes(setting) ? 1 : 0, `${rule} under ${setting}:\n${chart}`);
      }
    }
  });

  it('decides every situation under every setting with a rule that applies there', () => {
    for (const situation of situations()) {
      for (const setting of SETTING_IDS) assert.ok(RULES[situation.rules[setting]].settings.includes(setting));
    }
  });

  it('lists what switching to "only verified emails" changes: visitors no longer join unverified holders, a risk closes', () => {
    const changes = switchChanges('verified-and-unverified', 'verified-only');
    const join = changes.find((change) => change.from.rule === 'VISIT-JOIN-UNVERIFIED');
    assert.equal(join?.to.rule, 'VISIT-STRICT');
    assert.equal(join?.kind, 'outcome');
    assert.ok(changes.some((change) => change.from.rule === 'LOGIN-MERGE' && change.kind === 'risk' && change.from.risk && !change.to.risk));
    assert.ok(changes.some((change) => change.from.rule === 'VISIT-VERIFIED-HELD' && change.kind === 'rule'), 'same outcome, another rule');
    assert.ok(!switchChanges('claim-verified', 'verified-and-unverified').some((change) => change.from.rule === 'VISIT-JOIN-UNVERIFIED'));
  });
});

describe('the property and mutation summaries are read from their own reports', () => {
  it('reads invariants, runs, worlds, faults caught and counterexample files, and tolerates their absence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idmatrix-summaries-'));
    try {
      assert.equal(readPropertiesSummary(dir), null);
      assert.equal(readMutationSummary(dir), null);
      mkdirSync(join(dir, 'properties'));
      mkdirSync(join(dir, 'mutation'));
      mkdirSync(join(dir, 'counterexamples'));
      writeFileSync(join(dir, 'counterexamples', 'INV-ONE-OWNER-1.json'), '{}');
      const test = (title: string, state: string, context?: unknown) => ({ title, state, context: context === undefined ? null : JSON.stringify(context) });
      writeFileSync(
        join(dir, 'properties', 'index.json'),
        JSON.stringify({
          stats: { duration: 42_000 },
          results: [
            {
              suites: [
                { tests: [test('INV-ONE-OWNER: held once', 'passed', { title: 'runs', value: 300 }), test('INV-ONE-EXTID: once', 'failed', [{ title: 'runs', value: 12 }])] },
                { tests: [test('INV-ONE-OWNER and INV-ONE-EXTID: hand-made', 'passed'), test('EXHAUSTIVE-U2-D1: every world', 'passed', { title: 'worlds', value: 26367 })] },
              ],
            },
          ],
        }),
      );
      writeFileSync(join(dir, 'mutation', 'report.json'), JSON.stringify([{ id: 'a', caught: true, reproductions: [{}, {}] }, { id: 'b', caught: false, reproductions: [] }]));
      assert.deepEqual(readPropertiesSummary(dir), {
        total: 4,
        passed: 3,
        seconds: 42,
        invariants: { total: 2, passed: 1 },
        runs: 312,
        exhaustive: [{ id: 'EXHAUSTIVE-U2-D1', passed: true, worlds: 26367 }],
        counterexampleFiles: 1,
      });
      assert.deepEqual(readMutationSummary(dir), { faults: 2, caught: 1, uncaught: ['b'], counterexamples: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
