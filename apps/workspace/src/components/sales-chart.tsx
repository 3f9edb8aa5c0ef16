import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { MinorUnits } from '@salesfleet/ui';

/**
 * Sales per day as bars (uPlot: a canvas chart of ~50 KB that draws thousands of points without a
 * framework; loaded only with the screens that show a chart). Amounts are minor units; the axis and
 * the hover legend use the workspace's money format. The bars' heights are plotted from JS numbers
 * (a pixel does not need 2^53); the legend shows the day's exact amount (a ReportAmount may be a
 * decimal string), the axis whole minor units.
 */
export default function SalesChart({
  days,
  money,
  label = 'Sales per day',
}: {
  days: { date: string; total: MinorUnits }[];
  money: (minor: MinorUnits) => string;
  label?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = days.map((d) => Date.parse(`${d.date}T12:00:00Z`) / 1000);
    const ys = days.map((d) => Number(d.total));
    const width = () => Math.max(280, el.clientWidth);
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    const chart = new uPlot(
      {
        width: width(),
        height: 240,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(100, max * 1.1)] } },
        axes: [{}, { size: 80, values: (_u, splits) => splits.map((v) => money(Math.round(v))) }],
        series: [
          { label: 'Day', value: (_u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(0, 10)) },
          {
            label: 'Sales',
            stroke: '#0172ad',
            fill: 'rgba(1,114,173,0.35)',
            ...(bars ? { paths: bars } : {}),
            points: { show: false },
            value: (_u, v, _series, idx) => {
              const day = idx == null ? undefined : days[idx];
              return v == null || !day ? '' : money(day.total);
            },
          },
        ],
      },
      [xs, ys],
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: width(), height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [days, money]);
  return (
    <div
      ref={box}
      className="chart"
      role="img"
      aria-label={`${label}: ${days.length} days, ${days.filter((d) => Number(d.total) > 0).length} with sales`}
    />
  );
}
