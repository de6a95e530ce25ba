// Reading a case's personal data: once per case and session. The server remembers the reason
// given for a case in the session, so for a case whose reason was given in this session (kept
// across reloads: cases.js, personalShown) an empty request is tried first, and the user is asked
// only when there was none or the server answers reason_required: a purpose chosen from the
// list of GET /forms/case ("reading": {purposes, min_length}) and a reason of at least
// min_length characters (the count shown as one types). Only the fact that a reason was given
// is remembered in the page (personalShown), never the data.
import { h, uid } from './dom.js';
import { t } from './i18n.js';
import { post, ApiError } from './api.js';
import { dialog } from './ui.js';
import { makeForm } from './form.js';
import { loadCaseForm, L, personalShown } from './cases.js';

const enc = encodeURIComponent;

// The reason dialog. send({purpose, reason}) runs inside it (a refusal of the server shows on the
// field it names); resolves with what send returns, or null when cancelled.
export async function askReason(title, send, { explain, submitLabel } = {}) {
  const def = await loadCaseForm();
  const reading = def.reading || null;
  const purposes = reading?.purposes || [];
  const min = reading?.min_length || 0;
  return dialog(title, (close) => {
    const countId = uid('count');
    const count = h('p', { class: 'char-count', id: countId });
    const form = makeForm({
      fields: [
        h('p', null, explain || t('personal.explain')),
        purposes.length ? { name: 'purpose', label: t('personal.purpose'), type: 'radio', required: true,
          options: purposes.map((p) => ({ value: p.code, label: L(p.label) })) } : null,
        { name: 'reason', label: t('personal.reason'), type: 'textarea', required: true, maxlength: 500,
          hint: min ? t('personal.reasonHintMin', { min }) : t('personal.reasonHint'), autofocus: !purposes.length },
        min ? count : null,
      ],
      submitLabel: submitLabel || t('personal.show'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v, f) => {
        if (min && v.reason.length < min) {
          f.showErrors([['reason', t('personal.tooShort', { min, n: v.reason.length })]]);
          return;
        }
        const body = { reason: v.reason };
        if (purposes.length) body.purpose = v.purpose;
        close(await send(body));
      },
    });
    if (min) {
      const area = form.input('reason');
      area.setAttribute('aria-describedby', [area.getAttribute('aria-describedby'), countId].filter(Boolean).join(' '));
      const update = () => {
        const n = area.value.trim().length;
        count.textContent = t('personal.count', { n, min });
        count.classList.toggle('char-short', n < min);
      };
      area.addEventListener('input', update);
      update();
    }
    return form.el;
  });
}

// The personal fields of a case whose reason was given in this session (the server accepts an
// empty request then), or null when none was (or the server no longer holds it: a new session).
async function readAgain(code) {
  if (!personalShown.has(code)) return null;
  try {
    const fields = (await post(`/cases/${enc(code)}/personal`, {})).fields;
    personalShown.add(code);
    return fields;
  } catch (err) {
    if (!(err instanceof ApiError && err.key === 'reason_required')) throw err;
    personalShown.delete(code);
    return null;
  }
}

// A case's personal fields: without asking when a reason was given for it in this session, else
// after the user gives one. Resolves with the fields, or null when cancelled.
export async function readPersonal(code, { title } = {}) {
  const url = `/cases/${enc(code)}/personal`;
  const again = await readAgain(code);
  if (again) return again;
  const fields = await askReason(title || t('personal.title', { code }), async (body) => (await post(url, body)).fields);
  if (fields) personalShown.add(code);
  return fields;
}

// The personal fields of several cases read for one purpose (the duplicate pair): each tried
// without a reason first; one reason asked for those that need it. Resolves with {code: fields},
// or null when cancelled.
export async function readPersonalOf(codes, title) {
  const out = {};
  const need = [];
  for (const code of codes) {
    out[code] = await readAgain(code);
    if (!out[code]) need.push(code);
  }
  if (!need.length) return out;
  const ok = await askReason(title, async (body) => {
    for (const code of need) {
      out[code] = (await post(`/cases/${enc(code)}/personal`, body)).fields;
      personalShown.add(code);
    }
    return true;
  });
  return ok ? out : null;
}
