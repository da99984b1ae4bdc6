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

/** A rule `flows.md` names as a known risk, and the line of the sentence (or table row) that does. */
export interface RiskMention {
  readonly id: string;
  readonly line: number;
}

const RISK_SENTENCE = /\bknown risk\b|\bas a risk\b/i;
const RULE_ID = /\b(?:AUTH|VISIT|LOGIN|ADMIN)(?:-[A-Z]+)+\b/g;

/**
 * The rules `flows.md` says the report marks as a risk: every rule ID in a sentence (of a paragraph, or
 * a table row) that says "known risk" or "as a risk". The gate holds the catalog's risk cells to them.
 */
export function readRiskMentions(markdown: string): RiskMention[] {
  const mentions: RiskMention[] = [];
  const blocks: { text: string; line: number }[] = [];
  let paragraph: { text: string; line: number } | null = null;
  markdown.split(/\r?\n/).forEach((text, index) => {
    const line = text.trim();
    if (line === '' || line.startsWith('|') || line.startsWith('#')) {
      if (paragraph !== null) blocks.push(paragraph);
      paragraph = null;
      if (line.startsWith('|')) blocks.push({ text: line, line: index + 1 });
      return;
    }
    if (paragraph === null) paragraph = { text: line, line: index + 1 };
    else paragraph.text += ` ${line}`;
  });
  if (paragraph !== null) blocks.push(paragraph);
  for (const block of blocks) {
    const sentences = block.text.startsWith('|') ? [block.text] : block.text.split(/(?<=\.)\s+(?=[A-Z`])/);
    for (const sentence of sentences) {
      if (!RISK_SENTENCE.test(sentence)) continue;
      for (const match of sentence.matchAll(RULE_ID)) mentions.push({ id: match[0], line: block.line });
    }
  }
  return mentions;
}
