// The help (issue 17, point 5): a guide per role and a glossary, in Albanian and in English,
// reached from „Ndihmë” in the menu of every role, with the screenshots they show. Every
// page exists in both languages, and every link and image of every page leads somewhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { login, logout, settled } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { repo } from './lib/server.mjs';

let srv, b, page;
before(async () => ({ srv, b, page } = await openSuite()));
after(() => closeSuite({ b, srv }));

const help = join(repo, 'web/help');
const GUIDES = ['index', 'glossary', 'caseworker', 'authority', 'county', 'ministry', 'dpo', 'admin'];

test('every guide is written in both languages, and its links and images lead somewhere', () => {
  for (const lang of ['sq', 'en']) {
    const pages = readdirSync(join(help, lang)).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
    assert.deepEqual(pages, [...GUIDES].sort(), `the pages of ${lang}`);
    for (const p of pages) {
      const text = readFileSync(join(help, lang, `${p}.md`), 'utf8');
      assert.match(text, /^# \S/, `${lang}/${p}: a title first`);
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^https?:\/\//.test(target)) continue;
        const file = target.replace(/#.*$/, '');
        assert.ok(existsSync(join(help, lang, file)), `${lang}/${p}.md links to ${target}, which is not there`);
      }
      assert.doesNotMatch(text, /<[a-z]/i, `${lang}/${p}: no HTML`);
    }
  }
  // The two languages say the same: as many sections and screenshots in each guide.
  for (const p of GUIDES) {
    const count = (lang, re) => (readFileSync(join(help, lang, `${p}.md`), 'utf8').match(re) || []).length;
    assert.equal(count('sq', /^## /gm), count('en', /^## /gm), `${p}: the sections of sq and en`);
    assert.equal(count('sq', /^!\[/gm), count('en', /^!\[/gm), `${p}: the screenshots of sq and en`);
  }
});

test('a case worker opens the help from the menu and reads the guide with its screenshots', async () => {
  await login(page, srv.url, 'fier.caseworker');
  await page.getByRole('link', { name: 'Ndihmë' }).click();
  await page.waitForURL(/\/help$/);
  await settled(page);
  assert.equal(await page.locator('main h1').count(), 1);
  const toGuide = page.locator('article.help a[href="/help/caseworker"]').first();
  await toGuide.click();
  await page.waitForURL(/\/help\/caseworker$/);
  await settled(page);
  const figures = page.locator('article.help figure img');
  assert.ok(await figures.count() >= 1, 'screenshots in the guide');
  await page.waitForFunction(() => [...document.querySelectorAll('article.help figure img')]
    .every((img) => img.complete && img.naturalWidth > 0));
  for (const alt of await figures.evaluateAll((imgs) => imgs.map((i) => i.alt))) assert.ok(alt.length > 5, 'each screenshot described');
  // In English: the same guide, in English.
  await page.getByRole('button', { name: 'English' }).click();
  await settled(page);
  await page.waitForFunction(() => document.querySelector('article.help')?.getAttribute('lang') === 'en');
  assert.match(await page.locator('article.help h1').innerText(), /[A-Za-z]/);
  await page.getByRole('button', { name: 'Shqip' }).click();
  await settled(page);
  // A page that does not exist says so.
  await page.goto(`${srv.url}/help/no-such-page`);
  await settled(page);
  assert.match(await page.locator('main').innerText(), /Nuk ka faqe ndihme të tillë/);
  await logout(page);
});

test('no script errors', () => {
  // 401: the session asked for before logging in; 404: the page that does not exist.
  assert.deepEqual(b.errors.filter((e) => !/status of (401|404)/.test(e)), []);
});
