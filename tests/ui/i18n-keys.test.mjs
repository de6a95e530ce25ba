// The label files: both languages have the same keys, no empty value, the same {placeholders};
// every key the code names exists; role labels match data/org/roles.json; and web/ stays
// self-contained (nothing fetched from elsewhere, nothing the CSP would block).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repo } from './lib/server.mjs';

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

test('every code-list value has a label', () => {
  const families = {
    kind: ['authority', 'authority_secretariat', 'krat', 'technical_table', 'krat_secretariat', 'municipal_group'],
    seatrole: ['chair', 'member', 'secretary'],
    status: ['filled', 'vacant', 'overdue'],
    counterpart: ['prosecution_first', 'prosecution_appeal', 'ngo_nrm', 'ngo_other'],
    'seats.show': ['all', 'vacant', 'overdue', 'filled'],
    'lang.name': ['sq', 'en'],
  };
  for (const [fam, codes] of Object.entries(families)) for (const c of codes) assert.ok(`${fam}.${c}` in sq, `${fam}.${c}`);
  for (const code of ['invalid', 'unauthorized', 'session_expired', 'forbidden', 'csrf', 'not_found', 'conflict', 'exists', 'too_large', 'locked', 'internal', 'network']) {
    assert.ok(`error.${code}` in sq, `error.${code}`);
  }
});

test('role labels are those of data/org/roles.json', () => {
  const roles = JSON.parse(readFileSync(join(repo, 'data/org/roles.json'), 'utf8')).roles;
  for (const r of roles) {
    assert.equal(sq[`role.${r.code}`], r.label.sq, `role.${r.code} (sq)`);
    assert.equal(en[`role.${r.code}`], r.label.en, `role.${r.code} (en)`);
  }
  const session = js.find((f) => f.p.endsWith('session.js')).s;
  for (const r of roles) assert.match(session, new RegExp(`\\b${r.code}: '${r.scope}'`), `scope of ${r.code} in session.js`);
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
