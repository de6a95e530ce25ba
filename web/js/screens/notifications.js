// The user's notifications inside nrm, newest first: a meeting noticed, changed or cancelled (of
// which body, on what day and at what time, under which number of the body's register), a case
// referred to the user's institution (urgent for a child) and the answer to a referral, a task
// assigned or overdue, a report to approve or returned, a nomination due; when it came and
// whether it has been read. Opening one leads to what it is about and marks it read; one or all
// are marked read here too. /notifications?show=unread lists the unread ones.
import { h, srOnly } from '../dom.js';
import { t, tn, pick, fmtDateTime } from '../i18n.js';
import { get, Redirected } from '../api.js';
import { readsMeetings, serverHas } from '../session.js';
import { pageHeader, table, tag, errorBox } from '../ui.js';
import { markRead, markAllRead, notificationHref, notificationSubject, notificationKind, notificationTone } from '../notifications.js';

const SHOW = ['all', 'unread'];

// The notice names the body in Albanian: its English name comes from the registry.
async function bodyNames() {
  try {
    const items = (await get('/bodies')).items || [];
    return new Map(items.map((b) => [b.name, b]));
  } catch {
    return new Map();
  }
}

function openLink(n, ctx) {
  const href = notificationHref(n);
  const text = notificationSubject(n);
  if (!href || (n.entity === 'meeting' && !readsMeetings(ctx.user))) return h('span', { class: 'member-name' }, text);
  const a = h('a', { href, class: 'member-name notif-open' }, text);
  // Read once opened: the plain click waits for the server before the page changes (so the
  // count in the header is right); opened in another tab, it is marked on the way.
  a.addEventListener('click', async (e) => {
    if (n.read_at) return;
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      markRead(n.id).catch(() => null);
      return;
    }
    e.preventDefault();
    try {
      await markRead(n.id);
    } catch {
      /* still opened */
    }
    ctx.navigate(href);
  });
  a.addEventListener('auxclick', () => {
    if (!n.read_at) markRead(n.id).catch(() => null);
  });
  return a;
}

export default async function notificationsScreen(ctx) {
  const show = SHOW.includes(ctx.query.get('show')) ? ctx.query.get('show') : 'all';
  const [page, bodies] = await Promise.all([get(`/notifications${show === 'unread' ? '?unread=1' : ''}`), bodyNames()]);
  const items = page.items || [];
  const unread = items.filter((n) => !n.read_at);
  const bodyOf = (n) => {
    const name = n.params?.body;
    return name && bodies.has(name) ? pick(bodies.get(name)) : name || '';
  };

  const filters = h('nav', { class: 'filters', 'aria-label': t('notifications.filter') },
    h('ul', null, SHOW.map((s) => h('li', null, h('a', { href: s === 'all' ? '/notifications' : '/notifications?show=unread',
      'aria-current': s === show ? 'true' : null }, t(`notifications.show.${s}`))))));

  const status = h('div', { 'aria-live': 'polite' });
  // Marks them read (the server's refusal, if any, shows in place of the confirmation).
  const mark = async (list, done) => {
    try {
      for (const n of list) await markRead(n.id);
    } catch (err) {
      if (err instanceof Redirected) return;
      status.replaceChildren(errorBox(err));
      return;
    }
    ctx.refresh(done);
  };
  // All at once where the server can (one request), else one by one.
  const markEvery = async () => {
    if (!serverHas('POST', '/notifications/read-all')) return mark(unread, t('notifications.allMarked'));
    try {
      await markAllRead();
    } catch (err) {
      if (err instanceof Redirected) return;
      status.replaceChildren(errorBox(err));
      return;
    }
    ctx.refresh(t('notifications.allMarked'));
  };
  const markAll = unread.length ? h('button', { type: 'button', class: 'btn', onclick: markEvery }, t('notifications.markAll')) : null;

  return h('div', null,
    pageHeader(t('notifications.title'), { sub: unread.length && show === 'all' ? tn('notifications.unreadCount', unread.length) : null,
      actions: markAll ? [markAll] : [] }),
    h('p', { class: 'hint' }, t('notifications.explain')),
    readsMeetings(ctx.user) && serverHas('POST', '/me/calendar') ? h('p', { class: 'hint' }, t('notifications.calendarHint'), ' ',
      h('a', { href: '/account' }, t('notifications.calendarLink'))) : null,
    filters,
    status,
    table({
      caption: t('notifications.title'),
      empty: show === 'unread' ? t('notifications.noneUnread') : t('notifications.none'),
      rows: items,
      rowClass: (n) => (n.read_at ? null : 'row-unread'),
      columns: [
        { label: t('notifications.what'), cell: (n) => h('div', { class: 'notif-what' },
          tag(notificationKind(n), notificationTone(n)), ' ',
          n.kind === 'referral_new' && n.params?.urgent ? [tag(t('home.flag.urgent'), 'danger'), ' '] : null,
          openLink(n, ctx),
          n.kind === 'report_returned' && n.params?.comment ? h('span', { class: 'block' }, t('notifications.comment', { comment: n.params.comment })) : null,
          bodyOf(n) ? h('span', { class: 'block' }, bodyOf(n)) : null,
          n.params?.reference ? h('span', { class: 'muted block' }, t('notifications.letter', { number: n.params.reference })) : null) },
        { label: t('notifications.received'), cell: (n) => fmtDateTime(n.created_at) },
        { label: t('notifications.state'), cell: (n) => (n.read_at
          ? h('span', { class: 'muted' }, t('notifications.readAt', { ts: fmtDateTime(n.read_at) }))
          : h('span', { class: 'badge badge-unread' }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '●'), t('notifications.unread'))) },
        { label: t('common.actions'), cell: (n) => (n.read_at ? '—' : h('button', { type: 'button', class: 'btn btn-small',
          onclick: () => mark([n], t('notifications.marked')) }, t('notifications.markRead'), srOnly(` — ${notificationSubject(n)}`))) },
      ],
    }));
}
