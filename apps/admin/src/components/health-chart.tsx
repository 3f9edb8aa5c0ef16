import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { HealthSample } from '@salesfleet/contracts';

/**
 * A tenant's recorded health over time: latency (ms, left axis; a gap where the database did not
 * answer) and database size (MB, right axis). uPlot, the workspace's chart library, loaded only with
 * the screen that shows it.
 */
export default function HealthChart({ samples, label }: { samples: HealthSample[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = samples.map((s) => Date.parse(s.checkedAt) / 1000);
    const latency = samples.map((s) => (s.reachable ? s.latencyMs : null));
    const size = samples.map((s) => (s.sizeBytes === null ? null : Math.round((s.sizeBytes / 1_048_576) * 100) / 100));
    const width = () => Math.max(280, el.clientWidth);
    const chart = new uPlot(
      {
        width: width(),
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, ms: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 1) * 1.2)] }, mb: {} },
        axes: [
          {},
          { scale: 'ms', size: 60, values: (_u, splits) => splits.map((v) => `${v} ms`) },
          { scale: 'mb', side: 1, size: 70, grid: { show: false }, values: (_u, splits) => splits.map((v) => `${v} MB`) },
        ],
        series: [
          { label: 'Checked (UTC)', value: (_u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(0, 16).replace('T', ' ')) },
          {
            label: 'Latency',
            scale: 'ms',
            stroke: '#0172ad',
            width: 2,
            spanGaps: false,
            value: (_u, v) => (v == null ? 'no answer' : `${v} ms`),
          },
          { label: 'Size', scale: 'mb', stroke: '#8c6d1f', width: 1, dash: [4, 4], value: (_u, v) => (v == null ? '—' : `${v} MB`) },
        ],
      },
      [xs, latency, size],
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: width(), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [samples]);
  const failed = samples.filter((s) => !s.reachable).length;
  return <div ref={box} className="chart" role="img" aria-label={`${label}: ${samples.length} checks, ${failed} without an answer`} />;
}
