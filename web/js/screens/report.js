// One periodic report (GET /reports/{id}: drafted now from the live data): its heading as the
// printed report has it (REPUBLIKA E SHQIPËRISË, the issuing body, the title, the period, the due
// day, the state), its sections — those written by hand as text areas saved as one types (a few
// seconds after typing stops, and on leaving the field; kept on this browser until the server
// has them, and as a draft on the server (drafts.js) when a save fails, so a conflict, a lost
// connection or an ended session loses nothing; leaving the page with text not yet saved asks
// first), those drafted from the data as
// numbered tables with their hidden figures ("c") explained — and what can be done with it by
// whom: submitting it (a reason for a correction), its approval (in a held meeting of the KRAT,
// or by every member of the Authority, seat by seat), the recipient's answer, the files, and the
// versions with their hashes, the figures each correction changed and the answers given.
import { h, srOnly } from '../dom.js';
import { t, lang, fmtDate, fmtDateTime, fmtNumber, todayISO } from '../i18n.js';
import { api, get, getAll, post, patch, ApiError, Redirected } from '../api.js';
import { pageHeader, breadcrumbs, section, notice, facts, table, dialog, errorBox, tag, errorText } from '../ui.js';
import { makeForm } from '../form.js';
import { setDirty } from '../leave.js';
import { hasDrafts, findDraft, draftKey } from '../drafts.js';
import {
  reportStatusTag, isLate, lateTag, reportPeriodText, L2, answersReports, downloadLinks, isDay,
} from '../reports.js';

const enc = encodeURIComponent;
const SAVE_AFTER_MS = 2000;
const SYMBOL = 'c';
const storeKey = (id, section) => `nrm.report.${id}.${section}`;

// ---- the drafted sections ----

function cellNode(v) {
  if (v === SYMBOL) {
    return h('span', { class: 'cell-hidden' },
      h('span', { 'aria-hidden': 'true', title: t('figures.hiddenCell') }, SYMBOL), srOnly(t('figures.hiddenCell')));
  }
  if (typeof v === 'number') return fmtNumber(v);
  if (isDay(v)) return fmtDate(v);
  if (v == null || v === '') return '—';
  return typeof v === 'object' ? L2(v) : String(v);
}

// Table N.: its title as caption, the first column heading the rows ("of which" rows, written
// indented by the server, indented here too).
function reportTable(tb, n) {
  const cols = (tb.columns || []).map((c, i) => L2(c) || (i === 0 ? t('reports.item') : ''));
  const caption = t('reports.tableN', { n, title: L2(tb.title) });
  if (!tb.rows?.length) {
    return h('div', { class: 'report-table' }, h('p', { class: 'stat-caption' }, caption), h('p', { class: 'empty' }, t('reports.tableEmpty')));
  }
  return h('div', { class: 'report-table' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data stat-table' },
    h('caption', { class: 'stat-caption' }, caption),
    h('thead', null, h('tr', null, cols.map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
    h('tbody', null, tb.rows.map((row) => {
      const label = row[0];
      const text = typeof label === 'object' && label ? L2(label) : cellNode(label);
      const sub = typeof text === 'string' && /^\s+/.test(text);
      return h('tr', { class: sub ? 'row-sub' : null },
        h('th', { scope: 'row' }, typeof text === 'string' ? text.trim() : text),
        row.slice(1).map((v, i) => h('td', { class: typeof v === 'number' || v === SYMBOL ? 'num' : null, 'data-label': cols[i + 1] }, cellNode(v))));
    })))));
}

function hasHidden(report) {
  return report.sections.some((s) => (s.tables || []).some((tb) => (tb.rows || []).some((r) => r.includes(SYMBOL))));
}

// ---- the written sections, saved as one types ----

// serverDraft: the sections kept on the server (GET /drafts/report/{id}) when a save failed.
function textSections(report, ctx, serverDraft) {
  let version = report.version;
  const dirty = new Map(); // section id → text not yet saved
  const status = new Map(); // section id → its "saved" line
  let timer = null;
  let saving = null;
  const conflict = h('div', { class: 'report-conflict' });
  const draftPath = `/drafts/report/${enc(draftKey(report.id))}`;
  let drafted = !!serverDraft;
  // The text not yet saved is the page's unsaved change (leave.js asks before leaving it).
  const unsaved = () => setDirty(conflict, dirty.size > 0, { draft: true });

  function mark(id, text, kind = 'info') {
    const el = status.get(id);
    if (el) {
      el.textContent = text;
      el.className = `save-status save-${kind}`;
    }
  }

  async function saveNow() {
    clearTimeout(timer);
    timer = null;
    if (saving) {
      await saving;
      if (dirty.size) return saveNow();
      return true;
    }
    if (!dirty.size) return true;
    const sections = Object.fromEntries(dirty);
    for (const id of dirty.keys()) mark(id, t('reports.saving'));
    saving = (async () => {
      try {
        const r = await patch(`/reports/${enc(report.id)}`, { version, sections });
        version = r.version;
        const when = fmtDateTime(new Date().toISOString()).slice(-5);
        for (const [id, text] of Object.entries(sections)) {
          if (dirty.get(id) === text) {
            dirty.delete(id);
            localStorage.removeItem(storeKey(report.id, id));
          }
          mark(id, t('reports.savedAt', { time: when }), 'ok');
        }
        unsaved();
        if (!dirty.size && drafted) {
          drafted = false;
          api('DELETE', draftPath, undefined, { auth: false }).catch(() => null);
        }
        return true;
      } catch (err) {
        if (err instanceof Redirected) throw err;
        for (const id of Object.keys(sections)) mark(id, t('reports.notSaved'), 'error');
        // Kept on the server too, for another computer or after signing in again.
        if (hasDrafts()) {
          api('PUT', draftPath, { data: { sections: Object.fromEntries(dirty) } }, { auth: false })
            .then(() => { drafted = true; }, () => null);
        }
        if (err instanceof ApiError && err.status === 409 && err.key === 'stale') {
          conflict.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert', tabindex: '-1' },
            h('p', { class: 'notice-title' }, t('reports.staleTitle')),
            h('p', null, t('reports.stale')),
            h('button', { type: 'button', class: 'btn', onclick: () => ctx.refresh() }, t('reports.reload'))));
        } else {
          conflict.replaceChildren(errorBox(err, { title: t('reports.notSavedTitle') }));
        }
        return false;
      } finally {
        saving = null;
      }
    })();
    return saving;
  }

  function field(s) {
    const id = `rs-${s.id}`;
    const helpId = `${id}-help`;
    const stId = `${id}-status`;
    const saved = s.text || '';
    const local = localStorage.getItem(storeKey(report.id, s.id));
    const fromServer = serverDraft?.data?.sections?.[s.id];
    const kept = local != null ? local : typeof fromServer === 'string' ? fromServer : null;
    const area = h('textarea', { id, name: s.id, rows: 8, maxlength: 20000, class: 'report-text', 'aria-describedby': [s.help ? helpId : null, stId].filter(Boolean).join(' ') });
    area.value = kept != null ? kept : saved;
    const st = h('p', { id: stId, class: 'save-status', role: 'status' });
    status.set(s.id, st);
    let restored = null;
    if (kept != null && kept !== saved) {
      dirty.set(s.id, kept);
      unsaved();
      restored = notice(t('reports.restored'), 'warning');
    } else if (kept != null) {
      localStorage.removeItem(storeKey(report.id, s.id));
    }
    area.addEventListener('input', () => {
      dirty.set(s.id, area.value);
      unsaved();
      localStorage.setItem(storeKey(report.id, s.id), area.value);
      mark(s.id, t('reports.unsaved'));
      clearTimeout(timer);
      timer = setTimeout(saveNow, SAVE_AFTER_MS);
    });
    area.addEventListener('blur', () => {
      if (dirty.has(s.id)) saveNow();
    });
    return h('div', { class: 'field field-textarea field-wide report-field' },
      h('label', { for: id }, t('reports.writeHere')),
      s.help ? h('p', { id: helpId, class: 'hint' }, L2(s.help)) : null,
      restored, area, st);
  }

  if (dirty.size) {
    unsaved();
    setTimeout(saveNow, SAVE_AFTER_MS);
  }
  return { field, saveNow, conflict, version: () => version };
}

// ---- actions ----

function changesList(changes, report) {
  if (!changes?.length) return null;
  const sectionLabel = (id) => L2(report.sections.find((s) => s.id === id)?.label) || id;
  return table({
    caption: t('reports.changes'),
    rows: changes,
    columns: [
      { label: t('reports.changeWhere'), cell: (c) => [sectionLabel(c.section), ' · ', c.table, ' · ', String(c.row).trim(), c.column ? ` · ${c.column}` : ''] },
      { label: t('reports.changeOld'), class: 'num', cell: (c) => cellNode(c.old) },
      { label: t('reports.changeNew'), class: 'num', cell: (c) => cellNode(c.new) },
    ],
  });
}

async function submitReport(report, versions, editor, ctx) {
  if (editor && !(await editor.saveNow())) return;
  const correction = versions.some((v) => v.approved_at);
  let reason;
  if (correction) {
    reason = await dialog(t('reports.reasonTitle'), (close) => makeForm({
      fields: [{ name: 'reason', label: t('reports.reason'), type: 'textarea', required: true, maxlength: 1000, hint: t('reports.reasonHint'), autofocus: true }],
      submitLabel: t('reports.submit'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v) => close(v.reason),
    }).el);
    if (!reason) return;
  }
  const r = await post(`/reports/${enc(report.id)}/submit`, correction ? { reason } : {});
  if (r.changes?.length) {
    await dialog(t('reports.changesTitle', { version: r.version }), (close) => h('div', null,
      h('p', null, t('reports.changesText')),
      changesList(r.changes, report),
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => close(true) }, t('common.close')))));
  }
  ctx.refresh(t(`reports.submitted.${r.status === 'submitted' ? 'waiting' : 'delivered'}`, { version: r.version }));
}

// Approval in a held meeting of the issuing body, on or after the day the version was submitted.
async function meetingApproval(report, pending, ctx) {
  const since = (pending.submitted_at || '').slice(0, 10);
  let meetings = [];
  try {
    meetings = (await getAll(`/bodies/${enc(report.issuer.body)}/meetings`))
      .filter((m) => m.status === 'held' && m.date >= since).sort((a, b) => b.date.localeCompare(a.date));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
  const holder = h('div');
  if (!meetings.length) {
    holder.append(notice(t('reports.noMeetingSince', { date: fmtDate(since) }), 'info'),
      h('p', null, h('a', { href: `/bodies/${enc(report.issuer.body)}/meetings` }, t('reports.toMeetings'))));
    return holder;
  }
  const form = makeForm({
    className: 'report-approval',
    fields: [
      { name: 'meeting', label: t('reports.meeting'), type: 'select', required: true, value: meetings[0].id,
        options: meetings.map((m) => ({ value: m.id, label: [fmtDate(m.date), m.title].filter(Boolean).join(' — ') })),
        hint: t('reports.meetingHint', { date: fmtDate(since) }) },
    ],
    labels: { meeting: t('reports.meeting'), version: t('reports.version') },
    submitLabel: t('reports.approveInMeeting'),
    onSubmit: async (v) => {
      await post(`/reports/${enc(report.id)}/approval`, { version: pending.version, meeting: Number(v.meeting) });
      ctx.refresh(t('reports.approvedDelivered', { version: pending.version }));
    },
  });
  holder.append(form.el);
  return holder;
}

// The Authority's report: each member seated approves, or asks for changes with a comment.
function memberApproval(report, ctx) {
  const a = report.approval;
  const mine = a.seats.find((s) => s.person && s.person === ctx.user.person);
  const decisionText = (d) => (d ? t(`reports.decision.${d}`) : t('reports.decision.none'));
  const decisionTag = (d) => tag(decisionText(d), d === 'approve' ? 'ok' : d === 'changes' ? 'danger' : 'neutral');
  const comments = (a.votes || []).filter((v) => v.comment);
  const seatOf = new Map(a.seats.map((s) => [s.seat, s]));
  let act = null;
  if (mine && report.status === 'submitted') {
    const decide = async (decision) => {
      if (decision === 'approve') {
        await post(`/reports/${enc(report.id)}/approval`, { version: a.version, decision, comment: '' });
        ctx.refresh(t('reports.youApproved'));
        return;
      }
      const done = await dialog(t('reports.askChangesTitle'), (close) => makeForm({
        fields: [{ name: 'comment', label: t('reports.comment'), type: 'textarea', required: true, maxlength: 2000, hint: t('reports.askChangesHint'), autofocus: true }],
        submitLabel: t('reports.askChanges'),
        actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
        onSubmit: async (v) => close(await post(`/reports/${enc(report.id)}/approval`, { version: a.version, decision, comment: v.comment })),
      }).el);
      if (done) ctx.refresh(t('reports.youAskedChanges'));
    };
    const err = h('div');
    const run = (d) => async () => {
      err.replaceChildren();
      try {
        await decide(d);
      } catch (e) {
        if (e instanceof Redirected) return;
        err.replaceChildren(errorBox(e));
      }
    };
    act = h('div', null,
      h('p', null, t('reports.yourSeat', { seat: mine.label, decision: decisionText(mine.decision) })),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn btn-primary', onclick: run('approve') }, t('reports.approve')),
        h('button', { type: 'button', class: 'btn', onclick: run('changes') }, t('reports.askChanges'))),
      err);
  }
  return h('div', null,
    h('p', null, t('reports.approvedOf', { approved: a.approved, filled: a.filled, version: a.version })),
    act,
    table({
      caption: t('reports.seatTable'),
      rows: a.seats,
      columns: [
        { label: t('reports.seat'), cell: (s) => s.label },
        { label: t('reports.member'), cell: (s) => s.name || t('reports.vacant') },
        { label: t('reports.decisionCol'), cell: (s) => decisionTag(s.decision) },
      ],
    }),
    comments.length ? h('div', { class: 'report-comments' },
      h('h3', null, t('reports.comments')),
      h('ul', { class: 'plain-list' }, comments.map((v) => h('li', null,
        h('p', null, h('strong', null, seatOf.get(v.seat)?.name || v.username), ' · ', decisionText(v.decision), ' · ', fmtDateTime(v.ts)),
        h('p', { class: 'report-comment' }, v.comment))))) : null);
}

async function answerReport(report, delivered, answer, ctx) {
  let comment = '';
  if (answer === 'returned') {
    comment = await dialog(t('reports.returnTitle'), (close) => makeForm({
      fields: [{ name: 'comment', label: t('reports.comment'), type: 'textarea', required: true, maxlength: 2000, hint: t('reports.returnHint'), autofocus: true }],
      submitLabel: t('reports.return'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v) => close(v.comment),
    }).el);
    if (!comment) return;
  }
  await post(`/reports/${enc(report.id)}/answer`, { version: delivered.version, answer, comment });
  ctx.refresh(t(`reports.answered.${answer}`));
}

function versionsSection(report, versions) {
  if (!versions.length) return section(t('reports.versions'), h('p', { class: 'empty' }, t('reports.noVersions')));
  return section(t('reports.versions'),
    h('p', { class: 'hint' }, t('reports.versionsHint')),
    h('ol', { class: 'report-versions', reversed: true }, versions.map((v) => h('li', { class: 'report-version', dataset: { version: v.version } },
      h('h3', null, t('reports.versionN', { version: v.version }), ' ', tag(t(`reports.vstatus.${v.status}`) , v.status === 'approved' ? 'ok' : 'neutral')),
      facts([
        [t('reports.submittedAt'), fmtDateTime(v.submitted_at)],
        v.approved_at ? [t('reports.approvedAt'), fmtDateTime(v.approved_at)] : null,
        v.delivered_at ? [t('reports.deliveredAt'), fmtDateTime(v.delivered_at)] : null,
        v.reason ? [t('reports.reason'), v.reason] : null,
        v.answer ? [t('reports.answer'), `${t(`reports.answer.${v.answer}`)} · ${fmtDateTime(v.answered_at)}`] : null,
        v.answer_comment ? [t('reports.answerComment'), v.answer_comment] : null,
      ]),
      h('p', { class: 'report-hash' }, h('span', null, `${t('reports.hash')}: `), h('code', null, v.hash)),
      v.changes?.length ? h('div', null, h('h4', null, t('reports.changesOf', { version: v.version })), changesList(v.changes, report)) : null,
      v.approved_at ? h('p', null, h('a', { href: `/api/v1/reports/${enc(report.id)}/versions/${v.version}`, class: 'btn', download: `report-${report.id}-v${v.version}.json`, type: 'application/json' },
        t('reports.downloadSigned', { version: v.version }))) : null))));
}

export default async function report(ctx) {
  const id = ctx.params.id;
  const [r, versions, types] = await Promise.all([
    get(`/reports/${enc(id)}`),
    get(`/reports/${enc(id)}/versions`).then((d) => d.items).catch((err) => {
      if (err instanceof ApiError && err.status !== 404) return [];
      throw err;
    }),
    get('/report-types').then((d) => d.items).catch(() => []),
  ]);
  const rule = types.find((x) => x.type === r.type)?.approval || (r.approval?.seats ? 'all_members' : 'sent');
  const today = todayISO();
  const title = L2(r.label);
  // The Ministry's own report has no body of nrm behind it: the Ministry issues it.
  const issuer = (lang() === 'en' ? r.issuer.name_en || r.issuer.name : r.issuer.name) || t('reports.issuerMinistry');
  const pending = versions.find((v) => v.status === 'submitted');
  const delivered = versions.find((v) => v.delivered_at && v.status === 'approved');
  const lastAnswer = versions.find((v) => v.answer);
  const serverDraft = r.can_edit ? await findDraft('report', r.id) : null;
  const editor = r.can_edit ? textSections(r, ctx, serverDraft) : null;

  // What the user may do now (the server checks again).
  const actions = [];
  const actionErr = h('div');
  const guard = (fn) => async () => {
    actionErr.replaceChildren();
    try {
      await fn();
    } catch (err) {
      if (err instanceof Redirected) return;
      actionErr.replaceChildren(errorBox(err, { label: (n) => ({ reason: t('reports.reason'), meeting: t('reports.meeting'), version: t('reports.version') }[n] || null) }));
      actionErr.querySelector('[role="alert"]')?.focus();
    }
  };
  if (r.can_edit && r.status !== 'submitted') {
    actions.push(h('button', { type: 'button', class: 'btn btn-primary', onclick: guard(() => submitReport(r, versions, editor, ctx)) },
      versions.some((v) => v.approved_at) ? t('reports.submitCorrection') : t('reports.submit')));
  }
  if (delivered && r.status === 'delivered' && answersReports(r.to, ctx.user)) {
    actions.push(h('button', { type: 'button', class: 'btn btn-primary', onclick: guard(() => answerReport(r, delivered, 'acknowledged', ctx)) }, t('reports.acknowledge')));
    actions.push(h('button', { type: 'button', class: 'btn', onclick: guard(() => answerReport(r, delivered, 'returned', ctx)) }, t('reports.return')));
  }

  let approval = null;
  if (r.approval?.seats) approval = section(t('reports.approval'), memberApproval(r, ctx));
  else if (pending && r.status === 'submitted' && r.can_edit && rule === 'meeting') {
    approval = section(t('reports.approval'), h('p', null, t('reports.approvalMeeting')), await meetingApproval(r, pending, ctx));
  } else if (pending && r.status === 'submitted') {
    approval = section(t('reports.approval'), h('p', null, t('reports.waitingApproval')));
  }

  let n = 0;
  const sections = r.sections.map((s, i) => {
    const sid = `rsec-${s.id}`;
    let body;
    if (s.kind === 'text') {
      body = editor ? editor.field(s)
        : s.text ? h('div', { class: 'report-written' }, s.text.split(/\n{2,}/).map((p) => h('p', null, p)))
          : h('p', { class: 'empty' }, t('reports.nothingWritten'));
    } else if (s.withheld) {
      body = errorBox(new ApiError(403, { code: 'forbidden', key: s.withheld, field: 'period', params: { last: `${r.first}..${r.last}` } }),
        { title: t('reports.withheld'), label: (x) => (x === 'period' ? t('reports.period') : null) });
    } else {
      body = (s.tables || []).map((tb) => reportTable(tb, ++n));
    }
    return h('section', { class: 'section report-section', 'aria-labelledby': sid, dataset: { section: s.id } },
      h('h2', { id: sid }, `${i + 1}. ${L2(s.label)}`), body);
  });

  const late = isLate(r, today);
  return h('div', { class: 'report-screen' },
    breadcrumbs([[t('reports.title'), '/reports'], [title]]),
    h('div', { class: 'report-head' },
      h('p', { class: 'report-republic' }, t('reports.republic')),
      h('p', { class: 'report-issuer' }, issuer)),
    pageHeader(title, { sub: reportPeriodText(r.period), actions: downloadLinks(r.id) }),
    facts([
      [t('reports.period'), `${reportPeriodText(r.period)} (${t('period.fromTo', { from: fmtDate(r.first), to: fmtDate(r.last) })})`],
      [t('reports.due'), h('span', null, fmtDate(r.due), late ? [' ', lateTag()] : null)],
      [t('reports.statusCol'), reportStatusTag(r.status)],
      [t('reports.to'), t(`reports.recipient.${r.to}`)],
      [t('reports.approvalRule'), t(`reports.rule.${rule}`)],
    ]),
    r.status === 'returned' && lastAnswer?.answer === 'returned'
      ? notice(h('div', null, h('p', { class: 'notice-title' }, t('reports.returnedBy')), h('p', null, lastAnswer.answer_comment || '—')), 'warning') : null,
    r.status === 'delivered' || r.status === 'acknowledged' ? notice(t('reports.filesApproved'), 'info') : null,
    actions.length ? h('div', { class: 'report-actions' }, h('div', { class: 'form-actions' }, actions), actionErr) : actionErr,
    approval,
    editor ? editor.conflict : null,
    editor ? notice(t('reports.autosaveHint'), 'info') : null,
    sections,
    hasHidden(r) ? h('p', { class: 'stat-legend' }, t('reports.legend')) : null,
    versionsSection(r, versions),
    h('p', null, h('a', { href: '/reports' }, t('reports.back'))));
}
