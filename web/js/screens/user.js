// Creating and changing a user account (administrator). The role decides what else is asked:
// a county for county roles, an institution for case workers, neither for national roles.
import { h } from '../dom.js';
import { t, pick, fmtDateTime } from '../i18n.js';
import { get, getAll, post, patch } from '../api.js';
import { ROLES, loadCounties, loadInstitutions, loadInstitutionTypes, labelOf } from '../session.js';
import { pageHeader, breadcrumbs, section, facts, confirmDialog, notice } from '../ui.js';
import { makeForm } from '../form.js';
import { userState } from './users.js';

// Institutions of a county (and the national ones), grouped by type for the select.
export function institutionOptions(all, types, county) {
  const groups = new Map();
  for (const i of all.values()) {
    if (!i.active || (county && i.county && i.county !== county)) continue;
    if (!groups.has(i.type)) groups.set(i.type, []);
    groups.get(i.type).push({ value: i.id, label: pick(i) });
  }
  const typeName = (code) => pick(types.find((x) => x.code === code), 'name') || code;
  return [{ value: '', label: t('form.choose') },
    ...[...groups].sort((a, b) => typeName(a[0]).localeCompare(typeName(b[0])))
      .map(([code, options]) => ({ group: typeName(code), options: options.sort((a, b) => a.label.localeCompare(b.label)) }))];
}

// The role decides what else the form asks: a county for county roles, an institution for case
// workers (a form's onInput); and what it sends.
export function showScope(v, f) {
  const sc = ROLES[v.role] || ROLES[f.input('role').value];
  f.show('county', sc === 'county');
  f.show('institution', sc === 'institution');
}
export function scopeOf(v) {
  const sc = ROLES[v.role];
  return { county: sc === 'county' ? v.county : null, institution: sc === 'institution' ? Number(v.institution) : null };
}

export default async function userScreen(ctx) {
  const id = ctx.params.id;
  const [u, counties, institutions, types, persons] = await Promise.all([
    id ? get(`/users/${encodeURIComponent(id)}`) : null, loadCounties(), loadInstitutions(), loadInstitutionTypes(),
    getAll('/persons').catch(() => [])]);
  const role = u?.role || 'county_secretariat';
  const countyOptions = [{ value: '', label: t('form.choose') }, ...counties.map((c) => ({ value: c.slug, label: pick(c) }))];
  const fields = [];
  if (!u) fields.push({ name: 'username', label: t('user.username'), required: true, maxlength: 64, autocomplete: 'off', hint: t('user.usernameHint') });
  fields.push(
    { name: 'name', label: t('user.name'), required: true, maxlength: 200, value: u?.name },
    { name: 'role', label: t('user.role'), type: 'select', required: true, value: role,
      options: Object.keys(ROLES).map((r) => ({ value: r, label: labelOf('role', r) })) },
    { name: 'county', label: t('user.countyLabel'), type: 'select', required: true, value: u?.county || '', options: countyOptions,
      hidden: ROLES[role] !== 'county' },
    { name: 'institution', label: t('user.institution'), type: 'select', required: true, value: u?.institution || '',
      options: institutionOptions(institutions, types, u?.county), hidden: ROLES[role] !== 'institution' },
    // The person of the registry the account belongs to: a member approves their body's reports
    // in person through it (the seat they hold).
    { name: 'person', label: t('user.person'), type: 'select', value: u?.person || '', hint: t('user.personHint'),
      options: [{ value: '', label: t('user.noPerson') },
        ...persons.map((p) => ({ value: p.id, label: p.institution_name ? `${p.name} (${p.institution_name})` : p.name }))
          .sort((a, b) => a.label.localeCompare(b.label))] },
    { name: 'password', label: u ? t('user.newPassword') : t('user.password'), type: 'password', required: !u,
      minlength: 12, autocomplete: 'new-password', hint: t('user.passwordHint') },
  );
  if (u) fields.push({ name: 'disabled', label: t('user.disableLabel'), type: 'checkbox', value: u.disabled });

  const form = makeForm({
    fields,
    submitLabel: u ? t('common.save') : t('users.create'),
    actions: [h('a', { href: '/users', class: 'btn' }, t('common.cancel'))],
    onInput: showScope,
    onSubmit: async (v) => {
      const body = { name: v.name, role: v.role, ...scopeOf(v), person: v.person ? Number(v.person) : null };
      if (v.password) body.password = v.password;
      if (u) {
        body.disabled = !!v.disabled;
        const saved = await patch(`/users/${u.id}`, body);
        ctx.navigate(`/users/${saved.id}`, { replace: true, notice: t('user.saved', { name: saved.username }) });
      } else {
        body.username = v.username;
        const saved = await post('/users', body);
        ctx.navigate(`/users/${saved.id}`, { replace: true, notice: t('user.created', { name: saved.username }) });
      }
    },
  });

  // The second factor of an account that lost its phone and its recovery codes: forgotten, so
  // that the user sets up a new one at the next login (POST /users/{id}/totp-reset, audited).
  const reset = u?.totp ? section(t('user.totpTitle'),
    h('p', null, t('user.totpOn')),
    h('button', { type: 'button', class: 'btn btn-danger', onclick: async () => {
      if (!(await confirmDialog(t('user.totpReset'), t('user.totpResetAsk', { name: u.username }), t('user.totpReset'), { danger: true }))) return;
      await post(`/users/${u.id}/totp-reset`, {});
      ctx.navigate(`/users/${u.id}`, { replace: true, notice: t('user.totpWasReset', { name: u.username }) });
    } }, t('user.totpReset'))) : null;
  const title = u ? u.username : t('users.new');
  return h('div', null,
    breadcrumbs([[t('users.title'), '/users'], [title]]),
    pageHeader(title, { sub: u ? u.name : null }),
    u ? facts([
      [t('user.state'), userState(u)],
      [t('user.createdAt'), fmtDateTime(u.created_at)],
      [t('user.lang'), t(`lang.name.${u.lang}`)],
      [t('user.totp'), u.totp ? t('user.totpYes') : u.totp_required ? t('user.totpDue') : t('user.totpNo')],
    ]) : null,
    // Another system's account is its token's: managed there, not here.
    u?.api_client ? notice(t('user.apiClient'), 'info', { role: 'status' }) : section(u ? t('user.edit') : t('user.details'), form.el),
    u?.api_client ? h('p', null, h('a', { href: '/tokens', class: 'btn' }, t('tokens.title'))) : reset);
}
