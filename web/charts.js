// Apache ECharts in Vue: <e-chart :option="…" :theme="'dark'" :label="…">.
// One chart instance per mounted component for its whole life: new data is
// given with setOption (never a new instance), so a page that refreshes every
// minute does not grow; the instance is disposed when the component unmounts.
// A ResizeObserver keeps the canvas at the element's size.
// Also: the option builders the dashboard and the big screen share.
import { ref, watch, onMounted, onBeforeUnmount } from '/assets/vue.esm-browser.prod.js';
import * as echarts from '/assets/echarts.esm.min.mjs';
import { t } from './i18n.js';
import { dashboardCss } from './stylesheet.js';

export const EChart = {
  name: 'EChart',
  props: {
    option: { type: Object, default: null },
    theme: { type: String, default: '' },
    label: { type: String, default: '' },
    testid: { type: String, default: '' },
  },
  setup(props) {
    const el = ref(null);
    let chart = null;
    let observer = null;
    function apply(o) {
      // Replace series and axes wholesale (their number may change), keep the instance.
      if (chart && o) chart.setOption(o, { replaceMerge: ['series', 'xAxis', 'yAxis'] });
    }
    let gone = false;
    onMounted(async () => {
      await dashboardCss();	// the element's size comes from it
      if (gone) return;
      chart = echarts.init(el.value, props.theme || null, { renderer: 'canvas' });
      apply(props.option);
      observer = new ResizeObserver(() => { if (chart) chart.resize(); });
      observer.observe(el.value);
    });
    watch(() => props.option, apply);
    onBeforeUnmount(() => {
      gone = true;
      if (observer) observer.disconnect();
      if (chart) chart.dispose();
      chart = null;
    });
    return { el };
  },
  template: `<div ref="el" class="chart" role="img" :aria-label="label" :data-testid="testid || null"></div>`,
};

// ---------------------------------------------------------------------------
// Option builders. `dark` styles for the big screen. Every option turns on
// ECharts' aria description (read by screen readers from the canvas label).

const PALETTE = ['#c0392b', '#1f6fb2', '#2e8b57', '#d68910', '#7d3c98', '#17a589', '#5d6d7e', '#ca6f1e', '#a93226', '#2471a3'];
const base = (dark) => ({
  color: PALETTE,
  backgroundColor: 'transparent',
  aria: { enabled: true },
  textStyle: { fontFamily: 'inherit' },
  tooltip: { trigger: 'axis', confine: true },
  grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
  legend: { top: 0, textStyle: { color: dark ? '#dfe6f0' : '#1b1b1f' } },
});
const axisColor = (dark) => (dark ? '#9fb0c8' : '#4a4a52');
const splitColor = (dark) => (dark ? 'rgba(159,176,200,.18)' : '#e4e4ea');

export const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const pctValue = (x) => (x === null || x === undefined ? null : Math.round(x * 1000) / 10);

// Axis labels: "2026-11-21" → "11-21", "2026-W47" → "W47", "2026-11" stays.
export function shortPeriod(p) {
  const s = String(p ?? '');
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s.slice(5);
  if (/^\d{4}-W\d{2}$/.test(s)) return s.slice(5);
  return s;
}

// Reported and closed per period (bars) from /kpis/trend points.
export function trendOption(points, dark = false) {
  const labels = points.map((p) => shortPeriod(p.period));
  return {
    ...base(dark),
    xAxis: { type: 'category', data: labels, axisLabel: { color: axisColor(dark) }, axisLine: { lineStyle: { color: axisColor(dark) } } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: axisColor(dark) }, splitLine: { lineStyle: { color: splitColor(dark) } } },
    series: [
      { name: t('dash.reported'), type: 'bar', data: points.map((p) => p.reported ?? 0), itemStyle: { color: '#d68910' } },
      { name: t('dash.closed'), type: 'line', smooth: true, data: points.map((p) => p.closed ?? 0), itemStyle: { color: '#2e8b57' } },
    ],
  };
}

// On-time rate per period (percent line, gaps where undefined).
export function onTimeOption(points, dark = false) {
  return {
    ...base(dark),
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => (v == null ? '—' : `${v}%`) },
    legend: { show: false },
    xAxis: { type: 'category', data: points.map((p) => shortPeriod(p.period)), axisLabel: { color: axisColor(dark) }, axisLine: { lineStyle: { color: axisColor(dark) } } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: axisColor(dark), formatter: '{value}%' }, splitLine: { lineStyle: { color: splitColor(dark) } } },
    series: [{
      name: t('dash.onTimeRate'), type: 'line', connectNulls: true,
      data: points.map((p) => pctValue(p.on_time_rate)), itemStyle: { color: '#1f6fb2' }, areaStyle: { opacity: 0.15 },
    }],
  };
}

const keyName = (row) => (row.key && row.key.name) || t('dash.noKey');

// Horizontal bars of reported (and closed) per group, largest first, at most `top`.
export function groupBarOption(rows, dark = false, top = 12) {
  const sorted = [...rows].sort((a, b) => (b.reported || 0) - (a.reported || 0)).slice(0, top).reverse();
  return {
    ...base(dark),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: axisColor(dark) }, splitLine: { lineStyle: { color: splitColor(dark) } } },
    yAxis: { type: 'category', data: sorted.map(keyName), axisLabel: { color: axisColor(dark), width: 110, overflow: 'truncate' }, axisLine: { lineStyle: { color: axisColor(dark) } } },
    series: [
      { name: t('dash.reported'), type: 'bar', data: sorted.map((r) => r.reported || 0), itemStyle: { color: '#d68910' } },
      { name: t('dash.closed'), type: 'bar', data: sorted.map((r) => r.closed || 0), itemStyle: { color: '#2e8b57' } },
    ],
  };
}

// Donut of the current states ({state: n}); names through stateName.
export function statesOption(states, stateName, dark = false) {
  const data = Object.entries(states || {}).filter(([, n]) => n > 0).map(([s, n]) => ({ name: stateName(s), value: n }));
  return {
    ...base(dark),
    tooltip: { trigger: 'item', confine: true, formatter: '{b}: {c} ({d}%)' },
    legend: { type: 'scroll', bottom: 0, top: 'auto', textStyle: { color: dark ? '#dfe6f0' : '#1b1b1f' } },
    series: [{
      name: t('dash.byState'), type: 'pie', radius: ['42%', '68%'], center: ['50%', '45%'], avoidLabelOverlap: true,
      label: { color: dark ? '#dfe6f0' : '#1b1b1f' }, data,
    }],
  };
}
