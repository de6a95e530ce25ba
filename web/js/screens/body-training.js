// The training of a body's members (Order 94, §5): for each member holding a seat, how many
// trainings and exchanges of experience they took part in, their hours and the last one, each
// linked to the member's history; and the members never trained. From the register of
// trainings (GET /bodies/{id}/training), as the user may read it.
import { h, srOnly } from '../dom.js';
import { t, pick, fmtDate, fmtNumber } from '../i18n.js';
import { get } from '../api.js';
import { countyName } from '../session.js';
import { pageHeader, breadcrumbs, section, table, notice } from '../ui.js';
import { L } from '../cases.js';
import { trainingRegister, catalogueEntry } from '../registers.js';

export default async function bodyTraining(ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const [body, data, reg] = await Promise.all([get(`/bodies/${id}`), get(`/bodies/${id}/training`), trainingRegister()]);
  const name = pick(body);
  // The seat's name as the body's page has it, in the user's language.
  const seatName = (m) => {
    const s = (body.seats || []).find((x) => x.id === m.seat);
    return s ? pick(s, 'label') : pick(m, 'label');
  };
  const crumbs = [[t('nav.counties'), '/counties']];
  if (body.county) crumbs.push([countyName(body.county), `/counties/${body.county}`]);
  crumbs.push([name, `/bodies/${body.id}`], [t('training.members')]);
  const person = (m) => h('a', { href: `/persons/${m.person}/trainings` }, m.name, srOnly(` — ${t('training.history')}`));
  const members = data.members || [];
  const never = data.never_trained || [];
  const cat = reg ? catalogueEntry(reg.name) || reg : null;
  return h('div', null,
    breadcrumbs(crumbs),
    pageHeader(t('training.membersOf', { body: name }), {
      sub: t('training.membersSub'),
      actions: cat ? [h('a', { href: `/registers/${encodeURIComponent(reg.name)}`, class: 'btn' }, L(cat.label))] : [],
    }),
    h('dl', { class: 'stats stats-figures' },
      h('div', { class: 'stat' }, h('dt', null, t('training.count.members')), h('dd', null, fmtNumber(members.length))),
      h('div', { class: 'stat' }, h('dt', null, t('training.count.trained')), h('dd', null, fmtNumber(members.length - never.length))),
      h('div', { class: 'stat stat-overdue' }, h('dt', null, t('training.count.never')), h('dd', null, fmtNumber(never.length)))),
    section(t('training.membersTitle'),
      table({
        caption: t('training.membersTitle'),
        empty: t('training.noMembers'),
        rows: members,
        columns: [
          { label: t('seat.member'), cell: person },
          { label: t('seat.label'), cell: seatName },
          { label: t('training.trainings'), class: 'num', cell: (m) => fmtNumber(m.trainings) },
          { label: t('training.hours'), class: 'num', cell: (m) => fmtNumber(m.hours) },
          { label: t('training.last'), cell: (m) => (m.last ? fmtDate(m.last) : '—') },
        ],
      })),
    section(t('training.neverTitle'),
      never.length ? h('ul', { class: 'plain-list never-trained' }, never.map((m) => h('li', null, person(m), ' — ', h('span', { class: 'muted' }, seatName(m)))))
        : notice(t('training.allTrained'), 'success')));
}
