export interface Point {
  /** ISO 8601 time of the value. */
  at: string;
  value: number;
}

const W = 600;
const H = 220;
const PAD = { left: 48, right: 16, top: 16, bottom: 32 };

const short = (at: string) => new Date(at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

/**
 * A goal's progress over time as an inline SVG line chart (no chart library), with the target
 * as a dashed line. The figure carries a text summary for screen readers and a data table.
 */
export function ProgressChart({ points, target, unit, label }: { points: Point[]; target: number; unit: string; label: string }) {
  if (points.length === 0) return <p class="muted">No progress recorded yet.</p>;
  const times = points.map((p) => Date.parse(p.at));
  const values = points.map((p) => p.value);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const lo = Math.min(0, ...values, target);
  const hi = Math.max(...values, target, lo + 1);
  const x = (t: number) => PAD.left + (t1 === t0 ? (W - PAD.left - PAD.right) / 2 : ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(times[i]!).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const last = points[points.length - 1]!;
  const summary = `${label}: ${points.length} recorded values from ${short(points[0]!.at)} to ${short(last.at)}, latest ${last.value}${unit ? ` ${unit}` : ''}, target ${target}.`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} data-points={points.length}>
        <line x1={PAD.left} y1={y(lo)} x2={W - PAD.right} y2={y(lo)} class="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} class="axis" />
        <text x={PAD.left - 6} y={y(hi) + 4} class="tick" text-anchor="end">
          {hi}
        </text>
        <text x={PAD.left - 6} y={y(lo) + 4} class="tick" text-anchor="end">
          {lo}
        </text>
        <line x1={PAD.left} y1={y(target)} x2={W - PAD.right} y2={y(target)} class="target" />
        <text x={W - PAD.right} y={y(target) - 4} class="tick" text-anchor="end">
          target {target}
        </text>
        <path d={path} class="line" />
        {points.map((p, i) => (
          <circle key={i} cx={x(times[i]!)} cy={y(p.value)} r={4} class="dot">
            <title>{`${short(p.at)}: ${p.value}`}</title>
          </circle>
        ))}
        <text x={PAD.left} y={H - 8} class="tick">
          {short(points[0]!.at)}
        </text>
        <text x={W - PAD.right} y={H - 8} class="tick" text-anchor="end">
          {short(last.at)}
        </text>
      </svg>
      <figcaption class="sr-only">{summary}</figcaption>
    </figure>
  );
}
