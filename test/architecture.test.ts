import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/**
 * The engine's layers import downwards only: the domain vocabulary at the bottom, then identity,
 * policy and store, then the engine; nothing in them imports the protocol (src/replay), the targets,
 * the server, the CLI or the reports. Above the engine and the protocol sit the targets (src/targets:
 * what the harness runs scenarios against) and the server (src/server: the engine as a target), then
 * the conformance gate (src/conformance); nothing below them imports them. Each layer lists what it
 * may import; src/errors.ts and src/quote.ts are leaves every layer may use.
 */
const LEAVES = ['errors', 'quote'];
const ENGINE = ['domain', 'identity', 'policy', 'store', 'engine'];
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  identity: ['domain'],
  policy: ['domain', 'identity'],
  store: ['domain'],
  engine: ['domain', 'identity', 'policy', 'store'],
  targets: [...ENGINE, 'replay', 'admin'],
  server: [...ENGINE, 'replay', 'admin'],
  conformance: [...ENGINE, 'replay', 'admin', 'targets'],
};

/** Layers with no list of their own that must still not reach above the engine and the protocol. */
const BELOW_TARGETS = ['replay', 'admin', 'invariants', 'coverage', 'reports'];
const ABOVE = ['targets', 'server', 'conformance', 'cli'];

/** The layer of a module path relative to src/ (`policy/auth`, `engine`, `errors`). */
function layerOf(module: string): string {
  return module.split('/')[0] as string;
}

/** Every relative import, export-from, dynamic import and require of a TypeScript source. */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]*)\1/gm;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) found.push(match[2] as string);
  return found;
}

/** The imports of `files` (module path → source text) that break the layering, as `from -> to` lines. */
export function layeringViolations(files: ReadonlyMap<string, string>): string[] {
  const violations: string[] = [];
  for (const [module, text] of files) {
    const layer = layerOf(module);
    if (BELOW_TARGETS.includes(layer)) {
      for (const spec of importsOf(text)) {
        const targetLayer = layerOf(posix.normalize(posix.join(posix.dirname(module), spec)));
        if (ABOVE.includes(targetLayer)) violations.push(`src/${module}.ts imports ${spec} (layer ${layer} may not import ${ABOVE.join(', ')})`);
      }
      continue;
    }
    const allowed = ALLOWED[layer];
    if (allowed === undefined) continue;
    for (const spec of importsOf(text)) {
      const target = posix.normalize(posix.join(posix.dirname(module), spec)).replace(/\/index$/, '');
      const targetLayer = layerOf(target);
      if (targetLayer === layer || LEAVES.includes(target) || allowed.includes(targetLayer)) continue;
      violations.push(`src/${module}.ts imports ${spec} (layer ${layer} may import ${[...allowed, ...LEAVES].join(', ')})`);
    }
  }
  return violations;
}

function sourcesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) files.set(relative(dir, full).split(sep).join('/').replace(/\.ts$/, ''), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

describe('architecture: the engine layers import downwards only', () => {
  it('domain, identity, policy, store and engine import nothing above them; targets, server and the gate sit above the engine and the protocol', () => {
    const sources = sourcesUnder(join(__dirname, '..', 'src'));
    assert.ok(sources.has('domain/index') && sources.has('policy/auth') && sources.has('store/store'), 'the layers are where this test looks');
    assert.ok(sources.has('targets/target') && sources.has('server/http') && sources.has('conformance/expectation'), 'the upper layers are where this test looks');
    assert.deepEqual(layeringViolations(sources), []);
  });

  it('the check sees an upward import, a store importing the policy, and a dynamic import', () => {
    const forged = new Map([
      ['policy/auth', "import type { Scenario } from '../replay/types';"],
      ['store/store', "import { rejected } from '../policy/decision';"],
      ['identity/token', "const m = await import('../cli/main');"],
      ['domain/rules', "export * from './settings';\nimport { quote } from '../quote';"],
      ['replay/run', "import { openTarget } from '../targets/open';"],
      ['targets/cmd', "import { Service } from '../server/service';"],
      ['server/http', "import { conform } from '../conformance/conform';"],
    ]);
    assert.deepEqual(layeringViolations(forged), [
      'src/policy/auth.ts imports ../replay/types (layer policy may import domain, identity, errors, quote)',
      'src/store/store.ts imports ../policy/decision (layer store may import domain, errors, quote)',
      'src/identity/token.ts imports ../cli/main (layer identity may import domain, errors, quote)',
      'src/replay/run.ts imports ../targets/open (layer replay may not import targets, server, conformance, cli)',
      'src/targets/cmd.ts imports ../server/service (layer targets may import domain, identity, policy, store, engine, replay, admin, errors, quote)',
      'src/server/http.ts imports ../conformance/conform (layer server may import domain, identity, policy, store, engine, replay, admin, errors, quote)',
    ]);
  });
});
