import { strict as assert } from 'node:assert';
import { MalformedScenarioError } from '../../src/errors';
import { replay } from '../../src/replay/run';
import { loadScenario } from '../../src/replay/validate';
import { runCli } from '../support/cli';

/**
 * Nesting and truncation: a scenario is read without recursion, so `claims` of any depth are read (a
 * token that cannot carry them is invalid-token, inputs.md's size rule), and a syntax error is named
 * where it is, the end of input included.
 */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const signedIn = (claims: string) =>
  `{"settings":{"emailIdentities":"verified-only","unauthenticatedCanClaimVerified":false},"now":"2026-01-01T00:00:00Z","events":[{"ref":"c1","type":"signed-in","claims":{"scope":"user","external_id":"x-1","deep":${claims}}}]}`;

describe('scenario files: deep nesting and truncated JSON', () => {
  it('reads claims nested 2,200 deep whose token fits in 8 KiB (was "nested too deeply to read")', async () => {
    const result = await replay(loadScenario(signedIn(nested(2200))));
    assert.deepEqual(result.results.map((entry) => [entry.outcome, entry.rule]), [['created', 'AUTH-NO-EMAIL']]);
  });

  it('a deeper claims object makes the token invalid (too large), not the file malformed, at any depth', async () => {
    for (const depth of [5000, 200_000]) {
      const result = await replay(loadScenario(signedIn(nested(depth))));
      const [entry] = result.results;
      assert.equal(entry?.error?.code, 'invalid-token');
      assert.match(entry?.error?.message ?? '', /^the token has \d+ characters; at most 8192 are accepted$/);
    }
  });

  it('nesting anywhere else is a malformed file in one line, not a crash', async () => {
    const run = await runCli(['replay', '-'], nested(500_000));
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^\$: expected object\n$/);
    const title = await runCli(['replay', '-'], `{"title": ${nested(100_000)}, "settings": {}, "events": []}`);
    assert.equal(title.stderr, 'title: expected string\n');
  });

  it('a truncated file names the end of input, not column 1', () => {
    const cases: [string, string][] = [
      ['{"a":', 'not valid JSON: unexpected end of input at line 1 column 6'],
      ['{\n  "events": [\n    {"ref": "c1"', 'not valid JSON: unexpected end of input at line 3 column 17'],
      ['{"title": "abc', 'not valid JSON: unterminated string at line 1 column 15'],
      ['{"a": 1}  x', "not valid JSON: unexpected character 'x' at line 1 column 11"],
      ['{"a": 01}', 'not valid JSON: invalid number "01" at line 1 column 7'],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => loadScenario(text), (error: unknown) => error instanceof MalformedScenarioError && error.path === '$' && error.detail === message, text);
    }
  });
});
