import type { Output } from './context.ts';

/** Whether a long command reports progress: asked for with --progress, or stderr is a terminal. */
export function progressWanted(stderr: Output, flag: boolean | undefined): boolean {
  return flag === true || (stderr as { isTTY?: boolean }).isTTY === true;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** `42s`, `3m 05s`, `1h 02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * One line per step on stderr: `users: 2,000/10,000 rows, 1,850 rows/s, ETA 4s`. The rate of a
 * label is measured from the moment the previous label's last line was written (or the start).
 */
export class ProgressReporter {
  private readonly starts = new Map<string, number>();
  private mark: number;

  constructor(
    private readonly out: Output,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.mark = now();
  }

  report(label: string, done: number, total: number | undefined, unit: string, note?: string): void {
    const now = this.now();
    let start = this.starts.get(label);
    if (start === undefined) {
      start = this.mark;
      this.starts.set(label, start);
    }
    this.mark = now;
    const seconds = (now - start) / 1000;
    const parts = [`${label}: ${count(done)}${total === undefined ? '' : `/${count(total)}`} ${unit}`];
    if (seconds > 0) {
      const rate = done / seconds;
      parts.push(`${count(rate)} ${unit}/s`);
      if (total !== undefined && rate > 0 && done < total) parts.push(`ETA ${formatDuration((total - done) / rate)}`);
    }
    if (note !== undefined) parts.push(note);
    this.out.write(`${parts.join(', ')}\n`);
  }
}
