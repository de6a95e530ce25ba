// Scheduling a meeting of a body (its secretariat): the day and time (Europe/Tirane), ordinary or
// extraordinary, the place or the link for meeting online, the agenda in order (each item with
// its presenter and the cases discussed, by code only) and the guests invited — from the body's
// guest list or new. nrm itself puts first on the agenda the approval of the previous minutes,
// the follow-up of open tasks and, for the Authority, the cases awaiting its decision.
import { h, uid } from '../dom.js';
import { t, pick, fmtDate, todayISO } from '../i18n.js';
import { get, getAll, post } from '../api.js';
import { pageHeader, breadcrumbs, section, notice } from '../ui.js';
import { makeForm } from '../form.js';
import { MEETING_KINDS, MEETING_BODIES, kindLabel, agendaEditor, rowInput } from '../meetings.js';
import { bodyCrumbs } from './body-meetings.js';

// Guests invited who are not on the body's list: a name, and an organisation and e-mail if known.
function newGuestsEditor() {
  const rows = [];
  const list = h('ol', { class: 'row-list' });
  const addBtn = h('button', { type: 'button', class: 'btn', onclick: () => {
    const r = add();
    r.name.input.focus();
  } }, t('invite.addNew'));
  function add() {
    const r = {};
    r.name = rowInput(t('guest.name'), { name: 'guest_name', required: true, maxlength: 200 });
    r.org = rowInput(t('guest.organisation'), { name: 'guest_organisation', maxlength: 200 });
    r.email = rowInput(t('invite.email'), { name: 'guest_email', type: 'email', maxlength: 200 });
    r.remove = h('button', { type: 'button', class: 'btn btn-small', onclick: () => {
      rows.splice(rows.indexOf(r), 1);
      r.el.remove();
      addBtn.focus();
    } }, t('invite.remove'));
    r.el = h('li', { class: 'group-row' }, h('h3', { class: 'group-row-title' }, t('invite.newGuest')), r.name.wrap, r.org.wrap, r.email.wrap,
      h('div', { class: 'row-actions' }, r.remove));
    rows.push(r);
    list.append(r.el);
    return r;
  }
  return {
    el: h('div', null, list, h('p', { class: 'group-add' }, addBtn)),
    read() {
      const out = [];
      const errors = [];
      for (const r of rows) {
        const name = r.name.input.value.trim();
        const organisation = r.org.input.value.trim();
        const email = r.email.input.value.trim();
        if (!name && !organisation && !email) continue;
        if (!name) errors.push([r.name.input, t('invite.nameRequired')]);
        if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) errors.push([r.email.input, t('form.badEmail', { label: t('invite.email') })]);
        const g = { name };
        if (organisation) g.organisation = organisation;
        if (email) g.email = email;
        out.push({ g, el: r.name.input });
      }
      return { guests: out, errors };
    },
  };
}

// The body's own guests (Order 94 §1.4) who may be invited on that day: checkboxes.
function listedGuests(guests) {
  const boxes = guests.map((g) => {
    const id = uid('invite');
    const box = h('input', { type: 'checkbox', id, name: 'guest', value: g.id });
    return { g, box, el: h('div', { class: 'check' }, box, h('label', { for: id }, g.name,
      g.organisation ? h('span', { class: 'muted' }, ` — ${g.organisation}`) : null,
      g.end ? h('span', { class: 'muted' }, ` (${t('invite.until', { date: fmtDate(g.end) })})`) : null)) };
  });
  return {
    el: boxes.length ? h('div', { class: 'checks' }, boxes.map((b) => b.el)) : h('p', { class: 'empty' }, t('invite.noListed')),
    read: () => boxes.filter((b) => b.box.checked).map((b) => ({ g: { guest: b.g.id }, el: b.box, listed: b.g })),
  };
}

export default async function meetingNew(ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const [body, guestList] = await Promise.all([get(`/bodies/${id}`), getAll(`/bodies/${id}/guests`)]);
  const crumbs = bodyCrumbs(body, [[t('meetings.title'), `/bodies/${body.id}/meetings`], [t('meetings.schedule')]]);
  if (!body.can_edit || !MEETING_BODIES.includes(body.kind)) {
    return h('div', null, breadcrumbs(crumbs), pageHeader(t('meetings.schedule'), { sub: pick(body) }),
      notice(t(MEETING_BODIES.includes(body.kind) ? 'meetings.notYours' : 'meetings.bodyDoesNotMeet'), 'info'));
  }
  const agenda = agendaEditor([{}]);
  const fresh = newGuestsEditor();
  // Guests whose invitation has not ended (the server checks them against the meeting's day).
  const listed = listedGuests(guestList.filter((g) => !g.end || g.end >= todayISO()));
  let sent = [];

  const form = makeForm({
    className: 'form-wide meeting-form',
    fields: [
      { name: 'date', label: t('meeting.date'), type: 'date', required: true, autofocus: true },
      { name: 'time', label: t('meeting.time'), type: 'time', required: true },
      { name: 'end_time', label: t('meeting.endTime'), type: 'time' },
      { name: 'kind', label: t('meeting.kind'), type: 'radio', required: true, value: 'ordinary',
        options: MEETING_KINDS.map((k) => ({ value: k, label: kindLabel(k) })), hint: t('meeting.kindHint') },
      { name: 'title', label: t('meeting.title'), maxlength: 300, wide: true, hint: t('meeting.titleHint') },
      { name: 'location', label: t('meeting.location'), maxlength: 300, wide: true, hint: t('meeting.placeHint') },
      { name: 'link', label: t('meeting.link'), maxlength: 500, wide: true, inputmode: 'url', hint: t('meeting.linkHint') },
      h('fieldset', { class: 'field-group-box' }, h('legend', null, t('agenda.title')),
        h('p', { class: 'hint' }, t(body.kind === 'authority' ? 'agenda.proposedAuthority' : 'agenda.proposed')),
        agenda.el),
      h('fieldset', { class: 'field-group-box' }, h('legend', null, t('invite.title')),
        h('p', { class: 'hint' }, t('invite.explain')),
        h('h3', { class: 'small-heading' }, t('invite.listed')), listed.el,
        h('h3', { class: 'small-heading' }, t('invite.new')), fresh.el),
    ],
    submitLabel: t('meetings.scheduleSubmit'),
    actions: [h('a', { href: `/bodies/${body.id}/meetings`, class: 'btn' }, t('common.cancel'))],
    labels: (name) => {
      const m = /^guests\.(\d+)/.exec(name);
      if (m) return sent[Number(m[1])]?.listed?.name || t('invite.guestN', { n: Number(m[1]) + 1 });
      return agenda.label(name);
    },
    controls: (name) => {
      const m = /^guests\.(\d+)/.exec(name);
      if (m) return sent[Number(m[1])]?.el || null;
      return agenda.control(name);
    },
    onSubmit: async (v) => {
      const a = agenda.read();
      const n = fresh.read();
      const errors = [...a.errors, ...n.errors];
      if (!v.location && !v.link) errors.push(['location', t('meeting.placeOrLink')]);
      if (v.link && !/^https?:\/\/\S+$/i.test(v.link)) errors.push(['link', t('meeting.linkBad')]);
      if (v.end_time && v.time && v.end_time <= v.time) errors.push(['end_time', t('meeting.endAfterStart')]);
      if (errors.length) {
        form.showErrors(errors);
        return;
      }
      sent = [...listed.read(), ...n.guests];
      const req = { date: v.date, time: v.time, kind: v.kind || 'ordinary' };
      for (const k of ['end_time', 'title', 'location', 'link']) if (v[k]) req[k] = v[k];
      if (a.items.length) req.agenda = a.items;
      if (sent.length) req.guests = sent.map((x) => x.g);
      const m = await post(`/bodies/${body.id}/meetings`, req);
      ctx.navigate(`/meetings/${m.id}`, { notice: t('meetings.scheduled', { date: fmtDate(m.date) }) });
    },
  });

  return h('div', null,
    breadcrumbs(crumbs),
    pageHeader(t('meetings.schedule'), { sub: pick(body) }),
    section(t('meetings.scheduleDetails'), form.el));
}

