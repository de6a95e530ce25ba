// The first page after login: the user's working day at a glance. Their queues (GET /home, by
// role: referrals waiting for an answer, cases waiting for the next step or for the Authority's
// decision, likely duplicates, reports to approve, overdue seats and tasks, meetings due...),
// the ones with something urgent or overdue first; each titled with its count, its items most
// urgent first — the case or entry, its date, how many days it has waited, "urgent" and
// "overdue" written as tags (never by colour alone) — and "see all" to the queue's own screen;
// an empty queue says so in two words. Then the next meeting, and for the Ministry's monitor the
// national scorecard. For the Responsible Authority, below the queues, the persons identified per
// month over the last twelve months (statcharts.js), its table one click away: drawn after the
// queues are on the page, so its twelve requests never hold them back. The counts go to the menu too (queues.js). An older server without GET
// /home: the landing pages of before (a case worker's cases, the user's county, the overview).
import { h, srOnly, uid } from '../dom.js';
import { t, tn, has, lang, fmtDate, todayISO } from '../i18n.js';
import { get, Redirected } from '../api.js';
import { isNational, isAuthority, labelOf, hasLabel, countyName, readsMeetings } from '../session.js';
import { pageHeader, tag } from '../ui.js';
import { hasHome, setQueues, countText, waitingText } from '../queues.js';
import { STATUSES as REPORT_STATUSES, statusText as reportStatus } from '../reports.js';
import { match } from '../routes.js';
import { casesPerMonthChart } from '../statcharts.js';

const FLAG_ORDER = { urgent: 0, overdue: 1 };
const flagRank = (it) => FLAG_ORDER[it.flag] ?? 2;

function queueTitle(key) {
  return has(`home.queue.${key}`) ? t(`home.queue.${key}`) : key;
}

// A note is a code whose meaning depends on the queue: a case's stage, a task's or a report's
// status, a seat's role, a body's kind, what a county is behind with, whether a referral is of
// the whole case... The server's names where it has them (GET /labels), else the UI's words.
const NOTE_GROUP = {
  cases_next: 'stage', awaiting_decision: 'stage', tasks_mine: 'task_status', tasks_body: 'task_status',
  tasks_overdue: 'task_status', seats_overdue: 'seat_role', meetings_due: 'kind',
};

function noteText(queueKey, note) {
  if (note == null || note === '') return null;
  const group = NOTE_GROUP[queueKey];
  if (group && hasLabel(group, note)) return labelOf(group, note);
  if (queueKey.startsWith('reports_') && REPORT_STATUSES.includes(note)) return reportStatus(note);
  if (has(`home.note.${note}`)) return t(`home.note.${note}`);
  if (hasLabel('stage', note)) return labelOf('stage', note);
  return String(note);
}

// The name beside an item (an institution, a body, a counterpart; a county for the Authority).
function subText(queueKey, sub) {
  if (sub == null || sub === '') return null;
  return queueKey === 'awaiting_decision' || queueKey === 'counties_behind' ? countyName(sub) : String(sub);
}

function flagTag(flag) {
  if (flag === 'urgent') return tag(t('home.flag.urgent'), 'danger');
  if (flag === 'overdue') return tag(t('home.flag.overdue'), 'warning');
  return null;
}

// days = today − date: how long it has waited, or (negative) how long until it is due.
function age(days) {
  if (!Number.isInteger(days)) return null;
  if (days === 0) return t('home.today');
  return days > 0 ? tn('home.daysAgo', days) : tn('home.inDays', -days);
}

function item(key, it) {
  const notes = (Array.isArray(it.notes) && it.notes.length ? it.notes : [it.note]).map((n) => noteText(key, n)).filter(Boolean);
  const sub = subText(key, it.sub);
  const title = (lang() === 'en' && it.title_en) || it.title || it.title_en || '—';
  const when = [it.date ? h('time', { datetime: it.date }, fmtDate(it.date)) : null, age(it.days)].filter(Boolean);
  return h('li', { class: ['queue-item', it.flag && `queue-item-${it.flag}`] },
    h('div', { class: 'queue-item-main' },
      it.href ? h('a', { href: it.href, class: 'queue-item-title' }, title) : h('span', { class: 'queue-item-title' }, title),
      flagTag(it.flag) ? [' ', flagTag(it.flag)] : null,
      notes.length ? h('span', { class: 'queue-item-note' }, notes.join(', ')) : null),
    sub ? h('div', { class: 'queue-item-sub' }, sub) : null,
    when.length ? h('div', { class: 'queue-item-when muted' }, when.flatMap((x, i) => (i ? [' · ', x] : [x]))) : null);
}

function queue(q) {
  const id = uid('q');
  const title = queueTitle(q.key);
  const items = [...(q.items || [])].map((it, i) => ({ it, i }))
    .sort((a, b) => flagRank(a.it) - flagRank(b.it) || a.i - b.i).map((x) => x.it);
  const count = q.count || 0;
  const shown = countText(count, q.more);
  return h('section', { class: ['queue', count ? null : 'queue-empty'], 'aria-labelledby': id, dataset: { queue: q.key } },
    h('h2', { id, class: 'queue-title' }, title, ' ',
      h('span', { class: 'queue-count', 'aria-hidden': 'true' }, shown), srOnly(`: ${waitingText(count, q.more)}`)),
    count ? h('ul', { class: 'queue-items' }, items.map((it) => item(q.key, it))) : h('p', { class: 'queue-nothing' }, t('home.nothing')),
    count && q.href ? h('p', { class: 'queue-all' }, h('a', { href: q.href },
      count > items.length ? t('home.seeAllN', { n: shown }) : t('home.seeAll'), srOnly(` — ${title}`))) : null);
}

function nextMeeting(m) {
  const id = uid('nm');
  return h('section', { class: 'home-card', 'aria-labelledby': id },
    h('h2', { id }, t('home.nextMeeting')),
    m ? h('p', null, h('a', { href: `/meetings/${encodeURIComponent(m.id)}` }, m.body_name || t('home.meeting')),
      h('span', { class: 'block' }, m.time ? t('home.meetingAt', { date: fmtDate(m.date), time: m.time }) : fmtDate(m.date)))
      : h('p', { class: 'muted' }, t('home.noMeeting')));
}

function scorecardCard() {
  const id = uid('sc');
  return h('section', { class: 'home-card', 'aria-labelledby': id },
    h('h2', { id }, t('home.scorecard')),
    h('p', null, t('home.scorecardText')),
    h('p', null, h('a', { href: '/scorecard', class: 'btn' }, t('home.scorecardOpen'))));
}

// The Authority's chart: a section holding its place (busy) while the figures come; a failure
// says so in place, the queues above are untouched.
function casesChart() {
  const id = uid('hc');
  const holder = h('div', { class: 'home-chart-body', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('common.loading')));
  const el = h('section', { class: 'home-card home-chart', 'aria-labelledby': id, dataset: { home: 'cases-per-month' } },
    h('h2', { id }, t('home.casesPerMonth')), holder);
  const draw = () => casesPerMonthChart(holder)
    .catch(() => holder.replaceChildren(h('p', { class: 'notice notice-warning' }, t('chart.unavailable'))))
    .finally(() => holder.removeAttribute('aria-busy'));
  return { el, draw };
}

function oldLanding(ctx) {
  const u = ctx.user;
  const to = u.role === 'caseworker' ? '/cases' : u.county ? `/counties/${u.county}` : isNational(u) ? '/overview' : '/counties';
  ctx.navigate(to, { replace: true });
  throw new Redirected('home');
}

export default async function home(ctx) {
  if (!hasHome()) return oldLanding(ctx);
  const data = await get('/home');
  const queues = data.queues || [];
  setQueues(queues);
  // Something urgent or overdue first, then what waits, then the empty ones; else the server's order.
  const rank = (q) => (!q.count ? 2 : (q.items || []).some((it) => it.flag) ? 0 : 1);
  const ordered = queues.map((q, i) => ({ q, i })).sort((a, b) => rank(a.q) - rank(b.q) || a.i - b.i).map((x) => x.q);
  const total = queues.reduce((n, q) => n + (q.count || 0), 0);
  const flagged = queues.reduce((n, q) => n + (q.items || []).filter((it) => it.flag).length, 0);
  const scorecard = ctx.user.role === 'ministry_monitor' && !!match('/scorecard');
  const meetings = !!data.next_meeting || readsMeetings(ctx.user);
  const chart = isAuthority(ctx.user) ? casesChart() : null;
  // Once the page holding the queues is shown (the next task), the chart's figures are asked for.
  if (chart) setTimeout(chart.draw, 0);

  return h('div', { class: 'home' },
    pageHeader(t('home.title'), { sub: t('home.sub', { name: ctx.user.name, date: fmtDate(todayISO()) }) }),
    h('p', { class: 'home-summary' }, total ? tn('home.summary', total) : t('home.allClear'),
      flagged ? [' ', tn('home.summaryFlagged', flagged)] : null),
    queues.length ? h('div', { class: 'queues' }, ordered.map(queue)) : h('p', { class: 'empty' }, t('home.noQueues')),
    chart ? chart.el : null,
    scorecard || meetings ? h('div', { class: 'home-cards' }, scorecard ? scorecardCard() : null, meetings ? nextMeeting(data.next_meeting) : null) : null);
}
