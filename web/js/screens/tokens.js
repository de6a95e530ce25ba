// API tokens (administrator): other systems' keys to the API. Each is an account api.CLIENT
// with a role and its county or institution, valid for some days; the token is shown once, when
// it is made, and can be revoked at any time (docs/api.md "API tokens").
import { h } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { getAll, post } from '../api.js';
import { ROLES, loadCounties, loadInstitutions, loadInstitutionTypes, labelOf, countyName, institutionName } from '../session.js';
import { pageHeader, table, section, tag, confirmDialog, breadcrumbs, notice } from '../ui.js';
import { makeForm } from '../form.js';
import { institutionOptions, showScope, scopeOf } from './user.js';

const when = (epoch) => (epoch ? fmtDateTime(epoch * 1000) : '—');

function state(k) {
  if (k.revoked_at) return tag(t('tokens.revoked'), 'warning');
  if (k.expires_at * 1000 <= Date.now()) return tag(t('tokens.expired'), 'warning');
  return tag(t('tokens.active'), 'ok');
}

// The token just made, once: to copy now into the other system's configuration.
function shown(made) {
  const field = h('input', { id: 'tk-secret', class: 'token-secret', readonly: true, value: made.token, size: 56 });
  const copy = h('button', { type: 'button', class: 'btn', onclick: async () => {
    field.select();
    try { await navigator.clipboard.writeText(made.token); copy.textContent = t('tokens.copied'); } catch { /* selected: Ctrl+C */ }
  } }, t('tokens.copy'));
  return section(t('tokens.madeTitle', { account: made.account }),
    notice(t('tokens.once'), 'warning', { role: 'status' }),
    h('label', { for: 'tk-secret' }, t('tokens.secret')), h('div', { class: 'inline-form' }, field, copy));
}

export default async function tokensScreen(ctx) {
  const [items, counties, institutions, types] = await Promise.all([
    getAll('/tokens'), loadCounties(), loadInstitutions(), loadInstitutionTypes()]);
  const countyOptions = [{ value: '', label: t('form.choose') }, ...counties.map((c) => ({ value: c.slug, label: countyName(c.slug) }))];
  const roles = Object.keys(ROLES).filter((r) => r !== 'admin');
  const made = h('div');
  const form = makeForm({
    fields: [
      { name: 'client', label: t('tokens.client'), required: true, maxlength: 48, autocomplete: 'off', hint: t('tokens.clientHint') },
      { name: 'name', label: t('tokens.name'), required: true, maxlength: 200 },
      { name: 'role', label: t('user.role'), type: 'select', required: true, value: 'caseworker',
        options: roles.map((r) => ({ value: r, label: labelOf('role', r) })) },
      { name: 'county', label: t('user.countyLabel'), type: 'select', required: true, options: countyOptions, hidden: true },
      { name: 'institution', label: t('user.institution'), type: 'select', required: true,
        options: institutionOptions(institutions, types, null) },
      { name: 'days', label: t('tokens.days'), type: 'number', required: true, value: 90, min: 1, max: 366, hint: t('tokens.daysHint') },
    ],
    submitLabel: t('tokens.create'),
    onInput: showScope,
    onSubmit: async (v) => {
      const k = await post('/tokens', { client: v.client, name: v.name, role: v.role, days: Number(v.days), ...scopeOf(v) });
      made.replaceChildren(shown(k));
      list.replaceChildren(listOf(await getAll('/tokens')));
      made.querySelector('input')?.focus();
    },
  });

  const revoke = (k) => (k.revoked_at ? null : h('button', { type: 'button', class: 'btn btn-danger btn-small', onclick: async () => {
    if (!(await confirmDialog(t('tokens.revoke'), t('tokens.revokeAsk', { name: k.name, account: k.account }), t('tokens.revoke'), { danger: true }))) return;
    await post(`/tokens/${k.id}/revoke`, {});
    ctx.navigate('/tokens', { replace: true, notice: t('tokens.wasRevoked', { account: k.account }) });
  } }, t('tokens.revoke')));

  const listOf = (rows) => table({
    caption: t('tokens.title'),
    rows,
    empty: t('tokens.none'),
    columns: [
      { label: t('tokens.name'), cell: (k) => k.name },
      { label: t('tokens.account'), cell: (k) => k.account },
      { label: t('user.role'), cell: (k) => labelOf('role', k.role) },
      { label: t('tokens.scope'), cell: (k) => (k.institution ? institutionName(k.institution, k.institution_name)
        : k.county ? countyName(k.county) : t('tokens.national')) },
      { label: t('tokens.expires'), cell: (k) => when(k.expires_at) },
      { label: t('tokens.lastUsed'), cell: (k) => when(k.last_used_at) },
      { label: t('user.state'), cell: state },
      { label: t('tokens.actions'), cell: revoke },
    ],
  });
  const list = h('div', null, listOf(items));

  return h('div', null,
    breadcrumbs([[t('users.title'), '/users'], [t('tokens.title')]]),
    pageHeader(t('tokens.title'), { sub: t('tokens.sub'), actions: [h('a', { href: '/api-docs', class: 'btn' }, t('apiDocs.title'))] }),
    made,
    list,
    section(t('tokens.new'), h('p', null, t('tokens.newHelp')), form.el));
}
