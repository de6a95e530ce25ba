// "My tasks": the tasks that decisions of any body gave to the user's institution (Order 94
// §1.7b), filtered by state — open, in progress, overdue (an open task past its due date), done,
// cancelled — each with the meeting and decision it came from.
import { h } from '../dom.js';
import { t, tn, pick } from '../i18n.js';
import { getAll, qs } from '../api.js';
import { readsMeetings } from '../session.js';
import { pageHeader } from '../ui.js';
import { tasksTable, taskFilter, TASK_FILTERS } from '../meetings.js';

export default async function myTasks(ctx) {
  const u = ctx.user;
  const filter = TASK_FILTERS.includes(ctx.query.get('status')) ? ctx.query.get('status') : 'all';
  const tasks = await getAll(`/tasks${qs({ mine: 1, status: filter === 'all' ? '' : filter })}`);
  const overdue = tasks.filter((x) => x.overdue).length;
  return h('div', null,
    pageHeader(t('tasks.mine'), { sub: pick({ name: u.institution_name, name_en: u.institution_name_en }) }),
    h('p', { class: 'hint' }, t('tasks.mineExplain')),
    taskFilter('/tasks', ctx.query, filter),
    overdue && filter !== 'overdue' ? h('p', { class: 'notice notice-warning' }, tn('tasks.overdueCount', overdue)) : null,
    tasksTable(tasks, { showBody: true, linkMeetings: readsMeetings(u), caption: t('tasks.mine') }));
}
