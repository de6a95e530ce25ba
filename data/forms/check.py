#!/usr/bin/env python3
"""Check the case form, the workflow and the code lists under data/.

Usage: python3 data/forms/check.py [DATA_DIR]     (default: the data/ folder this file is in)
Exit 0 when everything is consistent, 1 otherwise (each problem printed on stderr).
Python 3 standard library only.
"""
import json
import os
import re
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMS = os.path.join(DATA, "forms")
CODES = os.path.join(DATA, "codes")

TYPES = {"text", "textarea", "date", "integer", "boolean", "code", "codes", "group"}
FIELD_KEYS = {"name", "type", "label", "help", "codelist", "ref", "personal", "required",
              "required_when", "max", "min", "fields", "stage", "binding", "identifying", "list"}
REFS = {"institution", "meeting"}
SERVER_LISTS = {"counties", "municipalities"}       # filled by the server from the organisation registry
ROLES = {"authority_chair", "authority_member", "authority_secretariat", "caseworker", "county_secretariat"}
AUTHORITY_ROLES = {"authority_chair", "authority_member", "authority_secretariat"}
STAGE_KEYS = {"code", "label", "next", "requires", "roles", "requires_if", "date"}
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]*$")

# What the C code needs a field for (its "binding", src/core/form.c):
# binding -> (type, personal or None for "either", codelist or None)
BINDINGS = {
    "status": ("code", False, "trafficking_status"),
    "sex": ("code", False, "genders"),
    "birth_date": ("date", True, None),
    "estimated_age": ("integer", False, None),
    "is_child": ("boolean", False, None),
    "citizenship": ("codes", False, "countries"),
    "county": ("code", False, "counties"),
    "municipality": ("code", False, "municipalities"),
    "residence_county": ("code", False, "counties"),
    "residence_municipality": ("code", False, "municipalities"),
    "identifying_institution": ("integer", False, None),
    "identification_date": ("date", False, None),
    "identification_method": ("code", False, "identification_method"),
    "indicators_a": ("codes", False, "indicators_a"),
    "indicators_b": ("codes", False, "indicators_b"),
    "indicators_c": ("codes", False, "indicators_c"),
    "exploitation": ("codes", False, "exploitation"),
    "first_name": ("text", True, None),
    "last_name": ("text", True, None),
    "identity_number": ("text", True, None),
    "documents": ("group", True, None),
    "document_number": ("text", True, None),
    "decision": ("code", False, "decision"),
    "decision_date": ("date", False, None),
    "decision_meeting": ("integer", False, None),
}
TRAFFICKING_STATUS = {"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"}

errors = []


def err(where, msg):
    errors.append("%s: %s" % (where, msg))


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        err(os.path.relpath(path, DATA), "does not parse: %s" % e)
        return None


def check_label(where, lab, key="label"):
    if not isinstance(lab, dict):
        err(where, "%s missing or not an object" % key)
        return
    for lang in ("sq", "en"):
        v = lab.get(lang)
        if not isinstance(v, str) or not v.strip():
            err(where, "%s.%s missing or empty" % (key, lang))
    extra = set(lab) - {"sq", "en"}
    if extra:
        err(where, "%s has unexpected languages %s" % (key, sorted(extra)))


# ---------------------------------------------------------------- code lists
lists = {}
for fn in sorted(os.listdir(CODES)):
    if not fn.endswith(".json"):
        continue
    where = "codes/" + fn
    d = load(os.path.join(CODES, fn))
    if d is None:
        continue
    name = fn[:-5]
    if d.get("name") != name:
        err(where, "name %r differs from the file name" % d.get("name"))
    if name in SERVER_LISTS:
        err(where, "%s is filled by the server and must not be defined here" % name)
    extra = set(d) - {"name", "label", "items"}
    if extra:
        err(where, "unexpected keys %s" % sorted(extra))
    check_label(where, d.get("label"))
    items = d.get("items")
    if not isinstance(items, list) or not items:
        err(where, "items missing or empty")
        continue
    codes = {}
    for i, it in enumerate(items):
        w = "%s item %d" % (where, i)
        if not isinstance(it, dict):
            err(w, "not an object")
            continue
        c = it.get("code")
        if not isinstance(c, str) or not CODE_RE.match(c):
            err(w, "bad code %r" % c)
            continue
        w = "%s %s" % (where, c)
        if c in codes:
            err(w, "duplicate code")
        codes[c] = it
        check_label(w, it.get("label"))
        extra = set(it) - {"code", "label", "parent"}
        if extra:
            err(w, "unexpected keys %s" % sorted(extra))
    for c, it in codes.items():
        p = it.get("parent")
        if p is None:
            continue
        if p not in codes:
            err("%s %s" % (where, c), "parent %r is not a code of this list" % p)
        elif codes[p].get("parent") is not None:
            err("%s %s" % (where, c), "parent %r is itself a sub-type (one level only)" % p)
    lists[name] = set(codes)

if len(lists.get("countries", ())) < 249:
    err("codes/countries.json", "has %d codes, expected all ISO 3166-1 (>= 249)" % len(lists.get("countries", ())))
if len(lists.get("languages", ())) < 40:
    err("codes/languages.json", "has %d codes, expected >= 40" % len(lists.get("languages", ())))
if lists.get("trafficking_status") != TRAFFICKING_STATUS:
    err("codes/trafficking_status.json", "codes must be exactly %s" % sorted(TRAFFICKING_STATUS))
if lists.get("decision") is not None and lists["decision"] != {"identified_victim", "not_identified", "postponed"}:
    err("codes/decision.json", "codes must be identified_victim, not_identified, postponed")

# ---------------------------------------------------------------- workflow (stage codes needed by the form check)
wf = load(os.path.join(FORMS, "workflow.json")) or {}
stage_codes = [s.get("code") for s in wf.get("stages", []) if isinstance(s, dict)]

# ---------------------------------------------------------------- case form
form = load(os.path.join(FORMS, "case.json")) or {}
if form.get("form") != "case":
    err("case.json", 'form must be "case"')
if not isinstance(form.get("version"), int):
    err("case.json", "version must be an integer")
extra = set(form) - {"form", "version", "sections"}
if extra:
    err("case.json", "unexpected keys %s" % sorted(extra))

all_fields = {}      # name -> field (top-level and sub-fields)
top_fields = {}      # name -> field (top-level only)
checks_later = []    # (where, field, siblings)


def walk(fields, where, parent=None):
    if not isinstance(fields, list) or not fields:
        err(where, "fields missing or empty")
        return
    siblings = {}
    for f in fields:
        if not isinstance(f, dict):
            err(where, "field is not an object")
            continue
        n = f.get("name")
        if not isinstance(n, str) or not NAME_RE.match(n):
            err(where, "bad field name %r" % n)
            continue
        w = "case.json field %s" % n
        if n in all_fields:
            err(w, "duplicate field name")
        all_fields[n] = f
        siblings[n] = f
        if parent is None:
            top_fields[n] = f
        extra = set(f) - FIELD_KEYS
        if extra:
            err(w, "unexpected keys %s" % sorted(extra))
        t = f.get("type")
        if t not in TYPES:
            err(w, "bad type %r" % t)
        check_label(w, f.get("label"))
        if "help" in f:
            check_label(w, f["help"], "help")
        if not isinstance(f.get("personal"), bool):
            err(w, "personal must be true or false")
        if parent is not None and parent.get("personal") and not f.get("personal"):
            err(w, "sub-field of a personal group must be personal too")
        if "required" in f and f["required"] is not True:
            err(w, "required, when present, must be true")
        if t in ("code", "codes"):
            cl = f.get("codelist")
            if not isinstance(cl, str):
                err(w, "code/codes field needs a codelist")
            elif cl not in lists and cl not in SERVER_LISTS:
                err(w, "codelist %r has no file codes/%s.json" % (cl, cl))
        elif "codelist" in f:
            err(w, "codelist only allowed on code/codes fields")
        if "ref" in f:
            if t != "integer":
                err(w, "ref only allowed on integer fields")
            if f["ref"] not in REFS:
                err(w, "ref %r is not one of %s" % (f["ref"], sorted(REFS)))
        for k in ("min", "max"):
            if k in f:
                if not isinstance(f[k], int) or isinstance(f[k], bool):
                    err(w, "%s must be an integer" % k)
                if t not in ("text", "textarea", "integer"):
                    err(w, "%s only for text, textarea, integer" % k)
        if "min" in f and t != "integer":
            err(w, "min only for integer")
        if isinstance(f.get("min"), int) and isinstance(f.get("max"), int) and f["min"] > f["max"]:
            err(w, "min > max")
        if "stage" in f and f["stage"] not in stage_codes:
            err(w, "stage %r is not a workflow stage" % f["stage"])
        if t == "group":
            if parent is not None:
                err(w, "groups cannot be nested")
            walk(f.get("fields"), w, f)
        elif "fields" in f:
            err(w, "fields only allowed on group")
        if "required_when" in f:
            checks_later.append((w, f, siblings))


sections = form.get("sections")
if not isinstance(sections, list) or not sections:
    err("case.json", "sections missing or empty")
    sections = []
section_ids = set()
for s in sections:
    sid = s.get("id") if isinstance(s, dict) else None
    if not isinstance(sid, str) or not NAME_RE.match(sid):
        err("case.json", "bad section id %r" % sid)
        continue
    if sid in section_ids:
        err("case.json section " + sid, "duplicate section id")
    section_ids.add(sid)
    extra = set(s) - {"id", "label", "fields"}
    if extra:
        err("case.json section " + sid, "unexpected keys %s" % sorted(extra))
    check_label("case.json section " + sid, s.get("label"))
    walk(s.get("fields"), "case.json section " + sid)

for w, f, siblings in checks_later:
    rw = f["required_when"]
    if not isinstance(rw, dict) or set(rw) - {"field", "equals", "empty", "includes"}:
        err(w, "bad required_when %r" % rw)
        continue
    ops = [k for k in ("equals", "empty", "includes") if k in rw]
    if len(ops) != 1:
        err(w, "required_when needs exactly one of equals, empty, includes")
        continue
    target = siblings.get(rw.get("field")) or top_fields.get(rw.get("field"))
    if target is None:
        err(w, "required_when refers to unknown field %r" % rw.get("field"))
        continue
    op, val = ops[0], rw[ops[0]]
    tt = target.get("type")
    if op == "empty" and val is not True:
        err(w, "required_when.empty must be true")
    if op == "equals":
        if tt == "boolean" and not isinstance(val, bool):
            err(w, "equals on a boolean field needs true/false")
        if tt == "code" and val not in lists.get(target.get("codelist"), {val}):
            err(w, "equals %r is not a code of %s" % (val, target.get("codelist")))
        if tt in ("codes", "group"):
            err(w, "use includes (not equals) on a %s field" % tt)
    if op == "includes":
        if tt != "codes":
            err(w, "includes only on a codes field")
        elif val not in lists.get(target.get("codelist"), {val}):
            err(w, "includes %r is not a code of %s" % (val, target.get("codelist")))

bound = {}
for n, f in all_fields.items():
    b = f.get("binding")
    if b is None:
        continue
    if b not in BINDINGS:
        err("case.json field " + n, "unknown binding %r" % b)
    elif b in bound:
        err("case.json field " + n, "binding %r is also on %s" % (b, bound[b]))
    bound[b] = n
for b, (t, personal, cl) in BINDINGS.items():
    n = bound.get(b)
    if n is None:
        err("case.json", "no field is bound to %s" % b)
        continue
    f = all_fields[n]
    if f.get("type") != t:
        err("case.json field " + n, "bound to %s, must have type %s" % (b, t))
    if personal is not None and bool(f.get("personal")) is not personal:
        err("case.json field " + n, "bound to %s, must have personal %s" % (b, str(personal).lower()))
    if cl and f.get("codelist") != cl:
        err("case.json field " + n, "bound to %s, must use codelist %s" % (b, cl))
age, birth = all_fields.get(bound.get("estimated_age"), {}), bound.get("birth_date")
if age.get("required_when") != {"field": birth, "empty": True}:
    err("case.json field %s" % bound.get("estimated_age"), "must be required_when %s empty" % birth)
if all_fields.get(bound.get("identifying_institution"), {}).get("ref") != "institution":
    err("case.json field %s" % bound.get("identifying_institution"), 'must have ref "institution"')
for b in ("first_name", "last_name", "identification_date"):
    if all_fields.get(bound.get(b), {}).get("required") is not True:
        err("case.json field %s" % bound.get(b), "must be required")
if bound.get("document_number") not in {x.get("name") for x in all_fields.get(bound.get("documents"), {}).get("fields", [])}:
    err("case.json field %s" % bound.get("documents"), "must contain the field bound to document_number")

# ---------------------------------------------------------------- workflow
if wf.get("workflow") != "case":
    err("workflow.json", 'workflow must be "case"')
if not isinstance(wf.get("version"), int):
    err("workflow.json", "version must be an integer")
extra = set(wf) - {"workflow", "version", "initial", "final", "reopen", "decision", "stages"}
if extra:
    err("workflow.json", "unexpected keys %s" % sorted(extra))
for k in ("initial", "final", "reopen"):
    if wf.get(k) not in stage_codes:
        err("workflow.json", "%s %r is not a stage" % (k, wf.get(k)))
dec = wf.get("decision") or {}
if dec.get("stage") not in stage_codes:
    err("workflow.json", "decision.stage %r is not a stage" % dec.get("stage"))
if dec.get("undecided") not in lists.get("trafficking_status", ()):
    err("workflow.json", "decision.undecided must be a trafficking_status code")
for k, v in (dec.get("outcomes") or {}).items():
    if k not in lists.get("decision", ()) or v not in lists.get("trafficking_status", ()):
        err("workflow.json", "decision.outcomes maps %r to %r: a decision code to a status code" % (k, v))
if len(set(stage_codes)) != len(stage_codes):
    err("workflow.json", "duplicate stage codes")
for s in wf.get("stages", []):
    w = "workflow.json stage %s" % s.get("code")
    extra = set(s) - STAGE_KEYS
    if extra:
        err(w, "unexpected keys %s" % sorted(extra))
    missing = STAGE_KEYS - set(s) - {"requires_if", "date"}
    if "date" in s and (s["date"] not in top_fields or top_fields[s["date"]].get("type") != "date"
                        or top_fields[s["date"]].get("personal")):
        err(w, "date %r must be a non-personal top-level date field of case.json" % s["date"])
    if missing:
        err(w, "missing keys %s" % sorted(missing))
    check_label(w, s.get("label"))
    for nx in s.get("next", []):
        if nx not in stage_codes:
            err(w, "next %r is not a stage" % nx)
        if nx == s.get("code"):
            err(w, "a stage cannot be its own next")
    lists_of_fields = [("requires", s.get("requires", []))]
    lists_of_fields += [("requires_if." + c, v) for c, v in (s.get("requires_if") or {}).items()]
    for k, names in lists_of_fields:
        for fn in names:
            if fn not in top_fields:
                err(w, "%s names %r, not a top-level field of case.json" % (k, fn))
    roles = s.get("roles", [])
    if not roles:
        err(w, "no roles")
    for r in roles:
        if r not in ROLES:
            err(w, "unknown role %r" % r)
    if s.get("code") == dec.get("stage") and not set(roles) <= AUTHORITY_ROLES:
        err(w, "only the Authority's roles may perform formal identification")

# every stage reachable from the initial one
seen, todo = set(), [wf.get("initial")]
nexts = {s.get("code"): s.get("next", []) for s in wf.get("stages", [])}
while todo:
    c = todo.pop()
    if c in seen or c not in nexts:
        continue
    seen.add(c)
    todo.extend(nexts[c])
for c in stage_codes:
    if c not in seen:
        err("workflow.json stage %s" % c, "not reachable from the initial stage")

# ---------------------------------------------------------------- registers (data/registers/)
REGISTERS = os.path.join(DATA, "registers")
REG_KEYS = {"register", "order", "prefix", "label", "about", "personal", "write", "county", "one_per_county",
            "review", "to_case", "protect", "roles", "list", "figures", "sections"}
REG_REFS = {"institution", "meeting", "body", "person", "task"}
REG_WRITERS = {"caseworker", "county_secretariat", "ministry_monitor"}
FIGURE_KEYS = {"id", "label", "where", "by", "sum", "rows", "distinct", "dated"}
reg_names = {fn[:-5] for fn in os.listdir(REGISTERS) if fn.endswith(".json")} if os.path.isdir(REGISTERS) else set()


def check_register(fn):
    where = "registers/" + fn
    d = load(os.path.join(REGISTERS, fn))
    if d is None:
        return
    if d.get("register") != fn[:-5]:
        err(where, "register %r differs from the file name" % d.get("register"))
    extra = set(d) - REG_KEYS
    if extra:
        err(where, "unexpected keys %s" % sorted(extra))
    check_label(where, d.get("label"))
    check_label(where, d.get("about"), "about")
    if not isinstance(d.get("prefix"), str) or not re.match(r"^[A-Z]{2,4}$", d.get("prefix", "")):
        err(where, "prefix must be 2 to 4 capital letters")
    if d.get("county") not in ("required", "optional"):
        err(where, "county must be required or optional")
    for r in d.get("write", []):
        if r not in REG_WRITERS:
            err(where, "write: unknown role %r" % r)
    fields, top = {}, {}
    for sec in d.get("sections", []):
        check_label("%s section %s" % (where, sec.get("id")), sec.get("label"))
        for f in sec.get("fields", []):
            for sub in [f] + list(f.get("fields", [])):
                n, w = sub.get("name"), "%s field %s" % (where, sub.get("name"))
                if not isinstance(n, str) or not NAME_RE.match(n):
                    err(where, "bad field name %r" % n)
                    continue
                if n in fields:
                    err(w, "duplicate field name (sub-fields included)")
                fields[n] = sub
                if sub is f:
                    top[n] = f
                if sub.get("type") not in TYPES:
                    err(w, "bad type %r" % sub.get("type"))
                if "binding" in sub:
                    err(w, "registers have roles, not bindings")
                check_label(w, sub.get("label"))
                if "help" in sub:
                    check_label(w, sub["help"], "help")
                cl = sub.get("codelist")
                if sub.get("type") in ("code", "codes") and cl not in lists and cl not in SERVER_LISTS:
                    err(w, "codelist %r has no file codes/%s.json" % (cl, cl))
                if "kinds" in sub and sub.get("ref") != "body":
                    err(w, "kinds only for a body reference")
                ref = sub.get("ref")
                if ref is not None and not (ref in REG_REFS or (ref.startswith("entry:") and ref[6:] in reg_names)):
                    err(w, "ref %r is not one of %s or entry:REGISTER" % (ref, sorted(REG_REFS)))
    roles = d.get("roles", {})
    if "first" not in roles:
        err(where, "roles.first must name the date field an entry begins on")
    for k, v in roles.items():
        name = v.get("field") if isinstance(v, dict) else v
        if k == "stock":
            continue
        if name not in top:
            err(where, "roles.%s names %r, which is not a top-level field" % (k, name))
    for n in d.get("list", []):
        if n not in top:
            err(where, "list names %r, which is not a top-level field" % n)
    for fig in d.get("figures", []):
        w = "%s figure %s" % (where, fig.get("id"))
        check_label(w, fig.get("label"))
        extra = set(fig) - FIGURE_KEYS
        if extra:
            err(w, "unexpected keys %s" % sorted(extra))
        for k in ("by", "sum", "rows", "distinct", "dated"):
            path = fig.get(k)
            if path is None:
                continue
            parts = path.split(".")
            if parts[0] not in top or (len(parts) > 1 and parts[1] not in fields):
                err(w, "%s names %r, which is not a field (or group.sub-field)" % (k, path))
        where_ = fig.get("where")
        if where_ is not None and where_.get("field") not in top:
            err(w, "where names %r, which is not a field" % where_.get("field"))
    if d.get("personal") and not any(f.get("personal") for f in fields.values()):
        err(where, "personal register without personal fields")


for fn in sorted(reg_names):
    check_register(fn + ".json")

# ---------------------------------------------------------------- types of report (data/reports/)
REPORTS = os.path.join(DATA, "reports")
SECTION_KINDS = {"text", "case_figures", "register_figures", "meetings", "tasks", "seats", "agreements",
                 "meeting_cases", "krat_performance"}
for fn in sorted(os.listdir(REPORTS)) if os.path.isdir(REPORTS) else []:
    if not fn.endswith(".json"):
        continue
    where = "reports/" + fn
    d = load(os.path.join(REPORTS, fn))
    if d is None:
        continue
    if d.get("type") != fn[:-5]:
        err(where, "type %r differs from the file name" % d.get("type"))
    check_label(where, d.get("label"))
    if d.get("issuer") not in ("technical_table", "krat", "authority", "ministry"):
        err(where, "issuer must be technical_table, krat, authority or ministry")
    if d.get("scope") not in ("county", "national"):
        err(where, "scope must be county or national")
    if d.get("period") not in ("meeting", "month", "quarter", "half", "year"):
        err(where, "period must be meeting, month, quarter, half or year")
    if d.get("audience") not in ("authority", "government", "public"):
        err(where, "audience must be authority, government or public")
    if not isinstance(d.get("due_days"), int) or d["due_days"] < 0:
        err(where, "due_days must be a whole number of days")
    ids = set()
    for sec in d.get("sections", []):
        w = "%s section %s" % (where, sec.get("id"))
        if sec.get("id") in ids:
            err(w, "duplicate section id")
        ids.add(sec.get("id"))
        check_label(w, sec.get("label"))
        if sec.get("kind") not in SECTION_KINDS:
            err(w, "unknown kind %r" % sec.get("kind"))

# ---------------------------------------------------------------- report
if errors:
    for e in errors:
        print(e, file=sys.stderr)
    print("check: %d problem(s)" % len(errors), file=sys.stderr)
    sys.exit(1)
n_sub = len(all_fields) - len(top_fields)
print("check: ok — %d sections, %d fields (+%d sub-fields), %d personal; %d stages; %d code lists, %d codes"
      % (len(section_ids), len(top_fields), n_sub, sum(1 for f in all_fields.values() if f.get("personal")),
         len(stage_codes), len(lists), sum(len(v) for v in lists.values())))
