// The meetings of one body: whether it meets as often as it must (its last meeting, the day by
// which it must meet next, overdue shown in words), its own documents (the rules of procedure
// due within a month of its act, I132 §14, overdue until adopted; each version with the meeting
// that adopted it and its file), every meeting with its state and the state of its minutes, and
// the tasks its decisions gave, filtered by state (overdue included). The body's secretariat
// schedules a meeting from here, records a document's version (keeps its correspondence register
// when the server has one).
import { h, srOnly } from '../dom.js';
import { t, pick, fmtDate } from '../i18n.js';
import { get, getAll, post, qs, ApiError } from '../api.js';
import { countyName, keepsMeetings, serverHas, labelOf, labelCodes, isNational } from '../session.js';
import { pageHeader, breadcrumbs, section, table, buttonLink, notice, dialog } from '../ui.js';
import { makeForm } from '../form.js';
import {
  complianceFacts, kindLabel, meetingStatusTag, minutesTag, timeText, tasksTable, taskFilter, TASK_FILTERS, MEETING_BODIES,
  meetingName, overdueBadge, onTimeBadge, uploadFile, DOC_ACCEPT, DOC_MAX,
} from '../meetings.js';

export function bodyCrumbs(body, last) {
  const crumbs = [[t('nav.counties'), '/counties']];
  if (body.county) crumbs.push([countyName(body.county), `/counties/${body.county}`]);
  crumbs.push([pick(body), `/bodies/${body.id}`]);
  return crumbs.concat(last);
}

// ---- the body's own documents ----

const DOCUMENT_KIND = 'body_document_kind';

// "I132 14" → "Instruction 132, §14"; "O94 1.6" → "Order 94, §1.6"; anything else as it is.
function sourceText(src) {
  const m = /^([IO])(\d+)\s+(.+)$/.exec(src || '');
  if (!m) return src || null;
  return t(m[1] === 'I' ? 'bodyDocs.sourceInstruction' : 'bodyDocs.sourceOrder', { n: m[2], para: m[3] });
}

// Adopted (late, if after its due day), overdue, or still to adopt by its day: in words.
function requiredState(r) {
  if (r.adopted_on) {
    const late = r.late ?? (!!r.due && r.adopted_on > r.due);
    return onTimeBadge(t(late ? 'bodyDocs.adoptedLate' : 'bodyDocs.adopted', { date: fmtDate(r.adopted_on), due: fmtDate(r.due) }));
  }
  if (r.overdue) return overdueBadge(t('bodyDocs.overdue', { date: fmtDate(r.due) }));
  return h('span', { class: 'badge badge-vacant' }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, '○'),
    r.due ? t('bodyDocs.dueBy', { date: fmtDate(r.due) }) : t('bodyDocs.notAdopted'));
}

const docName = (d) => `${d.title} (${t('bodyDocs.versionN', { n: d.version })})`;

// The file of a version, uploaded after it was recorded.
async function attachFile(d, ctx) {
  const done = await dialog(t('bodyDocs.attachTitle', { title: docName(d) }), (close) => {
    const form = makeForm({
      fields: [{ name: 'file', label: t('document.choose'), type: 'file', required: true, accept: DOC_ACCEPT, hint: t('document.hint') }],
      submitLabel: t('document.upload'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v) => {
        if (v.file.size > DOC_MAX) {
          form.showErrors([['file', t('document.tooLarge')]]);
          return;
        }
        await uploadFile('PUT', `/body-documents/${d.id}/file`, v.file);
        close(v.file.name);
      },
    });
    return form.el;
  });
  if (done) ctx.refresh(t('document.uploadedOk', { name: done }));
}

// A document is its kind (the rules of procedure, the work plan...); each record is its next
// version (the first is version 1), under its title as adopted, in a held meeting of the body or
// not yet, with its file. Recorded once: a file refused afterwards is sent again by itself.
async function addDocument(body, meetings, data, ctx) {
  const docs = data.documents;
  const kinds = labelCodes(DOCUMENT_KIND);
  const held = meetings.filter((m) => m.status === 'held').sort((a, b) => (a.date < b.date ? 1 : -1));
  const latest = (kind) => docs.filter((d) => d.kind === kind).sort((a, b) => b.version - a.version)[0] || null;
  const titleOf = (kind) => latest(kind)?.title || labelOf(DOCUMENT_KIND, kind);
  // A document required and not yet adopted comes first.
  const first = data.required.find((r) => !r.adopted_on && kinds.includes(r.kind))?.kind || kinds[0];
  let created = null;
  const done = await dialog(t('bodyDocs.addTitle'), (close) => {
    const next = h('p', { class: 'hint', 'aria-live': 'polite' });
    const form = makeForm({
      fields: [
        h('p', { class: 'hint' }, t('bodyDocs.addExplain')),
        { name: 'kind', label: t('bodyDocs.kind'), type: 'select', required: true, value: first,
          options: kinds.map((k) => ({ value: k, label: labelOf(DOCUMENT_KIND, k) })) },
        next,
        { name: 'title', label: t('bodyDocs.docTitle'), required: true, maxlength: 300, value: first ? titleOf(first) : '',
          hint: t('bodyDocs.titleHint') },
        { name: 'adopted_in', label: t('bodyDocs.adoptedIn'), type: 'select', hint: t('bodyDocs.adoptedInHint'),
          options: [{ value: '', label: t('bodyDocs.notYetAdopted') }, ...held.map((m) => ({ value: m.id, label: meetingName(m) }))] },
        { name: 'file', label: t('bodyDocs.file'), type: 'file', accept: DOC_ACCEPT, hint: t('document.hint') },
      ],
      submitLabel: t('bodyDocs.addSubmit'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(created) }, t('common.cancel'))],
      onSubmit: async (v) => {
        if (v.file && v.file.size > DOC_MAX) {
          form.showErrors([['file', t('document.tooLarge')]]);
          return;
        }
        if (!created) {
          const req = { kind: v.kind, title: v.title };
          if (v.adopted_in) req.adopted_in = Number(v.adopted_in);
          created = await post(`/bodies/${body.id}/documents`, req);
          for (const name of ['kind', 'title', 'adopted_in']) form.input(name).disabled = true;
        }
        if (v.file) await uploadFile('PUT', `/body-documents/${created.id}/file`, v.file);
        close({ ...created, file: v.file?.name || null });
      },
    });
    // Which version this will be; the title follows the kind until one is typed.
    const kind = form.input('kind');
    const title = form.input('title');
    let auto = title.value;
    const say = () => {
      const last = latest(kind.value);
      next.textContent = last ? t('bodyDocs.nextVersion', { n: last.version + 1, title: last.title }) : t('bodyDocs.firstVersion');
    };
    kind.addEventListener('change', () => {
      if (title.value.trim() === auto) {
        auto = titleOf(kind.value);
        title.value = auto;
      }
      say();
    });
    say();
    return form.el;
  });
  // Recorded even when the dialog was then closed without its file.
  const rec = done || created;
  if (rec) ctx.refresh(t(rec.file ? 'bodyDocs.addedFile' : 'bodyDocs.added', { title: rec.title, n: rec.version, name: rec.file }));
}

function documentsSection(body, data, meetings, keeps, ctx) {
  const byId = new Map(meetings.map((m) => [m.id, m]));
  // By kind, the latest version first.
  const order = labelCodes(DOCUMENT_KIND);
  const docs = [...data.documents].sort((a, b) => (a.kind !== b.kind ? order.indexOf(a.kind) - order.indexOf(b.kind) : b.version - a.version));
  const overdue = data.required.filter((r) => r.overdue);
  const mayAttach = keeps && serverHas('PUT', '/body-documents/{id}/file');
  return section(t('bodyDocs.title'),
    overdue.map((r) => notice(h('span', null, overdueBadge(t('compliance.overdueShort')), ' ', t('bodyDocs.overdueExplain',
      { kind: labelOf(DOCUMENT_KIND, r.kind), date: fmtDate(r.due) })), 'warning')),
    data.required.length ? table({
      caption: t('bodyDocs.required'),
      rows: data.required,
      rowClass: (r) => (r.overdue ? 'row-overdue' : null),
      columns: [
        { label: t('bodyDocs.kind'), cell: (r) => h('span', { class: 'member-name' }, labelOf(DOCUMENT_KIND, r.kind)) },
        { label: t('bodyDocs.due'), cell: (r) => (r.due ? fmtDate(r.due) : '—') },
        { label: t('bodyDocs.state'), cell: requiredState },
        { label: t('bodyDocs.source'), cell: (r) => sourceText(r.source) || '—' },
      ],
    }) : h('p', { class: 'hint' }, t('bodyDocs.noneRequired')),
    h('h3', { class: 'small-heading' }, t('bodyDocs.versions')),
    table({
      caption: t('bodyDocs.versions'),
      empty: t('bodyDocs.none'),
      rows: docs,
      columns: [
        { label: t('bodyDocs.document'), cell: (d) => h('div', null, h('span', { class: 'member-name' }, d.title),
          h('span', { class: 'muted block' }, labelOf(DOCUMENT_KIND, d.kind))) },
        { label: t('bodyDocs.version'), cell: (d) => t('bodyDocs.versionN', { n: d.version }) },
        { label: t('bodyDocs.adoptedIn'), cell: (d) => {
          if (!d.adopted_in) return h('span', { class: 'muted' }, t('bodyDocs.notYetAdopted'));
          const m = byId.get(d.adopted_in);
          return h('a', { href: `/meetings/${d.adopted_in}` }, m ? meetingName(m) : t('bodyDocs.meetingOf', { date: fmtDate(d.adopted_on) }));
        } },
        { label: t('bodyDocs.file'), cell: (d) => {
          if (d.document) {
            return h('a', { href: `/api/v1/body-documents/${d.id}/file`, download: d.document_name || true }, d.document_name || t('bodyDocs.download'));
          }
          if (!mayAttach) return '—';
          return h('button', { type: 'button', class: 'btn btn-small', onclick: () => attachFile(d, ctx) }, t('bodyDocs.attach'), srOnly(` — ${docName(d)}`));
        } },
      ],
    }),
    keeps && serverHas('POST', '/bodies/{id}/documents') && labelCodes(DOCUMENT_KIND).length
      ? h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => addDocument(body, meetings, data, ctx) }, t('bodyDocs.add'))) : null);
}

// The body's documents, when this server keeps them and the user may read them.
async function loadDocuments(id) {
  if (!serverHas('GET', '/bodies/{id}/documents')) return null;
  try {
    return await get(`/bodies/${id}/documents`);
  } catch (err) {
    if (err instanceof ApiError && [403, 404].includes(err.status)) return null;
    throw err;
  }
}

export default async function bodyMeetings(ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const filter = TASK_FILTERS.includes(ctx.query.get('tasks')) ? ctx.query.get('tasks') : 'all';
  const [body, meetings, compliance, tasks, documents] = await Promise.all([
    get(`/bodies/${id}`),
    getAll(`/bodies/${id}/meetings`),
    get(`/bodies/${id}/compliance`),
    getAll(`/tasks${qs({ body: ctx.params.id, status: filter === 'all' ? '' : filter })}`),
    loadDocuments(id),
  ]);
  const name = pick(body);
  const keeps = body.can_edit && keepsMeetings(ctx.user);
  const actions = [];
  if (keeps && MEETING_BODIES.includes(body.kind)) actions.push(buttonLink(`/bodies/${body.id}/meetings/new`, t('meetings.schedule'), { class: 'btn-primary' }));
  // The register: its secretariat and the body's own members (a county's is not the Authority's).
  const readsRegister = keeps || (ctx.user.role !== 'ministry_monitor' && (body.county ? ctx.user.county === body.county : isNational(ctx.user)));
  if (serverHas('GET', '/bodies/{id}/correspondence') && readsRegister) actions.push(buttonLink(`/correspondence${qs({ body: body.id })}`, t('correspondence.title')));

  return h('div', null,
    breadcrumbs(bodyCrumbs(body, [[t('meetings.title')]])),
    pageHeader(t('meetings.ofBody', { body: name }), { sub: [labelOf('kind', body.kind), body.county ? countyName(body.county) : t('user.national')].join(' · '), actions }),
    section(t('compliance.title'), complianceFacts(compliance),
      compliance.overdue ? notice(t('compliance.overdueExplain', { date: fmtDate(compliance.next_due) }), 'warning') : null),
    documents ? documentsSection(body, documents, meetings, keeps, ctx) : null,
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
