// The label files: both languages have the same keys, no empty value, the same {placeholders};
// every key the code names exists; every error key of the server (src/core/errors.def) is
// translated with only the placeholders its template has; the names of codes (roles, body
// kinds, stages, code lists...) are not kept in the UI but come from the server's GET /labels,
// which covers every code the UI shows, as data/ has them; and web/ stays self-contained
// (nothing fetched from elsewhere, nothing the CSP would block).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repo, startServer, apiAs } from './lib/server.mjs';

const web = join(repo, 'web');
const sq = JSON.parse(readFileSync(join(web, 'i18n/sq.json'), 'utf8'));
const en = JSON.parse(readFileSync(join(web, 'i18n/en.json'), 'utf8'));

function files(dir, exts) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}
const js = files(join(web, 'js'), ['.js']).map((p) => ({ p: relative(repo, p), s: readFileSync(p, 'utf8') }));

test('sq.json and en.json have the same keys', () => {
  const a = Object.keys(sq).sort();
  const b = Object.keys(en).sort();
  assert.deepEqual(a.filter((k) => !(k in en)), [], 'keys missing in en.json');
  assert.deepEqual(b.filter((k) => !(k in sq)), [], 'keys missing in sq.json');
});

test('no label is empty', () => {
  for (const [name, d] of [['sq', sq], ['en', en]]) {
    for (const [k, v] of Object.entries(d)) assert.ok(typeof v === 'string' && v.trim(), `${name}.json: ${k} is empty`);
  }
});

test('both languages use the same {placeholders}', () => {
  const ph = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  for (const k of Object.keys(sq)) assert.equal(ph(sq[k]), ph(en[k] || ''), `placeholders of ${k}`);
});

test('every key named in the code exists', () => {
  const missing = [];
  for (const { p, s } of js) {
    for (const m of s.matchAll(/\bt\(\s*'([^'$]+)'/g)) if (!(m[1] in sq)) missing.push(`${p}: ${m[1]}`);
    for (const m of s.matchAll(/\btn\(\s*'([^'$]+)'/g)) {
      for (const form of ['one', 'other']) if (!(`${m[1]}.${form}` in sq)) missing.push(`${p}: ${m[1]}.${form}`);
    }
    for (const m of s.matchAll(/\bkey:\s*'([^']+)'/g)) if (!(m[1] in sq)) missing.push(`${p}: ${m[1]}`);
    for (const m of s.matchAll(/\b(?:statusView|t)\(\s*'([\w.]+)',\s*'([\w.]+)'\)/g)) {
      if (m[0].startsWith('statusView')) for (const k of [m[1], m[2]]) if (!(k in sq)) missing.push(`${p}: ${k}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every fixed UI family has a label', () => {
  const families = {
    'seats.show': ['all', 'vacant', 'overdue', 'filled'],
    'lang.name': ['sq', 'en'],
    'duplicates.show': ['open', 'merged', 'dismissed'],
    'access.as': ['holder', 'creator', 'referred'],
    event: ['create', 'update', 'transition', 'refer', 'referral', 'referral_accepted', 'referral_declined', 'merge'],
    'notifications.show': ['all', 'unread'],
  };
  for (const [fam, codes] of Object.entries(families)) for (const c of codes) assert.ok(`${fam}.${c}` in sq, `${fam}.${c}`);
  for (const k of ['error.network', 'error.title', 'error.details', 'form.badDate', 'form.noSuchDate', 'form.fieldQuoted', 'form.fieldGeneric']) {
    assert.ok(k in sq, k);
  }
});

// Each line of errors.def: NRM_KEY(name, "English template with {placeholders}").
const errorKeys = [...readFileSync(join(repo, 'src/core/errors.def'), 'utf8')
  .matchAll(/^NRM_KEY\((\w+),\s*"((?:[^"\\]|\\.)*)"\)/gm)].map((m) => ({ key: m[1], template: m[2] }));
const ph = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

test('every error key of the server is translated, with only the placeholders of its template', () => {
  assert.ok(errorKeys.length > 100, 'errors.def read');
  for (const { key, template } of errorKeys) {
    const allowed = new Set([...ph(template), 'field']);
    for (const [name, d] of [['sq', sq], ['en', en]]) {
      const s = d[`error.${key}`];
      assert.ok(typeof s === 'string', `${name}.json lacks error.${key}`);
      for (const p of ph(s)) assert.ok(allowed.has(p), `${name}.json error.${key}: {${p}} is not in the template`);
    }
  }
  // The other error.* keys are the UI's own (a network failure, the titles of error pages).
  const known = new Set(errorKeys.map((e) => `error.${e.key}`));
  const own = Object.keys(sq).filter((k) => k.startsWith('error.') && !known.has(k)).sort();
  assert.deepEqual(own, ['error.details', 'error.forbiddenText', 'error.forbiddenTitle', 'error.network', 'error.notFoundText', 'error.notFoundTitle', 'error.title']);
});

// web/js/errors.js replaces a placeholder that names a field by „label” or, when the screen
// does not know the field, by the generic word; the sentences must read well with either.
test('error sentences name a field where a label or the generic word fits', () => {
  const FIELD = /\{(field|other|county_field|birth|age)\}/;
  for (const [k, s] of Object.entries(sq)) {
    if (!k.startsWith('error.')) continue;
    for (const m of s.matchAll(/(\S+)\s+\{(field|other|county_field|birth|age)\}/g)) {
      assert.match(m[1], /^[Ff]ush(a|ën|ës)$/, `sq error.${k}: {${m[2]}} after "${m[1]}", not after a form of "fusha"`);
    }
    assert.doesNotMatch(s, new RegExp(`^${FIELD.source}`), `sq ${k} starts with a field`);
  }
  for (const [k, s] of Object.entries(en)) {
    if (k.startsWith('error.')) assert.doesNotMatch(s, new RegExp(`^${FIELD.source}`), `en ${k} starts with a field`);
  }
});

// The groups whose names the server gives (GET /labels): the UI keeps no copy of them.
test('the UI carries no names of codes the server gives', () => {
  const prefixes = ['kind.', 'seatrole.', 'counterpart.', 'referral.status.', 'duplicates.status.', 'role.', 'stage.'];
  const own = Object.keys(sq).filter((k) => prefixes.some((p) => k.startsWith(p)) || /^status\.(filled|vacant|overdue)$/.test(k));
  assert.deepEqual(own, [], 'keys to drop from sq.json and en.json: GET /labels names them');
  for (const { p, s } of js) {
    const m = /\bt\(\s*`(kind|seatrole|status|counterpart|referral\.status|duplicates\.status|role)\.\$\{/.exec(s);
    assert.equal(m, null, `${p} translates ${m?.[1]}.* itself; use labelOf() (GET /labels)`);
  }
  // The scope of each role stays in session.js (what the UI offers to whom); its name is the server's.
  const roles = JSON.parse(readFileSync(join(repo, 'data/org/roles.json'), 'utf8')).roles;
  const session = js.find((f) => f.p.endsWith('session.js')).s;
  for (const r of roles) assert.match(session, new RegExp(`\\b${r.code}: '${r.scope}'`), `scope of ${r.code} in session.js`);
});

// The server's labels, from a real `nrm serve` on the demo data.
let srv;
let labels;
before(async () => {
  srv = await startServer();
  labels = await (await apiAs(srv, 'admin')).get('/labels');
});
after(() => srv?.stop());

const data = (p) => JSON.parse(readFileSync(join(repo, 'data', p), 'utf8'));
// Every code has a name in both languages, the one data/ gives when `source` says.
function covers(group, codes, source) {
  assert.ok(labels[group], `GET /labels has no group ${group}`);
  for (const c of codes) {
    const l = labels[group][c];
    assert.ok(l && l.sq?.trim() && l.en?.trim(), `GET /labels: ${group}.${c} lacks sq or en`);
    if (source?.[c]) assert.deepEqual({ sq: l.sq, en: l.en }, { sq: source[c].sq, en: source[c].en }, `${group}.${c} as in data/`);
  }
}
// The quoted codes of the first match of `re` in a file of web/js (a list a screen offers).
function listed(file, re) {
  const m = re.exec(readFileSync(join(web, 'js', file), 'utf8'));
  assert.ok(m, `${file}: ${re}`);
  return m[1].match(/'(\w+)'/g).map((x) => x.slice(1, -1));
}

test('GET /labels names every role, stage, body kind, seat role and state, counterpart and status', () => {
  const roles = data('org/roles.json').roles;
  covers('role', roles.map((r) => r.code), Object.fromEntries(roles.map((r) => [r.code, r.label])));
  const session = js.find((f) => f.p.endsWith('session.js')).s;
  covers('role', [...session.matchAll(/\b(\w+): '(national|county|institution)'/g)].map((m) => m[1]));
  const stages = data('forms/workflow.json').stages;
  covers('stage', stages.map((s) => s.code), Object.fromEntries(stages.map((s) => [s.code, s.label])));
  for (const [group, items] of Object.entries(data('labels.json').groups)) covers(group, Object.keys(items), items);
  // What the screens offer or receive must be among them.
  covers('kind', ['authority', 'authority_secretariat', 'krat', 'technical_table', 'krat_secretariat', 'municipal_group']);
  covers('seat_role', listed('screens/body.js', /\[('member', 'chair', 'secretary')\]/));
  covers('seat_status', ['filled', 'vacant', 'overdue']);
  covers('counterpart', listed('screens/agreement.js', /const KINDS = \[([^\]]+)\]/));
  covers('referral_status', ['pending', 'accepted', 'declined']);
  covers('duplicate_status', listed('screens/duplicates.js', /const STATUSES = \[([^\]]+)\]/));
});

test('GET /labels names every value of every code list', () => {
  const lists = new Set(readdirSync(join(repo, 'data/codes')).map((f) => f.replace(/\.json$/, '')));
  const walk = (fields) => {
    for (const f of fields) {
      if (f.codelist) lists.add(f.codelist);
      if (f.fields) walk(f.fields);
    }
  };
  for (const s of data('forms/case.json').sections) walk(s.fields);
  for (const list of lists) {
    if (list === 'counties' || list === 'municipalities') {
      assert.ok(Object.keys(labels[list] || {}).length >= (list === 'counties' ? 12 : 61), `GET /labels has the ${list}`);
      continue;
    }
    const items = data(`codes/${list}.json`).items;
    covers(list, items.map((i) => i.code), Object.fromEntries(items.map((i) => [i.code, i.label])));
  }
});

test('web/ fetches nothing from elsewhere and needs nothing the CSP forbids', () => {
  const all = files(web, ['.html', '.js', '.css', '.svg', '.json']);
  for (const p of all) {
    const s = readFileSync(p, 'utf8').replaceAll('http://www.w3.org/2000/svg', '');
    assert.doesNotMatch(s, /\bhttps?:\/\//, `${relative(repo, p)} names an outside address`);
    assert.doesNotMatch(s, /@import|url\(\s*['"]?\/\//, `${relative(repo, p)} imports from elsewhere`);
  }
  const html = readFileSync(join(web, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'inline script in index.html');
  assert.doesNotMatch(html, /\sstyle=|<style|\son\w+=/, 'inline style or handler in index.html');
  for (const { p, s } of js) {
    assert.doesNotMatch(s, /\.innerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, `${p} builds markup from strings or evaluates code`);
    assert.doesNotMatch(s, /setAttribute\(\s*'style'|\bstyle:\s*'/, `${p} sets an inline style attribute`);
  }
});

test('every addressee of a report type has its name in both languages', () => {
  const dir = join(repo, 'data/reports');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const to = JSON.parse(readFileSync(join(dir, f), 'utf8')).to;
    for (const [name, d] of [['sq', sq], ['en', en]]) assert.ok(d[`reports.recipient.${to}`], `${name}.json: reports.recipient.${to} (${f})`);
  }
});
