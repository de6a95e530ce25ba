// The user's own account: who they are, their language, their password.
import { h } from '../dom.js';
import { t, lang } from '../i18n.js';
import { post } from '../api.js';
import { countyName, loadInstitutions, institutionName, labelOf } from '../session.js';
import { pageHeader, section, facts } from '../ui.js';
import { makeForm } from '../form.js';
import { setLanguage } from '../app.js';

export default async function account(ctx) {
  const u = ctx.user;
  await loadInstitutions();
  const langForm = makeForm({
    fields: [{ name: 'lang', label: t('account.chooseLanguage'), type: 'radio', value: lang(),
      options: [{ value: 'sq', label: t('lang.name.sq') }, { value: 'en', label: t('lang.name.en') }] }],
    submitLabel: t('common.save'),
    onSubmit: async (v) => setLanguage(v.lang),
  });
  const pwForm = makeForm({
    fields: [
      { name: 'current', label: t('account.currentPassword'), type: 'password', required: true, autocomplete: 'current-password' },
      { name: 'new', label: t('account.newPassword'), type: 'password', required: true, minlength: 8, autocomplete: 'new-password', hint: t('user.passwordHint') },
      { name: 'repeat', label: t('account.repeatPassword'), type: 'password', required: true, autocomplete: 'new-password' },
    ],
    submitLabel: t('account.changePassword'),
    onSubmit: async (v, f) => {
      if (v.new !== v.repeat) {
        f.showErrors([['repeat', t('account.mismatch')]]);
        return;
      }
      await post('/me/password', { current: v.current, new: v.new });
      ctx.refresh(t('account.passwordChanged'));
    },
  });
  return h('div', null,
    pageHeader(t('account.title'), { sub: u.name }),
    facts([
      [t('user.username'), u.username],
      [t('user.role'), labelOf('role', u.role)],
      [t('user.countyLabel'), u.county ? countyName(u.county) : '—'],
      [t('user.institution'), u.institution ? institutionName(u.institution, u.institution_name) : '—'],
    ]),
    section(t('account.language'), langForm.el),
    section(t('account.password'), pwForm.el));
}
