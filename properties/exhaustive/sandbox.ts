import type { Statement } from 'better-sqlite3';
import { Engine } from '../../src/engine';
import { runScenarioEvent, settingNameOf, settingsPairOf, writeCounter, type SettingName } from '../../src/invariants';
import type { EventResult, Scenario, ScenarioEvent, ScenarioUser } from '../../src/replay/types';
import { parseNow } from '../../src/replay/validate';
import { KEYS, NOW_TEXT } from '../arbitraries/values';

/**
 * One engine per starting store, explored as a tree: each event runs inside a SQLite savepoint that is
 * rolled back afterwards, so that every sibling starts from exactly the same store (the database image
 * after a rollback is byte-for-byte the one before; a test checks it). Opening an engine per world
 * (import a key, create the schema, prepare the statements: about 1 ms) would dominate the check.
 * The engine reads its setting from the store, so the rollback undoes a switch too. The explorer
 * replays a sample of worlds from scratch with `replay` and compares, which holds this shortcut to the
 * plain runner.
 */
export class Sandbox {
  private depth = 0;
  /** SAVEPOINT / ROLLBACK TO / RELEASE statements per nesting depth, prepared once. */
  private readonly statements: { save: Statement; rollback: Statement; release: Statement }[] = [];
  private readonly writes: () => string;

  private constructor(
    readonly engine: Engine,
    readonly scenario: Scenario,
  ) {
    this.writes = writeCounter(engine.store.db);
  }

  /**
   * Changes whenever a statement wrote to the database (see `writeCounter`): when it has not changed
   * across an event, the database image has not either, and need not be compared byte for byte.
   */
  writeMark(): string {
    return this.writes();
  }

  static async open(settings: Scenario['settings'], users: readonly ScenarioUser[] = []): Promise<Sandbox> {
    const now = parseNow(NOW_TEXT);
    const engine = await Engine.open({ settings, keys: KEYS, now: () => now });
    engine.addUsers(users);
    return new Sandbox(engine, { settings, now: NOW_TEXT, keys: KEYS, users, events: [] });
  }

  /**
   * Runs `body` on this sandbox's store with `users` added as starting users, then takes them out again
   * (a rollback): the store `body` sees is the one a fresh engine with these users would have (SQLite
   * gives the same row ids again after a rollback), without opening one engine per starting store.
   */
  async withUsers<T>(users: readonly ScenarioUser[], body: () => Promise<T>): Promise<T> {
    return this.branch(async () => {
      this.engine.addUsers(users);
      return body();
    });
  }

  close(): void {
    this.engine.close();
  }

  run(event: ScenarioEvent): EventResult | Promise<EventResult> {
    return runScenarioEvent(this.engine, this.scenario, event);
  }

  /** Runs `body` and then puts the store back as it was. */
  async branch<T>(body: () => Promise<T>): Promise<T> {
    const depth = ++this.depth;
    const sql = this.statementsFor(depth);
    sql.save.run();
    try {
      return await body();
    } finally {
      sql.rollback.run();
      sql.release.run();
      this.depth--;
    }
  }

  private statementsFor(depth: number): { save: Statement; rollback: Statement; release: Statement } {
    let sql = this.statements[depth];
    if (sql === undefined) {
      const db = this.engine.store.db;
      const name = `branch_${depth}`;
      sql = { save: db.prepare(`SAVEPOINT ${name}`), rollback: db.prepare(`ROLLBACK TO ${name}`), release: db.prepare(`RELEASE ${name}`) };
      this.statements[depth] = sql;
    }
    return sql;
  }

  /** Switches the setting for a probe (inside a branch). */
  switchTo(setting: SettingName): void {
    const result = this.engine.switchSettings(`\u0001probe-${this.depth}`, settingsPairOf(setting));
    if (result.outcome !== 'applied' || settingNameOf(settingsPairOf(setting)) !== this.engine.settingId) {
      throw new Error(`the probe could not switch to ${setting}`);
    }
  }
}
