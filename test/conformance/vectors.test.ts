import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { whatIf } from '../../src/admin/what-if';
import { conform } from '../../src/conformance/conform';
import { firstDifference, readVector, vectorFiles, vectorId, withoutMessages } from '../../src/conformance/vectors';
import { isSettingId } from '../../src/domain';
import { replay } from '../../src/replay/run';
import { loadScenario } from '../../src/replay/validate';
import { countsOf, openTarget, whatIfThrough } from '../../src/targets';

/**
 * The committed test vectors (vectors/, `npm run vectors`): fresh, self-describing (their own copies of
 * the JSON Schemas validate them without idmatrix), named by ids that survive a rewording; and what
 * the harness computes from replay results (counts, the what-if report) equals what the engine reports.
 * Freshness is held in two halves, without running the features twice: `npm run verify` holds each
 * vector to the scenario it comes from (what it sends, its statements, and for the reference reading its
 * result; and no vector without a scenario: steps/support/vectors.ts), and this file holds every
 * vector's expectations to the engine under its reading.
 */

const ROOT = join(__dirname, '..', '..');
const VECTORS = join(ROOT, 'vectors');
const SPEC = join(ROOT, '..', 'shared', 'spec');

describe('vectors/: the scenario matrix as language-neutral test vectors', () => {
  const files = vectorFiles([VECTORS]);

  it("every vector's expectations are what the engine gives now under the reading it states (what the features' own run cannot compare for the other readings)", async () => {
    const vectors = files.map((file) => readVector(file));
    for (const reading of ['reference', 'seed', 'doc'] as const) {
      const mine = vectors.filter((vector) => vector.reading === reading);
      const report = await conform(mine, openTarget(`reference:${reading}`), { reading, expectedFailures: null });
      const failed = report.cases.filter((c) => c.judgement.verdict !== 'passed').map((c) => `${c.vector.id}: ${c.judgement.why}`);
      assert.deepEqual(failed, [], `stale under ${reading}; run npm run vectors`);
      assert.ok(mine.length > 0);
    }
  });

  it('the index names every vector, the spec revision it was written from, and the schemas', () => {
    const index = JSON.parse(readFileSync(join(VECTORS, 'index.json'), 'utf8')) as {
      spec: Record<string, string>;
      schemas: Record<string, string>;
      count: number;
      vectors: { path: string; id: string }[];
    };
    assert.equal(index.count, files.length);
    assert.deepEqual(index.vectors.map((entry) => join(VECTORS, entry.path)).sort(), [...files].sort());
    for (const file of ['flows.md', 'inputs.md', 'replay.md']) {
      assert.equal(index.spec[file], `sha256:${createHash('sha256').update(readFileSync(join(SPEC, file))).digest('hex')}`, `${file} changed since npm run vectors`);
    }
    for (const [path, hash] of Object.entries(index.schemas)) {
      assert.equal(hash, `sha256:${createHash('sha256').update(readFileSync(join(VECTORS, path))).digest('hex')}`, path);
    }
  });

  it('every vector validates against vectors/schema alone (what a team in another language uses), and reads back with its own id', () => {
    const ajv = new Ajv2020({ strict: false, discriminator: true });
    addFormats(ajv);
    for (const name of readdirSync(join(VECTORS, 'schema'))) ajv.addSchema(JSON.parse(readFileSync(join(VECTORS, 'schema', name), 'utf8')));
    const validate = ajv.getSchema('https://idmatrix.dev/schema/vector.schema.json');
    assert.ok(validate);
    for (const file of files) {
      assert.ok(validate(JSON.parse(readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(validate.errors?.[0])}`);
      readVector(file);
    }
    assert.ok(files.length >= 300, `${files.length} vectors`);
  });

  it("an id survives a rewording of the scenario (title, statements), and changes with what the vector sends", () => {
    const vector = readVector(files.find((file) => file.includes('AUTH-ADOPT')) as string);
    const reworded = { ...vector, scenario: { ...vector.scenario, title: 'Kim, again, in other words', description: 'features/x.feature:1' } };
    assert.equal(vectorId(reworded), vector.id);
    const [first, ...rest] = vector.scenario.events;
    const changed = { ...vector, scenario: { ...vector.scenario, events: [{ ...first, ref: 'c7' }, ...rest] as typeof vector.scenario.events } };
    assert.notEqual(vectorId(changed), vector.id);
    assert.notEqual(vectorId({ ...vector, reading: 'doc' }), vector.id);
    assert.match(vector.id, /^auth-adopt\.[a-z-]+(\.seed)?\.[0-9a-f]{10}$/);
  });

  it('names the first difference of two results, error messages aside', () => {
    const result = { results: [{ rule: 'AUTH-ADOPT', error: { code: 'conflict', message: 'a' } }], users: [1, 2] };
    assert.equal(firstDifference(withoutMessages(result), withoutMessages({ ...result, results: [{ rule: 'AUTH-ADOPT', error: { code: 'conflict', message: 'b' } }] })), null);
    assert.equal(firstDifference(result, { ...result, results: [{ rule: 'AUTH-NEW', error: result.results[0]?.error }] }), 'results[0].rule: expected "AUTH-ADOPT", got "AUTH-NEW"');
    assert.equal(firstDifference(result, { ...result, users: [1] }), 'users[1]: expected 2, got nothing (1 items)');
  });
});

describe('what the harness computes from replay results equals what the engine reports', () => {
  const examples = join(ROOT, 'examples');
  const all = readdirSync(examples).filter((name) => /^[A-Z-]+$/.test(name)).flatMap((dir) => readdirSync(join(examples, dir)).map((file) => join(examples, dir, file)));

  it('ADMIN-UNVERIFIED-COUNT from the result\'s users, on every example with a count', async () => {
    const counted = all.filter((file) => file.endsWith('.count.json'));
    assert.ok(counted.length > 0);
    for (const file of counted) {
      const scenario = loadScenario(readFileSync(file.replace(/\.count\.json$/, '.json'), 'utf8'));
      let engine: unknown;
      const result = await replay(scenario, { inspect: (opened) => (engine = opened.counts()) });
      assert.deepEqual(countsOf(result), engine, file);
    }
  });

  it('the what-if report from two replays through a target, on every example with one', async () => {
    const reports = all.filter((file) => /\.what-if\.[a-z-]+\.json$/.test(file));
    assert.ok(reports.length > 0);
    for (const file of reports) {
      const setting = /\.what-if\.([a-z-]+)\.json$/.exec(file)?.[1] as string;
      assert.ok(isSettingId(setting));
      const scenario = loadScenario(readFileSync(file.replace(/\.what-if\.[a-z-]+\.json$/, '.json'), 'utf8'));
      assert.deepEqual(await whatIfThrough(openTarget('reference'), scenario, setting), await whatIf(scenario, setting), file);
    }
  });
});
