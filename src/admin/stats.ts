import { RULE_IDS, SETTING_IDS, settingIdOf, type ReadingProfile, type RuleId, type SettingId } from '../domain';
import type { Store } from '../store/store';

/**
 * `idmatrix stats --db`: what an administrator following the seed's migration advice watches on a store.
 * Users are those not merged away; a user merged away is counted apart.
 */
export interface StoreStats {
  readonly setting: SettingId;
  readonly profile: ReadingProfile;
  readonly users: number;
  /** Users holding no verified identity, a user without any identity included: the seed's `is_verified:false` search. */
  readonly usersWithoutVerifiedIdentity: number;
  /** Of those: users holding unverified addresses only (the profiles a visitor could join under "both"). */
  readonly usersWithOnlyUnverifiedIdentities: number;
  /** Of those: users holding no email identity at all. */
  readonly usersWithoutEmailIdentity: number;
  readonly usersWithExternalId: number;
  readonly mergedUsers: number;
  readonly verifiedIdentities: number;
  readonly unverifiedIdentities: number;
  readonly conversations: {
    readonly total: number;
    readonly authenticated: number;
    /** By the rule that opened each conversation (a visitor or signed-in event), in catalog order. */
    readonly byRule: Readonly<Partial<Record<RuleId, number>>>;
    /** By the setting in force when it was opened. */
    readonly bySetting: Readonly<Partial<Record<SettingId, number>>>;
    /** Rule × setting: `byRuleAndSetting[rule][setting]`. */
    readonly byRuleAndSetting: Readonly<Partial<Record<RuleId, Partial<Record<SettingId, number>>>>>;
  };
  readonly logins: { readonly total: number; readonly byRule: Readonly<Partial<Record<RuleId, number>>> };
  /** Accepted events of the log by kind: import rows, agents' merges, setting changes. */
  readonly importedRows: number;
  readonly importBatches: number;
  readonly merges: number;
  readonly settingChanges: number;
}

export function storeStats(store: Store): StoreStats {
  const db = store.db;
  const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
  const byRuleAndSetting: Partial<Record<RuleId, Partial<Record<SettingId, number>>>> = {};
  const byRule: Partial<Record<RuleId, number>> = {};
  const bySetting: Partial<Record<SettingId, number>> = {};
  const rows = db
    .prepare('SELECT l.rule AS rule, l.setting AS setting, count(*) AS n FROM conversations c JOIN event_log l ON l.ref = c.ref GROUP BY l.rule, l.setting')
    .all() as { rule: RuleId; setting: SettingId; n: number }[];
  for (const { rule, setting, n } of rows) {
    (byRuleAndSetting[rule] ??= {})[setting] = n;
    byRule[rule] = (byRule[rule] ?? 0) + n;
    bySetting[setting] = (bySetting[setting] ?? 0) + n;
  }
  const logins: Partial<Record<RuleId, number>> = {};
  for (const { rule, n } of db.prepare("SELECT rule, count(*) AS n FROM event_log WHERE type = 'login' GROUP BY rule").all() as { rule: RuleId; n: number }[]) {
    logins[rule] = n;
  }
  const inCatalogOrder = <T>(record: Partial<Record<RuleId, T>>) =>
    Object.fromEntries(RULE_IDS.filter((rule) => record[rule] !== undefined).map((rule) => [rule, record[rule]])) as Partial<Record<RuleId, T>>;
  const inSettingOrder = <T>(record: Partial<Record<SettingId, T>>) =>
    Object.fromEntries(SETTING_IDS.filter((id) => record[id] !== undefined).map((id) => [id, record[id]])) as Partial<Record<SettingId, T>>;
  const identities = (verified: 0 | 1) => db.prepare('SELECT count(*) FROM email_identities WHERE verified = ?').pluck().get(verified) as number;
  return {
    setting: settingIdOf(store.settings()),
    profile: store.profile(),
    users: count('SELECT count(*) FROM users WHERE merged_into IS NULL'),
    usersWithoutVerifiedIdentity: store.counts().usersWithoutVerifiedIdentity,
    usersWithOnlyUnverifiedIdentities: count(
      `SELECT count(*) FROM users u WHERE u.merged_into IS NULL
         AND EXISTS (SELECT 1 FROM email_identities e WHERE e.user_id = u.id)
         AND NOT EXISTS (SELECT 1 FROM email_identities e WHERE e.user_id = u.id AND e.verified = 1)`,
    ),
    usersWithoutEmailIdentity: count(
      'SELECT count(*) FROM users u WHERE u.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM email_identities e WHERE e.user_id = u.id)',
    ),
    usersWithExternalId: count('SELECT count(*) FROM users WHERE merged_into IS NULL AND external_id IS NOT NULL'),
    mergedUsers: count('SELECT count(*) FROM users WHERE merged_into IS NOT NULL'),
    verifiedIdentities: identities(1),
    unverifiedIdentities: identities(0),
    conversations: {
      total: count('SELECT count(*) FROM conversations'),
      authenticated: count('SELECT count(*) FROM conversations WHERE authenticated = 1'),
      byRule: inCatalogOrder(byRule),
      bySetting: inSettingOrder(bySetting),
      byRuleAndSetting: inCatalogOrder(Object.fromEntries(Object.entries(byRuleAndSetting).map(([rule, settings]) => [rule, inSettingOrder(settings)]))),
    },
    logins: { total: count("SELECT count(*) FROM event_log WHERE type = 'login'"), byRule: inCatalogOrder(logins) },
    importedRows: count("SELECT count(*) FROM event_log WHERE type = 'import'"),
    importBatches: count("SELECT count(DISTINCT json_extract(input, '$.batch')) FROM event_log WHERE type = 'import'"),
    merges: count("SELECT count(*) FROM event_log WHERE type = 'merge'"),
    settingChanges: count("SELECT count(*) FROM event_log WHERE type = 'settings'"),
  };
}

/** The stats as a person reads them: aligned lines, then conversations as a rule × setting table. */
export function formatStats(stats: StoreStats, path: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines: string[] = [];
  const row = (label: string, value: number, note = '') => lines.push(`${label.padEnd(44)}${n(value).padStart(9)}${note ? `  ${note}` : ''}`);
  lines.push(`Store ${path}: setting in force "${stats.setting}", reading "${stats.profile}"`);
  lines.push('');
  row('Users', stats.users, stats.mergedUsers > 0 ? `(and ${n(stats.mergedUsers)} merged away, not counted)` : '');
  row('  without a verified email identity', stats.usersWithoutVerifiedIdentity, "the seed's is_verified:false search");
  row('    holding unverified addresses only', stats.usersWithOnlyUnverifiedIdentities);
  row('    holding no address', stats.usersWithoutEmailIdentity);
  row('  with an external id', stats.usersWithExternalId);
  row('Email identities, verified', stats.verifiedIdentities);
  row('Email identities, unverified', stats.unverifiedIdentities);
  lines.push('');
  row('Conversations', stats.conversations.total, `(${n(stats.conversations.authenticated)} signed in)`);
  const settings = SETTING_IDS.filter((id) => stats.conversations.bySetting[id] !== undefined);
  if (settings.length > 0) {
    const width = Math.max(...settings.map((id) => id.length), 7);
    lines.push(`  ${'by rule, under the setting in force'.padEnd(42)}${settings.map((id) => id.padStart(width + 2)).join('')}${'total'.padStart(9)}`);
    for (const [rule, bySetting] of Object.entries(stats.conversations.byRuleAndSetting) as [RuleId, Partial<Record<SettingId, number>>][]) {
      const cells = settings.map((id) => (bySetting[id] === undefined ? '-' : n(bySetting[id] as number)).padStart(width + 2)).join('');
      lines.push(`  ${rule.padEnd(42)}${cells}${n(stats.conversations.byRule[rule] ?? 0).padStart(9)}`);
    }
  }
  row('Logins (a visitor signing in)', stats.logins.total);
  for (const [rule, value] of Object.entries(stats.logins.byRule) as [RuleId, number][]) row(`  ${rule}`, value);
  lines.push('');
  row(`Imported rows (${n(stats.importBatches)} batch${stats.importBatches === 1 ? '' : 'es'})`, stats.importedRows);
  row("Agents' merges", stats.merges);
  row('Setting changes', stats.settingChanges);
  return `${lines.join('\n')}\n`;
}
