import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { GOING_ELSEWHERE, type WhatIfReport } from '../../src/admin/what-if';
import { SERIES, WHAT_IF_PAGE_BUDGET_BYTES } from '../../src/reports/what-if/page';
import { runCli } from '../support/cli';
import { horizontalOverflow, launch, openFile, type Browser } from './browser';

/**
 * The what-if page (`idmatrix what-if … --html`) in a real browser, with the toolkit's helpers: on the
 * example account after its recorded month (examples/migration), what "Use only verified emails" would
 * change. The chart's bars and the table must give the report's counts, the page must draw without a
 * console error or a request, fit a phone's width and stay within its budget. Screenshots:
 * reports/what-if.png (1280 px) and reports/what-if-phone.png (390 px).
 */

const ROOT = resolve(__dirname, '..', '..');
const REPORTS = join(ROOT, 'reports');

describe('the what-if page in a real browser', function () {
  let dir: string;
  let browser: Browser;
  let report: WhatIfReport;
  let page: string;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'idmatrix-what-if-page-'));
    for (const file of ['accounts.csv', 'month.json']) copyFileSync(join(ROOT, 'examples', 'migration', file), join(dir, file));
    const db = join(dir, 'account.db');
    assert.equal((await runCli(['import', join(dir, 'accounts.csv'), '--db', db, '--setting', 'verified-and-unverified'])).status, 0);
    assert.equal((await runCli(['replay', join(dir, 'month.json'), '--db', db])).status, 0);
    page = join(dir, 'what-if.html');
    const run = await runCli(['what-if', '--db', db, '--setting', 'verified-only', '--html', page]);
    assert.equal(run.status, 0, run.stderr);
    report = JSON.parse(run.stdout) as WhatIfReport;
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The counts of each series for each rule, as the report gives them. */
  const expectedBars = () =>
    Object.fromEntries(
      SERIES.map((series) => [series.id, report.byRule.map((group) => series.classes.reduce((sum, kind) => sum + (group.classes[kind] ?? 0), 0))]),
    );

  async function chartOf(view: Page) {
    return view.evaluate(() => {
      const chart = (globalThis as unknown as { whatIfChart: { data: { labels: string[]; datasets: { label: string; data: number[] }[] }; canvas: { width: number; height: number; getContext(kind: string): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } } } }).whatIfChart;
      const canvas = chart.canvas;
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) painted++;
      return { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })), painted, width: canvas.width };
    });
  }

  it('draws a bar per rule with Chart.js: unchanged / moved / new user, the report\'s counts; no console error, no request, no sideways scroll', async () => {
    const opened = await openFile(browser, page, { width: 1280, height: 900 });
    try {
      const chart = await chartOf(opened.page);
      assert.deepEqual(chart.labels, report.byRule.map((group) => group.rule));
      const bars = expectedBars();
      const shown = Object.fromEntries(chart.datasets.map((dataset) => [SERIES.find((series) => series.label === dataset.label)?.id, dataset.data]));
      assert.deepEqual(Object.keys(shown).sort(), ['moved', 'new-user', 'unchanged'], 'the three series (no refusal in this history)');
      for (const id of Object.keys(shown)) assert.deepEqual(shown[id], bars[id], `series ${id}`);
      assert.ok(chart.painted > chart.width * 20, `the chart is drawn (${chart.painted} painted pixels)`);
      assert.deepEqual(opened.errors, []);
      assert.deepEqual(opened.requests, []);
      assert.equal(await horizontalOverflow(opened.page), 0);
      mkdirSync(REPORTS, { recursive: true });
      await opened.page.screenshot({ path: join(REPORTS, 'what-if.png') });
    } finally {
      await opened.page.close();
    }
  });

  it('the table and the summary give the same counts, each class in words; the changes are listed by class', async () => {
    const opened = await openFile(browser, page, { width: 1280, height: 900 });
    try {
      const view = opened.page;
      assert.equal(await view.textContent('#total'), report.conversations.total.toLocaleString('en-US'));
      assert.equal(await view.textContent('#elsewhere'), report.conversations.goingElsewhere.toLocaleString('en-US'));
      const rows = await view.$$eval('#by-rule-table tbody tr', (elements) =>
        elements.map((row) => ({
          rule: row.getAttribute('data-rule'),
          total: Number(row.querySelector('[data-total]')?.getAttribute('data-total')),
          cells: Object.fromEntries([...row.querySelectorAll('td[data-class]')].map((cell) => [cell.getAttribute('data-class'), (cell as unknown as { innerText: string }).innerText.trim()])),
        })),
      );
      assert.equal(rows.length, report.byRule.length);
      for (const [index, group] of report.byRule.entries()) {
        const row = rows[index]!;
        assert.equal(row.rule, group.rule);
        assert.equal(row.total, group.total);
        for (const [kind, text] of Object.entries(row.cells)) {
          const count = group.classes[kind as keyof typeof group.classes] ?? 0;
          assert.equal(text, count === 0 ? '–' : count.toLocaleString('en-US'), `${group.rule}, ${kind}`);
        }
      }
      const headings = await view.$$eval('#by-rule-table thead th[data-class]', (elements) => elements.map((element) => element.textContent));
      assert.ok(headings.includes('A new user instead of an existing one') && headings.includes('Same place, another rule'), headings.join(' | '));
      // The classes that go elsewhere are open; each lists its conversations (at most 100 on the page).
      const lists = await view.$$eval('details.changes', (elements) => elements.map((element) => ({ kind: element.getAttribute('data-class'), open: (element as unknown as { open: boolean }).open, rows: element.querySelectorAll('tbody tr').length })));
      for (const list of lists) {
        const count = report.changes.filter((change) => change.class === list.kind).length;
        assert.equal(list.rows, Math.min(100, count), `${list.kind} lists its conversations`);
        assert.equal(list.open, GOING_ELSEWHERE.includes(list.kind as never), `${list.kind} open only when going elsewhere`);
      }
      assert.match((await view.textContent('#not-seen + ul')) ?? '', /refused/);
    } finally {
      await opened.page.close();
    }
  });

  it('fits a phone (390 px) without sideways scroll, and stays within its size budget', async () => {
    const opened = await openFile(browser, page, { width: 390, height: 844 });
    try {
      assert.equal(await horizontalOverflow(opened.page), 0);
      await opened.page.locator('#by-rule').scrollIntoViewIfNeeded();
      const chart = await chartOf(opened.page);
      assert.ok(chart.painted > chart.width * 20, 'the chart is drawn at 390 px too');
      assert.deepEqual(opened.errors, []);
      await opened.page.screenshot({ path: join(REPORTS, 'what-if-phone.png') });
    } finally {
      await opened.page.close();
    }
    const bytes = readFileSync(page).length;
    assert.ok(bytes <= WHAT_IF_PAGE_BUDGET_BYTES, `the page is ${bytes} bytes, over its budget of ${WHAT_IF_PAGE_BUDGET_BYTES}`);
  });
});
