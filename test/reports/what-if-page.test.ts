import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { whatIf } from '../../src/admin/what-if';
import { settingsOf } from '../../src/domain';
import { readJsonData } from '../../src/reports/html/assets';
import { chartData, renderWhatIfPage, type ChartData } from '../../src/reports/what-if/page';
import { loadScenario } from '../../src/replay/validate';
import { assertOneLineError, runCli } from '../support/cli';

/** The what-if page without a browser: its data, its escaping, and the --html option (the browser test draws it). */
describe('what-if --html: the page', () => {
  const hostile = '<img src=x onerror=alert(1)></script>';
  const scenario = loadScenario(
    JSON.stringify({
      title: `A title with ${hostile}`,
      settings: settingsOf('claim-verified'),
      now: '2026-01-01T00:00:00Z',
      users: [{ ref: 'kim', externalId: 'kim-1', emails: [{ address: 'kim@example.com', verified: true }] }],
      events: [
        { ref: hostile, type: 'visitor', email: 'kim@example.com' },
        { ref: 'c2', type: 'visitor', email: 'nina@example.com' },
      ],
    }),
  );

  it('one bar per recorded rule; the series add up the classes of each rule', async () => {
    const report = await whatIf(scenario, 'verified-only');
    const data = chartData(report);
    assert.deepEqual(data.labels, ['VISIT-NEW-UNVERIFIED', 'VISIT-CLAIM-VERIFIED']);
    assert.deepEqual(
      data.datasets.map((dataset) => [dataset.id, dataset.data]),
      [
        ['unchanged', [1, 0]],
        ['moved', [0, 0]],
        ['new-user', [0, 1]],
      ],
    );
  });

  it('escapes every text it shows (refs and titles come from the user) and keeps its data inside its script', async () => {
    const report = await whatIf(scenario, 'verified-only');
    const page = renderWhatIfPage({ report, subject: `scenario ${hostile}.json`, generatedAt: '2026-01-01T00:00:00Z' });
    assert.ok(!page.includes('<img src=x'), 'a raw tag from the input is on the page');
    assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.deepEqual(readJsonData(page, 'what-if-chart-data') as ChartData, JSON.parse(JSON.stringify(chartData(report))));
    assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//, 'nothing is fetched');
  });

  it('--html writes the page beside the JSON report; an unwritable path is one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idmatrix-page-'));
    try {
      const example = join(__dirname, '..', '..', 'examples', 'ADMIN-SWITCH', 'legacy-account-moves-to-verified-only.json');
      const html = join(dir, 'what-if.html');
      const run = await runCli(['what-if', example, '--setting', 'verified-only', '--html', html]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).whatIf, 'verified-only');
      const page = readFileSync(html, 'utf8');
      assert.match(page, /^<!doctype html>/);
      assert.match(page, /What if “Use only verified emails” had been in force\?/);
      assert.match(assertOneLineError(await runCli(['what-if', example, '--setting', 'verified-only', '--html', join(dir, 'missing', 'page.html')])), /^--html .*: cannot write the page \(ENOENT\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
