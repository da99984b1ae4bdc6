/**
 * `npm run vectors`: writes every feature scenario as a test vector (src/conformance/vectors.ts) into
 * vectors/, with an index naming the spec revision and the JSON Schemas a team needs to test itself
 * without Node (like the JSON-Schema-Test-Suite). `npm run vectors -- --check` writes them into a
 * temporary folder instead and fails (exit 1, listing the files) when vectors/ differs: what
 * test/conformance/vectors.test.ts runs, so that stale vectors fail `npm test`.
 *
 * The scenarios run with cucumber-js (profile `vectors`, through its API in this process), each against
 * the engine under the reading it states (steps/support/target.ts), every statement holding.
 */
import { Writable } from 'node:stream';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readVector, relativePath, titleOf, vectorFiles } from '../src/conformance/vectors';

const ROOT = join(__dirname, '..');
const VECTORS = join(ROOT, 'vectors');
const SPEC = process.env.IDMATRIX_SPEC_DIR ?? join(ROOT, '..', 'shared', 'spec');
const SPEC_FILES = ['flows.md', 'inputs.md', 'replay.md'];
/** The schemas a vector's reader needs, copied into vectors/schema/. */
const SCHEMAS: Readonly<Record<string, string>> = {
  'scenario.schema.json': 'src/replay/schema/scenario.schema.json',
  'result.schema.json': 'src/replay/schema/result.schema.json',
  'protocol.schema.json': 'src/replay/schema/protocol.schema.json',
  'vector.schema.json': 'src/conformance/schema/vector.schema.json',
  'expected-failures.schema.json': 'src/conformance/schema/expected-failures.schema.json',
};

function sha256(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

/** Runs the features in `vectors` mode (in this process, through cucumber's API), writing into `dir`; throws with cucumber's output when a scenario fails. */
async function generate(dir: string): Promise<void> {
  process.env.IDMATRIX_VECTORS_DIR = dir;
  process.env.IDMATRIX_SOURCE = '1';
  let output = '';
  const environment = { cwd: ROOT, stdout: sink((text) => (output += text)), stderr: sink((text) => (output += text)), env: process.env };
  const { runConfiguration } = await loadConfiguration({ profiles: ['vectors'] }, environment);
  const { success } = await runCucumber(runConfiguration, environment);
  if (!success) throw new Error(`the features did not all hold under the readings they state:\n${output}`);

  const spec: Record<string, string> = {};
  for (const file of SPEC_FILES) {
    const path = join(SPEC, file);
    if (!existsSync(path)) throw new Error(`${path} is missing (the spec the vectors are written from; IDMATRIX_SPEC_DIR names another folder)`);
    spec[file] = sha256(path);
  }
  const revision = `sha256:${createHash('sha256').update(SPEC_FILES.map((file) => spec[file]).join('\n')).digest('hex')}`;
  mkdirSync(join(dir, 'schema'), { recursive: true });
  const schemas: Record<string, string> = {};
  for (const [name, source] of Object.entries(SCHEMAS)) {
    cpSync(join(ROOT, source), join(dir, 'schema', name));
    schemas[`schema/${name}`] = sha256(join(ROOT, source));
  }
  const vectors = vectorFiles([dir]).map((file) => ({ file, vector: readVector(file, relativePath(dir, file)) }));
  const index = {
    description:
      'Test vectors of the idmatrix scenario matrix (flows.md, inputs.md, replay.md): one file per case, vectors/<family>/<rule>/<id>.json (schema/vector.schema.json). Send `scenario` (with `imports`, as an import request) to the implementation under test; its answer must equal `expected` member for member, every error.message aside. Written by `npm run vectors`; do not edit.',
    spec: { ...spec, revision },
    schemas,
    count: vectors.length,
    vectors: vectors.map(({ file, vector }) => ({
      id: vector.id,
      path: relativePath(dir, file),
      rule: vector.rule,
      setting: vector.setting,
      reading: vector.reading,
      title: titleOf(vector),
    })),
  };
  writeFileSync(join(dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
}

/** A stream that hands what is written to `write`. */
function sink(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      write(chunk.toString());
      done();
    },
  });
}

/** Every file under `dir`, relative. */
function listing(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relativePath(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

async function main(check: boolean): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'idmatrix-vectors-'));
  const fresh = join(work, 'vectors');
  try {
    await generate(fresh);
    const written = listing(fresh);
    if (check) {
      const committed = listing(VECTORS);
      const missing = written.filter((file) => !committed.includes(file));
      const extra = committed.filter((file) => !written.includes(file));
      const changed = written.filter((file) => committed.includes(file) && !readFileSync(join(fresh, file)).equals(readFileSync(join(VECTORS, file))));
      if (missing.length + extra.length + changed.length === 0) {
        console.log(`vectors/ is up to date: ${written.length - Object.keys(SCHEMAS).length - 1} vectors`);
        return 0;
      }
      const show = (what: string, files: string[]) => (files.length === 0 ? [] : [`${what} (${files.length}): ${files.slice(0, 10).join(', ')}${files.length > 10 ? ', …' : ''}`]);
      console.log(['vectors/ is stale; run npm run vectors and commit it:', ...show('new', missing), ...show('gone', extra), ...show('changed', changed)].join('\n'));
      return 1;
    }
    rmSync(VECTORS, { recursive: true, force: true });
    renameSync(fresh, VECTORS);
    console.log(`wrote ${written.length - Object.keys(SCHEMAS).length - 1} vectors, their index and schemas into vectors/`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main(process.argv.includes('--check')).then(
  (status) => (process.exitCode = status),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
