// Login: username and password, then — for an account with a second factor — the code of the
// authenticator app or a recovery code; clear words for a wrong password, a login slowed after
// failures, a disabled account and an expired session; afterwards back to the page that was
// asked for, with a warning when someone failed to log in to the account since the last time
// (or, for an account that must set up its second factor, to the enrolment screen).
import { h } from '../dom.js';
import { t, tn, loadLang, lang, fmtDateTime } from '../i18n.js';
import { post, patch, setCsrf, ApiError } from '../api.js';
import { errorText } from '../errors.js';
import { setSession, loadCounties, loadLabels, loadApiRoutes, loadRegisters, session } from '../session.js';
import { makeForm } from '../form.js';
import { notice } from '../ui.js';
import { safeNext } from '../app.js';

// The warning of failed logins since the last one: how many, when and from where the last was.
export function failedNotice(failed) {
  if (!failed?.count) return null;
  const last = failed.items?.[0];
  return tn('login.failedSince', failed.count, { count: failed.count, when: fmtDateTime(last?.at), addr: last?.addr || '' });
}

export default async function login(ctx) {
  const expired = ctx.query.get('expired') === '1';
  const next = safeNext(ctx.query.get('next'));
  const langAtStart = lang();
  const card = h('div', { class: 'login-card' });

  // A login that is complete: the session, the user's language, what every screen needs.
  async function complete(data) {
    setSession(data);
    // A language chosen on this page wins and is remembered for the user; otherwise theirs.
    const chosen = lang() !== langAtStart || localStorage.getItem('nrm.lang.chosen') === '1';
    if (chosen && data.user.lang !== lang()) {
      session.user = await patch('/me', { lang: lang() });
    } else {
      await loadLang(data.user.lang);
    }
    localStorage.setItem('nrm.lang', lang());
    localStorage.removeItem('nrm.lang.chosen');
    const warn = failedNotice(data.failed_logins);
    if (data.stage === 'enrol') {
      await loadLabels().catch(() => null);
      ctx.navigate('/enrol', { replace: true, notice: warn, noticeKind: 'warning' });
      return;
    }
    // Labels (and the routes this server answers, the registers the user reads) that fail to
    // load are asked for again by the next screen.
    await Promise.all([loadCounties(), loadLabels().catch(() => null), loadApiRoutes().catch(() => null), loadRegisters()]);
    ctx.navigate(next, { replace: true, notice: warn, noticeKind: 'warning' });
  }

  // The second step: the code of the authenticator app, or (a lost phone) a recovery code.
  function secondStep(recovery = false) {
    const field = recovery
      ? { name: 'recovery_code', label: t('login.recoveryCode'), required: true, autocomplete: 'off', maxlength: 40,
        noOptional: true, autofocus: true, hint: t('login.recoveryHint') }
      : { name: 'code', label: t('login.code'), required: true, autocomplete: 'one-time-code', inputmode: 'numeric',
        maxlength: 6, noOptional: true, autofocus: true, hint: t('login.codeHint') };
    const other = h('button', { type: 'button', class: 'btn', onclick: () => secondStep(!recovery) },
      recovery ? t('login.useCode') : t('login.useRecovery'));
    const form = makeForm({
      fields: [field],
      submitLabel: t('login.verify'),
      actions: [other],
      onSubmit: async (v) => {
        let data;
        try {
          data = await post('/session/code', recovery ? { recovery_code: v.recovery_code.trim() } : { code: v.code.trim() },
            { auth: false });
        } catch (err) {
          form.input(field.name).value = '';
          // Too many wrong codes, or the first step timed out: the password again.
          if (err instanceof ApiError && err.status === 401 && !['totp_code_wrong', 'totp_code_used', 'recovery_code_wrong'].includes(err.key)) {
            firstStep(err);
            return;
          }
          throw err;
        }
        await complete(data);
      },
    });
    card.replaceChildren(
      h('h1', { tabindex: '-1' }, t('login.secondTitle')),
      h('p', { class: 'page-sub' }, t('login.secondIntro')),
      form.el);
    card.querySelector('[data-autofocus]')?.focus();
  }

  function firstStep(err) {
    const form = makeForm({
      fields: [
        { name: 'username', label: t('login.username'), required: true, autocomplete: 'username', noOptional: true },
        { name: 'password', label: t('login.password'), type: 'password', required: true, autocomplete: 'current-password' },
      ],
      submitLabel: t('login.submit'),
      onSubmit: async (v) => {
        let data;
        try {
          data = await post('/session', { username: v.username, password: v.password }, { auth: false });
        } catch (e) {
          form.input('password').value = '';
          // A 401 without a more precise key can only mean a wrong username or password here.
          if (e instanceof ApiError && e.status === 401 && !e.key) e.key = 'wrong_credentials';
          throw e;
        }
        if (data.stage === 'code') {
          setSession(null);
          // The first step's CSRF token carries the second.
          setCsrf(data.csrf);
          secondStep(false);
          return;
        }
        await complete(data);
      },
    });
    card.replaceChildren(
      h('h1', { tabindex: '-1' }, t('login.title')),
      h('p', { class: 'page-sub' }, t('login.intro')),
      err ? notice(errorText(err), 'warning', { role: 'alert' }) : null,
      expired && !err ? notice(t('login.expired'), 'warning', { role: 'status' }) : null,
      ctx.query.get('next') && !expired && !err ? notice(t('login.needed'), 'info') : null,
      form.el);
    if (err) card.querySelector('h1')?.focus();
  }

  // Remember that the language was picked here (the header button re-renders this page).
  document.querySelector('.topbar button[lang]')?.addEventListener('click', () => localStorage.setItem('nrm.lang.chosen', '1'));
  firstStep(null);
  return h('div', { class: 'login' }, card);
}
