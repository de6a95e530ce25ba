// Setting up the second factor: the server makes a secret and draws its QR code itself (no
// outside service sees it); the user scans it with an authenticator app, or types the key, and
// confirms with the app's code; then the recovery codes are shown once, to keep on paper. For a
// role that reads personal data this is the only screen until it is done.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { post, ApiError } from '../api.js';
import { session, loadCounties, loadLabels, loadApiRoutes, loadRegisters } from '../session.js';
import { pageHeader, section, notice } from '../ui.js';
import { makeForm } from '../form.js';

// The key in groups of four, as the apps show it.
const grouped = (secret) => secret.replace(/(.{4})/g, '$1 ').trim();

export default async function enrol(ctx) {
  let begun;
  try {
    begun = await post('/me/totp', {});
  } catch (err) {
    if (err instanceof ApiError && err.key === 'totp_enrolled') {
      return h('div', null, pageHeader(t('enrol.title')), notice(t('enrol.already'), 'info'),
        h('p', null, h('a', { href: '/' }, t('common.backHome'))));
    }
    throw err;
  }
  const view = h('div');

  function showCodes(codes) {
    const done = h('button', { type: 'button', class: 'btn btn-primary', 'data-autofocus': '',
      onclick: async () => {
        session.stage = 'full';
        if (session.user) session.user.totp = true;
        await Promise.all([loadCounties(), loadLabels().catch(() => null), loadApiRoutes().catch(() => null), loadRegisters()]);
        ctx.navigate('/', { replace: true, notice: t('enrol.done') });
      } }, t('enrol.saved'));
    view.replaceChildren(
      pageHeader(t('enrol.codesTitle')),
      notice(t('enrol.codesOnce'), 'warning', { role: 'status' }),
      h('ol', { class: 'recovery-codes', 'aria-label': t('enrol.codesTitle') },
        codes.map((c) => h('li', null, h('code', null, c)))),
      h('p', null, done));
    done.focus();
  }

  const form = makeForm({
    fields: [{ name: 'code', label: t('enrol.code'), required: true, autocomplete: 'one-time-code', inputmode: 'numeric',
      maxlength: 6, noOptional: true, hint: t('enrol.codeHint') }],
    submitLabel: t('enrol.confirm'),
    onSubmit: async (v) => {
      const out = await post('/me/totp/confirm', { code: v.code.trim() });
      showCodes(out.recovery_codes);
    },
  });

  view.replaceChildren(
    pageHeader(t('enrol.title'), { sub: session.user?.totp_required ? t('enrol.required') : null }),
    section(t('enrol.step1'),
      h('p', null, t('enrol.app')),
      h('img', { class: 'totp-qr', src: begun.qr, width: 240, height: 240, alt: t('enrol.qrAlt') }),
      h('p', null, t('enrol.typeKey'), ' ', h('code', { class: 'totp-key' }, grouped(begun.secret)))),
    section(t('enrol.step2'), form.el));
  return view;
}
