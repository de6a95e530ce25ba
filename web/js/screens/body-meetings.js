// The meetings of one body: whether it meets as often as it must (its last meeting, the day by
// which it must meet next, overdue shown in words), every meeting with its state and the state
// of its minutes, and the tasks its decisions gave, filtered by state (overdue included). The
// body's secretariat schedules a meeting from here (and keeps its correspondence register when
// the server has one).
import { h } from '../dom.js';
import { t, pick, fmtDate } from '../i18n.js';
import { get, getAll, qs } from '../api.js';
import { countyName, keepsMeetings, serverHas, labelOf } from '../session.js';
import { pageHeader, breadcrumbs, section, table, buttonLink, notice } from '../ui.js';
import {
  complianceFacts, kindLabel, meetingStatusTag, minutesTag, timeText, tasksTable, taskFilter, TASK_FILTERS, MEETING_BODIES,
} from '../meetings.js';

export function bodyCrumbs(body, last) {
  const crumbs = [[t('nav.counties'), '/counties']];
  if (body.county) crumbs.push([countyName(body.county), `/counties/${body.county}`]);
  crumbs.push([pick(body), `/bodies/${body.id}`]);
  return crumbs.concat(last);
}

export default async function bodyMeetings(ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const filter = TASK_FILTERS.includes(ctx.query.get('tasks')) ? ctx.query.get('tasks') : 'all';
  const [body, meetings, compliance, tasks] = await Promise.all([
    get(`/bodies/${id}`),
    getAll(`/bodies/${id}/meetings`),
    get(`/bodies/${id}/compliance`),
    getAll(`/tasks${qs({ body: ctx.params.id, status: filter === 'all' ? '' : filter })}`),
  ]);
  const name = pick(body);
  const keeps = body.can_edit && keepsMeetings(ctx.user);
  const actions = [];
  if (keeps && MEETING_BODIES.includes(body.kind)) actions.push(buttonLink(`/bodies/${body.id}/meetings/new`, t('meetings.schedule'), { class: 'btn-primary' }));
  if (serverHas('GET', '/bodies/{id}/correspondence') && ctx.user.role !== 'ministry_monitor') actions.push(buttonLink(`/correspondence${qs({ body: body.id })}`, t('correspondence.title')));

  return h('div', null,
    breadcrumbs(bodyCrumbs(body, [[t('meetings.title')]])),
    pageHeader(t('meetings.ofBody', { body: name }), { sub: [labelOf('kind', body.kind), body.county ? countyName(body.county) : t('user.national')].join(' · '), actions }),
    section(t('compliance.title'), complianceFacts(compliance),
      compliance.overdue ? notice(t('compliance.overdueExplain', { date: fmtDate(compliance.next_due) }), 'warning') : null),
    section(t('meetings.list'),
      table({
        caption: t('meetings.list'),
        empty: t('meetings.none'),
        rows: meetings,
        rowClass: (m) => (m.status === 'cancelled' ? 'row-cancelled' : null),
        columns: [
          { label: t('meeting.date'), cell: (m) => h('a', { href: `/meetings/${m.id}` }, fmtDate(m.date)) },
          { label: t('meeting.when'), cell: timeText },
          { label: t('meeting.kind'), cell: (m) => kindLabel(m.kind) },
          { label: t('meeting.title'), cell: (m) => m.title || '—' },
          { label: t('meeting.status'), cell: (m) => meetingStatusTag(m.status) },
          { label: t('meeting.minutes'), cell: (m) => (m.status === 'held' ? minutesTag(m.minutes_status) : '—') },
        ],
      })),
    section(t('tasks.ofBody'),
      h('p', { class: 'hint' }, t('tasks.ofBodyExplain')),
      taskFilter(`/bodies/${body.id}/meetings`, ctx.query, filter, 'tasks'),
      tasksTable(tasks, { caption: t('tasks.ofBody') })));
}
