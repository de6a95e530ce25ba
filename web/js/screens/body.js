// A body (the Authority, a KRAT, a Technical Table, a secretariat, a municipal group): its seats
// with who holds them and a vacant / filled / overdue badge, its latest meetings with its
// compliance with its frequency (for those who read meetings), and its invited guests. A person
// nominated from a later day does not fill the seat until then: the seat shows as vacant (or
// overdue) with who comes and when.
import { h, srOnly } from '../dom.js';
import { t, pick, fmtDate, tn, todayISO } from '../i18n.js';
import { get, getAll, post, patch, ApiError } from '../api.js';
import { countyName, loadInstitutions, institutionName, labelOf, readsMeetingsOf, keepsMeetings, readsRegisters, serverHas } from '../session.js';
import { MEETING_BODIES, MEETING_KINDS, kindLabel, meetingStatusTag, complianceFacts } from '../meetings.js';
import { pageHeader, breadcrumbs, section, table, summaryStats, statusBadge, facts, dialog, tag } from '../ui.js';
import { makeForm } from '../form.js';

const FILTERS = ['all', 'vacant', 'overdue', 'filled'];

function memberCell(s) {
  const next = s.upcoming ? h('span', { class: 'block upcoming' }, t('seat.successor', { name: s.upcoming.name, date: fmtDate(s.upcoming.start) })) : null;
  if (s.member) {
    return h('div', null, h('span', { class: 'member-name' }, s.member.name),
      h('span', { class: 'muted block' }, t('seat.since', { date: fmtDate(s.member.start) })), next);
  }
  if (s.upcoming) {
    return h('div', null, h('span', { class: 'member-name upcoming' }, t('seat.upcoming', { name: s.upcoming.name, date: fmtDate(s.upcoming.start) })),
      h('span', { class: 'muted block' }, t('seat.vacantUntil')));
  }
  return s.deadline ? h('span', { class: 'muted' }, t('seat.nominateBy', { date: fmtDate(s.deadline) })) : h('span', { class: 'muted' }, '—');
}

// The seat's institution, unless the seat's name already says it.
function institutionLine(s) {
  const inst = s.institution ? institutionName(s.institution, s.institution_name) : '';
  const label = pick(s, 'label');
  if (!inst || label.includes(inst) || inst.includes(label)) return null;
  return h('span', { class: 'muted block' }, inst);
}

function seatTable(body, seats) {
  return table({
    caption: t('seats.title'),
    empty: t('seats.noneShown'),
    rows: seats,
    rowClass: (s) => `row-${s.status}`,
    columns: [
      { label: t('seat.label'), cell: (s) => h('div', null,
        h('a', { href: `/seats/${s.id}` }, pick(s, 'label')),
        s.role !== 'member' ? [' ', tag(labelOf('seat_role', s.role))] : null,
        institutionLine(s)) },
      { label: t('seat.member'), cell: memberCell },
      { label: t('seat.status'), cell: (s) => statusBadge(s.status, s.days_overdue) },
      ...(body.can_edit ? [{ label: t('common.actions'), cell: (s) => {
        const filled = s.member || s.upcoming;
        return h('a', { href: `/seats/${s.id}?do=nominate`, class: 'btn btn-small' },
          filled ? t('seat.replace') : t('seat.nominate'), srOnly(` — ${pick(s, 'label')}`));
      } }] : []),
    ],
  });
}

async function addGuest(body, ctx) {
  const added = await dialog(t('guests.add'), (close) => makeForm({
    fields: [
      { name: 'name', label: t('guest.name'), required: true, maxlength: 200 },
      { name: 'organisation', label: t('guest.organisation'), maxlength: 200 },
      { name: 'reason', label: t('guest.reason'), type: 'textarea', maxlength: 1000 },
      { name: 'start', label: t('guest.start'), type: 'date', required: true, value: todayISO() },
      { name: 'end', label: t('guest.end'), type: 'date' },
    ],
    submitLabel: t('guests.addSubmit'),
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v) => close(await post(`/bodies/${body.id}/guests`, v)),
  }).el);
  if (added) ctx.refresh(t('guests.added', { name: added.name }));
}

async function endGuest(g, ctx) {
  const done = await dialog(t('guests.endTitle', { name: g.name }), (close) => makeForm({
    fields: [{ name: 'end', label: t('guest.end'), type: 'date', required: true, value: todayISO() }],
    labels: { start: t('guest.start') },
    submitLabel: t('guests.endSubmit'),
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v) => close(await patch(`/guests/${g.id}`, { end: v.end })),
  }).el);
  if (done) ctx.refresh(t('guests.ended', { name: g.name }));
}

async function addSeat(body, ctx) {
  const added = await dialog(t('seats.add'), (close) => makeForm({
    fields: [
      { name: 'label', label: t('seat.labelSq'), required: true, maxlength: 200, lang: 'sq' },
      { name: 'label_en', label: t('seat.labelEn'), maxlength: 200, lang: 'en' },
      { name: 'role', label: t('seat.role'), type: 'select', value: 'member',
        options: ['member', 'chair', 'secretary'].map((r) => ({ value: r, label: labelOf('seat_role', r) })) },
    ],
    submitLabel: t('seats.addSubmit'),
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v) => close(await post(`/bodies/${body.id}/seats`, v)),
  }).el);
  if (added) ctx.refresh(t('seats.added'));
}

// The Authority's meetings: formal identification decisions are recorded against one of them, and
// its secretariat may record one here in a few words (the full scheduling has its own screen).
async function addMeeting(body, ctx) {
  const added = await dialog(t('meetings.add'), (close) => makeForm({
    fields: [
      { name: 'date', label: t('meeting.date'), type: 'date', required: true, value: todayISO() },
      { name: 'kind', label: t('meeting.kind'), type: 'select', value: 'ordinary',
        options: MEETING_KINDS.map((k) => ({ value: k, label: kindLabel(k) })) },
      { name: 'title', label: t('meeting.title'), maxlength: 300 },
      { name: 'location', label: t('meeting.location'), maxlength: 300 },
    ],
    submitLabel: t('meetings.addSubmit'),
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v) => {
      const req = { date: v.date, kind: v.kind };
      if (v.title) req.title = v.title;
      if (v.location) req.location = v.location;
      close(await post(`/bodies/${body.id}/meetings`, req));
    },
  }).el);
  if (added) ctx.refresh(t('meetings.added', { date: fmtDate(added.date) }));
}

// The body's meetings in short: its compliance with its frequency, the latest meetings, and the
// way to all of them (and their tasks); for those who read meetings.
function meetingsSection(body, data, ctx) {
  const { meetings, compliance } = data;
  const rows = [...meetings].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id)).slice(0, 5);
  const schedule = body.can_edit && keepsMeetings(ctx.user);
  return section(t('meetings.title'),
    body.kind === 'authority' ? h('p', { class: 'hint' }, t('meetings.explain')) : null,
    compliance ? complianceFacts(compliance) : null,
    table({
      caption: t('meetings.title'),
      empty: t('meetings.none'),
      rows,
      columns: [
        { label: t('meeting.date'), cell: (m) => h('a', { href: `/meetings/${m.id}` }, fmtDate(m.date)) },
        { label: t('meeting.kind'), cell: (m) => kindLabel(m.kind) },
        { label: t('meeting.title'), cell: (m) => m.title || '—' },
        { label: t('meeting.location'), cell: (m) => m.location || '—' },
        { label: t('meeting.status'), cell: (m) => meetingStatusTag(m.status) },
      ],
    }),
    h('p', { class: 'row-actions' },
      h('a', { href: `/bodies/${body.id}/meetings`, class: 'btn' }, t('meetings.all')),
      schedule ? h('a', { href: `/bodies/${body.id}/meetings/new`, class: 'btn' }, t('meetings.schedule')) : null,
      schedule && body.kind === 'authority'
        ? h('button', { type: 'button', class: 'btn', onclick: () => addMeeting(body, ctx) }, t('meetings.add')) : null));
}

// Meetings and compliance, for those who read them; null when the server says no.
async function loadMeetingData(body, user) {
  if (!MEETING_BODIES.includes(body.kind) || !readsMeetingsOf(body, user)) return null;
  try {
    const [meetings, compliance] = await Promise.all([getAll(`/bodies/${body.id}/meetings`),
      get(`/bodies/${body.id}/compliance`).catch(() => null)]);
    return { meetings, compliance };
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return null;
    throw err;
  }
}

function guestsSection(body, ctx) {
  const current = body.guests;
  return section(t('guests.title'),
    h('p', { class: 'hint' }, t('guests.explain')),
    table({
      caption: t('guests.title'),
      empty: t('guests.none'),
      rows: current,
      columns: [
        { label: t('guest.name'), cell: (g) => g.name },
        { label: t('guest.organisation'), cell: (g) => g.organisation || '—' },
        { label: t('guest.reason'), cell: (g) => g.reason || '—' },
        { label: t('guest.period'), cell: (g) => g.end ? t('period.fromTo', { from: fmtDate(g.start), to: fmtDate(g.end) }) : t('period.from', { from: fmtDate(g.start) }) },
        ...(body.can_edit ? [{ label: t('common.actions'), cell: (g) => g.end ? '—'
          : h('button', { type: 'button', class: 'btn btn-small', onclick: () => endGuest(g, ctx) }, t('guests.end'), srOnly(` — ${g.name}`)) }] : []),
      ],
    }),
    body.can_edit ? h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => addGuest(body, ctx) }, t('guests.add'))) : null);
}

export default async function bodyScreen(ctx) {
  const [body] = await Promise.all([get(`/bodies/${encodeURIComponent(ctx.params.id)}`), loadInstitutions()]);
  const meetings = await loadMeetingData(body, ctx.user);
  const name = pick(body);
  const filter = FILTERS.includes(ctx.query.get('show')) ? ctx.query.get('show') : 'all';
  const counts = { all: body.seats.length };
  for (const s of body.seats) {
    counts[s.status] = (counts[s.status] || 0) + 1;
    if (s.status === 'overdue') counts.vacant = (counts.vacant || 0) + 1;
  }
  const shown = body.seats.filter((s) => filter === 'all' || s.status === filter || (filter === 'vacant' && s.status === 'overdue'));
  const crumbs = [[t('nav.counties'), '/counties']];
  if (body.county) crumbs.push([countyName(body.county), `/counties/${body.county}`]);
  crumbs.push([name]);

  const filterNav = h('nav', { class: 'filters', 'aria-label': t('seats.filter') },
    h('ul', null, FILTERS.map((f) => h('li', null, h('a', {
      href: `/bodies/${body.id}${f === 'all' ? '' : `?show=${f}`}`,
      'aria-current': f === filter ? 'true' : null,
    }, `${t(`seats.show.${f}`)} (${counts[f] || 0})`)))));

  return h('div', null,
    breadcrumbs(crumbs),
    pageHeader(name, { sub: [labelOf('kind', body.kind), body.county ? countyName(body.county) : t('user.national')].join(' · ') }),
    facts([
      [t('body.established'), fmtDate(body.established)],
      body.nomination_days ? [t('body.nominationDays'), tn('unit.days', body.nomination_days)] : null,
      body.meeting_every_months ? [t('body.meetings'), tn('body.everyMonths', body.meeting_every_months)] : null,
    ]),
    summaryStats(body.summary),
    body.can_edit ? null : h('p', { class: 'notice notice-info' }, t('body.readOnly')),
    section(t('seats.title'), filterNav, seatTable(body, shown),
      body.can_edit && body.kind === 'municipal_group'
        ? h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => addSeat(body, ctx) }, t('seats.add'))) : null,
      // Who of the members was trained, and when (the register of trainings).
      readsRegisters() && serverHas('GET', '/bodies/{id}/training')
        ? h('p', null, h('a', { href: `/bodies/${body.id}/training`, class: 'btn' }, t('training.members'))) : null),
    meetings ? meetingsSection(body, meetings, ctx) : null,
    guestsSection(body, ctx));
}
