import type { ImportCounts } from '../admin/import';
import type { CliIO } from './io';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

const BAR_WIDTH = 24;

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

const number = new Intl.NumberFormat('en-US');

/**
 * Progress of a long import on standard error: a bar redrawn in place on a terminal, plain lines
 * (every 5 s) otherwise, so that a log file gets readable lines and not carriage returns. In `auto`
 * mode nothing is printed for an import that ends within 5 s.
 */
export class ImportProgress {
  private bytes = 0;
  private counts: ImportCounts | undefined;
  private readonly started = Date.now();
  private lastDraw = this.started;
  private drawn = false;
  private readonly mode: Exclude<ProgressMode, 'auto'>;

  constructor(
    private readonly io: CliIO,
    private readonly name: string,
    private readonly size: number | undefined,
    mode: ProgressMode,
  ) {
    this.mode = mode === 'auto' ? (io.stderrIsTTY ? 'bar' : 'lines') : mode;
    this.explicit = mode !== 'auto';
  }

  private readonly explicit: boolean;

  read(bytes: number): void {
    this.bytes += bytes;
  }

  committed(counts: ImportCounts): void {
    this.counts = counts;
    const now = Date.now();
    if (this.mode === 'bar' && now - this.lastDraw >= 100 && (this.explicit || now - this.started >= 500)) this.draw(false);
    if (this.mode === 'lines' && now - this.lastDraw >= 5000 && (this.explicit || now - this.started >= 5000)) this.draw(false);
  }

  /** The import is over (or stopped): the bar's last state and a line break, or a last line. */
  finish(): void {
    if (this.mode === 'none' || this.counts === undefined) return;
    if (this.drawn || this.explicit) this.draw(true);
  }

  private text(): string {
    const counts = this.counts as ImportCounts;
    const rows = `${number.format(counts.rows)} row${counts.rows === 1 ? '' : 's'} (${number.format(counts.created)} created, ${number.format(counts.updated)} updated, ${number.format(counts.unchanged)} unchanged, ${number.format(counts.skipped)} skipped, ${number.format(counts.rejected)} refused)`;
    if (this.size === undefined || this.size === 0) return `${rows}, ${formatBytes(this.bytes)} read`;
    return `${Math.min(100, Math.floor((this.bytes / this.size) * 100))}% of ${formatBytes(this.size)}, ${rows}`;
  }

  private draw(last: boolean): void {
    this.lastDraw = Date.now();
    this.drawn = true;
    if (this.mode === 'lines') {
      this.io.stderr(`import ${this.name}: ${last ? 'done, ' : ''}${this.text()}\n`);
      return;
    }
    const fraction = this.size ? Math.min(1, this.bytes / this.size) : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = this.size ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : '';
    this.io.stderr(`\r\u001b[2K${bar}${this.text()}${last ? '\n' : ''}`);
  }
}
