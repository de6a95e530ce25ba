// Notifications inside nrm (GET /notifications): the notice of a meeting, its change and its
// cancellation, for the users of the body (data/org/bodies.json notify_roles). The header shows
// every signed-in user how many are unread, on every page; opening one — or the meeting it is
// about — marks it read (POST /notifications/{id}/read).
import { h, srOnly } from './dom.js';
import { t, tn, fmtDate } from './i18n.js';
import { get, post } from './api.js';
import { session, serverHas } from './session.js';

let unread = [];
let seq = 0;
let pending = null;
let epoch = -1;

export function hasNotifications() {
  return serverHas('GET', '/notifications');
}

// The count is the signed-in user's: forgotten when someone else logs in.
function mine() {
  if (epoch !== session.epoch) {
    epoch = session.epoch;
    unread = [];
    pending = null;
  }
  return unread;
}

// The header's link with the count, redrawn wherever it stands.
function fill(a) {
  const n = mine().length;
  a.replaceChildren(t('notifications.title'));
  if (n) a.append(' ', h('span', { class: 'notif-count', 'aria-hidden': 'true' }, String(n)), srOnly(` (${tn('notifications.unreadCount', n)})`));
  a.classList.toggle('has-unread', n > 0);
}

function paint() {
  for (const a of document.querySelectorAll('a.notif-link')) fill(a);
}

export function notificationsLink() {
  const a = h('a', { href: '/notifications', class: 'btn btn-header notif-link' });
  fill(a);
  return a;
}

// Asks the server again (every page does, and a page left open every minute); the answer of the
// latest request wins. A session that has ended is not the count's to report: the next page does.
export function refreshUnread() {
  if (!session.user || !hasNotifications()) return Promise.resolve(unread);
  mine();
  const asked = ++seq;
  const by = session.epoch;
  const counted = (page) => {
    if (asked === seq && by === session.epoch) {
      unread = page.items || [];
      paint();
    }
    return unread;
  };
  // A failed count waits for the next page (a lost session is the shell's business).
  pending = get('/notifications?unread=1', { auth: false }).then(counted, () => unread);
  return pending;
}

export async function markRead(id) {
  await post(`/notifications/${encodeURIComponent(id)}/read`, {});
  unread = unread.filter((n) => n.id !== id);
  paint();
}

// What was opened has been seen: the unread notifications about this meeting are marked read.
export async function markSeen(entity, id) {
  if (!session.user || !hasNotifications()) return;
  mine();
  if (pending) await pending;
  const seen = unread.filter((n) => n.entity === entity && n.entity_id === id);
  try {
    for (const n of seen) await markRead(n.id);
  } catch {
    /* marked on the next visit */
  }
}

// Where a notification leads (a meeting), or null.
export function notificationHref(n) {
  return n.entity === 'meeting' && n.entity_id ? `/meetings/${encodeURIComponent(n.entity_id)}` : null;
}

// "Mbledhja e 01.12.2026, ora 10:00".
export function notificationSubject(n) {
  const p = n.params || {};
  if (n.entity !== 'meeting') return t('notifications.other');
  return p.time ? t('notifications.meetingAt', { date: fmtDate(p.date), time: p.time }) : t('notifications.meeting', { date: fmtDate(p.date) });
}

const EVERY = 60 * 1000;
let timer = null;

export function keepCounting() {
  if (timer) return;
  timer = setInterval(() => {
    if (document.visibilityState === 'visible') refreshUnread();
  }, EVERY);
}
