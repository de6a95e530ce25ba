// The API as other systems see it (GET /api/v1/openapi.json, made from the route table and
// data/api/schemas.json): every operation with what it does, the roles that may call it, and —
// opened on demand — what it takes and answers, filtered as one types. For the administrator
// who gives a system a token (Përdoruesit → Tokenat e API-së) and for the people who write
// those systems.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { get } from '../api.js';
import { labelOf } from '../session.js';
import { pageHeader, table } from '../ui.js';

const refName = (ref) => ref.split('/').pop();

// A schema as a nested list of its members: name, type, whether required. A named schema is
// shown by its name; its members are under "Shapes" at the end of the page.
function shape(s, depth = 0) {
  if (!s) return h('span', null, '—');
  if (s.$ref) return h('code', { class: 'api-ref' }, refName(s.$ref));
  const alt = s.oneOf || s.anyOf || s.allOf;
  if (alt) return h('span', null, alt.map((x, i) => [i ? ' | ' : '', shape(x, depth)]), s.nullable ? ' | null' : '');
  const nul = s.nullable ? ' | null' : '';
  if (s.type === 'array') return h('span', null, t('apiDocs.listOf'), ' ', shape(s.items, depth), nul);
  if (s.type === 'object' && s.properties && depth < 6) {
    const req = new Set(s.required || []);
    return h('span', null, nul ? `object${nul}` : null, h('ul', { class: 'api-members' },
      Object.entries(s.properties).map(([name, m]) => h('li', null,
        h('code', null, name), req.has(name) ? h('abbr', { title: t('apiDocs.required') }, ' *') : null, ': ',
        shape(m, depth + 1), m.description ? h('span', { class: 'muted' }, ` — ${m.description}`) : null))));
  }
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object')
    return h('span', null, t('apiDocs.mapOf'), ' ', shape(s.additionalProperties, depth), nul);
  const type = s.type ? `${s.type}${s.format ? ` (${s.format})` : ''}` : t('apiDocs.anyValue');
  return h('span', null, type, nul);
}

function body(content) {
  if (!content) return h('span', null, '—');
  if (content['application/json']) return shape(content['application/json'].schema);
  return h('span', null, t('apiDocs.file'), ': ', Object.keys(content).join(', '));
}

function shapes(op) {
  const answers = Object.entries(op.responses).filter(([s]) => s !== 'default');
  const query = (op.parameters || []).filter((p) => p.in === 'query');
  return h('details', { class: 'api-shapes' }, h('summary', null, t('apiDocs.shapes')),
    query.length ? [h('h4', null, t('apiDocs.query')), h('ul', { class: 'api-members' }, query.map((p) => h('li', null,
      h('code', null, p.name), ': ', shape(p.schema), p.description ? h('span', { class: 'muted' }, ` — ${p.description}`) : null)))] : null,
    op.requestBody ? [h('h4', null, t('apiDocs.takes')), op.requestBody.description ? h('p', null, op.requestBody.description) : null,
      body(op.requestBody.content)] : null,
    answers.map(([status, r]) => [h('h4', null, t('apiDocs.answers', { status }), r.description ? ` — ${r.description}` : ''),
      body(r.content)]),
    h('p', { class: 'muted' }, t('apiDocs.errors')));
}

export default async function apiDocs() {
  const doc = await get('/openapi.json');
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      ops.push({ method: method.toUpperCase(), path, op, roles: op['x-nrm-roles'] || [],
        public: Array.isArray(op.security) && !op.security.length, loopback: op['x-nrm-access'] === 'loopback' });
    }
  }
  const rows = (q) => ops.filter((o) => !q || `${o.method} ${o.path} ${o.op.summary || ''}`.toLowerCase().includes(q.toLowerCase()));
  const list = h('div');
  const who = (o) => (o.loopback ? t('apiDocs.loopback') : o.public ? t('apiDocs.public')
    : o.roles.length === (doc['x-nrm-roles'] || []).length ? t('apiDocs.everyone') : o.roles.map((r) => labelOf('role', r)).join(', '));
  const show = (q) => list.replaceChildren(table({
    caption: t('apiDocs.title'),
    rows: rows(q),
    empty: t('apiDocs.none'),
    columns: [
      { label: t('apiDocs.operation'), cell: (o) => [h('code', null, `${o.method} ${o.path}`),
        o.op.summary ? h('div', { class: 'api-summary' }, o.op.summary) : null, shapes(o.op)] },
      { label: t('apiDocs.who'), cell: who },
    ],
  }));
  const filter = h('input', { id: 'api-filter', type: 'search', oninput: () => show(filter.value.trim()) });
  show('');
  const named = Object.entries(doc.components?.schemas || {});
  return h('div', null,
    pageHeader(t('apiDocs.title'), { sub: t('apiDocs.sub', { n: ops.length, version: doc.info?.version || '' }) }),
    h('p', null, t('apiDocs.how'), ' ', h('a', { href: '/api/v1/openapi.json' }, 'openapi.json')),
    h('div', { class: 'inline-form' }, h('label', { for: 'api-filter' }, t('apiDocs.filter')), filter),
    list,
    h('h2', null, t('apiDocs.schemas')),
    named.map(([name, s]) => h('details', { class: 'api-shapes', id: `schema-${name}` }, h('summary', null, h('code', null, name)), shape(s))));
}
