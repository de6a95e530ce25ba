// Unsaved changes are not left behind unasked. A form marks itself dirty while what it holds
// differs from what was saved (setDirty(form element, true)); before the app leaves the page (a
// link, Back, the language switch, logging out) the router asks confirmLeave(), and closing or
// reloading the tab asks through the browser's own question (beforeunload). Forms that keep a
// draft on the server (drafts.js) say so, and the question tells the user the draft is kept.
import { h } from './dom.js';
import { t } from './i18n.js';
import { dialog } from './ui.js';

// element → {draft: whether a draft of it is kept on the server}
const dirty = new Map();

export function setDirty(el, on, { draft = false } = {}) {
  if (on) dirty.set(el, { draft });
  else dirty.delete(el);
}

// Forms no longer on the page are forgotten (the screen was left, or drawn again).
function live() {
  for (const el of dirty.keys()) if (!el.isConnected) dirty.delete(el);
  return [...dirty.values()];
}

export function hasUnsaved() {
  return live().length > 0;
}

// Unsaved changes that no draft keeps (logging out asks only about those: a draft comes back
// at the next login).
export function hasUndrafted() {
  return live().some((f) => !f.draft);
}

// Forgets every mark (the user chose to leave; a new screen starts clean).
export function forgetUnsaved() {
  dirty.clear();
}

let asking = null;

// Resolves true when there is nothing unsaved or the user chooses to leave anyway.
export async function confirmLeave() {
  const forms = live();
  if (!forms.length) return true;
  if (asking) return asking;
  const drafted = forms.every((f) => f.draft);
  asking = dialog(t('leave.title'), (close) => h('div', null,
    h('p', null, t('leave.text')),
    drafted ? h('p', null, t('leave.draftKept')) : null,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn btn-primary', autofocus: true, onclick: () => close(false) }, t('leave.stay')),
      h('button', { type: 'button', class: 'btn', onclick: () => close(true) }, t('leave.go')))));
  try {
    const go = (await asking) === true;
    if (go) forgetUnsaved();
    return go;
  } finally {
    asking = null;
  }
}

window.addEventListener('beforeunload', (e) => {
  if (!hasUnsaved()) return;
  e.preventDefault();
  // Older browsers need a value; the words are the browser's own.
  e.returnValue = '';
});
