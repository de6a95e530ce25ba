// Drafts on the server, so that nothing typed into a long form is lost — to an expired session,
// a closed tab, a browser that crashed (PUT/GET/DELETE /drafts/{form}/{key}: the signed-in
// user's own, sealed on the server like a case's personal data, kept 30 days).
//
// keepDraft() ties one form to its draft: the form's values are saved a few seconds after the
// last change and at once when the page is hidden (the tab closed or put aside); opening the
// form when a draft exists offers "Restore the draft of <time> / Discard it"; the draft is
// deleted when the form is saved. While the form holds changes not saved, it is marked dirty
// (leave.js asks before leaving it). form.js and caseform.js use it through their `draft`
// option: {form, key} (see draftKey()).
import { h } from './dom.js';
import { t, fmtDateTime } from './i18n.js';
import { api, ApiError, Redirected } from './api.js';
import { serverHas, session } from './session.js';
import { setDirty } from './leave.js';

const SAVE_AFTER_MS = 3000;
const enc = encodeURIComponent;
const live = new Set();

export function hasDrafts() {
  return serverHas('PUT', '/drafts/{form}/{key}');
}

// A name the server takes as a draft's form or key: 1–64 of [a-z0-9_-] ("TR-2026-0042" →
// "tr-2026-0042").
export function draftKey(...parts) {
  return parts.map(String).join('-').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 64) || 'x';
}

const hhmm = () => fmtDateTime(new Date().toISOString()).slice(-5);

// The user's draft of this form, or null. Looked up in the list first: a form without a draft
// is the usual case, and is not a failed request (404) in the browser's console.
export async function findDraft(form, key) {
  if (!hasDrafts()) return null;
  const f = draftKey(form);
  const k = draftKey(key);
  try {
    const list = await api('GET', '/drafts', undefined, { auth: false });
    if (!(list?.items || []).some((d) => d.form === f && d.key === k)) return null;
    return await api('GET', `/drafts/${enc(f)}/${enc(k)}`, undefined, { auth: false });
  } catch {
    return null;
  }
}

// opts: {form, key, el (the <form>), read() → the data to keep (a JSON object), restore(data),
// changed() → whether the form differs from what it started with}. Returns {saved(), flush()}:
// saved() once the form has been saved (the draft is deleted, the form is clean again).
export function keepDraft({ form, key, el, read, restore, changed }) {
  const path = `/drafts/${enc(draftKey(form))}/${enc(draftKey(key))}`;
  const epoch = session.epoch;
  const offerSlot = h('div', { class: 'draft-offer-slot', 'aria-live': 'polite' });
  const status = h('p', { class: 'draft-status hint' });
  let timer = null;
  let saving = Promise.resolve();
  let lastSent = null;
  let exists = false;
  let offering = true;
  let closed = false;

  el.prepend(offerSlot);
  (el.querySelector('.form-actions') || el).append(status);

  const mark = () => setDirty(el, !closed && changed(), { draft: hasDrafts() });

  async function save(background = false) {
    clearTimeout(timer);
    timer = null;
    if (closed || offering || epoch !== session.epoch) return;
    const dirty = changed();
    const data = read();
    const json = JSON.stringify(data);
    if (json === lastSent) return;
    // A request that outlives the page may carry 64 KB at most: a larger draft goes as usual.
    const opts = background ? { auth: false, background: true, keepalive: json.length < 60000 } : {};
    const prev = saving;
    saving = (async () => {
      await prev;
      try {
        if (!dirty) {
          // Back to where it started: no draft is needed.
          if (exists) await api('DELETE', path, undefined, opts);
          exists = false;
          lastSent = json;
          status.textContent = '';
          return;
        }
        await api('PUT', path, { data }, opts);
        exists = true;
        lastSent = json;
        status.textContent = t('drafts.savedAt', { time: hhmm() });
      } catch (err) {
        if (err instanceof Redirected) return;
        status.textContent = t('drafts.notSaved');
      }
    })();
    return saving;
  }

  function edited() {
    if (closed) return;
    mark();
    clearTimeout(timer);
    timer = setTimeout(() => save(false), SAVE_AFTER_MS);
  }
  el.addEventListener('input', edited);
  el.addEventListener('change', edited);

  const ctl = {
    el,
    pending: () => !closed && !offering && (timer !== null || (changed() && JSON.stringify(read()) !== lastSent)),
    flush: (background = true) => save(background),
    // The form was saved: its draft is not needed any more.
    async saved() {
      closed = true;
      clearTimeout(timer);
      timer = null;
      setDirty(el, false);
      live.delete(ctl);
      status.textContent = '';
      await saving;
      if (!exists) return;
      exists = false;
      try {
        await api('DELETE', path, undefined, { auth: false });
      } catch {
        /* gone already */
      }
    },
    // The save failed: the form goes on as before.
    reopen() {
      if (!closed) return;
      closed = false;
      live.add(ctl);
      mark();
      lastSent = null;
      edited();
    },
  };
  live.add(ctl);

  function offer(found) {
    const when = fmtDateTime(found.updated_at);
    const restoreBtn = h('button', { type: 'button', class: 'btn btn-primary btn-small' }, t('drafts.restore'));
    const discardBtn = h('button', { type: 'button', class: 'btn btn-small' }, t('drafts.discard'));
    const box = h('div', { class: 'notice notice-warning draft-offer' },
      h('p', { class: 'notice-title' }, t('drafts.found', { ts: when })),
      h('p', null, t('drafts.foundText')),
      h('div', { class: 'form-actions' }, restoreBtn, discardBtn));
    const done = (text) => {
      offering = false;
      const msg = h('p', { class: 'notice notice-success draft-done', tabindex: '-1' }, text);
      offerSlot.replaceChildren(msg);
      msg.focus();
    };
    restoreBtn.addEventListener('click', () => {
      restore(found.data);
      exists = true;
      lastSent = JSON.stringify(read());
      done(t('drafts.restored', { ts: when }));
      mark();
      status.textContent = t('drafts.savedAt', { time: fmtDateTime(found.updated_at).slice(-5) });
    });
    discardBtn.addEventListener('click', async () => {
      discardBtn.disabled = true;
      try {
        await api('DELETE', path);
      } catch (err) {
        if (err instanceof Redirected) return;
        if (!(err instanceof ApiError && err.status === 404)) {
          discardBtn.disabled = false;
          status.textContent = t('drafts.notSaved');
          return;
        }
      }
      exists = false;
      done(t('drafts.discarded'));
      // What was typed meanwhile is kept as the new draft.
      if (changed()) edited();
    });
    offerSlot.replaceChildren(box);
  }

  // A draft kept from before: offered unless the form holds the same already. A server
  // without drafts leaves the form guarded (leave.js), nothing is sent.
  (async () => {
    if (!hasDrafts()) return;
    const found = await findDraft(form, key);
    if (closed || epoch !== session.epoch) return;
    if (found) {
      exists = true;
      if (found.data && JSON.stringify(found.data) !== JSON.stringify(read())) {
        offer(found);
        return;
      }
      lastSent = JSON.stringify(read());
    }
    offering = false;
    if (timer === null && changed()) edited();
  })();

  return ctl;
}

// Every form with changes not yet in its draft saves them now (the page is being hidden, the
// session is about to end). Background requests: they do not keep the session alive.
export function flushDrafts() {
  const all = [];
  for (const c of live) {
    if (!c.el.isConnected && !c.pending()) live.delete(c);
    else if (c.pending()) all.push(c.flush(true));
  }
  return Promise.all(all);
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flushDrafts();
});
window.addEventListener('pagehide', () => flushDrafts());
