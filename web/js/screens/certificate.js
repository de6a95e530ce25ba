// A participant's certificate of a training or exchange of experience, as a document to print
// on A4, in Albanian (an English copy on request, ?lang=en): the Republic, the organiser, the
// participant and their institution, the training, its days, hours, place and topics, the
// certificate's number (the training's code and the participant's place in it), and lines for
// the signature and the stamp. Drawn from GET /trainings/{code}/certificate?participant=N;
// printed with the browser's Print.
import { h } from '../dom.js';
import { t, tIn, loadDict, fmtDate, todayISO } from '../i18n.js';
import { get } from '../api.js';
import { labelIn } from '../session.js';
import { pageHeader, breadcrumbs, notice } from '../ui.js';
import { L } from '../cases.js';
import { trainingRegister, catalogueEntry, entryPath } from '../registers.js';

const LANGS = ['sq', 'en'];
const enc = encodeURIComponent;

function doc(language, c, reg) {
  const T = (key, params) => tIn(language, key, params);
  const codeOf = (name, v) => {
    const list = reg?.fields.get(name)?.codelist;
    return list && v ? labelIn(language, list, v) : v || '';
  };
  const organiser = [c.organiser_name, c.organiser ? codeOf('organiser', c.organiser) : null].filter(Boolean);
  const dates = c.end && c.end !== c.start ? T('cert.fromTo', { from: fmtDate(c.start), to: fmtDate(c.end) }) : T('cert.onDay', { date: fmtDate(c.start) });
  const county = language === 'en' ? c.county_en || c.county : c.county;
  const place = [c.place, county].filter(Boolean).join(', ');
  const topics = (c.topics || []).map((x) => codeOf('topics', x)).join(', ');
  return h('article', { class: 'cert-doc', lang: language },
    h('header', { class: 'cert-head' },
      h('p', { class: 'cert-state' }, T('cert.state')),
      organiser.length ? h('p', { class: 'cert-organiser' }, organiser[0]) : null,
      organiser.length > 1 ? h('p', { class: 'cert-organiser-kind' }, organiser[1]) : null),
    h('p', { class: 'cert-title' }, T('cert.title')),
    h('p', { class: 'cert-number' }, T('cert.number', { number: c.number })),
    h('p', { class: 'cert-intro' }, T('cert.certifies')),
    h('p', { class: 'cert-name' }, c.name || '—'),
    c.institution ? h('p', { class: 'cert-institution' }, c.institution) : null,
    h('p', { class: 'cert-what' }, T('cert.tookPart', { kind: codeOf('kind', c.kind).toLowerCase() })),
    h('p', { class: 'cert-training' }, T('cert.quoted', { title: c.title || '' })),
    h('table', { class: 'doc-facts cert-facts' }, h('tbody', null,
      h('tr', null, h('th', { scope: 'row' }, T('cert.dates')), h('td', null, dates)),
      h('tr', null, h('th', { scope: 'row' }, T('cert.hours')), h('td', null, T('cert.hoursValue', { n: c.hours ?? '—' }))),
      place ? h('tr', null, h('th', { scope: 'row' }, T('cert.place')), h('td', null, place)) : null,
      topics ? h('tr', null, h('th', { scope: 'row' }, T('cert.topics')), h('td', null, topics)) : null)),
    h('div', { class: 'doc-signatures' },
      h('div', { class: 'doc-sign' }, h('p', { class: 'doc-line' }), h('p', null, T('cert.signature')), h('p', { class: 'doc-hint' }, T('cert.signHint'))),
      h('div', { class: 'doc-sign' }, h('p', { class: 'doc-line' }), h('p', null, T('cert.stamp')))),
    h('p', { class: 'doc-foot' }, T('cert.issued', { date: fmtDate(todayISO()) })));
}

export default async function certificate(ctx) {
  const code = ctx.params.code;
  const n = ctx.params.n;
  const language = LANGS.includes(ctx.query.get('lang')) ? ctx.query.get('lang') : 'sq';
  const [c, reg] = await Promise.all([get(`/trainings/${enc(code)}/certificate?participant=${enc(n)}`), trainingRegister(), loadDict(language)]);
  const cat = reg ? catalogueEntry(reg.name) || reg : null;
  const other = language === 'sq' ? 'en' : 'sq';
  const here = `/trainings/${enc(code)}/certificate/${enc(n)}`;
  return h('div', { class: 'cert-page' },
    breadcrumbs([[t('reg.title'), '/prevention'], ...(cat ? [[L(cat.label), `/registers/${enc(reg.name)}`], [code, entryPath(reg.name, code)]] : []),
      [t('cert.page')]]),
    pageHeader(t('cert.heading', { name: c.name || '—' }), {
      sub: t('cert.sub', { number: c.number }),
      actions: [
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => window.print() }, t('minutes.printButton')),
        h('a', { href: `${here}${other === 'sq' ? '' : '?lang=en'}`, class: 'btn', hreflang: other }, t(other === 'en' ? 'minutes.inEnglish' : 'minutes.inAlbanian')),
        reg ? h('a', { href: entryPath(reg.name, code), class: 'btn' }, t('cert.back')) : null,
      ].filter(Boolean),
    }),
    notice(t('cert.explain'), 'info', { class: 'notice notice-info no-print' }),
    doc(language, c, reg));
}
