// Bar charts drawn in the page as inline SVG — no outside service, no library.
//
//   import { barChart } from '../chart.js';
//   const node = barChart({
//     title: 'Meeting compliance by county',        // shown as the caption and the SVG's <title>
//     categories: ['Berat', 'Dibër', ...],          // one group of bars per category, top to bottom
//     series: [                                      // one bar per series in each group (grouped),
//       { label: 'Held', values: [80, 100, ...] },   //   or one bar of segments when stacked: true
//       { label: 'On time', values: [20, null, ...] },
//     ],
//     max: 100,              // the scale's end (default: the largest value, or the largest stack)
//     unit: '%',             // written after each value ('' by default)
//     format: (v) => '80',   // how a value is written (default: String); null shows as '–'
//     stacked: false,        // series as segments of one bar instead of bars side by side
//     tableLabel: 'Show the table', categoryLabel: 'County', // the table behind the chart
//     describe: (cat, i) => 'Berat: held 80 %, on time 20 %', // optional: one line per category
//   });                                           // for the text alternative (default: built)
//
// It returns a <figure>: the SVG (role="img", with <title> and a <desc> listing every value, so
// a screen reader reads the figures), a legend, and a <details> holding the same figures as a
// table one click away. Readable without colour: each series has its own fill pattern (solid,
// hatched, dotted, crossed) as well as its own colour, every bar carries its value in words, and
// every colour has at least 3:1 contrast with the white ground (WCAG 1.4.11); text is dark on
// white. Labels sit above their bars, so the chart stays readable at phone width; it is 400
// pixels wide and shrinks with a narrower container (CSS .chart-svg).
import { h, uid } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
// Dark blue, dark orange, dark green, purple: each ≥ 4.5:1 on white.
const COLOURS = ['#1d4f91', '#a34700', '#2e6b30', '#6a1b9a'];
const PATTERNS = ['solid', 'hatch', 'dots', 'cross'];

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  for (const c of children) if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// The fill of series i: a colour, or a pattern in that colour over white.
function fillDef(id, i) {
  const colour = COLOURS[i % COLOURS.length];
  const kind = PATTERNS[i % PATTERNS.length];
  if (kind === 'solid') return { fill: colour, def: null, colour };
  const p = s('pattern', { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: kind === 'hatch' ? 'rotate(45)' : null });
  p.append(s('rect', { width: 6, height: 6, fill: '#fff' }));
  if (kind === 'hatch') p.append(s('rect', { width: 3, height: 6, fill: colour }));
  else if (kind === 'dots') p.append(s('circle', { cx: 3, cy: 3, r: 1.8, fill: colour }));
  else p.append(s('path', { d: 'M0 0L6 6M6 0L0 6', stroke: colour, 'stroke-width': 1.5 }));
  return { fill: `url(#${id})`, def: p, colour };
}

export function barChart({
  title, categories, series, max, unit = '', format = String, stacked = false,
  tableLabel = 'Table', categoryLabel = '', describe,
}) {
  const id = uid('chart');
  const show = (v) => (v == null ? '–' : `${format(v)}${unit}`);
  const totals = categories.map((_, i) => series.reduce((a, se) => a + (se.values[i] || 0), 0));
  const top = max || Math.max(1, ...(stacked ? totals : series.flatMap((se) => se.values.map((v) => v || 0))));
  // Layout in pixels: 400 wide, narrower with its container (CSS max-width: 100%).
  const W = 400;
  const valueW = 56;
  const barW = W - valueW;
  const labelH = 15;
  const barH = 13;
  const gap = 9;
  const bars = stacked ? 1 : series.length;
  const groupH = labelH + bars * (barH + 2) + gap;
  const H = categories.length * groupH;
  const fills = series.map((_, i) => fillDef(`${id}-p${i}`, i));
  const titleId = `${id}-t`;
  const descId = `${id}-d`;
  const lines = categories.map((c, i) => (describe ? describe(c, i)
    : `${c}: ${series.map((se) => `${se.label} ${show(se.values[i])}`).join(', ')}`));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart-svg', width: W, height: H },
    s('title', { id: titleId }, title),
    s('desc', { id: descId }, lines.join('; ')),
    s('defs', {}, ...fills.map((f) => f.def)));
  const scale = (v) => (Math.max(0, v) / top) * barW;
  categories.forEach((c, i) => {
    const y0 = i * groupH;
    const g = s('g', { 'aria-hidden': 'true' });
    g.append(s('text', { x: 0, y: y0 + 12, class: 'chart-label' }, c));
    if (stacked) {
      let x = 0;
      series.forEach((se, k) => {
        const w = scale(se.values[i] || 0);
        if (w > 0) g.append(s('rect', { x, y: y0 + labelH, width: w, height: barH, fill: fills[k].fill, stroke: fills[k].colour, 'stroke-width': 1 }));
        x += w;
      });
      g.append(s('text', { x: x + 4, y: y0 + labelH + barH - 3, class: 'chart-value' }, show(totals[i])));
    } else {
      series.forEach((se, k) => {
        const v = se.values[i];
        const y = y0 + labelH + k * (barH + 2);
        const w = v == null ? 0 : scale(v);
        // A zero keeps a hairline so the bar is seen to be there, and nothing.
        g.append(s('rect', { x: 0, y, width: Math.max(w, v == null ? 0 : 1), height: barH, fill: fills[k].fill, stroke: fills[k].colour, 'stroke-width': 1 }));
        g.append(s('text', { x: w + 4, y: y + barH - 3, class: 'chart-value' }, show(v)));
      });
    }
    svg.append(g);
  });
  // The legend: a swatch with the same pattern and the series' name (also when there is one).
  const legend = h('ul', { class: 'chart-legend' }, series.map((se, k) => {
    const f = fillDef(`${id}-l${k}`, k);
    const sw = s('svg', { width: 18, height: 12, viewBox: '0 0 18 12', 'aria-hidden': 'true', focusable: 'false' },
      s('defs', {}, f.def), s('rect', { x: 0.5, y: 0.5, width: 17, height: 11, fill: f.fill, stroke: f.colour }));
    return h('li', null, sw, ' ', se.label);
  }));
  const table = h('table', { class: 'data' },
    h('caption', { class: 'sr-only' }, title),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, categoryLabel), series.map((se) => h('th', { scope: 'col', class: 'num' }, se.label)))),
    h('tbody', null, categories.map((c, i) => h('tr', null, h('th', { scope: 'row' }, c),
      series.map((se) => h('td', { class: 'num', 'data-label': se.label }, show(se.values[i])))))));
  return h('figure', { class: 'chart' },
    h('figcaption', { class: 'chart-title' }, title),
    svg, legend,
    h('details', { class: 'chart-table' }, h('summary', null, tableLabel), h('div', { class: 'table-wrap' }, table)));
}
