// Notifications inside nrm (GET /notifications): the notice of a meeting, its change and its
// cancellation, for the users of the body (data/org/bodies.json notify_roles); a case referred
// to the user's institution and the answer to one it sent; a task assigned or overdue; a report
// to approve or returned; a nomination due. The header shows every signed-in user how many are
// unread, on every page; opening one — or the meeting it is about — marks it read
// (POST /notifications/{id}/read), or all at once (POST /notifications/read-all).
import { h, srOnly } from './dom.js';
import { t, tn, has, lang, fmtDate } from './i18n.js';
import { get, post } from './api.js';
import { session, serverHas, hasLabel, labelOf } from './session.js';

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
  pending = get('/notifications?unread=1', { auth: false, background: true }).then(counted, () => unread);
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

const enc = encodeURIComponent;

// Where a notification leads, or null: a new referral to the inbox where it is answered, the
// answer to the case, a task, a report, a seat, a meeting.
export function notificationHref(n) {
  const id = n.entity_id;
  if (id == null || id === '') return null;
  if (n.kind === 'referral_new') return '/referrals';
  switch (n.entity) {
    case 'meeting': return `/meetings/${enc(id)}`;
    case 'case': return `/cases/${enc(n.params?.code || id)}`;
    case 'task': return `/tasks/${enc(id)}`;
    case 'report': return `/reports/${enc(id)}`;
    case 'seat': return `/seats/${enc(id)}`;
    default: return null;
  }
}

// What it is about, in a line: "Mbledhja e 01.12.2026, ora 10:00", "Rasti TR-2026-0042 ju
// referohet nga ...". Never a person's name: the server sends codes and titles only.
export function notificationSubject(n) {
  const p = n.params || {};
  const en = lang() === 'en';
  // A report is named by its type's label in both languages (older notices: its title).
  const reportTitle = (p.label && typeof p.label === 'object' ? p.label[lang()] || p.label.sq || p.label.en : null) || p.title || '';
  switch (n.kind) {
    case 'referral_new':
      return t(p.service ? 'notifications.referralNewService' : 'notifications.referralNew', { code: p.code || '', from: p.from || '' });
    case 'referral_answered':
      return t(p.response === 'declined' ? 'notifications.referralDeclined' : 'notifications.referralAccepted', { code: p.code || '', to: p.to || '' });
    case 'task_assigned':
      return t('notifications.taskAssigned', { title: p.title || '', due: fmtDate(p.due) });
    case 'task_overdue':
      return t('notifications.taskOverdue', { title: p.title || '', due: fmtDate(p.due) });
    case 'report_to_approve':
      return t('notifications.reportToApprove', { title: reportTitle, period: p.period || '', version: p.version ?? '' });
    case 'report_returned':
      return t('notifications.reportReturned', { title: reportTitle, period: p.period || '', version: p.version ?? '' });
    case 'nomination_due':
      return t('notifications.nominationDue', { seat: (en && p.seat_en) || p.seat || '', body: (en && p.body_en) || p.body || '',
        deadline: fmtDate(p.deadline) });
    default:
      break;
  }
  if (n.entity !== 'meeting') return t('notifications.other');
  return p.time ? t('notifications.meetingAt', { date: fmtDate(p.date), time: p.time }) : t('notifications.meeting', { date: fmtDate(p.date) });
}

// The kind in words: the server names the meetings' kinds (GET /labels notice_kind); the others
// are the UI's own words unless the server names them too.
export function notificationKind(n) {
  if (hasLabel('notice_kind', n.kind)) return labelOf('notice_kind', n.kind);
  return has(`notifications.kind.${n.kind}`) ? t(`notifications.kind.${n.kind}`) : t('notifications.other');
}

// How the kind's tag looks: a cancellation, a declined referral, an overdue task stand out.
export function notificationTone(n) {
  if (n.kind === 'cancel' || n.kind === 'task_overdue' || n.kind === 'report_returned'
    || (n.kind === 'referral_answered' && n.params?.response === 'declined')) return 'danger';
  if (n.kind === 'reschedule' || n.kind === 'nomination_due' || (n.kind === 'referral_new' && n.params?.urgent)) return 'warning';
  return 'neutral';
}

const EVERY = 60 * 1000;
let timer = null;
const others = new Set();

// Every minute while the page is visible: the unread count, and what else is counted with it
// (the queues' counts in the menu, queues.js).
export function keepCounting(also) {
  if (also) others.add(also);
  if (timer) return;
  timer = setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    refreshUnread();
    for (const fn of others) fn();
  }, EVERY);
}

// Every unread notification marked read at once (POST /notifications/read-all); the count
// follows.
export async function markAllRead() {
  const r = await post('/notifications/read-all', {});
  unread = [];
  paint();
  return r;
}
