// Login: username and password; clear words for a wrong password, a locked or disabled account
// and an expired session; afterwards back to the page that was asked for.
import { h } from '../dom.js';
import { t, loadLang, lang } from '../i18n.js';
import { post, patch, ApiError } from '../api.js';
import { setSession, loadCounties, loadLabels, loadApiRoutes, loadRegisters, session } from '../session.js';
import { makeForm } from '../form.js';
import { notice } from '../ui.js';
import { safeNext } from '../app.js';

export default async function login(ctx) {
  const expired = ctx.query.get('expired') === '1';
  const next = safeNext(ctx.query.get('next'));
  const langAtStart = lang();
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
      } catch (err) {
        form.input('password').value = '';
        // A 401 without a more precise key can only mean a wrong username or password here.
        if (err instanceof ApiError && err.status === 401 && !err.key) err.key = 'wrong_credentials';
        throw err;
      }
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
      // Labels (and the routes this server answers, the registers the user reads) that fail to
      // load are asked for again by the next screen.
      await Promise.all([loadCounties(), loadLabels().catch(() => null), loadApiRoutes().catch(() => null), loadRegisters()]);
      ctx.navigate(next, { replace: true });
    },
  });
  // Remember that the language was picked here (the header button re-renders this page).
  document.querySelector('.topbar button[lang]')?.addEventListener('click', () => localStorage.setItem('nrm.lang.chosen', '1'));

  return h('div', { class: 'login' },
    h('div', { class: 'login-card' },
      h('h1', { tabindex: '-1' }, t('login.title')),
      h('p', { class: 'page-sub' }, t('login.intro')),
      expired ? notice(t('login.expired'), 'warning', { role: 'status' }) : null,
      ctx.query.get('next') && !expired ? notice(t('login.needed'), 'info') : null,
      form.el));
}
