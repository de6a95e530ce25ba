// The user's own account: who they are, their language, their password, and — for whoever reads
// meetings — their personal calendar: a secret address (POST /me/calendar, shown once) that
// Outlook, Google Calendar or a phone subscribes to, replaced by a new one or revoked
// (DELETE /me/calendar).
import { h, uid } from '../dom.js';
import { t, lang } from '../i18n.js';
import { post, del, ApiError, Redirected } from '../api.js';
import { countyName, loadInstitutions, institutionName, labelOf, readsMeetings, serverHas } from '../session.js';
import { pageHeader, section, facts, notice, confirmDialog, errorBox } from '../ui.js';
import { makeForm } from '../form.js';
import { setLanguage } from '../app.js';

// Copies the address: the clipboard where the browser allows it, else the selected text.
async function copy(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

// The personal calendar feed. The server keeps only a hash of the secret: the address is shown
// once, when made; a new one replaces it (the old one stops answering); revoked, none answers.
function calendarSection() {
  const out = h('div', { class: 'feed-out' });
  const status = h('div', { role: 'status', class: 'feed-status' });
  let made = false;

  function show(path) {
    const id = uid('feed-url');
    const input = h('input', { id, type: 'text', class: 'feed-url', readOnly: true, value: `${location.origin}${path}`,
      autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${id}-hint` });
    input.addEventListener('focus', () => input.select());
    const copied = h('p', { class: 'feed-copied', role: 'status' });
    const copyBtn = h('button', { type: 'button', class: 'btn', onclick: async () => {
      copied.textContent = (await copy(input)) ? t('feed.copied') : t('feed.copyYourself');
    } }, t('feed.copy'));
    out.replaceChildren(h('div', { class: 'feed-box' },
      notice(t('feed.madeOnce'), 'warning'),
      h('div', { class: 'field' }, h('label', { for: id }, t('feed.address')),
        h('p', { id: `${id}-hint`, class: 'hint' }, t('feed.addressHint')),
        h('div', { class: 'feed-row' }, input, copyBtn)),
      copied,
      h('h3', { class: 'small-heading' }, t('feed.howTitle')),
      h('ul', { class: 'feed-how' },
        h('li', null, t('feed.howOutlook')),
        h('li', null, t('feed.howGoogle')),
        h('li', null, t('feed.howPhone')))));
    input.focus();
  }

  async function make() {
    if (made && !(await confirmDialog(t('feed.replaceTitle'), t('feed.replaceText'), t('feed.replace')))) return;
    status.replaceChildren();
    try {
      const res = await post('/me/calendar', {});
      made = true;
      makeBtn.textContent = t('feed.replace');
      show(res.path);
    } catch (err) {
      if (!(err instanceof Redirected)) status.replaceChildren(errorBox(err));
    }
  }

  async function revoke() {
    if (!(await confirmDialog(t('feed.revokeTitle'), t('feed.revokeText'), t('feed.revoke'), { danger: true }))) return;
    out.replaceChildren();
    try {
      await del('/me/calendar');
      made = false;
      makeBtn.textContent = t('feed.make');
      status.replaceChildren(notice(t('feed.revoked'), 'success'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) status.replaceChildren(notice(t('feed.noneToRevoke'), 'info'));
      else if (!(err instanceof Redirected)) status.replaceChildren(errorBox(err));
    }
  }

  const makeBtn = h('button', { type: 'button', class: 'btn btn-primary', onclick: make }, t('feed.make'));
  return section(t('feed.title'),
    h('p', null, t('feed.explain')),
    h('p', null, t('feed.private')),
    h('p', { class: 'hint' }, t('feed.onceHint')),
    h('div', { class: 'form-actions feed-actions' }, makeBtn,
      h('button', { type: 'button', class: 'btn', onclick: revoke }, t('feed.revoke'))),
    status,
    out);
}

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
      { name: 'new', label: t('account.newPassword'), type: 'password', required: true, minlength: 12, autocomplete: 'new-password', hint: t('user.passwordHint') },
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
      [t('user.totp'), u.totp ? t('user.totpYes') : t('user.totpNo')],
    ]),
    // Any account may add a second factor of its own; a lost one is reset by the administrator.
    u.totp ? null : section(t('account.totp'), h('p', null, t('account.totpWhy')),
      h('p', null, h('a', { href: '/enrol', class: 'btn' }, t('account.totpSetUp')))),
    readsMeetings(u) && serverHas('POST', '/me/calendar') ? calendarSection() : null,
    section(t('account.language'), langForm.el),
    section(t('account.password'), pwForm.el));
}
