// API errors in the user's language. Every error of the server carries a stable key (one of
// src/core/errors.def) and its parameters; the UI translates "error.<key>" with them, else the
// general sentence of the error's code ("error.<code>"), else error.internal. The English
// message of the server is never shown as the sentence (only under "technical details").
//
// Parameters are written out for reading: dates as dd.mm.yyyy, stages, roles and statuses by
// their names (GET /labels), and parameters that name a field — {field} (the error's field
// member), {other}, {county_field}, {birth}, {age} — by the field's label in quotes when the
// screen knows it, else by a generic word. Catalogue sentences are written so that both read
// well: in Albanian such a placeholder always follows a form of "fusha" ("Plotësoni fushën
// {field}." → "…fushën „Emri”." or "…fushën përkatëse."); in English it stands where a
// quoted label or "the field concerned" fits, never at the start of a sentence.
import { ApiError } from './api.js';
import { t, has, fmtDate, lang } from './i18n.js';
import { labelOf, registerList } from './session.js';

const FIELD_PARAMS = ['field', 'other', 'county_field', 'birth', 'age'];
const CODE_PARAMS = {
  from: 'stage', to: 'stage', reopen: 'stage', previous: 'stage', stage: 'stage',
  role: 'role', undecided: 'trafficking_status', status: 'duplicate_status',
};

// Parameters whose code list depends on the error: the status of a meeting is not that of a
// pair of duplicates, the states a task moves between are not stages of a case.
const KEY_CODE_PARAMS = {
  meeting_state: { status: 'meeting_status' },
  task_transition: { from: 'task_status', to: 'task_status' },
  reference_kind: { kind: 'meeting_kind', body: 'kind' },
};

// The catalogue key that words this error.
function keyOf(err) {
  if (!(err instanceof ApiError)) return 'error.internal';
  if (err.key && has(`error.${err.key}`)) return `error.${err.key}`;
  if (has(`error.${err.code}`)) return `error.${err.code}`;
  return 'error.internal';
}

// Whether the sentence for this error names its field (then a screen does not put the
// field's label before it again).
export function namesField(err) {
  return t(keyOf(err)).includes('{field}');
}

// err: anything thrown; opts.label(name) → the label of a field of the screen (a name such as
// "start" or a path such as "al_documents.0.al_document_number"), or null when unknown.
export function errorText(err, { label } = {}) {
  const key = keyOf(err);
  if (!(err instanceof ApiError)) return t(key);
  const raw = { ...err.params, field: err.field };
  const params = {};
  for (const [name, value] of Object.entries(raw)) {
    const v = value == null ? '' : String(value);
    if (FIELD_PARAMS.includes(name)) {
      const l = v && label ? label(v) : null;
      params[name] = l ? t('form.fieldQuoted', { label: l }) : t('form.fieldGeneric');
    } else if (KEY_CODE_PARAMS[err.key]?.[name] || CODE_PARAMS[name]) {
      params[name] = labelOf(KEY_CODE_PARAMS[err.key]?.[name] || CODE_PARAMS[name], v);
    } else if (name === 'kind' && has(`ref.${v}`)) {
      // What a reference names (unknown_ref): a person, a task, a meeting, a document.
      params[name] = t(`ref.${v}`);
    } else if (name === 'kinds') {
      // The kinds of body a reference may name (reference_body_kind): by their names.
      params[name] = v.split(/,\s*/).filter(Boolean).map((k) => labelOf('kind', k)).join(', ');
    } else if (name === 'kind' && registerList().some((r) => r.name === v)) {
      // An entry of a register (unknown_reference): the register by its name.
      const r = registerList().find((x) => x.name === v);
      params[name] = r.label?.[lang()] || r.label?.sq || v;
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
      params[name] = fmtDate(v);
    } else if (/^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/.test(v)) {
      // A period of days (GET /stats?period=2025-01-01..2025-03-31).
      params[name] = t('period.fromTo', { from: fmtDate(v.slice(0, 10)), to: fmtDate(v.slice(12)) });
    } else {
      params[name] = v;
    }
  }
  // A parameter the server left out shows as an ellipsis, never as "{name}".
  return t(key, params).replace(/\{\w+\}/g, '…');
}
