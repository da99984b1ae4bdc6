import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestStepResultStatus, type Envelope } from '@cucumber/messages';
import type { Page } from 'playwright-core';
import { SETTING_IDS } from '../../src/domain';
import { RULE_IDS, RULES } from '../../src/policy/rules';
import { packageFile } from '../../src/reports/html/assets';
import { buildIndex, CONTENT_BUDGET_BYTES, PAGE_BUDGET_BYTES } from '../../src/reports/scenario-report/build';
import { parseMessages } from '../../src/reports/scenario-report/run';
import { horizontalOverflow, launch, openFile, type Browser } from './browser';

/**
 * The scenario report (reports/index.html) in a real browser: Debian's headless Chromium through
 * playwright-core, offline. Its cells must say what the run's messages say, its filters must work, it
 * must draw without a console error or a request, fit a phone's width, stay within its size budget, and
 * turn red when a run has failures (a fixture of the run's own messages with failures planted in it).
 * Screenshots: reports/index.png (1280 px) and reports/index-phone.png (390 px).
 */

const ROOT = resolve(__dirname, '..', '..');
const REPORTS = join(ROOT, 'reports');

interface Expected {
  readonly status: string;
}

/** What each rule × setting cell must show, computed here from the messages alone (and the catalog's n/a cells). */
function expectedCells(envelopes: readonly Envelope[]): Map<string, Expected> {
  const pickles = new Map<string, NonNullable<Envelope['pickle']>>();
  const caseToPickle = new Map<string, string>();
  const startedToPickle = new Map<string, string>();
  const failed = new Set<string>();
  for (const envelope of envelopes) {
    if (envelope.pickle) pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.testCase) caseToPickle.set(envelope.testCase.id, envelope.testCase.pickleId);
    if (envelope.testCaseStarted) startedToPickle.set(envelope.testCaseStarted.id, caseToPickle.get(envelope.testCaseStarted.testCaseId) ?? '');
    const finished = envelope.testStepFinished;
    if (finished && finished.testStepResult.status !== TestStepResultStatus.PASSED && finished.testStepResult.status !== TestStepResultStatus.SKIPPED) {
      failed.add(startedToPickle.get(finished.testCaseStartedId) ?? '');
    }
  }
  const byCell = new Map<string, boolean[]>();
  for (const pickle of pickles.values()) {
    const tags = pickle.tags.map((tag) => tag.name);
    if (tags.includes('@expected-to-differ')) continue;
    const rule = tags.find((tag) => tag.startsWith('@rule:'))?.slice(6);
    const setting = tags.find((tag) => tag.startsWith('@setting:'))?.slice(9);
    const key = `${rule}|${setting}`;
    if (!byCell.has(key)) byCell.set(key, []);
    byCell.get(key)!.push(failed.has(pickle.id));
  }
  const cells = new Map<string, Expected>();
  for (const rule of RULE_IDS) {
    for (const setting of SETTING_IDS) {
      const results = byCell.get(`${rule}|${setting}`);
      const status = results === undefined ? (RULES[rule].settings.includes(setting) ? 'not-covered' : 'not-applicable') : results.some(Boolean) ? 'failed' : 'passed';
      cells.set(`${rule}|${setting}`, { status });
    }
  }
  return cells;
}

async function shownCells(page: Page): Promise<Map<string, { status: string; text: string; hidden: boolean }>> {
  const cells = await page.$$eval('td.cell', (elements) =>
    elements.map((element) => ({
      rule: element.getAttribute('data-rule'),
      column: element.getAttribute('data-column'),
      status: element.getAttribute('data-status') ?? '',
      text: (element as unknown as { innerText: string }).innerText,
      hidden: (element as unknown as { offsetParent: unknown }).offsetParent === null,
    })),
  );
  return new Map(cells.map((cell) => [`${cell.rule}|${cell.column}`, cell]));
}

const WORDS: Record<string, string> = { passed: 'passed', failed: 'failed', 'not-covered': 'not covered', 'not-applicable': 'does not apply', 'expected-failure': 'expected failure' };

/** The run's messages with the last step of some scenarios failed: a failing run, without a broken engine. */
function withFailures(envelopes: readonly Envelope[], fail: (tags: readonly string[]) => boolean): Envelope[] {
  const pickleTags = new Map<string, string[]>();
  const caseToPickle = new Map<string, string>();
  const startedToPickle = new Map<string, string>();
  const lastStep = new Map<string, string>();
  for (const envelope of envelopes) {
    if (envelope.pickle) pickleTags.set(envelope.pickle.id, envelope.pickle.tags.map((tag) => tag.name));
    if (envelope.testCase) {
      caseToPickle.set(envelope.testCase.id, envelope.testCase.pickleId);
      const steps = envelope.testCase.testSteps.filter((step) => step.pickleStepId);
      lastStep.set(envelope.testCase.id, steps.at(-1)?.id ?? '');
    }
    if (envelope.testCaseStarted) startedToPickle.set(envelope.testCaseStarted.id, envelope.testCaseStarted.testCaseId);
  }
  return envelopes.map((envelope) => {
    const finished = envelope.testStepFinished;
    if (finished === undefined) return envelope;
    const testCase = startedToPickle.get(finished.testCaseStartedId) ?? '';
    if (lastStep.get(testCase) !== finished.testStepId || !fail(pickleTags.get(caseToPickle.get(testCase) ?? '') ?? [])) return envelope;
    return {
      ...envelope,
      testStepFinished: { ...finished, testStepResult: { ...finished.testStepResult, status: TestStepResultStatus.FAILED, message: 'deliberately failed: a fixture of a failing run' } },
    };
  });
}

describe('the scenario report in a browser (reports/index.html)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let envelopes: Envelope[];
  let page: string;
  let fixtureDir: string;
  /** The page as the run wrote it, opened once at 1280 px (the phone test narrows the same tab). */
  let opened: Awaited<ReturnType<typeof openFile>>;

  before(async () => {
    if (!existsSync(join(REPORTS, 'messages.ndjson')) || !existsSync(join(REPORTS, 'index.html'))) {
      const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js')], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(run.status, 0, `npm run verify failed:\n${run.stdout.slice(-2000)}`);
    }
    envelopes = parseMessages(readFileSync(join(REPORTS, 'messages.ndjson'), 'utf8'));
    page = readFileSync(join(REPORTS, 'index.html'), 'utf8');
    fixtureDir = mkdtempSync(join(tmpdir(), 'idmatrix-report-'));
    browser = await launch();
    opened = await openFile(browser, join(REPORTS, 'index.html'), { width: 1280, height: 900 });
    await opened.page.waitForSelector('html[data-flows]', { timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
  });

  it(`stays within its size budget (${PAGE_BUDGET_BYTES.toLocaleString('en')} bytes; ${CONTENT_BUDGET_BYTES.toLocaleString('en')} besides the mermaid bundle)`, () => {
    const bytes = Buffer.byteLength(page);
    const bundle = Buffer.byteLength(packageFile('mermaid', 'dist/mermaid.min.js'));
    assert.ok(bytes <= PAGE_BUDGET_BYTES, `the page is ${bytes} bytes`);
    assert.ok(bytes - bundle <= CONTENT_BUDGET_BYTES, `the page's own content is ${bytes - bundle} bytes`);
  });

  it('at 1280 px: every cell says what the run says, the flows are drawn, no console error, no request', async () => {
    assert.equal(await opened.page.getAttribute('html', 'data-flows'), 'drawn');
    assert.equal(await opened.page.locator('pre.mermaid svg, .flow-box svg').count(), 9, 'a picture per kind of event, per setting');
    const shown = await shownCells(opened.page);
    const expected = expectedCells(envelopes);
    assert.equal(expected.size, RULE_IDS.length * SETTING_IDS.length);
    for (const [key, cell] of expected) {
      const seen = shown.get(key);
      assert.ok(seen, `no cell ${key}`);
      assert.equal(seen.status, cell.status, `cell ${key}`);
      assert.ok(seen.text.includes(WORDS[cell.status] as string), `cell ${key} says "${WORDS[cell.status]}" in words: ${seen.text}`);
    }
    assert.ok(await opened.page.locator('#risks .risk-item').count() >= 7, 'every risk cell is listed');
    assert.equal(await opened.page.locator('#dispute-AUTH-ADOPT .does-not-hold').count() > 0, true, 'the other reading\'s statements are shown as not holding');
    assert.equal(await opened.page.locator('#disputes .holds .not-holding').count(), 0);
    await opened.page.screenshot({ path: join(REPORTS, 'index.png') });
    assert.deepEqual(opened.errors, []);
    assert.deepEqual(opened.requests, []);
  });

  it('the filters show one setting, one family, one status, one source', async () => {
    const { page: tab } = opened;
    const visibleRows = () => tab.$$eval('tr.rule-row', (rows) => rows.filter((row) => (row as unknown as { offsetParent: unknown }).offsetParent !== null).map((row) => row.id));
    await tab.selectOption('[data-filter="setting"]', 'verified-only');
    const columns = await tab.$$eval('.matrix td.cell', (cells) => [...new Set(cells.filter((cell) => (cell as unknown as { offsetParent: unknown }).offsetParent !== null).map((cell) => cell.getAttribute('data-column')))]);
    assert.deepEqual(columns, ['verified-only']);
    await tab.selectOption('[data-filter="setting"]', '');
    await tab.selectOption('[data-filter="family"]', 'visitor');
    assert.deepEqual((await visibleRows()).sort(), RULE_IDS.filter((rule) => RULES[rule].family === 'visitor').map((rule) => `rule-${rule}`).sort());
    await tab.selectOption('[data-filter="family"]', '');
    await tab.selectOption('[data-filter="source"]', 'DISPUTED');
    assert.deepEqual((await visibleRows()).sort(), ['rule-AUTH-ADOPT', 'rule-AUTH-CONFLICT', 'rule-LOGIN-MOVE']);
    await tab.selectOption('[data-filter="source"]', '');
    await tab.selectOption('[data-filter="status"]', 'failed');
    assert.deepEqual(await visibleRows(), [], 'no cell of this run failed');
    assert.match(await tab.locator('#filter-count').innerText(), /^0 of 27 rules shown$/);
    await tab.selectOption('[data-filter="status"]', '');
    assert.match(await tab.locator('#filter-count').innerText(), /^27 of 27 rules shown$/);
    assert.deepEqual(opened.errors, []);
  });

  it('at 390 px: no sideways scroll, and the matrix reads as cards', async () => {
    await opened.page.setViewportSize({ width: 390, height: 844 });
    await opened.page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    assert.equal(await horizontalOverflow(opened.page), 0);
    assert.equal(await opened.page.locator('.matrix thead').isVisible(), false, 'the column heads give way to a label on each cell');
    await opened.page.screenshot({ path: join(REPORTS, 'index-phone.png') });
    assert.deepEqual(opened.errors, []);
  });

  it('a failing run (a fixture of these messages with failures) turns its cells red, and an expected failure says so', async () => {
    const failing = withFailures(envelopes, (tags) => tags.includes('@rule:VISIT-CLAIM-VERIFIED') || (tags.includes('@rule:AUTH-NEW') && tags.includes('@setting:verified-only')));
    mkdirSync(fixtureDir, { recursive: true });
    writeFileSync(join(fixtureDir, 'messages.ndjson'), failing.map((envelope) => JSON.stringify(envelope)).join('\n'));
    writeFileSync(
      join(fixtureDir, 'target.json'),
      JSON.stringify({ name: 'a fixture target', reading: 'reference', expectedFailures: [{ id: 'AUTH-NEW', reason: 'listed as a known failure of this fixture target' }] }),
    );
    writeFileSync(join(fixtureDir, 'index.html'), buildIndex({ reportsDir: fixtureDir }));
    const opened = await openFile(browser, join(fixtureDir, 'index.html'), { width: 1280, height: 900 });
    const shown = await shownCells(opened.page);
    const expected = expectedCells(failing);
    assert.equal(expected.get('VISIT-CLAIM-VERIFIED|claim-verified')?.status, 'failed');
    assert.equal(shown.get('VISIT-CLAIM-VERIFIED|claim-verified')?.status, 'failed');
    assert.match(shown.get('VISIT-CLAIM-VERIFIED|claim-verified')?.text ?? '', /failed/);
    const colour = await opened.page.$eval('td.cell[data-rule="VISIT-CLAIM-VERIFIED"][data-column="claim-verified"] .status', (element) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(element).color);
    assert.equal(colour, 'rgb(185, 28, 28)', 'the failed mark is red');
    assert.equal(shown.get('AUTH-NEW|verified-only')?.status, 'expected-failure');
    assert.match(shown.get('AUTH-NEW|verified-only')?.text ?? '', /expected failure/);
    assert.equal(shown.get('AUTH-NEW|claim-verified')?.status, 'passed');
    assert.match(await opened.page.locator('header.page').innerText(), /scenarios failed/);
    assert.match(await opened.page.locator('header.page').innerText(), /a fixture target/);
    await opened.page.selectOption('[data-filter="status"]', 'failed');
    assert.match(await opened.page.locator('#filter-count').innerText(), /^1 of 27 rules shown$/);
    assert.ok(await opened.page.locator('details.group.has-failure[open]').count() > 0, 'a group with a failure opens by itself');
    assert.deepEqual(opened.errors, []);
  });
});
