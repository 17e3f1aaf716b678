/**
 * A small SVG line chart of the four traffic series (received, sent, deferred, bounced), one point
 * per bucket. No chart library: a few paths are enough, and the figure's label carries the totals
 * for screen readers.
 */
import type { TrafficPoint } from '@correio/contracts';
import styles from './admin.module.css';

const SERIES = [
  { key: 'received', label: 'Received', color: '#0b57d0' },
  { key: 'sent', label: 'Sent', color: '#146c2e' },
  { key: 'deferred', label: 'Deferred', color: '#b06000' },
  { key: 'bounced', label: 'Bounced', color: '#b3261e' },
] as const;

const W = 560;
const H = 160;
const PAD = 24;

export function TrafficChart({ points, title, tick }: { points: TrafficPoint[]; title: string; tick(at: string): string }) {
  const max = Math.max(1, ...points.flatMap((p) => SERIES.map((s) => p[s.key])));
  const x = (i: number) => PAD + (points.length <= 1 ? 0 : (i * (W - 2 * PAD)) / (points.length - 1));
  const y = (v: number) => H - PAD - (v * (H - 2 * PAD)) / max;
  const totals = SERIES.map((s) => `${s.label} ${points.reduce((n, p) => n + p[s.key], 0)}`).join(', ');
  const ticks = points.length > 0 ? [0, Math.floor((points.length - 1) / 2), points.length - 1] : [];
  return (
    <figure style={{ margin: 0 }}>
      <svg className={styles.chart} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${totals}`}>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="currentColor" strokeOpacity={0.3} />
        <text x={PAD} y={PAD - 8} fontSize={10} fill="currentColor">
          {max}
        </text>
        {SERIES.map((s) => (
          <polyline
            key={s.key}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            points={points.map((p, i) => `${x(i).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join(' ')}
          />
        ))}
        {ticks.map((i) => (
          <text key={i} x={x(i)} y={H - 6} fontSize={10} textAnchor={i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle'} fill="currentColor">
            {tick(points[i]!.at)}
          </text>
        ))}
      </svg>
      <figcaption>
        <ul className={styles.legend}>
          {SERIES.map((s) => (
            <li key={s.key}>
              <span className={styles.swatch} style={{ background: s.color }} aria-hidden="true" />
              {s.label}: {points.reduce((n, p) => n + p[s.key], 0)}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
