/* cmd_search.c: vigil search, and the material printing shared with show. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../archive/archive.h"
#include "material_print.h"

#define HIGHLIGHT_OPEN "\033[1;33m"
#define HIGHLIGHT_CLOSE "\033[0m"

static int parse_date_option(const struct cli_command *command, const char *name,
			     const char *value, int64_t *out, int *given)
{
	if (!value)
		return CLI_OK;
	if (vigil_parse_time(value, out) != 0) {
		cli_error(command, "--%s '%s' is not a date (expected YYYY-MM-DD or "
			  "YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm])", name, value);
		return CLI_USAGE;
	}
	*given = 1;
	return CLI_OK;
}

static int parse_count_option(const struct cli_command *command, const char *name,
			      const char *value, int min, int *out)
{
	char *end;
	long n;

	if (!value)
		return CLI_OK;
	n = strtol(value, &end, 10);
	if (*end || n < min || n > 1000000) {
		cli_error(command, "--%s '%s' is not a number from %d to 1000000", name, value, min);
		return CLI_USAGE;
	}
	*out = (int)n;
	return CLI_OK;
}

/* --group-by KEY[,KEY2] */
static int parse_group_by(const struct cli_command *command, const char *value,
			  enum archive_count_key *keys, size_t *count)
{
	char copy[128];
	char *save = NULL;

	*count = 0;
	if (!value)
		return CLI_OK;
	snprintf(copy, sizeof(copy), "%s", value);
	for (char *key = strtok_r(copy, ",", &save); key; key = strtok_r(NULL, ",", &save)) {
		int k = archive_count_key_parse(key);

		if (k < 0 || *count == 2) {
			cli_error(command, k < 0 ? "--group-by: '%s' is not one of region, macro-region,"
				  " tone, threat, category, source, month, quarter"
				  : "--group-by takes at most two keys ('%s' is a third)", key);
			return CLI_USAGE;
		}
		keys[(*count)++] = (enum archive_count_key)k;
	}
	if (!*count) {
		cli_error(command, "--group-by needs a key (region, tone, month, ...)");
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* One CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break, quotes doubled. */
static void csv_field(FILE *out, const char *value, int last)
{
	if (value && strpbrk(value, ",\"\r\n")) {
		fputc('"', out);
		for (const char *p = value; *p; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
	} else if (value) {
		fputs(value, out);
	}
	fputs(last ? "\r\n" : ",", out);
}

static void csv_int(FILE *out, long long value, int last)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", value);
	csv_field(out, text, last);
}

static void csv_time(FILE *out, int64_t when)
{
	char text[32] = "";

	if (when)
		vigil_format_time(when, text);
	csv_field(out, text, 0);
}

static void csv_list(FILE *out, char *const *values, size_t count)
{
	struct vigil_buf joined = VIGIL_BUF_INIT;
	int failed = 0;

	for (size_t i = 0; i < count && !failed; i++)
		failed = vigil_buf_printf(&joined, "%s%s", i ? ";" : "", values[i]) != VIGIL_OK;
	csv_field(out, joined.data ? joined.data : "", 0);
	vigil_buf_release(&joined);
}

static void print_csv(FILE *out, const struct archive_results *r, int by_story)
{
	fputs("id,url,source,title,published,first_seen,last_seen,lang,tone,tone_score,relevant,"
	      "regions,categories,threats,deleted,deleted_at,edits,versions,story,post,", out);
	fputs(by_story ? "copies,outlets,snippet\r\n" : "snippet\r\n", out);
	for (size_t i = 0; i < r->count; i++) {
		const struct archive_material *m = &r->items[i];
		char *regions[64];
		size_t region_count = m->region_count < 64 ? m->region_count : 64;

		for (size_t j = 0; j < region_count; j++)
			regions[j] = m->regions[j].id;
		csv_int(out, m->id, 0);
		csv_field(out, m->url, 0);
		csv_field(out, m->source, 0);
		csv_field(out, m->title, 0);
		csv_field(out, m->published, 0);
		csv_time(out, m->first_seen);
		csv_time(out, m->last_seen);
		csv_field(out, m->lang, 0);
		csv_field(out, archive_tone_name(m->tone), 0);
		csv_int(out, m->tone_score, 0);
		csv_int(out, m->relevant, 0);
		csv_list(out, regions, region_count);
		csv_list(out, m->categories, m->category_count);
		csv_list(out, m->threats, m->threat_count);
		csv_int(out, m->deleted, 0);
		csv_time(out, m->deleted ? m->deleted_at : 0);
		csv_int(out, m->edits, 0);
		csv_int(out, m->versions, 0);
		csv_int(out, m->story_id, 0);
		csv_field(out, m->post_key, 0);
		if (by_story) {
			csv_int(out, m->story_copies, 0);
			csv_int(out, m->story_outlets, 0);
		}
		csv_field(out, m->snippet, 1);
	}
}

static void print_json(FILE *out, const struct archive_results *r, int by_story)
{
	for (size_t i = 0; i < r->count; i++) {
		int first = 1;

		fputc('{', out);
		material_print_json_fields(out, &first, &r->items[i]);
		if (r->items[i].snippet)
			json_key_string(out, &first, "snippet", r->items[i].snippet);
		if (by_story) {
			json_key_int(out, &first, "copies", r->items[i].story_copies);
			json_key_int(out, &first, "outlets", r->items[i].story_outlets);
		}
		fputs("}\n", out);
	}
}

/* The counts as rows (JSON lines or CSV: key names as columns, then
 * count), or as a table: one key a list, two keys a contingency table
 * (first key down, second across, blank cells empty, totals). */
static void print_counts(FILE *out, const struct archive_counts *c,
			 const enum archive_count_key *keys, size_t key_count, int json, int csv)
{
	if (json || csv) {
		if (csv) {
			for (size_t k = 0; k < key_count; k++)
				csv_field(out, archive_count_key_name(keys[k]), 0);
			csv_field(out, "count", 1);
		}
		for (size_t i = 0; i < c->count; i++) {
			int first = 1;

			if (json)
				fputc('{', out);
			for (size_t k = 0; k < key_count; k++) {
				if (json)
					json_key_string(out, &first, archive_count_key_name(keys[k]),
							c->rows[i].values[k]);
				else
					csv_field(out, c->rows[i].values[k], 0);
			}
			if (json) {
				json_key_int(out, &first, "count", c->rows[i].count);
				fputs("}\n", out);
			} else {
				csv_int(out, c->rows[i].count, 1);
			}
		}
		return;
	}
	if (key_count == 0) {
		fprintf(out, "%lld\n", c->count ? (long long)c->rows[0].count : 0LL);
		return;
	}
	if (key_count == 1) {
		for (size_t i = 0; i < c->count; i++) {
			cli_print_cell(out, c->rows[i].values[0], 32);
			fprintf(out, "%8lld\n", (long long)c->rows[i].count);
		}
		return;
	}
	{
		/* Columns: the second key's values in order of first sight
		 * (rows are sorted, so in key order for one row). */
		const char *columns[256];
		size_t column_count = 0;

		for (size_t i = 0; i < c->count && column_count < 256; i++) {
			size_t j = 0;

			while (j < column_count && strcmp(columns[j], c->rows[i].values[1]))
				j++;
			if (j == column_count)
				columns[column_count++] = c->rows[i].values[1];
		}
		/* Sort the columns by name (few; insertion sort). */
		for (size_t i = 1; i < column_count; i++)
			for (size_t j = i; j > 0 && strcmp(columns[j - 1], columns[j]) > 0; j--) {
				const char *t = columns[j];

				columns[j] = columns[j - 1];
				columns[j - 1] = t;
			}
		cli_print_cell(out, archive_count_key_name(keys[0]), 28);
		for (size_t j = 0; j < column_count; j++) {
			fputc(' ', out);
			cli_print_cell(out, columns[j], 12);
		}
		fputc('\n', out);
		for (size_t i = 0; i < c->count;) {
			const char *row = c->rows[i].values[0];

			cli_print_cell(out, row, 28);
			for (size_t j = 0; j < column_count; j++) {
				char cell[24] = "";

				if (i < c->count && !strcmp(c->rows[i].values[0], row) &&
				    !strcmp(c->rows[i].values[1], columns[j]))
					snprintf(cell, sizeof(cell), "%lld", (long long)c->rows[i++].count);
				fputc(' ', out);
				cli_print_cell(out, cell, 12);
			}
			fputc('\n', out);
			while (i < c->count && !strcmp(c->rows[i].values[0], row))
				i++; /* (a column past 256) */
		}
	}
}

int cmd_search(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	const char *tone = cli_value(command, args, "tone");
	const char *sort = cli_value(command, args, "sort");
	struct archive_query query = { 0 };
	struct archive_results results = { 0 };
	struct archive_counts counts = { 0 };
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	enum archive_count_key keys[2];
	size_t key_count = 0;
	int status, json = cli_flag(command, args, "json"), csv = cli_flag(command, args, "csv");
	int count_only = cli_flag(command, args, "count");
	const char *group_by = cli_value(command, args, "group-by");

	query.text = args->arg_count ? args->args[0] : NULL;
	query.region = cli_value(command, args, "region");
	query.tone = tone;
	query.category = cli_value(command, args, "category");
	query.threat = cli_value(command, args, "threat");
	query.source = cli_value(command, args, "source");
	query.lang = cli_value(command, args, "lang");
	query.deleted_only = cli_flag(command, args, "deleted");
	query.edited_only = cli_flag(command, args, "edited");
	query.restored_only = cli_flag(command, args, "restored");
	query.relevant_only = cli_flag(command, args, "relevant");
	query.by_story = cli_flag(command, args, "story");
	if (tone && archive_tone_parse(tone) < 0) {
		cli_error(command, "--tone '%s' is not one of negative, neutral, supportive", tone);
		return CLI_USAGE;
	}
	if (sort && strcmp(sort, "date") && strcmp(sort, "relevance")) {
		cli_error(command, "--sort '%s' is not date or relevance", sort);
		return CLI_USAGE;
	}
	query.sort = sort && !strcmp(sort, "relevance") ? ARCHIVE_SORT_RELEVANCE : ARCHIVE_SORT_DATE;
	if (json && csv) {
		cli_error(command, "--json and --csv exclude each other");
		return CLI_USAGE;
	}
	if (count_only && group_by) {
		cli_error(command, "--count and --group-by exclude each other (--group-by counts)");
		return CLI_USAGE;
	}
	if ((status = parse_count_option(command, "limit", cli_value(command, args, "limit"), 1,
					 &query.limit)) ||
	    (status = parse_count_option(command, "offset", cli_value(command, args, "offset"), 0,
					 &query.offset)) ||
	    (status = parse_group_by(command, group_by, keys, &key_count)) ||
	    (status = parse_date_option(command, "since", cli_value(command, args, "since"), &query.since,
					&query.has_since)) ||
	    (status = parse_date_option(command, "until", cli_value(command, args, "until"), &query.until,
					&query.has_until)) ||
	    (status = parse_date_option(command, "captured-since",
					cli_value(command, args, "captured-since"),
					&query.captured_since, &query.has_captured_since)) ||
	    (status = parse_date_option(command, "captured-until",
					cli_value(command, args, "captured-until"),
					&query.captured_until, &query.has_captured_until)))
		return status;

	if (query.text) {
		/* A query that does not parse is the user's mistake (exit 2),
		 * found before the index is opened. */
		struct archive_parsed_query parsed;

		if (archive_query_parse(query.text, &parsed, &err) != VIGIL_OK) {
			if (err.code != VIGIL_ERR_USAGE)
				return cli_fail(command, &err);
			cli_error(command, "%s (leave QUERY out to list everything)", err.message);
			return CLI_USAGE;
		}
		archive_parsed_query_release(&parsed);
	}
	if (!json && !csv && isatty(STDOUT_FILENO)) {
		query.highlight_open = HIGHLIGHT_OPEN;
		query.highlight_close = HIGHLIGHT_CLOSE;
	}
	/* A search is interactive: the full page check of every open would
	 * cost more than the search itself on a large index. */
	status = cli_open_store(command, data_dir, ARCHIVE_OPEN_READ | ARCHIVE_OPEN_LIGHT_CHECK, &store);
	if (status)
		return status;
	if (count_only || group_by) {
		if (archive_search_count(store, &query, keys, key_count, &counts, &err) != VIGIL_OK) {
			archive_store_close(&store);
			return cli_fail(command, &err);
		}
		print_counts(stdout, &counts, keys, key_count, json, csv);
		archive_counts_release(&counts);
		archive_store_close(&store);
		return CLI_OK;
	}
	if (archive_search(store, &query, &results, &err) != VIGIL_OK) {
		archive_store_close(&store);
		return cli_fail(command, &err);
	}
	if (json)
		print_json(stdout, &results, query.by_story);
	else if (csv)
		print_csv(stdout, &results, query.by_story);
	else
		material_print_table(stdout, results.items, results.count, query.text != NULL);
	archive_results_release(&results);
	archive_store_close(&store);
	return CLI_OK;
}
