// The data-protection officer's unusual patterns of the trail (data/oversight/rules.json): one
// user reading many cases in a day, reads after hours or outside one's own county, failed
// logins, exports of personal data, reasons repeated or very short. Each names a user and a
// count and links to the trail narrowed to it; none names a person.
import { h } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { get, qs } from '../api.js';
import { pageHeader, table, tag, breadcrumbs } from '../ui.js';

const SPANS = [7, 30, 90];

export default async function auditPatterns(ctx) {
  const asked = Number(ctx.query.get('days'));
  const days = SPANS.includes(asked) ? asked : 30;
  const page = await get(`/audit/patterns${qs({ days })}`);
  const select = h('select', { id: 'ap-days', name: 'days' },
    SPANS.map((d) => h('option', { value: d, selected: d === days }, t('audit.patterns.days', { n: d }))));
  const picker = h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    ctx.navigate(`/audit/patterns${qs({ days: select.value })}`);
  } }, h('label', { for: 'ap-days' }, t('audit.patterns.span')), select, h('button', { type: 'submit', class: 'btn' }, t('common.show')));
  return h('div', null,
    breadcrumbs([[t('audit.title'), '/audit'], [t('audit.patterns.title')]]),
    pageHeader(t('audit.patterns.title'), { sub: t('audit.patterns.sub') }),
    picker,
    table({
      caption: t('audit.patterns.title'),
      empty: t('audit.patterns.none'),
      rows: page.items,
      columns: [
        { label: t('audit.patterns.date'), cell: (p) => h('time', { datetime: p.date }, fmtDate(p.date)) },
        { label: t('audit.user'), cell: (p) => p.user },
        { label: t('audit.patterns.what'), cell: (p) => [t(`home.note.${p.pattern}`), p.flag === 'urgent' ? [' ', tag(t('audit.patterns.urgent'), 'danger')] : null] },
        { label: t('audit.patterns.count'), cell: (p) => (p.usual != null ? t('audit.patterns.countUsual', { n: p.count, usual: p.usual }) : String(p.count)) },
        { label: t('audit.patterns.trail'), cell: (p) => h('a', { href: p.href }, t('audit.patterns.open')) },
      ],
    }));
}
