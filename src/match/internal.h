/* Inside src/match: the loaded definitions. */
#ifndef NRM_MATCH_INTERNAL_H
#define NRM_MATCH_INTERNAL_H

#include "match/match.h"

#define FOLD_STAGES_MAX 4
#define MATCH_RULES_MAX 8
#define MATCH_SEXES_MAX 16
#define MATCH_GROUP_MAX 16 /* bytes of a blocking group's name, with the NUL */

enum before { BEFORE_ANY, BEFORE_VOWEL, BEFORE_EI, BEFORE_END };

struct fold_rule {
	char *from, *to;
	size_t n, to_n;
	enum before before;
	bool not_first;
};

struct fold_stage {
	struct fold_rule *rules;
	size_t n;
};

/* A candidate rule: weights of first_name, last_name and birth (adding up to 1), threshold. */
struct match_rule {
	double w[3];
	double threshold;
};

struct match_def {
	struct fold_stage stages[FOLD_STAGES_MAX];
	size_t nstages;
	char vowels[16], strip[16];
	size_t keep;
	unsigned bits, hashes;
	struct match_rule rules[MATCH_RULES_MAX];
	size_t nrules;
	double birth_same, birth_swapped, birth_year, birth_near;
	double agree;
	struct {
		char *code;
		char group[MATCH_GROUP_MAX];
	} sex[MATCH_SEXES_MAX]; /* blocking: a sex code's group */
	size_t nsex;
	char groups[MATCH_SEXES_MAX][MATCH_GROUP_MAX]; /* each group once */
	size_t ngroups;
};

#endif
