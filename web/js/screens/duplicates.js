// Likely duplicates (the Responsible Authority's queue): two cases that seem to be the same
// person — the same name and birth date, or the same document. Merge them (keeping one code,
// both histories; the figures then count the person once) or dismiss the pair.
import { h, srOnly } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { get, post, qs } from '../api.js';
import { pageHeader, table, dialog, confirmDialog, tag } from '../ui.js';
import { labelOf } from '../session.js';
import { makeForm } from '../form.js';

const STATUSES = ['open', 'merged', 'dismissed'];

const caseLink = (code) => h('a', { href: `/cases/${encodeURIComponent(code)}`, class: 'case-code' }, code);

async function merge(d, ctx) {
  const [a, b] = d.cases;
  const done = await dialog(t('duplicates.mergeTitle', { a, b }), (close) => makeForm({
    fields: [
      h('p', null, t('duplicates.mergeExplain')),
      { name: 'keep', label: t('duplicates.keep'), type: 'radio', required: true, options: [{ value: a, label: a }, { value: b, label: b }] },
    ],
    submitLabel: t('duplicates.merge'),
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v) => close(await post(`/duplicates/${d.id}/merge`, { keep: v.keep })),
  }).el);
  if (done) ctx.refresh(t('duplicates.merged', { keep: done.kept, other: done.kept === a ? b : a }));
}

async function dismiss(d, ctx) {
  const [a, b] = d.cases;
  const ok = await confirmDialog(t('duplicates.dismissTitle'), t('duplicates.dismissConfirm', { a, b }), t('duplicates.dismiss'));
  if (!ok) return;
  await post(`/duplicates/${d.id}/dismiss`);
  ctx.refresh(t('duplicates.dismissed', { a, b }));
}

export default async function duplicates(ctx) {
  const status = STATUSES.includes(ctx.query.get('status')) ? ctx.query.get('status') : 'open';
  const rows = [];
  let next = null;
  const holder = h('div');
  const more = h('button', { type: 'button', class: 'btn' }, t('common.more'));
  const open = status === 'open';

  function draw() {
    holder.replaceChildren(table({
      caption: t('duplicates.title'),
      empty: t(`duplicates.none.${status}`),
      rows,
      columns: [
        { label: t('duplicates.pair'), cell: (d) => h('span', { class: 'pair' }, caseLink(d.cases[0]), h('span', { 'aria-hidden': 'true' }, ' ⇄ '), srOnly(` ${t('duplicates.and')} `), caseLink(d.cases[1])) },
        { label: t('duplicates.reason'), cell: (d) => t(`duplicates.why.${d.reason}`) },
        { label: t('duplicates.found'), cell: (d) => h('time', { datetime: d.created_at }, fmtDateTime(d.created_at)) },
        open ? { label: t('common.actions'), cell: (d) => h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => merge(d, ctx) }, t('duplicates.merge'), srOnly(` ${d.cases.join(' / ')}`)),
          h('button', { type: 'button', class: 'btn btn-small', onclick: () => dismiss(d, ctx) }, t('duplicates.dismiss'), srOnly(` ${d.cases.join(' / ')}`))) }
          : { label: t('duplicates.outcome'), cell: (d) => h('div', null, tag(labelOf('duplicate_status', d.status)), d.resolved_at ? h('span', { class: 'muted block' }, fmtDateTime(d.resolved_at)) : null) },
      ],
    }));
    more.hidden = !next;
  }
  async function load() {
    const page = await get(`/duplicates${qs({ status, limit: 50, after: next })}`);
    rows.push(...page.items);
    next = page.next;
    draw();
  }
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      await load();
    } finally {
      more.disabled = false;
    }
  });
  await load();

  const tabs = h('nav', { class: 'filters', 'aria-label': t('duplicates.filter') },
    h('ul', null, STATUSES.map((s) => h('li', null, h('a', {
      href: `/duplicates${s === 'open' ? '' : `?status=${s}`}`, 'aria-current': s === status ? 'true' : null,
    }, t(`duplicates.show.${s}`))))));
  return h('div', null,
    pageHeader(t('duplicates.title'), { sub: t('duplicates.sub') }),
    h('p', { class: 'hint' }, t('duplicates.explain')),
    tabs, holder, h('p', null, more));
}
