import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { readHealth } from '../replay/protocol';
import type { ReplayResult, Scenario } from '../replay/types';
import { preview } from './http';
import { NotSupported, TargetFailure, type ImportFile, type ImportRun, type Target, type TargetInfo } from './target';

/**
 * `cmd:<command line>`: one long-lived process (started through the shell, in its own process group)
 * speaking JSON Lines: the harness writes one request per line on its standard input and reads one
 * answer per line from its standard output, one request at a time. A scenario line is answered by its
 * result or `{"malformed": "<path>: <message>"}`; `{"import": {...}}` by `{"imported": {...}}` (only if
 * the health answer says `"supports": [..., "import"]`); `{"health": {}}`, asked first, by
 * `{"health": {...}}` (any other answer: a replay-only target of unstated reading).
 *
 * A crash, a line that is not JSON, or no answer within the timeout fails that one request; the process
 * is then ended (a timeout, a stray line) and a new one started for the next request, so the run goes on.
 */
export function cmdTarget(commandLine: string, timeoutMs: number): Target {
  let child: Running | null = null;
  let info: Promise<TargetInfo> | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  function start(): Running {
    const process_ = spawn(commandLine, { shell: true, detached: true, stdio: ['pipe', 'pipe', 'pipe'] }) as ChildProcessWithoutNullStreams;
    const running = new Running(process_);
    running.exited.then(() => {
      if (child === running) child = null;
    });
    return running;
  }

  /** Sends one line and waits for one line back, one request at a time. */
  function exchange(message: unknown): Promise<unknown> {
    const next = queue.then(async () => {
      child ??= start();
      const running = child;
      try {
        const line = await running.ask(JSON.stringify(message), timeoutMs);
        try {
          return JSON.parse(line) as unknown;
        } catch {
          throw new TargetFailure('bad-answer', `the target answered a line that is not JSON: ${preview(line)}`);
        }
      } catch (error) {
        // After a timeout or a stray line the process's answers can no longer be matched to requests:
        // it is ended, and the next request starts a new one (as after a crash).
        if (error instanceof TargetFailure && error.kind !== 'crash') running.stop();
        if (child === running) child = null;
        throw error;
      }
    });
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    name: `cmd:${commandLine}`,
    info() {
      info ??= exchange({ health: {} }).then(
        (answer) => {
          const health = isObject(answer) ? readHealth(answer.health) : null;
          return health ?? { reading: null, supportsImport: false, name: null };
        },
        () => ({ reading: null, supportsImport: false, name: null }),
      );
      return info;
    },
    async replay(scenario: Scenario): Promise<ReplayResult> {
      const answer = await exchange(scenario);
      if (isObject(answer) && typeof answer.malformed === 'string' && Object.keys(answer).length === 1) {
        throw new TargetFailure('refused', `the target calls the scenario malformed: ${answer.malformed}`);
      }
      return answer as ReplayResult;
    },
    async importUsers(scenario: Scenario, files: readonly ImportFile[]): Promise<ImportRun> {
      if (!(await this.info()).supportsImport) throw new NotSupported('ADMIN-IMPORT (the {"import": …} message)');
      const answer = await exchange({ import: { scenario, files } });
      if (isObject(answer) && 'unsupported' in answer) throw new NotSupported('ADMIN-IMPORT (the {"import": …} message)');
      if (isObject(answer) && typeof answer.malformed === 'string') throw new TargetFailure('refused', `the target calls the import malformed: ${answer.malformed}`);
      if (!isObject(answer) || !('imported' in answer)) throw new TargetFailure('bad-answer', `the target answered an import with ${preview(JSON.stringify(answer))}, not {"imported": …}`);
      return answer.imported as ImportRun;
    },
    async close() {
      await queue;
      const running = child;
      child = null;
      if (running !== null) await running.end();
    },
  };
}

/** The target's process: its answers, line by line, and what it last wrote on standard error. */
class Running {
  private readonly lines: Interface;
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly buffered: string[] = [];
  private stderr = '';
  alive = true;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(private readonly process: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: process.stdout, crlfDelay: Infinity });
    this.lines.on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.buffered.push(line);
    });
    process.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4096);
    });
    process.stdin.on('error', () => undefined); // a closed pipe shows as the exit below
    this.exited = new Promise((resolve) => {
      process.on('error', () => resolve({ code: null, signal: null }));
      process.on('exit', (code, signal) => resolve({ code, signal }));
    }).then((how) => {
      this.alive = false;
      return how as { code: number | null; signal: NodeJS.Signals | null };
    });
  }

  ask(line: string, timeoutMs: number): Promise<string> {
    if (!this.alive) return Promise.reject(new TargetFailure('crash', 'the target process is not running'));
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(() => settle(() => reject(new TargetFailure('timeout', `no answer within ${timeoutMs / 1000} s`))), timeoutMs);
      const early = this.buffered.shift();
      if (early !== undefined) {
        settle(() => reject(new TargetFailure('bad-answer', `the target wrote a line nobody asked for: ${preview(early)}`)));
        return;
      }
      this.waiting.push((answer) => settle(() => resolve(answer)));
      void this.exited.then((how) => {
        // Lines already written arrive before the exit is seen; give them a moment.
        setImmediate(() =>
          settle(() => {
            const last = this.stderr.trim().split('\n').at(-1) ?? '';
            const status = how.signal !== null ? `signal ${how.signal}` : `status ${String(how.code)}`;
            reject(new TargetFailure('crash', `the target process exited (${status}) without answering${last ? `; its last words: ${preview(last)}` : ''}`));
          }),
        );
      });
      this.process.stdin.write(`${line}\n`);
    });
  }

  /** Ends the process group at once. */
  stop(): void {
    if (!this.alive || this.process.pid === undefined) return;
    try {
      process.kill(-this.process.pid, 'SIGKILL');
    } catch {
      this.process.kill('SIGKILL');
    }
  }

  /** Closes standard input (a well-behaved target exits), then ends the group after a grace period. */
  async end(): Promise<void> {
    if (!this.alive) return;
    this.process.stdin.end();
    const timer = setTimeout(() => this.stop(), 2000);
    await this.exited;
    clearTimeout(timer);
    this.lines.close();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
