// Labels, dates and numbers in the user's language. Albanian first, English second.
// Labels live in /i18n/sq.json and /i18n/en.json; a missing key shows as ⟦key⟧ so tests catch it.

export const LANGS = ['sq', 'en'];
const dicts = {};
let current = 'sq';

// The labels of a language, without making it the page's (a document printed in Albanian).
export async function loadDict(lang) {
  if (!LANGS.includes(lang)) lang = 'sq';
  if (!dicts[lang]) {
    const res = await fetch(`/i18n/${lang}.json`, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`cannot load /i18n/${lang}.json`);
    dicts[lang] = await res.json();
  }
  return lang;
}

export async function loadLang(lang) {
  lang = await loadDict(lang);
  current = lang;
  document.documentElement.lang = lang;
  return lang;
}

export function lang() {
  return current;
}

// t('seat.nominate') or t('membership.ended', {name: 'X', date: '01.02.2025'}).
export function t(key, params) {
  return tIn(current, key, params);
}

// The same in a given language, loaded with loadDict() first.
export function tIn(language, key, params) {
  const s = dicts[language]?.[key];
  if (typeof s !== 'string') return `⟦${key}⟧`;
  return params ? s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m)) : s;
}

// Plural: key.one for 1, key.other otherwise (enough for Albanian and English).
export function tn(key, n, params) {
  return t(`${key}.${n === 1 ? 'one' : 'other'}`, { n, ...params });
}

export function has(key) {
  return typeof dicts[current]?.[key] === 'string';
}

// The label of a code-list value from the API: name / name_en, label / label_en,
// body_name_sq / body_name_en, name_sq / name_en.
export function pick(obj, base = 'name') {
  if (!obj) return '';
  if (current === 'en' && obj[`${base}_en`]) return obj[`${base}_en`];
  return obj[base] ?? obj[`${base}_sq`] ?? obj[`${base}_en`] ?? '';
}

// 'YYYY-MM-DD' → 'dd.mm.yyyy' (a calendar date: no time zone involved).
export function fmtDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

const tirane = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Tirane', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function tiraneParts(date) {
  const p = {};
  for (const { type, value } of tirane.formatToParts(date)) p[type] = value;
  return p;
}

// A UTC timestamp → 'dd.mm.yyyy HH:MM' in Europe/Tirane.
export function fmtDateTime(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const p = tiraneParts(d);
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

// Today in Tirana as 'YYYY-MM-DD'.
export function todayISO() {
  const p = tiraneParts(new Date());
  return `${p.year}-${p.month}-${p.day}`;
}

// 'YYYY-MM-DD' plus n days.
export function addDays(iso, n) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// What a person types → {iso: 'YYYY-MM-DD'}, or {problem}: 'format' when it is not written as
// a date, 'nonexistent' when it is written as one but no such day exists (31.02.2026) — the
// server tells the two apart too (date_format, date_nonexistent), and so does the user.
// Accepts dd.mm.yyyy (also d.m.yyyy, dd/mm/yyyy, dd-mm-yyyy) and yyyy-mm-dd.
export function readDate(text) {
  const s = String(text || '').trim();
  let y, m, d;
  let r = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s);
  if (r) [d, m, y] = [+r[1], +r[2], +r[3]];
  else if ((r = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) [y, m, d] = [+r[1], +r[2], +r[3]];
  else return { problem: 'format' };
  // As the server: a month past 12 or a day past 31 is mistyped; 31.02 is a day that does not exist.
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return { problem: 'format' };
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return { problem: 'nonexistent' };
  return { iso: dt.toISOString().slice(0, 10) };
}

// What a person types → 'YYYY-MM-DD', or null.
export function parseDate(text) {
  return readDate(text).iso || null;
}

// Why a typed date is refused, in words naming the field, or '' when it is a date.
export function dateError(text, label) {
  const { problem } = readDate(text);
  if (!problem) return '';
  return t(problem === 'nonexistent' ? 'form.noSuchDate' : 'form.badDate', { label });
}

export function fmtNumber(n) {
  return new Intl.NumberFormat(current === 'en' ? 'en-GB' : 'sq-AL').format(n);
}

export function fmtBytes(n) {
  if (n < 1024) return t('unit.bytes', { n });
  if (n < 1024 * 1024) return t('unit.kib', { n: (n / 1024).toFixed(0) });
  return t('unit.mib', { n: (n / 1024 / 1024).toFixed(1) });
}
