// A person's training history (Order 94, §5): the trainings and exchanges of experience they
// took part in, as the user may read them, each with its certificate.
import { h, srOnly } from '../dom.js';
import { t, fmtDate, fmtNumber, pick } from '../i18n.js';
import { get } from '../api.js';
import { countyName } from '../session.js';
import { pageHeader, breadcrumbs, section, table, facts } from '../ui.js';
import { L } from '../cases.js';
import { trainingRegister, catalogueEntry, entryPath, fieldText, participantsRole } from '../registers.js';

const enc = encodeURIComponent;

// The bodies the person sits in now, each linked to its members' training.
function memberships(person) {
  const now = (person.memberships || []).filter((m) => !m.end && m.body);
  if (!now.length) return '—';
  return h('ul', { class: 'value-list' }, now.map((m) => h('li', null,
    h('a', { href: `/bodies/${m.body}/training` }, pick(m, 'body_name')), ` — ${pick(m, 'label')}`)));
}

export default async function personTrainings(ctx) {
  const id = enc(ctx.params.id);
  const [person, data, reg] = await Promise.all([get(`/persons/${id}`), get(`/persons/${id}/trainings`), trainingRegister()]);
  const items = data.items || [];
  const text = (name, v) => {
    const f = reg?.fields.get(name);
    return f ? fieldText(reg, f, v) : v ?? '—';
  };
  const hours = items.reduce((n, x) => n + (x.hours || 0), 0);
  const cat = reg ? catalogueEntry(reg.name) || reg : null;
  // Certificates for those the training marks as earning one, when it marks them.
  const marks = !!(reg && participantsRole(reg)?.certificate);
  return h('div', null,
    breadcrumbs([[t('reg.title'), '/prevention'], ...(cat ? [[L(cat.label), `/registers/${enc(reg.name)}`]] : []), [person.name]]),
    pageHeader(t('training.historyOf', { name: person.name }), { sub: pick(person, 'institution_name') || null }),
    facts([
      [t('training.trainings'), fmtNumber(items.length)],
      [t('training.hours'), fmtNumber(hours)],
      [t('training.memberOf'), memberships(person)],
    ]),
    section(t('training.history'),
      table({
        caption: t('training.history'),
        empty: t('training.none'),
        rows: items,
        columns: [
          { label: t('training.title'), cell: (x) => (reg ? h('a', { href: entryPath(reg.name, x.code) }, x.title || x.code) : x.title || x.code) },
          { label: t('training.kind'), cell: (x) => text('kind', x.kind) },
          { label: t('training.topics'), cell: (x) => text('topics', x.topics) },
          { label: t('training.dates'), cell: (x) => (x.end && x.end !== x.start ? t('period.fromTo', { from: fmtDate(x.start), to: fmtDate(x.end) }) : fmtDate(x.start)) },
          { label: t('training.hours'), class: 'num', cell: (x) => (x.hours != null ? fmtNumber(x.hours) : '—') },
          { label: t('training.organiser'), cell: (x) => text('organiser', x.organiser) },
          { label: t('figures.county'), cell: (x) => (x.county ? countyName(x.county) : t('reg.national')) },
          { label: t('reg.certificate'), cell: (x) => (marks && !x.certificate ? '—'
            : h('a', { href: `/trainings/${enc(x.code)}/certificate/${x.participant}` }, t('reg.certificate'), srOnly(` — ${x.title || x.code}`))) },
        ],
      })));
}
