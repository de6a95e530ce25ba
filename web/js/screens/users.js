// User accounts (administrator): who may log in, with which role, for which county or
// institution; locked and disabled accounts shown as such.
import { h } from '../dom.js';
import { t, pick } from '../i18n.js';
import { getAll, qs } from '../api.js';
import { loadCounties, countyName, loadInstitutions, institutionName, labelOf } from '../session.js';
import { pageHeader, table, buttonLink, tag } from '../ui.js';

export function userState(u) {
  if (u.disabled) return tag(t('user.disabled'), 'warning');
  if (u.locked) return tag(t('user.locked'), 'danger');
  return tag(t('user.active'), 'ok');
}

export default async function users(ctx) {
  const county = ctx.query.get('county') || '';
  const [items, counties] = await Promise.all([getAll(`/users${qs({ county })}`), loadCounties(), loadInstitutions()]);
  const select = h('select', { id: 'us-county', name: 'county' },
    h('option', { value: '' }, t('users.allCounties')),
    counties.map((c) => h('option', { value: c.slug, selected: c.slug === county }, pick(c))));
  const picker = h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    ctx.navigate(`/users${qs({ county: select.value })}`);
  } }, h('label', { for: 'us-county' }, t('users.county')), select, h('button', { type: 'submit', class: 'btn' }, t('common.show')));

  return h('div', null,
    pageHeader(t('users.title'), { sub: t('users.count', { n: items.length }), actions: [buttonLink('/users/new', t('users.new'), { class: 'btn-primary' }), buttonLink('/tokens', t('tokens.title'))] }),
    picker,
    table({
      caption: t('users.title'),
      rows: items,
      columns: [
        { label: t('user.username'), cell: (u) => h('a', { href: `/users/${u.id}` }, u.username) },
        { label: t('user.name'), cell: (u) => u.name },
        { label: t('user.role'), cell: (u) => labelOf('role', u.role) },
        { label: t('user.countyLabel'), cell: (u) => (u.county ? countyName(u.county) : '—') },
        { label: t('user.institution'), cell: (u) => (u.institution ? institutionName(u.institution, u.institution_name) : '—') },
        { label: t('user.state'), cell: userState },
      ],
    }));
}
