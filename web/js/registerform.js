// The form of an entry of any register, drawn from its definition with the case form's widgets
// (caseform.js): sections, every field type, repeating groups, required marks worked out live,
// help texts, personal fields marked, and the server's errors on the field they name (a sub-field
// too: "participants.0.person"). References are chosen from lists: institutions (by county), the
// bodies, the persons in the registry, the meetings and the meetings' tasks of the county, the
// entries of another register (a campaign, a plan); a list the user may not read stays a number.
import { t, fmtDate, pick } from './i18n.js';
import { Redirected } from './api.js';
import { loadCounties, loadInstitutions, loadInstitutionTypes, countyName, readsMeetings } from './session.js';
import { meetingLabel } from './cases.js';
import { caseForm } from './caseform.js';
import { MEETING_BODIES } from './meetings.js';
import { loadRegister, refKind, roleField, entryTitle, tryAll } from './registers.js';

// Every reference kind the form's fields use ("body", "entry:campaigns", ...), sub-fields too.
function refsUsed(def) {
  const out = new Set();
  for (const s of def.form.sections) {
    for (const f of s.fields) {
      if (f.ref) out.add(f.ref);
      for (const sf of f.fields || []) if (sf.ref) out.add(sf.ref);
    }
  }
  out.delete('institution');
  return out;
}

// The bodies of a county that meet (and so have meetings and tasks).
function countyBodies(bodies, county) {
  return (bodies || []).filter((b) => b.county === county && MEETING_BODIES.includes(b.kind));
}

async function source(ref, { user, county, bodies }) {
  const kind = ref.startsWith('entry:') ? 'entry' : ref;
  switch (kind) {
    case 'body': {
      if (!bodies) return null;
      return { byCounty: true, items: bodies.map((b) => ({ value: b.id, label: pick(b), county: b.county || null, kind: b.kind,
        group: b.county ? countyName(b.county) : t('reg.national') })) };
    }
    case 'person': {
      const persons = await tryAll('/persons');
      if (!persons) return null;
      return { byCounty: false, items: persons.map((p) => ({ value: p.id,
        label: pick(p, 'institution_name') ? `${p.name} — ${pick(p, 'institution_name')}` : p.name }))
        .sort((a, b) => a.label.localeCompare(b.label)) };
    }
    case 'meeting': {
      if (!readsMeetings(user) || !county) return null;
      const items = [];
      for (const b of countyBodies(bodies, county)) {
        const ms = await tryAll(`/bodies/${b.id}/meetings`);
        for (const m of ms || []) {
          if (m.status === 'cancelled') continue;
          items.push({ value: m.id, label: meetingLabel(m), group: pick(b), county, kind: m.kind || 'ordinary', body: b.kind, date: m.date });
        }
      }
      items.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
      return { byCounty: true, items };
    }
    case 'task': {
      let tasks = null;
      if (readsMeetings(user) && county) {
        tasks = [];
        for (const b of countyBodies(bodies, county)) tasks.push(...((await tryAll(`/tasks?body=${b.id}`)) || []));
      } else if (user.institution) {
        tasks = await tryAll('/tasks?mine=1');
      }
      if (!tasks) return null;
      return { byCounty: true, items: tasks.map((x) => ({ value: x.id, label: `${x.title} (${fmtDate(x.due)})`,
        group: x.body_name || t('reg.tasks'), county: x.county || null })) };
    }
    case 'entry': {
      const name = ref.slice(6);
      const [def, entries] = await Promise.all([loadRegister(name), tryAll(`/registers/${encodeURIComponent(name)}/entries`)]);
      if (!entries) return null;
      return { byCounty: true, items: entries.map((e) => ({ value: e.id, label: `${e.code} — ${entryTitle(def, e)}`, county: e.county || null })) };
    }
    default: return null;
  }
}

// The values a form starts with name references the lists may not hold (a meeting of another
// county, a person not listed): they are kept, by the name the server gave them.
function keepKnown(sources, def, values, refs) {
  const add = (f, v) => {
    if (!f.ref || f.ref === 'institution' || !Number.isInteger(v)) return;
    const src = sources.get(f.ref);
    if (!src || src.items.some((i) => i.value === v)) return;
    const name = refs?.[`${refKind(f)}:${v}`];
    src.items.unshift({ value: v, label: name ? (/^\d{4}-\d{2}-\d{2}$/.test(name) ? fmtDate(name) : name) : `#${v}` });
  };
  for (const [name, v] of Object.entries(values || {})) {
    const f = def.fields.get(name);
    if (!f || def.parentOf.has(name)) continue;
    if (f.type === 'group' && Array.isArray(v)) for (const row of v) for (const sf of f.fields || []) add(sf, row[sf.name]);
    else add(f, v);
  }
}

// Loads what the form's references are chosen from. county: the county the entry is of (or the
// user's); refs: the names the server resolved for an entry's references.
export async function formEnv(def, user, { county, values, refs } = {}) {
  const used = refsUsed(def);
  const needsBodies = [...used].some((r) => ['body', 'meeting', 'task'].includes(r));
  const [institutions, types, counties, bodies] = await Promise.all([loadInstitutions(), loadInstitutionTypes(), loadCounties(),
    needsBodies ? tryAll('/bodies') : null]);
  const sources = new Map();
  await Promise.all([...used].map(async (ref) => {
    try {
      const src = await source(ref, { user, county, bodies });
      if (src) sources.set(ref, src);
    } catch (err) {
      if (err instanceof Redirected) throw err;
      // A list that cannot be read leaves the field a number.
    }
  }));
  keepKnown(sources, def, values, refs);
  const meetingRole = def.roles?.meeting;
  return {
    institutions, types, counties, user,
    defaultCounty: county || user.county || '',
    countyField: roleField(def, 'county'),
    // A field that must name a meeting of one kind (an extraordinary one) offers only those.
    refSource: (f) => {
      const src = sources.get(f.ref);
      if (!src) return null;
      // The meeting the register's role names: of its kind (extraordinary), of its body (the KRAT).
      if (refKind(f) === 'meeting' && meetingRole?.field === f.name) {
        return { ...src, items: src.items.filter((i) => !i.date
          || ((!meetingRole.kind || i.kind === meetingRole.kind) && (!meetingRole.body || i.body === meetingRole.body))) };
      }
      // A body of the kinds the field names (a Technical Table or a municipal group).
      if (refKind(f) === 'body' && Array.isArray(f.kinds) && f.kinds.length) {
        return { ...src, items: src.items.filter((i) => !i.kind || f.kinds.includes(i.kind)) };
      }
      return src;
    },
  };
}

// The form of an entry: every field of every section (those the user may not read left out:
// `skip`), values, kept (personal fields holding a value that was not shown).
export function registerForm(def, env, opts) {
  const skip = opts.skip || new Set();
  const names = [...def.sectionOf.keys()].filter((n) => !skip.has(n));
  return caseForm({ def, env, names, ...opts });
}

