/* Harness: the JSON request bodies of every route family, through the domain's own operations
 * (the same calls the handlers of src/api/ make, with the same envelope checks), acting as a
 * demo user who may use the route, on a demo database with its cases.
 *
 * Input: byte 0 picks the operation (table `ops`), byte 1 the path parameter (an id 1..256, or
 * a demo case's code / a register and entry), the rest is the body (JSON text, parsed as
 * api_body parses it). Besides the sanitizers, each call is checked for the contract of a
 * domain operation: on failure *out is untouched, the error has a key and a message, and no
 * transaction is left open (nothing half written). A successful write is undone by restoring
 * the database, so every input starts from the same state.
 *
 * Left out: logging in and changing a password (Argon2id makes each run take a tenth of a
 * second; their bodies are two strings read with in_str, covered here by every other op). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement/agreement.h"
#include "case/case.h"
#include "core/input.h"
#include "fuzz.h"
#include "meeting/meeting.h"
#include "org/org.h"
#include "oversight/oversight.h"
#include "prevention/prevention.h"
#include "report/report.h"
#include "store/db.h"
#include "user/user.h"
#include "work/work.h"

static json_t *codes;   /* the demo cases' codes */
static json_t *entries; /* [register, code] of demo register entries */
static const char *const registers[] = {"at_risk",	   "awareness", "campaigns", "crossborder", "emergency_activations",
					"emergency_plans", "trainings", NULL};

static const char *code_of(uint8_t sel)
{
	size_t n = json_array_size(codes);
	return n ? json_string_value(json_array_get(codes, sel % n)) : "TR-2025-0001";
}

static void entry_of(uint8_t sel, const char **reg, const char **code)
{
	size_t n = json_array_size(entries);
	json_t *e = n ? json_array_get(entries, sel % n) : NULL;
	*reg = e ? json_string_value(json_array_get(e, 0)) : "at_risk";
	*code = e ? json_string_value(json_array_get(e, 1)) : "X";
}

/* The case fields of a body, as api/cases.c reads them (fields_of there). */
static int fields_of(json_t *in, const char *const *envelope, json_t **out, struct nrm_err *err)
{
	json_t *f = json_object_get(in, "fields");
	if (f) {
		int rc = in_only(in, envelope, err);
		if (!rc)
			*out = json_incref(f);
		return rc;
	}
	json_t *o = json_deep_copy(in);
	for (; *envelope; envelope++)
		json_object_del(o, *envelope);
	*out = o;
	return 0;
}

typedef int (*op_fn)(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err);

static int case_new(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	(void)sel;
	static const char *const env[] = {"fields", "institution", NULL};
	int64_t inst = 0;
	json_t *fields = NULL;
	int rc;
	if (!(rc = in_int(in, "institution", false, &inst, err)) && !(rc = fields_of(in, env, &fields, err)))
		rc = case_create(c, fields, inst, out, err);
	json_decref(fields);
	return rc;
}

static int case_edit(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const env[] = {"fields", "version", "reason", NULL};
	int64_t version;
	const char *reason;
	json_t *fields = NULL;
	int rc;
	if (!(rc = in_int(in, "version", true, &version, err)) && !(rc = in_str(in, "reason", false, 1000, &reason, err)) &&
	    !(rc = fields_of(in, env, &fields, err)))
		rc = case_update(c, code_of(sel), version, fields, reason, out, err);
	json_decref(fields);
	return rc;
}

static int case_move(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const allowed[] = {"to", "version", "fields", "reason", NULL};
	int64_t version;
	const char *to, *reason;
	int rc;
	if (!(rc = in_only(in, allowed, err)) && !(rc = in_str(in, "to", true, 64, &to, err)) &&
	    !(rc = in_int(in, "version", true, &version, err)) && !(rc = in_str(in, "reason", false, 1000, &reason, err)))
		rc = case_transition(c, code_of(sel), version, to, json_object_get(in, "fields"), reason, out, err);
	return rc;
}

static int case_send(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const allowed[] = {"institution", "reason", "fields", "service", "advance", "stage_fields", NULL};
	struct case_referral_in r = {0};
	int adv = 0, rc;
	if (!(rc = in_only(in, allowed, err)) && !(rc = in_int(in, "institution", true, &r.to, err)) &&
	    !(rc = in_str(in, "reason", true, 2000, &r.reason, err)) && !(rc = in_str(in, "service", false, 64, &r.service, err)) &&
	    !(rc = in_bool(in, "advance", &adv, err))) {
		r.fields = json_object_get(in, "fields");
		r.stage_fields = json_object_get(in, "stage_fields");
		r.advance = adv == 1;
		rc = case_refer(c, code_of(sel), &r, out, err);
	}
	return rc;
}

static int case_answer(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const allowed[] = {"note", NULL};
	const char *note = NULL;
	int rc;
	if (!(rc = in_only(in, allowed, err)) && !(rc = in_str(in, "note", false, 2000, &note, err)))
		rc = case_referral_respond(c, 1 + sel % 16, sel & 1, note, out, err);
	return rc;
}

static int case_find(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	(void)sel;
	static const char *const allowed[] = {"first_name", "last_name", "birthdate", "document", NULL};
	const char *s;
	int rc = in_only(in, allowed, err);
	for (const char *const *k = allowed; !rc && *k; k++)
		rc = in_str(in, *k, false, 200, &s, err);
	return rc ? rc : case_search(c, in, out, err);
}

static int case_read(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const allowed[] = {"purpose", "reason", NULL};
	int rc = in_only(in, allowed, err);
	return rc ? rc : case_personal_read(c, code_of(sel), in, out, err);
}

static int case_printed(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	return case_print(c, code_of(sel), in, out, err);
}

static int dup_merge(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const allowed[] = {"keep", NULL};
	const char *keep = NULL;
	int rc;
	if (!(rc = in_only(in, allowed, err)) && !(rc = in_str(in, "keep", true, 32, &keep, err)))
		rc = case_duplicate_resolve(c, 1 + sel % 8, keep, true, out, err);
	return rc;
}

static int reg_new(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	return reg_create(c, registers[sel % 7], in, out, err);
}

#define REG_OP(name, fn)                                                                                          \
	static int name(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)            \
	{                                                                                                          \
		const char *reg, *code;                                                                            \
		entry_of(sel, &reg, &code);                                                                        \
		return fn(c, reg, code, in, out, err);                                                             \
	}
REG_OP(reg_edit, reg_update)
REG_OP(reg_read, reg_personal)
REG_OP(reg_case, reg_to_case)

static int draft_save(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const forms[] = {"case", "meeting", "report", "register"};
	return draft_put(c, forms[sel % 4], (sel & 16) ? code_of(sel) : "new", in, out, err);
}

/* Operations of the shape (ctx, in) and (ctx, id, in), as api_call_in / api_call_id_in call them. */
#define IN_OP(name, fn)                                                                                           \
	static int name(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)            \
	{                                                                                                          \
		(void)sel;                                                                                         \
		return fn(c, in, out, err);                                                                        \
	}
#define ID_OP(name, fn)                                                                                           \
	static int name(struct nrm_ctx *c, uint8_t sel, json_t *in, json_t **out, struct nrm_err *err)            \
	{                                                                                                          \
		return fn(c, (int64_t)sel + 1, in, out, err);                                                      \
	}
IN_OP(agr_new, agreement_create)
ID_OP(agr_edit, agreement_update)
ID_OP(mtg_new, meeting_create)
ID_OP(mtg_edit, meeting_update)
ID_OP(mtg_cancel, meeting_cancel)
ID_OP(mtg_agenda, meeting_agenda_set)
ID_OP(mtg_attend, meeting_attendance_set)
ID_OP(mtg_decide, meeting_decide)
ID_OP(mtg_minutes, meeting_minutes_set)
ID_OP(mtg_approve, meeting_minutes_approve)
ID_OP(mtg_notice, meeting_notice)
ID_OP(mtg_letter, meeting_letter_create)
ID_OP(mtg_doc, meeting_body_document_create)
IN_OP(mtg_feed, meeting_feed_create)
ID_OP(task_move, meeting_task_move)
IN_OP(rep_new, report_create)
ID_OP(rep_write, report_write)
ID_OP(rep_submit, report_submit)
ID_OP(rep_approve, report_approve)
ID_OP(rep_answer, report_answer)
IN_OP(org_inst, org_institution_create)
IN_OP(o_body, org_body_create)
ID_OP(o_seat, org_seat_create)
ID_OP(org_nom, org_nominate)
ID_OP(org_nom_end, org_nomination_end)
ID_OP(o_person, org_person_update)
ID_OP(org_guest, org_guest_create)
ID_OP(org_guest_stop, org_guest_end)
IN_OP(usr_new, user_create)
ID_OP(usr_edit, user_update)
IN_OP(me_edit, session_set_own)
IN_OP(audit_find, oversight_search)

/* Each operation with the demo users who may use its route (byte 1's low bit picks one). */
static const struct op {
	op_fn fn;
	const char *as[2];
} ops[] = {
	{case_new, {"tirane.caseworker", "authority.secretariat"}},
	{case_edit, {"tirane.caseworker", "authority.secretariat"}},
	{case_move, {"tirane.caseworker", "authority.secretariat"}},
	{case_send, {"tirane.caseworker", "authority.secretariat"}},
	{case_answer, {"tirane.ngo", "tirane.caseworker"}},
	{case_find, {"authority.secretariat", "tirane.caseworker"}},
	{case_read, {"authority.secretariat", "tirane.caseworker"}},
	{case_printed, {"authority.secretariat", "tirane.caseworker"}},
	{dup_merge, {"authority.secretariat", "authority.chair"}},
	{reg_new, {"tirane.caseworker", "fier.secretariat"}},
	{reg_edit, {"tirane.caseworker", "fier.secretariat"}},
	{reg_read, {"tirane.caseworker", "fier.secretariat"}},
	{reg_case, {"tirane.caseworker", "fier.secretariat"}},
	{draft_save, {"tirane.caseworker", "fier.secretariat"}},
	{agr_new, {"fier.secretariat", "tirane.secretariat"}},
	{agr_edit, {"fier.secretariat", "tirane.secretariat"}},
	{mtg_new, {"fier.secretariat", "authority.secretariat"}},
	{mtg_edit, {"fier.secretariat", "authority.secretariat"}},
	{mtg_cancel, {"fier.secretariat", "authority.secretariat"}},
	{mtg_agenda, {"fier.secretariat", "authority.secretariat"}},
	{mtg_attend, {"fier.secretariat", "authority.secretariat"}},
	{mtg_decide, {"fier.secretariat", "authority.secretariat"}},
	{mtg_minutes, {"fier.secretariat", "authority.secretariat"}},
	{mtg_approve, {"fier.secretariat", "authority.secretariat"}},
	{mtg_notice, {"fier.secretariat", "authority.secretariat"}},
	{mtg_letter, {"fier.secretariat", "authority.secretariat"}},
	{mtg_doc, {"fier.secretariat", "authority.secretariat"}},
	{mtg_feed, {"fier.krat", "authority.member"}},
	{task_move, {"fier.secretariat", "tirane.caseworker"}},
	{rep_new, {"fier.secretariat", "authority.secretariat"}},
	{rep_write, {"fier.secretariat", "authority.secretariat"}},
	{rep_submit, {"fier.secretariat", "authority.secretariat"}},
	{rep_approve, {"fier.secretariat", "authority.chair"}},
	{rep_answer, {"ministry.monitor", "fier.secretariat"}},
	{org_inst, {"admin", "fier.secretariat"}},
	{o_body, {"admin", "fier.secretariat"}},
	{o_seat, {"admin", "fier.secretariat"}},
	{org_nom, {"fier.secretariat", "admin"}},
	{org_nom_end, {"fier.secretariat", "admin"}},
	{o_person, {"fier.secretariat", "admin"}},
	{org_guest, {"fier.secretariat", "admin"}},
	{org_guest_stop, {"fier.secretariat", "admin"}},
	{usr_new, {"admin", "fier.secretariat"}},
	{usr_edit, {"admin", "fier.secretariat"}},
	{me_edit, {"fier.krat", "tirane.caseworker"}},
	{audit_find, {"dpo", "admin"}},
};

static void collect(void)
{
	struct principal p;
	struct nrm_ctx c;
	struct nrm_err err = {0};
	json_t *list = NULL;
	fuzz_act("authority.secretariat", &p, &c);
	struct case_filter f = {.child = -1};
	codes = json_array();
	if (case_list(&c, &f, 0, 500, &list, &err) == 0) {
		size_t i;
		json_t *it;
		json_array_foreach(list, i, it)
			json_array_append(codes, json_object_get(it, "code"));
	}
	json_decref(list);
	entries = json_array();
	fuzz_act("fier.secretariat", &p, &c);
	for (const char *const *r = registers; *r; r++) {
		struct reg_filter rf = {.limit = 100};
		list = NULL;
		if (reg_list(&c, *r, &rf, &list, &err) != 0)
			continue;
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(list, "items") ? json_object_get(list, "items") : list, i, it)
			json_array_append_new(entries, json_pack("[s,O]", *r, json_object_get(it, "code")));
		json_decref(list);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_db_init(true);
	fuzz_quiet();
	collect();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const struct op *op = &ops[data[0] % (sizeof ops / sizeof *ops)];
	uint8_t sel = data[1];
	json_error_t je;
	json_t *in = json_loadb((const char *)data + 2, size - 2, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(in)) {
		json_decref(in);
		return 0;
	}
	struct principal p;
	struct nrm_ctx c;
	fuzz_act(op->as[(sel >> 7) & 1], &p, &c);
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = op->fn(&c, sel, in, &out, &err);
	if (rc) {
		if (out)
			abort(); /* *out written on failure */
		if (store_in_tx(c.db))
			abort(); /* a failed operation left its transaction open: half written */
	}
	json_decref(out);
	json_decref(in);
	if (rc == 0)
		fuzz_db_reset();
	return 0;
}
