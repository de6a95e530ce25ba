// The minutes of a meeting as a document to print on A4, in Albanian (an English copy on request,
// ?lang=en): the body, the day, time and place; who attended (and who represented whom, with the
// authorisation), the guests who came, the quorum; the agenda with the minutes of each item; the
// decisions with their votes and whether the quorum held, and the tasks they gave; the summary;
// once approved, the meeting that approved them, the amendments and the SHA-256 of the frozen
// text; and lines for the signatures of the chair and the secretary. Drawn from GET
// /meetings/{id}/minutes (the frozen copy once approved); printed with the browser's Print.
import { h } from '../dom.js';
import { t, tIn, loadDict, fmtDate, fmtDateTime } from '../i18n.js';
import { get, getAll } from '../api.js';
import { labelIn } from '../session.js';
import { pageHeader, breadcrumbs, notice } from '../ui.js';
import { meetingCrumbs } from './meeting.js';
import { meetingName } from '../meetings.js';

const LANGS = ['sq', 'en'];

// Whether the quorum held, and counted over what: the members (the seats someone held that day)
// or, by the body's rule or in a copy frozen before nrm counted members, every seat.
function quorumLine(T, q) {
  const params = { present: q.present, represented: q.represented, seats: q.seats, required: q.required };
  if (q.of === 'seats' || q.members == null) return T(q.held ? 'doc.quorumHeld' : 'doc.quorumNotHeld', params);
  return T(q.held ? 'doc.quorumHeldMembers' : 'doc.quorumNotHeldMembers', { ...params, members: q.members });
}

// The document in one language, whatever the page speaks.
function doc(language, data, extra) {
  const T = (key, params) => tIn(language, key, params);
  const Lb = (x) => (x && typeof x === 'object' ? x[language] || x.sq || x.en || '' : x || '');
  const code = (group, c) => labelIn(language, group, c);
  const mm = data.minutes;
  const m = mm.meeting;
  const q = mm.quorum || { seats: 0, present: 0, represented: 0, required: 0, held: false };
  const approved = data.status === 'approved';
  const body = language === 'en' ? m.body_name_en || m.body_name : m.body_name;
  const title = (it) => (it.kind && it.kind !== 'item' ? code('agenda_kind', it.kind) : it.title);
  const para = (text) => (text ? String(text).split(/\n{2,}/).map((p) => h('p', null, p)) : h('p', { class: 'doc-empty' }, T('doc.noText')));
  const time = m.time ? (m.end_time ? `${m.time}–${m.end_time}` : m.time) : '—';
  const where = [m.location, m.link].filter(Boolean).join(' · ') || '—';
  const attendance = (mm.attendance || []).filter((a) => a.status || a.member);
  // The server lists only the guests who came (a copy frozen earlier may say so in `attended`).
  const came = (mm.guests || []).filter((g) => g.attended !== false && g.attended !== null);
  const decisions = mm.decisions || [];
  const tasksOf = (d) => extra.tasks.filter((x) => x.decision === d.id);
  const votes = (d) => (d.votes_for == null && d.votes_against == null && d.abstentions == null ? T('doc.noVote')
    : T('doc.votes', { for: d.votes_for ?? 0, against: d.votes_against ?? 0, abstain: d.abstentions ?? 0 }));
  const itemNo = (id) => (mm.agenda || []).find((it) => it.id === id)?.position;
  const fixDates = (s) => String(s ?? '').replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3.$2.$1');

  return h('article', { class: 'minutes-doc', lang: language },
    h('header', { class: 'doc-head' },
      h('p', { class: 'doc-body' }, body),
      h('p', { class: 'doc-title' }, T('doc.title')),
      h('p', { class: 'doc-sub' }, T('doc.of', { date: fmtDate(m.date) })),
      approved ? null : h('p', { class: 'doc-draft' }, T('doc.draft'))),
    h('table', { class: 'doc-facts' }, h('tbody', null,
      h('tr', null, h('th', { scope: 'row' }, T('doc.date')), h('td', null, fmtDate(m.date))),
      h('tr', null, h('th', { scope: 'row' }, T('doc.time')), h('td', null, time)),
      h('tr', null, h('th', { scope: 'row' }, T('doc.place')), h('td', null, where)),
      h('tr', null, h('th', { scope: 'row' }, T('doc.kind')), h('td', null, code('meeting_kind', m.kind || 'ordinary'))),
      m.title ? h('tr', null, h('th', { scope: 'row' }, T('doc.subject')), h('td', null, m.title)) : null)),

    h('h2', null, T('doc.attendance')),
    h('table', { class: 'doc-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, T('doc.seat')), h('th', { scope: 'col' }, T('doc.member')),
        h('th', { scope: 'col' }, T('doc.presence')))),
      h('tbody', null, attendance.map((a) => h('tr', null,
        h('td', null, Lb(a.label)),
        h('td', null, a.member || T('doc.vacant')),
        h('td', null, a.status ? code('attendance', a.status) : '—',
          a.status === 'represented' ? h('span', { class: 'doc-block' }, T('doc.representedBy', { name: a.substitute || '—', auth: a.authorisation || '—' })) : null))))),
    h('p', null, T('doc.guests'), ' ', came.length ? came.map((g) => (g.organisation ? `${g.name} (${g.organisation})` : g.name)).join('; ') : T('doc.noGuests')),
    h('p', { class: 'doc-quorum' }, quorumLine(T, q)),

    h('h2', null, T('doc.agenda')),
    h('ol', { class: 'doc-agenda' }, (mm.agenda || []).map((it) => h('li', null,
      h('p', { class: 'doc-item' }, title(it), it.presenter ? h('span', { class: 'doc-presenter' }, ` — ${T('doc.presenter', { name: it.presenter })}`) : null),
      it.refs?.cases?.length ? h('p', { class: 'doc-refs' }, T('doc.cases', { codes: it.refs.cases.join(', ') })) : null,
      para(it.minutes)))),

    h('h2', null, T('doc.decisions')),
    decisions.length ? h('ol', { class: 'doc-decisions' }, decisions.map((d) => h('li', null,
      h('p', { class: 'doc-item' }, T('doc.decision', { n: d.number }), d.item && itemNo(d.item) ? ` (${T('doc.onItem', { n: itemNo(d.item) })})` : ''),
      h('p', null, fixDates(d.text)),
      h('p', { class: 'doc-meta' }, votes(d), ' ', T(d.quorum ? 'doc.decisionQuorum' : 'doc.decisionNoQuorum')),
      tasksOf(d).length ? h('ul', { class: 'doc-tasks' }, tasksOf(d).map((x) => h('li', null,
        T('doc.task', { title: x.title, owner: language === 'en' ? x.institution_name_en || x.institution_name : x.institution_name,
          due: fmtDate(x.due) }), x.person_name ? ` (${x.person_name})` : ''))) : null))) : h('p', null, T('doc.noDecisions')),

    h('h2', null, T('doc.summary')),
    para(m.minutes_summary),

    approved ? h('section', { class: 'doc-approval' },
      h('h2', null, T('doc.approval')),
      h('p', null, extra.approvedIn ? T('doc.approvedIn', { date: fmtDate(extra.approvedIn.date) }) : T('doc.approvedInLater')),
      h('p', null, T('doc.amendments'), ' ', data.amendments || mm.amendments || T('doc.noAmendments')),
      h('p', { class: 'doc-hash' }, T('doc.hash'), ' ', h('code', null, data.sha256))) : null,

    h('div', { class: 'doc-signatures' },
      h('div', { class: 'doc-sign' }, h('p', { class: 'doc-line' }), h('p', null, T('doc.chair')), h('p', { class: 'doc-hint' }, T('doc.signHint'))),
      h('div', { class: 'doc-sign' }, h('p', { class: 'doc-line' }), h('p', null, T('doc.secretary')), h('p', { class: 'doc-hint' }, T('doc.signHint')))),
    h('p', { class: 'doc-foot' }, T('doc.printed', { ts: fmtDateTime(new Date().toISOString()) })));
}

export default async function minutesScreen(ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const language = LANGS.includes(ctx.query.get('lang')) ? ctx.query.get('lang') : 'sq';
  const [m, data] = await Promise.all([get(`/meetings/${id}`), get(`/meetings/${id}/minutes`), loadDict(language)]);
  const [tasks, approvedIn] = await Promise.all([
    getAll(`/tasks?body=${m.body}`).then((xs) => xs.filter((x) => x.meeting === m.id)).catch(() => []),
    m.approved_in ? get(`/meetings/${m.approved_in}`).catch(() => null) : null,
  ]);
  const other = language === 'sq' ? 'en' : 'sq';
  const printBtn = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => window.print() }, t('minutes.printButton'));
  return h('div', { class: 'minutes-page' },
    breadcrumbs(meetingCrumbs(m, [[meetingName(m), `/meetings/${m.id}`], [t('minutes.title')]])),
    pageHeader(t('minutes.docTitle', { date: fmtDate(m.date) }), {
      sub: t(data.status === 'approved' ? 'minutes.docApproved' : 'minutes.docDraft'),
      actions: [printBtn,
        h('a', { href: `/meetings/${m.id}/minutes${other === 'sq' ? '' : '?lang=en'}`, class: 'btn', hreflang: other },
          t(other === 'en' ? 'minutes.inEnglish' : 'minutes.inAlbanian')),
        h('a', { href: `/meetings/${m.id}`, class: 'btn' }, t('minutes.backToMeeting'))],
    }),
    data.status === 'approved' ? null : notice(t('minutes.draftNotice'), 'info', { class: 'notice notice-info no-print' }),
    doc(language, data, { tasks, approvedIn }));
}
