/* bench/gen: a deterministic, seeded generator of cases for the measurements of issue 15
 * (bench/README.md, "Generator"). What the parts of the generator share. */
#ifndef NRM_BENCH_GEN_H
#define NRM_BENCH_GEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A stream of pseudo-random numbers (splitmix64): the same seed gives the same numbers on
 * every machine, which is what makes a generated database reproducible. */
struct gen_rng {
	uint64_t s;
};
/* The stream of one thing (a case, a pair, a meeting): the run's seed, a kind and a number,
 * so that what case i holds does not depend on how many numbers other cases drew. */
struct gen_rng gen_rng_of(uint64_t seed, uint64_t kind, uint64_t n);
uint64_t gen_next(struct gen_rng *r);
/* A whole number in [0, n). */
uint32_t gen_below(struct gen_rng *r, uint32_t n);
/* True with probability p. */
bool gen_chance(struct gen_rng *r, double p);
/* An index into weights[0..n) drawn in proportion to them. */
size_t gen_pick(struct gen_rng *r, const unsigned *weights, size_t n);

/* An Authority meeting a decision can name. */
struct gen_meeting {
	int32_t day;
	int64_t id;
};

/* What the generator looks up once in the database (ids of a fresh `nrm init` are the same
 * in every database made from the same data/). */
#define GEN_COUNTIES 12
struct gen_county {
	const char *slug;
	unsigned weight;    /* population, thousands (census 2023) */
	int64_t id;
	json_t *munis;      /* municipality slugs, ids */
	int64_t police, border, social, labour, school, hospital;
	int64_t munis_social[8]; /* the municipalities' social services, in the order of munis */
};
struct gen_world {
	uint64_t seed;
	int64_t n;             /* cases in the run */
	int32_t first, last;   /* the window of identification days */
	struct gen_county county[GEN_COUNTIES];
	int64_t ngo, kksat, reception, child_agency, consular, police_trafficking, police_minors, police_border;
	struct gen_meeting *meetings; /* the Authority's, by day; none in --csv */
	size_t nmeetings;
};

/* Fills w's ids from s (the counties and institutions of the registry). */
int gen_world_load(struct store *s, struct gen_world *w);
void gen_world_free(struct gen_world *w);

/* One generated case: its fields as a new case holds them, the stage it reached, and what
 * happens to it after it is registered. */
struct gen_case {
	json_t *fields; /* new reference */
	const char *stage;
	int64_t holder;       /* the identifying institution: creator and first holder */
	int32_t ident;        /* the identification day */
	/* A referral of the case to refer_to on refer_day, answered ('a'ccepted, 'd'eclined, or
	 * 'p'ending) on answer_day; refer_to 0: none. */
	int64_t refer_to;
	int32_t refer_day, answer_day;
	char answer;
	int64_t dup_of;       /* the index of the case it is the same person as, or -1 */
};

/* Case i (0-based) of the run. */
int gen_case_make(const struct gen_world *w, int64_t i, struct gen_case *out);
/* The person case i is (the index whose person it was made from: its own, or dup_of's), as
 * gen_case_make would make it: two cases are the same person when these are equal. */
int64_t gen_case_person(const struct gen_world *w, int64_t i);
void gen_case_free(struct gen_case *c);

/* The bodies' work that goes with the run's cases (bench/gen_work.c): meetings, tasks,
 * reports; the counts made into the out-parameters. */
struct cli_cases;
struct nrm_err;
int gen_work(struct cli_cases *cc, const struct gen_world *w, int64_t *meetings, int64_t *tasks, int64_t *reports,
	     struct nrm_err *err);
/* Sets nrm's clock back to the run's now (NRM_NOW, or the system's) after a past day. */
void gen_clock_now(void);

/* Day d at hh:mm in Tirana as a time (for the clock of what is recorded that day). */
int64_t gen_time_of(int32_t day, int minutes);

#endif
