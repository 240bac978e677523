// SPDX-License-Identifier: AGPL-3.0-or-later
// A small horizontal bar chart in plain SVG (no chart library): labels and values are drawn as
// text, and the whole chart is described in words for assistive technology.
import layout from './layout.module.css';

export interface Bar {
  label: string;
  value: number;
  /** Shown instead of the number (e.g. a formatted amount). */
  display?: string;
  color?: string;
}

const palette = ['#1f4fd1', '#067647', '#93370d', '#b42318', '#6941c6', '#0e7490', '#535b69', '#a15c07', '#175cd3'];

export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowHeight = 24;
  const labelWidth = 130;
  const width = 420;
  const barSpace = width - labelWidth - 70;
  const height = bars.length * rowHeight + 4;
  const description = `${title}: ${bars.map((b) => `${b.label} ${b.display ?? b.value}`).join(', ')}`;
  return (
    <svg className={layout.chart} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={description}>
      {bars.map((b, i) => {
        const y = i * rowHeight + 2;
        const w = Math.max(b.value > 0 ? 2 : 0, (b.value / max) * barSpace);
        return (
          <g key={b.label}>
            <text x={labelWidth - 6} y={y + 15} textAnchor="end" fontSize="12" fill="#1b1f27">
              {b.label}
            </text>
            <rect x={labelWidth} y={y + 3} width={w} height={rowHeight - 8} rx="3" fill={b.color ?? palette[i % palette.length]} />
            <text x={labelWidth + w + 6} y={y + 15} fontSize="12" fill="#1b1f27">
              {b.display ?? b.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
