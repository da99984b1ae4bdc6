/**
 * A bounded memo of a pure function's results, kept in two generations: a hit in the older generation
 * moves the entry to the younger one; when the younger generation is full (half of `maxEntries`
 * entries, or half of `maxKeyChars` UTF-16 code units of keys) it becomes the older one and the old
 * older one is dropped. So at most `maxEntries` entries and `maxKeyChars` code units of keys are kept,
 * entries in use survive, and a hit costs one or two map lookups (no reordering). Used for the
 * verdicts of token verification (a pure function of the token text, the key set and the clock second)
 * and for the tokens the scenario runner signs.
 */
export class BoundedMemo<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private youngChars = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxKeyChars: number,
  ) {}

  /** Entries kept (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Whether `key` is remembered (without counting a hit or a miss, and without moving it). */
  has(key: string): boolean {
    return this.young.has(key) || this.old.has(key);
  }

  get(key: string): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) {
      this.hits++;
      return value;
    }
    const older = this.old.get(key);
    if (older === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.old.delete(key);
    this.add(key, older);
    return older;
  }

  /** Remembers `value`; a key longer than half the character budget is not remembered. */
  set(key: string, value: V): void {
    if (key.length > this.maxKeyChars / 2) return;
    if (this.young.has(key)) {
      this.young.set(key, value);
      return;
    }
    this.old.delete(key);
    this.add(key, value);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
    this.youngChars = 0;
    this.hits = 0;
    this.misses = 0;
  }

  private add(key: string, value: V): void {
    if (this.young.size + 1 > this.maxEntries / 2 || this.youngChars + key.length > this.maxKeyChars / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngChars = 0;
    }
    this.young.set(key, value);
    this.youngChars += key.length;
  }
}
