/* report.c: the bulletin's figures for a period (report.h).
 *
 * The materials are read with archive_search itself (--relevant, --since,
 * --until) and every figure is counted here with the matching rules of
 * search's other filters, so a figure and the search that explains it
 * cannot disagree: a change to search's matching has to be made in
 * matches_region / matches_label too, and the e2e test
 * (tests/e2e/report_test.sh) compares every figure with its search. */
#include "report.h"

#include "archive_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One counted material with the caseless forms search compares. */
struct counted {
	const struct archive_material *material;
	int64_t date;          /* published, else first seen */
	char **threats;        /* lowered threat labels */
	char **categories;     /* lowered category labels */
	char **region_ids, **region_macros, **region_labels; /* lowered, may be NULL */
};

/* The day search filters on: coalesce(published_at, first_seen), where
 * published_at is what vigil_parse_time makes of the stored date. */
static int64_t material_date(const struct archive_material *m)
{
	int64_t when;

	if (m->published && vigil_parse_time(m->published, &when) == 0)
		return when;
	return m->first_seen;
}

static void free_strings(char **items, size_t count)
{
	for (size_t i = 0; items && i < count; i++)
		free(items[i]);
	free(items);
}

/* Lowered copies of items; *nomem set on failure. NULL items stay NULL. */
static char **lower_all(char *const *items, size_t count, int *nomem)
{
	char **out;

	if (!count)
		return NULL;
	out = calloc(count, sizeof(*out));
	if (!out) {
		*nomem = 1;
		return NULL;
	}
	for (size_t i = 0; i < count; i++)
		if (items[i] && !(out[i] = archive_lower_text(items[i])))
			*nomem = 1;
	return out;
}

static void counted_release(struct counted *c)
{
	const struct archive_material *m = c->material;

	free_strings(c->threats, m->threat_count);
	free_strings(c->categories, m->category_count);
	free_strings(c->region_ids, m->region_count);
	free_strings(c->region_macros, m->region_count);
	free_strings(c->region_labels, m->region_count);
}

static int counted_fill(struct counted *c, const struct archive_material *m)
{
	int nomem = 0;
	char **ids, **macros, **labels;

	memset(c, 0, sizeof(*c));
	c->material = m;
	c->date = material_date(m);
	c->threats = lower_all(m->threats, m->threat_count, &nomem);
	c->categories = lower_all(m->categories, m->category_count, &nomem);
	if (m->region_count) {
		ids = calloc(m->region_count, sizeof(*ids));
		macros = calloc(m->region_count, sizeof(*macros));
		labels = calloc(m->region_count, sizeof(*labels));
		c->region_ids = ids;
		c->region_macros = macros;
		c->region_labels = labels;
		if (!ids || !macros || !labels)
			return -1;
		for (size_t i = 0; i < m->region_count; i++) {
			const struct archive_region *r = &m->regions[i];

			if ((r->id && !(ids[i] = archive_lower_text(r->id))) ||
			    (r->macro && !(macros[i] = archive_lower_text(r->macro))) ||
			    (r->label && !(labels[i] = archive_lower_text(r->label))))
				nomem = 1;
		}
	}
	return nomem ? -1 : 0;
}

/* search --region KEY: a region whose id or macro-region is KEY, or whose
 * label starts with KEY (all caseless; key is lowered). */
static int matches_region(const struct counted *c, const char *key)
{
	size_t len = strlen(key);

	for (size_t i = 0; i < c->material->region_count; i++)
		if ((c->region_ids[i] && strcmp(c->region_ids[i], key) == 0) ||
		    (c->region_macros[i] && strcmp(c->region_macros[i], key) == 0) ||
		    (c->region_labels[i] && strncmp(c->region_labels[i], key, len) == 0))
			return 1;
	return 0;
}

/* search --threat / --category KEY: a label equal to KEY, caseless. */
static int matches_label(char *const *labels, size_t count, const char *key)
{
	for (size_t i = 0; i < count; i++)
		if (labels[i] && strcmp(labels[i], key) == 0)
			return 1;
	return 0;
}

/* Earliest first: date, then first sight, then id (search --story's order
 * for the first copy of a story). */
static int compare_counted(const void *a, const void *b)
{
	const struct counted *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->material->first_seen != y->material->first_seen)
		return x->material->first_seen < y->material->first_seen ? -1 : 1;
	return x->material->id < y->material->id ? -1 : x->material->id > y->material->id;
}

static char *dup_or_flag(const char *text, int *nomem)
{
	char *copy = vigil_strdup(text);

	if (text && !copy)
		*nomem = 1;
	return copy;
}

/* ---- calendar buckets ---- */

/* The start of the month or quarter containing when (UTC), or of the one
 * `ahead` months or quarters later; its key ("2024-05", "2024-Q2") into key
 * when key is not NULL. */
static int64_t bucket_start(int64_t when, int quarter, int ahead, char key[32])
{
	struct vigil_date d;
	int64_t start = 0;
	int month;

	vigil_date_from_epoch(when, 0, &d);
	month = quarter ? (d.month - 1) / 3 * 3 + 1 : d.month;
	month += ahead * (quarter ? 3 : 1);
	while (month > 12) {
		month -= 12;
		d.year++;
	}
	d.month = month;
	d.day = 1;
	d.hour = d.minute = d.second = 0;
	d.has_time = 1;
	if (key) {
		if (quarter)
			snprintf(key, 32, "%04d-Q%d", d.year, (month - 1) / 3 + 1);
		else
			snprintf(key, 32, "%04d-%02d", d.year, month);
	}
	if (vigil_date_to_epoch(&d, &start) != 0)
		return INT64_MAX; /* past year 9999: no further bucket */
	return start;
}

static int make_buckets(int64_t from, int64_t to, int quarter,
			struct archive_report_bucket **out, size_t *count)
{
	size_t cap = 0;

	*out = NULL;
	*count = 0;
	for (int64_t start = bucket_start(from, quarter, 0, NULL); start < to;) {
		struct archive_report_bucket *b;
		int64_t next = bucket_start(start, quarter, 1, NULL);

		if (*count == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			struct archive_report_bucket *grown = realloc(*out, grown_cap * sizeof(*grown));

			if (!grown)
				return -1;
			*out = grown;
			cap = grown_cap;
		}
		b = &(*out)[(*count)++];
		memset(b, 0, sizeof(*b));
		bucket_start(start, quarter, 0, b->key);
		b->from = start > from ? start : from;
		b->to = next < to ? next : to;
		if (next <= start)
			break;
		start = next;
	}
	return 0;
}

/* Buckets are in order and adjacent: a binary search (a period of
 * centuries has thousands of months). */
static void count_bucket(struct archive_report_bucket *buckets, size_t count, int64_t date)
{
	size_t low = 0, high = count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (date < buckets[mid].from)
			high = mid;
		else if (date >= buckets[mid].to)
			low = mid + 1;
		else {
			buckets[mid].count++;
			return;
		}
	}
}

/* ---- labelled counts ---- */

static struct archive_report_count *new_counts(size_t count)
{
	return count ? calloc(count, sizeof(struct archive_report_count)) : NULL;
}

static int set_count(struct archive_report_count *c, const char *id, const char *label,
		     const char *group)
{
	int nomem = 0;

	c->id = dup_or_flag(id, &nomem);
	c->label = dup_or_flag(label, &nomem);
	c->group = dup_or_flag(group, &nomem);
	return nomem ? -1 : 0;
}

static void release_counts(struct archive_report_count *items, size_t count)
{
	for (size_t i = 0; items && i < count; i++) {
		free(items[i].id);
		free(items[i].label);
		free(items[i].group);
	}
	free(items);
}

/* Append id to a growing list of counts unless it is there; returns its
 * index, or -1 on OOM. */
static long find_or_add(struct archive_report_count **items, size_t *count, size_t *cap,
			const char *id, const char *label, const char *group)
{
	for (size_t i = 0; i < *count; i++)
		if (strcmp((*items)[i].id, id) == 0)
			return (long)i;
	if (*count == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 16;
		struct archive_report_count *grown = realloc(*items, grown_cap * sizeof(*grown));

		if (!grown)
			return -1;
		*items = grown;
		*cap = grown_cap;
	}
	memset(&(*items)[*count], 0, sizeof(**items));
	(*count)++; /* released with the list even when a copy failed */
	if (set_count(&(*items)[*count - 1], id, label, group))
		return -1;
	return (long)(*count - 1);
}

static int compare_by_count(const void *a, const void *b)
{
	const struct archive_report_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* ---- the parts of the report ---- */

/* The index of the row whose lowered id is key, or -1. */
static long find_key(char *const *keys, size_t count, const char *key)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(keys[i], key) == 0)
			return (long)i;
	return -1;
}

/* Threat rows and region columns with the matrix. */
static int count_matrix(struct archive_report *r, const struct archive_report_taxonomy *tax,
			struct counted *items, size_t count)
{
	size_t cap = 0, key_cap = 0, key_count = 0, columns = 0;
	char **row_keys = NULL, **column_keys = NULL;
	int status = -1;

	/* rows: the taxonomy's threats, then labels it does not name */
	for (size_t i = 0; i < tax->threat_count; i++)
		if (find_or_add(&r->threats, &r->threat_count, &cap, tax->threats[i].id,
				tax->threats[i].label, tax->threats[i].group) < 0)
			return -1;
	key_cap = r->threat_count + 16;
	if (!(row_keys = calloc(key_cap, sizeof(*row_keys))))
		return -1;
	for (; key_count < r->threat_count; key_count++)
		if (!(row_keys[key_count] = archive_lower_text(r->threats[key_count].id)))
			goto done;
	for (size_t i = 0; i < count; i++)
		for (size_t t = 0; t < items[i].material->threat_count; t++) {
			const char *key = items[i].threats[t];

			if (!key || find_key(row_keys, key_count, key) >= 0)
				continue;
			if (key_count == key_cap) {
				char **grown = realloc(row_keys, 2 * key_cap * sizeof(*grown));

				if (!grown)
					goto done;
				row_keys = grown;
				key_cap *= 2;
			}
			if (!(row_keys[key_count] = vigil_strdup(key)))
				goto done;
			key_count++;
			if (find_or_add(&r->threats, &r->threat_count, &cap,
					items[i].material->threats[t], NULL, NULL) < 0)
				goto done;
		}
	for (size_t i = 0; i < tax->region_count; i++)
		if (!tax->regions[i].parent || !*tax->regions[i].parent)
			columns++;
	r->regions = new_counts(columns);
	if (columns && !r->regions)
		goto done;
	for (size_t i = 0; i < tax->region_count; i++)
		if (!tax->regions[i].parent || !*tax->regions[i].parent)
			if (set_count(&r->regions[r->region_count++], tax->regions[i].id,
				      tax->regions[i].label, tax->regions[i].macro))
				goto done;
	if (r->threat_count && r->region_count &&
	    !(r->matrix = calloc(r->threat_count * r->region_count, sizeof(*r->matrix))))
		goto done;
	if (!(column_keys = calloc(r->region_count + 1, sizeof(*column_keys))))
		goto done;
	for (size_t k = 0; k < r->region_count; k++)
		if (!(column_keys[k] = archive_lower_text(r->regions[k].id)))
			goto done;
	for (size_t i = 0; i < count; i++) {
		const struct counted *c = &items[i];

		for (size_t col = 0; col < r->region_count; col++)
			if (matches_region(c, column_keys[col]))
				r->regions[col].count++;
		for (size_t row = 0; row < r->threat_count; row++) {
			if (!matches_label(c->threats, c->material->threat_count, row_keys[row]))
				continue;
			r->threats[row].count++;
			for (size_t col = 0; col < r->region_count; col++)
				if (matches_region(c, column_keys[col]))
					r->matrix[row * r->region_count + col]++;
		}
	}
	for (size_t col = 0; col < r->region_count; col++)
		if (r->regions[col].count)
			r->regions_covered++;
	status = 0;
done:
	free_strings(row_keys, key_count);
	free_strings(column_keys, r->region_count);
	return status;
}

static int count_categories(struct archive_report *r, const struct archive_report_taxonomy *tax,
			    struct counted *items, size_t count)
{
	r->categories = new_counts(tax->category_count);
	if (tax->category_count && !r->categories)
		return -1;
	for (size_t k = 0; k < tax->category_count; k++) {
		struct archive_report_count *c = &r->categories[r->category_count++];
		char *key;

		if (set_count(c, tax->categories[k].id, tax->categories[k].label, NULL) ||
		    !(key = archive_lower_text(c->id)))
			return -1;
		for (size_t i = 0; i < count; i++)
			if (matches_label(items[i].categories, items[i].material->category_count, key))
				c->count++;
		free(key);
	}
	return 0;
}

static int count_macros(struct archive_report *r, const struct archive_report_taxonomy *tax,
			struct counted *items, size_t count)
{
	size_t cap = 0;

	for (size_t k = 0; k < tax->region_count; k++)
		if (tax->regions[k].macro && *tax->regions[k].macro &&
		    find_or_add(&r->macros, &r->macro_count, &cap, tax->regions[k].macro, NULL,
				NULL) < 0)
			return -1;
	for (size_t k = 0; k < r->macro_count; k++) {
		char *key = archive_lower_text(r->macros[k].id);

		if (!key)
			return -1;
		for (size_t i = 0; i < count; i++)
			if (matches_region(&items[i], key))
				r->macros[k].count++;
		free(key);
	}
	return 0;
}

static int count_sources(struct archive_report *r, struct counted *items, size_t count)
{
	size_t cap = 0;

	for (size_t i = 0; i < count; i++) {
		const char *name = items[i].material->source ? items[i].material->source : "";
		long k = find_or_add(&r->sources, &r->source_count, &cap, name, NULL, NULL);

		if (k < 0)
			return -1;
		r->sources[k].count++;
	}
	r->outlets = (int64_t)r->source_count;
	if (r->source_count > 1)
		qsort(r->sources, r->source_count, sizeof(*r->sources), compare_by_count);
	return 0;
}

static int add_example(struct archive_report_tone *tone, const struct archive_material *m)
{
	struct archive_report_example *e = &tone->examples[tone->example_count];
	int nomem = 0;

	e->id = m->id;
	e->title = dup_or_flag(m->title, &nomem);
	e->source = dup_or_flag(m->source, &nomem);
	tone->example_count++;
	return nomem ? -1 : 0;
}

static int compare_story(const void *a, const void *b)
{
	const struct counted *const *x = a, *const *y = b;
	int64_t sx = (*x)->material->story_id, sy = (*y)->material->story_id;

	if (sx != sy)
		return sx < sy ? -1 : 1;
	return compare_counted(*x, *y);
}

static int compare_syndicated(const void *a, const void *b)
{
	const struct archive_report_story *x = a, *y = b;

	if (x->copies != y->copies)
		return x->copies > y->copies ? -1 : 1;
	return x->first_id < y->first_id ? -1 : x->first_id > y->first_id;
}

/* Stories (syndicated copies counted once), and the tone examples, one per
 * story. items are sorted earliest first. */
static int count_stories(struct archive_report *r, struct counted *items, size_t count)
{
	struct counted **by_story;
	int64_t example_story[3][ARCHIVE_REPORT_EXAMPLES];
	size_t cap = 0;
	int status = -1;

	if (!count)
		return 0;
	if (!(by_story = malloc(count * sizeof(*by_story))))
		return -1;
	for (size_t i = 0; i < count; i++)
		by_story[i] = &items[i];
	qsort(by_story, count, sizeof(*by_story), compare_story);
	for (size_t i = 0, end; i < count; i = end) {
		const struct archive_material *first = by_story[i]->material;
		struct archive_report_story *s;
		int nomem = 0;

		for (end = i + 1;
		     end < count && by_story[end]->material->story_id == first->story_id; end++)
			;
		r->stories++;
		if (end - i < 2)
			continue;
		if (r->syndicated_count == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			struct archive_report_story *grown =
				realloc(r->syndicated, grown_cap * sizeof(*grown));

			if (!grown)
				goto done;
			r->syndicated = grown;
			cap = grown_cap;
		}
		s = &r->syndicated[r->syndicated_count++];
		memset(s, 0, sizeof(*s));
		s->story_id = first->story_id;
		s->first_id = first->id;
		s->title = dup_or_flag(first->title, &nomem);
		s->copies = (int64_t)(end - i);
		if (!(s->outlets = calloc(end - i, sizeof(*s->outlets))))
			goto done;
		for (size_t k = i; k < end; k++) {
			const char *name = by_story[k]->material->source;
			int seen = 0;

			for (size_t o = 0; o < s->outlet_count && !seen; o++)
				seen = name && strcmp(s->outlets[o], name) == 0;
			if (!seen && name && !(s->outlets[s->outlet_count++] = vigil_strdup(name)))
				nomem = 1;
		}
		if (nomem)
			goto done;
	}
	if (r->syndicated_count > 1)
		qsort(r->syndicated, r->syndicated_count, sizeof(*r->syndicated),
		      compare_syndicated);
	/* Examples: the earliest headline of each story, in date order. */
	for (size_t i = 0; i < count; i++) {
		const struct archive_material *m = items[i].material;
		struct archive_report_tone *tone;
		int repeated = 0;

		if ((unsigned)m->tone > ARCHIVE_TONE_SUPPORTIVE)
			continue;
		tone = &r->tones[m->tone];
		if (tone->example_count == ARCHIVE_REPORT_EXAMPLES)
			continue;
		for (size_t k = 0; k < tone->example_count && !repeated; k++)
			repeated = example_story[m->tone][k] == m->story_id;
		if (repeated)
			continue;
		example_story[m->tone][tone->example_count] = m->story_id;
		if (add_example(tone, m))
			goto done;
	}
	status = 0;
done:
	free(by_story);
	return status;
}

static int add_change(struct archive_report_change **list, size_t *count,
		      const struct counted *c)
{
	const struct archive_material *m = c->material;
	struct archive_report_change *grown = realloc(*list, (*count + 1) * sizeof(*grown)), *x;
	int nomem = 0;

	if (!grown)
		return -1;
	*list = grown;
	x = &grown[(*count)++];
	memset(x, 0, sizeof(*x));
	x->id = m->id;
	x->url = dup_or_flag(m->url, &nomem);
	x->title = dup_or_flag(m->title, &nomem);
	x->source = dup_or_flag(m->source, &nomem);
	x->date = c->date;
	x->deleted = m->deleted;
	x->deleted_at = m->deleted_at;
	x->deleted_how = dup_or_flag(m->deleted_how, &nomem);
	x->edits = m->edits;
	x->versions = m->versions;
	return nomem ? -1 : 0;
}

static void release_changes(struct archive_report_change *list, size_t count)
{
	for (size_t i = 0; list && i < count; i++) {
		free(list[i].url);
		free(list[i].title);
		free(list[i].source);
		free(list[i].deleted_how);
	}
	free(list);
}

enum vigil_code archive_report_build(struct archive_store *store,
				     const struct archive_report_taxonomy *taxonomy,
				     int64_t from, int64_t to, struct archive_report *out,
				     struct vigil_error *err)
{
	struct archive_query query = { 0 };
	struct archive_results results = { 0 };
	struct counted *items = NULL;
	size_t filled = 0;
	enum vigil_code code;
	int failed = 0;

	memset(out, 0, sizeof(*out));
	if (!store || !taxonomy || from >= to)
		return vigil_error_set(err, VIGIL_ERR_USAGE,
				       "report: the period must end after it starts");
	out->from = from;
	out->to = to;
	query.relevant_only = 1;
	query.has_since = query.has_until = 1;
	query.since = from;
	query.until = to;
	query.limit = ARCHIVE_REPORT_MAX_MATERIALS;
	code = archive_search(store, &query, &results, err);
	if (code) {
		vigil_error_prefix(err, "report");
		return code;
	}
	if (results.count >= ARCHIVE_REPORT_MAX_MATERIALS) {
		archive_results_release(&results);
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE,
				       "report: the period holds %d or more relevant materials; "
				       "report a shorter period", ARCHIVE_REPORT_MAX_MATERIALS);
	}
	if (results.count && !(items = calloc(results.count, sizeof(*items))))
		failed = 1;
	while (!failed && filled < results.count) {
		failed = counted_fill(&items[filled], &results.items[filled]) != 0;
		filled++; /* a half-filled one is released too */
	}
	if (!failed && results.count > 1)
		qsort(items, results.count, sizeof(*items), compare_counted);
	out->materials = (int64_t)results.count;
	if (!failed && (make_buckets(from, to, 0, &out->months, &out->month_count) ||
			make_buckets(from, to, 1, &out->quarters, &out->quarter_count)))
		failed = 1;
	for (size_t i = 0; !failed && i < results.count; i++) {
		const struct counted *c = &items[i];

		count_bucket(out->months, out->month_count, c->date);
		count_bucket(out->quarters, out->quarter_count, c->date);
		if ((unsigned)c->material->tone <= ARCHIVE_TONE_SUPPORTIVE)
			out->tones[c->material->tone].count++;
		if ((c->material->deleted && add_change(&out->deleted, &out->deleted_count, c)) ||
		    (c->material->edits > 0 && add_change(&out->edited, &out->edited_count, c)))
			failed = 1;
	}
	if (!failed && (count_matrix(out, taxonomy, items, results.count) ||
			count_categories(out, taxonomy, items, results.count) ||
			count_macros(out, taxonomy, items, results.count) ||
			count_sources(out, items, results.count) ||
			count_stories(out, items, results.count)))
		failed = 1;
	for (size_t i = 0; i < filled; i++)
		counted_release(&items[i]);
	free(items);
	archive_results_release(&results);
	if (failed) {
		archive_report_release(out);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "report: out of memory");
	}
	return VIGIL_OK;
}

void archive_report_release(struct archive_report *report)
{
	if (!report)
		return;
	free(report->months);
	free(report->quarters);
	for (size_t t = 0; t < 3; t++)
		for (size_t i = 0; i < report->tones[t].example_count; i++) {
			free(report->tones[t].examples[i].title);
			free(report->tones[t].examples[i].source);
		}
	release_counts(report->threats, report->threat_count);
	release_counts(report->regions, report->region_count);
	free(report->matrix);
	release_counts(report->categories, report->category_count);
	release_counts(report->macros, report->macro_count);
	release_counts(report->sources, report->source_count);
	for (size_t i = 0; i < report->syndicated_count; i++) {
		free(report->syndicated[i].title);
		free_strings(report->syndicated[i].outlets, report->syndicated[i].outlet_count);
	}
	free(report->syndicated);
	release_changes(report->deleted, report->deleted_count);
	release_changes(report->edited, report->edited_count);
	memset(report, 0, sizeof(*report));
}
