import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { MinorUnits } from '@salesfleet/ui';

const HALF_DAY = 43_200;
/** Pixels each day label needs (`2026-12-07` and a gap). */
const DAY_LABEL_SPACE = 90;
/** A day's timestamp (seconds, noon UTC) as its date, `YYYY-MM-DD`. */
const dayOf = (ts: number) => new Date(ts * 1000).toISOString().slice(0, 10);

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
    const lastDayLegend = (u: uPlot) => {
      if (u.cursor.idx == null && xs.length > 0) u.setLegend({ idx: xs.length - 1 });
    };
    const chart = new uPlot(
      {
        width: width(),
        height: 240,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        legend: { show: true },
        // While the pointer is not over a day, the legend shows the last day's figures (uPlot leaves it blank).
        hooks: { ready: [lastDayLegend], setCursor: [lastDayLegend] },
        cursor: { drag: { x: false, y: false } },
        scales: {
          // Half a day either side of the first and last day: the edge bars show whole, not cut at the frame.
          x: { time: true, range: (_u, min, max) => (xs.length ? [xs[0]! - HALF_DAY, xs[xs.length - 1]! + HALF_DAY] : [min, max]) },
          y: { range: (_u, _min, max) => [0, Math.max(100, max * 1.1)] },
        },
        axes: [
          // Ticks on the days themselves (under their bars), every k-th day so the labels do not
          // overlap; dates, never hours (uPlot's time axis picks hourly ticks for a few daily points).
          {
            space: DAY_LABEL_SPACE,
            splits: (u) => {
              const plotWidth = u.bbox.width / uPlot.pxRatio;
              const every = Math.max(1, Math.ceil((xs.length * DAY_LABEL_SPACE) / Math.max(plotWidth, 1)));
              return xs.filter((_x, i) => i % every === 0);
            },
            values: (_u, splits) => splits.map((v) => dayOf(v)),
          },
          { size: 80, values: (_u, splits) => splits.map((v) => money(Math.round(v))) },
        ],
        series: [
          { label: 'Day', value: (_u, v) => (v == null ? '' : dayOf(v)) },
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
