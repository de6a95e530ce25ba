// One case: its code, stage, status and holder; who may see it; the screening suggestion; its
// non-personal data by section, with the personal data shown in place only after the user gives
// a reason (the server records it); the next steps of the procedure the user may take, each
// asking exactly for what that stage needs (the Authority's formal decision in its current or
// next meeting, or one scheduled on the spot, recorded through the meeting once it is held);
// its referrals; and its timeline. /cases/CODE/edit changes its data (the version guards
// against overwriting someone else's change).
//
// Personal data stay in this page: never in its address, in the browser's storage or in the
// console; they are read with POST (the reason in the body, never in an address that logs
// keep). Only the fact that the user gave a reason for this case is remembered while the app
// is open, so the page can ask the server again after a change (the server remembers the
// reason for the session: an empty body then suffices).
import { h, srOnly } from '../dom.js';
import { t, lang, fmtDate, fmtDateTime, tn, todayISO } from '../i18n.js';
import { get, post, patch, ApiError, Redirected } from '../api.js';
import {
  loadCounties, countyName, loadInstitutions, loadInstitutionTypes, institutionName, isAuthority, labelOf, serverHas, registerList,
} from '../session.js';
import { pageHeader, breadcrumbs, section, facts, notice, dialog, table, tag, errorBox } from '../ui.js';
import { makeForm } from '../form.js';
import {
  loadCaseForm, L, fieldLabel, stageLabel, codeLabel, codeOptions, nextStages, transitionFields, screeningNotice,
  fmtValue, personalMark, childBadge, stageTag, statusTag, loadMeetings, institutionByName, personalShown, stageReached,
  screening, ageLine, ageOn, maySet, isFinal, loadAuthorityBody, currentMeeting, meetingLabel,
} from '../cases.js';
import { caseForm } from '../caseform.js';
import { readPersonal } from '../reading.js';

const enc = encodeURIComponent;

// Reads the personal data, asking why unless a reason was given for the case in this session.
// Resolves with the fields, or null when cancelled.
export async function askPersonal(code) {
  return readPersonal(code);
}

// Whether the user may read some of the case's personal data: all of them ("full") or the
// fields named in a referral to their institution ("referred"); not with "code" or "none".
function readsPersonal(c) {
  return c.your_access === 'full' || c.your_access === 'referred';
}

// Personal data asked for earlier in this visit (the server remembers the reason for the session).
async function personalAgain(ctx, c) {
  if (!readsPersonal(c) || !personalShown.visible(c.code)) return null;
  try {
    return (await post(`/cases/${enc(c.code)}/personal`, {})).fields;
  } catch (err) {
    // The server no longer holds the reason (a new session): ask again when the user wants.
    if (err instanceof ApiError && err.status === 400) {
      personalShown.delete(c.code);
      return null;
    }
    throw err;
  }
}

function accessSection(c) {
  const as = (x) => t(`access.as.${x.as}`);
  const sees = (x) => (x.sees === 'all' ? t('access.sees.all') : t('access.sees.referred'));
  return section(t('access.title'),
    h('ul', { class: 'plain-list access-list' }, (c.access?.institutions || []).map((x) => h('li', null,
      h('span', { class: 'member-name' }, institutionName(x.id, x.name)), ' — ', as(x), ' · ', sees(x)))),
    h('ul', { class: 'plain-list access-roles' },
      h('li', null, t('access.authority')),
      h('li', null, t('access.county'))));
}

function yourAccess(c) {
  if (c.your_access === 'code') return notice(t('access.yoursCode'), 'info');
  if (c.your_access === 'referred') return notice(t('access.yoursReferral'), 'info');
  return null;
}

// The data by section: non-personal values, and personal ones in place once shown.
function dataSections(def, c, personal, env) {
  const out = [];
  const hasPersonal = new Set(c.personal_fields || []);
  for (const s of def.form.sections) {
    const rows = [];
    for (const f of s.fields) {
      if (f.personal) {
        if (personal && f.name in personal) rows.push([f, fmtValue(def, f, personal[f.name], env), true]);
        else if (hasPersonal.has(f.name)) rows.push([f, h('span', { class: 'hidden-value' }, t('case.hiddenValue')), true]);
      } else if (c.fields[f.name] != null) {
        rows.push([f, fmtValue(def, f, c.fields[f.name], env), false]);
      }
    }
    if (!rows.length) continue;
    out.push(h('div', { class: 'case-block', dataset: { section: s.id } },
      h('h3', null, L(s.label)),
      h('dl', { class: 'facts case-facts' }, rows.map(([f, v, p]) => h('div', { class: p ? 'is-personal' : null, dataset: { field: f.name } },
        h('dt', null, L(f.label), p ? [' ', personalMark()] : null), h('dd', null, v))))));
  }
  return out.length ? out : [h('p', { class: 'empty' }, t('case.noData'))];
}

function eventText(def, e, env) {
  const ch = e.changes || {};
  switch (e.action) {
    case 'refer':
    case 'referral': { // the name of the action in databases written before "refer"
      const r = ch.referral_id ? env.referrals?.find((x) => x.id === ch.referral_id) : null;
      const to = r ? institutionName(r.to_institution, r.to_name) : institutionByName(env.institutions, ch.to);
      return ch.service ? t('event.referredService', { name: to, service: codeLabel(def, 'assistance_service', ch.service) }) : t('event.referredTo', { name: to });
    }
    case 'merge':
      return ch.merged_into ? t('event.mergedInto', { code: ch.merged_into }) : t('event.mergedFrom', { code: ch.merged_from });
    default: return null;
  }
}

function eventInstitution(e, env) {
  if (e.institution_id) return institutionName(e.institution_id, e.institution);
  return e.institution ? institutionByName(env.institutions, e.institution) : '—';
}

function timeline(def, events, env) {
  if (!events.length) return h('p', { class: 'empty' }, t('timeline.none'));
  return h('ol', { class: 'timeline' }, events.map((e) => {
    const fields = ['create', 'update', 'transition'].includes(e.action) ? Object.entries(e.changes || {}) : [];
    const moved = e.action === 'transition' || (e.action === 'create' && e.to_stage);
    return h('li', { class: `event event-${e.action}` },
      h('p', { class: 'event-head' },
        h('time', { datetime: e.ts }, fmtDateTime(e.ts)), ' ',
        h('strong', { class: 'event-action' }, t(`event.${e.action}`)), ' ',
        h('span', { class: 'event-who' }, t('event.by', { user: e.user || t('audit.system'), institution: eventInstitution(e, env) }))),
      moved ? h('p', { class: 'event-stage' }, e.from_stage
        ? t('event.fromTo', { from: stageLabel(def, e.from_stage), to: stageLabel(def, e.to_stage) })
        : t('event.stage', { stage: stageLabel(def, e.to_stage) })) : null,
      eventText(def, e, env) ? h('p', null, eventText(def, e, env)) : null,
      fields.length ? h('p', { class: 'event-fields' }, h('span', { class: 'muted' }, `${t('event.fields')} `),
        fields.map(([k, v]) => (v === '(personal)' ? `${fieldLabel(def, k)} (${t('case.personalShort')})` : fieldLabel(def, k))).join(', ')) : null,
      e.reason ? h('p', { class: 'event-reason' }, h('span', { class: 'muted' }, `${t('event.reason')} `),
        e.reason === '(hidden)' ? h('span', { class: 'hidden-value' }, t('event.reasonHidden')) : e.reason) : null);
  }));
}

function responseTime(r) {
  const time = tn('unit.hours', r.response_hours ?? 0);
  return r.status === 'pending' ? t('referral.waiting', { time }) : t('referral.answeredIn', { time });
}

export function referralStatus(r) {
  const kind = { pending: 'warning', accepted: 'ok', declined: 'danger' }[r.status] || 'neutral';
  return h('span', null, tag(labelOf('referral_status', r.status), kind), h('span', { class: 'muted block' }, responseTime(r)));
}

function referralTable(def, c) {
  return table({
    caption: t('referrals.ofCase'),
    empty: t('referrals.noneForCase'),
    rows: c.referrals || [],
    columns: [
      { label: t('referral.to'), cell: (r) => institutionName(r.to_institution, r.to_name) },
      { label: t('referral.service'), cell: (r) => (r.service ? codeLabel(def, 'assistance_service', r.service) : t('referral.wholeCase')) },
      { label: t('referral.reason'), cell: (r) => r.reason },
      { label: t('referral.fields'), cell: (r) => (r.fields?.length ? r.fields.map((n) => fieldLabel(def, n)).join(', ') : '—') },
      { label: t('referral.sent'), cell: (r) => fmtDateTime(r.created_at) },
      { label: t('referral.state'), cell: (r) => h('div', null, referralStatus(r), r.response_note ? h('span', { class: 'block' }, r.response_note) : null) },
    ],
  });
}

// The fields a referral of the whole case still needs to move the case to the referral stage:
// the server's list (referral_needs), else worked out as a transition would (those the stage
// requires that the case does not hold yet). The receiving institution is the referral's own.
function referralNeeds(def, c) {
  const to = 'referral';
  const have = new Set([...Object.keys(c.fields || {}).filter((n) => c.fields[n] != null && c.fields[n] !== ''), ...(c.personal_fields || [])]);
  const list = Array.isArray(c.referral_needs) ? c.referral_needs
    : [...transitionFields(def, to, c.is_child).required].filter((n) => !have.has(n));
  const needs = new Set(list.filter((n) => def.sectionOf.has(n) && n !== 'cas_ReferredOrganisation'));
  // The day of the referral is asked for (today unless told otherwise), even when not missing.
  if (def.sectionOf.has('cas_OutgoingReferralDate')) needs.add('cas_OutgoingReferralDate');
  return [...def.sectionOf.keys()].filter((n) => needs.has(n));
}

// One referral, each question asked once: the institution, the service (or the whole case), the
// reason, the personal data it may see, and — for the whole case while it is being identified —
// what the referral stage still needs: the case then moves to that stage in the same step
// (advance, stage_fields). A refusal names its field and is shown there.
async function refer(def, c, env, ctx, personal) {
  const personalNames = [...def.sectionOf.keys()].filter((n) => def.fields.get(n).personal);
  const have = new Set(c.personal_fields || []);
  const choices = personalNames.filter((n) => have.has(n));
  const advances = c.stage === def.workflow.initial && nextStages(def, c, ctx.user).includes('referral') && def.stages.has('referral');
  const stageNames = advances ? referralNeeds(def, c).filter((n) => maySet(def, n, ctx.user)) : [];
  const stageRequired = new Set(stageNames.filter((n) => n !== 'cas_OutgoingReferralDate' || !c.fields[n]));
  const required = new Set(['refer_institution', 'refer_reason', ...stageRequired]);
  const values = { ...c.fields, ...(personal || {}) };
  if (stageNames.includes('cas_OutgoingReferralDate') && !values.cas_OutgoingReferralDate) values.cas_OutgoingReferralDate = todayISO();
  const kept = new Set(stageNames.filter((n) => def.fields.get(n).personal && have.has(n) && !(personal && n in personal)));
  const stageNote = advances ? h('p', { class: 'notice notice-info refer-advance' }, t('refer.advanceExplain', { stage: stageLabel(def, 'referral') })) : null;
  const stageLabelText = stageLabel(def, 'referral');
  let form;
  // A service asked for leaves the case where it is: the stage's questions are put away.
  const syncService = () => {
    const service = form.widget('refer_service')?.control?.value || '';
    const whole = !service;
    for (const n of stageNames) {
      if (whole && stageRequired.has(n)) required.add(n);
      else required.delete(n);
    }
    for (const sec of form.el.querySelectorAll('.form-section[data-section]')) sec.hidden = !whole;
    if (stageNote) stageNote.hidden = !whole;
    form.changed(null);
  };
  const done = await dialog(t('refer.title', { code: c.code }), (close) => {
    form = caseForm({
      def, env, names: stageNames, values, stage: advances ? 'referral' : c.stage, heading: 'h3', kept, childDefault: c.is_child,
      required,
      extraFields: [
        { name: 'refer_institution', type: 'integer', ref: 'institution', label: t('refer.institution') },
        { name: 'refer_service', type: 'code', label: t('refer.service'), help: t('refer.serviceHint'), options: codeOptions(def, 'assistance_service') },
        { name: 'refer_reason', type: 'textarea', max: 2000, label: t('refer.reason'), help: t('refer.reasonHint') },
        choices.length ? { name: 'refer_fields', type: 'codes', label: t('refer.fields'), help: t('refer.fieldsHint'),
          options: choices.map((n) => ({ value: n, label: fieldLabel(def, n) })) } : null,
      ].filter(Boolean),
      submitLabel: t('refer.submit'),
      aliases: { institution: 'refer_institution', reason: 'refer_reason', service: 'refer_service', fields: 'refer_fields' },
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v, changed) => {
        const body = { institution: v.refer_institution, reason: v.refer_reason, fields: v.refer_fields || [] };
        if (v.refer_service) body.service = v.refer_service;
        else if (advances) {
          body.advance = true;
          const sf = {};
          for (const n of stageNames) if (n in changed || (n === 'cas_OutgoingReferralDate' && v[n])) sf[n] = v[n];
          body.stage_fields = sf;
        }
        try {
          close(await post(`/cases/${enc(c.code)}/referrals`, body));
        } catch (err) {
          // The server names a field of the stage inside "stage_fields": shown on the form's own.
          if (err instanceof ApiError && err.field?.startsWith('stage_fields.')) err.field = err.field.slice(13);
          throw err;
        }
      },
    });
    // The stage's questions after the referral's own, under a line that says why they are asked.
    const extra = form.el.querySelector('.form-extra');
    if (stageNote && extra) extra.after(stageNote);
    form.el.addEventListener('change', (e) => {
      if (e.target.closest('[data-top="refer_service"]')) syncService();
    });
    syncService();
    return form.el;
  });
  if (!done) return;
  const name = institutionName(done.to_institution, done.to_name);
  ctx.refresh(done.case?.stage && done.case.stage !== c.stage
    ? t('refer.doneAdvanced', { name, stage: stageLabelText }) : t('refer.done', { name }));
}

// ---- printing ----

// A CSS string: the text between double quotes, quotes and backslashes escaped, no line breaks.
const cssString = (s) => `"${String(s).replace(/[\\"]/g, '\\$&').replace(/[\n\r]+/g, ' ')}"`;

// "Faqe {page} nga {pages}" as the content of a page's margin box: the words around the counters.
function pageContent(template) {
  return template.split(/(\{page\}|\{pages\})/).filter(Boolean).map((part) => {
    if (part === '{page}') return 'counter(page)';
    if (part === '{pages}') return 'counter(pages)';
    return cssString(part);
  }).join(' ');
}

let printSheet = null;

// The marks of every printed page (web/css/print.css lays out the rest): the confidentiality mark
// at the top, who printed it and when at the bottom left, "Faqe N nga M" at the bottom right — as
// the page's margin boxes, which the stylesheet cannot know in advance; removed after printing so
// that other printouts are not marked.
function markPages(lines) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`@page {
  @top-center { content: ${cssString(lines.mark)}; font: 700 10pt sans-serif; color: #000; }
  @top-right { content: ${cssString(lines.code)}; font: 9pt sans-serif; color: #000; }
  @bottom-left { content: ${cssString(lines.printed)}; font: 8.5pt sans-serif; color: #000; }
  @bottom-right { content: ${pageContent(t('print.pageOf'))}; font: 8.5pt sans-serif; color: #000; }
}`);
  unmarkPages();
  printSheet = sheet;
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

function unmarkPages() {
  if (!printSheet) return;
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((x) => x !== printSheet);
  printSheet = null;
}

// Printing: the server records who printed the case and whether with its personal data (POST
// /cases/{code}/print) and gives the name and time the pages carry; only then the browser prints.
async function printCase(c, withPersonal, head, status) {
  status.replaceChildren();
  let info;
  try {
    info = await post(`/cases/${enc(c.code)}/print`, { personal: !!withPersonal });
  } catch (err) {
    if (err instanceof Redirected) return;
    status.replaceChildren(errorBox(err, { title: t('print.refused') }));
    return;
  }
  const lines = {
    mark: t('print.confidential'),
    code: c.code,
    printed: t('print.printedBy', { name: info.printed_by, time: fmtDateTime(info.printed_at) }),
  };
  head.replaceChildren(
    h('p', { class: 'print-mark' }, lines.mark),
    h('p', { class: 'print-line' }, t(withPersonal ? 'print.withPersonal' : 'print.withoutPersonal')),
    h('p', { class: 'print-line' }, lines.printed));
  markPages(lines);
  window.addEventListener('afterprint', unmarkPages, { once: true });
  window.print();
}

// The field the form binds to a part of the formal decision (data/forms: "binding").
const boundField = (def, binding) => [...def.fields.values()].find((f) => f.binding === binding)?.name;

// The agenda item of a meeting that lists this case among those awaiting the decision, if any.
async function reviewItem(meetingId, code) {
  try {
    const m = await get(`/meetings/${enc(meetingId)}`);
    return (m.agenda || []).find((it) => it.kind === 'cases_review' && (it.refs?.cases || []).includes(code))?.id || null;
  } catch (err) {
    if (err instanceof ApiError) return null;
    throw err;
  }
}

// The Authority's meeting for a formal decision: the current or next one chosen, what recording
// in it means, and a new one scheduled in a small dialog without leaving the page (for the
// secretariat, who keeps the Authority's meetings). Returns {el, wire(form)}.
function decisionMeeting({ authority, meetings, field, dateField, keeps, current }) {
  const line = h('p', { class: 'hint decision-meeting-line', 'aria-live': 'polite' });
  const created = h('p', { class: 'decision-meeting-created', role: 'status' });
  const mayCreate = !!authority?.can_edit && serverHas('POST', '/bodies/{id}/meetings');
  let form = null;
  let autoDate = null;

  const chosen = () => {
    const sel = form?.widget(field)?.control;
    return sel ? meetings.find((m) => String(m.id) === sel.value) || null : null;
  };

  function describe() {
    const m = chosen();
    if (!m) {
      line.textContent = t('decisionMeeting.choose');
      return;
    }
    const date = fmtDate(m.date);
    if (m.status === 'held' && m.minutes_status !== 'approved') line.textContent = t(keeps ? 'decisionMeeting.held' : 'decisionMeeting.heldCase', { date });
    else if (m.status === 'held') line.textContent = t('decisionMeeting.heldCase', { date });
    else line.textContent = t('decisionMeeting.scheduled', { date });
    // The day of the decision is the meeting's, once that day has come (unless typed otherwise).
    const d = dateField && form.widget(dateField)?.control;
    if (d && m.date <= todayISO() && (!d.value.trim() || d.value.trim() === autoDate)) {
      d.value = fmtDate(m.date);
      autoDate = d.value;
    }
  }

  async function create() {
    const m = await dialog(t('decisionMeeting.newTitle'), (close) => makeForm({
      fields: [
        h('p', { class: 'hint' }, t('decisionMeeting.newExplain')),
        { name: 'date', label: t('meeting.date'), type: 'date', required: true, value: todayISO() },
        { name: 'time', label: t('meeting.time'), type: 'time', required: true },
        { name: 'location', label: t('meeting.location'), required: true, maxlength: 300 },
      ],
      submitLabel: t('decisionMeeting.newSubmit'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v) => close(await post(`/bodies/${authority.id}/meetings`, { date: v.date, time: v.time, location: v.location })),
    }).el);
    if (!m) return;
    meetings.push(m);
    const sel = form.widget(field).control;
    // In its place among the others (newest first, as the list is).
    const option = h('option', { value: m.id }, meetingLabel(m));
    const later = [...sel.options].find((o) => {
      const x = meetings.find((y) => String(y.id) === o.value);
      return x && x.date < m.date;
    });
    sel.insertBefore(option, later || null);
    sel.value = String(m.id);
    sel.dispatchEvent(new Event('change', { bubbles: true }));
    created.textContent = t('decisionMeeting.created', { date: fmtDate(m.date) });
  }

  const el = h('div', { class: 'decision-meeting' }, line, created,
    mayCreate ? h('p', null, h('button', { type: 'button', class: 'btn btn-small', onclick: create }, t('decisionMeeting.new'))) : null);
  return {
    el,
    chosen,
    wire(f) {
      form = f;
      const sel = form.widget(field)?.control;
      if (!sel) return;
      if (current && !sel.value) sel.value = String(current.id);
      sel.addEventListener('change', describe);
      describe();
    },
  };
}

// A move to the next stage, asking for what that stage needs. The Authority's formal decision
// names its meeting: the current or next one is offered, or one is scheduled on the spot. Taken
// in a held meeting whose records the user keeps, it is recorded through the meeting (POST
// /meetings/{id}/decisions) — once: the meeting's decision and the case's step, linked both
// ways; in a meeting still to be held, the case moves as before, naming the meeting.
async function transition(def, c, personal, to, env, ctx) {
  const { names: asked, required } = transitionFields(def, to, c.is_child);
  const names = asked.filter((n) => maySet(def, n, ctx.user));
  const needsMeetings = names.some((n) => def.fields.get(n).ref === 'meeting');
  const fMeeting = boundField(def, 'decision_meeting');
  const fDate = boundField(def, 'decision_date');
  const fOutcome = boundField(def, 'decision');
  const deciding = to === def.workflow.decision?.stage && names.includes(fMeeting) && isAuthority(ctx.user);
  const [all, authority] = await Promise.all([needsMeetings ? loadMeetings() : [], deciding ? loadAuthorityBody() : null]);
  // A cancelled meeting decides nothing (one the case already names stays listed).
  const meetings = all.filter((m) => m.status !== 'cancelled' || m.id === c.fields[fMeeting]);
  const denv = needsMeetings ? { ...env, meetings } : env;
  const keeps = !!authority?.can_edit && serverHas('POST', '/meetings/{id}/decisions');
  const picker = deciding ? decisionMeeting({ authority, meetings, field: fMeeting, dateField: names.includes(fDate) ? fDate : null, keeps,
    current: c.fields[fMeeting] ? null : currentMeeting(meetings) }) : null;
  const values = { ...c.fields, ...(personal || {}) };
  const have = new Set(c.personal_fields || []);
  const kept = new Set(names.filter((n) => def.fields.get(n).personal && have.has(n) && !(personal && n in personal)));
  const reason = h('textarea', { id: 'tr-reason', name: 'reason', rows: 2, maxlength: 1000 });
  const label = stageLabel(def, to);
  const done = await dialog(t('transition.title', { stage: label }), (close) => {
    const form = caseForm({
      def, env: denv, names, values, stage: to, required, kept, childDefault: c.is_child, heading: 'h3',
      top: h('p', null, names.length ? t('transition.explain', { from: stageLabel(def, c.stage), to: label }) : t('transition.nothingAsked', { to: label })),
      after: picker ? { [fMeeting]: picker.el } : undefined,
      bottom: h('div', { class: 'field field-textarea' },
        h('label', { for: 'tr-reason' }, t('transition.reason'), h('span', { class: 'optional' }, ` (${t('form.optional')})`)),
        h('p', { class: 'hint', id: 'tr-reason-hint' }, t('transition.reasonHint')), reason),
      submitLabel: t('transition.submit', { stage: label }),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v, changed) => {
        const note = reason.value.trim();
        const m = picker?.chosen();
        if (m && keeps && m.status === 'held' && m.minutes_status !== 'approved') {
          // The meeting, its day and the outcome are the decision's own: the server sets them.
          const fields = { ...changed };
          for (const n of [fMeeting, fDate, fOutcome]) delete fields[n];
          const spec = { code: c.code, version: c.version, outcome: v[fOutcome] };
          if (Object.keys(fields).length) spec.fields = fields;
          if (note) spec.reason = note;
          const req = { case: spec };
          const item = await reviewItem(m.id, c.code);
          if (item) req.item = item;
          try {
            close({ decision: await post(`/meetings/${m.id}/decisions`, req), meeting: m });
          } catch (err) {
            // The server names what it refuses inside "case": shown on the form's own field.
            if (err instanceof ApiError && err.field?.startsWith('case.')) {
              const f = err.field.slice(5);
              err.field = f === 'outcome' ? fOutcome : f.replace(/^fields\./, '');
            }
            throw err;
          }
          return;
        }
        const body = { to, version: c.version };
        if (Object.keys(changed).length) body.fields = changed;
        if (note) body.reason = note;
        close(await post(`/cases/${enc(c.code)}/transitions`, body));
      },
    });
    picker?.wire(form);
    return form.el;
  });
  if (done?.decision) ctx.refresh(t('decisionMeeting.done', { code: c.code, n: done.decision.number, date: fmtDate(done.meeting.date) }));
  else if (done) ctx.refresh(t('transition.done', { code: c.code, stage: label }));
}

function workflowSection(def, c, personal, env, ctx) {
  if (!c.can_edit || c.merged_into) return null;
  const next = nextStages(def, c, ctx.user);
  const cur = def.stages.get(c.stage);
  const others = (cur?.next || []).filter((s) => !next.includes(s) && !isFinal(def, c.stage));
  return section(t('workflow.title'),
    h('p', null, t('workflow.current', { stage: stageLabel(def, c.stage) })),
    next.length ? h('div', { class: 'workflow-actions' }, next.map((s) => h('button', {
      type: 'button', class: ['btn', isFinal(def, s) ? null : 'btn-primary'], onclick: () => transition(def, c, personal, s, env, ctx),
    }, t('workflow.moveTo', { stage: stageLabel(def, s) })))) : h('p', { class: 'empty' }, t('workflow.none')),
    others.length ? h('p', { class: 'hint' }, t('workflow.others', { stages: others.map((s) => stageLabel(def, s)).join(', ') })) : null);
}

// The confirmation of a save, with the likely duplicates the server found. The server names
// them only to the Authority; a case worker is told nothing about other cases.
export function savedNotice(text, reply, user) {
  if (!isAuthority(user) || !reply?.duplicates?.length) return text;
  return `${text} ${t('case.createdDuplicates', { codes: reply.duplicates.join(', ') })}`;
}

async function editView(ctx, def, c, personal, env) {
  const names = [...def.sectionOf.keys()].filter((n) => n !== 'al_is_child' && stageReached(def, def.fields.get(n).stage, c.stage)
    && maySet(def, n, ctx.user));
  const have = new Set(c.personal_fields || []);
  const kept = new Set(names.filter((n) => def.fields.get(n).personal && have.has(n) && !(personal && n in personal)));
  const mayRead = c.your_access === 'full' && have.size > 0;
  const conflict = h('div', { 'aria-live': 'assertive' });
  const reason = h('textarea', { id: 'ed-reason', name: 'reason', rows: 2, maxlength: 1000 });
  const top = !personal && mayRead ? notice(h('span', null, t('edit.personalHidden'), ' ',
    h('button', { type: 'button', class: 'btn btn-small', onclick: async () => {
      const p = await askPersonal(c.code);
      if (p) ctx.refresh();
    } }, t('personal.show'))), 'info') : null;
  const age = h('p', { class: 'age-line', 'aria-live': 'polite' });
  const screen = h('div', { 'aria-live': 'polite' });
  // One section at a time, chosen in the index (kept in the address: ?section=ID, so that a save
  // comes back to it); the save button stays at the bottom of the window.
  const path = `/cases/${enc(c.code)}/edit`;
  const form = caseForm({
    def, env, names, values: { ...c.fields, ...(personal || {}) }, stage: c.stage, kept, childDefault: c.is_child,
    top,
    sticky: true,
    index: {
      current: ctx.query.get('section'),
      onSection: (id) => history.replaceState(null, '', `${path}?section=${enc(id)}`),
    },
    // What is typed is kept on the server until it is saved (drafts.js); false: not saved.
    draft: { form: 'case-edit', key: c.code },
    after: { al_estimated_age: age },
    sectionEnd: { screening: screen },
    onChange: (data, child) => {
      age.textContent = data.prs_Birthdate && ageOn(data.prs_Birthdate, data.al_identification_date) == null && !Number.isInteger(data.al_estimated_age)
        ? t(child ? 'case.storedChild' : 'case.storedAdult') : ageLine(data);
      screen.replaceChildren(screeningNotice(screening(data, child)));
    },
    bottom: h('div', { class: 'section form-section' }, h('div', { class: 'field field-textarea' },
      h('label', { for: 'ed-reason' }, t('edit.reason'), h('span', { class: 'optional' }, ` (${t('form.optional')})`)),
      h('p', { class: 'hint' }, t('edit.reasonHint')), reason)),
    submitLabel: t('common.save'),
    actions: [h('a', { href: `/cases/${enc(c.code)}`, class: 'btn' }, t('edit.backToCase'))],
    onSubmit: async (v, changed, f) => {
      if (!Object.keys(changed).length) {
        f.showErrors([[null, t('edit.nothing')]]);
        return false;
      }
      const body = { version: c.version, fields: changed };
      if (reason.value.trim()) body.reason = reason.value.trim();
      let saved;
      try {
        saved = await patch(`/cases/${enc(c.code)}`, body);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          conflict.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert', tabindex: '-1' },
            h('p', { class: 'notice-title' }, t('edit.staleTitle')),
            h('p', null, t('edit.stale')),
            h('button', { type: 'button', class: 'btn', onclick: () => ctx.refresh() }, t('edit.reload'))));
          conflict.firstChild.focus();
          return false;
        }
        throw err;
      }
      // The same section again, with the index saying what is still missing.
      ctx.navigate(`${path}?section=${enc(f.section() || '')}`, { replace: true, notice: savedNotice(t('edit.saved', { code: c.code }), saved, ctx.user) });
    },
  });
  return h('div', null,
    breadcrumbs([[t('cases.title'), '/cases'], [c.code, `/cases/${enc(c.code)}`], [t('edit.title')]]),
    pageHeader(t('edit.heading', { code: c.code }), { sub: `${stageLabel(def, c.stage)} · ${t('edit.version', { version: c.version })}` }),
    conflict,
    form.el);
}

// The entry of a register the case was made from (a person at risk), for whoever reads it whole.
function fromRegister(c) {
  const r = c.from_register;
  if (!r?.register || !r.code) return null;
  const reg = registerList().find((x) => x.name === r.register);
  const link = h('a', { href: `/registers/${enc(r.register)}/${enc(r.code)}`, class: 'case-code' }, r.code);
  return [t('case.fromRegister'), reg ? h('span', null, link, ` (${reg.label?.[lang()] || reg.label?.sq || r.register})`) : link];
}

export default async function caseScreen(ctx) {
  const code = ctx.params.code;
  const [def, c, counties, institutions, types] = await Promise.all([
    loadCaseForm(), get(`/cases/${enc(code)}`), loadCounties(), loadInstitutions(), loadInstitutionTypes()]);
  const env = { institutions, types, counties, defaultCounty: c.county || ctx.user.county || '', user: ctx.user };
  if (c.fields.al_authority_meeting) env.meetings = await loadMeetings();
  let personal = await personalAgain(ctx, c);

  if (ctx.path.endsWith('/edit')) {
    if (!c.can_edit) {
      return h('div', null, pageHeader(c.code), errorBox(new ApiError(403, { code: 'forbidden' })));
    }
    return editView(ctx, def, c, personal, env);
  }

  const events = (await get(`/cases/${enc(code)}/events`)).items;
  env.referrals = c.referrals || [];
  const mayReveal = readsPersonal(c) && (c.personal_fields || []).length > 0;
  const holder = h('div', { class: 'case-data' });
  const status = h('div', { class: 'personal-status', role: 'status' });
  const toggle = mayReveal ? h('button', { type: 'button', class: 'btn', id: 'personal-toggle' }) : null;

  function drawData() {
    holder.replaceChildren(...dataSections(def, c, personal, env));
    if (toggle) {
      toggle.textContent = personal ? t('personal.hide') : t('personal.show');
      toggle.setAttribute('aria-pressed', personal ? 'true' : 'false');
    }
    status.replaceChildren(personal ? notice(t('personal.shown'), 'warning') : []);
  }
  toggle?.addEventListener('click', async () => {
    if (personal) {
      personal = null;
      personalShown.hide(c.code);
      drawData();
      return;
    }
    const p = await askPersonal(c.code);
    if (!p) return;
    personal = p;
    drawData();
    toggle.focus();
  });
  drawData();

  const actions = [];
  if (c.can_edit && !c.merged_into) actions.push(h('a', { href: `/cases/${enc(c.code)}/edit`, class: 'btn' }, t('case.edit')));

  const mayRefer = c.can_edit && !c.merged_into && (isAuthority(ctx.user) || ctx.user.role === 'caseworker');
  // Printing: marked on every page; with the personal data when they are shown (recorded).
  const printHead = h('div', { class: 'print-only print-head' });
  const printStatus = h('div', { class: 'no-print', 'aria-live': 'polite' });
  actions.push(h('button', { type: 'button', class: 'btn', id: 'case-print', onclick: () => printCase(c, personal, printHead, printStatus) }, t('print.button')));
  return h('div', { class: 'case-screen' },
    printHead,
    breadcrumbs([[t('cases.title'), '/cases'], [c.code]]),
    pageHeader(c.code, { sub: t('case.sub', { county: countyName(c.county), date: fmtDate(c.identified_on) }), actions }),
    printStatus,
    h('div', { class: 'case-tags' }, stageTag(def, c.stage), ' ', statusTag(def, c.status), c.is_child ? [' ', childBadge()] : null),
    c.merged_into ? notice(h('span', null, t('case.merged'), ' ', h('a', { href: `/cases/${enc(c.merged_into)}` }, c.merged_into)), 'warning') : null,
    facts([
      [t('case.stage'), stageLabel(def, c.stage)],
      [t('case.status'), codeLabel(def, 'trafficking_status', c.status)],
      [t('case.holder'), institutionName(c.holder, c.holder_name)],
      c.creator !== c.holder ? [t('case.creator'), institutionName(c.creator, c.creator_name)] : null,
      [t('case.county'), countyName(c.county)],
      [t('case.identifiedOn'), fmtDate(c.identified_on)],
      [t('case.sex'), c.sex ? codeLabel(def, 'genders', c.sex) : '—'],
      [t('case.ageBand'), c.age_band === 'unknown' ? t('case.ageUnknownShort') : c.age_band],
      [t('case.updated'), t('case.updatedText', { date: fmtDateTime(c.updated_at), version: c.version })],
      fromRegister(c),
    ]),
    yourAccess(c),
    screeningNotice({ ...c.screening, child: c.is_child }),
    workflowSection(def, c, personal, env, ctx),
    section(t('case.data'),
      h('div', { class: 'case-data-head' },
        mayReveal ? h('p', { class: 'hint' }, t('personal.hiddenExplain')) : null,
        toggle),
      status,
      holder),
    section(t('referrals.ofCase'),
      referralTable(def, c),
      mayRefer ? h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => refer(def, c, env, ctx, personal) }, t('refer.button'), srOnly(` ${c.code}`))) : null),
    accessSection(c),
    section(t('timeline.title'), timeline(def, events, env)));
}
