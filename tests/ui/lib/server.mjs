// A real `nrm serve` for one test file: a fresh demo database in a temporary directory, a
// loopback port chosen by the system, stopped (and cleaned up) at the end.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { secrets, totp } from './totp.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../../..');
export const nrmBin = process.env.NRM_BIN ? resolve(process.env.NRM_BIN) : resolve(here, '../../../build/nrm');

// demoCases: the demo's cases and registers too (slower to make); args: more options of serve.
export async function startServer({ web = join(repo, 'web'), demoCases = false, args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-ui-'));
  const db = join(dir, 'nrm.db');
  execFileSync(nrmBin, ['init', '--db', db, '--demo', ...(demoCases ? [] : ['--no-demo-cases']), '--data', join(repo, 'data')],
    { stdio: 'pipe' });
  const proc = spawn(nrmBin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', web, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = [];
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`nrm serve did not start:\n${log.join('')}`)), 10000);
    let buf = '';
    proc.stderr.on('data', (chunk) => {
      const s = chunk.toString();
      log.push(s);
      if (log.length > 2000) log.splice(0, 1000);
      buf += s;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`nrm serve exited with ${code}:\n${log.join('')}`));
    });
  });
  proc.removeAllListeners('exit');
  return {
    url,
    db,
    log: () => log.join(''),
    async stop() {
      if (proc.exitCode === null) {
        const done = new Promise((ok) => proc.once('exit', ok));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await done;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A small API client logged in as `username` (for finding ids in the demo data, and for setting
// up cases): get(path), post(path, body), patch(path, body), put(path, body) → parsed JSON.
// An account that must set up a second factor (not a demo user) sets one up, its secret kept in
// lib/totp.mjs for its later logins (tests/ui/accounts.test.mjs tests the second factor itself).
export async function apiAs(srv, username, password = 'demo') {
  const res = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  let cookie = res.headers.get('set-cookie').split(';')[0];
  const first = await res.json();
  let { csrf } = first;
  const call = (method, path, body) => fetch(`${srv.url}/api/v1${path}`, {
    method, headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body),
  });
  if (first.stage === 'enrol') {
    const begun = await (await call('POST', '/me/totp', {})).json();
    secrets.set(username, begun.secret);
    const ok = await call('POST', '/me/totp/confirm', { code: totp(begun.secret, 0, begun.time) });
    if (!ok.ok) throw new Error(`enrol ${username}: ${ok.status}`);
  } else if (first.stage === 'code') {
    const r = await call('POST', '/session/code', { code: totp(secrets.get(username), 1) });
    if (!r.ok) throw new Error(`second step ${username}: ${r.status}`);
    cookie = r.headers.get('set-cookie').split(';')[0];
    ({ csrf } = await r.json());
  }
  async function send(method, path, body) {
    const r = await fetch(`${srv.url}/api/v1${path}`, {
      method,
      headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  }
  return {
    async get(path) {
      const r = await fetch(`${srv.url}/api/v1${path}`, { headers: { Cookie: cookie } });
      if (!r.ok) throw new Error(`GET ${path}: ${r.status}`);
      return r.json();
    },
    post: (path, body) => send('POST', path, body),
    patch: (path, body) => send('PATCH', path, body),
    put: (path, body) => send('PUT', path, body),
  };
}

// Ids the tests need from the demo data: Fier's KRAT, one of its filled and one of its
// overdue seats, and one of Fier's agreements.
export async function demoIds(srv) {
  const api = await apiAs(srv, 'admin');
  const krat = (await api.get('/bodies?kind=krat&county=fier')).items[0];
  const body = await api.get(`/bodies/${krat.id}`);
  return {
    krat: krat.id,
    kratSummary: body.summary,
    filledSeat: body.seats.find((s) => s.status === 'filled').id,
    // The last one: tests that nominate through the list take the first.
    overdueSeat: body.seats.filter((s) => s.status === 'overdue').pop().id,
    agreement: (await api.get('/agreements?county=fier')).items[0].id,
  };
}
