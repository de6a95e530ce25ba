// One meeting: its details, state and history (rescheduled with reasons, cancelled); its calendar
// entry (.ics); the agenda, with the items nrm proposes (the approval of the previous minutes,
// the follow-up of open tasks, the cases awaiting the Authority's decision, those with a referral
// left unanswered) and their references; the guests; the attendance sheet from the meeting's
// day, each vacant seat marked so, with the quorum live over the members as the secretary
// ticks; the decisions, each saying whether the quorum held and giving tasks; the minutes per
// item with a summary, approved at the next meeting and then frozen with their SHA-256; and the
// approval of the previous meeting's minutes. The body's secretariat (can_edit) records; everyone
// else who reads meetings reads. The server decides who sees what (the Ministry's monitor gets
// no case references, and decisions and minutes only once approved).
import { h, uid } from '../dom.js';
import { t, tn, lang, pick, fmtDate, fmtDateTime, fmtBytes, todayISO, readDate, dateError } from '../i18n.js';
import { get, getAll, post, api, ApiError } from '../api.js';
import { countyName, labelOf, readsCases, serverHas, isAuthority, loadCounties, loadInstitutions, loadInstitutionTypes } from '../session.js';
import { loadCaseForm, transitionFields, maySet } from '../cases.js';
import { caseForm } from '../caseform.js';
import { pageHeader, breadcrumbs, section, facts, notice, dialog, confirmDialog, table, tag, errorText } from '../ui.js';
import { makeForm } from '../form.js';
import { markSeen } from '../notifications.js';
import {
  ATTENDANCE, MEETING_KINDS, meetingName, timeText, kindLabel, meetingStatusTag, minutesTag, taskStatus,
  quorumHeld, quorumBadge, quorumText, countsForQuorum, fmtText, agendaEditor, rowInput, loadInstitutionList, institutionOptions,
  changeLabel, bodyLabel, overdueBadge, uploadFile, DOC_ACCEPT, DOC_MAX,
} from '../meetings.js';

const enc = encodeURIComponent;
const L = (x) => (x && typeof x === 'object' ? x[lang()] || x.sq || x.en || '' : x || '');

// The title of an agenda item: nrm's proposed items by the name of their kind, in the user's
// language; the secretariat's by what was typed.
export function itemTitle(it) {
  return it.kind && it.kind !== 'item' ? labelOf('agenda_kind', it.kind) : it.title;
}

let persons = null;
async function loadPersons() {
  if (!persons) persons = await getAll('/persons').catch(() => []);
  return persons;
}

// ---- details and history ----

const CHANGE_FIELDS = ['date', 'time', 'end_time', 'kind', 'title', 'location', 'link'];
const FIELD_KEYS = { date: 'meeting.date', time: 'meeting.time', end_time: 'meeting.endTime', kind: 'meeting.kind',
  title: 'meeting.title', location: 'meeting.location', link: 'meeting.link' };

function fieldValue(k, v) {
  if (v == null || v === '') return '—';
  if (k === 'date') return fmtDate(v);
  if (k === 'kind') return kindLabel(v);
  return String(v);
}

function changeDetails(e) {
  if (!e.before || !e.after || !['reschedule', 'update'].includes(e.action)) return null;
  const lines = CHANGE_FIELDS.filter((k) => k in e.after && (e.before[k] ?? null) !== (e.after[k] ?? null))
    .map((k) => h('li', null, `${t(FIELD_KEYS[k])}: ${fieldValue(k, e.before[k])} → ${fieldValue(k, e.after[k])}`));
  return lines.length ? h('ul', { class: 'event-fields' }, lines) : null;
}

function historyList(m) {
  const events = m.history || [];
  if (!events.length) return h('p', { class: 'empty' }, t('meeting.noHistory'));
  return h('ol', { class: 'timeline' }, events.map((e) => h('li', { class: 'event' },
    h('p', { class: 'event-head' }, h('time', { datetime: e.ts }, fmtDateTime(e.ts)), ' · ', e.user || '—'),
    h('p', { class: 'event-stage' }, changeLabel(e.action)),
    changeDetails(e),
    e.reason ? h('p', null, t('meeting.reasonText', { reason: e.reason })) : null)));
}

// ---- the agenda ----

// The items of nrm that list cases: those awaiting the Authority's formal identification, and
// those with a referral nobody has answered in time (refs.cases).
const REVIEWS = ['cases_review', 'referrals_review'];

function refsView(it, env) {
  const r = it.refs || {};
  const out = [];
  for (const id of r.meetings || []) {
    const ref = env.refs.get(id);
    out.push(h('p', { class: 'agenda-ref' }, ref
      ? [h('a', { href: `/meetings/${id}` }, t('agenda.minutesOf', { date: fmtDate(ref.date) })), ' ', minutesTag(ref.minutes_status)]
      : h('a', { href: `/meetings/${id}` }, t('agenda.meetingN', { n: id }))));
  }
  if ((r.tasks || []).length) {
    out.push(h('ul', { class: 'plain-list agenda-tasks' }, r.tasks.map((id) => {
      const task = env.tasksById.get(id);
      if (!task) return h('li', null, h('a', { href: `/tasks/${id}` }, t('agenda.taskN', { n: id })));
      return h('li', null, h('a', { href: `/tasks/${id}` }, task.title), ' — ',
        pick({ name: task.institution_name, name_en: task.institution_name_en }), ', ',
        t('task.dueOn', { date: fmtDate(task.due) }), ' ', taskStatus(task));
    })));
  }
  for (const id of r.documents || []) {
    const doc = (env.m.materials || []).find((x) => x.id === id);
    out.push(h('p', { class: 'agenda-ref' }, h('span', { class: 'muted' }, `${t('materials.one')}: `),
      doc && env.readsFiles ? h('a', { href: `/api/v1/meetings/${env.m.id}/materials/${id}`, download: doc.filename }, doc.filename)
        : doc ? doc.filename : t('materials.n', { n: id })));
  }
  if ((r.cases || []).length && it.kind === 'cases_review' && env.decidesCases) {
    out.push(casesToDecide(it, env));
  } else if ((r.cases || []).length && REVIEWS.includes(it.kind)) {
    // nrm's lists of cases (awaiting the formal decision; with a referral left unanswered), one a line.
    const links = readsCases(env.user);
    out.push(h('ul', { class: 'plain-list agenda-cases' }, r.cases.map((code) => h('li', null, links
      ? h('a', { href: `/cases/${enc(code)}`, class: 'case-code' }, code) : h('span', { class: 'case-code' }, code)))));
  } else if ((r.cases || []).length) {
    const links = readsCases(env.user);
    out.push(h('p', { class: 'agenda-ref' }, h('span', { class: 'muted' }, `${t('agenda.casesShort')}: `),
      r.cases.map((code, i) => [i ? ', ' : null, links
        ? h('a', { href: `/cases/${enc(code)}`, class: 'case-code' }, code) : h('span', { class: 'case-code' }, code)])));
  }
  return out;
}

// The cases awaiting the Authority's formal identification, each decided here once the meeting
// is held: the decision is the case's formal identification step, recorded once (Instruction 132
// §5) and linked both ways.
function casesToDecide(it, env) {
  const { m } = env;
  const decided = new Map((m.decisions || []).filter((d) => d.case_code).map((d) => [d.case_code, d]));
  const may = env.canEdit && m.status === 'held' && m.minutes_status !== 'approved';
  return h('ul', { class: 'plain-list agenda-cases' }, it.refs.cases.map((code) => {
    const d = decided.get(code);
    return h('li', null, h('a', { href: `/cases/${enc(code)}`, class: 'case-code' }, code), ' ',
      d ? h('span', { class: 'muted' }, t('decideCase.decidedIn', { n: d.number }))
        : may ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => decideCase(env, code, it) }, t('decideCase.button'),
          h('span', { class: 'sr-only' }, ` ${code}`)) : null);
  }));
}

async function decideCase(env, code, item) {
  const { m, ctx } = env;
  const [def, c, institutions, types, counties] = await Promise.all([loadCaseForm(), get(`/cases/${enc(code)}`), loadInstitutions(),
    loadInstitutionTypes(), loadCounties()]);
  const stage = def.workflow.decision?.stage;
  const bound = (b) => [...def.fields.values()].find((f) => f.binding === b)?.name;
  // The meeting and its day are this meeting's: the server sets them.
  const set = new Set([bound('decision_date'), bound('decision_meeting')]);
  const outcome = bound('decision');
  const { names: asked, required } = transitionFields(def, stage, c.is_child);
  const names = asked.filter((n) => !set.has(n) && maySet(def, n, ctx.user));
  const have = new Set(c.personal_fields || []);
  const kept = new Set(names.filter((n) => def.fields.get(n).personal && have.has(n)));
  const cenv = { institutions, types, counties, defaultCounty: c.county || '', user: ctx.user, meetings: [m] };
  const done = await dialog(t('decideCase.title', { code }), (close) => caseForm({
    def, env: cenv, names, values: { ...c.fields }, stage, required, kept, childDefault: c.is_child, heading: 'h3',
    top: h('p', null, t('decideCase.explain', { date: fmtDate(m.date) })),
    submitLabel: t('decideCase.submit'),
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v, changed) => {
      const fields = { ...changed };
      for (const n of [...set, outcome]) delete fields[n];
      const spec = { code, version: c.version, outcome: v[outcome] };
      if (Object.keys(fields).length) spec.fields = fields;
      try {
        close(await post(`/meetings/${m.id}/decisions`, { item: item.id, case: spec }));
      } catch (err) {
        // The server names what it refuses inside "case": shown on the form's own field.
        if (err instanceof ApiError && err.field?.startsWith('case.')) {
          const f = err.field.slice(5);
          err.field = f === 'outcome' ? outcome : f.replace(/^fields\./, '');
        }
        throw err;
      }
    },
  }).el);
  if (done) ctx.refresh(t('decideCase.done', { code, n: done.number }));
}

function agendaSection(env) {
  const { m } = env;
  const items = m.agenda || [];
  const mayEdit = env.canEdit && m.status !== 'cancelled' && !(m.decisions || []).length && m.minutes_status !== 'approved';
  return section(t('agenda.title'),
    items.length ? h('ol', { class: 'agenda-list' }, items.map((it) => h('li', { class: ['agenda-item', it.kind !== 'item' && 'agenda-proposed'] },
      h('p', { class: 'agenda-title' }, h('span', { class: 'member-name' }, itemTitle(it)),
        it.kind !== 'item' ? [' ', tag(t('agenda.proposedTag'), 'neutral')] : null),
      it.presenter ? h('p', { class: 'muted' }, t('agenda.presentedBy', { name: it.presenter })) : null,
      refsView(it, env)))) : h('p', { class: 'empty' }, t('agenda.empty')),
    mayEdit ? h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => editAgenda(env) }, t('agenda.edit'))) : null);
}

async function editAgenda(env) {
  const { m, ctx } = env;
  const own = (m.agenda || []).filter((it) => it.kind === 'item');
  const editor = agendaEditor(own.length ? own : [{}]);
  const done = await dialog(t('agenda.edit'), (close) => {
    const form = makeForm({
      fields: [h('p', { class: 'hint' }, t('agenda.editExplain')), editor.el],
      submitLabel: t('common.save'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      labels: (name) => editor.label(name),
      controls: (name) => editor.control(name),
      onSubmit: async () => {
        const a = editor.read();
        if (a.errors.length) {
          form.showErrors(a.errors);
          return;
        }
        close(await api('PUT', `/meetings/${m.id}/agenda`, { items: a.items }));
      },
    });
    return form.el;
  });
  if (done) ctx.refresh(t('agenda.saved'));
}

// ---- guests ----

// true / false once the attendance is recorded, null before.
function attendedText(g) {
  if (g.attended === true) return t('guest.came');
  if (g.attended === false) return t('guest.didNotCome');
  return '—';
}

// Guests' addresses are theirs: the server leaves them out for the Ministry's monitor.
function guestsSection(env) {
  const { m } = env;
  const guests = m.guests || [];
  const emails = guests.some((g) => 'email' in g);
  return section(t('invite.title'), table({
    caption: t('invite.title'),
    empty: t('invite.none'),
    rows: guests,
    columns: [
      { label: t('guest.name'), cell: (g) => g.name },
      { label: t('guest.organisation'), cell: (g) => g.organisation || '—' },
      emails ? { label: t('invite.email'), cell: (g) => g.email || '—' } : null,
      { label: t('guest.attended'), cell: attendedText },
    ].filter(Boolean),
  }));
}

// ---- attendance and quorum ----

function seatCell(s) {
  const inst = s.institution && !L(s.label).includes(s.institution) ? h('span', { class: 'muted block' }, s.institution) : null;
  return h('div', null, L(s.label), s.role === 'chair' ? [' ', tag(labelOf('seat_role', 'chair'))] : null, inst);
}

// A vacant seat (nobody holds it on the meeting's day) says so in words and a symbol, and that it
// does not count towards the quorum unless the body's rule counts every seat.
function memberCell(s, q) {
  if (s.member) return h('span', { class: 'member-name' }, s.member);
  return h('span', { class: 'seat-vacant' }, h('span', { class: 'badge badge-vacant' }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '○'),
    t('attendance.vacant')), countsForQuorum(q, s) ? null : h('span', { class: 'muted block' }, t('attendance.vacantNotCounted')));
}

function quorumLine(q) {
  return h('div', { class: ['quorum', quorumHeld(q) ? 'quorum-held' : 'quorum-not'] }, quorumBadge(quorumHeld(q)), ' ',
    h('span', { class: 'quorum-text' }, quorumText(q)));
}

function attendanceReadOnly(env) {
  const { m } = env;
  const came = (m.guests || []).filter((g) => g.attended === true);
  return [
    quorumLine(m.quorum),
    table({
      caption: t('attendance.title'),
      rows: m.attendance || [],
      rowClass: (s) => (s.member ? null : 'row-vacant'),
      columns: [
        { label: t('attendance.seat'), cell: seatCell },
        { label: t('attendance.member'), cell: (s) => memberCell(s, m.quorum) },
        { label: t('attendance.status'), cell: (s) => (s.status ? h('div', null, labelOf('attendance', s.status),
          s.status === 'represented' ? h('span', { class: 'muted block' }, t('attendance.representedBy', { name: s.substitute || '—', auth: s.authorisation || '—' })) : null)
          : h('span', { class: 'muted' }, t('attendance.notMarked'))) },
      ],
    }),
    came.length ? h('p', null, t('attendance.guestsCame', { names: came.map((g) => g.name).join(', ') })) : null,
  ];
}

function attendanceForm(env) {
  const { m, ctx } = env;
  const q = { ...m.quorum };
  const live = h('div', { class: 'quorum-live', role: 'status', 'aria-live': 'polite' });
  const rows = (m.attendance || []).map((s) => {
    const seatLabel = L(s.label);
    const radios = ATTENDANCE.map((st) => {
      const id = uid(`att-${s.seat}`);
      const input = h('input', { type: 'radio', id, name: `att-${s.seat}`, value: st, checked: s.status === st });
      return { input, el: h('span', { class: 'radio att-radio' }, input, h('label', { for: id }, labelOf('attendance', st))) };
    });
    const sub = rowInput(t('attendance.substitute'), { name: 'substitute', value: s.substitute || '', required: true, maxlength: 200 });
    const auth = rowInput(t('attendance.authorisation'), { name: 'authorisation', value: s.authorisation || '', required: true,
      maxlength: 300, hint: t('attendance.authorisationHint') });
    const subBox = h('div', { class: 'att-sub' }, sub.wrap, auth.wrap);
    subBox.hidden = s.status !== 'represented';
    const fs = h('fieldset', { class: 'att-choices', dataset: { seat: s.seat } },
      h('legend', { class: 'sr-only' }, t('attendance.of', { seat: seatLabel })),
      h('div', { class: 'att-radios' }, radios.map((r) => r.el)), subBox);
    const row = { s, seatLabel, radios, sub, auth, subBox, fs, status: () => radios.find((r) => r.input.checked)?.input.value || null };
    return row;
  });

  // The count follows the server's rule: a vacant seat marked present does not make the quorum.
  function update() {
    const counted = rows.filter((r) => countsForQuorum(q, r.s));
    q.present = counted.filter((r) => r.status() === 'present').length;
    q.represented = counted.filter((r) => r.status() === 'represented').length;
    for (const r of rows) r.subBox.hidden = r.status() !== 'represented';
    live.replaceChildren(quorumLine(q));
  }
  update();

  const guestBoxes = (m.guests || []).map((g) => {
    const id = uid('came');
    const box = h('input', { type: 'checkbox', id, checked: g.attended === true });
    return { g, box, el: h('div', { class: 'check' }, box, h('label', { for: id }, t('attendance.guestCame', { name: g.name }),
      g.organisation ? h('span', { class: 'muted' }, ` — ${g.organisation}`) : null)) };
  });

  const allPresent = h('button', { type: 'button', class: 'btn btn-small', onclick: () => {
    for (const r of rows) if (r.s.member && !r.status()) r.radios[0].input.checked = true;
    update();
  } }, t('attendance.allPresent'));

  const sheet = h('div', { class: 'table-wrap' }, h('table', { class: 'data attendance-sheet' },
    h('caption', { class: 'sr-only' }, t('attendance.title')),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('attendance.seat')), h('th', { scope: 'col' }, t('attendance.member')),
      h('th', { scope: 'col' }, t('attendance.status')))),
    h('tbody', null, rows.map((r) => h('tr', { class: r.s.member ? null : 'row-vacant' },
      h('th', { scope: 'row' }, seatCell(r.s)),
      h('td', { 'data-label': t('attendance.member') }, memberCell(r.s, q)),
      h('td', { 'data-label': t('attendance.status') }, r.fs))))));
  sheet.addEventListener('change', update);

  let sent = [];
  const form = makeForm({
    className: 'attendance-form',
    fields: [
      h('p', { class: 'hint' }, t('attendance.explain')),
      live,
      h('p', { class: 'row-actions' }, allPresent),
      sheet,
      guestBoxes.length ? h('fieldset', { class: 'field-group-box' }, h('legend', null, t('attendance.guests')), guestBoxes.map((b) => b.el)) : null,
    ].filter(Boolean),
    submitLabel: t('attendance.save'),
    labels: (name) => {
      const x = /^seats\.(\d+)/.exec(name);
      return x && sent[Number(x[1])] ? sent[Number(x[1])].seatLabel : null;
    },
    controls: (name) => {
      const x = /^seats\.(\d+)/.exec(name);
      const r = x && sent[Number(x[1])];
      if (!r) return null;
      if (r.status() === 'represented') return r.sub.input.value.trim() ? r.auth.input : r.sub.input;
      return r.radios[0].input;
    },
    onSubmit: async () => {
      const errors = [];
      sent = rows.filter((r) => r.status());
      for (const r of sent) {
        if (r.status() !== 'represented') continue;
        if (!r.sub.input.value.trim()) errors.push([r.sub.input, t('attendance.substituteRequired', { seat: r.seatLabel })]);
        if (!r.auth.input.value.trim()) errors.push([r.auth.input, t('attendance.authorisationRequired', { seat: r.seatLabel })]);
      }
      if (!sent.length) errors.push([rows[0]?.radios[0].input || null, t('attendance.noneMarked')]);
      if (errors.length) {
        form.showErrors(errors);
        return;
      }
      const seats = sent.map((r) => {
        const x = { seat: r.s.seat, status: r.status() };
        if (x.status === 'represented') {
          x.substitute = r.sub.input.value.trim();
          x.authorisation = r.auth.input.value.trim();
        }
        return x;
      });
      const body = { seats };
      if (guestBoxes.length) body.guests = guestBoxes.map((b) => ({ id: b.g.id, attended: b.box.checked }));
      const saved = await api('PUT', `/meetings/${m.id}/attendance`, body);
      ctx.refresh(t('attendance.saved', { quorum: quorumHeld(saved.quorum) ? t('quorum.held') : t('quorum.notHeld') }));
    },
  });
  return form.el;
}

function attendanceSection(env) {
  const { m } = env;
  if (m.status === 'cancelled') return null;
  const open = env.canEdit && m.minutes_status !== 'approved' && todayISO() >= m.date;
  let content;
  if (open) content = attendanceForm(env);
  else if (m.quorum?.recorded) content = attendanceReadOnly(env);
  else content = h('p', { class: 'empty' }, t('attendance.fromDay', { date: fmtDate(m.date) }));
  return section(t('attendance.title'), content);
}

// ---- decisions and their tasks ----

// The tasks a decision gives: what, which institution (and person), by when.
function tasksEditor(institutions, people, county) {
  const rows = [];
  const list = h('ol', { class: 'row-list' });
  const options = institutionOptions(institutions, county);
  const addBtn = h('button', { type: 'button', class: 'btn', onclick: () => {
    const r = add();
    r.title.input.focus();
  } }, t('decision.addTask'));

  function personOptions(select, inst) {
    const mine = people.filter((p) => String(p.institution) === String(inst));
    select.replaceChildren(h('option', { value: '' }, t('decision.noPerson')),
      ...mine.map((p) => h('option', { value: p.id }, p.position ? `${p.name} — ${p.position}` : p.name)));
    select.disabled = !mine.length;
  }

  function add() {
    const r = {};
    r.title = rowInput(t('task.title'), { name: 'task_title', required: true, maxlength: 500 });
    const instId = uid('task-inst');
    r.inst = h('select', { id: instId, name: 'task_institution', required: true },
      h('option', { value: '' }, t('form.choose')),
      options.map((g) => h('optgroup', { label: g.group }, g.options.map((o) => h('option', { value: o.value }, o.label)))));
    const personId = uid('task-person');
    r.person = h('select', { id: personId, name: 'task_person' });
    personOptions(r.person, '');
    r.inst.addEventListener('change', () => personOptions(r.person, r.inst.value));
    r.due = rowInput(t('task.due'), { name: 'task_due', required: true, maxlength: 10, inputmode: 'numeric', cls: 'input-date', hint: t('form.dateHint') });
    r.remove = h('button', { type: 'button', class: 'btn btn-small', onclick: () => {
      rows.splice(rows.indexOf(r), 1);
      r.el.remove();
      addBtn.focus();
    } }, t('decision.removeTask'));
    r.el = h('li', { class: 'group-row' }, h('h3', { class: 'group-row-title' }, t('decision.task')),
      r.title.wrap,
      h('div', { class: 'field field-sub' }, h('label', { for: instId }, t('task.owner')), r.inst),
      h('div', { class: 'field field-sub' }, h('label', { for: personId }, t('task.person'), h('span', { class: 'optional' }, ` (${t('form.optional')})`)), r.person),
      r.due.wrap,
      h('div', { class: 'row-actions' }, r.remove));
    rows.push(r);
    list.append(r.el);
    return r;
  }

  return {
    el: h('div', null, list, h('p', { class: 'group-add' }, addBtn)),
    read() {
      const out = [];
      const errors = [];
      rows.forEach((r, i) => {
        const title = r.title.input.value.trim();
        const inst = r.inst.value;
        const dueText = r.due.input.value.trim();
        if (!title && !inst && !dueText) return;
        const n = i + 1;
        if (!title) errors.push([r.title.input, t('decision.taskTitleRequired', { n })]);
        if (!inst) errors.push([r.inst, t('decision.taskOwnerRequired', { n })]);
        let due = null;
        if (!dueText) errors.push([r.due.input, t('decision.taskDueRequired', { n })]);
        else {
          due = readDate(dueText).iso;
          if (!due) errors.push([r.due.input, dateError(dueText, t('decision.taskDueLabel', { n }))]);
        }
        const task = { title, institution: Number(inst), due };
        if (r.person.value) task.person = Number(r.person.value);
        out.push(task);
      });
      return { tasks: out, errors };
    },
    control(field) {
      const x = /^tasks\.(\d+)(?:\.(\w+))?/.exec(field || '');
      if (!x) return null;
      const filled = rows.filter((r) => r.title.input.value.trim() || r.inst.value || r.due.input.value.trim());
      const r = filled[Number(x[1])];
      if (!r) return null;
      return { institution: r.inst, person: r.person, due: r.due.input }[x[2]] || r.title.input;
    },
    label(field) {
      const x = /^tasks\.(\d+)(?:\.(\w+))?/.exec(field || '');
      if (!x) return null;
      const what = { institution: t('task.owner'), person: t('task.person'), due: t('task.due') }[x[2]] || t('task.title');
      return `${t('decision.taskN', { n: Number(x[1]) + 1 })}, ${what}`;
    },
  };
}

async function decide(env) {
  const { m, ctx } = env;
  const [institutions, people] = await Promise.all([loadInstitutionList(), loadPersons()]);
  const tasks = tasksEditor(institutions, people, m.county);
  const held = quorumHeld(m.quorum);
  const items = [{ value: '', label: t('decision.noItem') },
    ...(m.agenda || []).map((it) => ({ value: it.id, label: `${it.position}. ${itemTitle(it)}` }))];
  const done = await dialog(t('decision.add'), (close) => {
    const form = makeForm({
      fields: [
        notice(held ? t('decision.withQuorum') : t('decision.withoutQuorum'), held ? 'info' : 'warning'),
        { name: 'text', label: t('decision.text'), type: 'textarea', required: true, maxlength: 5000, rows: 4, autofocus: true },
        { name: 'item', label: t('decision.item'), type: 'select', options: items },
        h('p', { class: 'hint' }, t('decision.votesHint')),
        { name: 'votes_for', label: t('decision.for'), type: 'integer' },
        { name: 'votes_against', label: t('decision.against'), type: 'integer' },
        { name: 'votes_abstain', label: t('decision.abstain'), type: 'integer' },
        h('fieldset', { class: 'field-group-box' }, h('legend', null, t('decision.tasks')),
          h('p', { class: 'hint' }, t('decision.tasksHint')), tasks.el),
      ],
      submitLabel: t('decision.submit'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      labels: (name) => tasks.label(name) || { 'votes.for': t('decision.for'), 'votes.against': t('decision.against'), 'votes.abstain': t('decision.abstain'), votes: t('decision.votes') }[name] || null,
      controls: (name) => tasks.control(name) || { 'votes.for': form.input('votes_for'), 'votes.against': form.input('votes_against'), 'votes.abstain': form.input('votes_abstain'), votes: form.input('votes_for') }[name] || null,
      onSubmit: async (v) => {
        const tk = tasks.read();
        if (tk.errors.length) {
          form.showErrors(tk.errors);
          return;
        }
        const req = { text: v.text };
        if (v.item) req.item = Number(v.item);
        if (v.votes_for != null || v.votes_against != null || v.votes_abstain != null) {
          req.votes = { for: v.votes_for ?? 0, against: v.votes_against ?? 0, abstain: v.votes_abstain ?? 0 };
        }
        if (tk.tasks.length) req.tasks = tk.tasks;
        close(await post(`/meetings/${m.id}/decisions`, req));
      },
    });
    return form.el;
  });
  if (!done) return;
  const given = done.tasks?.length || 0;
  ctx.refresh(t(!given ? 'decision.added' : given === 1 ? 'decision.addedTask' : 'decision.addedTasks', { n: done.number, tasks: given }));
}

function votesText(d) {
  if (d.votes_for == null && d.votes_against == null && d.abstentions == null) return t('decision.noVote');
  return t('decision.votesText', { for: d.votes_for ?? 0, against: d.votes_against ?? 0, abstain: d.abstentions ?? 0 });
}

function decisionsSection(env) {
  const { m } = env;
  if (m.status === 'cancelled') return null;
  const list = m.decisions || [];
  const mayDecide = env.canEdit && m.status === 'held' && m.minutes_status !== 'approved';
  const itemOf = (id) => (m.agenda || []).find((it) => it.id === id);
  return section(t('decisions.title'),
    list.length ? h('ol', { class: 'decision-list' }, list.map((d) => {
      const it = d.item ? itemOf(d.item) : null;
      const given = env.tasksByDecision.get(d.id) || [];
      return h('li', { class: 'decision' },
        h('h3', null, t('decision.number', { n: d.number })),
        h('p', { class: 'decision-text' }, fmtText(d.text)),
        h('p', { class: 'decision-meta' },
          it ? h('span', { class: 'block muted' }, t('decision.onItem', { n: it.position, title: itemTitle(it) })) : null,
          h('span', null, votesText(d)), ' ',
          tag(d.quorum ? t('decision.quorumHeld') : t('decision.quorumNotHeld'), d.quorum ? 'ok' : 'warning')),
        d.case_code ? h('p', null, readsCases(env.user) ? h('a', { href: `/cases/${enc(d.case_code)}`, class: 'case-code' }, d.case_code)
          : h('span', { class: 'case-code' }, d.case_code)) : null,
        given.length ? h('ul', { class: 'plain-list decision-tasks' }, given.map((x) => h('li', null,
          h('a', { href: `/tasks/${x.id}` }, x.title), ' — ', pick({ name: x.institution_name, name_en: x.institution_name_en }),
          x.person_name ? ` (${x.person_name})` : '', ', ', t('task.dueOn', { date: fmtDate(x.due) }), ' ', taskStatus(x)))) : null);
    })) : h('p', { class: 'empty' }, env.draftHidden && m.status === 'held' ? t('minutes.whenApproved')
      : m.status === 'held' ? t('decisions.none') : t('decisions.afterAttendance')),
    mayDecide ? h('p', null, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => decide(env) }, t('decision.add'))) : null);
}

// ---- minutes ----

function minutesText(text) {
  return text ? h('div', { class: 'minutes-text' }, text.split(/\n{2,}/).map((p) => h('p', null, p))) : h('p', { class: 'empty' }, t('minutes.noText'));
}

function minutesReadOnly(m) {
  return h('div', { class: 'minutes-read' },
    (m.agenda || []).map((it) => h('div', { class: 'minutes-item' },
      h('h3', null, `${it.position}. ${itemTitle(it)}`), minutesText(it.minutes))),
    h('h3', null, t('minutes.summary')), minutesText(m.minutes_summary));
}

function minutesForm(env) {
  const { m, ctx } = env;
  const items = m.agenda || [];
  const form = makeForm({
    className: 'minutes-form',
    fields: [
      ...items.map((it) => ({ name: `item_${it.id}`, label: t('minutes.ofItem', { n: it.position, title: itemTitle(it) }), type: 'textarea',
        rows: 4, maxlength: 20000, value: it.minutes || '', noOptional: true })),
      { name: 'summary', label: t('minutes.summary'), type: 'textarea', rows: 5, maxlength: 20000, value: m.minutes_summary || '', noOptional: true,
        hint: t('minutes.summaryHint') },
    ],
    labels: (name) => {
      const x = /^items\.(\d+)/.exec(name);
      return x && items[Number(x[1])] ? t('minutes.ofItem', { n: items[Number(x[1])].position, title: itemTitle(items[Number(x[1])]) }) : null;
    },
    // What is typed is kept on the server until the minutes are saved (drafts.js).
    draft: { form: 'minutes', key: String(m.id) },
    submitLabel: t('minutes.save'),
    onSubmit: async (v) => {
      const body = { summary: v.summary || '', items: items.map((it) => ({ item: it.id, minutes: v[`item_${it.id}`] || '' })) };
      await api('PUT', `/meetings/${m.id}/minutes`, body);
      ctx.refresh(t('minutes.saved'));
    },
  });
  return form.el;
}

function minutesSection(env) {
  const { m } = env;
  if (m.status !== 'held') return null;
  if (env.draftHidden) return section(t('minutes.title'), h('p', { class: 'minutes-state' }, minutesTag('draft'), ' ', t('minutes.whenApproved')));
  const print = h('p', null, h('a', { href: `/meetings/${m.id}/minutes`, class: 'btn' }, t('minutes.printView')));
  if (m.minutes_status === 'approved') {
    const by = env.refs.get(m.approved_in);
    return section(t('minutes.title'),
      notice(h('span', null, t('minutes.frozen'), ' ', by ? h('a', { href: `/meetings/${by.id}` }, t('minutes.approvedIn', { date: fmtDate(by.date) }))
        : t('minutes.approvedInN', { n: m.approved_in })), 'success'),
      facts([[t('minutes.sha256'), h('code', { class: 'hash' }, m.minutes_hash)], m.amendments ? [t('minutes.amendments'), m.amendments] : null]),
      minutesReadOnly(m), print);
  }
  return section(t('minutes.title'),
    h('p', { class: 'minutes-state' }, minutesTag('draft'), ' ', t('minutes.draftExplain')),
    env.canEdit ? minutesForm(env) : minutesReadOnly(m),
    print);
}

// The approval of the previous meeting's minutes, in this (later) meeting once it is held.
function approvalSection(env) {
  const { m } = env;
  const item = (m.agenda || []).find((it) => it.kind === 'minutes_approval');
  const prevId = item?.refs?.meetings?.[0];
  const prev = prevId ? env.refs.get(prevId) : null;
  if (!prev || m.status === 'cancelled') return null;
  const link = h('a', { href: `/meetings/${prev.id}` }, meetingName(prev));
  let content;
  if (prev.minutes_status === 'approved') {
    content = [h('p', null, minutesTag('approved'), ' ', t('minutes.prevApproved'), ' ', link),
      prev.minutes_hash ? facts([[t('minutes.sha256'), h('code', { class: 'hash' }, prev.minutes_hash)]]) : null];
  } else if (env.canEdit && m.status === 'held') {
    content = [h('p', null, t('minutes.prevDraft'), ' ', link),
      h('p', null, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => approve(env, prev) },
        t('minutes.approvePrev', { date: fmtDate(prev.date) })))];
  } else {
    content = h('p', null, t('minutes.prevWhenHeld'), ' ', link);
  }
  return section(t('minutes.approvalTitle'), content);
}

async function approve(env, prev) {
  const { m, ctx } = env;
  const done = await dialog(t('minutes.approvePrev', { date: fmtDate(prev.date) }), (close) => makeForm({
    fields: [
      h('p', null, t('minutes.approveExplain', { date: fmtDate(prev.date) })),
      h('p', null, h('a', { href: `/meetings/${prev.id}/minutes`, target: '_blank', rel: 'noopener' }, t('minutes.readThem'))),
      { name: 'amendments', label: t('minutes.amendments'), type: 'textarea', rows: 4, maxlength: 20000, hint: t('minutes.amendmentsHint') },
    ],
    submitLabel: t('minutes.approveSubmit'),
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v) => {
      const body = { in: m.id };
      if (v.amendments) body.amendments = v.amendments;
      close(await post(`/meetings/${prev.id}/minutes/approve`, body));
    },
  }).el);
  if (done) ctx.refresh(t('minutes.approvedOk', { date: fmtDate(prev.date) }));
}

// ---- materials and notices ----

function materialsSection(env) {
  const { m, ctx } = env;
  const list = m.materials || [];
  const mayAdd = env.canEdit && m.status !== 'cancelled' && m.minutes_status !== 'approved' && serverHas('POST', '/meetings/{id}/materials');
  if (!list.length && !mayAdd) return null;
  let form = null;
  if (mayAdd) {
    form = makeForm({
      fields: [{ name: 'file', label: t('materials.choose'), type: 'file', required: true, accept: DOC_ACCEPT, hint: t('document.hint') }],
      submitLabel: t('materials.upload'),
      onSubmit: async (v) => {
        if (v.file.size > DOC_MAX) {
          form.showErrors([['file', t('document.tooLarge')]]);
          return;
        }
        await uploadFile('POST', `/meetings/${m.id}/materials`, v.file);
        ctx.refresh(t('materials.uploaded', { name: v.file.name }));
      },
    });
  }
  return section(t('materials.title'),
    h('p', { class: 'hint' }, t(env.readsFiles ? 'materials.explain' : 'materials.notForYou')),
    table({
      caption: t('materials.title'),
      empty: t('materials.none'),
      rows: list,
      columns: [
        { label: t('document.file'), cell: (x) => (env.readsFiles
          ? h('a', { href: `/api/v1/meetings/${m.id}/materials/${x.id}`, download: x.filename }, x.filename) : x.filename) },
        { label: t('document.size'), cell: (x) => fmtBytes(x.size) },
        { label: t('document.uploaded'), cell: (x) => fmtDateTime(x.uploaded_at) },
        { label: t('document.sha256'), cell: (x) => h('code', { class: 'hash' }, x.sha256) },
      ],
    }),
    form ? form.el : null);
}

// The notices sent (and the letters still to deliver), one letter of the register at a time.
function noticesSection(env) {
  const list = env.m.notices;
  if (!Array.isArray(list) || !list.length) return null;
  const letters = new Map();
  for (const n of list) {
    const key = n.reference || '—';
    if (!letters.has(key)) letters.set(key, []);
    letters.get(key).push(n);
  }
  const toDeliver = list.some((n) => n.status === 'to_deliver');
  return section(t('notice.title'),
    toDeliver ? h('p', { class: 'hint' }, t('notice.toDeliver', { status: labelOf('notice_status', 'to_deliver') })) : null,
    [...letters].reverse().map(([ref, ns], i) => {
      const counts = new Map();
      for (const n of ns) counts.set(n.status, (counts.get(n.status) || 0) + 1);
      const summary = [...counts].map(([s, c]) => `${labelOf('notice_status', s)}: ${c}`).join(' · ');
      return h('details', { class: 'notice-letter', open: i === 0 ? true : null },
        h('summary', null, h('span', { class: 'member-name' }, t('notice.letter', { number: ref, kind: labelOf('notice_kind', ns[0].kind || 'notice') })),
          ' — ', fmtDateTime(ns[0].sent_at), h('span', { class: 'muted block' }, summary)),
        table({
          caption: t('notice.letter', { number: ref, kind: labelOf('notice_kind', ns[0].kind || 'notice') }),
          rows: ns,
          columns: [
            { label: t('notice.recipient'), cell: (n) => n.recipient || '—' },
            { label: t('notice.channel'), cell: (n) => labelOf('notice_channel', n.channel) },
            { label: t('notice.status'), cell: (n) => (n.status ? labelOf('notice_status', n.status) : '—') },
            { label: t('notice.sentAt'), cell: (n) => (n.sent_at ? fmtDateTime(n.sent_at) : '—') },
          ],
        }));
    }));
}

async function sendNotice(env) {
  const { m, ctx } = env;
  const members = (m.attendance || []).filter((s) => s.member).length;
  const again = (m.notices || []).length > 0;
  const ok = await confirmDialog(t('notice.sendTitle'), [t('notice.sendText', { members, guests: (m.guests || []).length }),
    again ? ` ${t('notice.again')}` : ''].join(''), t(again ? 'notice.sendAgain' : 'notice.send'));
  if (!ok) return;
  try {
    const res = await post(`/meetings/${m.id}/notice`, {});
    ctx.refresh(t('notice.sent', { number: res.number || '—' }));
  } catch (err) {
    if (err instanceof ApiError) {
      await dialog(t('notice.failed'), (close) => h('div', null, h('p', null, errorText(err)),
        h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, t('common.close')))));
    } else throw err;
  }
}

// ---- changing and cancelling ----

async function edit(env) {
  const { m, ctx } = env;
  const done = await dialog(t('meeting.edit'), (close) => {
    const form = makeForm({
      fields: [
        { name: 'date', label: t('meeting.date'), type: 'date', required: true, value: m.date },
        { name: 'time', label: t('meeting.time'), type: 'time', required: true, value: m.time || '' },
        { name: 'end_time', label: t('meeting.endTime'), type: 'time', value: m.end_time || '' },
        { name: 'kind', label: t('meeting.kind'), type: 'radio', required: true, value: m.kind || 'ordinary',
          options: MEETING_KINDS.map((k) => ({ value: k, label: kindLabel(k) })) },
        { name: 'title', label: t('meeting.title'), maxlength: 300, value: m.title || '' },
        { name: 'location', label: t('meeting.location'), maxlength: 300, value: m.location || '' },
        { name: 'link', label: t('meeting.link'), maxlength: 500, value: m.link || '', inputmode: 'url', hint: t('meeting.linkHint') },
        { name: 'reason', label: t('meeting.rescheduleReason'), type: 'textarea', maxlength: 1000, hint: t('meeting.rescheduleHint') },
      ],
      submitLabel: t('common.save'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v) => {
        const changed = {};
        for (const k of CHANGE_FIELDS) {
          const now = v[k] == null || v[k] === '' ? null : v[k];
          if (now !== (m[k] ?? null)) changed[k] = now;
        }
        const moved = ['date', 'time', 'end_time', 'location', 'link'].some((k) => k in changed);
        const errors = [];
        if (!Object.keys(changed).length) errors.push([null, t('meeting.nothingChanged')]);
        if (moved && !v.reason) errors.push(['reason', t('meeting.reasonRequired')]);
        const loc = 'location' in changed ? changed.location : m.location;
        const link = 'link' in changed ? changed.link : m.link;
        if (!loc && !link) errors.push(['location', t('meeting.placeOrLink')]);
        if (changed.link && !/^https?:\/\/\S+$/i.test(changed.link)) errors.push(['link', t('meeting.linkBad')]);
        const start = 'time' in changed ? changed.time : m.time;
        const end = 'end_time' in changed ? changed.end_time : m.end_time;
        if (end && start && end <= start) errors.push(['end_time', t('meeting.endAfterStart')]);
        if (errors.length) {
          form.showErrors(errors);
          return;
        }
        const body = { version: m.version, ...changed };
        if (v.reason) body.reason = v.reason;
        close(await api('PATCH', `/meetings/${m.id}`, body));
      },
    });
    return form.el;
  });
  if (done) ctx.refresh(t(done.date !== m.date || done.time !== m.time ? 'meeting.rescheduled' : 'meeting.saved', { date: fmtDate(done.date) }));
}

async function cancelMeeting(env) {
  const { m, ctx } = env;
  const done = await dialog(t('meeting.cancelTitle', { date: fmtDate(m.date) }), (close) => makeForm({
    fields: [
      h('p', null, t('meeting.cancelExplain')),
      { name: 'reason', label: t('meeting.cancelReason'), type: 'textarea', required: true, maxlength: 1000, autofocus: true },
    ],
    submitLabel: t('meeting.cancelSubmit'),
    danger: true,
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('meeting.keep'))],
    onSubmit: async (v) => close(await post(`/meetings/${m.id}/cancel`, { reason: v.reason })),
  }).el);
  if (done) ctx.refresh(t('meeting.cancelled', { date: fmtDate(m.date) }));
}

// ---- the page ----

export function meetingCrumbs(m, last) {
  const crumbs = [[t('nav.counties'), '/counties']];
  if (m.county) crumbs.push([countyName(m.county), `/counties/${m.county}`]);
  crumbs.push([bodyLabel(m), `/bodies/${m.body}`], [t('meetings.title'), `/bodies/${m.body}/meetings`]);
  return crumbs.concat(last);
}

export default async function meetingScreen(ctx) {
  const m = await get(`/meetings/${enc(ctx.params.id)}`);
  // Its notice, change or cancellation has now been seen.
  markSeen('meeting', m.id);
  const refIds = new Set();
  for (const it of m.agenda || []) for (const id of it.refs?.meetings || []) refIds.add(id);
  if (m.approved_in) refIds.add(m.approved_in);
  const [tasks, refList] = await Promise.all([
    getAll(`/tasks?body=${m.body}`).catch(() => []),
    Promise.all([...refIds].map((id) => get(`/meetings/${id}`).catch(() => null))),
  ]);
  const env = {
    m, ctx, user: ctx.user,
    canEdit: !!m.can_edit,
    // Materials may speak of cases: the Ministry's monitor gets none (an older server listed
    // them, not to download); nor minutes and decisions before they are approved.
    readsFiles: ctx.user.role !== 'ministry_monitor',
    // The Authority decides the cases awaiting its formal identification in its meeting.
    decidesCases: m.body_kind === 'authority' && isAuthority(ctx.user) && serverHas('POST', '/meetings/{id}/decisions'),
    // The server says so for the Ministry's monitor (minutes_hidden).
    draftHidden: m.minutes_hidden === true,
    refs: new Map(refList.filter(Boolean).map((x) => [x.id, x])),
    tasksById: new Map(tasks.map((x) => [x.id, x])),
    tasksByDecision: new Map(),
  };
  for (const x of tasks) {
    if (x.meeting !== m.id) continue;
    if (!env.tasksByDecision.has(x.decision)) env.tasksByDecision.set(x.decision, []);
    env.tasksByDecision.get(x.decision).push(x);
  }
  const scheduled = m.status === 'scheduled';
  const actions = [
    h('a', { href: `/api/v1/meetings/${m.id}/ics`, class: 'btn', download: `meeting-${m.id}.ics`, type: 'text/calendar' }, t('meeting.ics')),
  ];
  if (m.status === 'held' && !env.draftHidden) actions.push(h('a', { href: `/meetings/${m.id}/minutes`, class: 'btn' }, t('minutes.print')));
  if (env.canEdit && scheduled && serverHas('POST', '/meetings/{id}/notice')) {
    actions.push(h('button', { type: 'button', class: ['btn', (m.notices || []).length ? null : 'btn-primary'], onclick: () => sendNotice(env) },
      t((m.notices || []).length ? 'notice.sendAgain' : 'notice.send')));
  }
  if (env.canEdit && scheduled) {
    actions.push(h('button', { type: 'button', class: 'btn', onclick: () => edit(env) }, t('meeting.edit')));
    actions.push(h('button', { type: 'button', class: 'btn', onclick: () => cancelMeeting(env) }, t('meeting.cancel')));
  }
  const overdueTasks = tasks.filter((x) => x.overdue && (m.agenda || []).some((it) => (it.refs?.tasks || []).includes(x.id))).length;

  return h('div', null,
    breadcrumbs(meetingCrumbs(m, [[meetingName(m)]])),
    pageHeader(meetingName(m), { sub: `${bodyLabel(m)} · ${kindLabel(m.kind)}`, actions }),
    h('div', { class: 'case-tags' }, meetingStatusTag(m.status), m.status === 'held' ? [' ', minutesTag(m.minutes_status)] : null),
    m.status === 'cancelled' ? notice(t('meeting.cancelledBecause', { reason: m.cancel_reason || '—' }), 'warning') : null,
    section(t('meeting.details'), facts([
      [t('meeting.date'), fmtDate(m.date)],
      [t('meeting.when'), timeText(m)],
      [t('meeting.kind'), kindLabel(m.kind)],
      [t('meeting.title'), m.title],
      [t('meeting.location'), m.location],
      [t('meeting.link'), m.link ? h('a', { href: m.link, target: '_blank', rel: 'noopener noreferrer' }, m.link) : null],
    ])),
    agendaSection(env),
    overdueTasks ? notice(h('span', null, overdueBadge(), ' ', tn('meeting.overdueTasks', overdueTasks)), 'warning') : null,
    materialsSection(env),
    guestsSection(env),
    noticesSection(env),
    attendanceSection(env),
    approvalSection(env),
    decisionsSection(env),
    minutesSection(env),
    // The Ministry's monitor gets no history (it holds agendas and minutes as they were).
    Array.isArray(m.history) ? section(t('meeting.history'), historyList(m)) : null);
}
