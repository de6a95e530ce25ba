// One seat: who holds it, since when, who comes next (a nomination from a later day leaves the
// seat vacant until then), the nomination deadline, the history of its members; and for those
// who may edit, nominate (to a vacant seat), replace (a filled one, or the nomination still to
// begin) and end a membership, or delete a nomination entered in error.
import { h, srOnly } from '../dom.js';
import { t, pick, fmtDate, tn, todayISO } from '../i18n.js';
import { get, post, patch, del } from '../api.js';
import { countyName, loadInstitutions, institutionName, labelOf } from '../session.js';
import { pageHeader, breadcrumbs, section, table, statusBadge, facts, dialog, confirmDialog, tag } from '../ui.js';
import { makeForm } from '../form.js';

// Picking a person who already sits elsewhere (so one person is not entered twice).
function personPicker(onPick) {
  const results = h('div', { class: 'person-results', 'aria-live': 'polite' });
  const input = h('input', { type: 'search', id: 'person-q', name: 'q', autocomplete: 'off' });
  async function search() {
    const q = input.value.trim();
    if (!q) return;
    const page = await get(`/persons?q=${encodeURIComponent(q)}&limit=20`);
    results.replaceChildren(page.items.length
      ? h('ul', { class: 'plain-list' }, page.items.map((p) => h('li', null,
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => onPick(p) }, t('person.choose'), srOnly(` ${p.name}`)),
        ' ', h('span', null, p.name), p.institution_name ? h('span', { class: 'muted' }, ` — ${institutionName(p.institution, p.institution_name)}`) : null)))
      : h('p', null, t('person.noneFound')));
  }
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      search();
    }
  });
  return h('div', { class: 'person-picker' },
    h('label', { for: 'person-q' }, t('person.search')),
    h('div', { class: 'search-row' }, input, h('button', { type: 'button', class: 'btn', onclick: search }, t('common.search'))),
    results);
}

function nominateForm(seat, holder, ctx) {
  let person = null;
  const chosen = h('p', { class: 'chosen', 'aria-live': 'polite' });
  const picker = personPicker((p) => {
    person = p;
    form.input('name').value = p.name;
    form.input('position').value = p.position || '';
    form.input('email').value = p.email || '';
    form.input('phone').value = p.phone || '';
    chosen.textContent = t('person.chosen', { name: p.name });
    form.input('start').focus();
  });
  const form = makeForm({
    fields: [
      h('details', { class: 'existing' }, h('summary', null, t('person.existing')), picker),
      chosen,
      { name: 'name', label: t('person.name'), required: true, maxlength: 200, autocomplete: 'off', autofocus: true },
      { name: 'position', label: t('person.position'), maxlength: 200 },
      { name: 'email', label: t('person.email'), type: 'email', maxlength: 200, autocomplete: 'off' },
      { name: 'phone', label: t('person.phone'), type: 'tel', maxlength: 40, autocomplete: 'off' },
      { name: 'start', label: t('nomination.start'), type: 'date', required: true, value: todayISO(),
        hint: holder ? t('nomination.replaceHint', { name: holder.name }) : null },
      { name: 'note', label: t('nomination.note'), type: 'textarea', maxlength: 1000, hint: t('nomination.noteHint') },
    ],
    className: 'form-wide',
    submitLabel: holder ? t('seat.replaceSubmit') : t('seat.nominateSubmit'),
    actions: [h('a', { href: `/seats/${seat.id}`, class: 'btn' }, t('common.cancel'))],
    onSubmit: async (v) => {
      const body = { start: v.start };
      if (person && v.name === person.name) body.person = person.id;
      else Object.assign(body, { name: v.name, position: v.position || undefined, email: v.email || undefined, phone: v.phone || undefined });
      if (v.note) body.note = v.note;
      const n = await post(`/seats/${seat.id}/nominations`, body);
      const msg = n.replaced
        ? t('nomination.replaced', { name: v.name, old: n.replaced.name, date: fmtDate(n.replaced.end) })
        : t('nomination.saved', { name: v.name, date: fmtDate(v.start) });
      ctx.navigate(`/seats/${seat.id}`, { replace: true, notice: msg });
    },
  });
  return form.el;
}

async function endMembership(seat, m, ctx) {
  const done = await dialog(t('membership.endTitle', { name: m.name }), (close) => makeForm({
    fields: [
      h('p', null, t('membership.endExplain')),
      { name: 'end', label: t('membership.end'), type: 'date', required: true, value: todayISO() },
    ],
    submitLabel: t('membership.endSubmit'),
    danger: true,
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    labels: { start: t('nomination.start') },
    onSubmit: async (v) => close(await patch(`/nominations/${m.nomination}`, { end: v.end })),
  }).el);
  if (done) ctx.refresh(t('membership.ended', { name: m.name, date: fmtDate(done.end) }));
}

async function deleteNomination(n, ctx) {
  const ok = await confirmDialog(t('nomination.deleteTitle'), t('nomination.deleteConfirm', { name: n.name, date: fmtDate(n.start) }),
    t('nomination.delete'), { danger: true });
  if (!ok) return;
  await del(`/nominations/${n.id}`);
  ctx.refresh(t('nomination.deleted', { name: n.name }));
}

export default async function seatScreen(ctx) {
  const raw = await get(`/seats/${encodeURIComponent(ctx.params.id)}`);
  const [body] = await Promise.all([get(`/bodies/${raw.body}`), loadInstitutions()]);
  const seat = { ...body.seats.find((s) => s.id === raw.id), ...raw };
  const label = pick(seat, 'label');
  const bodyName = pick(body);
  // Whose membership a new nomination ends: the one still to begin, else the member's.
  const holder = seat.upcoming || seat.member;
  const canEdit = raw.can_edit;
  const action = ctx.query.get('do');

  const crumbs = [[t('nav.counties'), '/counties']];
  if (body.county) crumbs.push([countyName(body.county), `/counties/${body.county}`]);
  crumbs.push([bodyName, `/bodies/${body.id}`], [label]);

  const actions = [];
  if (canEdit && action !== 'nominate') {
    actions.push(h('a', { href: `/seats/${seat.id}?do=nominate`, class: 'btn btn-primary' }, holder ? t('seat.replace') : t('seat.nominate')));
    if (seat.member) {
      actions.push(h('button', { type: 'button', class: 'btn', onclick: () => endMembership(seat, seat.member, ctx) }, t('membership.endButton')));
    }
  }

  const status = h('div', { class: 'seat-status' }, statusBadge(seat.status, seat.days_overdue),
    seat.role !== 'member' ? [' ', tag(labelOf('seat_role', seat.role))] : null);

  const up = seat.upcoming;
  const who = seat.member
    ? [seat.member.name, seat.member.position ? ` — ${seat.member.position}` : '']
    : up ? t('seat.nobodyYet') : t('seat.nobody');

  return h('div', null,
    breadcrumbs(crumbs),
    pageHeader(label, { sub: bodyName, actions }),
    status,
    facts([
      [t('seat.member'), who],
      seat.member ? [t('seat.memberSince'), fmtDate(seat.member.start)] : null,
      seat.member?.end ? [t('seat.memberUntil'), fmtDate(seat.member.end)] : null,
      up ? [seat.member ? t('seat.successorLabel') : t('seat.upcomingLabel'), t('seat.upcoming', { name: up.name, date: fmtDate(up.start) })] : null,
      seat.member?.email ? [t('person.email'), h('a', { href: `mailto:${seat.member.email}` }, seat.member.email)] : null,
      seat.member?.phone ? [t('person.phone'), seat.member.phone] : null,
      [t('seat.institution'), institutionName(seat.institution, seat.institution_name)],
      seat.deadline ? [t('seat.deadline'), fmtDate(seat.deadline)] : null,
      seat.status === 'overdue' ? [t('seat.daysOverdue'), tn('unit.days', seat.days_overdue)] : null,
    ]),
    // Nominated already, from a later day: what is missing is time, not a nomination.
    !seat.member && up ? h('p', { class: 'notice notice-info' }, t('seat.upcomingExplain', { name: up.name, date: fmtDate(up.start) })) : null,
    !up && seat.status === 'overdue' ? h('p', { class: 'notice notice-warning' }, t('seat.overdueExplain', { date: fmtDate(seat.deadline) })) : null,
    !up && seat.status === 'vacant' && seat.deadline ? h('p', { class: 'notice notice-info' }, t('seat.vacantExplain', { date: fmtDate(seat.deadline) })) : null,
    canEdit && action === 'nominate'
      ? section(holder ? t('seat.replaceTitle') : t('seat.nominateTitle'), nominateForm(seat, holder, ctx)) : null,
    section(t('seat.history'), table({
      caption: t('seat.history'),
      empty: t('seat.noHistory'),
      rows: raw.nominations,
      columns: [
        { label: t('person.name'), cell: (n) => n.name },
        { label: t('nomination.start'), cell: (n) => fmtDate(n.start) },
        { label: t('membership.end'), cell: (n) => (n.end ? fmtDate(n.end) : t('membership.ongoing')) },
        { label: t('nomination.note'), cell: (n) => n.note || '—' },
        ...(canEdit ? [{ label: t('common.actions'), cell: (n) => h('button', { type: 'button', class: 'btn btn-small btn-quiet', onclick: () => deleteNomination(n, ctx) },
          t('nomination.delete'), srOnly(` — ${n.name}, ${fmtDate(n.start)}`)) }] : []),
      ],
    })),
    canEdit ? null : h('p', { class: 'notice notice-info' }, t('body.readOnly')));
}

