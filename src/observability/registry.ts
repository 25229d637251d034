/**
 * A small Prometheus registry: counters and histograms updated on the hot path (a Map lookup and
 * a few additions), gauges read at scrape time, rendered in the text exposition format 0.0.4.
 */

export interface Sample {
  labels: readonly string[];
  value: number;
}

/** One series of a counter; keep the object to skip the label lookup on every update. */
export class CounterSeries {
  value = 0;

  constructor(readonly labels: readonly string[]) {}

  inc(by = 1): void {
    this.value += by;
  }
}

/** One series of a histogram: per-bucket counts (made cumulative when rendered), sum and count. */
export class HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: readonly string[],
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labelNames: readonly string[];
  render(out: string[]): void;
}

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelText(names: readonly string[], values: readonly string[], extra?: string): string {
  const pairs = names.map((name, i) => `${name}="${escapeLabel(values[i] ?? '')}"`);
  if (extra !== undefined) pairs.push(extra);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

const seriesKey = (values: readonly string[]) => values.join('\u0000');

export class Counter implements Family {
  readonly type = 'counter';
  private readonly series = new Map<string, CounterSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[] = [],
  ) {}

  labels(...values: string[]): CounterSeries {
    const key = seriesKey(values);
    let series = this.series.get(key);
    if (!series) {
      series = new CounterSeries(values);
      this.series.set(key, series);
    }
    return series;
  }

  render(out: string[]): void {
    for (const s of this.series.values()) out.push(`${this.name}${labelText(this.labelNames, s.labels)} ${formatValue(s.value)}`);
  }
}

export class Histogram implements Family {
  readonly type = 'histogram';
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    private readonly bounds: readonly number[],
  ) {}

  labels(...values: string[]): HistogramSeries {
    const key = seriesKey(values);
    let series = this.series.get(key);
    if (!series) {
      series = new HistogramSeries(values, this.bounds);
      this.series.set(key, series);
    }
    return series;
  }

  render(out: string[]): void {
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (const [i, bound] of this.bounds.entries()) {
        cumulative += s.counts[i]!;
        out.push(`${this.name}_bucket${labelText(this.labelNames, s.labels, `le="${formatValue(bound)}"`)} ${cumulative}`);
      }
      out.push(`${this.name}_bucket${labelText(this.labelNames, s.labels, 'le="+Inf"')} ${s.count}`);
      out.push(`${this.name}_sum${labelText(this.labelNames, s.labels)} ${formatValue(s.sum)}`);
      out.push(`${this.name}_count${labelText(this.labelNames, s.labels)} ${s.count}`);
    }
  }
}

/** A gauge whose samples are read when scraped (a query, the process's memory). */
export class Gauge implements Family {
  readonly type = 'gauge';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    private readonly collect: () => readonly Sample[],
  ) {}

  render(out: string[]): void {
    for (const s of this.collect()) out.push(`${this.name}${labelText(this.labelNames, s.labels)} ${formatValue(s.value)}`);
  }
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class Registry {
  private readonly families: Family[] = [];

  add<F extends Family>(family: F): F {
    if (this.families.some((f) => f.name === family.name)) throw new Error(`metric ${family.name} registered twice`);
    this.families.push(family);
    return family;
  }

  /** The text exposition format; every family has its HELP and TYPE even with no samples yet. */
  render(): string {
    const out: string[] = [];
    for (const family of this.families) {
      out.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
      family.render(out);
    }
    return `${out.join('\n')}\n`;
  }
}
