/*
 * region.c: which regions a text is about.
 */
#include "classify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct region_count {
	size_t rule;
	size_t count;
	size_t first;  /* offset of the first mention */
	size_t seq;    /* order of appearance: a city before its oblast */
};

static int cmp_region(const void *a, const void *b)
{
	const struct region_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void region_add(struct region_count *counts, size_t *n, size_t rule, size_t offset)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (counts[i].rule == rule) {
			counts[i].count++;
			return;
		}
	}
	counts[*n] = (struct region_count){ rule, 1, offset, *n };
	(*n)++;
}

/* Regions by mentions, each mention also counting for the enclosing
 * regions, so that a city's oblast adds up over all its cities. */
enum vigil_code classify_build_regions(const struct parse_classifier *c,
				     const struct hit_list *hits, const char *region_hint,
				     struct parse_classification *out)
{
	size_t nregions = 0, i, n = 0, at;
	struct region_count *counts;

	for (i = 0; i < c->rules.count; i++)
		nregions += c->rules.items[i].kind == CONFIG_RULE_REGION;
	if (nregions == 0)
		return VIGIL_OK;
	counts = calloc(nregions, sizeof(*counts));
	if (!counts)
		return VIGIL_ERR_NOMEM;
	for (i = 0; i < hits->count; i++) {
		size_t rule = hits->items[i].rule;

		if (c->rules.items[rule].kind != CONFIG_RULE_REGION)
			continue;
		for (at = rule; at != NO_PARENT; at = c->parent[at])
			region_add(counts, &n, at, hits->items[i].start);
	}
	if (n == 0 && region_hint) {
		for (at = classify_find_region(&c->rules, region_hint); at != NO_PARENT; at = c->parent[at])
			region_add(counts, &n, at, 0);
	}
	qsort(counts, n, sizeof(*counts), cmp_region);
	out->regions = calloc(n ? n : 1, sizeof(*out->regions));
	if (!out->regions) {
		free(counts);
		return VIGIL_ERR_NOMEM;
	}
	for (i = 0; i < n; i++) {
		if (!classify_add_unique(out->regions, &out->region_count, c->rules.items[counts[i].rule].id)) {
			free(counts);
			return VIGIL_ERR_NOMEM;
		}
	}
	free(counts);
	return VIGIL_OK;
}
