import type { IdmatrixWorld } from './world';

/**
 * Wraps the body of a Then step: the scenario runs through the Target on the first Then, then the
 * statement is checked (or, in a scenario expected to differ, recorded when it does not hold). A
 * scenario the target cannot run (not supported) is skipped, never passed. The wrapper keeps the body's
 * arity, which cucumber checks against the step's parameters.
 */
export function outcome<A extends unknown[]>(body: (this: IdmatrixWorld, ...args: A) => void | Promise<void>) {
  const wrapped = async function (this: IdmatrixWorld, ...args: A): Promise<void | 'skipped'> {
    const ready = await this.beforeOutcome();
    if (ready === 'unsupported') return 'skipped';
    if (ready === 'failed-as-expected') return;
    await this.check(() => body.apply(this, args));
  };
  Object.defineProperty(wrapped, 'length', { value: body.length });
  return wrapped;
}
