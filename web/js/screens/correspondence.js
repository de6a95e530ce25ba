// A body's correspondence register (Order 94 §1.7a, Instruction 132 §9): every notice and letter,
// outgoing and incoming, with its number N/YYYY, day, party, subject and the meeting it concerns;
// searchable by words and year. The secretariat keeps it: notices are numbered by the server when
// they are sent, and other letters are recorded here. Offered once the server answers
// GET /bodies/{id}/correspondence (a newer server); /correspondence?body=ID&q=&year=.
import { h, srOnly } from '../dom.js';
import { t, pick, fmtDate, todayISO } from '../i18n.js';
import { get, getAll, post, qs, ApiError } from '../api.js';
import { isNational, labelOf, countyName, keepsMeetings, canEditOrg, serverHas } from '../session.js';
import { pageHeader, section, table, notice, dialog } from '../ui.js';
import { makeForm } from '../form.js';
import { MEETING_BODIES, meetingName, fmtText, uploadFile, DOC_ACCEPT, DOC_MAX } from '../meetings.js';

const DIRECTIONS = ['out', 'in'];

// The bodies whose register the user keeps: the county's, or the national ones (and, for the
// administrator, every county's).
async function keptBodies(u) {
  if (u.county) return (await get(`/counties/${encodeURIComponent(u.county)}`)).bodies.filter((b) => MEETING_BODIES.includes(b.kind));
  const all = (await get('/bodies')).items.filter((b) => MEETING_BODIES.includes(b.kind));
  return u.role === 'admin' ? all : all.filter((b) => !b.county);
}

async function record(body, meetings, ctx) {
  const done = await dialog(t('correspondence.add'), (close) => makeForm({
    fields: [
      { name: 'direction', label: t('correspondence.direction'), type: 'radio', required: true, value: 'in',
        options: DIRECTIONS.map((d) => ({ value: d, label: labelOf('correspondence_direction', d) })) },
      { name: 'day', label: t('correspondence.day'), type: 'date', required: true, value: todayISO() },
      { name: 'party', label: t('correspondence.party'), required: true, maxlength: 300, hint: t('correspondence.partyHint') },
      { name: 'subject', label: t('correspondence.subject'), type: 'textarea', required: true, maxlength: 1000 },
      { name: 'meeting', label: t('correspondence.meeting'), type: 'select',
        options: [{ value: '', label: t('correspondence.noMeeting') }, ...meetings.map((m) => ({ value: m.id, label: meetingName(m) }))] },
    ],
    submitLabel: t('correspondence.addSubmit'),
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v) => {
      const req = { direction: v.direction, day: v.day, party: v.party, subject: v.subject };
      if (v.meeting) req.meeting = Number(v.meeting);
      close(await post(`/bodies/${body.id}/correspondence`, req));
    },
  }).el);
  if (done) ctx.refresh(t('correspondence.added', { number: done.reference || `${done.number}/${done.year}` }));
}

// The signed copy of a letter, or what came in: its attachment.
async function attach(letter, ctx) {
  const done = await dialog(t('correspondence.attachTitle', { number: letter.reference || letter.number }), (close) => {
    const form = makeForm({
      fields: [{ name: 'file', label: t('document.choose'), type: 'file', required: true, accept: DOC_ACCEPT, hint: t('document.hint') }],
      submitLabel: t('document.upload'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v) => {
        if (v.file.size > DOC_MAX) {
          form.showErrors([['file', t('document.tooLarge')]]);
          return;
        }
        await uploadFile('PUT', `/correspondence/${letter.id}/document`, v.file);
        close(v.file.name);
      },
    });
    return form.el;
  });
  if (done) ctx.refresh(t('document.uploadedOk', { name: done }));
}

export default async function correspondence(ctx) {
  const u = ctx.user;
  const bodies = await keptBodies(u);
  const chosen = bodies.find((b) => String(b.id) === ctx.query.get('body')) || bodies[0];
  const q = ctx.query.get('q') || '';
  const year = /^\d{4}$/.test(ctx.query.get('year') || '') ? ctx.query.get('year') : '';
  const header = pageHeader(t('correspondence.title'), { sub: chosen ? pick(chosen) : '' });
  if (!chosen) return h('div', null, header, notice(t('correspondence.noBodies'), 'info'));

  let items;
  let meetings = [];
  try {
    [items, meetings] = await Promise.all([
      getAll(`/bodies/${chosen.id}/correspondence${qs({ q, year })}`),
      getAll(`/bodies/${chosen.id}/meetings`).catch(() => []),
    ]);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
      return h('div', null, header, notice(t('correspondence.unavailable'), 'info'));
    }
    throw err;
  }
  const meetingById = new Map(meetings.map((m) => [m.id, m]));
  const keeps = keepsMeetings(u) && canEditOrg(chosen.county || null, u);

  const bodySelect = h('select', { id: 'co-body', name: 'body' }, bodies.map((b) => h('option', { value: b.id, selected: b.id === chosen.id },
    isNational(u) && b.county ? `${pick(b)} (${countyName(b.county)})` : pick(b))));
  const qInput = h('input', { id: 'co-q', name: 'q', type: 'search', value: q, autocomplete: 'off' });
  const yearInput = h('input', { id: 'co-year', name: 'year', type: 'text', inputmode: 'numeric', value: year, size: 4, maxlength: 4 });
  const search = h('form', { class: 'filters-form', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    ctx.navigate(`/correspondence${qs({ body: bodySelect.value, q: qInput.value.trim(), year: yearInput.value.trim() })}`);
  } },
  h('div', { class: 'filters-grid' },
    h('div', { class: 'field' }, h('label', { for: 'co-body' }, t('correspondence.body')), bodySelect),
    h('div', { class: 'field' }, h('label', { for: 'co-q' }, t('correspondence.search')), qInput),
    h('div', { class: 'field' }, h('label', { for: 'co-year' }, t('correspondence.year')), yearInput)),
  h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn' }, t('common.search'))));

  return h('div', null,
    header,
    h('p', { class: 'hint' }, t('correspondence.explain')),
    search,
    section(t('correspondence.register'),
      table({
        caption: t('correspondence.register'),
        empty: q || year ? t('correspondence.noneFound') : t('correspondence.none'),
        rows: items,
        columns: [
          { label: t('correspondence.number'), cell: (x) => h('span', { class: 'case-code' }, x.reference || `${x.number}/${x.year}`) },
          { label: t('correspondence.direction'), cell: (x) => labelOf('correspondence_direction', x.direction) },
          { label: t('correspondence.day'), cell: (x) => fmtDate(x.day) },
          { label: t('correspondence.party'), cell: (x) => x.party || '—' },
          { label: t('correspondence.subject'), cell: (x) => fmtText(x.subject) || '—' },
          { label: t('correspondence.meeting'), cell: (x) => (x.meeting ? h('a', { href: `/meetings/${x.meeting}` },
            meetingById.has(x.meeting) ? meetingName(meetingById.get(x.meeting)) : t('agenda.meetingN', { n: x.meeting })) : '—') },
          { label: t('correspondence.attachment'), cell: (x) => {
            if (x.document) return h('a', { href: `/api/v1/correspondence/${x.id}/document`, download: x.document_name || true }, x.document_name || t('correspondence.file'));
            if (!keeps || !serverHas('PUT', '/correspondence/{id}/document')) return '—';
            return h('button', { type: 'button', class: 'btn btn-small', onclick: () => attach(x, ctx) }, t('correspondence.attach'),
              srOnly(` — ${x.reference || x.number}`));
          } },
        ],
      }),
      keeps
        ? h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => record(chosen, meetings, ctx) }, t('correspondence.add'))) : null));
}
