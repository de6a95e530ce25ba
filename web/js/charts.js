// Bar charts drawn in the page as inline SVG (no outside service, no library) — the one chart
// module of the UI (the figures screen through statcharts.js, the KRAT scorecard): bars of
// several series per category, each series told apart by a pattern and by colour, every bar with
// its value written at its end, and the table of the figures one click away ("Show the table").
// Figures hidden by disclosure control stay hidden: drawn as a dashed, empty bar marked with the
// symbol ("c") and explained in the legend — never as 0 or as a value. A figure not given (null)
// is a dash.
//
// The chart is drawn for the width it has (and again when that changes): columns over the
// categories when they fit (a time series on a wide screen), else one row of bars per category
// (a phone), so that the text keeps its size.
//
// The SVG is an image (role="img") named by the title and described by a <desc> holding one line
// per category with every figure in words (a hidden figure read as hidden), so a screen reader
// gets the figures without opening the table.
//
// barChart(spec) → <figure class="chart" data-chart="{name}">. spec: {
//   title, name (data-chart), caption (of the table; default the title), categoryHead (the
//   table's first column), categories: [label], series: [{label}],
//   values: [[n | null | symbol]] (per category, per series),
//   max (the scale's end at least, e.g. 100 for shares; default: from the largest value),
//   unit (written after every value, e.g. ' %'; default ''), format (n → text; default the
//   locale's number), describe ((category, i) → the line of the <desc>; default: built from the
//   values), symbol ('c'), hiddenText (the legend of a hidden figure), note, id }
import { h, uid } from './dom.js';
import { t, fmtNumber } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

// Colours that keep 3:1 against white with an ink outline, and a pattern for each series.
const STYLES = [
  { colour: '#0b57a4', pattern: 'solid' },
  { colour: '#b35c00', pattern: 'stripes' },
  { colour: '#1b7f5b', pattern: 'dots' },
  { colour: '#7a3e9d', pattern: 'cross' },
];

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// The fill of series i: a solid colour, or a pattern of it over a light tint.
function patternDef(id, style) {
  const p = s('pattern', { id, patternUnits: 'userSpaceOnUse', width: 6, height: 6 });
  const c = style.colour;
  switch (style.pattern) {
    case 'stripes':
      p.setAttribute('patternTransform', 'rotate(45)');
      p.append(s('rect', { width: 6, height: 6, fill: '#fbe9d6' }), s('rect', { width: 3, height: 6, fill: c }));
      break;
    case 'dots':
      p.append(s('rect', { width: 6, height: 6, fill: '#dff2ea' }), s('circle', { cx: 3, cy: 3, r: 1.8, fill: c }));
      break;
    case 'cross':
      p.append(s('rect', { width: 6, height: 6, fill: '#efe3f5' }), s('path', { d: 'M0 0L6 6M6 0L0 6', stroke: c, 'stroke-width': 1.4 }));
      break;
    default:
      p.append(s('rect', { width: 6, height: 6, fill: c }));
  }
  return p;
}

function hiddenDef(id) {
  return s('pattern', { id, patternUnits: 'userSpaceOnUse', width: 8, height: 8 },
    s('rect', { width: 8, height: 8, fill: '#ffffff' }), s('path', { d: 'M0 8L8 0', stroke: '#6b7684', 'stroke-width': 1 }));
}

// A swatch for the legend (its own small SVG), filled as the series' bars are.
function swatch(fillDef) {
  const id = uid('sw');
  const def = fillDef(id);
  return s('svg', { width: 18, height: 14, viewBox: '0 0 18 14', 'aria-hidden': 'true', focusable: 'false' },
    s('defs', {}, def), s('rect', { x: 0, y: 0, width: 18, height: 14, fill: `url(#${id})` }));
}

const isHidden = (v, symbol) => v === symbol;
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

// How a value is written: the spec's format (or the locale's number), then the unit.
function writer(spec) {
  const fmt = spec.format || ((n) => fmtNumber(n));
  const unit = spec.unit || '';
  return (n) => `${fmt(n)}${unit}`;
}

// The text alternative: a line per category with every series' figure in words.
function describe(spec) {
  const symbol = spec.symbol || 'c';
  const fmt = writer(spec);
  return spec.categories.map((cat, i) => (spec.describe ? spec.describe(cat, i)
    : `${cat}: ${spec.series.map((x, j) => {
      const v = spec.values[i][j];
      return `${x.label} ${isHidden(v, symbol) ? t('figures.hiddenCell') : isNumber(v) ? fmt(v) : '—'}`;
    }).join(', ')}`));
}

// A round scale over the largest value: 1, 2 or 5 times a power of ten per step.
function scale(max) {
  if (max <= 0) return { top: 1, step: 1 };
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((x) => x >= raw);
  return { top: Math.ceil(max / step) * step, step: Math.max(step, 1) };
}

function draw(spec, width, ids) {
  const { categories, series, values } = spec;
  const symbol = spec.symbol || 'c';
  const fmt = writer(spec);
  const max = Math.max(spec.max || 0, ...values.flat().filter(isNumber));
  const { top, step } = scale(max);
  const nS = series.length;
  const fill = (j) => `url(#${ids.series[j]})`;
  const label = (v) => (isHidden(v, symbol) ? symbol : isNumber(v) ? fmt(v) : '—');
  // Columns when each category has room for its bars and its name on two lines.
  const longest = Math.max(...categories.map((c) => String(c).length));
  const catMin = Math.max(nS * 24 + 12, Math.ceil(longest / 2) * 7 + 8);
  const columns = width >= categories.length * catMin + 48;
  const svg = s('svg', { class: 'chart-svg', role: 'img', 'aria-labelledby': ids.title, 'aria-describedby': `${ids.lines} ${ids.desc}`, width, focusable: 'false' },
    s('desc', { id: ids.lines }, describe(spec).join('; ')),
    s('defs', {}, series.map((_, j) => patternDef(ids.series[j], STYLES[j % STYLES.length])), hiddenDef(ids.hidden)));

  if (columns) {
    const left = 40;
    const plotH = 220;
    const topPad = 18;
    const catW = (width - left - 4) / categories.length;
    const barW = Math.min(40, (catW - 10) / nS);
    // Category labels under the columns, on two lines when they would not fit on one.
    const height = topPad + plotH + 40;
    svg.setAttribute('height', height);
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const y = (v) => topPad + plotH - (v / top) * plotH;
    for (let v = 0; v <= top; v += step) {
      svg.append(s('line', { class: v ? 'grid-line' : 'axis-line', x1: left, x2: width, y1: y(v), y2: y(v) }),
        s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
    }
    categories.forEach((cat, i) => {
      const x0 = left + i * catW + (catW - barW * nS) / 2;
      series.forEach((_, j) => {
        const v = values[i][j];
        const x = x0 + j * barW;
        if (isHidden(v, symbol)) {
          svg.append(s('rect', { class: 'bar-outline bar-hidden', x: x + 1, y: y(0) - 18, width: barW - 2, height: 18, fill: `url(#${ids.hidden})`, 'stroke-dasharray': '3 2' }),
            s('text', { class: 'bar-hidden-label', x: x + barW / 2, y: y(0) - 22, 'text-anchor': 'middle' }, symbol));
        } else {
          const hgt = isNumber(v) ? Math.max(0, y(0) - y(v)) : 0;
          if (hgt > 0) svg.append(s('rect', { class: 'bar-outline', x: x + 1, y: y(0) - hgt, width: barW - 2, height: hgt, fill: fill(j) }));
          svg.append(s('text', { class: 'bar-value', x: x + barW / 2, y: y(0) - hgt - 4, 'text-anchor': 'middle' }, label(v)));
        }
      });
      const words = String(cat).split(' ');
      const lines = words.length > 1 && cat.length * 6.5 > catW ? [words.slice(0, Math.ceil(words.length / 2)).join(' '), words.slice(Math.ceil(words.length / 2)).join(' ')] : [cat];
      lines.forEach((ln, k) => svg.append(s('text', { x: left + i * catW + catW / 2, y: topPad + plotH + 16 + k * 14, 'text-anchor': 'middle' }, ln)));
    });
    return svg;
  }

  // Rows: the category's name, then a bar per series under it, its value at its end.
  const barH = 16;
  const valueRoom = 64;
  const plotW = Math.max(40, width - valueRoom - 2);
  let yy = 0;
  const parts = [];
  categories.forEach((cat, i) => {
    parts.push(s('text', { x: 0, y: yy + 13, class: 'bar-category' }, cat));
    yy += 18;
    series.forEach((_, j) => {
      const v = values[i][j];
      if (isHidden(v, symbol)) {
        parts.push(s('rect', { class: 'bar-outline bar-hidden', x: 0.5, y: yy + 0.5, width: 26, height: barH - 1, fill: `url(#${ids.hidden})`, 'stroke-dasharray': '3 2' }),
          s('text', { class: 'bar-hidden-label', x: 32, y: yy + 12 }, symbol));
      } else {
        const w = isNumber(v) ? (v / top) * plotW : 0;
        if (w > 0) parts.push(s('rect', { class: 'bar-outline', x: 0.5, y: yy + 0.5, width: w, height: barH - 1, fill: fill(j) }));
        else parts.push(s('line', { class: 'axis-line', x1: 0.5, x2: 0.5, y1: yy, y2: yy + barH }));
        parts.push(s('text', { class: 'bar-value', x: w + 6, y: yy + 12 }, label(v)));
      }
      yy += barH + 3;
    });
    yy += 8;
  });
  svg.setAttribute('height', yy);
  svg.setAttribute('viewBox', `0 0 ${width} ${yy}`);
  svg.append(...parts);
  return svg;
}

// The figures as a table: a row per category, a column per series; a hidden figure as the
// statistics tables show it (the symbol, with its meaning for screen readers).
function figuresTable(spec, id) {
  const symbol = spec.symbol || 'c';
  const fmt = writer(spec);
  const cell = (v) => {
    if (isHidden(v, symbol)) {
      return h('span', { class: 'cell-hidden' }, h('span', { 'aria-hidden': 'true', title: t('figures.hiddenCell') }, symbol),
        h('span', { class: 'sr-only' }, t('figures.hiddenCell')));
    }
    return isNumber(v) ? fmt(v) : '—';
  };
  const cols = spec.series.map((x) => x.label);
  return h('div', { class: 'table-wrap chart-table', id, hidden: true },
    h('table', { class: 'data stat-table' },
      h('caption', { class: 'stat-caption' }, spec.caption || spec.title),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, spec.categoryHead || ''), cols.map((c) => h('th', { scope: 'col', class: 'num' }, c)))),
      h('tbody', null, spec.categories.map((cat, i) => h('tr', null, h('th', { scope: 'row' }, cat),
        spec.series.map((_, j) => h('td', { class: 'num', 'data-label': cols[j] }, cell(spec.values[i][j]))))))));
}

export function barChart(spec) {
  const symbol = spec.symbol || 'c';
  const ids = { title: uid('ch-t'), desc: uid('ch-d'), lines: uid('ch-l'), table: uid('ch-tb'), series: spec.series.map(() => uid('ch-p')), hidden: uid('ch-h') };
  const anyHidden = spec.values.flat().some((v) => isHidden(v, symbol));
  const holder = h('div', { class: 'chart-plot' });
  const table = figuresTable(spec, ids.table);
  const toggle = h('button', { type: 'button', class: 'btn btn-small chart-toggle', 'aria-expanded': 'false', 'aria-controls': ids.table }, t('chart.showTable'));
  toggle.addEventListener('click', () => {
    const open = table.hidden;
    table.hidden = !open;
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    toggle.textContent = t(open ? 'chart.hideTable' : 'chart.showTable');
  });
  const legend = h('ul', { class: 'chart-legend' },
    spec.series.map((x, j) => h('li', null, swatch((id) => patternDef(id, STYLES[j % STYLES.length])), x.label)),
    anyHidden ? h('li', { class: 'legend-hidden' }, swatch(hiddenDef), `${symbol}: ${spec.hiddenText || t('figures.hiddenCell')}`) : null);
  const el = h('figure', { class: 'chart', id: spec.id || null, dataset: { chart: spec.name || '' } },
    h('figcaption', null, h('h3', { class: 'chart-title', id: ids.title }, spec.title),
      h('p', { class: 'chart-note', id: ids.desc }, [spec.note, t('chart.desc')].filter(Boolean).join(' '))),
    holder, legend, h('p', { class: 'chart-toggle-line' }, toggle), table);

  let drawn = -1;
  const redraw = () => {
    const width = Math.floor(holder.clientWidth);
    if (width <= 0 || width === drawn) return;
    drawn = width;
    holder.replaceChildren(draw(spec, width, ids));
    holder.dataset.layout = holder.firstChild.querySelector('.bar-category') ? 'rows' : 'columns';
  };
  // Drawn once the element has its width in the page, and again when the width changes.
  new ResizeObserver(redraw).observe(holder);
  return el;
}
