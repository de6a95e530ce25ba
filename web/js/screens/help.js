// The help: the guide of each role, the glossary and their index (web/help/LANG/*.md, written in
// the subset js/markdown.js shows), in the user's language, with the screenshots of
// web/help/screens/. Reached from „Ndihmë” at the end of the menu of every role.
import { h } from '../dom.js';
import { t, lang } from '../i18n.js';
import { breadcrumbs } from '../ui.js';
import { markdown } from '../markdown.js';

// A page's name: letters, digits and '-' only (it becomes a file's name).
const PAGE = /^[a-z0-9-]+$/;

// Links and images of a page, as the app's addresses; anything else goes nowhere.
function resolve(href) {
  let m;
  if ((m = /^([a-z0-9-]+)\.md(#[a-z0-9-]*)?$/.exec(href))) return `/help/${m[1]}`;
  if ((m = /^\.\.\/screens\/([A-Za-z0-9._-]+\.png)$/.exec(href))) return `/help/screens/${m[1]}`;
  if (/^https?:\/\//.test(href) || /^\/[^/\\]/.test(href)) return href;
  return '#';
}

export default async function helpScreen(ctx) {
  const page = ctx.params.page && PAGE.test(ctx.params.page) ? ctx.params.page : 'index';
  const res = await fetch(`/help/${lang()}/${page}.md`, { credentials: 'same-origin' });
  if (!res.ok) {
    return h('div', null, breadcrumbs([[t('help.title'), '/help'], [page]]), h('h1', null, t('help.title')),
      h('p', null, t('help.notFound')), h('p', null, h('a', { href: '/help' }, t('help.index'))));
  }
  const text = await res.text();
  // The page's own title (its first line) names it in the breadcrumbs.
  const title = /^# (.+)$/m.exec(text)?.[1] || page;
  const crumbs = breadcrumbs(page === 'index' ? [[t('help.title')]] : [[t('help.title'), '/help'], [title]]);
  return h('div', null, crumbs, h('article', { class: 'help', lang: lang() }, markdown(text, resolve)));
}
