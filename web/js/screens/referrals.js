// The institution's referrals (Instruction 132 §4): what others sent to it (accept, or decline
// with a note) and what it sent, with how long the answer took or has been awaited.
import { h, srOnly } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { get, post } from '../api.js';
import { loadInstitutions, institutionName } from '../session.js';
import { pageHeader, table, dialog, confirmDialog } from '../ui.js';
import { makeForm } from '../form.js';
import { loadCaseForm, fieldLabel, codeLabel } from '../cases.js';
import { referralStatus } from './case.js';

const DIRECTIONS = ['in', 'out'];

async function accept(r, ctx) {
  const whole = !r.service;
  const ok = await confirmDialog(t('referral.acceptTitle', { code: r.case_code }),
    whole ? t('referral.acceptWhole') : t('referral.acceptService'), t('referral.accept'));
  if (!ok) return;
  await post(`/referrals/${r.id}/accept`, {});
  ctx.refresh(t('referral.accepted', { code: r.case_code }));
}

async function decline(r, ctx) {
  const done = await dialog(t('referral.declineTitle', { code: r.case_code }), (close) => makeForm({
    fields: [{ name: 'note', label: t('referral.note'), type: 'textarea', required: true, maxlength: 2000, hint: t('referral.noteHint'), autofocus: true }],
    submitLabel: t('referral.decline'),
    danger: true,
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v) => close(await post(`/referrals/${r.id}/decline`, { note: v.note })),
  }).el);
  if (done) ctx.refresh(t('referral.declined', { code: r.case_code }));
}

export default async function referrals(ctx) {
  const direction = DIRECTIONS.includes(ctx.query.get('direction')) ? ctx.query.get('direction') : 'in';
  const [def, data] = await Promise.all([loadCaseForm(), get(`/referrals?direction=${direction}`), loadInstitutions()]);
  const items = data.items;
  const inbox = direction === 'in';
  const pending = items.filter((r) => r.status === 'pending').length;

  const tabs = h('nav', { class: 'filters', 'aria-label': t('referrals.direction') },
    h('ul', null, DIRECTIONS.map((d) => h('li', null, h('a', {
      href: d === 'in' ? '/referrals' : '/referrals?direction=out',
      'aria-current': d === direction ? 'true' : null,
    }, t(`referrals.${d}`))))));

  return h('div', null,
    pageHeader(t('referrals.title'), { sub: institutionName(ctx.user.institution, ctx.user.institution_name) }),
    h('p', { class: 'hint' }, t('referrals.explain')),
    tabs,
    inbox && pending ? h('p', { class: 'notice notice-info' }, t('referrals.pending', { n: pending })) : null,
    table({
      caption: t(`referrals.${direction}`),
      empty: inbox ? t('referrals.noneIn') : t('referrals.noneOut'),
      rows: items,
      columns: [
        { label: t('case.code'), cell: (r) => h('a', { href: `/cases/${encodeURIComponent(r.case_code)}`, class: 'case-code' }, r.case_code) },
        inbox ? { label: t('referral.from'), cell: (r) => institutionName(r.from_institution, r.from_name) }
          : { label: t('referral.to'), cell: (r) => institutionName(r.to_institution, r.to_name) },
        { label: t('referral.service'), cell: (r) => (r.service ? codeLabel(def, 'assistance_service', r.service) : t('referral.wholeCase')) },
        { label: t('referral.reason'), cell: (r) => r.reason },
        { label: t('referral.fields'), cell: (r) => (r.fields?.length ? r.fields.map((n) => fieldLabel(def, n)).join(', ') : '—') },
        { label: t('referral.sent'), cell: (r) => h('time', { datetime: r.created_at }, fmtDateTime(r.created_at)) },
        { label: t('referral.state'), cell: (r) => h('div', null, referralStatus(r), r.response_note ? h('span', { class: 'block' }, r.response_note) : null) },
        ...(inbox ? [{ label: t('common.actions'), cell: (r) => (r.status !== 'pending' ? '—' : h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => accept(r, ctx) }, t('referral.accept'), srOnly(` ${r.case_code}`)),
          h('button', { type: 'button', class: 'btn btn-small', onclick: () => decline(r, ctx) }, t('referral.decline'), srOnly(` ${r.case_code}`)))) }] : []),
      ],
    }));
}
