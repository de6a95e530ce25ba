// The audit trail (auditor / data-protection officer and administrator): who did what, when,
// newest first, a page at a time.
import { h } from '../dom.js';
import { t, fmtDateTime, has } from '../i18n.js';
import { get, qs } from '../api.js';
import { pageHeader, table, onMore } from '../ui.js';

const ENTITIES = ['user', 'nomination', 'person', 'guest', 'body', 'seat', 'institution', 'agreement', 'meeting', 'case', 'referral', 'duplicate', 'database'];

// The reasons the server itself writes are translated; a person's own words stay as written.
function reason(text) {
  if (!text) return '—';
  const key = `audit.why.${text.replace(/\s+/g, '_')}`;
  return has(key) ? t(key) : text;
}

export default async function audit(ctx) {
  const entity = ENTITIES.includes(ctx.query.get('entity')) ? ctx.query.get('entity') : '';
  const rows = [];
  let next = null;
  const holder = h('div');
  const more = h('button', { type: 'button', class: 'btn' }, t('common.more'));

  function draw() {
    holder.replaceChildren(table({
      caption: t('audit.title'),
      empty: t('audit.none'),
      rows,
      columns: [
        { label: t('audit.time'), cell: (r) => h('time', { datetime: r.ts }, fmtDateTime(r.ts)) },
        { label: t('audit.user'), cell: (r) => r.username || t('audit.system') },
        { label: t('audit.action'), cell: (r) => (has(`audit.action.${r.action}`) ? t(`audit.action.${r.action}`) : r.action) },
        { label: t('audit.entity'), cell: (r) => `${has(`audit.entity.${r.entity}`) ? t(`audit.entity.${r.entity}`) : r.entity}${r.entity_id ? ` #${r.entity_id}` : ''}` },
        { label: t('audit.reason'), cell: (r) => reason(r.reason) },
      ],
    }));
    more.hidden = !next;
  }
  async function load() {
    const page = await get(`/audit${qs({ entity, limit: 50, after: next })}`);
    rows.push(...page.items);
    next = page.next;
    draw();
  }
  onMore(more, holder, load, () => rows.length);
  await load();

  const select = h('select', { id: 'au-entity', name: 'entity' },
    h('option', { value: '' }, t('audit.allEntities')),
    ENTITIES.map((e) => h('option', { value: e, selected: e === entity }, t(`audit.entity.${e}`))));
  const picker = h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    ctx.navigate(`/audit${qs({ entity: select.value })}`);
  } }, h('label', { for: 'au-entity' }, t('audit.entity')), select, h('button', { type: 'submit', class: 'btn' }, t('common.show')));

  return h('div', null, pageHeader(t('audit.title'), { sub: t('audit.sub') }), picker, holder, h('p', null, more));
}
