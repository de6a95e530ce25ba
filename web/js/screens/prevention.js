// Prevention and cooperation: a card for each register the user reads (what it holds, the way
// to it, "New" where the user records entries), and the registers' figures for a period — by
// default the last quarter that has ended — and, for national roles, a county or the whole
// country. The figures are the server's: counts about people at risk come hidden ("c") for
// whoever may not read those entries, and only for periods that have ended (else the block is
// withheld, and the reason said in words).
import { h } from '../dom.js';
import { t, todayISO } from '../i18n.js';
import { get, qs, ApiError } from '../api.js';
import { registerList, countyName, isNational, seesFigures } from '../session.js';
import { pageHeader, section, notice, errorBox, buttonLink } from '../ui.js';
import { L } from '../cases.js';
import {
  lastEndedQuarter, periodOptions, periodText, selectEl, countyOptions, figureCell,
} from '../registers.js';

const enc = encodeURIComponent;

function cards(list) {
  return h('ul', { class: 'register-cards' }, list.map((r) => h('li', { class: 'register-card' },
    h('h2', null, h('a', { href: `/registers/${enc(r.name)}` }, L(r.label))),
    h('p', null, L(r.about)),
    h('p', { class: 'row-actions' },
      buttonLink(`/registers/${enc(r.name)}`, t('reg.open'), { 'aria-label': t('reg.openNamed', { name: L(r.label) }) }),
      r.can_create ? buttonLink(`/registers/${enc(r.name)}/new`, t('reg.new'), { class: 'btn-primary', 'aria-label': t('reg.newNamed', { name: L(r.label) }) }) : null))));
}

// One register's figures: a table of the single figures, and one per breakdown.
function registerFigures(data, block) {
  const symbol = data.symbol || 'c';
  const id = `fig-${block.register}`;
  if (block.withheld) {
    return h('section', { class: 'figure-block', 'aria-labelledby': id, dataset: { register: block.register } },
      h('h3', { id }, L(block.label)),
      errorBox(new ApiError(403, { code: 'forbidden', key: block.withheld, field: 'period', params: { last: `${data.first}..${data.last}` } }),
        { title: t('reg.withheld'), label: (n) => (n === 'period' ? t('figures.period') : null) }));
  }
  const figures = block.figures || [];
  // A breakdown with nothing in it is one line: its total.
  const single = figures.filter((f) => !f.rows?.length);
  const broken = figures.filter((f) => f.rows?.length);
  return h('section', { class: 'figure-block', 'aria-labelledby': id, dataset: { register: block.register } },
    h('h3', { id }, L(block.label)),
    block.protected ? h('p', { class: 'hint' }, t('reg.protected')) : null,
    single.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data stat-table' },
      h('caption', { class: 'sr-only' }, L(block.label)),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('reg.figure')), h('th', { scope: 'col', class: 'num' }, t('reg.value')))),
      h('tbody', null, single.map((f) => h('tr', { dataset: { figure: f.id } },
        h('th', { scope: 'row' }, L(f.label)),
        h('td', { class: 'num', 'data-label': t('reg.value') }, figureCell(f.value, symbol))))))) : null,
    broken.map((f) => h('div', { class: 'stat-block', dataset: { figure: f.id } },
      h('div', { class: 'table-wrap' }, h('table', { class: 'data stat-table' },
        h('caption', { class: 'stat-caption' }, L(f.label)),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('figures.category')), h('th', { scope: 'col', class: 'num' }, t('reg.value')))),
        h('tbody', null,
          f.rows.map((r) => h('tr', null,
            h('th', { scope: 'row' }, L(r.label)),
            h('td', { class: 'num', 'data-label': t('reg.value') }, figureCell(r.value, symbol)))),
          h('tr', { class: 'row-total' }, h('th', { scope: 'row' }, t('reg.total')),
            h('td', { class: 'num', 'data-label': t('reg.value') }, figureCell(f.value, symbol)))))),
      f.multi ? h('p', { class: 'table-note' }, t('reg.multiNote')) : null)));
}

function hasHidden(data) {
  const symbol = data.symbol || 'c';
  return (data.registers || []).some((b) => (b.figures || []).some((f) => f.value === symbol || (f.rows || []).some((r) => r.value === symbol)));
}

// The legend of "c", when a figure is hidden.
function legend(data) {
  const text = L(data.legend);
  return h('p', { class: 'stat-legend' }, /[.!?]$/.test(text) ? text : `${text}.`, ' ', t('figures.kNote', { k: data.k }));
}

async function figuresSection(ctx, period, county, national) {
  let data;
  try {
    data = await get(`/prevention/figures${qs({ period, county })}`);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    data = { error: err };
  }
  const today = todayISO();
  const periodSel = selectEl('pv-period', 'period', periodOptions(today, period, { any: false }), period);
  const countySel = national ? selectEl('pv-county', 'county', await countyOptions({ value: '', label: t('reg.wholeCountry') }), county) : null;
  const form = h('form', { class: 'filters-form', novalidate: true, 'aria-label': t('reg.figuresChoose') },
    h('div', { class: 'filters-grid' },
      h('div', { class: 'field' }, h('label', { for: 'pv-period' }, t('figures.period')), periodSel),
      countySel ? h('div', { class: 'field' }, h('label', { for: 'pv-county' }, t('figures.county')), countySel) : null),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.show'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`/prevention${qs({ period: periodSel.value, county: countySel?.value })}`);
  });
  const where = national ? (county ? countyName(county) : t('reg.wholeCountry')) : countyName(ctx.user.county);
  const body = data.error
    ? errorBox(data.error, { title: t('figures.refused'), label: (n) => ({ period: t('figures.period'), county: t('figures.county') }[n] || null) })
    : h('div', { class: 'figures-grid' }, (data.registers || []).map((b) => registerFigures(data, b)));
  return section(t('reg.figures'),
    form,
    h('p', { class: 'figures-when' }, `${periodText(period)} · ${where}`),
    body,
    !data.error && hasHidden(data) ? legend(data) : null);
}

export default async function prevention(ctx) {
  const list = registerList();
  const national = isNational(ctx.user);
  const period = ctx.query.get('period') || lastEndedQuarter(todayISO());
  const county = national ? ctx.query.get('county') || '' : '';
  // Roles without figures (a case worker) see the registers only.
  const figures = seesFigures(ctx.user) ? await figuresSection(ctx, period, county, national) : null;
  return h('div', null,
    pageHeader(t('reg.title'), { sub: t('reg.sub') }),
    list.length ? cards(list) : notice(t('reg.none'), 'info'),
    figures);
}
