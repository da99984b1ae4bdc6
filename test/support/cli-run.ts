import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'idmatrix.js');

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export { runCli } from './cli';

/** Runs the real CLI (bin/idmatrix.js, on the sources) as a child process. */
export function spawnCli(argv: string[], options: { input?: string | Buffer; timeout?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...argv], { cwd: ROOT, encoding: 'utf8', input: options.input, timeout: options.timeout ?? 60_000, env: { ...process.env, IDMATRIX_SOURCE: '1' } });
}

/** Runs the real CLI with its standard input fed by `feed` until the CLI exits. */
export function spawnCliWithEndlessInput(argv: string[], chunk: Buffer): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: ROOT, env: { ...process.env, IDMATRIX_SOURCE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.stdin.on('error', () => undefined); // EPIPE once the CLI stops reading
    const write = (): void => {
      while (!child.stdin.destroyed && child.stdin.write(chunk));
      if (!child.stdin.destroyed) child.stdin.once('drain', write);
    };
    write();
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
