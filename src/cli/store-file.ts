import type { ReadingProfile } from '../domain';
import { Engine } from '../engine';
import { Store } from '../store/store';
import { BadInput, UsageError } from './exit';

/**
 * Opens an existing store file (never creates one; a missing file or one that is not a store is refused
 * in one line by the store itself), read-only, runs `fn` on it and closes it. `reading`: the profile the
 * user gave (--reading), which the store must have been created under; left out, the store's own.
 */
export async function withStore<T>(path: string, fn: (store: Store) => T | Promise<T>, reading?: ReadingProfile): Promise<T> {
  const store = Store.open({ path, mode: 'read-only', profile: reading ?? 'stored' });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Opens an existing store file with an engine on it (for events an administrator applies: merges, switches). */
export async function withEngine<T>(path: string, fn: (engine: Engine) => T | Promise<T>, reading?: ReadingProfile): Promise<T> {
  const settings = await withStore(path, (store) => store.settings(), reading);
  const engine = await Engine.open({ path, mode: 'read-write', settings, profile: reading ?? 'stored' });
  try {
    return await fn(engine);
  } finally {
    engine.close();
  }
}

/**
 * The ref of an event an administrator applies to a store: the one given (not yet in the store's log),
 * else `merge-<n>` / `switch-<n>`, n one more than the merges (setting changes) the log holds, or the
 * next number no event or user has.
 */
export function adminEventRef(store: Store, kind: 'merge' | 'switch', given: string | undefined): string {
  if (given !== undefined) {
    if (given === '' || given.startsWith('new:')) throw new UsageError(`--ref ${JSON.stringify(given)}: an event ref is a non-empty string that does not begin with "new:"`);
    const logged = store.loggedType(given);
    if (logged !== undefined) throw new BadInput(`--ref ${JSON.stringify(given)} is already the ref of ${/^[aeiou]/.test(logged) ? 'an' : 'a'} ${logged} event in the store's log`);
    return given;
  }
  const type = kind === 'merge' ? 'merge' : 'settings';
  let n = (store.db.prepare('SELECT count(*) FROM event_log WHERE type = ?').pluck().get(type) as number) + 1;
  while (store.loggedType(`${kind}-${n}`) !== undefined || store.userByRef(`${kind}-${n}`) !== undefined) n++;
  return `${kind}-${n}`;
}
