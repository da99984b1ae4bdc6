import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { openFileInput } from '../../src/cli/io';
import { main, type CliIO } from '../../src/cli/main';
import { readExpectedFailures } from '../../src/conformance/ratchet';
import { readVector, vectorFiles } from '../../src/conformance/vectors';

/**
 * The proof that the gate gates: the whole matrix (every vector) passes against the reference engine in
 * process, over HTTP (`idmatrix serve`, started here on a free loopback port) and through `cmd:`
 * (`idmatrix serve --stdio`, one long-lived process); against `serve --reading seed` and
 * `--reading doc` it fails on exactly the cases of the committed expected-failures file of that
 * reading, and the vectors of that reading's own scenarios are ordinary vectors that pass. The servers
 * then stop on SIGTERM. Each run's wall time is printed (the figures of issue 8's note).
 */

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'idmatrix.js');
const VECTORS = join(ROOT, 'vectors');
const COUNT = vectorFiles([VECTORS]).length;

interface Server {
  readonly process: ChildProcess;
  readonly url: string;
  output: string;
}

/** `idmatrix serve --port 0` as a real process; resolves with the address it prints. */
function serve(reading: string): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--reading', reading], { cwd: ROOT, env: { ...process.env, IDMATRIX_SOURCE: '1' } });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve --reading ${reading} did not start: ${output}`)), 60_000);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listens on (http:\/\/[^\s:]+:\d+)/.exec(output)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        const server: Server = { process: child, url, output };
        child.stdout.removeAllListeners('data');
        child.stdout.on('data', (more: Buffer) => (server.output += more.toString()));
        resolve(server);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve --reading ${reading} exited ${code}: ${output}`)));
  });
}

async function conform(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string; seconds: number }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), openInput: openFileInput, stderrIsTTY: false };
  const started = performance.now();
  const status = await main(['conform', VECTORS, '--quiet', ...argv], io);
  return { status, stdout, stderr, seconds: (performance.now() - started) / 1000 };
}

function summary(stdout: string): string {
  return stdout.trimEnd().split('\n').at(-1) ?? '';
}

describe('the proof: the whole matrix against the reference engine in process, over HTTP and through cmd:, and against the other readings', function () {
  this.timeout(300_000);
  const servers: Record<string, Server> = {};

  before(async () => {
    const [reference, seed, doc] = await Promise.all([serve('reference'), serve('seed'), serve('doc')]);
    Object.assign(servers, { reference, seed, doc });
  });

  after(async () => {
    for (const server of Object.values(servers)) if (server.process.exitCode === null) server.process.kill('SIGKILL');
  });

  it('serve listens on loopback by default', () => {
    for (const server of Object.values(servers)) assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  const passes = async (label: string, ...argv: string[]) => {
    const run = await conform(...argv);
    console.log(`      ${label}: ${summary(run.stdout)}`);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0, run.stdout);
    assert.match(summary(run.stdout), new RegExp(`^${COUNT} passed, 0 failed, 0 expected failures, 0 not supported \\(${COUNT} vectors against `));
  };

  it('in process: every vector passes', () => passes('in process', '--target', 'reference'));
  it('over HTTP (idmatrix serve): every vector passes', () => passes('over HTTP', '--target', servers.reference!.url));
  it('through cmd: (idmatrix serve --stdio): every vector passes', () => passes('through cmd:', '--target', `cmd:${process.execPath} ${BIN} serve --stdio`));

  for (const reading of ['seed', 'doc'] as const) {
    it(`against serve --reading ${reading}: fails on exactly the cases of conformance/${reading}.expected-failures.json, and the ${reading} reading's own vectors pass`, async () => {
      const listed = readExpectedFailures(join(ROOT, 'conformance', `${reading}.expected-failures.json`)).entries.map((entry) => entry.entry);
      const run = await conform('--target', servers[reading]!.url);
      console.log(`      over HTTP, reading ${reading}: ${summary(run.stdout)}`);
      assert.equal(run.status, 0, run.stdout);
      assert.match(run.stdout, new RegExp(`^conform: ${COUNT} vectors against http://127\\.0\\.0\\.1:\\d+, reading ${reading} \\(as the target says\\)\\n`));
      assert.match(summary(run.stdout), new RegExp(`^${COUNT - listed.length} passed, 0 failed, ${listed.length} expected failures, 0 not supported .*expected failures: conformance/${reading}\\.expected-failures\\.json`));
      // Exactly the listed cases fail (each is an expected failure; nothing else failed): without the file, they are what fails.
      const failing = run.stdout.split('\n').filter((line) => line.startsWith('XFAIL ')).map((line) => line.split(/\s+/)[1]);
      assert.deepEqual(failing.sort(), [...listed].sort());
      assert.ok(!run.stdout.split('\n').some((line) => line.startsWith('FAIL ')));
      const own = vectorFiles([VECTORS]).map((file) => readVector(file)).filter((vector) => vector.reading === reading);
      assert.ok(own.length > 0);
      for (const vector of own) assert.ok(!failing.includes(vector.id), `${vector.id} states the ${reading} reading and must pass`);
    });
  }

  it('the servers stop on SIGTERM, finishing what is under way, and exit 0', async () => {
    await Promise.all(
      Object.values(servers).map(
        (server) =>
          new Promise<void>((resolve, reject) => {
            server.process.once('exit', (code) => (code === 0 && /stopped\n$/.test(server.output) ? resolve() : reject(new Error(`exit ${code}: ${server.output}`))));
            server.process.kill('SIGTERM');
          }),
      ),
    );
  });
});
