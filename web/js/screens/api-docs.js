// The API as other systems see it (GET /api/v1/openapi.json, made from the route table): every
// operation with the roles that may call it and its path parameters, filtered as one types.
// For the administrator who gives a system a token (Përdoruesit → Tokenat e API-së) and for
// the people who write those systems; docs/api.md says what each route takes and answers.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { get } from '../api.js';
import { labelOf } from '../session.js';
import { pageHeader, table } from '../ui.js';

export default async function apiDocs() {
  const doc = await get('/openapi.json');
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      ops.push({ method: method.toUpperCase(), path, roles: op['x-nrm-roles'] || [], public: Array.isArray(op.security) && !op.security.length,
        params: (op.parameters || []).map((p) => p.name) });
    }
  }
  const rows = (q) => ops.filter((o) => !q || `${o.method} ${o.path}`.toLowerCase().includes(q.toLowerCase()));
  const list = h('div');
  const show = (q) => list.replaceChildren(table({
    caption: t('apiDocs.title'),
    rows: rows(q),
    empty: t('apiDocs.none'),
    columns: [
      { label: t('apiDocs.operation'), cell: (o) => h('code', null, `${o.method} ${o.path}`) },
      { label: t('apiDocs.who'), cell: (o) => (o.public ? t('apiDocs.public')
        : o.roles.length === (doc['x-nrm-roles'] || []).length ? t('apiDocs.everyone') : o.roles.map((r) => labelOf('role', r)).join(', ')) },
    ],
  }));
  const filter = h('input', { id: 'api-filter', type: 'search', oninput: () => show(filter.value.trim()) });
  show('');
  return h('div', null,
    pageHeader(t('apiDocs.title'), { sub: t('apiDocs.sub', { n: ops.length, version: doc.info?.version || '' }) }),
    h('p', null, t('apiDocs.how'), ' ', h('a', { href: '/api/v1/openapi.json' }, 'openapi.json')),
    h('div', { class: 'inline-form' }, h('label', { for: 'api-filter' }, t('apiDocs.filter')), filter),
    list);
}
