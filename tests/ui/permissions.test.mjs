// What a role sees is what it may do: Vlorë's secretariat sees Fier's bodies without any edit
// control, and the server refuses a forged request all the same. The menu follows user.can;
// meetings and tasks appear for the roles that use them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, logout, settled, pageApi, tiraneDay } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { apiAs } from './lib/server.mjs';

let srv, b, page;
let ids;
before(async () => ({ srv, b, page, ids } = await openSuite({ ids: true })));
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();
const EDIT = /Emëro|Zëvendëso|Përfundo|Shto të ftuar|Krijo grup|Fshi|Marrëveshje e re|Ngarko/;

async function controls() {
  return page.locator('main').evaluate((m) => [...m.querySelectorAll('button, a.btn, form')].map((e) => e.textContent.trim()).join(' | '));
}

test('vlore.secretariat can edit Vlorë', async () => {
  await login(page, srv.url, 'vlore.secretariat');
  assert.equal(new URL(page.url()).pathname, '/');
  await go(page, srv.url, '/counties/vlore');
  assert.match(await controls(), /Krijo grup teknik bashkiak/);
  const krat = (await pageApi(page, 'GET', '/bodies?kind=krat&county=vlore')).body.items[0];
  await go(page, srv.url, `/bodies/${krat.id}`);
  assert.ok(await page.getByRole('link', { name: /^Emëro/ }).count() > 0);
});

test("Fier's edit controls are absent for vlore.secretariat", async () => {
  await go(page, srv.url, `/counties/fier`);
  assert.doesNotMatch(await controls(), EDIT);
  await go(page, srv.url, `/bodies/${ids.krat}`);
  assert.doesNotMatch(await controls(), EDIT);
  assert.match(await text(page.locator('main')), /vetëm sekretariati përgjegjës mund ta ndryshojë/);
  assert.equal(await page.locator('th:has-text("Veprime")').count(), 0);
  const vacant = (await pageApi(page, 'GET', '/nominations/overdue?county=fier')).body.items[0];
  await go(page, srv.url, `/seats/${vacant.seat}?do=nominate`);
  assert.equal(await page.locator('main form').count(), 0, 'no nomination form');
  assert.doesNotMatch(await controls(), EDIT);
});

test('a forged request on Fier is refused by the server', async () => {
  const vacant = (await pageApi(page, 'GET', '/nominations/overdue?county=fier')).body.items[0];
  const nominate = await pageApi(page, 'POST', `/seats/${vacant.seat}/nominations`, { name: 'Person i falsifikuar', start: tiraneDay(0).iso });
  assert.equal(nominate.status, 403);
  assert.equal(nominate.body.error.code, 'forbidden');
  const guest = await pageApi(page, 'POST', `/bodies/${ids.krat}/guests`, { name: 'X', start: tiraneDay(0).iso });
  assert.equal(guest.status, 403);
  const seat = await pageApi(page, 'GET', `/seats/${vacant.seat}`);
  assert.equal(seat.body.nominations.length, 0, 'nothing was written');
  const agreement = await pageApi(page, 'PATCH', `/agreements/${ids.agreement}`, { version: 1, title: 'X' });
  assert.ok([403, 404].includes(agreement.status), `agreement edit refused (${agreement.status})`);
  // Without the CSRF token even a permitted change is refused.
  const krat = (await pageApi(page, 'GET', '/bodies?kind=krat&county=vlore')).body.items[0];
  const noCsrf = await page.evaluate(async (id) => (await fetch(`/api/v1/bodies/${id}/guests`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'X', start: '2025-10-01' }),
  })).status, krat.id);
  assert.equal(noCsrf, 403);
});

test("another county's agreement is not found, and users are out of reach", async () => {
  await go(page, srv.url, `/agreements/${ids.agreement}`);
  assert.equal(await text(page.locator('main h1')), 'Faqja nuk u gjet');
  await go(page, srv.url, `/users`);
  assert.equal(await text(page.locator('main h1')), 'Nuk keni leje');
  assert.doesNotMatch(await text(page.locator('nav.menu')), /Përdoruesit|Pamja kombëtare/);
  await logout(page);
});

test('the menu follows the role', async () => {
  // Meetings for those who read them (secretariats, KRAT and Table members, the Authority, the
  // Ministry's monitor, the administrator); "My tasks" for whoever works for an institution.
  const cases = [
    ['admin', ['Qarqet dhe organet', 'Pamja kombëtare', 'Marrëveshjet', 'Përdoruesit', 'Gjurmët e auditimit', 'Shifrat', 'Mbledhjet'], ['Qarku im', 'Rastet', 'Dyfishimet', 'Detyrat e mia', 'Kërko personin']],
    ['dpo', ['Pamja kombëtare', 'Gjurmët e auditimit', 'Kërko personin'], ['Përdoruesit', 'Qarku im', 'Rastet', 'Shifrat', 'Mbledhjet', 'Detyrat e mia']],
    ['ministry.monitor', ['Pamja kombëtare', 'Marrëveshjet', 'Shifrat', 'Mbledhjet', 'Detyrat e mia'], ['Përdoruesit', 'Gjurmët e auditimit', 'Rastet', 'Referimet']],
    ['fier.caseworker', ['Qarku im', 'Qarqet dhe organet', 'Rastet', 'Referimet', 'Detyrat e mia'], ['Marrëveshjet', 'Përdoruesit', 'Pamja kombëtare', 'Shifrat', 'Dyfishimet', 'Mbledhjet']],
    ['tirane.ngo', ['Rastet', 'Referimet', 'Detyrat e mia'], ['Mbledhjet', 'Shifrat']],
    ['fier.secretariat', ['Mbledhjet', 'Qarku im'], ['Detyrat e mia', 'Dyfishimet']],
    ['fier.krat', ['Rastet', 'Shifrat', 'Mbledhjet'], ['Referimet', 'Dyfishimet', 'Detyrat e mia']],
    ['fier.table', ['Mbledhjet'], ['Detyrat e mia', 'Referimet']],
    ['authority.member', ['Rastet', 'Dyfishimet', 'Shifrat', 'Mbledhjet'], ['Referimet', 'Përdoruesit', 'Detyrat e mia']],
    ['authority.chair', ['Mbledhjet', 'Detyrat e mia'], ['Përdoruesit']],
  ];
  for (const [user, shown, hidden] of cases) {
    await login(page, srv.url, user);
    const menu = await text(page.locator('nav.menu'));
    for (const s of shown) assert.match(menu, new RegExp(s), `${user} sees ${s}`);
    for (const s of hidden) assert.doesNotMatch(menu, new RegExp(s), `${user} does not see ${s}`);
    // Every signed-in user has the notifications in the header.
    assert.equal(await page.locator('.topbar').getByRole('link', { name: /^Njoftimet/ }).count(), 1, `${user}: notifications in the header`);
    await logout(page);
  }
});

test('those who do not read meetings cannot open them; nor can they change a task that is not theirs', async () => {
  const sec = await apiAs(srv, 'fier.secretariat');
  const tableId = (await sec.get('/bodies?kind=technical_table&county=fier')).items[0].id;
  const m = await sec.post(`/bodies/${tableId}/meetings`, { date: tiraneDay(0).iso, time: '10:00', location: 'Prefektura Fier' });
  await sec.put(`/meetings/${m.id}/attendance`, { seats: [{ seat: m.attendance[0].seat, status: 'present' }] });
  const police = (await sec.get('/institutions?county=fier&limit=500')).items.find((i) => i.type === 'local_police').id;
  const d = await sec.post(`/meetings/${m.id}/decisions`, { text: 'Një detyrë për policinë.', tasks: [{ title: 'Detyrë prove', institution: police, due: tiraneDay(5).iso }] });
  for (const user of ['fier.caseworker', 'dpo']) {
    await login(page, srv.url, user);
    for (const path of ['/meetings', `/meetings/${m.id}`, `/bodies/${tableId}/meetings`, `/bodies/${tableId}/meetings/new`]) {
      await go(page, srv.url, path);
      assert.equal(await text(page.locator('main h1')), 'Nuk keni leje', `${user} ${path}`);
    }
    assert.equal((await pageApi(page, 'GET', `/meetings/${m.id}`)).status, 403, `${user}: and the server agrees`);
    assert.equal((await pageApi(page, 'GET', `/bodies/${tableId}/documents`)).status, 403, `${user}: nor the body's documents`);
    // Their notifications, yes; a calendar of meetings they do not read, no.
    await go(page, srv.url, '/notifications');
    assert.equal(await text(page.locator('main h1')), 'Njoftimet', user);
    await go(page, srv.url, '/account');
    assert.doesNotMatch(await text(page.locator('main')), /Kalendari im/, `${user}: no calendar of meetings`);
    await logout(page);
  }
  // Vlorë's case worker: not Fier's police, so the task is not hers to change.
  await login(page, srv.url, 'vlore.caseworker');
  const task = await pageApi(page, 'POST', `/tasks/${d.tasks[0]}/status`, { status: 'done', note: 'X', version: 1 });
  assert.equal(task.status, 403);
  await go(page, srv.url, '/tasks');
  assert.doesNotMatch(await text(page.locator('main')), /Detyrë prove/);
  await logout(page);
  // A KRAT member reads the meeting and the Table's documents, and may change nothing.
  await login(page, srv.url, 'fier.krat');
  await go(page, srv.url, `/meetings/${m.id}`);
  assert.equal(await page.locator('main form').count(), 0);
  assert.doesNotMatch(await controls(), /Regjistro|Ndrysho|Anulo|Planifiko|Ruaj/);
  await go(page, srv.url, `/bodies/${tableId}/meetings`);
  assert.match(await text(page.locator('main')), /Dokumentet e organit[\s\S]*Rregullorja e funksionimit/);
  assert.doesNotMatch(await controls(), /Regjistro|Ngarko|Planifiko/);
  assert.equal((await pageApi(page, 'POST', `/bodies/${tableId}/documents`, { kind: 'rules_of_procedure', title: 'X' })).status, 403);
  // The calendar of the meetings they read.
  await go(page, srv.url, '/account');
  assert.match(await text(page.locator('main')), /Kalendari im/);
  await go(page, srv.url, `/tasks/${d.tasks[0]}`);
  assert.equal(await page.locator('main form').count(), 0);
  await logout(page);
});

test('figures-only roles cannot open the case screens', async () => {
  await login(page, srv.url, 'ministry.monitor');
  for (const path of ['/cases', '/cases/new', '/duplicates', '/referrals']) {
    await go(page, srv.url, path);
    assert.equal(await text(page.locator('main h1')), 'Nuk keni leje', path);
  }
  assert.equal((await pageApi(page, 'GET', '/cases')).status, 403, 'and the server agrees');
  await go(page, srv.url, '/figures');
  assert.equal(await text(page.locator('main h1')), 'Shifrat e rasteve');
  // Figures leave the Authority by whole, ended periods, with disclosure control: the screen
  // offers no month, and the server refuses one asked for all the same.
  assert.deepEqual(await page.locator('#fg-kind option').evaluateAll((os) => os.map((o) => o.value)), ['year', 'half', 'quarter']);
  const month = await pageApi(page, 'GET', '/stats/figures?period=2025-09');
  assert.deepEqual([month.status, month.body.error.key], [403, 'stats_period_kind']);
  const bare = await pageApi(page, 'GET', '/stats/figures?period=2025&audience=authority');
  assert.deepEqual([bare.status, bare.body.error.key], [403, 'stats_audience']);
  await logout(page);
  // Case workers and the data-protection officer see no figures at all.
  for (const user of ['fier.caseworker', 'dpo']) {
    await login(page, srv.url, user);
    await go(page, srv.url, '/figures');
    assert.equal(await text(page.locator('main h1')), 'Nuk keni leje', user);
    assert.equal((await pageApi(page, 'GET', '/stats/figures?period=2025')).status, 403, `${user}: and the server agrees`);
    await logout(page);
  }
  await login(page, srv.url, 'fier.krat');
  await go(page, srv.url, '/cases/new');
  assert.equal(await text(page.locator('main h1')), 'Nuk keni leje', 'a KRAT member does not register cases');
  assert.equal((await pageApi(page, 'POST', '/cases', { fields: {} })).status, 403);
  await logout(page);
});

test('the Authority secretariat edits national bodies, not counties', async () => {
  await login(page, srv.url, 'authority.secretariat');
  await go(page, srv.url, `/bodies/1`);
  assert.match(await controls(), /Zëvendëso/);
  await go(page, srv.url, `/bodies/${ids.krat}`);
  assert.doesNotMatch(await controls(), EDIT);
  await logout(page);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (401|403|404)/.test(e)), []);
});
