// Every screen of the UI, as paths for a logged-in administrator (who may open all of them),
// found from the demo data. Shared by the walking tests and by screens.mjs.
import { pageApi } from './browser.mjs';

export async function screenPaths(page) {
  const fier = (await pageApi(page, 'GET', '/counties/fier')).body;
  const krat = fier.bodies.find((x) => x.kind === 'krat');
  const body = (await pageApi(page, 'GET', `/bodies/${krat.id}`)).body;
  const vacant = body.seats.find((s) => s.status !== 'filled');
  const filled = body.seats.find((s) => s.status === 'filled');
  const authority = (await pageApi(page, 'GET', '/bodies?kind=authority')).body.items[0];
  const agreements = (await pageApi(page, 'GET', '/agreements?county=fier')).body.items;
  const users = (await pageApi(page, 'GET', '/users?county=fier')).body.items;
  const secretariat = users.find((u) => u.username === 'fier.secretariat');
  return [
    ['counties', '/counties'],
    ['county', '/counties/fier'],
    ['body', `/bodies/${krat.id}`],
    ['body-vacant', `/bodies/${krat.id}?show=vacant`],
    ['authority', `/bodies/${authority.id}`],
    ['seat', `/seats/${filled.id}`],
    ['seat-vacant', `/seats/${vacant.id}`],
    ['seat-nominate', `/seats/${vacant.id}?do=nominate`],
    ['seat-replace', `/seats/${filled.id}?do=nominate`],
    ['overview', '/overview'],
    ['overview-county', '/overview?county=fier'],
    ['agreements', '/agreements'],
    ['agreements-county', '/agreements?county=fier'],
    ['agreement', `/agreements/${agreements[0].id}`],
    ['agreement-new', '/agreements/new?county=fier'],
    ['users', '/users'],
    ['user', `/users/${secretariat.id}`],
    ['user-new', '/users/new'],
    ['audit', '/audit'],
    ['account', '/account'],
    ['not-found', '/no/such/page'],
  ];
}
