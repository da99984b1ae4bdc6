/**
 * A second process for the store tests: `create <dir> <count> <startAt>` waits until the clock
 * reaches <startAt> and then tries to create stores <dir>/s0.db ... s<count-1>.db, printing one JSON
 * line per path: `created`, `exists` or the error.
 */
import { join } from 'node:path';
import { settingsOf } from '../../src/domain';
import { StoreRefusedError } from '../../src/errors';
import { Store } from '../../src/store/store';

const [command, ...args] = process.argv.slice(2);
if (command === 'create') {
  const [dir, count, startAt] = args as [string, string, string];
  while (Date.now() < Number(startAt)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  for (let i = 0; i < Number(count); i++) {
    let outcome: string;
    try {
      Store.open({ path: join(dir, `s${i}.db`), mode: 'create', settings: settingsOf('verified-only') }).close();
      outcome = 'created';
    } catch (error) {
      outcome = error instanceof StoreRefusedError && error.reason === 'exists' ? 'exists' : `error: ${(error as Error).stack}`;
    }
    process.stdout.write(`${JSON.stringify({ i, outcome })}\n`);
  }
} else {
  throw new Error(`unknown command ${command}`);
}
