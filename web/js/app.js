// The shell of the nrm web UI: boot (session, language), the header with who is logged in,
// the menu for their role, and the router that puts a screen into <main>.
import { h } from './dom.js';
import { t, loadLang, lang } from './i18n.js';
import { get, patch, del, setUnauthorizedHandler, ApiError, Redirected } from './api.js';
import {
  session, setSession, loadCounties, loadLabels, labelsLoaded, loadApiRoutes, apiRoutesLoaded, loadRegisters, registersLoaded,
  countyName, scope, labelOf,
} from './session.js';
import { nav, match } from './routes.js';
import { errorBox, loading, notice, pageHeader, errorText } from './ui.js';
import { hasNotifications, notificationsLink, refreshUnread, keepCounting } from './notifications.js';
import { confirmLeave, hasUnsaved, hasUndrafted, forgetUnsaved } from './leave.js';
import { flushDrafts } from './drafts.js';
import { watchIdle, stopIdle } from './idle.js';
import { refreshCounts, paintCounts } from './queues.js';

const LANG_KEY = 'nrm.lang';
const root = document.getElementById('app');
let renderSeq = 0;
let pendingNotice = null;
let firstRender = true;
// The address of the page on screen (Back is undone while the user is asked about unsaved changes).
let shownUrl = null;

// A path inside the app (never another site) to return to after login.
export function safeNext(next) {
  if (!next || !next.startsWith('/') || next.startsWith('/login')) return '/';
  const url = new URL(next, location.origin);
  return url.origin === location.origin ? url.pathname + url.search : '/';
}

// notice: words shown above the next page (a success, or with noticeKind 'warning').
export function navigate(path, { replace = false, notice: msg = null, noticeKind = 'success' } = {}) {
  pendingNotice = msg ? { text: msg, kind: noticeKind } : null;
  history[replace ? 'replaceState' : 'pushState'](null, '', path);
  render();
}

function here() {
  return location.pathname + location.search;
}

function toLogin(expired) {
  // Several requests of one screen may each answer 401: the first one decides.
  if (location.pathname === '/login') return;
  const q = new URLSearchParams();
  const cur = here();
  if (cur !== '/') q.set('next', cur);
  if (expired) q.set('expired', '1');
  const s = q.toString();
  navigate(`/login${s ? `?${s}` : ''}`, { replace: true });
}

setUnauthorizedHandler((err) => {
  setSession(null);
  toLogin(err.code === 'session_expired');
});

// Remembered for the user on the server (and on this browser for the login page).
export async function setLanguage(next) {
  if (!(await confirmLeave())) return;
  if (session.user) {
    try {
      session.user = await patch('/me', { lang: next });
    } catch (err) {
      if (err instanceof Redirected) return;
    }
  }
  localStorage.setItem(LANG_KEY, next);
  await loadLang(next);
  render({ keepFocus: true });
}

export async function logout({ ask = true } = {}) {
  if (ask && hasUndrafted() && !(await confirmLeave())) return;
  // What the forms hold goes to their drafts before the session ends.
  await flushDrafts();
  forgetUnsaved();
  stopIdle();
  try {
    await del('/session', { auth: false });
  } catch {
    /* the session is gone either way */
  }
  setSession(null);
  navigate('/login', { replace: true, notice: t('login.loggedOut') });
}

function langButton() {
  const other = lang() === 'sq' ? 'en' : 'sq';
  return h('button', { type: 'button', class: 'btn btn-header', lang: other, onclick: () => setLanguage(other) },
    t(`lang.name.${other}`));
}

function userBox(u) {
  const where = u.county ? t('user.county', { county: countyName(u.county) })
    : scope(u) === 'national' ? t('user.national') : '';
  return h('div', { class: 'userbox' },
    h('div', { class: 'userbox-who' },
      h('a', { href: '/account', class: 'userbox-name' }, u.name),
      h('span', { class: 'userbox-role' }, [labelOf('role', u.role), where].filter(Boolean).join(' · '))),
    h('div', { class: 'userbox-actions' }, hasNotifications() ? notificationsLink() : null, langButton(),
      h('button', { type: 'button', class: 'btn btn-header', onclick: () => logout() }, t('nav.logout'))));
}

function menu(u) {
  const items = nav.filter((n) => n.show(u)).map((n) => ({ ...n, url: n.href(u) }));
  const path = location.pathname;
  // The entry whose address (or one of the others it covers, `also`) is the longest prefix of
  // this page is the current one.
  let current = null;
  let best = 0;
  for (const n of items) {
    for (const url of [n.url, ...(n.also || [])]) {
      if ((path === url || path.startsWith(`${url}/`)) && url.length > best) {
        current = n;
        best = url.length;
      }
    }
  }
  // data-label: the entry's words, to which queues.js adds the count of the queue it leads to.
  const list = h('ul', { id: 'menu-list', class: 'menu-list' }, items.map((n) => h('li', null,
    h('a', { href: n.url, 'aria-current': n === current ? 'page' : null, 'data-nav': '' }, t(n.key)))));
  const toggle = h('button', { type: 'button', class: 'btn menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'menu-list',
    onclick: () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      list.classList.toggle('open', open);
    } }, t('nav.menu'));
  return h('nav', { class: 'menu', 'aria-label': t('nav.main') }, toggle, list);
}

function shell(u) {
  const skip = h('a', { href: '#main', class: 'skip-link', onclick: (e) => {
    e.preventDefault();
    document.getElementById('main').focus();
  } }, t('nav.skip'));
  const brand = h('a', { href: '/', class: 'brand' },
    h('img', { src: '/img/emblem.svg', alt: '', width: 32, height: 32 }),
    h('span', { class: 'brand-text' }, h('span', { class: 'brand-name' }, 'NRM'),
      h('span', { class: 'brand-sub' }, t('app.name'))));
  const header = h('header', { class: 'topbar' }, h('div', { class: 'topbar-inner' }, brand,
    u ? userBox(u) : h('div', { class: 'userbox-actions' }, langButton())));
  const main = h('main', { id: 'main', tabindex: '-1' }, h('div', { id: 'flash' }), h('div', { id: 'view' }));
  const footer = h('footer', { class: 'footer' }, h('p', null, t('app.footer')));
  root.replaceChildren(...[skip, header, u && session.stage !== 'enrol' ? menu(u) : null, main, footer].filter(Boolean));
}

function statusView(titleKey, textKey, text) {
  return h('div', null, pageHeader(t(titleKey)), h('p', null, text || t(textKey)), h('p', null, h('a', { href: '/' }, t('common.backHome'))));
}

// The server's precise reason for a refusal ("your role may not see the meetings of this
// body"), when it gives one beyond the general words.
function forbiddenReason(err) {
  return err.key && !['forbidden', 'route_forbidden'].includes(err.key) ? errorText(err) : null;
}

function errorView(err) {
  if (err instanceof ApiError && err.status === 404) return statusView('error.notFoundTitle', 'error.notFoundText');
  if (err instanceof ApiError && err.status === 403) return statusView('error.forbiddenTitle', 'error.forbiddenText', forbiddenReason(err));
  console.error(err);
  return h('div', null, pageHeader(t('error.title')), errorBox(err),
    h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => render() }, t('common.retry'))));
}

export async function render({ keepFocus = false } = {}) {
  const seq = ++renderSeq;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(location.search);
  const m = match(path);
  const u = session.user;
  if ((!m || !m.route.public) && !u) return toLogin(false);
  if (path === '/login' && u) return navigate(safeNext(query.get('next')), { replace: true });
  // A session that must set up its second factor first sees only the enrolment screen.
  const enrolling = !!u && session.stage === 'enrol';
  if (enrolling && path !== '/enrol') return navigate('/enrol', { replace: true });
  const focused = keepFocus ? document.activeElement : null;
  const focusLang = focused?.hasAttribute('lang') && focused.closest('.topbar');
  // The names of roles, stages and codes come from the server, once a session (boot and login
  // load them; this covers a session that began otherwise). Without them codes show as codes.
  // So do the registers the user reads (the menu offers them).
  if (u && (!labelsLoaded() || !apiRoutesLoaded() || (!registersLoaded() && !enrolling))) {
    try {
      await Promise.all([loadLabels(), loadApiRoutes(), enrolling ? null : loadRegisters()]);
    } catch (err) {
      if (err instanceof Redirected) return;
      console.error(err);
    }
    if (seq !== renderSeq) return;
  }
  shell(u);
  // The count of unread notifications in the header and those of the queues in the menu, asked
  // again on every page (background requests: they do not keep the session alive).
  if (u && !enrolling) {
    paintCounts();
    refreshUnread();
    refreshCounts();
    keepCounting(refreshCounts);
  }
  shownUrl = here();
  const view = document.getElementById('view');
  const flash = document.getElementById('flash');
  const msg = pendingNotice;
  pendingNotice = null;
  if (msg) flash.append(notice(msg.text, msg.kind, { role: 'status' }));
  const timer = setTimeout(() => view.replaceChildren(loading()), 200);
  view.setAttribute('aria-busy', 'true');
  let node;
  try {
    if (!m) node = statusView('error.notFoundTitle', 'error.notFoundText');
    else if (m.route.allow && !m.route.allow(u)) node = statusView('error.forbiddenTitle', 'error.forbiddenText');
    else {
      const mod = await m.route.load();
      node = await mod.default({
        params: m.params, query, user: u, path, navigate,
        refresh: (text) => {
          pendingNotice = text ? { text, kind: 'success' } : null;
          return render();
        },
      });
    }
  } catch (err) {
    if (err instanceof Redirected) return;
    node = errorView(err);
  }
  clearTimeout(timer);
  if (seq !== renderSeq) return;
  view.replaceChildren(node);
  view.removeAttribute('aria-busy');
  const h1 = view.querySelector('h1');
  document.title = `${h1 ? h1.textContent : 'NRM'} — NRM`;
  if (focusLang) {
    document.querySelector('.topbar button[lang]')?.focus();
  } else if (!firstRender || msg) {
    const target = msg ? flash.firstChild : view.querySelector('[data-autofocus]') || h1;
    if (target) {
      target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }
  firstRender = false;
}

// Links inside the app change the page without reloading it.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || a.getAttribute('href').startsWith('#')) return;
  e.preventDefault();
  const to = url.pathname + url.search;
  if (!hasUnsaved()) {
    navigate(to);
    return;
  }
  confirmLeave().then((go) => {
    if (go) navigate(to);
  });
});

window.addEventListener('popstate', async () => {
  if (!hasUnsaved() || shownUrl === null || here() === shownUrl) {
    render();
    return;
  }
  // Back (or Forward) from a form with unsaved changes: the page stays until the user decides.
  history.pushState(null, '', shownUrl);
  if (await confirmLeave()) history.back();
});

// The session ended while the page was open (the idle timeout): to the login page, which comes
// back here afterwards; the forms' drafts are on the server.
watchIdle({
  expired: () => {
    setSession(null);
    toLogin(true);
  },
  signOut: () => logout({ ask: false }),
});

async function boot() {
  let expired = false;
  try {
    const data = await get('/session', { auth: false });
    setSession(data);
    await loadLang(data.user.lang);
    localStorage.setItem(LANG_KEY, data.user.lang);
    // Before its second factor is set up, a session reaches only what enrolling needs.
    if (session.stage === 'enrol') await loadLabels().catch(() => null);
    else await Promise.all([loadCounties(), loadLabels().catch(() => null), loadApiRoutes().catch(() => null), loadRegisters()]);
  } catch (err) {
    setSession(null);
    expired = err instanceof ApiError && err.code === 'session_expired';
    await loadLang(localStorage.getItem(LANG_KEY) || 'sq');
  }
  if (!session.user && location.pathname !== '/login') return toLogin(expired);
  render();
}

boot();

