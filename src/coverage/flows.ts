/**
 * Reads the rule and invariant IDs of `flows.md` from its tables: a row whose first cell is an ID
 * (upper-case words joined by hyphens, e.g. AUTH-NEW, INV-ONE-OWNER). Where a table has a `setting`
 * column (the visitor table) or an `applies` column (the invariants), the settings it names are read
 * too: "all" / "always" mean every setting, otherwise the backticked setting ids.
 */

export interface FlowsEntry {
  readonly id: string;
  readonly line: number;
  /** The settings the table names for this ID, or null when the table has no setting column. */
  readonly settings: readonly string[] | null;
}

const ID = /^[A-Z]+(?:-[A-Z]+)+$/;

export function readFlows(markdown: string, allSettings: readonly string[]): FlowsEntry[] {
  const entries: FlowsEntry[] = [];
  let header: string[] | null = null;
  markdown.split(/\r?\n/).forEach((text, index) => {
    const line = text.trim();
    if (!line.startsWith('|')) {
      header = null;
      return;
    }
    const cells = splitRow(line);
    if (header === null) {
      header = cells.map((cell) => cell.toLowerCase());
      return;
    }
    if (cells.every((cell) => /^:?-+:?$/.test(cell))) return;
    const id = (cells[0] ?? '').replace(/`/g, '');
    if (!ID.test(id)) return;
    const column = header.findIndex((name) => name === 'setting' || name === 'applies');
    entries.push({ id, line: index + 1, settings: column < 0 ? null : settingsIn(cells[column] ?? '', allSettings) });
  });
  return entries;
}

function splitRow(line: string): string[] {
  const inner = line.replace(/^\|/, '').replace(/\|$/, '');
  return inner.split('|').map((cell) => cell.trim());
}

function settingsIn(cell: string, allSettings: readonly string[]): string[] {
  const text = cell.trim().toLowerCase();
  if (text === 'all' || text === 'always') return [...allSettings];
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
}
