// What the screens of the periodic reports share (docs/api.md, "Periodic reports"; the types are
// data, data/reports/TYPE.json, GET /report-types): who reads them, a report's period and state
// in words, whether it is late, who answers it, and the periods a new report of a type may cover.
import { h } from './dom.js';
import { t, fmtDate, lang } from './i18n.js';
import { session, serverHas } from './session.js';
import { tag } from './ui.js';
import { parsePeriod, periodLabel, bounds } from './screens/figures.js';

const enc = encodeURIComponent;

// The roles that read some report (the server decides which): the secretariats draft them, the
// members of the bodies read their own, the Ministry's monitor receives them. GET /report-types
// answers every role alike, so it cannot tell.
const READERS = ['authority_chair', 'authority_member', 'authority_secretariat', 'ministry_monitor',
  'county_secretariat', 'krat_member', 'table_member'];

export function readsReports(user = session.user) {
  return READERS.includes(user?.role) && serverHas('GET', '/reports');
}

export const reportHref = (id) => `/reports/${enc(id)}`;

export const STATUSES = ['draft', 'submitted', 'delivered', 'acknowledged', 'returned'];

export function statusText(status) {
  return t(`reports.status.${status}`);
}

export function reportStatusTag(status) {
  const kind = { draft: 'neutral', submitted: 'warning', delivered: 'ok', acknowledged: 'ok', returned: 'danger' }[status] || 'neutral';
  return tag(statusText(status), kind);
}

// Delivered after its due day, or still to be delivered after it.
export function isLate(r, today) {
  if (!r.due) return false;
  if (r.delivered_at) return r.delivered_at.slice(0, 10) > r.due;
  return r.due < today && !['delivered', 'acknowledged'].includes(r.status);
}

export function lateTag() {
  return tag(t('reports.late'), 'danger');
}

// '2025Q3' → "Tremujori i tretë i vitit 2025"; a Table's report covers the day of its meeting.
export function reportPeriodText(period) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(period || '')) return t('reports.periodMeeting', { date: fmtDate(period) });
  const p = parsePeriod(period || '');
  return p ? periodLabel(p) : period || '';
}

// The label of a {sq, en} pair in the user's language.
export function L2(obj) {
  if (obj == null) return '';
  if (typeof obj !== 'object') return String(obj);
  return obj[lang()] || obj.sq || obj.en || '';
}

// Whether the user answers a delivered report going to `to` (the Ministry's monitor those to the
// Ministry and to its director; a county's secretariat its Table's reports to the KRAT).
export function answersReports(to, user = session.user) {
  if (user?.role === 'ministry_monitor') return to === 'ministry' || to === 'director';
  if (user?.role === 'county_secretariat') return to === 'krat';
  return false;
}

// The periods a new report of a kind (quarter, half, year, month) may cover: the current one and
// those before it, newest first; the default is the last one that has ended.
export function periodChoices(kind, today) {
  const y = +today.slice(0, 4);
  const m = +today.slice(5, 7);
  const out = [];
  if (kind === 'quarter') {
    let q = Math.floor((m - 1) / 3) + 1;
    let yy = y;
    for (let i = 0; i < 8; i++) {
      out.push(`${yy}Q${q}`);
      if (--q === 0) { q = 4; yy -= 1; }
    }
  } else if (kind === 'half') {
    let p = m <= 6 ? 1 : 2;
    let yy = y;
    for (let i = 0; i < 6; i++) {
      out.push(`${yy}H${p}`);
      if (--p === 0) { p = 2; yy -= 1; }
    }
  } else if (kind === 'year') {
    for (let i = 0; i < 4; i++) out.push(String(y - i));
  } else if (kind === 'month') {
    let mm = m;
    let yy = y;
    for (let i = 0; i < 13; i++) {
      out.push(`${yy}-${String(mm).padStart(2, '0')}`);
      if (--mm === 0) { mm = 12; yy -= 1; }
    }
  }
  const options = out.map((p) => ({ value: p, label: periodLabel(parsePeriod(p)) }));
  const value = out.find((p) => bounds(parsePeriod(p)).last < today) || out[0];
  return { options, value };
}

// A cell of a report's table: a number, text, a day, or the symbol of a hidden figure.
export function isDay(v) {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
}

export function downloadLinks(id, cls = 'btn') {
  const file = (f) => `/api/v1/reports/${enc(id)}/${f}?lang=${lang()}`;
  return [
    h('a', { href: file('pdf'), class: cls, download: true, type: 'application/pdf' }, t('reports.pdf')),
    h('a', { href: file('xlsx'), class: cls, download: true, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, t('reports.xlsx')),
    h('a', { href: file('csv'), class: cls, download: true, type: 'text/csv' }, t('reports.csv')),
  ];
}
