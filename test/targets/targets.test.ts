import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdmatrixError } from '../../src/errors';
import { loadScenario } from '../../src/replay/validate';
import { replay } from '../../src/replay/run';
import { PassThrough } from 'node:stream';
import { Service } from '../../src/server/service';
import { serveStdio } from '../../src/server/stdio';
import { NotSupported, openTarget, TargetFailure } from '../../src/targets';

/**
 * Targets (src/targets): their names, and what each kind does when the implementation misbehaves. A
 * crash, a line that is not JSON, a malformed or missing result, a refusal or a timeout fails that one
 * request with its reason, and the next request is answered again (the run goes on).
 */

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'AUTH-ADOPT', 'legacy-verified-profile-gets-external-id.json');
const scenario = loadScenario(readFileSync(EXAMPLE, 'utf8'));

async function failure(promise: Promise<unknown>): Promise<TargetFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TargetFailure, `expected a TargetFailure, got ${String(error)}`);
    return error;
  }
  assert.fail('the request did not fail');
}

describe('targets: names (--target, IDMATRIX_TARGET)', () => {
  it('knows reference, reference:<profile>, http(s) URLs and cmd: command lines', async () => {
    assert.equal(openTarget('reference').name, 'reference');
    assert.equal(openTarget('reference:seed').name, 'reference:seed');
    assert.equal(openTarget('http://127.0.0.1:9/').name, 'http://127.0.0.1:9');
    assert.equal(openTarget('cmd:python3 target.py').name, 'cmd:python3 target.py');
    assert.deepEqual(await openTarget('reference:doc').info(), { reading: 'doc', supportsImport: true, name: 'idmatrix reference engine' });
  });

  it('refuses anything else as bad input, in one line', () => {
    for (const [spec, message] of [
      ['referenc', /expected one of reference, reference:seed, reference:doc, http:\/\/host:port, cmd:<command line>/],
      ['reference:SEED', /the reading after "reference:" is one of reference, seed, doc/],
      ['cmd:  ', /needs a command line/],
      ['http://host:port?x=1', /not a URL|without a query/],
    ] as const) {
      assert.throws(() => openTarget(spec), (error: unknown) => error instanceof IdmatrixError && message.test(error.message) && !error.message.includes('\n'), spec);
    }
  });

  it('the reference target in process gives what replay gives, under its reading', async () => {
    assert.deepEqual(await openTarget('reference:seed').replay(scenario), await replay(scenario, { profile: 'seed' }));
  });
});

describe('targets: cmd:<command line>', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'idmatrix-cmd-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A target process written in a few lines of JavaScript: `body` runs for each line it reads, with
   * `count` the number of scenario lines it has read in all its lives (kept in a file), and `RESULT` a
   * valid result document.
   */
  let result: unknown;
  before(async () => (result = await replay(scenario)));
  function script(name: string, body: string): string {
    const file = join(dir, `${name}.js`);
    const counter = join(dir, `${name}.count`);
    writeFileSync(counter, '0');
    writeFileSync(
      file,
      [
        `const fs = require('node:fs');`,
        `const RESULT = ${JSON.stringify(result)};`,
        `const rl = require('node:readline').createInterface({ input: process.stdin });`,
        `rl.on('line', (line) => {`,
        `  if (line.includes('"health"') && !${JSON.stringify(name)}.startsWith('plain')) return console.log(${JSON.stringify(name === 'liar' ? '{"health":{"status":"ok","reading":"doc"}}' : '{}')});`,
        `  const count = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1;`,
        `  fs.writeFileSync(${JSON.stringify(counter)}, String(count));`,
        `  ${body}`,
        `});`,
      ].join('\n'),
    );
    return `cmd:${process.execPath} ${file}`;
  }

  it('a crash fails that request with the process\'s last words, and a new process answers the next', async () => {
    const target = openTarget(script('crash', `if (count === 1) { console.error('boom: the database is gone'); process.exit(3); } console.log(JSON.stringify(RESULT));`), { timeoutMs: 20_000 });
    try {
      await target.info();
      const crash = await failure(target.replay(scenario));
      assert.equal(crash.kind, 'crash');
      assert.match(crash.message, /exited \(status 3\) without answering; its last words: "boom: the database is gone"/);
      assert.deepEqual(await target.replay(scenario), result);
    } finally {
      await target.close();
    }
  });

  it('a line that is not JSON, a malformed result, a missing result, a refusal: each fails that request and the run goes on', async () => {
    const answers = ['this is not JSON', '{"settings":1}', 'null', '{"malformed":"events[0].ref: is required"}'];
    const target = openTarget(script('liar', `const answers = ${JSON.stringify(answers)}; console.log(answers[count - 1] ?? JSON.stringify(RESULT));`));
    try {
      assert.deepEqual(await target.info(), { reading: 'doc', supportsImport: false, name: null });
      const notJson = await failure(target.replay(scenario));
      assert.equal(notJson.kind, 'bad-answer');
      assert.match(notJson.message, /a line that is not JSON: "this is not JSON"/);
      const malformed = await failure(target.replay(scenario));
      assert.equal(malformed.kind, 'malformed-result');
      assert.match(malformed.message, /^the target's result is not valid: settings: expected object$/);
      const missing = await failure(target.replay(scenario));
      assert.equal(missing.kind, 'malformed-result');
      assert.match(missing.message, /the target gave no result/);
      const refused = await failure(target.replay(scenario));
      assert.equal(refused.kind, 'refused');
      assert.match(refused.message, /calls the scenario malformed: events\[0\]\.ref: is required/);
      assert.deepEqual(await target.replay(scenario), result, 'and then it answers again');
    } finally {
      await target.close();
    }
  });

  it('no answer within the timeout fails that request; the process is ended and a new one answers the next', async () => {
    const target = openTarget(script('slow', `if (count === 1) return; console.log(JSON.stringify(RESULT));`), { timeoutMs: 1500 });
    try {
      await target.info();
      const slow = await failure(target.replay(scenario));
      assert.equal(slow.kind, 'timeout');
      assert.match(slow.message, /no answer within 1.5 s/);
      assert.deepEqual(await target.replay(scenario), result);
    } finally {
      await target.close();
    }
  });

  it('a target that does not answer the health question is replay-only: its imports are not supported, and nothing is sent', async () => {
    const target = openTarget(script('plain', `console.log(JSON.stringify({ malformed: '$: not a scenario' }));`));
    try {
      assert.deepEqual(await target.info(), { reading: null, supportsImport: false, name: null });
      await assert.rejects(target.importUsers(scenario, []), NotSupported);
    } finally {
      await target.close();
    }
  });

  it('idmatrix serve --stdio speaks the same protocol, one line each way (the process itself: test/gate/proof.test.ts)', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const served = serveStdio(new Service('seed', '1.2.3'), input, output);
    const files = [{ batch: 'b', csv: 'external_id,name,verified_emails\nann-1,Ann,ann@example.com\n' }];
    for (const line of [{ health: {} }, scenario, { import: { scenario, files } }, { import: { scenario, files: [{ batch: 'b', csv: 'nonsense\n' }] } }]) {
      input.write(`${JSON.stringify(line)}\n`);
    }
    input.end('{"settings": 1}\n\nnot json\n');
    await served;
    const answers = written.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(answers.length, 6, 'one answer per line, the empty line skipped');
    assert.deepEqual(answers[0], { health: { status: 'ok', name: 'idmatrix reference engine', version: '1.2.3', reading: 'seed', supports: ['replay', 'import'] } });
    assert.deepEqual(answers[1], JSON.parse(JSON.stringify(await replay(scenario, { profile: 'seed' }))));
    assert.deepEqual((answers[2]?.imported as { reports: { created: number }[] }).reports.map((report) => report.created), [1]);
    assert.match(String(answers[3]?.malformed), /^import\.files\[0\]\.csv: line 1: unknown column "nonsense"/);
    assert.deepEqual(answers[4], { malformed: 'settings: expected object' });
    assert.match(String(answers[5]?.malformed), /^\$: not valid JSON/);
  });
});

describe('targets: http://host:port', () => {
  let server: Server;
  let base: string;
  let answer: (path: string, body: string) => { status: number; body: string; delay?: number };
  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const reply = answer(request.url ?? '', body);
        setTimeout(() => response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body), reply.delay ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('a 400 with the path is a refusal; another status, a body that is not JSON or a malformed result fail that request', async () => {
    const target = openTarget(base, { timeoutMs: 1000 });
    answer = () => ({ status: 400, body: '{"error":{"path":"events[0]","message":"unknown event"}}' });
    assert.match((await failure(target.replay(scenario))).message, /calls the request malformed: events\[0\]: unknown event/);
    answer = () => ({ status: 500, body: 'Internal Server Error' });
    assert.match((await failure(target.replay(scenario))).message, /POST \/replay answered 500: "Internal Server Error"/);
    answer = () => ({ status: 200, body: '<html>' });
    assert.equal((await failure(target.replay(scenario))).kind, 'bad-answer');
    answer = () => ({ status: 200, body: '{"settings":{"emailIdentities":"verified-only","unauthenticatedCanClaimVerified":false},"results":[],"users":[]}' });
    assert.match((await failure(target.replay(scenario))).message, /result is not valid: conversations: is required/);
    answer = () => ({ status: 200, body: '{}', delay: 1500 });
    assert.equal((await failure(target.replay(scenario))).kind, 'timeout');
  });

  it('without a health answer, POST /import is tried, and a 404 means not supported', async () => {
    const target = openTarget(base);
    answer = (path) => ({ status: 404, body: `{"error":{"path":"$","message":"no ${path}"}}` });
    assert.deepEqual(await target.info(), { reading: null, supportsImport: true, name: null });
    await assert.rejects(target.importUsers(scenario, []), (error: unknown) => error instanceof NotSupported && /POST \/import/.test(error.message));
  });

  it('a connection refused is a crash of that request', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const crash = await failure(openTarget(`http://127.0.0.1:${port}`).replay(scenario));
    assert.equal(crash.kind, 'crash');
    assert.match(crash.message, /ECONNREFUSED/);
  });
});
