// The user's queues (GET /home: referrals waiting for an answer, cases awaiting a decision,
// overdue seats...) counted in the menu: the entry whose address is a queue's `href` shows how
// many wait there. Counted on every page and every minute with the unread notifications
// (GET /home?counts=1, a background request: it does not keep the session alive); the home page
// hands over what it loaded.
import { h, uid } from './dom.js';
import { t, tn } from './i18n.js';
import { get } from './api.js';
import { session, serverHas } from './session.js';

let queues = [];
let epoch = -1;
let seq = 0;

export function hasHome() {
  return serverHas('GET', '/home');
}

function mine() {
  if (epoch !== session.epoch) {
    epoch = session.epoch;
    queues = [];
  }
  return queues;
}

// How many wait behind this address (queues sharing it are added up).
export function countFor(href) {
  return mine().filter((q) => q.href === href).reduce((n, q) => n + (q.count || 0), 0);
}

// A queue the server counted only so far ("more": a thousand or more) reads "1000+".
function moreFor(href) {
  return mine().some((q) => q.href === href && q.more);
}

export function countText(n, more) {
  return more ? `${n}+` : String(n);
}

// What a screen reader hears of a count.
export function waitingText(n, more) {
  return more ? t('home.waitingMore', { n }) : tn('home.waiting', n);
}

// The count is the entry's description, not part of its name: "Referimet", described "3 në
// pritje" (the name stays what the user says or searches for).
export function paintCounts() {
  mine();
  for (const a of document.querySelectorAll('.menu-list a[data-nav]')) {
    a.querySelector('.nav-counts')?.remove();
    a.parentElement.querySelector('.nav-count-text')?.remove();
    a.removeAttribute('aria-describedby');
    const n = countFor(a.getAttribute('href'));
    if (!n) continue;
    const id = uid('navc');
    const more = moreFor(a.getAttribute('href'));
    a.append(h('span', { class: 'nav-counts', 'aria-hidden': 'true' }, ' ', h('span', { class: 'nav-count' }, countText(n, more))));
    a.after(h('span', { id, class: 'nav-count-text', hidden: true }, waitingText(n, more)));
    a.setAttribute('aria-describedby', id);
  }
}

export function setQueues(list) {
  mine();
  queues = (list || []).map(({ key, count, more, href }) => ({ key, count, more: !!more, href }));
  paintCounts();
}

export function refreshCounts() {
  if (!session.user || !hasHome()) return Promise.resolve(queues);
  const asked = ++seq;
  const by = session.epoch;
  return get('/home?counts=1', { auth: false, background: true }).then((data) => {
    if (asked === seq && by === session.epoch) setQueues(data.queues);
    return queues;
  }, () => queues);
}
