import { html, type SafeHtml } from '#lib/html.ts';

/**
 * Charts for the newsroom's dashboards, drawn on the server as inline SVG: no script, no
 * third-party library, nothing loaded from elsewhere, and readable with CSS off. Colours
 * are SVG presentation attributes (not style attributes), so the strict CSP allows them.
 * Every chart comes with a table of the same figures (screen readers, copy-paste, and
 * anyone who wants exact numbers).
 */

export interface Series {
  name: string;
  values: readonly number[];
}

export interface ChartSpec {
  /** Also the accessible name of the chart. */
  title: string;
  /** One label per column (e.g. months), the same length as every series. */
  labels: readonly string[];
  series: readonly Series[];
  kind: 'bars' | 'line';
  /** Shorter labels for the axis (`Jan 2026`, `Feb`, …); the table keeps `labels`. */
  axisLabels?: readonly string[];
  /** How values read in the axis and table, e.g. money. Default: whole numbers. */
  format?: (n: number) => string;
}

// Distinguishable in colour-blind palettes and on white (Okabe–Ito).
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

const W = 640;
const H = 230;
const PAD = { top: 12, right: 12, bottom: 38, left: 56 };

const plain = (n: number) => Math.round(n).toLocaleString('en-GB');

/** A tidy upper bound for the axis (1, 2 or 5 times a power of ten). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (max <= m * p) return m * p;
  return 10 * p;
}

/**
 * The axis top and how many gridline intervals: steps of 1, 2 or 5 times a power of ten,
 * and whole steps for whole-number data (counts never get a "0.4" gridline).
 */
export function axis(maxValue: number, integers: boolean): { max: number; intervals: number } {
  let max = niceMax(maxValue);
  if (integers && max < 5) max = 5;
  const lead = max / 10 ** Math.floor(Math.log10(max));
  return { max, intervals: lead === 2 ? 4 : 5 };
}

/** Axis labels for months: the year on the first one and on each January. */
export function monthAxisLabels(months: readonly string[]): string[] {
  return months.map((ym, i) => {
    const d = new Date(`${ym}-01T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return ym;
    const month = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' }).slice(0, 3);
    return i === 0 || ym.endsWith('-01') ? `${month} ${ym.slice(0, 4)}` : month;
  });
}

function round(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

export function chart(spec: ChartSpec, id: string): SafeHtml {
  const fmt = spec.format ?? plain;
  const n = spec.labels.length;
  const all = spec.series.flatMap((s) => s.values);
  const min = Math.min(0, ...all);
  const { max, intervals } = axis(
    Math.max(0, ...all),
    all.every((v) => Number.isInteger(v)),
  );
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + innerH - ((v - min) / (max - min || 1)) * innerH;
  const slot = n > 0 ? innerW / n : innerW;
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const ticks = Array.from({ length: intervals + 1 }, (_, i) => min + ((max - min) * i) / intervals);
  // Label at most ~12 columns so the axis stays legible.
  const every = Math.max(1, Math.ceil(n / 12));

  const grid = ticks.map(
    (v) =>
      html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${round(y(v))}" y2="${round(y(v))}" stroke="#e3e3e3"/><text x="${PAD.left - 6}" y="${round(y(v) + 4)}" text-anchor="end" font-size="11" fill="#555">${fmt(v)}</text>`,
  );
  const axisLabels = spec.axisLabels ?? spec.labels;
  // A second word (the year) goes on a second line, so neighbouring labels never collide.
  const xLabels = axisLabels.map((l, i) => {
    if (i % every !== 0) return '';
    const [first, ...rest] = l.split(' ');
    const second = rest.join(' ');
    return html`<text x="${round(x(i))}" y="${H - 22}" text-anchor="middle" font-size="11" fill="#555">${first ?? ''}${second ? html`<tspan x="${round(x(i))}" dy="13">${second}</tspan>` : ''}</text>`;
  });

  let marks: SafeHtml[];
  if (spec.kind === 'bars') {
    const k = Math.max(1, spec.series.length);
    const bw = Math.max(1, (slot * 0.8) / k);
    marks = spec.series.flatMap((s, si) =>
      s.values.map((v, i) => {
        const top = y(Math.max(v, 0));
        const height = Math.abs(y(v) - y(0));
        const left = PAD.left + slot * i + slot * 0.1 + bw * si;
        return html`<rect x="${round(left)}" y="${round(top)}" width="${round(bw)}" height="${round(height)}" fill="${COLOURS[si % COLOURS.length] ?? '#000'}"><title>${s.name}, ${spec.labels[i] ?? ''}: ${fmt(v)}</title></rect>`;
      }),
    );
  } else {
    marks = spec.series.map((s, si) => {
      const points = s.values.map((v, i) => `${round(x(i))},${round(y(v))}`).join(' ');
      const colour = COLOURS[si % COLOURS.length] ?? '#000';
      return html`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>${s.values.map((v, i) => html`<circle cx="${round(x(i))}" cy="${round(y(v))}" r="3" fill="${colour}"><title>${s.name}, ${spec.labels[i] ?? ''}: ${fmt(v)}</title></circle>`)}`;
    });
  }

  const legend = spec.series.map(
    (s, si) =>
      html`<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${COLOURS[si % COLOURS.length] ?? '#000'}"/></svg> ${s.name}</li>`,
  );

  return html`<figure class="nr-chart" aria-labelledby="${id}-title">
<figcaption id="${id}-title">${spec.title}</figcaption>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-title" preserveAspectRatio="xMidYMid meet">
${grid}
<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${round(y(0))}" y2="${round(y(0))}" stroke="#888"/>
${marks}
${xLabels}
</svg>
<ul class="nr-legend">${legend}</ul>
<details><summary>Figures</summary>${chartTable(spec)}</details>
</figure>`;
}

/** The chart's figures as a table. */
export function chartTable(spec: ChartSpec): SafeHtml {
  const fmt = spec.format ?? plain;
  return html`<table class="nr-table"><thead><tr><th scope="col">${spec.labels.length > 0 ? '' : 'No data'}</th>${spec.series.map((s) => html`<th scope="col">${s.name}</th>`)}</tr></thead><tbody>
${spec.labels.map((l, i) => html`<tr><th scope="row">${l}</th>${spec.series.map((s) => html`<td>${fmt(s.values[i] ?? 0)}</td>`)}</tr>`)}
</tbody></table>`;
}

/** The last `count` calendar months up to and including `now`'s, as `YYYY-MM` (UTC). */
export function lastMonths(now: Date, count: number): string[] {
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

/** `2026-03` → `Mar 2026`. */
export function monthLabel(ym: string): string {
  const d = new Date(`${ym}-01T00:00:00Z`);
  return Number.isNaN(d.getTime())
    ? ym
    : d.toLocaleString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}
