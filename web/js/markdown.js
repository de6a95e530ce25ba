// The help pages' Markdown (web/help/): the small subset they are written in — headings (# to
// ###), paragraphs, bullet and numbered lists, simple tables, images on a line of their own,
// **bold**, `code` and [links]. Built as DOM nodes, never as HTML text: nothing in a page can
// become markup. `resolve(href)` turns a link or image address into the app's.
import { h } from './dom.js';

// **bold**, `code` and [text](href) within a line.
function inline(text, resolve) {
  const out = [];
  const re = /\*\*([^*]+)\*\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let at = 0;
  for (let m; (m = re.exec(text));) {
    if (m.index > at) out.push(text.slice(at, m.index));
    if (m[1] !== undefined) out.push(h('strong', null, m[1]));
    else if (m[2] !== undefined) out.push(h('code', null, m[2]));
    else out.push(h('a', { href: resolve(m[4]) }, m[3]));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

const cells = (line) => line.replace(/^\s*\|/, '').replace(/\|\s*$/, '').split('|').map((c) => c.trim());

export function markdown(text, resolve = (x) => x) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const blocks = [];
  let i = 0;
  const take = (test) => {
    const got = [];
    while (i < lines.length && test(lines[i])) got.push(lines[i++]);
    return got;
  };
  while (i < lines.length) {
    const line = lines[i];
    let m;
    if (!line.trim()) {
      i++;
    } else if ((m = /^(#{1,3})\s+(.*)$/.exec(line))) {
      blocks.push(h(`h${m[1].length}`, null, inline(m[2], resolve)));
      i++;
    } else if ((m = /^!\[([^\]]*)\]\(([^)\s]+)\)\s*$/.exec(line))) {
      blocks.push(h('figure', { class: 'help-figure' }, h('img', { src: resolve(m[2]), alt: m[1] }),
        m[1] ? h('figcaption', null, m[1]) : null));
      i++;
    } else if (/^- /.test(line)) {
      blocks.push(h('ul', null, take((l) => /^- /.test(l)).map((l) => h('li', null, inline(l.slice(2), resolve)))));
    } else if (/^\d+\. /.test(line)) {
      blocks.push(h('ol', null, take((l) => /^\d+\. /.test(l)).map((l) => h('li', null, inline(l.replace(/^\d+\. /, ''), resolve)))));
    } else if (/^\s*\|/.test(line)) {
      const rows = take((l) => /^\s*\|/.test(l));
      const head = cells(rows[0]);
      const body = rows.slice(1).filter((r) => !/^\s*\|[\s|:-]+\|\s*$/.test(r));
      blocks.push(h('table', { class: 'data' },
        h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, inline(c, resolve))))),
        h('tbody', null, body.map((r) => h('tr', null, cells(r).map((c) => h('td', null, inline(c, resolve))))))));
    } else {
      // The first line whatever it starts with (an image not alone on its line), then the rest.
      const para = [lines[i++], ...take((l) => l.trim() && !/^(#{1,3}\s|- |\d+\. |\s*\||!\[)/.test(l))];
      blocks.push(h('p', null, inline(para.join(' '), resolve)));
    }
  }
  return blocks;
}
