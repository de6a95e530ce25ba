/* A user's working day: the home page of each role with its queues (data/work/home.json),
 * and the sweep that turns the passing of time into notifications (tasks past their due day,
 * nomination deadlines drawing near). json_t ** outputs are new references, written only on
 * success. */
#ifndef NRM_WORK_WORK_H
#define NRM_WORK_WORK_H

#include <jansson.h>
#include <stdbool.h>

#include "core/ctx.h"
#include "core/err.h"

/* {"role", "queues": [{"key", "count", "href", "items"?: [{"title", "title_en"?, "href", "date",
 * "days" (today − date: negative in the future), "flag" ("urgent" | "overdue" | null), "note"
 * (a code) | null, "sub" (a name) | null}]}], "next_meeting": {...} | null}. Without items
 * when counts_only. Queues hold no personal data: cases appear by their code. */
int work_home(struct nrm_ctx *c, bool counts_only, json_t **out, struct nrm_err *err);

/* Notifies what time has brought (once each: notify/notify.h dedup): open tasks past their due
 * day (task_overdue), vacant seats whose nomination deadline is within the warning days or
 * past (nomination_due). One transaction; *count: notifications written. */
int work_sweep(struct nrm_ctx *c, int *count, struct nrm_err *err);

/* Runs work_sweep at start and then every `every` seconds in a thread of `nrm serve`, on its
 * own connection to db_path (returning once the first pass is done, so what was due when the
 * server started has been told before it says it listens), and writes a signed anchor of the audit trail (secure/audit.h)
 * into db_path's FILE.backups/ daily (`nrm serve` writes one at start); base supplies keys, labels and mail_from
 * (borrowed: they must outlive the thread). 0 or NRM_EIO. */
int work_sweeper_start(const char *db_path, const struct nrm_ctx *base, int every);
void work_sweeper_stop(void);

#endif
