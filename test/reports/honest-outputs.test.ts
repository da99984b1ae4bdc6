import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { DIFFERENCES_FILE, type DifferencesAttachment } from '../../src/reports/cucumber/honest';

/**
 * Issue 9: no statement that does not hold is shown as passed. The scenarios tagged
 * @expected-to-differ (another source's reading of a disputed rule) are run into a temporary folder
 * with the project's own cucumber configuration, and each of its outputs (the HTML report's embedded
 * messages, cucumber.json, junit.xml and messages.ndjson) must show every statement the World recorded
 * as not holding as something other than passed, in words that say it does not hold.
 */

const ROOT = resolve(__dirname, '..', '..');

interface Run {
  readonly dir: string;
  readonly messages: Envelope[];
  /** pickle step id → statement text, for every statement that did not hold. */
  readonly notHolding: Map<string, string>;
  /** The pickle ids of the scenarios expected to differ. */
  readonly differing: Set<string>;
}

function ndjson(text: string): Envelope[] {
  return text.trim().split('\n').map((line) => JSON.parse(line) as Envelope);
}

describe('reports: the statements of another reading that do not hold are never shown as passed', function () {
  this.timeout(120_000);
  let run: Run;

  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'idmatrix-honest-'));
    const done = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js'), '--tags', '@expected-to-differ'], {
      cwd: ROOT,
      env: { ...process.env, IDMATRIX_REPORTS_DIR: dir },
      encoding: 'utf8',
    });
    assert.equal(done.status, 0, `cucumber-js failed:\n${done.stdout}\n${done.stderr}`);
    const messages = ndjson(readFileSync(join(dir, 'messages.ndjson'), 'utf8'));
    const notHolding = new Map<string, string>();
    const differing = new Set<string>();
    const pickleOfStarted = new Map<string, string>();
    const pickleOfCase = new Map<string, string>();
    for (const envelope of messages) {
      if (envelope.pickle?.tags.some((tag) => tag.name === '@expected-to-differ')) differing.add(envelope.pickle.id);
      if (envelope.testCase) pickleOfCase.set(envelope.testCase.id, envelope.testCase.pickleId);
      if (envelope.testCaseStarted) pickleOfStarted.set(envelope.testCaseStarted.id, pickleOfCase.get(envelope.testCaseStarted.testCaseId) ?? '');
      if (envelope.attachment?.fileName === DIFFERENCES_FILE) {
        const recorded = JSON.parse(envelope.attachment.body) as DifferencesAttachment;
        for (const statement of recorded.statements) notHolding.set(statement.pickleStepId, statement.text);
      }
    }
    run = { dir, messages, notHolding, differing };
  });

  after(() => rmSync(run.dir, { recursive: true, force: true }));

  it('the run has scenarios of other readings, each with statements that did not hold', () => {
    assert.ok(run.differing.size >= 8, `only ${run.differing.size} @expected-to-differ scenarios ran`);
    const pickles = run.messages.flatMap((envelope) => (envelope.pickle && run.differing.has(envelope.pickle.id) ? [envelope.pickle] : []));
    for (const pickle of pickles) {
      assert.ok(pickle.steps.some((step) => run.notHolding.has(step.id)), `"${pickle.name}" recorded no statement that does not hold`);
    }
  });

  it('messages.ndjson and the HTML report: each such step is not passed, and its message says it does not hold', () => {
    const html = readFileSync(join(run.dir, 'cucumber.html'), 'utf8');
    const embedded = /window\.CUCUMBER_MESSAGES = (\[.*?\]);\s*<\/script>/s.exec(html);
    assert.ok(embedded, 'the HTML report embeds its messages');
    for (const [name, messages] of [['messages.ndjson', run.messages], ['cucumber.html', JSON.parse((embedded[1] as string).replace(/\\x3C/g, '\\u003C')) as Envelope[]]] as const) {
      const stepOf = new Map<string, string>();
      for (const envelope of messages) for (const step of envelope.testCase?.testSteps ?? []) if (step.pickleStepId) stepOf.set(step.id, step.pickleStepId);
      let seen = 0;
      for (const envelope of messages) {
        const finished = envelope.testStepFinished;
        const pickleStep = finished ? stepOf.get(finished.testStepId) : undefined;
        if (finished === undefined || pickleStep === undefined || !run.notHolding.has(pickleStep)) continue;
        seen++;
        assert.notEqual(finished.testStepResult.status, 'PASSED', `${name}: "${run.notHolding.get(pickleStep)}" is shown as passed`);
        assert.match(finished.testStepResult.message ?? '', /^Does not hold: the engine does not do this/, `${name}: the step's message says it does not hold`);
      }
      assert.equal(seen, run.notHolding.size, `${name}: every statement that did not hold has its step result`);
      const texts = messages.flatMap((envelope) => envelope.pickle?.steps ?? []).filter((step) => run.notHolding.has(step.id));
      for (const step of texts) assert.match(step.text, /does not hold/, `${name}: the step's text says it does not hold`);
    }
  });

  it('cucumber.json: each such step is not passed and its name says it does not hold', () => {
    interface JsonStep { name?: string; result: { status: string } }
    const features = JSON.parse(readFileSync(join(run.dir, 'cucumber.json'), 'utf8')) as { elements: { tags: { name: string }[]; steps: JsonStep[] }[] }[];
    const statements = new Set(run.notHolding.values());
    let marked = 0;
    for (const element of features.flatMap((feature) => feature.elements)) {
      assert.ok(element.tags.some((tag) => tag.name === '@expected-to-differ'));
      for (const step of element.steps) {
        const name = step.name ?? '';
        const bare = name.replace(/ — does not hold: the engine does not do this$/, '');
        if (name !== bare) {
          assert.ok(statements.has(bare), `cucumber.json marks "${bare}", which held`);
          marked++;
          assert.notEqual(step.result.status, 'passed', `cucumber.json shows "${name}" as passed`);
        }
      }
    }
    assert.equal(marked, run.notHolding.size);
  });

  it('junit.xml: each such step line ends "skipped", says it does not hold, and its test case is not a failure', () => {
    const xml = readFileSync(join(run.dir, 'junit.xml'), 'utf8');
    const cases = [...xml.matchAll(/<testcase [^>]*>([\s\S]*?)<\/testcase>/g)].map((match) => match[1] as string);
    assert.equal(cases.length, run.differing.size);
    const lines = cases.flatMap((body) => /<system-out><!\[CDATA\[([\s\S]*?)\]\]><\/system-out>/.exec(body)?.[1]?.split('\n') ?? []);
    let marked = 0;
    for (const statement of new Set(run.notHolding.values())) {
      const matching = lines.filter((line) => line.includes(`${statement} — does not hold`));
      assert.ok(matching.length > 0, `junit.xml lists "${statement}"`);
      for (const line of matching) assert.match(line, /\.skipped$/, `junit.xml: ${line}`);
      marked += matching.length;
      assert.ok(!lines.some((line) => line.includes(`${statement}.`) && line.endsWith('passed')), `junit.xml shows "${statement}" as passed`);
    }
    assert.equal(marked, run.notHolding.size);
    for (const body of cases) {
      assert.doesNotMatch(body, /<failure/, 'an expected difference is not a failure');
      assert.match(body, /<skipped><!\[CDATA\[Does not hold: the engine does not do this/);
    }
  });
});
