// Small shared pieces of the screens: headings, breadcrumbs, badges, tables, notices, errors,
// dialogs. Each returns a DOM node.
import { h, srOnly, uid } from './dom.js';
import { t, tn, fmtNumber } from './i18n.js';
import { errorText } from './errors.js';
import { ApiError } from './api.js';
import { labelOf } from './session.js';

export function buttonLink(href, text, { class: cls, ...props } = {}) {
  return h('a', { href, class: ['btn', cls], ...props }, text);
}

// The page heading (focused after navigation) with an optional line under it and actions.
export function pageHeader(title, { sub, actions } = {}) {
  return h('div', { class: 'page-header' },
    h('div', { class: 'page-title' },
      h('h1', { tabindex: '-1' }, title),
      sub ? h('p', { class: 'page-sub' }, sub) : null),
    actions && actions.length ? h('div', { class: 'page-actions' }, actions) : null);
}

// [[label, href], ..., [label]] → breadcrumb trail; the last item is the current page.
export function breadcrumbs(items) {
  return h('nav', { class: 'breadcrumbs', 'aria-label': t('nav.breadcrumbs') },
    h('ol', null, items.map(([label, href], i) => h('li', null,
      href && i < items.length - 1 ? h('a', { href }, label) : h('span', { 'aria-current': 'page' }, label)))));
}

export function section(title, ...children) {
  const id = uid('sec');
  return h('section', { class: 'section', 'aria-labelledby': id },
    h('h2', { id }, title), children);
}

// A seat's state, in words and a symbol, never in colour alone.
export function statusBadge(status, daysOverdue) {
  const icon = { filled: '✓', vacant: '○', overdue: '!' }[status] || '•';
  return h('span', { class: `badge badge-${status}` },
    h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, icon),
    labelOf('seat_status', status),
    status === 'overdue' && daysOverdue ? h('span', { class: 'badge-extra' }, ` · ${tn('unit.days', daysOverdue)}`) : null);
}

export function tag(text, kind = 'neutral') {
  return h('span', { class: `tag tag-${kind}` }, text);
}

// Seats / filled / vacant / overdue as a row of figures.
export function summaryStats(s) {
  const item = (key, n, cls) => h('div', { class: ['stat', cls] },
    h('dt', null, t(key)), h('dd', null, fmtNumber(n)));
  return h('dl', { class: 'stats' },
    item('summary.seats', s.seats),
    item('summary.filled', s.filled, 'stat-filled'),
    item('summary.vacant', s.vacant, 'stat-vacant'),
    item('summary.overdue', s.overdue, 'stat-overdue'));
}

// A share of filled seats as a bar with its figure written out.
export function fillBar(filled, total) {
  const pct = total ? Math.round((filled * 100) / total) : 0;
  const bar = h('span', { class: 'fillbar-value' });
  bar.style.width = `${pct}%`;
  return h('span', { class: 'fillbar' }, h('span', { class: 'fillbar-track', 'aria-hidden': 'true' }, bar),
    h('span', { class: 'fillbar-text' }, `${pct}%`));
}

// columns: [{label, cell: row => Node|string, class}]; on a phone each row becomes a card
// whose cells are labelled (CSS reads data-label).
export function table({ caption, columns, rows, empty, rowClass }) {
  if (!rows.length) return h('p', { class: 'empty' }, empty || t('common.none'));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data' },
      caption ? h('caption', { class: 'sr-only' }, caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
      h('tbody', null, rows.map((r) => h('tr', { class: rowClass ? rowClass(r) : null },
        columns.map((c, i) => h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: c.class, 'data-label': c.label },
          c.cell(r))))))));
}

// A definition list of [label, value] pairs; empty values show a dash.
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => h('div', null,
    h('dt', null, k), h('dd', null, v === '' || v == null ? '—' : v))));
}

export function notice(text, kind = 'info', props = {}) {
  return h('div', { class: `notice notice-${kind}`, ...props }, text);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

// The server's own (English) words of an API error, behind "technical details" for whoever
// reports the problem; null for errors of the UI itself.
export function techDetails(err) {
  if (!(err instanceof ApiError) || !err.message || err.code === 'network' || !err.status) return null;
  const what = [err.code, err.key && err.key !== err.code ? err.key : null].filter(Boolean).join('/');
  return h('details', { class: 'tech' }, h('summary', null, t('error.details')),
    h('p', null, h('code', null, `${err.status} ${what}${err.field ? ` (${err.field})` : ''}: ${err.message}`)));
}

// An API error in the user's language.
export function errorBox(err, { title, label } = {}) {
  return h('div', { class: 'notice notice-error', role: 'alert' },
    title ? h('p', { class: 'notice-title' }, title) : null,
    h('p', null, errorText(err, { label })),
    techDetails(err));
}

// A modal dialog holding `content` (a node or a function (close) → node). Resolves with what
// close() is given, or null when dismissed (Escape, Cancel).
export function dialog(title, content) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const opener = document.activeElement;
    let result = null;
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId });
    const close = (value) => {
      result = value ?? null;
      dlg.close();
    };
    dlg.append(h('h2', { id: titleId, class: 'dialog-title' }, title),
      typeof content === 'function' ? content(close) : content);
    dlg.addEventListener('close', () => {
      dlg.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(result);
    });
    document.body.append(dlg);
    dlg.showModal();
  });
}

export function confirmDialog(title, message, confirmLabel, { danger = false } = {}) {
  return dialog(title, (close) => h('div', null,
    h('p', null, message),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], onclick: () => close(true) }, confirmLabel),
      h('button', { type: 'button', class: 'btn', onclick: () => close(false) }, t('common.cancel')))));
}

export { srOnly, errorText };

// "More" under a keyset-paginated table: loads the next page and moves the focus to the first
// row it added, so a keyboard or screen-reader user carries on where the new rows begin.
export function onMore(more, holder, load, count) {
  more.addEventListener('click', async () => {
    const before = count();
    more.disabled = true;
    try {
      await load();
    } finally {
      more.disabled = false;
    }
    const th = holder.querySelectorAll('tbody tr')[before]?.querySelector('th');
    if (th) {
      th.setAttribute('tabindex', '-1');
      th.focus();
    }
  });
}
