// Building the page without HTML strings: the CSP forbids inline code, and text put in with
// h() is always text, never markup.

const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'multiple', 'required', 'readOnly']);

// h('a', {href: '/x', class: 'btn', onclick: fn}, 'text', child, [more]) → element.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Text only visible to screen readers (e.g. which seat a repeated "Nominate" link is for).
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}

let ids = 0;
export function uid(prefix = 'id') {
  return `${prefix}-${++ids}`;
}
