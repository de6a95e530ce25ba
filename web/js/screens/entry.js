// An entry of a register: /registers/NAME/new records one, /registers/NAME/CODE shows it and
// /registers/NAME/CODE/edit changes it (the version guards against overwriting someone else's
// change). Everything is drawn from the register's definition: its sections and fields, the
// entry it belongs to (a campaign, a plan) and those that belong to it, the case it became.
//
// Personal data (a register with "personal" fields: people at risk) are seen only by the
// institution that holds the entry, and only after it gives a purpose and a reason, as for a
// case (POST .../personal {purpose, reason}; the server records them); they stay in this page, never in an address or
// the browser's storage. Everyone else who reads the register sees which personal fields hold
// a value, never the value.
import { h, srOnly } from '../dom.js';
import { t, fmtDate, fmtDateTime } from '../i18n.js';
import { get, post, patch, ApiError } from '../api.js';
import { createsCases } from '../session.js';
import { pageHeader, breadcrumbs, section, facts, notice, tag, errorBox, buttonLink } from '../ui.js';
import { L, personalMark } from '../cases.js';
import { askReason } from '../reading.js';
import {
  loadRegister, loadRegisters, catalogueEntry, fieldValue, entryPath, entryTitle, roleField, parentRegister,
  participantsRole,
} from '../registers.js';
import { formEnv, registerForm } from '../registerform.js';
import { draftKey } from '../drafts.js';

const enc = encodeURIComponent;

const base = (name, code) => `/registers/${enc(name)}/entries/${enc(code)}`;

// Asks why (a purpose and a reason, the dialog of a case's personal data: reading.js), then reads
// the entry's personal data. Resolves with the fields, or null when cancelled.
export async function askPersonal(name, code) {
  return askReason(t('reg.personalTitle', { code }), async (body) => (await post(`${base(name, code)}/personal`, body)).fields);
}

function crumbs(cat, more) {
  return breadcrumbs([[t('reg.title'), '/prevention'], [L(cat.label), `/registers/${enc(cat.name)}`], ...more]);
}

// A page the user may not use here: why, in words (an entry that became a case is kept as it was).
function refused(crumbTrail, title, e) {
  const err = new ApiError(403, { code: 'forbidden' });
  if (e?.case_code || e?.became_case) {
    err.key = 'entry_became_case';
    err.params = { case: e.case_code || '…' };
  }
  return h('div', null, crumbTrail, pageHeader(title), errorBox(err));
}

// ---- the entry's data ----

// The sections with their values; personal ones in place once shown, else only marked.
function dataBlocks(def, e, personal) {
  const have = new Set(e.personal_fields || []);
  const part = participantsRole(def);
  const opts = {
    // A participant's certificate, printed from the training.
    // (for those the training marks as earning one, when it marks them).
    rowExtra: (f) => (part && f.name === part.field ? {
      label: t('reg.certificate'),
      cell: (row, i) => (part.certificate && row[part.certificate] !== true ? '—'
        : h('a', { href: `/trainings/${enc(e.code)}/certificate/${i}` }, t('reg.certificate'), srOnly(` ${t('reg.participantN', { n: i + 1 })}`))),
    } : null),
  };
  const out = [];
  for (const s of def.form.sections) {
    const rows = [];
    for (const f of s.fields) {
      if (f.personal) {
        if (personal && f.name in personal) rows.push([f, fieldValue(def, f, personal[f.name], e.refs, opts), true]);
        else if (have.has(f.name)) rows.push([f, h('span', { class: 'hidden-value' }, t('case.hiddenValue')), true]);
      } else if (e.fields[f.name] != null && e.fields[f.name] !== '') {
        rows.push([f, fieldValue(def, f, e.fields[f.name], e.refs, opts), false]);
      }
    }
    if (!rows.length) continue;
    out.push(h('div', { class: 'case-block', dataset: { section: s.id } },
      h('h3', null, L(s.label)),
      h('dl', { class: 'facts case-facts' }, rows.map(([f, v, p]) => h('div', {
        class: [p ? 'is-personal' : null, ['group', 'textarea', 'codes'].includes(f.type) ? 'fact-wide' : null],
        dataset: { field: f.name },
      }, h('dt', null, L(f.label), p ? [' ', personalMark()] : null), h('dd', null, v))))));
  }
  return out.length ? out : [h('p', { class: 'empty' }, t('case.noData'))];
}

function history(def, e) {
  const items = e.history || [];
  if (!items.length) return h('p', { class: 'empty' }, t('timeline.none'));
  const label = (n) => {
    const f = def.fields.get(n);
    return f ? L(f.label) : n === 'case' ? t('reg.case') : n;
  };
  return h('ol', { class: 'timeline' }, items.map((x) => h('li', { class: `event event-${x.action}` },
    h('p', { class: 'event-head' },
      h('time', { datetime: x.ts }, fmtDateTime(x.ts)), ' ',
      h('strong', { class: 'event-action' }, t(`reg.event.${x.action}`)), ' ',
      h('span', { class: 'event-who' }, t('reg.by', { user: x.username || t('audit.system') }))),
    x.action === 'to_case' && e.case_code ? h('p', null, t('reg.becameCase', { code: e.case_code })) : null,
    x.action !== 'to_case' && x.changed?.length ? h('p', { class: 'event-fields' }, h('span', { class: 'muted' }, `${t('event.fields')} `),
      x.changed.map(label).join(', ')) : null,
    x.reason ? h('p', { class: 'event-reason' }, h('span', { class: 'muted' }, `${t('event.reason')} `), x.reason) : null)));
}

// The entries that belong to this one, by register, and the way to record another.
async function childrenSection(def, e) {
  const all = await loadRegisters();
  const kids = all.filter((d) => parentRegister(d) === def.name);
  if (!kids.length && !(e.children || []).length) return null;
  return section(t('reg.children'),
    kids.map((d) => {
      const cat = catalogueEntry(d.name) || d;
      const mine = (e.children || []).filter((c) => c.register === d.name);
      return h('div', { class: 'children-block' },
        h('h3', null, L(cat.label)),
        mine.length ? h('ul', { class: 'plain-list' }, mine.map((c) => {
          const about = [c.title ? entryTitle(d, { code: c.code, fields: {}, title: c.title }) : null,
            c.first_day ? fmtDate(c.first_day) : null].filter(Boolean).join(', ');
          return h('li', null, h('a', { href: entryPath(d.name, c.code), class: 'case-code' }, c.code), about ? ` — ${about}` : null);
        }))
          : h('p', { class: 'empty' }, t('reg.noChildren')),
        cat.can_create ? h('p', null, buttonLink(`/registers/${enc(d.name)}/new?parent=${enc(e.code)}`,
          t('reg.newChild', { register: L(cat.label) }))) : null);
    }));
}

async function view(ctx, def, cat, e) {
  const name = def.name;
  let personal = null;
  const mayReveal = !!e.can_read_personal && (e.personal_fields || []).length > 0;
  const holder = h('div', { class: 'case-data' });
  const status = h('div', { class: 'personal-status', role: 'status' });
  const toggle = mayReveal ? h('button', { type: 'button', class: 'btn', id: 'personal-toggle' }) : null;
  function draw() {
    holder.replaceChildren(...dataBlocks(def, e, personal));
    if (toggle) {
      toggle.textContent = personal ? t('personal.hide') : t('personal.show');
      toggle.setAttribute('aria-pressed', personal ? 'true' : 'false');
    }
    status.replaceChildren(personal ? notice(t('personal.shown'), 'warning') : []);
  }
  toggle?.addEventListener('click', async () => {
    if (personal) {
      personal = null;
      draw();
      return;
    }
    const p = await askPersonal(name, e.code);
    if (!p) return;
    personal = p;
    draw();
    toggle.focus();
  });
  draw();

  const parentReg = parentRegister(def);
  const parentCat = parentReg ? catalogueEntry(parentReg) : null;
  const reviewF = def.review ? def.fields.get(def.review) : null;
  const reviewBy = def.review ? e.fields[def.review] : null;
  const toCase = !!def.to_case && e.can_read_personal && !e.case_code && createsCases(ctx.user);
  const actions = [
    e.can_edit ? h('a', { href: `${entryPath(name, e.code)}/edit`, class: 'btn' }, t('reg.edit')) : null,
    toCase ? h('a', { href: `${entryPath(name, e.code)}/case`, class: 'btn btn-primary' }, t('reg.toCase')) : null,
  ].filter(Boolean);
  const county = e.county ? L(e.county_name) || e.county : t('reg.national');
  const personalOthers = def.personal && !e.can_read_personal;

  return h('div', null,
    crumbs(cat, [[e.code]]),
    pageHeader(e.code, { sub: `${entryTitle(def, e)} · ${county}`, actions }),
    h('div', { class: 'case-tags' },
      tag(L(cat.label), 'neutral'),
      e.review_overdue ? [' ', tag(t('reg.reviewOverdue'), 'danger')] : null,
      e.case_code || e.became_case ? [' ', tag(t('reg.becameCaseShort'), 'ok')] : null),
    facts([
      [t('reg.register'), L(cat.label)],
      [t('figures.county'), county],
      def.personal ? [t('reg.holder'), e.holder_name || '—'] : null,
      e.parent_code ? [parentCat ? L(parentCat.label) : t('reg.parent'),
        h('a', { href: entryPath(parentReg, e.parent_code), class: 'case-code' }, e.parent_code)] : null,
      e.case_code ? [t('reg.case'), h('a', { href: `/cases/${enc(e.case_code)}`, class: 'case-code' }, e.case_code)] : null,
      reviewF ? [L(reviewF.label), h('span', null, reviewBy ? fmtDate(reviewBy) : '—',
        e.review_overdue ? [' ', tag(t('reg.reviewOverdue'), 'danger')] : null)] : null,
      // When an entry about a person was written and changed is for its holder only.
      e.created_at ? [t('reg.created'), fmtDateTime(e.created_at)] : null,
      e.updated_at ? [t('case.updated'), t('case.updatedText', { date: fmtDateTime(e.updated_at), version: e.version })] : null,
    ]),
    personalOthers ? notice(t('reg.personalOthers', { holder: e.holder_name || '—' }), 'info') : null,
    e.became_case ? notice(t('reg.becameCaseOther'), 'info') : null,
    e.case_code ? notice(h('span', null, t('reg.becameCaseKept'), ' ', h('a', { href: `/cases/${enc(e.case_code)}` }, e.case_code)), 'info') : null,
    section(t('reg.data'),
      h('div', { class: 'case-data-head' },
        mayReveal ? h('p', { class: 'hint' }, t('personal.hiddenExplain')) : null,
        toggle),
      status,
      holder),
    await childrenSection(def, e),
    section(t('reg.history'), history(def, e)));
}

// ---- new and edit ----

async function newView(ctx, def, cat) {
  const name = def.name;
  const title = t('reg.newTitle', { register: L(cat.label) });
  if (!cat.can_create) return refused(crumbs(cat, [[t('reg.new')]]), title);
  const u = ctx.user;
  const values = {};
  const countyF = roleField(def, 'county');
  if (countyF && u.county) values[countyF] = u.county;
  // Recorded from the entry it belongs to (a campaign's page): that entry is named already.
  const parentF = roleField(def, 'parent');
  const parentReg = parentRegister(def);
  const parentCode = ctx.query.get('parent');
  let parent = null;
  if (parentF && parentReg && parentCode) {
    try {
      parent = await get(base(parentReg, parentCode));
      values[parentF] = parent.id;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
  }
  const env = await formEnv(def, u, { county: values[countyF] || parent?.county || '', values, refs: parent ? { [`entry:${parent.id}`]: parent.code } : {} });
  const form = registerForm(def, env, {
    values,
    draft: { form: draftKey('register', name), key: parent ? draftKey('new', parent.code) : 'new' },
    submitLabel: t('reg.save'),
    actions: [h('a', { href: parent ? entryPath(parentReg, parent.code) : `/registers/${enc(name)}`, class: 'btn' }, t('common.cancel'))],
    onSubmit: async (v) => {
      const fields = {};
      for (const [k, x] of Object.entries(v)) if (x != null) fields[k] = x;
      const made = await post(`/registers/${enc(name)}/entries`, { fields });
      ctx.navigate(entryPath(name, made.code), { replace: true, notice: t('reg.createdNotice', { code: made.code }) });
    },
  });
  return h('div', null,
    crumbs(cat, [[t('reg.new')]]),
    pageHeader(title, { sub: L(cat.about) }),
    notice(def.personal ? t('reg.newPersonal') : t('reg.newExplain'), 'info'),
    form.el);
}

async function editView(ctx, def, cat, e) {
  const name = def.name;
  const title = t('reg.editTitle', { code: e.code });
  if (!e.can_edit) return refused(crumbs(cat, [[e.code, entryPath(name, e.code)], [t('edit.title')]]), title, e);
  const env = await formEnv(def, ctx.user, { county: e.county || '', values: e.fields, refs: e.refs });
  const have = new Set(e.personal_fields || []);
  const conflict = h('div', { 'aria-live': 'assertive' });
  const holder = h('div');
  let personal = null;

  function build() {
    const kept = new Set([...have].filter((n) => !(personal && n in personal)));
    const reason = h('textarea', { id: 'en-reason', name: 'reason', rows: 2, maxlength: 500, 'aria-describedby': 'en-reason-hint' });
    const top = !personal && e.can_read_personal && have.size ? notice(h('span', null, t('edit.personalHidden'), ' ',
      h('button', { type: 'button', class: 'btn btn-small', onclick: async () => {
        const p = await askPersonal(name, e.code);
        if (!p) return;
        personal = p;
        holder.replaceChildren(build().el);
        holder.querySelector('h2')?.focus();
      } }, t('personal.show'))), 'info') : null;
    const values = { ...e.fields, ...(personal || {}) };
    const form = registerForm(def, env, {
      values, kept, top,
      draft: { form: draftKey('register', name), key: e.code },
      bottom: h('div', { class: 'section form-section' }, h('div', { class: 'field field-textarea' },
        h('label', { for: 'en-reason' }, t('edit.reason'), h('span', { class: 'optional' }, ` (${t('form.optional')})`)),
        h('p', { class: 'hint', id: 'en-reason-hint' }, def.personal ? t('reg.reasonPersonalHint') : t('reg.reasonEditHint')), reason)),
      submitLabel: t('common.save'),
      actions: [h('a', { href: entryPath(name, e.code), class: 'btn' }, t('common.cancel'))],
      onSubmit: async (v, changed, f) => {
        if (!Object.keys(changed).length) {
          f.showErrors([[null, t('edit.nothing')]]);
          return false;
        }
        const req = { version: e.version, fields: changed };
        if (reason.value.trim()) req.reason = reason.value.trim();
        try {
          await patch(base(name, e.code), req);
        } catch (err) {
          if (err instanceof ApiError && err.status === 409 && err.key === 'stale') {
            conflict.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert', tabindex: '-1' },
              h('p', { class: 'notice-title' }, t('reg.staleTitle')),
              h('p', null, t('reg.stale')),
              h('button', { type: 'button', class: 'btn', onclick: () => ctx.refresh() }, t('reg.reload'))));
            conflict.firstChild.focus();
            return false;
          }
          throw err;
        }
        ctx.navigate(entryPath(name, e.code), { replace: true, notice: t('reg.saved', { code: e.code }) });
      },
    });
    return form;
  }
  holder.append(build().el);
  return h('div', null,
    crumbs(cat, [[e.code, entryPath(name, e.code)], [t('edit.title')]]),
    pageHeader(title, { sub: `${entryTitle(def, e)} · ${t('edit.version', { version: e.version })}` }),
    conflict,
    holder);
}

export default async function entry(ctx) {
  const name = ctx.params.name;
  const def = await loadRegister(name);
  const cat = catalogueEntry(name) || def;
  if (!ctx.params.code) return newView(ctx, def, cat);
  const e = await get(base(name, ctx.params.code));
  if (ctx.path.endsWith('/edit')) return editView(ctx, def, cat, e);
  return view(ctx, def, cat, e);
}

