// The case form, drawn from the form definition (GET /forms/case): each field by its type —
// text, textarea, date (dd.mm.yyyy, sent as YYYY-MM-DD), integer, boolean, one code (a select),
// several codes (check boxes, with a search over long lists), an institution or an Authority
// meeting (selects), a repeating group (rows added and removed) — with its label and help in the
// user's language, personal fields marked, what is required worked out live from `required`,
// `required_when`, the stage and the workflow, and errors (ours or the server's, which may name
// a sub-field such as "al_documents.0.al_document_number") shown on the field they concern.
import { h, uid, srOnly } from './dom.js';
import { t, tn, fmtDate, parseDate, dateError, pick } from './i18n.js';
import { ApiError, Redirected } from './api.js';
import { errorText, namesField } from './errors.js';
import { techDetails } from './ui.js';
import { L, codeOptions, whenHolds, stageReached, ageOn, personalMark, meetingLabel } from './cases.js';
import { keepDraft } from './drafts.js';
import { setDirty } from './leave.js';

const LONG_LIST = 12;
const BAD = Symbol('invalid');
const KEPT = '\u2026kept';

const empty = (v) => v == null || v === '' || (Array.isArray(v) && v.length === 0);

// For comparing values: object keys sorted, empty as null.
function canon(v) {
  if (empty(v)) return 'null';
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (typeof v === 'object') return `{${Object.keys(v).filter((k) => !empty(v[k])).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export function sameValue(a, b) {
  return canon(a) === canon(b);
}

const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

function optionEls(options, value) {
  return options.map((o) => (o.group
    ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: x.value, selected: String(value ?? '') === String(x.value) }, x.label)))
    : h('option', { value: o.value, selected: String(value ?? '') === String(o.value) }, o.label)));
}

// Institutions of one county (and the national ones), grouped by type, for a select.
export function institutionOptions(all, types, county) {
  const groups = new Map();
  for (const i of all.values()) {
    if (!i.active || (county && i.county && i.county !== county)) continue;
    if (!groups.has(i.type)) groups.set(i.type, []);
    groups.get(i.type).push({ value: i.id, label: pick(i) });
  }
  const typeName = (code) => pick(types.find((x) => x.code === code), 'name') || code;
  return [{ value: '', label: t('form.choose') },
    ...[...groups].sort((a, b) => typeName(a[0]).localeCompare(typeName(b[0])))
      .map(([code, options]) => ({ group: typeName(code), options: options.sort((a, b) => a.label.localeCompare(b.label)) }))];
}

// An institution select with a county filter beside it. Returns {el, select, value()}.
export function institutionPicker({ id, name, value, env, describedby }) {
  const { institutions, types, counties } = env;
  const current = value ? institutions.get(Number(value)) : null;
  let county = current ? current.county || '' : env.defaultCounty || '';
  const filterId = `${id}-county`;
  const filter = h('select', { id: filterId, class: 'inst-county' },
    h('option', { value: '' }, t('case.allCounties')),
    counties.map((c) => h('option', { value: c.slug, selected: c.slug === county }, pick(c))));
  const select = h('select', { id, name, 'aria-describedby': describedby || null });
  const fill = () => {
    const keep = select.value || (value != null ? String(value) : '');
    select.replaceChildren(...optionEls(institutionOptions(institutions, types, county), keep));
    select.value = [...select.options].some((o) => o.value === keep) ? keep : '';
  };
  fill();
  filter.addEventListener('change', (e) => {
    e.stopPropagation();
    county = filter.value;
    fill();
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const el = h('div', { class: 'inst-picker' },
    h('div', { class: 'inst-filter' }, h('label', { for: filterId, class: 'small-label' }, t('case.institutionCounty')), filter),
    select);
  return { el, select, value: () => (select.value ? Number(select.value) : null) };
}

// A reference chosen from a list: src = {items: [{value, label, group?, county?}], byCounty}.
function refWidget(value, ctx, { id, common, src, w, simple, label }) {
  const countyField = ctx.env.countyField;
  const select = h('select', common);
  const long = src.items.length > LONG_LIST;
  const search = long ? h('input', { type: 'search', id: `${id}-search`, autocomplete: 'off', class: 'codes-search' }) : null;
  const fill = () => {
    const keep = select.value || (value != null ? String(value) : '');
    const county = src.byCounty && countyField ? ctx.form.current(countyField) : null;
    const q = search ? fold(search.value.trim()) : '';
    const items = src.items.filter((i) => String(i.value) === keep
      || ((!county || !i.county || i.county === county) && (!q || fold(i.label).includes(q))));
    const groups = new Map();
    const flat = [];
    for (const i of items) {
      if (!i.group) flat.push({ value: i.value, label: i.label });
      else {
        if (!groups.has(i.group)) groups.set(i.group, []);
        groups.get(i.group).push({ value: i.value, label: i.label });
      }
    }
    select.replaceChildren(...optionEls([{ value: '', label: t('form.choose') }, ...flat,
      ...[...groups].map(([group, options]) => ({ group, options }))], keep));
    select.value = items.some((i) => String(i.value) === keep) ? keep : '';
  };
  w.init = fill;
  w.onOtherChange = (name) => {
    if (src.byCounty && name && name === countyField) fill();
  };
  simple(select, 'select');
  if (search) {
    search.addEventListener('input', fill);
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') e.preventDefault();
    });
    // The search is not a field of the form: its changes change nothing else.
    search.addEventListener('change', (e) => e.stopPropagation());
    select.parentElement.insertBefore(h('div', { class: 'codes-filter' }, h('label', { for: `${id}-search`, class: 'small-label' }, t('case.searchIn', { label })), search), select);
  }
  w.get = () => (select.value ? Number(select.value) : null);
}

// One field. ctx: {def, env, form (the controller), row (for sub-fields), kept (stored personal
// value not loaded)}.
function widget(f, value, ctx) {
  const { def, env } = ctx;
  const id = uid(`cf-${f.name}`);
  const hintText = [f.help ? L(f.help) : null, f.type === 'date' ? t('form.dateHint') : null,
    ctx.kept ? t('case.personalKept') : null].filter(Boolean);
  const hintId = hintText.length ? `${id}-hint` : null;
  const hint = hintId ? h('p', { id: hintId, class: 'hint' }, hintText.join(' ')) : null;
  const err = h('p', { id: `${id}-err`, class: 'field-error', hidden: true });
  const optional = h('span', { class: 'optional' }, ` (${t('form.optional')})`);
  const personal = f.personal && !ctx.inPersonalGroup ? [' ', personalMark()] : null;
  const labelBits = [L(f.label), optional, personal];
  const w = { f, id, err, wrap: null, control: null, focusEl: null, hintId, kept: !!ctx.kept };
  let get;
  let wrap;

  const common = { id, name: ctx.row ? null : f.name, 'aria-describedby': hintId };
  const simple = (input, type) => {
    w.control = input;
    w.focusEl = input;
    wrap = h('div', { class: ['field', `field-${type}`] }, h('label', { for: id }, labelBits), hint, err, input);
  };

  switch (f.type) {
    case 'textarea': {
      const input = h('textarea', { ...common, rows: f.max && f.max > 1000 ? 5 : 3, maxlength: f.max || null });
      input.value = value ?? '';
      simple(input, 'textarea');
      get = () => input.value.trim() || null;
      break;
    }
    case 'date': {
      const input = h('input', { ...common, type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'input-date', size: 10, value: fmtDate(value || '') });
      simple(input, 'date');
      get = () => {
        const s = input.value.trim();
        if (!s) return null;
        return parseDate(s) || BAD;
      };
      w.badMessage = () => dateError(input.value, L(f.label));
      break;
    }
    case 'boolean': {
      const input = h('select', common, optionEls([{ value: '', label: t('form.choose') }, { value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }],
        value == null ? '' : String(value)));
      simple(input, 'select');
      get = () => (input.value === '' ? null : input.value === 'true');
      break;
    }
    case 'code': {
      let options;
      const input = h('select', common);
      if (f.codelist === 'municipalities') {
        // Only the municipalities of the county chosen beside it.
        const countyField = f.name.replace('municipality', 'county');
        const fill = () => {
          const county = ctx.form.current(countyField);
          const keep = input.value || value || '';
          const items = def.codelists.municipalities.items.filter((m) => !county || m.parent === county);
          input.replaceChildren(...optionEls([{ value: '', label: t('form.choose') }, ...items.map((m) => ({ value: m.code, label: L(m.label) }))], keep));
          input.value = items.some((m) => m.code === keep) ? keep : '';
        };
        w.onOtherChange = (name) => {
          if (name === countyField) fill();
        };
        w.init = fill;
      } else {
        options = [{ value: '', label: t('form.choose') }, ...(f.options || codeOptions(def, f.codelist))];
        input.append(...optionEls(options, value));
      }
      simple(input, 'select');
      get = () => input.value || null;
      break;
    }
    case 'integer': {
      if (f.ref === 'institution') {
        const p = institutionPicker({ id, name: common.name, value, env: { ...env, defaultCounty: ctx.form.current(env.countyField || 'al_county') || env.defaultCounty }, describedby: hintId });
        w.control = p.select;
        w.focusEl = p.select;
        wrap = h('div', { class: 'field field-institution' }, h('label', { for: id }, labelBits), hint, err, p.el);
        get = p.value;
        break;
      }
      // Another kind of reference the screen offers (a body, a person, a meeting, a task, an
      // entry of a register): a select of its items, with a search over a long list and, where
      // the items belong to counties, only those of the county chosen in the form (and the
      // national ones). A kind the screen cannot list stays a number.
      const src = f.ref && env.refSource ? env.refSource(f) : null;
      if (src) {
        refWidget(value, ctx, { id, common, src, w, simple, label: L(f.label) });
        get = w.get;
        break;
      }
      if (f.ref === 'meeting') {
        const meetings = [...(env.meetings || [])].sort((a, b) => (a.date < b.date ? 1 : -1));
        const input = h('select', common, optionEls([{ value: '', label: t('form.choose') }, ...meetings.map((m) => ({ value: m.id, label: meetingLabel(m) }))], value));
        simple(input, 'select');
        if (!meetings.length) wrap.insertBefore(h('p', { class: 'hint' }, t('case.noMeetings')), err);
        get = () => (input.value ? Number(input.value) : null);
        break;
      }
      const input = h('input', { ...common, type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'input-number', size: 6, value: value ?? '' });
      simple(input, 'integer');
      get = () => {
        const s = input.value.trim();
        if (!s) return null;
        if (!/^-?\d+$/.test(s)) return BAD;
        const n = Number(s);
        if ((f.min != null && n < f.min) || (f.max != null && n > f.max)) return BAD;
        return n;
      };
      w.badMessage = () => (f.min != null && f.max != null
        ? t('case.badRange', { label: L(f.label), min: f.min, max: f.max })
        : t('case.badInteger', { label: L(f.label) }));
      break;
    }
    case 'codes': {
      const items = f.options || codeOptions(def, f.codelist);
      const chosen = new Set(Array.isArray(value) ? value : []);
      const long = items.length > LONG_LIST;
      const box = h('div', { class: ['codes-box', long && 'codes-long'] }, items.map((o) => {
        const cid = uid(`${id}-o`);
        return h('div', { class: ['check', o.label.startsWith('\u00a0') && 'check-sub'], dataset: { text: fold(o.label) } },
          h('input', { type: 'checkbox', id: cid, value: o.value, checked: chosen.has(o.value) }),
          h('label', { for: cid }, o.label.replace(/^\u00a0+– /, '')));
      }));
      const checks = () => [...box.querySelectorAll('input[type="checkbox"]')];
      let summary = null;
      let search = null;
      if (long) {
        const sid = `${id}-search`;
        summary = h('p', { class: 'codes-chosen', 'aria-live': 'polite' });
        const input = h('input', { type: 'search', id: sid, autocomplete: 'off', class: 'codes-search' });
        input.addEventListener('input', () => {
          const q = fold(input.value.trim());
          for (const div of box.children) div.hidden = !!q && !div.dataset.text.includes(q);
        });
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') e.preventDefault();
        });
        search = h('div', { class: 'codes-filter' }, h('label', { for: sid, class: 'small-label' }, t('case.searchList')), input);
        const sum = () => {
          const names = checks().filter((c) => c.checked).map((c) => c.nextElementSibling.textContent);
          summary.textContent = names.length ? t('case.chosen', { list: names.join(', ') }) : t('case.noneChosen');
        };
        box.addEventListener('change', sum);
        w.init = sum;
      }
      wrap = h('fieldset', { class: 'field field-codes', id, 'aria-describedby': hintId },
        h('legend', null, labelBits), hint, err, search, summary, box);
      w.control = wrap;
      w.focusEl = () => checks().find((c) => !c.closest('[hidden]')) || checks()[0];
      get = () => {
        const v = checks().filter((c) => c.checked).map((c) => c.value);
        return v.length ? v : null;
      };
      break;
    }
    case 'group': {
      const rows = [];
      const list = h('div', { class: 'group-rows' });
      const addBtn = h('button', { type: 'button', class: 'btn btn-small' }, t('case.groupAdd', { label: L(f.label) }));
      const renumber = () => rows.forEach((r, i) => {
        r.legend.textContent = t('case.groupRow', { n: i + 1 });
        r.remove.lastChild.textContent = ` ${L(f.label)} ${i + 1}`;
      });
      const addRow = (rowValue, focus) => {
        const row = { subs: new Map(), value: rowValue || {} };
        row.legend = h('legend', { class: 'group-row-title' });
        row.remove = h('button', { type: 'button', class: 'btn btn-small btn-quiet' }, t('case.groupRemove'), srOnly(''));
        row.remove.addEventListener('click', () => {
          const i = rows.indexOf(row);
          rows.splice(i, 1);
          row.el.remove();
          renumber();
          (rows[i]?.remove || rows[i - 1]?.remove || addBtn).focus();
          ctx.form.changed(f.name);
        });
        const subCtx = { ...ctx, row: row.value, inPersonalGroup: f.personal, kept: false };
        const subs = (f.fields || []).map((sf) => {
          const sw = widget(sf, row.value[sf.name], subCtx);
          sw.row = row;
          row.subs.set(sf.name, sw);
          return sw;
        });
        row.el = h('fieldset', { class: 'group-row' }, row.legend, h('div', { class: 'group-row-fields' }, subs.map((s) => s.wrap)),
          h('div', { class: 'group-row-actions' }, row.remove));
        rows.push(row);
        list.append(row.el);
        subs.forEach((s) => s.init?.());
        renumber();
        if (focus) subs[0]?.focusTarget().focus();
      };
      addBtn.addEventListener('click', () => {
        addRow({}, true);
        ctx.form.changed(f.name);
      });
      for (const r of Array.isArray(value) ? value : []) addRow(r, false);
      wrap = h('fieldset', { class: 'field field-group', id, 'aria-describedby': hintId },
        h('legend', null, labelBits), hint, err, list, h('p', { class: 'group-add' }, addBtn));
      w.control = wrap;
      w.focusEl = () => rows[0]?.subs.values().next().value?.focusTarget() || addBtn;
      w.rows = rows;
      w.sub = (index, name) => rows[index]?.subs.get(name) || null;
      get = () => {
        const out = [];
        let bad = false;
        for (const r of rows) {
          const o = {};
          for (const [n, sw] of r.subs) {
            const v = sw.get();
            if (v === BAD) bad = true;
            else if (!empty(v)) o[n] = v;
          }
          r.value = o;
          for (const sw of r.subs.values()) sw.rowValue = o;
          if (Object.keys(o).length) out.push(o);
        }
        if (bad) return BAD;
        return out.length ? out : null;
      };
      break;
    }
    default: {
      const input = h('input', { ...common, type: 'text', maxlength: f.max || null, autocomplete: 'off', value: value ?? '' });
      simple(input, 'text');
      get = () => input.value.trim() || null;
    }
  }
  if (ctx.row && wrap.tagName !== 'FIELDSET') wrap.classList.add('field-sub');
  w.wrap = wrap;
  w.get = get;
  w.focusTarget = () => (typeof w.focusEl === 'function' ? w.focusEl() : w.focusEl);
  w.setRequired = (on) => {
    optional.textContent = on ? '' : ` (${t('form.optional')})`;
    if (w.control && w.control.tagName !== 'FIELDSET') {
      if (on) w.control.setAttribute('aria-required', 'true');
      else w.control.removeAttribute('aria-required');
    }
  };
  w.setError = (msg) => {
    err.textContent = msg || '';
    err.hidden = !msg;
    wrap.classList.toggle('has-error', !!msg);
    const target = w.control;
    if (!target) return;
    if (msg) {
      target.setAttribute('aria-invalid', 'true');
      target.setAttribute('aria-describedby', [hintId, err.id].filter(Boolean).join(' '));
    } else {
      target.removeAttribute('aria-invalid');
      if (hintId) target.setAttribute('aria-describedby', hintId);
      else target.removeAttribute('aria-describedby');
    }
  };
  return w;
}

// The index of a form's sections: a list of links, one section shown at a time (the others
// hidden), each link with what its section still misses in words (not colour alone), and a
// "next section" button for the bar of actions. sections: [{id, hid, label, block, names}];
// opts: {current (a section id), onSection(id) when the user moves}.
function sectionIndex(sections, opts) {
  let cur = sections.some((s) => s.id === opts.current) ? opts.current : sections[0]?.id;
  // Without a section asked for, the first one that misses something, once that is known.
  let settled = cur === opts.current;
  const items = new Map();
  const list = h('ol', { class: 'section-index-list' }, sections.map((s) => {
    const state = h('span', { class: 'section-state' });
    const link = h('a', { href: `?section=${encodeURIComponent(s.id)}`, dataset: { section: s.id } }, h('span', { class: 'section-name' }, s.label), state);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      show(s.id, true);
    });
    items.set(s.id, { link, state, li: h('li', null, link) });
    return items.get(s.id).li;
  }));
  const titleId = uid('si');
  const el = h('nav', { class: 'section-index', 'aria-labelledby': titleId },
    h('h2', { id: titleId, class: 'section-index-title' }, t('sections.title')), list);
  const next = h('button', { type: 'button', class: 'btn section-next' }, t('sections.next'));
  next.addEventListener('click', () => {
    const i = sections.findIndex((s) => s.id === cur);
    show(sections[(i + 1) % sections.length].id, true);
  });

  function show(id, focus) {
    cur = id;
    for (const s of sections) {
      s.block.hidden = s.id !== id;
      const it = items.get(s.id);
      if (s.id === id) it.link.setAttribute('aria-current', 'step');
      else it.link.removeAttribute('aria-current');
    }
    const i = sections.findIndex((s) => s.id === id);
    next.hidden = sections.length < 2;
    next.textContent = t('sections.nextName', { name: sections[(i + 1) % sections.length].label });
    opts.onSection?.(id);
    if (focus) document.getElementById(sections[i].hid)?.focus();
  }
  show(cur, false);

  return {
    el,
    next,
    current: () => cur,
    // missing(name): whether a required field is still empty.
    update(missing) {
      let firstMissing = null;
      for (const s of sections) {
        const n = s.names.filter(missing).length;
        if (n && !firstMissing) firstMissing = s.id;
        const it = items.get(s.id);
        it.state.textContent = n ? tn('sections.missing', n) : t('sections.complete');
        it.li.classList.toggle('section-missing', n > 0);
        it.li.classList.toggle('section-complete', n === 0);
        it.li.classList.remove('section-error');
      }
      if (!settled) {
        settled = true;
        if (firstMissing && firstMissing !== cur) show(firstMissing, false);
      }
    },
    errors(wraps) {
      const hit = sections.filter((s) => wraps.some((w) => s.block.contains(w)));
      for (const s of hit) items.get(s.id).li.classList.add('section-error');
      if (hit.length && !hit.some((s) => s.id === cur)) show(hit[0].id, false);
    },
    reveal(node) {
      const s = sections.find((x) => x.block.contains(node));
      if (s && s.id !== cur) show(s.id, false);
    },
  };
}

// The form. opts:
//   def, env ({institutions, types, counties, meetings, defaultCounty, user}),
//   names: top-level fields to draw (grouped by their sections, in the order of the form),
//   values: what the fields hold now, stage: the stage the requirements are judged at,
//   required: a Set of names the workflow requires here, childDefault: whether the person is a
//   child when the form cannot tell, kept: a Set of personal fields whose stored value was not
//   loaded (left empty they stay as they are), heading: 'h2' (page) or 'h3' (dialog),
//   top / bottom: nodes before and after the fields, after: {fieldName: node} placed after a
//   field, sectionEnd: {sectionId: node}, submitLabel, actions, onSubmit(values, changed, api),
//   onChange(data, child), extraFields: field definitions of the screen's own (label a string,
//   `options` instead of a code list), drawn before the sections, aliases: {serverName:
//   fieldName} when the server names one of those fields otherwise (its errors land there),
//   given: names of fields not drawn that count as filled (the case takes them from elsewhere),
//   draft: {form, key} to keep what is typed as a draft on the server (drafts.js: restored on
//   request, deleted once onSubmit succeeds — onSubmit returning false means it did not save),
//   guard: true to ask before leaving unsaved changes without a draft (a draft implies it).
export function caseForm(opts) {
  const { def, env, names, values = {}, stage, required = new Set(), kept = new Set(), heading = 'h2' } = opts;
  const widgets = new Map();
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const submit = h('button', { type: 'submit', class: ['btn', opts.danger ? 'btn-danger' : 'btn-primary'] }, opts.submitLabel);

  const api = {
    // What a field holds now (for the municipality and required_when rules): its widget's
    // valid value, else the value the form started with.
    current(name) {
      const w = widgets.get(name);
      if (!w) return values[name] ?? null;
      const v = w.get();
      return v === BAD ? null : v;
    },
    // A stored personal value that was not loaded counts as filled, and so does a field the
    // case takes from elsewhere (opts.given: from an entry of a register).
    data() {
      const d = { ...values };
      for (const name of opts.given || []) if (!widgets.has(name)) d[name] = KEPT;
      for (const name of widgets.keys()) {
        const v = api.current(name);
        d[name] = empty(v) && kept.has(name) ? KEPT : v;
      }
      return d;
    },
    child(data = api.data()) {
      const age = ageOn(data.prs_Birthdate, data.al_identification_date);
      if (age != null) return age < 18;
      if (Number.isInteger(data.al_estimated_age)) return data.al_estimated_age < 18;
      if (data.prs_Birthdate === KEPT) return !!opts.childDefault;
      if (widgets.has('prs_Birthdate') || widgets.has('al_estimated_age')) return null;
      return !!opts.childDefault;
    },
    changed(name) {
      for (const w of widgets.values()) {
        w.onOtherChange?.(name);
        for (const r of w.rows || []) for (const sw of r.subs.values()) sw.onOtherChange?.(name);
      }
      refresh();
    },
  };

  function needed(f, data, child, row) {
    if (row) return !!f.required || whenHolds(f.required_when, data, row, child);
    if (kept.has(f.name)) return false;
    if (required.has(f.name)) return true;
    if (!stageReached(def, f.stage, stage)) return false;
    return !!f.required || whenHolds(f.required_when, data, null, child);
  }

  function refresh() {
    const data = api.data();
    const child = api.child(data);
    for (const w of widgets.values()) {
      w.setRequired(needed(w.f, data, child));
      for (const r of w.rows || []) for (const sw of r.subs.values()) sw.setRequired(needed(sw.f, data, child, r.value));
    }
    index?.update((name) => {
      const w = widgets.get(name);
      const v = w.get();
      return v !== BAD && needed(w.f, data, child) && empty(v);
    });
    opts.onChange?.(data, child);
  }

  // The fields, holding `start` (what the form started with, or a draft restored over it; the
  // changes are still judged against `values`): {extra, blocks, sections}.
  function draw(start) {
    widgets.clear();
    // Fields of the screen itself (not of the case form), drawn first: same widgets, no section.
    const extra = (opts.extraFields || []).map((f) => {
      const w = widget(f, start[f.name], { def, env, form: api, kept: false });
      widgets.set(f.name, w);
      w.wrap.dataset.top = f.name;
      return w.wrap;
    });
    // Sections in the order of the form, with the fields asked for (opts.requiredFirst: in each
    // section, what the stage requires before the rest).
    const want = new Set(names);
    const blocks = [];
    const sections = [];
    const first = (f) => (required.has(f.name) || (f.required && stageReached(def, f.stage, stage)) ? 0 : 1);
    for (const s of def.form.sections) {
      let fs = s.fields.filter((f) => want.has(f.name));
      if (!fs.length) continue;
      if (opts.requiredFirst) fs = fs.map((f, i) => [f, i]).sort((a, b) => first(a[0]) - first(b[0]) || a[1] - b[1]).map(([f]) => f);
      const hid = uid('cs');
      const nodes = fs.map((f) => {
        const w = widget(f, start[f.name], { def, env, form: api, kept: kept.has(f.name) && empty(start[f.name]) });
        widgets.set(f.name, w);
        w.wrap.dataset.top = f.name;
        return [w.wrap, opts.after?.[f.name] || null];
      });
      const block = h('section', { class: heading === 'h2' ? 'section form-section' : 'form-section', 'aria-labelledby': hid, dataset: { section: s.id } },
        h(heading, { id: hid, tabindex: '-1' }, L(s.label)),
        h('div', { class: 'form-section-fields' }, nodes),
        opts.sectionEnd?.[s.id] || null);
      blocks.push(block);
      sections.push({ id: s.id, hid, label: L(s.label), block, names: fs.map((f) => f.name) });
    }
    return { extra: extra.length ? h('div', { class: heading === 'h2' ? 'section form-section form-extra' : 'form-extra' }, extra) : null, blocks, sections };
  }
  const drawn = draw(values);
  const fieldsBox = h('div', { class: 'case-form-fields' }, drawn.extra, drawn.blocks);

  // The index of the sections (opts.index: {current, onSection(id)}): one section shown at a
  // time, each link saying in words how many required fields its section still misses.
  let index = opts.index ? sectionIndex(drawn.sections, opts.index) : null;
  const actions = h('div', { class: ['form-actions', opts.sticky ? 'form-actions-sticky' : null] }, submit, index?.next || null, opts.actions || []);
  const fieldsPart = [fieldsBox, opts.bottom || null];
  const form = h('form', { class: ['form', 'case-form', index ? 'case-form-indexed' : null, opts.className], novalidate: true },
    summary, opts.top || null,
    index ? h('div', { class: 'case-form-layout' }, index.el, h('div', { class: 'case-form-main' }, fieldsPart)) : fieldsPart,
    actions);

  for (const w of widgets.values()) w.init?.();
  form.addEventListener('change', (e) => {
    api.changed(e.target.closest('[data-top]')?.dataset.top || null);
  });

  // The widget a server error names: "name" or "group.index.sub".
  function byPath(path) {
    if (!path) return null;
    const parts = String(path).split('.');
    const w = widgets.get(opts.aliases?.[parts[0]] || parts[0]);
    if (!w) return null;
    if (parts.length === 3 && w.sub) return w.sub(Number(parts[1]), parts[2]) || w;
    return w;
  }

  function label(w) {
    return L(w.f.label);
  }

  function showErrors(errors) {
    summary.replaceChildren(h('h2', { class: 'error-summary-title' }, t('form.errorsTitle')),
      h('ul', null, errors.map(([w, msg]) => {
        if (!w) return h('li', null, msg);
        return h('li', null, h('a', { href: `#${w.id}`, onclick: (e) => {
          e.preventDefault();
          index?.reveal(w.wrap);
          w.focusTarget()?.focus();
        } }, msg));
      })));
    for (const [w, msg] of errors) w?.setError(msg);
    // A section with an error is marked in the index; the first one is shown.
    index?.errors(errors.map(([w]) => w?.wrap).filter(Boolean));
    summary.hidden = false;
    summary.focus();
  }

  function clearErrors() {
    for (const w of widgets.values()) {
      w.setError('');
      for (const r of w.rows || []) for (const sw of r.subs.values()) sw.setError('');
    }
    summary.hidden = true;
    summary.replaceChildren();
  }

  // Checks what can be checked here; returns the values of the drawn fields, or null.
  function validate() {
    clearErrors();
    const errors = [];
    const data = api.data();
    const child = api.child(data);
    const out = {};
    for (const [name, w] of widgets) {
      const v = w.get();
      if (v === BAD) {
        if (w.rows) {
          for (const r of w.rows) for (const sw of r.subs.values()) if (sw.get() === BAD) errors.push([sw, sw.badMessage()]);
        } else errors.push([w, w.badMessage()]);
        continue;
      }
      if (needed(w.f, data, child) && empty(v)) {
        errors.push([w, t('form.required', { label: label(w) })]);
        continue;
      }
      for (const r of w.rows || []) {
        for (const sw of r.subs.values()) {
          if (needed(sw.f, data, child, r.value) && empty(sw.get()) && Object.keys(r.value).length) {
            errors.push([sw, t('form.required', { label: `${label(w)} ${w.rows.indexOf(r) + 1}: ${label(sw)}` })]);
          }
        }
      }
      out[name] = empty(v) ? null : v;
    }
    if (errors.length) {
      showErrors(errors);
      return null;
    }
    return out;
  }

  // The fields whose value differs from what the form started with (a personal field whose
  // stored value was not loaded is changed only when something is typed into it).
  function changedOf(v) {
    const out = {};
    for (const [name, val] of Object.entries(v)) {
      if (kept.has(name) && empty(val)) continue;
      if (!sameValue(val, values[name])) out[name] = empty(val) ? null : val;
    }
    return out;
  }

  api.el = form;
  api.widget = byPath;
  api.section = () => index?.current() || null;
  api.showErrors = (errors) => showErrors(errors.map(([path, msg]) => [byPath(path), msg]));
  // The label of a field a server error names ("name" or "group.index.sub"), or null.
  api.label = (path) => {
    const w = byPath(path);
    if (w) return label(w);
    const name = String(path).split('.').pop();
    return def.fields.has(name) ? L(def.fields.get(name).label) : null;
  };
  api.showApiError = (err) => {
    if (err instanceof Redirected) return;
    const msg = errorText(err, { label: api.label });
    const w = err instanceof ApiError ? byPath(err.field) : null;
    const named = err instanceof ApiError && err.field ? api.label(err.field) : null;
    showErrors([[w, named && !namesField(err) ? `${named}: ${msg}` : msg]]);
    const tech = techDetails(err);
    if (tech) summary.append(tech);
  };
  api.busy = (on) => {
    submit.disabled = on;
    form.setAttribute('aria-busy', on ? 'true' : 'false');
  };

  // What each field holds as typed (an unfinished date too), for the draft.
  function raw(w) {
    if (w.rows) {
      return w.rows.map((r) => Object.fromEntries([...r.subs].map(([n, sw]) => [n, raw(sw)]).filter(([, x]) => !empty(x))))
        .filter((o) => Object.keys(o).length);
    }
    const v = w.get();
    return v === BAD ? w.control?.value ?? null : v;
  }
  // Whether the form differs from what it started with.
  api.dirty = () => {
    for (const [name, w] of widgets) {
      const v = w.get();
      if (v === BAD) return true;
      if (kept.has(name) && empty(v)) continue;
      if (!sameValue(v, values[name])) return true;
    }
    return false;
  };
  let draft = null;
  if (opts.draft) {
    draft = keepDraft({
      form: opts.draft.form, key: opts.draft.key, el: form,
      read: () => ({ fields: Object.fromEntries([...widgets].map(([n, w]) => [n, raw(w)]).filter(([, x]) => !empty(x))) }),
      changed: api.dirty,
      restore: (data) => {
        const d = draw({ ...values, ...(data?.fields || {}) });
        fieldsBox.replaceChildren(...[d.extra, ...d.blocks].filter(Boolean));
        // The index follows the new sections, on the section the user was in.
        if (index) {
          const old = index;
          index = sectionIndex(d.sections, { ...opts.index, current: old.current() });
          old.el.replaceWith(index.el);
          old.next.replaceWith(index.next);
        }
        for (const w of widgets.values()) w.init?.();
        refresh();
      },
    });
  } else if (opts.guard) {
    const mark = () => setDirty(form, api.dirty());
    form.addEventListener('input', mark);
    form.addEventListener('change', mark);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    const v = validate();
    if (!v) return;
    api.busy(true);
    try {
      const done = await opts.onSubmit(v, changedOf(v), api);
      if (done !== false) {
        setDirty(form, false);
        await draft?.saved();
      }
    } catch (err) {
      api.showApiError(err);
    } finally {
      if (form.isConnected) api.busy(false);
    }
  });
  refresh();
  return api;
}
