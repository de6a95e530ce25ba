// What the meeting and task screens share: names and states written out (the names of codes come
// from the server's GET /labels: meeting_kind, meeting_status, attendance, agenda_kind,
// minutes_status, meeting_change, task_status, correspondence_direction, notice_channel), a
// body's compliance with its frequency, the quorum, the list of institutions a task may go to,
// the editor of an agenda's items, and the list of tasks. The server decides; this only shows.
import { h, srOnly, uid } from './dom.js';
import { t, tn, has, fmtDate, pick } from './i18n.js';
import { getAll, api } from './api.js';
import { labelOf, hasLabel, countyName } from './session.js';
import { tag, table } from './ui.js';

export const MEETING_KINDS = ['ordinary', 'extraordinary'];
export const ATTENDANCE = ['present', 'represented', 'excused', 'absent'];
export const TASK_FILTERS = ['all', 'open', 'in_progress', 'overdue', 'done', 'cancelled'];
// The bodies that meet (a secretariat does not hold meetings of its own).
export const MEETING_BODIES = ['authority', 'krat', 'technical_table', 'municipal_group'];
const enc = encodeURIComponent;

// The body of a meeting or a task, in the user's language.
export function bodyLabel(x) {
  return pick({ name: x.body_name, name_en: x.body_name_en });
}

// "Mbledhja e 30.11.2026".
export function meetingName(m) {
  return t('meeting.heading', { date: fmtDate(m.date) });
}

// "10:00–12:00", "10:00" or a dash.
export function timeText(m) {
  if (!m.time) return '—';
  return m.end_time ? `${m.time}–${m.end_time}` : m.time;
}

export function kindLabel(kind) {
  return labelOf('meeting_kind', kind || 'ordinary');
}

const STATUS_KIND = { scheduled: 'neutral', held: 'ok', cancelled: 'danger' };

export function meetingStatusTag(status) {
  return tag(labelOf('meeting_status', status), STATUS_KIND[status] || 'neutral');
}

export function minutesTag(status) {
  return tag(labelOf('minutes_status', status || 'draft'), status === 'approved' ? 'ok' : 'neutral');
}

// Overdue, in words and a symbol, never in colour alone.
export function overdueBadge(text) {
  return h('span', { class: 'badge badge-overdue' }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '!'),
    text || labelOf('task_status', 'overdue'));
}

export function onTimeBadge(text) {
  return h('span', { class: 'badge badge-filled' }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '✓'), text);
}

const TASK_KIND = { open: 'neutral', in_progress: 'neutral', done: 'ok', cancelled: 'neutral' };

export function taskStatus(task) {
  return h('span', { class: 'task-status' }, tag(labelOf('task_status', task.status), TASK_KIND[task.status]),
    task.overdue ? [' ', overdueBadge()] : null);
}

// Dates in a text the server made read dd.mm.yyyy: today's server writes them so, texts kept
// from an older one may still say "…of the meeting of 2026-11-30".
export function fmtText(s) {
  return String(s ?? '').replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3.$2.$1');
}

// A body's compliance with its frequency (GET /bodies/{id}/compliance): how often it must meet,
// when it last met, when it must meet next and whether that day has passed.
export function complianceFacts(c) {
  const every = !c.every_months ? t('compliance.noFrequency')
    : c.basis === 'calendar_month' ? t('compliance.calendarMonth') : tn('body.everyMonths', c.every_months);
  let state = null;
  if (c.every_months) {
    state = c.overdue ? overdueBadge(t('compliance.overdue', { date: fmtDate(c.next_due) }))
      : onTimeBadge(t('compliance.onTime'));
  }
  return h('dl', { class: 'facts compliance' },
    h('div', null, h('dt', null, t('compliance.frequency')), h('dd', null, every)),
    h('div', null, h('dt', null, t('compliance.last')), h('dd', null, c.last_meeting ? fmtDate(c.last_meeting) : t('compliance.never'))),
    c.every_months ? h('div', null, h('dt', null, t('compliance.nextDue')), h('dd', null, c.next_due ? fmtDate(c.next_due) : '—')) : null,
    state ? h('div', null, h('dt', null, t('compliance.state')), h('dd', { class: 'compliance-state' }, state)) : null,
    h('div', null, h('dt', null, t('compliance.next')), h('dd', null, c.next_meeting ? fmtDate(c.next_meeting) : t('compliance.noneScheduled'))),
    h('div', null, h('dt', null, t('compliance.held12')), h('dd', null, String(c.held_last_12_months ?? 0))));
}

// The quorum (the body's rule, data of the server, which gives the number required): by default
// more than half of the members — the seats someone holds on the meeting's day — present or
// represented; a body whose rule counts every seat (quorum.of === "seats") counts vacant seats
// too. Present and represented count only on the seats that count.
export function countsForQuorum(q, seat) {
  return q.of === 'seats' || q.members == null || !!seat.member;
}

function quorumBase(q) {
  return q.of === 'seats' || q.members == null ? q.seats : q.members;
}

export function quorumHeld(q) {
  return quorumBase(q) > 0 && q.present + q.represented >= q.required;
}

export function quorumBadge(held) {
  return held ? onTimeBadge(t('quorum.held')) : overdueBadge(t('quorum.notHeld'));
}

export function quorumText(q) {
  const total = q.present + q.represented;
  if (q.of === 'seats' || q.members == null) {
    return t('quorum.count', { present: q.present, represented: q.represented, total, required: q.required, seats: q.seats });
  }
  return t(q.seats > q.members ? 'quorum.countMembersVacant' : 'quorum.countMembers', { present: q.present, represented: q.represented,
    total, required: q.required, members: q.members, seats: q.seats, vacant: q.seats - q.members });
}

// Institutions a task may go to: those of the body's county first, then the national ones, then
// (for a national body) every county's.
let institutionList = null;
export async function loadInstitutionList() {
  if (!institutionList) institutionList = (await getAll('/institutions')).filter((i) => i.active !== false);
  return institutionList;
}

export function institutionOptions(list, county) {
  const by = (c) => list.filter((i) => (i.county || null) === c).sort((a, b) => pick(a).localeCompare(pick(b)))
    .map((i) => ({ value: i.id, label: pick(i) }));
  const groups = [];
  if (county) groups.push({ group: countyName(county), options: by(county) });
  groups.push({ group: t('institutions.national'), options: by(null) });
  if (!county) {
    const counties = [...new Set(list.map((i) => i.county).filter(Boolean))].sort();
    for (const c of counties) groups.push({ group: countyName(c), options: by(c) });
  }
  return groups.filter((g) => g.options.length);
}

// A labelled input of a row editor (an agenda item, a guest, a task): its own id and label.
export function rowInput(label, { name, value = '', required = false, type = 'text', maxlength, hint, inputmode, cls } = {}) {
  const id = uid(`row-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const input = type === 'textarea'
    ? h('textarea', { id, name, rows: 2, maxlength, 'aria-describedby': hintId })
    : h('input', { id, name, type, value, required, maxlength, inputmode, autocomplete: 'off', 'aria-describedby': hintId, class: cls });
  if (type === 'textarea') input.value = value;
  const wrap = h('div', { class: 'field field-sub' },
    h('label', { for: id }, label, required ? null : h('span', { class: 'optional' }, ` (${t('form.optional')})`)),
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : null,
    input);
  return { input, wrap };
}

// Case codes as typed ("fr-2026-0001, FR-2026-0002") → ['FR-2026-0001', 'FR-2026-0002'].
export function parseCodes(text) {
  return String(text || '').split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
}

// The secretariat's items of an agenda, in order: title, presenter and the cases discussed (by
// code only), each row moved up or down or removed. items: [{title, presenter, refs}] (refs of
// other kinds are kept as they were). Returns {el, read() → {items, errors}, control(field)}.
export function agendaEditor(items, { cases = true } = {}) {
  const rows = [];
  const list = h('ol', { class: 'row-list agenda-rows' });
  const status = h('p', { class: 'sr-only', role: 'status' });
  const addBtn = h('button', { type: 'button', class: 'btn', onclick: () => {
    const r = add({});
    redraw();
    r.title.input.focus();
  } }, t('agenda.addItem'));

  function add(item) {
    const r = { refs: item.refs || null };
    r.title = rowInput(t('agenda.itemTitle'), { name: 'item_title', value: item.title || '', required: true, maxlength: 500 });
    r.presenter = rowInput(t('agenda.presenter'), { name: 'item_presenter', value: item.presenter || '', maxlength: 200 });
    r.cases = cases ? rowInput(t('agenda.cases'), { name: 'item_cases', value: (item.refs?.cases || []).join(', '), maxlength: 1000,
      hint: t('agenda.casesHint') }) : null;
    r.heading = h('h3', { class: 'group-row-title' });
    r.up = h('button', { type: 'button', class: 'btn btn-small', onclick: () => move(r, -1) });
    r.down = h('button', { type: 'button', class: 'btn btn-small', onclick: () => move(r, 1) });
    r.remove = h('button', { type: 'button', class: 'btn btn-small', onclick: () => drop(r) });
    r.el = h('li', { class: 'group-row agenda-row' }, r.heading, r.title.wrap, r.presenter.wrap, r.cases?.wrap,
      h('div', { class: 'row-actions' }, r.up, r.down, r.remove));
    r.title.input.addEventListener('input', () => label(r));
    rows.push(r);
    return r;
  }

  function move(r, by) {
    const i = rows.indexOf(r);
    const j = i + by;
    if (j < 0 || j >= rows.length) return;
    [rows[i], rows[j]] = [rows[j], rows[i]];
    redraw();
    (by < 0 && j > 0 ? r.up : by > 0 && j < rows.length - 1 ? r.down : r.title.input).focus();
    status.textContent = t('agenda.moved', { title: r.title.input.value || t('agenda.item', { n: j + 1 }), n: j + 1 });
  }

  function drop(r) {
    const i = rows.indexOf(r);
    rows.splice(i, 1);
    redraw();
    const next = rows[i] || rows[i - 1];
    (next ? next.title.input : addBtn).focus();
    status.textContent = t('agenda.removed');
  }

  // The buttons of a row say which item they move (by its subject, once typed).
  function label(r) {
    const i = rows.indexOf(r);
    const n = i + 1;
    const what = r.title.input.value.trim() || t('agenda.item', { n });
    r.heading.textContent = t('agenda.item', { n });
    r.up.replaceChildren(t('agenda.up'), srOnly(` — ${what}`));
    r.down.replaceChildren(t('agenda.down'), srOnly(` — ${what}`));
    r.remove.replaceChildren(t('agenda.remove'), srOnly(` — ${what}`));
    r.up.hidden = i === 0;
    r.down.hidden = i === rows.length - 1;
  }

  function redraw() {
    rows.forEach(label);
    list.replaceChildren(...rows.map((r) => r.el));
    list.hidden = !rows.length;
  }

  for (const it of items) add(it);
  redraw();

  return {
    el: h('div', { class: 'rows-editor' }, list, status, h('p', { class: 'group-add' }, addBtn)),
    read() {
      const out = [];
      const errors = [];
      rows.forEach((r, i) => {
        const title = r.title.input.value.trim();
        const presenter = r.presenter.input.value.trim();
        const codes = r.cases ? parseCodes(r.cases.input.value) : [];
        if (!title && !presenter && !codes.length) return;
        if (!title) errors.push([r.title.input, t('agenda.titleRequired', { n: i + 1 })]);
        const item = { title };
        if (presenter) item.presenter = presenter;
        const refs = { ...(r.refs || {}) };
        if (r.cases) {
          if (codes.length) refs.cases = codes;
          else delete refs.cases;
        }
        for (const k of Object.keys(refs)) if (!Array.isArray(refs[k]) || !refs[k].length) delete refs[k];
        if (Object.keys(refs).length) item.refs = refs;
        out.push(item);
      });
      return { items: out, errors };
    },
    // The control of a field the server names (agenda.1.title, items.0.refs.cases.2).
    control(field, offset = 0) {
      const m = /^(?:agenda|items)\.(\d+)(?:\.(\w+))?/.exec(field || '');
      if (!m) return null;
      const filled = rows.filter((r) => r.title.input.value.trim() || r.presenter.input.value.trim() || (r.cases && r.cases.input.value.trim()));
      const r = filled[Number(m[1]) - offset];
      if (!r) return null;
      if (m[2] === 'presenter') return r.presenter.input;
      if (m[2] === 'refs' && r.cases) return r.cases.input;
      return r.title.input;
    },
    label(field) {
      const m = /^(?:agenda|items)\.(\d+)(?:\.(\w+))?/.exec(field || '');
      if (!m) return null;
      const what = m[2] === 'presenter' ? t('agenda.presenter') : m[2] === 'refs' ? t('agenda.cases') : t('agenda.itemTitle');
      return `${t('agenda.item', { n: Number(m[1]) + 1 })}, ${what}`;
    },
  };
}

// Tasks as a table: what, whose, by when, in what state, from which decision.
export function tasksTable(tasks, { showBody = false, linkMeetings = true, caption } = {}) {
  return table({
    caption: caption || t('tasks.title'),
    empty: t('tasks.none'),
    rows: tasks,
    rowClass: (x) => (x.overdue ? 'row-overdue' : null),
    columns: [
      { label: t('task.title'), cell: (x) => h('a', { href: `/tasks/${x.id}` }, x.title) },
      { label: t('task.owner'), cell: (x) => h('div', null, pick({ name: x.institution_name, name_en: x.institution_name_en }),
        x.person_name ? h('span', { class: 'muted block' }, x.person_name) : null) },
      { label: t('task.due'), cell: (x) => h('span', { class: x.overdue ? 'count-overdue' : null }, fmtDate(x.due)) },
      { label: t('task.status'), cell: taskStatus },
      { label: t('task.from'), cell: (x) => h('div', null,
        showBody ? h('span', { class: 'block' }, bodyLabel(x)) : null,
        linkMeetings ? h('a', { href: `/meetings/${x.meeting}` }, meetingName({ date: x.meeting_date })) : meetingName({ date: x.meeting_date }),
        x.decision_number ? h('span', { class: 'muted block' }, t('task.decision', { n: x.decision_number })) : null) },
    ],
  });
}

// The filter of a list of tasks by state, as links keeping the rest of the address.
export function taskFilter(path, query, current, param = 'status') {
  return h('nav', { class: 'filters', 'aria-label': t('tasks.filter') },
    h('ul', null, TASK_FILTERS.map((f) => {
      const q = new URLSearchParams(query);
      if (f === 'all') q.delete(param);
      else q.set(param, f);
      const s = q.toString();
      return h('li', null, h('a', { href: `${path}${s ? `?${s}` : ''}`, 'aria-current': f === current ? 'true' : null },
        f === 'all' ? t('tasks.all') : labelOf('task_status', f)));
    })));
}

// What a change in a meeting's history was: the server's name for it, or the UI's for the
// actions its labels do not name yet.
export function changeLabel(action) {
  if (hasLabel('meeting_change', action)) return labelOf('meeting_change', action);
  return has(`meeting.change.${action}`) ? t(`meeting.change.${action}`) : action;
}

export const meetingHref = (id) => `/meetings/${enc(id)}`;

// A file sent as the raw body, typed by its extension (as the agreements' documents are).
const DOC_TYPES = {
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  odt: 'application/vnd.oasis.opendocument.text', doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};
export const DOC_ACCEPT = '.pdf,.png,.jpg,.jpeg,.odt,.doc,.docx';
export const DOC_MAX = 10 * 1024 * 1024;

export function uploadFile(method, path, file) {
  const ext = (file.name.split('.').pop() || '').toLowerCase();
  return api(method, path, file, {
    headers: { 'Content-Type': DOC_TYPES[ext] || file.type || 'application/octet-stream', 'X-Filename': encodeURIComponent(file.name) },
  });
}
