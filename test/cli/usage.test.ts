import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/main';
import { assertOneLineError, runCli } from '../support/cli';

const silent = { stdout: () => undefined, stderr: () => undefined, openInput: () => { throw new Error('no input'); }, stderrIsTTY: false };
const COMMANDS = buildProgram(silent).commands.map((command) => command.name());

describe('idmatrix: --version, --help on every command, usage errors in one line', () => {
  it('--version and -V print the version of package.json and exit 0', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      assert.deepEqual(run, { status: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  for (const command of COMMANDS) {
    it(`${command} --help prints its usage on standard output and exits 0`, async () => {
      const run = await runCli([command, '--help']);
      assert.equal(run.status, 0);
      assert.equal(run.stderr, '');
      assert.match(run.stdout, new RegExp(`^Usage: idmatrix ${command} `));
    });
  }

  const cases: [string[], RegExp][] = [
    [[], /^error: no command given; idmatrix --help lists the commands$/],
    [['replya', 'x.json'], /^error: unknown command 'replya' \(did you mean replay\?\); see idmatrix --help$/],
    [['--bogus'], /^error: unknown option '--bogus'; see idmatrix --help$/],
    [['replay'], /^error: missing required argument 'file'; see idmatrix replay --help$/],
    [['replay', 'a.json', 'b.json'], /^error: too many arguments for 'replay'\. Expected 1 argument but got 2; see idmatrix replay --help$/],
    [['what-if', 'x.json'], /^error: required option '--setting <id>' not specified; see idmatrix what-if --help$/],
    [['what-if', 'x.json', '--setting', 'everything'], /expected one of verified-only, verified-and-unverified, claim-verified; see idmatrix what-if --help$/],
    [['import', 'x.csv'], /^error: required option '--db <path>' not specified; see idmatrix import --help$/],
    [['import', 'x.csv', '--db', 'x.db', '--format', 'xml'], /argument 'xml' is invalid\. Allowed choices are csv, json; see idmatrix import --help$/],
    [['count', '--bogus'], /^error: unknown option '--bogus'; see idmatrix count --help$/],
    [['check'], /missing required argument 'file'; see idmatrix check --help$/],
    [['coverage', 'extra'], /too many arguments for 'coverage'/],
  ];
  for (const [argv, message] of cases) {
    it(`usage error, one line, exit 2: idmatrix ${argv.join(' ')}`, async () => {
      assert.match(assertOneLineError(await runCli(argv), argv.join(' ')), message);
    });
  }

  it('every command answers an unknown option with one line pointing at its own help', async () => {
    for (const command of COMMANDS) {
      const line = assertOneLineError(await runCli([command, '--no-such-option']), command);
      assert.match(line, new RegExp(`^error: .*; see idmatrix ${command} --help$`));
    }
  });

  it('count with neither a scenario nor --db, or with both, is a usage error without a JSON path ("$:") before it', async () => {
    for (const argv of [['count'], ['count', 'x.json', '--db', 'x.db']]) {
      assert.equal(assertOneLineError(await runCli(argv)), 'error: give either a scenario file or --db <path>; see idmatrix count --help');
    }
  });

  it('coverage --flows naming a missing file or a directory is bad input (exit 2, one line), not a failed gate (exit 1)', async () => {
    assert.equal(assertOneLineError(await runCli(['coverage', '--flows', '/nonexistent/flows.md'])), '--flows /nonexistent/flows.md: flows.md cannot be read (ENOENT)');
    assert.equal(assertOneLineError(await runCli(['coverage', '--flows', __dirname])), `--flows ${__dirname}: flows.md cannot be read (EISDIR)`);
  });
});
