// The warning before the idle timeout. The server ends a session after idle_seconds (30
// minutes) without a request of the user's own; polls sent as background requests do not count
// (api.js). This page counts the same way — every request of the user's doing resets the count —
// and two minutes before the end asks the server again (GET /session as a background request:
// idle_left; another tab may have kept the session alive) before it warns: "Your session will
// end in 2:00 — Stay signed in / Sign out". The warning is a modal alert dialog: the focus moves
// to "Stay signed in", screen readers announce it, Escape also stays. Drafts of the forms on the
// page are saved when it opens (drafts.js); when the time is up the user goes to the login page,
// which brings them back here afterwards.
import { h, uid } from './dom.js';
import { t } from './i18n.js';
import { api, setActivityHandler, ApiError } from './api.js';
import { session } from './session.js';
import { flushDrafts } from './drafts.js';

const WARN = 120;
let idleSeconds = 30 * 60;
let last = Date.now();
let timer = null;
let open = null;
let hooks = { expired: () => {}, signOut: () => {} };

// hooks: {expired() (the session has ended: to the login page), signOut()}.
export function watchIdle(callbacks) {
  hooks = callbacks;
  schedule();
}

// What the server said of the session (GET or POST /session): its idle timeout, what is left.
export function sessionTimes(data) {
  if (Number.isInteger(data?.idle_seconds) && data.idle_seconds > WARN) idleSeconds = data.idle_seconds;
  if (Number.isInteger(data?.idle_left)) last = Date.now() - (idleSeconds - data.idle_left) * 1000;
  else last = Date.now();
  schedule();
}

setActivityHandler(() => {
  last = Date.now();
  if (!open) schedule();
});

function schedule() {
  clearTimeout(timer);
  timer = null;
  if (!session.user || open) return;
  const due = last + (idleSeconds - WARN) * 1000;
  timer = setTimeout(check, Math.max(due - Date.now(), 1000));
}

// The seconds the server says are left, or null when it cannot say; 0 when the session ended.
async function askLeft() {
  try {
    const s = await api('GET', '/session', undefined, { auth: false, background: true });
    if (Number.isInteger(s?.idle_seconds) && s.idle_seconds > WARN) idleSeconds = s.idle_seconds;
    return Number.isInteger(s?.idle_left) ? s.idle_left : null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return 0;
    return null;
  }
}

async function check() {
  timer = null;
  if (!session.user || open) return;
  const epoch = session.epoch;
  let left = await askLeft();
  if (epoch !== session.epoch || open) return;
  if (left === 0) {
    hooks.expired();
    return;
  }
  if (left == null) left = Math.round(idleSeconds - (Date.now() - last) / 1000);
  if (left > WARN + 5) {
    // Kept alive elsewhere (another tab): counted from there.
    last = Date.now() - (idleSeconds - left) * 1000;
    schedule();
    return;
  }
  warn(Math.max(left, 0));
}

const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

function warn(left) {
  flushDrafts();
  const endAt = Date.now() + left * 1000;
  const titleId = uid('idle');
  const textId = uid('idle-text');
  const time = h('strong', { class: 'idle-time' }, clock(left));
  const said = h('p', { class: 'sr-only', 'aria-live': 'assertive' });
  const stay = h('button', { type: 'button', class: 'btn btn-primary', autofocus: true }, t('idle.stay'));
  const out = h('button', { type: 'button', class: 'btn' }, t('idle.signOut'));
  const err = h('p', { class: 'field-error', hidden: true });
  const dlg = h('dialog', { class: 'dialog idle-dialog', role: 'alertdialog', 'aria-labelledby': titleId, 'aria-describedby': textId },
    h('h2', { id: titleId, class: 'dialog-title' }, t('idle.title')),
    h('div', { id: textId },
      h('p', null, t('idle.endsIn'), ' ', time),
      h('p', null, t('idle.why', { minutes: Math.round(idleSeconds / 60) }))),
    said, err,
    h('div', { class: 'form-actions' }, stay, out));
  const opener = document.activeElement;
  let tick = null;
  let ending = false;

  const close = () => {
    clearInterval(tick);
    open = null;
    if (dlg.open) dlg.close();
    dlg.remove();
    if (opener && opener.isConnected) opener.focus();
  };
  const keep = async () => {
    stay.disabled = true;
    try {
      sessionTimes(await api('GET', '/session', undefined, { auth: false }));
      close();
      schedule();
    } catch (e) {
      stay.disabled = false;
      if (e instanceof ApiError && e.status === 401) {
        close();
        hooks.expired();
        return;
      }
      err.textContent = t('idle.notKept');
      err.hidden = false;
    }
  };
  // Time is up: ended, unless another tab kept the session alive meanwhile.
  const end = async () => {
    if (ending) return;
    ending = true;
    clearInterval(tick);
    const now = await askLeft();
    if (now != null && now > 0) {
      close();
      last = Date.now() - (idleSeconds - now) * 1000;
      schedule();
      return;
    }
    close();
    hooks.expired();
  };
  stay.addEventListener('click', keep);
  out.addEventListener('click', () => {
    close();
    hooks.signOut();
  });
  dlg.addEventListener('cancel', (e) => {
    e.preventDefault();
    keep();
  });
  tick = setInterval(() => {
    const s = Math.max(0, Math.round((endAt - Date.now()) / 1000));
    time.textContent = clock(s);
    if (s === 60 || s === 30) said.textContent = t('idle.endsInNow', { time: clock(s) });
    if (s === 0) end();
  }, 1000);
  open = { close };
  document.body.append(dlg);
  dlg.showModal();
  stay.focus();
}

// A tab put aside (timers slowed down) looks again when it comes back.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && session.user && !open && Date.now() >= last + (idleSeconds - WARN) * 1000) check();
});

// Forgets the warning (logout, another user).
export function stopIdle() {
  clearTimeout(timer);
  timer = null;
  open?.close();
}
