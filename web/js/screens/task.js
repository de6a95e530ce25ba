// One task a decision gave: what, to whom, by when (overdue in words), from which meeting and
// decision; its history, each change with its note; and, for the body's secretariat or the owner
// institution (can_change), a change of state with a note, which is required. Only the
// secretariat cancels a task.
import { h } from '../dom.js';
import { t, pick, fmtDate, fmtDateTime } from '../i18n.js';
import { get, post } from '../api.js';
import { labelOf, hasTasks, readsMeetings, countyName } from '../session.js';
import { pageHeader, breadcrumbs, section, facts, notice } from '../ui.js';
import { makeForm } from '../form.js';
import { taskStatus, bodyLabel, meetingName, overdueBadge } from '../meetings.js';

function historyList(task) {
  const list = task.history || [];
  if (!list.length) return h('p', { class: 'empty' }, t('task.noHistory'));
  return h('ol', { class: 'timeline' }, list.map((e) => h('li', { class: 'event' },
    h('p', { class: 'event-head' }, h('time', { datetime: e.ts }, fmtDateTime(e.ts)), ' · ', e.user || '—'),
    h('p', { class: 'event-stage' }, labelOf('task_status', e.status)),
    e.note ? h('p', null, e.note) : null)));
}

// The states the server says the caller may move the task to (data/meetings/tasks.json, and only
// the secretariat cancels).
function changeForm(task, ctx) {
  const next = Array.isArray(task.next) ? task.next : [];
  if (!next.length) return null;
  const form = makeForm({
    fields: [
      { name: 'status', label: t('task.newStatus'), type: 'radio', required: true,
        options: next.map((s) => ({ value: s, label: labelOf('task_status', s) })) },
      { name: 'note', label: t('task.note'), type: 'textarea', required: true, maxlength: 2000, hint: t('task.noteHint') },
    ],
    submitLabel: t('task.change'),
    onSubmit: async (v) => {
      const saved = await post(`/tasks/${task.id}/status`, { status: v.status, note: v.note, version: task.version });
      ctx.refresh(t('task.changed', { status: labelOf('task_status', saved.status || v.status) }));
    },
  });
  return form.el;
}

export default async function taskScreen(ctx) {
  const task = await get(`/tasks/${encodeURIComponent(ctx.params.id)}`);
  const u = ctx.user;
  const crumbs = [];
  if (hasTasks(u)) crumbs.push([t('tasks.mine'), '/tasks']);
  else if (readsMeetings(u)) crumbs.push([t('meetings.title'), `/bodies/${task.body}/meetings`]);
  crumbs.push([task.title]);
  const meeting = meetingName({ date: task.meeting_date });
  return h('div', null,
    breadcrumbs(crumbs),
    pageHeader(task.title, { sub: [bodyLabel(task), task.county ? countyName(task.county) : null].filter(Boolean).join(' · ') }),
    h('div', { class: 'case-tags' }, taskStatus(task)),
    task.overdue ? notice(h('span', null, overdueBadge(), ' ', t('task.overdueSince', { date: fmtDate(task.due) })), 'warning') : null,
    section(t('task.details'), facts([
      [t('task.owner'), pick({ name: task.institution_name, name_en: task.institution_name_en })],
      [t('task.person'), task.person_name],
      [t('task.due'), fmtDate(task.due)],
      [t('task.status'), labelOf('task_status', task.status)],
      [t('task.from'), readsMeetings(u) ? h('a', { href: `/meetings/${task.meeting}` }, meeting) : meeting],
      [t('task.decisionLabel'), task.decision_number ? t('task.decision', { n: task.decision_number }) : null],
    ])),
    task.can_change ? section(t('task.changeTitle'), changeForm(task, ctx) || h('p', { class: 'empty' }, t('task.noChange')))
      : h('p', { class: 'notice notice-info' }, t('task.readOnly')),
    section(t('task.history'), historyList(task)));
}
