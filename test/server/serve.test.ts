import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { replay } from '../../src/replay/run';
import type { ReplayResult, Scenario } from '../../src/replay/types';
import { loadScenario } from '../../src/replay/validate';
import { buildHttpServer } from '../../src/server/http';
import { Service } from '../../src/server/service';

/**
 * `idmatrix serve` (src/server): the protocol over HTTP, through fastify's inject (no socket). The
 * process itself (port, SIGTERM) is exercised by test/conformance/proof.test.ts.
 */

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'LOGIN-MOVE', 'move-to-existing-customers.json');
const text = readFileSync(EXAMPLE, 'utf8');
const scenario = loadScenario(text);

describe('idmatrix serve: the protocol over HTTP', () => {
  let app: FastifyInstance;
  before(async () => (app = await buildHttpServer(new Service('doc', '9.9.9'), { bodyLimit: 64 * 1024 })));
  after(() => app.close());

  const post = (url: string, payload: string, type = 'application/json') => app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });

  it('POST /replay answers the result document of the scenario, under the reading the server was started with', async () => {
    const response = await post('/replay', text);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), JSON.parse(JSON.stringify(await replay(scenario, { profile: 'doc' }))));
  });

  it('GET /health says the reading and what the server serves', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    assert.deepEqual(response.json(), { status: 'ok', name: 'idmatrix reference engine', version: '9.9.9', reading: 'doc', supports: ['replay', 'import'] });
  });

  const refusals: [string, string, string, string][] = [
    ['a member given twice (strict JSON, not last-one-wins)', text.replace('"ref": "c1",', '"ref": "c1", "ref": "c9",'), 'events[0].ref', 'member "ref" is given twice'],
    ['text that is not JSON', '{"settings":', '$', 'not valid JSON'],
    ['a shape the schema refuses', JSON.stringify({ ...scenario, events: [{ ref: 'c1', type: 'phone' }] }), 'events[0].type', 'unknown event type "phone"'],
    ['a check the schema cannot make (a login naming no earlier visitor)', JSON.stringify({ ...scenario, events: [{ ref: 'l1', type: 'login', conversation: 'c9', claims: {} }] }), 'events[0].conversation', 'is not the ref of any event'],
  ];
  for (const [what, body, path, message] of refusals) {
    it(`refuses ${what}: 400 {"error": {"path", "message"}}`, async () => {
      const response = await post('/replay', body);
      assert.equal(response.statusCode, 400);
      const answer = response.json() as { error: { path: string; message: string } };
      assert.deepEqual(Object.keys(answer), ['error']);
      assert.equal(answer.error.path, path);
      assert.ok(answer.error.message.includes(message), answer.error.message);
    });
  }

  it('refuses a body over the limit (413), another media type (415), an empty body, and unknown routes (404), each with a path and a message', async () => {
    const big = await post('/replay', JSON.stringify({ ...scenario, description: 'x'.repeat(70 * 1024) }));
    assert.equal(big.statusCode, 413);
    assert.match((big.json() as { error: { message: string } }).error.message, /larger than 65536 bytes/);
    assert.equal((await post('/replay', 'a,b', 'text/csv')).statusCode, 415);
    assert.equal((await post('/replay', '')).statusCode, 400);
    const lost = await app.inject({ method: 'GET', url: '/replay' });
    assert.equal(lost.statusCode, 404);
    assert.match((lost.json() as { error: { message: string } }).error.message, /the routes are POST \/replay, POST \/import, GET \/health/);
  });

  it('POST /import: the files between the starting users and the events; a file that cannot be read is a 400 naming it', async () => {
    const files = [{ batch: 'crm', csv: 'external_id,name,verified_emails\nann-1,Ann,ann@example.com\n' }];
    const response = await post('/import', JSON.stringify({ scenario, files }));
    assert.equal(response.statusCode, 200);
    const answer = response.json() as { reports: { created: number }[]; result: ReplayResult };
    assert.deepEqual(answer.reports.map((report) => report.created), [1]);
    assert.ok(answer.result.users.some((user) => user.ref === 'new:crm:2' && user.externalId === 'ann-1'));
    const unreadable = await post('/import', JSON.stringify({ scenario, files: [{ batch: 'crm', csv: 'who,what\n' }] }));
    assert.equal(unreadable.statusCode, 400);
    assert.equal((unreadable.json() as { error: { path: string } }).error.path, 'files[0].csv');
    const twice = await post('/import', JSON.stringify({ scenario, files: [...files, ...files] }));
    assert.deepEqual(twice.json(), { error: { path: 'files[1].batch', message: '"crm" is the batch of an earlier file' } });
    const inner = await post('/import', JSON.stringify({ scenario: { ...scenario, now: 'soon' }, files }));
    assert.equal((inner.json() as { error: { path: string } }).error.path, 'scenario.now');
  });

  it('validates its own answers before sending them: a result that is not a result document is a 500, never sent', async () => {
    class Broken extends Service {
      override async replay(_scenario: Scenario): Promise<ReplayResult> {
        return { settings: scenario.settings, results: [], users: [], conversations: [], extra: true } as unknown as ReplayResult;
      }
    }
    const broken = await buildHttpServer(new Broken('reference', '0'), { bodyLimit: 1024 * 1024 });
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      const response = await broken.inject({ method: 'POST', url: '/replay', payload: text, headers: { 'content-type': 'application/json' } });
      assert.equal(response.statusCode, 500);
      assert.deepEqual(response.json(), { error: { path: '$', message: 'internal error of the reference engine (see the server log)' } });
      assert.match(written.join(''), /extra: is not a member of the result/);
    } finally {
      process.stderr.write = original;
      await broken.close();
    }
  });
});
