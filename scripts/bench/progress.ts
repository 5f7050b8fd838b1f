/**
 * A one-line progress bar on stderr (stdout stays clean for --json). Redrawn in place on a TTY; on a
 * pipe it prints a line every 10% so CI logs show the run moving without flooding.
 */
export class ProgressBar {
  private lastDecile = -1;
  private readonly startedAt = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, note = ''): void {
    const ratio = this.total === 0 ? 1 : Math.min(1, done / this.total);
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    if (this.stream.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      this.stream.write(`\r${this.label.padEnd(22)} ${bar} ${done}/${this.total} ${seconds}s ${note}\x1b[K`);
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${this.label}: ${done}/${this.total} (${seconds}s) ${note}\n`);
    }
  }

  finish(note = ''): void {
    this.update(this.total, note);
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

/** A status line on stderr, so stdout stays the report. */
export function say(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
