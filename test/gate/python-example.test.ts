import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { openFileInput } from '../../src/cli/io';
import { main, type CliIO } from '../../src/cli/main';

/**
 * conformance/example-target.py, the Python cmd: target a team copies to write its own: it speaks the
 * protocol (a result per scenario line, a malformed answer for anything else, so the health question
 * makes it a replay-only target) and passes the vectors it is given; an import vector is not supported.
 */

const ROOT = join(__dirname, '..', '..');

describe('the Python example target (conformance/example-target.py)', function () {
  this.timeout(120_000);

  it('passes a vector through idmatrix replay and reports the import vector as not supported', async () => {
    let stdout = '';
    const io: CliIO = { stdout: (text) => (stdout += text), stderr: () => undefined, openInput: openFileInput, stderrIsTTY: false };
    const target = `cmd:python3 ${join(ROOT, 'conformance', 'example-target.py')} ${process.execPath} ${join(ROOT, 'bin', 'idmatrix.js')}`;
    const vectors = [
      join(ROOT, 'vectors', 'signed-in', 'AUTH-ADOPT', 'auth-adopt.verified-only.1ebc5f8ccc.json'),
      join(ROOT, 'vectors', 'admin', 'ADMIN-IMPORT', 'admin-import.verified-only.a9ef9509a8.json'),
    ];
    const status = await main(['conform', ...vectors, '--target', target], io);
    assert.equal(status, 0, stdout);
    assert.match(stdout, /reading reference \(the target does not say\)/);
    assert.match(stdout, /^PASS  auth-adopt\.verified-only\.1ebc5f8ccc /m);
    assert.match(stdout, /^N\/S   admin-import\.verified-only\.a9ef9509a8 .* — ADMIN-IMPORT \(the \{"import": …\} message\) is not supported by this target$/m);
    assert.match(stdout.trimEnd().split('\n').at(-1) as string, /^1 passed, 0 failed, 0 expected failures, 1 not supported /);
  });
});
