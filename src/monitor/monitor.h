/* The Ministry of Interior's monitoring of the KRATs (Order 94/2025 §3.2–3.3): the KRAT
 * scorecard — per county and nationally, for a period — and the national lists the Ministry
 * works from. The indicators are data (data/monitor/scorecard.json: id, group, unit, sq/en
 * labels and definitions), so the API, the UI, the files and the Ministry's annual report
 * (src/report/draft.c) show the same list with the same labels. Figures are about bodies, never
 * about cases: no victim's data is read.
 *
 * Who reads it: the Ministry's monitor and the Responsible Authority (members, chair,
 * secretariat) every county and the national row; a county's secretariat, KRAT and Technical
 * Table members their own county's row only (403 scorecard_own_county for another); every
 * other role 403 scorecard_role. Read-only; json_t ** out-parameters receive new references,
 * written only on success. */
#ifndef NRM_MONITOR_MONITOR_H
#define NRM_MONITOR_MONITOR_H

#include <jansson.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "core/err.h"

/* The scorecard for `period` (core/period.h: "2025", "2025H1", "2025Q3", "2025-09", a range of
 * days; NULL or "": this year) and `county` (a slug; NULL or "": every county the caller reads):
 * {"period", "first", "last", "as_of" (the day seats and agreements are counted: the period's
 * last, or today while it runs), "county" (slug or null), "groups": [{"id", "label"}],
 * "indicators": [{"id", "group", "unit", "label", "about", "of"?, "ratio"?}],
 * "rows": [{"county", "name", "name_en", "values": {ID: number | null}}] (one per county, in the
 * registry's order), "national": {"values"} | null (national roles without a county asked),
 * "by_institution_type": {"columns": [{"id", "label"}], "rows": [{"type", "label", "values"}]}}
 * — seats, nominations and attendance by the institution type of the seat, over the rows shown. */
int monitor_scorecard(struct nrm_ctx *c, const char *period, const char *county, json_t **out, struct nrm_err *err);

/* The scorecard as a file: "xlsx" (a sheet of counties × indicators with the national row, one
 * by institution type, one of the definitions; numbers as numbers), "pdf" (A4: a table per group
 * of indicators, meeting compliance drawn as bars, the definitions) or "csv" (the first sheet),
 * in lang ("sq" | "en"). *name is malloc'd (a file name). */
int monitor_scorecard_file(struct nrm_ctx *c, const char *period, const char *county, const char *format,
			   const char *lang, struct buf *out, char **name, struct nrm_err *err);

/* Every seat of the county bodies vacant past its nomination deadline today (county slug or
 * NULL: those the caller reads), grouped by the institution type that must nominate, most
 * overdue first: {"groups": [{"type", "label", "seats": N, "items": [{"seat", "label",
 * "label_en", "body", "body_kind", "body_name_sq", "body_name_en", "county", "institution",
 * "institution_name", "institution_name_en", "institution_type", "deadline", "days_overdue"}]}],
 * "total"}. A vacant seat names nobody. */
int monitor_seats_overdue(struct nrm_ctx *c, const char *county, json_t **out, struct nrm_err *err);

/* The counties (those the caller reads) with no agreement in force today with a prosecution
 * office: [{"county", "name", "name_en", "agreements_in_force" (with others), "last_until"
 * (the day the last one with a prosecution office ended, or null)}]. */
int monitor_agreements_missing(struct nrm_ctx *c, json_t **out, struct nrm_err *err);

/* A {sq, en} label's text in lang ("" when absent; borrowed). */
const char *monitor_text(json_t *label, const char *lang);

#endif
