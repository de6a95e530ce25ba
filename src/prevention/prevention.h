/* The registers of prevention and cooperation (Order 94 §1.6c–d, §2.1a–ç, §5): people at
 * risk, awareness campaigns and activities, training and exchanges of experience,
 * cross-border cooperation, emergency plans and their activations. Each register is data
 * (data/registers/NAME.json): its form as in case.json, and what the code needs to know of it
 * (county, dates, parent, meeting, participants, who writes, figures). One engine serves
 * them all; a register with personal fields keeps them encrypted and shows them only to the
 * institution holding the entry, with a reason, audited — as a case does.
 * Shared by the API and the command line; each change is one transaction with its audit
 * row. json_t ** out-parameters receive new references, written only on success. */
#ifndef NRM_PREVENTION_PREVENTION_H
#define NRM_PREVENTION_PREVENTION_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "core/err.h"

/* The registers the caller may read: [{"name", "label", "about", "personal", "can_create",
 * "county" ("required"|"optional"), "order"}]. */
int reg_catalogue(struct nrm_ctx *c, json_t **out, struct nrm_err *err);
/* A register's definition with its form: the catalogue entry plus "sections", "roles",
 * "list", "figures", "to_case"?. */
int reg_definition(struct nrm_ctx *c, const char *reg, json_t **out, struct nrm_err *err);

/* Which entries to list: county slug (NULL: what the caller sees), period (NULL: any), the
 * code of a parent entry (NULL: any), keyset after id, limit (0: all). */
struct reg_filter {
	const char *county, *period, *parent;
	int64_t after;
	int limit;
};
/* Entries the caller may read, non-personal fields only. */
int reg_list(struct nrm_ctx *c, const char *reg, const struct reg_filter *f, json_t **out, struct nrm_err *err);
/* {"fields": {...}}: a new entry → {"id", "code"}. */
int reg_create(struct nrm_ctx *c, const char *reg, json_t *in, json_t **out, struct nrm_err *err);
/* One entry: its non-personal fields, "personal_fields" (the names it holds), "can_edit",
 * "can_read_personal", "history", "children" (entries that name it as parent), the case it
 * became (for whoever may see it), references resolved to names ("refs"). */
int reg_get(struct nrm_ctx *c, const char *reg, const char *code, json_t **out, struct nrm_err *err);
/* {"version", "fields": {changed fields; null clears}, "reason"?} → the entry. */
int reg_update(struct nrm_ctx *c, const char *reg, const char *code, json_t *in, json_t **out, struct nrm_err *err);
/* {"reason"}: the personal fields, for the holding institution; audited. */
int reg_personal(struct nrm_ctx *c, const char *reg, const char *code, json_t *in, json_t **out, struct nrm_err *err);
/* {"fields": {case fields}, "reason"}: an entry of a register with "to_case" becomes a case
 * (POST /cases semantics) taking the mapped fields from the entry, in one transaction; the
 * entry keeps its history and links to the case → {"code": case code, "entry": entry code}. */
int reg_to_case(struct nrm_ctx *c, const char *reg, const char *code, json_t *in, json_t **out, struct nrm_err *err);

/* The figures of every register for one county (slug; NULL: the caller's county, or the
 * whole country for national roles) and period — what the KRAT's periodic reports show:
 * {"period", "first", "last", "county", "k", "registers": [{"register", "label", "figures":
 * [{"id", "label", "value" (n | "c"), "rows"?: [{"code", "label", "value"}]}]}], "symbol",
 * "legend"}. Counts about people at risk are hidden from 1 to k−1 (and a second cell of a
 * breakdown with one hidden) for whoever does not read the entries themselves, or for the
 * `audience` asked ("government", "public"; NULL: the caller's own) — then only for quarters,
 * halves and years that have ended, as every figure that leaves the Authority. */
int reg_figures(struct nrm_ctx *c, const char *county, const char *period, const char *audience, json_t **out,
		struct nrm_err *err);

/* A person's training history: [{"code", "title", "kind", "topics", "start", "end", "hours",
 * "organiser", "certificate"}]. */
int reg_person_trainings(struct nrm_ctx *c, int64_t person, json_t **out, struct nrm_err *err);
/* The members of a body and their training: {"body", "members": [{"seat", "person", "name",
 * "trainings", "hours", "last"}], "never_trained": [...same...]}. */
int reg_body_training(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err);
/* What a participant's certificate says: {"number", "name", "institution", "title", "kind",
 * "topics", "organiser", "start", "end", "hours", "place", "county"}; `participant` is the
 * participant's position in the training (0-based). */
int reg_certificate(struct nrm_ctx *c, const char *code, int64_t participant, json_t **out, struct nrm_err *err);

/* A register's entries (as reg_list filters them) as a file: format "csv" (UTF-8 with BOM)
 * or "xlsx" (a sheet of entries and one per repeating group); non-personal fields only,
 * codes and references as their labels in `lang`. *name is malloc'd (a file name). */
int reg_export(struct nrm_ctx *c, const char *reg, const struct reg_filter *f, const char *format, const char *lang,
	       struct buf *out, char **name, struct nrm_err *err);

#endif
