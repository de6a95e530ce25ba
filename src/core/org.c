/* Organisation rules: body kinds, seat composition, nomination deadlines. */
#include "core/org.h"

#include <string.h>

static const char *const kind_names[ORG_KIND_COUNT] = {
	"authority", "authority_secretariat", "krat", "technical_table", "krat_secretariat",
	"municipal_group",
};

const char *org_kind_name(enum org_kind k)
{
	return (unsigned)k < ORG_KIND_COUNT ? kind_names[k] : NULL;
}

int org_kind_parse(const char *s)
{
	for (int i = 0; s && i < ORG_KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

bool org_kind_is_county(enum org_kind k)
{
	return k == ORG_KRAT || k == ORG_TECHNICAL_TABLE || k == ORG_KRAT_SECRETARIAT;
}

size_t org_compose_members(const struct org_type *types, size_t ntypes, size_t nmunicipalities,
			   struct org_slot *out, size_t cap)
{
	size_t n = 0;
	/* Walk §1.2's numbering so seats come out in the order of the Order. */
	for (int order = 1; order <= 64; order++) {
		for (size_t t = 0; t < ntypes; t++) {
			if (types[t].krat_order != order)
				continue;
			size_t reps = types[t].per_municipality ? nmunicipalities : 1;
			for (size_t m = 0; m < reps; m++, n++)
				if (n < cap) {
					out[n].type = t;
					out[n].municipality = types[t].per_municipality ? (int)m : -1;
				}
		}
	}
	return n;
}

const char *org_seat_status_name(enum org_seat_status s)
{
	switch (s) {
	case SEAT_FILLED: return "filled";
	case SEAT_OVERDUE: return "overdue";
	default: return "vacant";
	}
}

int org_nomination_deadline(int32_t established, int days, int32_t vacated_since, int32_t *deadline)
{
	if (days <= 0)
		return -1;
	int32_t from = vacated_since > established ? vacated_since : established;
	*deadline = from + days;
	return 0;
}

enum org_seat_status org_seat_status(bool held_or_nominated, bool has_deadline, int32_t deadline,
				     int32_t today)
{
	if (held_or_nominated)
		return SEAT_FILLED;
	return has_deadline && today > deadline ? SEAT_OVERDUE : SEAT_VACANT;
}
