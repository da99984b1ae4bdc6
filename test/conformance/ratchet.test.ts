import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { conform } from '../../src/conformance/conform';
import { expectationFor, judge, type Expectation } from '../../src/conformance/expectation';
import { parseExpectedFailures, readExpectedFailures } from '../../src/conformance/ratchet';
import { readVector, vectorFiles, type Vector } from '../../src/conformance/vectors';
import { IdmatrixError } from '../../src/errors';
import { openTarget } from '../../src/targets';

/**
 * When a case must hold or differ on a target (src/conformance/expectation.ts), and the ratchet of an
 * expected-failures file (src/conformance/ratchet.ts): the gate passes while exactly the listed cases
 * fail, fails on a new failure, and fails on a listed case that now passes.
 */

const ROOT = join(__dirname, '..', '..');
/** The AUTH-ADOPT vectors: under seed, the reference reading's fail and the seed reading's hold. */
const vectors: Vector[] = vectorFiles([join(ROOT, 'vectors', 'signed-in', 'AUTH-ADOPT')]).map((file) => readVector(file));
const reference = vectors.filter((vector) => vector.reading === 'reference').map((vector) => vector.id);
const seedReading = vectors.filter((vector) => vector.reading === 'seed').map((vector) => vector.id);

const file = (entries: object[]) => parseExpectedFailures({ target: 'a test', expectedFailures: entries }, 'test.json');
const gate = (expectedFailures: ReturnType<typeof file> | null) => conform(vectors, openTarget('reference:seed'), { reading: 'seed', expectedFailures });

describe('the gate: expectations and the ratchet', () => {
  it('has vectors of both readings to work on', () => {
    assert.equal(reference.length, 3);
    assert.equal(seedReading.length, 3);
  });

  it('decides each case from the reading it states, the reading of the target, and the target\'s list', () => {
    const list = file([{ vector: 'x.verified-only.0000000000', reason: 'known' }, { rule: 'AUTH-CONFLICT', reason: 'not yet' }]);
    const of = (reading: 'reference' | 'seed' | 'doc', target: 'reference' | 'seed' | 'doc', id = 'y', rule = 'AUTH-NEW') => expectationFor({ id, rule, reading }, target, list);
    assert.deepEqual(of('reference', 'seed'), { kind: 'hold' });
    assert.deepEqual(of('seed', 'seed'), { kind: 'hold' }, 'under profile P the @reading:P scenarios are ordinary');
    assert.deepEqual(of('seed', 'reference'), { kind: 'differ', why: 'other-reading', reading: 'seed' });
    assert.deepEqual(of('doc', 'seed'), { kind: 'differ', why: 'other-reading', reading: 'doc' });
    assert.equal((of('reference', 'seed', 'x.verified-only.0000000000') as { scope?: string }).scope, 'vector');
    assert.equal((of('reference', 'doc', 'z', 'AUTH-CONFLICT') as { scope?: string }).scope, 'rule');
  });

  it('judges: passed, failed, expected failure, not supported (never passed)', () => {
    const hold: Expectation = { kind: 'hold' };
    const other: Expectation = { kind: 'differ', why: 'other-reading', reading: 'seed' };
    const listed: Expectation = { kind: 'differ', why: 'expected-failure', scope: 'vector', entry: 'v', reason: 'because', file: 'f.json' };
    const rule: Expectation = { ...listed, scope: 'rule', entry: 'AUTH-NEW' };
    const held = { kind: 'held' } as const;
    const differed = { kind: 'differed', detail: 'results[0].rule' } as const;
    const error = { kind: 'error', detail: 'timeout' } as const;
    const unsupported = { kind: 'unsupported', detail: 'ADMIN-IMPORT' } as const;
    const verdicts = [hold, other, listed, rule].map((expectation) => [held, differed, error, unsupported].map((observation) => judge(expectation, observation).verdict));
    assert.deepEqual(verdicts, [
      ['passed', 'failed', 'failed', 'not supported'],
      ['failed', 'passed', 'failed', 'not supported'],
      ['failed', 'expected failure', 'expected failure', 'not supported'],
      ['passed', 'expected failure', 'expected failure', 'not supported'],
    ]);
    assert.match(judge(listed, held).why ?? '', /listed as an expected failure \(v in f\.json\) but it passes: remove it from the list/);
  });

  it('without a list, the seed reading fails exactly the reference reading\'s cases', async () => {
    const report = await gate(null);
    assert.deepEqual(report.cases.filter((c) => c.judgement.verdict === 'failed').map((c) => c.vector.id).sort(), [...reference].sort());
    assert.equal(report.failed, 3);
  });

  it('passes while exactly the listed cases fail', async () => {
    const report = await gate(file(reference.map((vector) => ({ vector, reason: 'the seed reading' }))));
    assert.equal(report.failed, 0);
    assert.equal(report.counts['expected failure'], 3);
    assert.equal(report.counts.passed, 3);
  });

  it('fails on a new failure: a failing case the list leaves out', async () => {
    const report = await gate(file(reference.slice(1).map((vector) => ({ vector, reason: 'the seed reading' }))));
    assert.equal(report.failed, 1);
    assert.deepEqual(report.cases.filter((c) => c.judgement.verdict === 'failed').map((c) => c.vector.id), [reference[0]]);
  });

  it('fails on a listed case that now passes (the list only shrinks)', async () => {
    const report = await gate(file([...reference, seedReading[0]].map((vector) => ({ vector, reason: 'the seed reading' }))));
    assert.equal(report.failed, 1);
    const failed = report.cases.find((c) => c.judgement.verdict === 'failed');
    assert.equal(failed?.vector.id, seedReading[0]);
    assert.match(failed?.judgement.why ?? '', /but it passes: remove it from the list/);
  });

  it('a rule entry: its cases may pass, one at least must fail, else the entry is stale', async () => {
    assert.equal((await gate(file([{ rule: 'AUTH-ADOPT', reason: 'the seed reading' }]))).failed, 0);
    const stale = await conform(vectors, openTarget('reference'), { reading: 'reference', expectedFailures: file([{ rule: 'AUTH-ADOPT', reason: 'no longer' }]) });
    assert.deepEqual(stale.stale.map((entry) => entry.entry), ['AUTH-ADOPT']);
    assert.equal(stale.failed, 1);
  });

  it('the committed expected-failures files read, every entry with a vector id and a reason', () => {
    for (const reading of ['seed', 'doc']) {
      const list = readExpectedFailures(join(ROOT, 'conformance', `${reading}.expected-failures.json`));
      assert.ok(list.entries.length > 0);
      for (const entry of list.entries) {
        assert.equal(entry.scope, 'vector');
        assert.ok(entry.reason.length > 40, entry.entry);
      }
    }
  });

  it('refuses a file that does not follow the format, in one line naming where', () => {
    const cases: [unknown, RegExp][] = [
      [[], /\$: expected an object/],
      [{ expectedFailures: [{ vector: 'a' }] }, /expectedFailures\[0\]\.reason: every entry says why it fails/],
      [{ expectedFailures: [{ vector: 'a', rule: 'AUTH-NEW', reason: 'r' }] }, /give exactly one of "vector" and "rule"/],
      [{ expectedFailures: [{ rule: 'AUTH-NOPE', reason: 'r' }] }, /"AUTH-NOPE" is not a rule ID/],
      [{ expectedFailures: [{ vector: 'a', reason: 'r' }, { vector: 'a', reason: 's' }] }, /a is listed twice/],
      [{ expectedFailure: [] }, /expectedFailure: is not a member/],
    ];
    for (const [doc, message] of cases) {
      assert.throws(() => parseExpectedFailures(doc, 'mine.json'), (error: unknown) => error instanceof IdmatrixError && /^mine\.json: /.test(error.message) && message.test(error.message), String(message));
    }
  });
});
