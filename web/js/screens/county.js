// A county: its bodies (KRAT, Technical Table, secretariat, municipal groups) with their seats'
// state, the seats whose nomination is overdue, and its municipalities.
import { h } from '../dom.js';
import { t, pick, fmtDate, fmtNumber, tn } from '../i18n.js';
import { get, post } from '../api.js';
import { scope, labelOf } from '../session.js';
import { pageHeader, breadcrumbs, section, table, summaryStats, fillBar, buttonLink, dialog } from '../ui.js';
import { makeForm } from '../form.js';

export function bodyRows(bodies) {
  return table({
    caption: t('bodies.title'),
    rows: bodies,
    columns: [
      { label: t('body.name'), cell: (b) => h('a', { href: `/bodies/${b.id}` }, pick(b)) },
      { label: t('body.kind'), cell: (b) => labelOf('kind', b.kind) },
      { label: t('summary.seats'), class: 'num', cell: (b) => fmtNumber(b.summary.seats) },
      { label: t('summary.filledShare'), cell: (b) => fillBar(b.summary.filled, b.summary.seats) },
      { label: t('summary.vacant'), class: 'num', cell: (b) => fmtNumber(b.summary.vacant) },
      { label: t('summary.overdue'), class: 'num', cell: (b) => h('span', { class: b.summary.overdue ? 'count-overdue' : null }, fmtNumber(b.summary.overdue)) },
    ],
  });
}

export function overdueRows(items) {
  return table({
    caption: t('overdue.title'),
    empty: t('overdue.none'),
    rows: items,
    columns: [
      { label: t('seat.label'), cell: (s) => h('a', { href: `/seats/${s.seat}` }, pick(s, 'label')) },
      { label: t('body.name'), cell: (s) => pick(s, 'body_name') },
      { label: t('seat.deadline'), cell: (s) => fmtDate(s.deadline) },
      { label: t('seat.daysOverdue'), class: 'num', cell: (s) => tn('unit.days', s.days_overdue) },
    ],
  });
}

async function addGroup(county, ctx) {
  const done = await dialog(t('county.addGroup'), (close) => {
    const f = makeForm({
      fields: [
        { name: 'municipality', label: t('county.municipality'), type: 'select', required: true,
          options: [{ value: '', label: t('form.choose') }, ...county.municipalities.map((m) => ({ value: m.slug, label: m.name }))] },
        { name: 'established', label: t('body.established'), type: 'date' },
      ],
      submitLabel: t('county.addGroupSubmit'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v) => close(await post('/bodies', { kind: 'municipal_group', municipality: v.municipality, established: v.established || undefined })),
    });
    return f.el;
  });
  if (done) ctx.navigate(`/bodies/${done.id}`, { notice: t('county.groupAdded') });
}

export default async function county(ctx) {
  const slug = ctx.params.slug;
  const [c, overdue] = await Promise.all([get(`/counties/${encodeURIComponent(slug)}`), get(`/nominations/overdue?county=${encodeURIComponent(slug)}`)]);
  const name = pick(c);
  const actions = [];
  if (scope(ctx.user) !== 'institution') actions.push(buttonLink(`/agreements?county=${c.slug}`, t('county.agreements')));
  if (c.can_edit) actions.push(h('button', { type: 'button', class: 'btn btn-primary', onclick: () => addGroup(c, ctx) }, t('county.addGroup')));
  return h('div', null,
    breadcrumbs([[t('nav.counties'), '/counties'], [name]]),
    pageHeader(t('county.title', { name }), { sub: `${c.iso} · ${tn('county.municipalityCount', c.municipalities.length)}`, actions }),
    summaryStats(c.summary),
    section(t('bodies.title'), bodyRows(c.bodies)),
    section(t('overdue.titleCounty', { name }), h('p', { class: 'hint' }, t('overdue.explain')), overdueRows(overdue.items)),
    section(t('county.municipalities'),
      h('ul', { class: 'inline-list' }, c.municipalities.map((m) => h('li', null, m.name)))));
}
