/* The queues of a user's working day (work/work.h), each a short list with the number of all
 * it holds: every row carries "total" (the same in each row; no row: none). Read-only.
 * json_t ** outputs are new references, written only on success. */
#ifndef NRM_STORE_WORK_H
#define NRM_STORE_WORK_H

#include "store/db.h"

/* Referrals waiting for an answer, oldest first: to (dir 'i') or from ('o') an institution.
 * {id, code, is_child_bool, service, from_name, to_name, created_at, total}. */
int store_work_referrals(struct store *s, char dir, int64_t institution, int limit, json_t **out);
/* How far a queue's total is counted: a longer queue's `total` is this plus one, read as "more
 * than this" — a count of every case awaiting a decision would read them all. */
#define STORE_WORK_COUNT_MAX 1000

/* Open cases an institution holds (in one of the open `stages`, an array of the form's stage
 * codes but the final one; not merged), the longest untouched first: {code, stage,
 * is_child_bool, updated_at, total (at most STORE_WORK_COUNT_MAX + 1)}. */
int store_work_cases_held(struct store *s, int64_t institution, json_t *stages, int limit, json_t **out);
/* Open cases still of status `undecided` (awaiting the Authority's formal decision), the
 * earliest identified first: {code, stage, is_child_bool, identified_on, county, total (at most
 * STORE_WORK_COUNT_MAX + 1)}. */
int store_work_undecided(struct store *s, const char *undecided, json_t *stages, int limit, json_t **out);
/* Open likely duplicates, oldest first: {id, code_a, code_b, created_at, total (at most
 * STORE_WORK_COUNT_MAX + 1)}. */
int store_work_duplicates(struct store *s, int limit, json_t **out);
/* Reports not yet delivered (county 0: every county and the national ones; -1: national only)
 * and delivered ones not yet answered: {id, type, county, county_id, period, due, status,
 * delivered_at, body_id, body_kind}, by due day. */
int store_work_reports(struct store *s, int64_t county, json_t **out);
/* A county's agreements whose validity ends before `until` ("YYYY-MM-DD"), with no later one
 * of the same counterpart: {id, title, counterpart, valid_until, total}, soonest first. */
int store_work_agreements_ending(struct store *s, int64_t county, const char *until, int limit, json_t **out);
/* Accounts with at least `min` failed logins since `since` (seconds since the epoch): the ones
 * a browser they do not know must wait for (user/login.c). {id, username, last_failure,
 * failures, total}, latest first. */
int store_work_locked(struct store *s, int64_t since, int64_t min, int limit, json_t **out);
/* The next meeting (on or after `today`, not cancelled) of the bodies of the given kinds in
 * a county (0: the national ones): {id, body, body_name, body_name_en, date, time}. */
int store_work_next_meeting(struct store *s, json_t *kinds, int64_t county, const char *today, json_t **out);

#endif
