// Forms: labelled fields with hints and errors tied to them (aria-describedby), an error summary
// that takes the focus, dates typed as dd.mm.yyyy, and API errors shown on the field they name.
import { h, uid } from './dom.js';
import { t, fmtDate, parseDate, dateError } from './i18n.js';
import { ApiError, Redirected } from './api.js';
import { errorText, namesField } from './errors.js';
import { techDetails } from './ui.js';
import { keepDraft } from './drafts.js';
import { setDirty } from './leave.js';

// def: {name, label, type, required, value, hint, options: [{value, label}], autocomplete,
// maxlength, inputmode, hidden, accept, rows}. type: text (default), email, tel, password,
// search, date, time (HH:MM, Europe/Tirane), integer (0 or more), select, textarea, checkbox,
// radio, file. A Node in `fields` is placed as is.
function buildField(def) {
  const id = uid(`f-${def.name}`);
  const hintId = def.hint || def.type === 'date' || def.type === 'time' ? `${id}-hint` : null;
  const errId = `${id}-err`;
  const type = def.type || 'text';
  const optional = !def.required && !['checkbox', 'radio'].includes(type) && !def.noOptional;
  const labelText = [def.label, optional ? h('span', { class: 'optional' }, ` (${t('form.optional')})`) : null];
  const hint = hintId ? h('p', { id: hintId, class: 'hint' }, def.hint || t(type === 'time' ? 'form.timeHint' : 'form.dateHint')) : null;
  const err = h('p', { id: errId, class: 'field-error', hidden: true });
  let input;
  let wrap;
  const described = [hintId].filter(Boolean).join(' ') || null;

  if (type === 'radio') {
    input = h('div', { class: 'radios' }, (def.options || []).map((o) => {
      const oid = uid(`${id}-o`);
      return h('div', { class: 'radio' },
        h('input', { type: 'radio', id: oid, name: def.name, value: o.value, checked: String(def.value ?? '') === String(o.value) }),
        h('label', { for: oid }, o.label));
    }));
    wrap = h('fieldset', { class: 'field field-radio', 'aria-describedby': described },
      h('legend', null, def.label), hint, err, input);
  } else if (type === 'checkbox') {
    input = h('input', { type: 'checkbox', id, name: def.name, checked: !!def.value, 'aria-describedby': described });
    wrap = h('div', { class: 'field field-check' }, input, h('label', { for: id }, def.label), hint, err);
  } else {
    const common = { id, name: def.name, required: !!def.required, 'aria-describedby': described,
      autocomplete: def.autocomplete, maxlength: def.maxlength, inputmode: def.inputmode, lang: def.lang,
      'data-autofocus': def.autofocus ? '' : null };
    if (type === 'select') {
      input = h('select', common, (def.options || []).map((o) => o.group
        ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: x.value, selected: String(def.value ?? '') === String(x.value) }, x.label)))
        : h('option', { value: o.value, selected: String(def.value ?? '') === String(o.value) }, o.label)));
    } else if (type === 'textarea') {
      input = h('textarea', { ...common, rows: def.rows || 3 });
      input.value = def.value ?? '';
    } else if (type === 'date') {
      input = h('input', { ...common, type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'input-date',
        value: fmtDate(def.value || ''), size: 10 });
    } else if (type === 'time') {
      input = h('input', { ...common, type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'input-time',
        value: def.value ?? '', size: 5 });
    } else if (type === 'integer') {
      input = h('input', { ...common, type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'input-number',
        value: def.value ?? '', size: 4 });
    } else if (type === 'file') {
      input = h('input', { ...common, type: 'file', accept: def.accept });
    } else {
      input = h('input', { ...common, type, value: def.value ?? '' });
    }
    wrap = h('div', { class: ['field', `field-${type}`, def.wide && 'field-wide'] }, h('label', { for: id }, labelText), hint, err, input);
  }
  wrap.hidden = !!def.hidden;
  return { def, id, input, wrap, err, described };
}

// What a person types as a time → 'HH:MM', or null: 9:30, 09.30, 0930 and 9 are understood.
export function readTime(text) {
  const s = String(text || '').trim();
  const m = /^(\d{1,2})(?:[:.]?(\d{2}))?$/.exec(s);
  if (!m) return null;
  const hh = Number(m[1]);
  const mm = Number(m[2] || 0);
  if (hh > 23 || mm > 59) return null;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

function readField(f) {
  const { def, input } = f;
  const type = def.type || 'text';
  if (type === 'checkbox') return input.checked;
  if (type === 'radio') return input.querySelector('input:checked')?.value ?? '';
  if (type === 'file') return input.files?.[0] || null;
  return typeof input.value === 'string' ? input.value.trim() : input.value;
}

// labels: {name: label} (or a function of the name) of fields the server may name in an error
// that are not in this form (e.g. the start of the guest whose end is being set); controls(name):
// the element of such a field when the screen built it (a row of a list), or null.
// draft: {form, key} keeps what is typed as a draft on the server (drafts.js: offered back,
// deleted once onSubmit succeeds — onSubmit returning false means it did not save); guard: true
// asks before leaving unsaved changes without a draft (a draft implies it).
export function makeForm({ fields, submitLabel, onSubmit, actions = [], onInput, className, danger, labels = {}, controls = null, draft, guard }) {
  const summaryId = uid('errs');
  const summary = h('div', { id: summaryId, class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const byName = new Map();
  const submit = h('button', { type: 'submit', class: ['btn', danger ? 'btn-danger' : 'btn-primary'] }, submitLabel);
  const body = fields.filter(Boolean).map((d) => {
    if (d instanceof Node) return d;
    const f = buildField(d);
    byName.set(d.name, f);
    return f.wrap;
  });
  const form = h('form', { class: ['form', className], novalidate: true }, summary, body,
    h('div', { class: 'form-actions' }, submit, actions));

  const api = {
    el: form,
    field: (name) => byName.get(name),
    input: (name) => byName.get(name)?.input,
    show(name, visible) {
      const f = byName.get(name);
      if (f) f.wrap.hidden = !visible;
    },
    setOptions(name, options, value) {
      const f = byName.get(name);
      f.input.replaceChildren(...options.map((o) => o.group
        ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: x.value }, x.label)))
        : h('option', { value: o.value }, o.label)));
      if (value != null) f.input.value = String(value);
    },
    values() {
      const v = {};
      for (const [name, f] of byName) if (!f.wrap.hidden) v[name] = readField(f);
      return v;
    },
    setError(name, message) {
      const f = byName.get(name);
      if (!f) return false;
      f.err.textContent = message;
      f.err.hidden = !message;
      f.wrap.classList.toggle('has-error', !!message);
      const target = f.def.type === 'radio' ? f.wrap : f.input;
      if (message) {
        target.setAttribute('aria-invalid', 'true');
        target.setAttribute('aria-describedby', [f.described, f.err.id].filter(Boolean).join(' '));
      } else {
        target.removeAttribute('aria-invalid');
        if (f.described) target.setAttribute('aria-describedby', f.described);
        else target.removeAttribute('aria-describedby');
      }
      return true;
    },
    clearErrors() {
      for (const name of byName.keys()) api.setError(name, '');
      for (const el of form.querySelectorAll('[data-own-invalid]')) {
        el.removeAttribute('aria-invalid');
        el.removeAttribute('data-own-invalid');
      }
      summary.hidden = true;
      summary.replaceChildren();
    },
    // errors: [[fieldName|element|null, message]]: an element is a control the screen built
    // itself (a row of a list), marked invalid and linked from the summary like a field.
    showErrors(errors) {
      for (const el of form.querySelectorAll('[data-own-invalid]')) {
        el.removeAttribute('aria-invalid');
        el.removeAttribute('data-own-invalid');
      }
      summary.replaceChildren(h('h2', { class: 'error-summary-title' }, t('form.errorsTitle')),
        h('ul', null, errors.map(([name, msg]) => {
          if (name instanceof Element) {
            name.setAttribute('aria-invalid', 'true');
            name.setAttribute('data-own-invalid', '');
            return h('li', null, h('a', { href: `#${name.id}`, onclick: (e) => {
              e.preventDefault();
              name.focus();
            } }, msg));
          }
          const f = name && byName.get(name);
          if (!f) return h('li', null, msg);
          const a = h('a', { href: `#${f.id}`, onclick: (e) => {
            e.preventDefault();
            (f.def.type === 'radio' ? f.wrap.querySelector('input') : f.input).focus();
          } }, msg);
          return h('li', null, a);
        })));
      for (const [name, msg] of errors) if (typeof name === 'string') api.setError(name, msg);
      summary.hidden = false;
      summary.focus();
    },
    // The server's error on the field it names (with the field's label in its words, or
    // before them when the sentence does not name a field), else above the form.
    showApiError(err) {
      if (err instanceof Redirected) return;
      const msg = errorText(err, { label: api.label });
      const name = err instanceof ApiError && err.field && byName.has(err.field) && !byName.get(err.field).wrap.hidden ? err.field : null;
      const f = name && byName.get(name);
      // A control of a list the screen built (agenda.2.title): linked, its label before the words.
      const own = !name && err instanceof ApiError && err.field && controls ? controls(err.field) : null;
      if (own) {
        const l = api.label(err.field);
        api.showErrors([[own, l && !namesField(err) ? `${l}: ${msg}` : msg]]);
      } else {
        api.showErrors([[name, f && !namesField(err) ? `${f.def.label}: ${msg}` : msg]]);
      }
      const tech = techDetails(err);
      if (tech) summary.append(tech);
    },
    label: (name) => byName.get(name)?.def.label || (typeof labels === 'function' ? labels(name) : labels[name]) || null,
    busy(on) {
      submit.disabled = on;
      form.setAttribute('aria-busy', on ? 'true' : 'false');
    },
  };

  // Checks what can be checked here; returns the values (dates as YYYY-MM-DD) or null.
  function validate() {
    api.clearErrors();
    const errors = [];
    const values = {};
    for (const [name, f] of byName) {
      if (f.wrap.hidden) continue;
      let v = readField(f);
      const type = f.def.type || 'text';
      if (f.def.required && (v === '' || v == null)) {
        errors.push([name, t('form.required', { label: f.def.label })]);
        continue;
      }
      if (type === 'date' && v) {
        const problem = dateError(v, f.def.label);
        if (problem) {
          errors.push([name, problem]);
          continue;
        }
        v = parseDate(v);
      }
      if (type === 'time' && v) {
        const time = readTime(v);
        if (!time) {
          errors.push([name, t('form.badTime', { label: f.def.label })]);
          continue;
        }
        v = time;
      }
      if (type === 'integer' && v) {
        if (!/^\d{1,6}$/.test(v)) {
          errors.push([name, t('form.badInteger', { label: f.def.label })]);
          continue;
        }
        v = Number(v);
      }
      if (type === 'email' && v && !/^[^@\s]+@[^@\s]+$/.test(v)) {
        errors.push([name, t('form.badEmail', { label: f.def.label })]);
        continue;
      }
      if (f.def.minlength && v && v.length < f.def.minlength) {
        errors.push([name, t('form.tooShort', { label: f.def.label, n: f.def.minlength })]);
        continue;
      }
      values[name] = v === '' ? null : v;
    }
    if (errors.length) {
      api.showErrors(errors);
      return null;
    }
    return values;
  }

  // What the fields hold as typed (not passwords or files), for the draft and the unsaved mark.
  const raw = () => {
    const v = {};
    for (const [name, f] of byName) {
      const type = f.def.type || 'text';
      if (type === 'password' || type === 'file') continue;
      v[name] = type === 'checkbox' ? f.input.checked : type === 'radio' ? f.input.querySelector('input:checked')?.value ?? '' : f.input.value;
    }
    return v;
  };
  let start = null;
  api.dirty = () => start !== null && JSON.stringify(raw()) !== start;
  let kept = null;
  if (draft || guard) {
    start = JSON.stringify(raw());
    if (draft) {
      kept = keepDraft({
        form: draft.form, key: draft.key, el: form, read: raw, changed: api.dirty,
        restore: (data) => {
          for (const [name, v] of Object.entries(data || {})) {
            const f = byName.get(name);
            const type = f?.def.type || 'text';
            if (!f || type === 'password' || type === 'file') continue;
            if (type === 'checkbox') f.input.checked = !!v;
            else if (type === 'radio') for (const r of f.input.querySelectorAll('input')) r.checked = r.value === String(v);
            else f.input.value = v ?? '';
          }
        },
      });
    } else {
      const mark = () => setDirty(form, api.dirty());
      form.addEventListener('input', mark);
      form.addEventListener('change', mark);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    const values = validate();
    if (!values) return;
    api.busy(true);
    try {
      const done = await onSubmit(values, api);
      if (done !== false && start !== null) {
        start = JSON.stringify(raw());
        setDirty(form, false);
        await kept?.saved();
      }
    } catch (err) {
      api.showApiError(err);
    } finally {
      if (form.isConnected) api.busy(false);
    }
  });
  if (onInput) form.addEventListener('change', () => onInput(api.values(), api));
  return api;
}
