/* report_format.c: vigil report's four formats (report_format.h). Every
 * format prints the same figures; cells the bulletin leaves blank (zero)
 * are left out of the matrix in all of them. */
#include "report_format.h"

#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const tone_names[3] = { "neutral", "negative", "supportive" };
/* Bulletin order: negative, neutral, supportive. */
static const enum archive_tone tone_order[3] = { ARCHIVE_TONE_NEGATIVE, ARCHIVE_TONE_NEUTRAL,
						 ARCHIVE_TONE_SUPPORTIVE };

static const char threat_sources_note[] =
	"Sources of threats are not counted: the index keeps the actors each material names, "
	"but not which threat each one is behind (vigil show decides that by classifying the "
	"text again).";

int report_format_parse(const char *name, enum report_format *out)
{
	static const char *const names[] = { "md", "html", "csv", "json" };

	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum report_format)i;
			return 0;
		}
	return -1;
}

void report_format_date(int64_t when, char out[32])
{
	vigil_format_time(when, out);
	if (when % 86400 == 0)
		out[10] = '\0';
}

/* ---- tiles ---- */

enum vigil_code report_tiles_load(const char *dir, struct report_tiles *out,
				  struct vigil_error *err)
{
	struct vigil_buf path = VIGIL_BUF_INIT;
	enum vigil_code code = VIGIL_OK;
	char line[512];
	size_t cap = 0;
	int number = 0;
	FILE *in;

	memset(out, 0, sizeof(*out));
	if (vigil_buf_printf(&path, "%s/report_tiles.tsv", dir) != VIGIL_OK)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "report: out of memory");
	if (!(in = fopen(path.data, "r"))) {
		code = vigil_error_set(err, VIGIL_ERR_IO, "%s: %s", path.data, strerror(errno));
		vigil_buf_release(&path);
		return code;
	}
	while (!code && fgets(line, sizeof(line), in)) {
		char id[64], tail;
		int column, row;

		number++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, "%63s %d %d %c", id, &column, &row, &tail) != 3 || column < 0 ||
		    row < 0 || column > 50 || row > 50) {
			code = vigil_error_set(err, VIGIL_ERR_CONFIG,
					       "%s:%d: expected ID<TAB>COLUMN<TAB>ROW (0-50)",
					       path.data, number);
			break;
		}
		if (out->count == cap) {
			size_t grown_cap = cap ? cap * 2 : 32;
			struct report_tile *grown = realloc(out->items, grown_cap * sizeof(*grown));

			if (!grown) {
				code = vigil_error_set(err, VIGIL_ERR_NOMEM, "report: out of memory");
				break;
			}
			out->items = grown;
			cap = grown_cap;
		}
		out->items[out->count] = (struct report_tile){ vigil_strdup(id), column, row };
		if (!out->items[out->count++].id)
			code = vigil_error_set(err, VIGIL_ERR_NOMEM, "report: out of memory");
	}
	fclose(in);
	vigil_buf_release(&path);
	if (code)
		report_tiles_release(out);
	return code;
}

void report_tiles_release(struct report_tiles *tiles)
{
	for (size_t i = 0; tiles->items && i < tiles->count; i++)
		free(tiles->items[i].id);
	free(tiles->items);
	memset(tiles, 0, sizeof(*tiles));
}

/* ---- shared helpers ---- */

static int row_has_cells(const struct archive_report *r, size_t row)
{
	return r->threats[row].count > 0;
}

static int column_has_cells(const struct archive_report *r, size_t column)
{
	for (size_t row = 0; row < r->threat_count; row++)
		if (r->matrix[row * r->region_count + column])
			return 1;
	return 0;
}

static const char *name_of(const struct archive_report_count *c)
{
	return c->label ? c->label : c->id;
}

static int64_t percent(int64_t part, int64_t whole)
{
	return whole ? (part * 100 + whole / 2) / whole : 0;
}

/* Top-level regions ordered by coverage, most first (ties: taxonomy order). */
static size_t *coverage_order(const struct archive_report *r)
{
	size_t *order = malloc((r->region_count + 1) * sizeof(*order));

	if (!order)
		return NULL;
	for (size_t i = 0; i < r->region_count; i++)
		order[i] = i;
	/* insertion sort: stable, and there are about twenty regions */
	for (size_t i = 1; i < r->region_count; i++)
		for (size_t k = i; k > 0 && r->regions[order[k]].count > r->regions[order[k - 1]].count;
		     k--) {
			size_t swap = order[k];

			order[k] = order[k - 1];
			order[k - 1] = swap;
		}
	return order;
}

#define COVERAGE_LIST 5

/* ---- Markdown ---- */

/* Text in a table cell: no line breaks, pipes escaped. */
static void md_text(FILE *out, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++)
		if (*p == '|')
			fputs("\\|", out);
		else if (*p == '\n' || *p == '\r' || *p == '\t')
			fputc(' ', out);
		else
			fputc(*p, out);
}

static void md_counts(FILE *out, const char *title, const char *what,
		      const struct archive_report_count *items, size_t count, int skip_zero)
{
	fprintf(out, "\n## %s\n\n| %s | id | materials |\n|---|---|---:|\n", title, what);
	for (size_t i = 0; i < count; i++) {
		if (skip_zero && !items[i].count)
			continue;
		fputs("| ", out);
		md_text(out, name_of(&items[i]));
		fputs(" | ", out);
		md_text(out, items[i].id);
		fprintf(out, " | %lld |\n", (long long)items[i].count);
	}
}

static void md_changes(FILE *out, const char *data_dir, const struct archive_report_change *list,
		       size_t count, int deleted)
{
	for (size_t i = 0; i < count; i++) {
		const struct archive_report_change *c = &list[i];
		char date[32], when[32];

		report_format_date(c->date, date);
		fprintf(out, "| %lld | %.10s | ", (long long)c->id, date);
		md_text(out, c->title);
		fputs(" | ", out);
		md_text(out, c->source);
		if (deleted) {
			vigil_format_time(c->deleted_at, when);
			fprintf(out, " | %s | %s | `vigil show --data ", when,
				c->deleted_how ? c->deleted_how : "-");
			md_text(out, data_dir);
			fprintf(out, " %lld` |\n", (long long)c->id);
		} else {
			fprintf(out, " | %d | %d |", c->edits, c->versions);
			for (int v = 1; v <= c->versions; v++) {
				fputs(" `vigil show --data ", out);
				md_text(out, data_dir);
				fprintf(out, " --version %d %lld`", v, (long long)c->id);
			}
			fputs(" `vigil diff --data ", out);
			md_text(out, data_dir);
			fprintf(out, " %lld` |\n", (long long)c->id);
		}
	}
}

static void print_md(FILE *out, const struct archive_report *r, const char *data_dir)
{
	char from[32], to[32];
	size_t *order = coverage_order(r);
	int any;

	report_format_date(r->from, from);
	report_format_date(r->to, to);
	fprintf(out, "# Media monitoring: %s to %s (exclusive)\n\n", from, to);
	fprintf(out, "Materials that mention human-rights defenders, dated (published, else first "
		     "seen) from %s up to %s. Each figure is reproduced by `vigil report --explain "
		     "CELL`.\n\n", from, to);
	fprintf(out, "| | |\n|---|---:|\n| materials | %lld |\n| outlets | %lld |\n"
		     "| regions covered | %lld of %zu |\n| stories (copies counted once) | %lld |\n",
		(long long)r->materials, (long long)r->outlets, (long long)r->regions_covered,
		r->region_count, (long long)r->stories);

	fputs("\n## Materials per month\n\n| month | materials |\n|---|---:|\n", out);
	for (size_t i = 0; i < r->month_count; i++)
		fprintf(out, "| %s | %lld |\n", r->months[i].key, (long long)r->months[i].count);
	fputs("\n## Materials per quarter\n\n| quarter | materials |\n|---|---:|\n", out);
	for (size_t i = 0; i < r->quarter_count; i++)
		fprintf(out, "| %s | %lld |\n", r->quarters[i].key, (long long)r->quarters[i].count);

	fputs("\n## Tone\n\n| tone | materials | share | example headlines |\n|---|---:|---:|---|\n",
	      out);
	for (int k = 0; k < 3; k++) {
		const struct archive_report_tone *t = &r->tones[tone_order[k]];

		fprintf(out, "| %s | %lld | %lld%% | ", tone_names[tone_order[k]],
			(long long)t->count, (long long)percent(t->count, r->materials));
		for (size_t e = 0; e < t->example_count; e++) {
			fputs(e ? "; " : "", out);
			md_text(out, t->examples[e].title ? t->examples[e].title : "(no title)");
			fputs(" (", out);
			md_text(out, t->examples[e].source);
			fprintf(out, ", %lld)", (long long)t->examples[e].id);
		}
		fputs(" |\n", out);
	}

	fputs("\n## Threat types by region\n\nMaterials by threat type (rows, grouped as in the "
	      "rules) and region (columns); a material counts in every region it names. Blank: "
	      "none. Total: materials with that threat, whatever their region.\n\n| threat type | "
	      "total |", out);
	for (size_t c = 0; c < r->region_count; c++)
		if (column_has_cells(r, c)) {
			fputc(' ', out);
			md_text(out, name_of(&r->regions[c]));
			fputs(" |", out);
		}
	fputs("\n|---|---:|", out);
	for (size_t c = 0; c < r->region_count; c++)
		if (column_has_cells(r, c))
			fputs("---:|", out);
	fputc('\n', out);
	for (size_t row = 0; row < r->threat_count; row++) {
		const char *group = r->threats[row].group;

		if (!row_has_cells(r, row))
			continue;
		/* a group heading when the group changes among the shown rows */
		any = 0;
		for (size_t prev = row; prev-- > 0;)
			if (row_has_cells(r, prev)) {
				const char *g = r->threats[prev].group;

				any = 1;
				if ((g == NULL) != (group == NULL) || (g && strcmp(g, group) != 0))
					any = 0;
				break;
			}
		if (!any) {
			fputs("| **", out);
			md_text(out, group ? group : "not in the rules");
			fputs("** | |", out);
			for (size_t c = 0; c < r->region_count; c++)
				if (column_has_cells(r, c))
					fputs(" |", out);
			fputc('\n', out);
		}
		fputs("| ", out);
		md_text(out, name_of(&r->threats[row]));
		fprintf(out, " | %lld |", (long long)r->threats[row].count);
		for (size_t c = 0; c < r->region_count; c++) {
			int64_t n = r->matrix[row * r->region_count + c];

			if (!column_has_cells(r, c))
				continue;
			if (n)
				fprintf(out, " %lld |", (long long)n);
			else
				fputs(" |", out);
		}
		fputc('\n', out);
	}

	md_counts(out, "Defender categories", "category", r->categories, r->category_count, 0);
	fprintf(out, "\n## Sources of threats\n\n%s\n", threat_sources_note);

	fputs("\n## Coverage by region\n\n", out);
	if (order) {
		size_t covered = 0, shown = 0;

		fputs("Most covered:", out);
		for (size_t i = 0; i < r->region_count && shown < COVERAGE_LIST; i++)
			if (r->regions[order[i]].count) {
				fputs(shown++ ? ", " : " ", out);
				md_text(out, name_of(&r->regions[order[i]]));
				fprintf(out, " (%lld)", (long long)r->regions[order[i]].count);
			}
		for (size_t i = 0; i < r->region_count; i++)
			covered += r->regions[i].count > 0;
		fputs(shown ? ".\n\nLeast covered:" : " none.\n\nLeast covered:", out);
		shown = 0;
		for (size_t i = covered; i-- > 0 && shown < COVERAGE_LIST;) {
			fputs(shown++ ? ", " : " ", out);
			md_text(out, name_of(&r->regions[order[i]]));
			fprintf(out, " (%lld)", (long long)r->regions[order[i]].count);
		}
		fputs(shown ? ".\n\nNot covered:" : " none.\n\nNot covered:", out);
		shown = 0;
		for (size_t i = covered; i < r->region_count; i++) {
			fputs(shown++ ? ", " : " ", out);
			md_text(out, name_of(&r->regions[order[i]]));
		}
		fputs(shown ? ".\n" : " none.\n", out);
	}
	md_counts(out, "Regions", "region", r->regions, r->region_count, 1);
	md_counts(out, "Macro-regions", "macro-region", r->macros, r->macro_count, 0);
	md_counts(out, "Outlets", "outlet", r->sources, r->source_count, 0);

	fprintf(out, "\n## Syndicated stories\n\n%lld materials are %lld stories; these were "
		     "published by more than one copy:\n\n| first copy | title | copies | outlets |\n"
		     "|---:|---|---:|---|\n", (long long)r->materials, (long long)r->stories);
	for (size_t i = 0; i < r->syndicated_count; i++) {
		const struct archive_report_story *s = &r->syndicated[i];

		fprintf(out, "| %lld | ", (long long)s->first_id);
		md_text(out, s->title);
		fprintf(out, " | %lld | ", (long long)s->copies);
		for (size_t o = 0; o < s->outlet_count; o++) {
			fputs(o ? ", " : "", out);
			md_text(out, s->outlets[o]);
		}
		fputs(" |\n", out);
	}

	fputs("\n## Deleted by the publisher\n\n| id | date | title | outlet | deleted at | how | "
	      "archived copy |\n|---:|---|---|---|---|---|---|\n", out);
	md_changes(out, data_dir, r->deleted, r->deleted_count, 1);
	fputs("\n## Edited after publication\n\n| id | date | title | outlet | edits | versions | "
	      "archived versions |\n|---:|---|---|---|---:|---:|---|\n", out);
	md_changes(out, data_dir, r->edited, r->edited_count, 0);
	free(order);
}

/* ---- CSV (long format: section,row,column,value) ---- */

static void csv_field(FILE *out, const char *text)
{
	const char *p = text ? text : "";

	if (!p[strcspn(p, ",\"\r\n")]) {
		fputs(p, out);
		return;
	}
	fputc('"', out);
	for (; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

static void csv_row(FILE *out, const char *section, const char *row, const char *column,
		    const char *value)
{
	csv_field(out, section);
	fputc(',', out);
	csv_field(out, row);
	fputc(',', out);
	csv_field(out, column);
	fputc(',', out);
	csv_field(out, value);
	fputs("\r\n", out);
}

static void csv_number(FILE *out, const char *section, const char *row, const char *column,
		       int64_t value)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", (long long)value);
	csv_row(out, section, row, column, text);
}

static void print_csv(FILE *out, const struct archive_report *r)
{
	char text[32];

	csv_row(out, "section", "row", "column", "value");
	report_format_date(r->from, text);
	csv_row(out, "period", "from", "", text);
	report_format_date(r->to, text);
	csv_row(out, "period", "to", "", text);
	csv_number(out, "summary", "materials", "", r->materials);
	csv_number(out, "summary", "outlets", "", r->outlets);
	csv_number(out, "summary", "regions_covered", "", r->regions_covered);
	csv_number(out, "summary", "stories", "", r->stories);
	for (size_t i = 0; i < r->month_count; i++)
		csv_number(out, "month", r->months[i].key, "", r->months[i].count);
	for (size_t i = 0; i < r->quarter_count; i++)
		csv_number(out, "quarter", r->quarters[i].key, "", r->quarters[i].count);
	for (int k = 0; k < 3; k++)
		csv_number(out, "tone", tone_names[tone_order[k]], "", r->tones[tone_order[k]].count);
	for (size_t row = 0; row < r->threat_count; row++) {
		if (!r->threats[row].count)
			continue;
		csv_number(out, "threat", r->threats[row].id, "", r->threats[row].count);
		for (size_t c = 0; c < r->region_count; c++)
			if (r->matrix[row * r->region_count + c])
				csv_number(out, "matrix", r->threats[row].id, r->regions[c].id,
					   r->matrix[row * r->region_count + c]);
	}
	for (size_t i = 0; i < r->category_count; i++)
		csv_number(out, "category", r->categories[i].id, "", r->categories[i].count);
	for (size_t i = 0; i < r->region_count; i++)
		csv_number(out, "region", r->regions[i].id, "", r->regions[i].count);
	for (size_t i = 0; i < r->macro_count; i++)
		csv_number(out, "macro", r->macros[i].id, "", r->macros[i].count);
	for (size_t i = 0; i < r->source_count; i++)
		csv_number(out, "source", r->sources[i].id, "", r->sources[i].count);
	for (size_t i = 0; i < r->syndicated_count; i++) {
		snprintf(text, sizeof(text), "%lld", (long long)r->syndicated[i].first_id);
		csv_number(out, "story", text, "copies", r->syndicated[i].copies);
		csv_number(out, "story", text, "outlets", (int64_t)r->syndicated[i].outlet_count);
	}
	for (size_t i = 0; i < r->deleted_count; i++) {
		char id[32];

		snprintf(id, sizeof(id), "%lld", (long long)r->deleted[i].id);
		vigil_format_time(r->deleted[i].deleted_at, text);
		csv_row(out, "deleted", id, "deleted_at", text);
	}
	for (size_t i = 0; i < r->edited_count; i++) {
		char id[32];

		snprintf(id, sizeof(id), "%lld", (long long)r->edited[i].id);
		csv_number(out, "edited", id, "edits", r->edited[i].edits);
	}
}

/* ---- JSON ---- */

static void json_counts(FILE *out, int *first, const char *key,
			const struct archive_report_count *items, size_t count, const char *group)
{
	json_key(out, first, key);
	fputc('[', out);
	for (size_t i = 0; i < count; i++) {
		int inner = 1;

		fputs(i ? ",{" : "{", out);
		json_key_string(out, &inner, "id", items[i].id);
		json_key_string(out, &inner, "label", items[i].label);
		if (group)
			json_key_string(out, &inner, group, items[i].group);
		json_key_int(out, &inner, "count", items[i].count);
		fputc('}', out);
	}
	fputc(']', out);
}

static void json_buckets(FILE *out, int *first, const char *key,
			 const struct archive_report_bucket *items, size_t count)
{
	json_key(out, first, key);
	fputc('[', out);
	for (size_t i = 0; i < count; i++) {
		char from[32], to[32];
		int inner = 1;

		report_format_date(items[i].from, from);
		report_format_date(items[i].to, to);
		fputs(i ? ",{" : "{", out);
		json_key_string(out, &inner, "key", items[i].key);
		json_key_string(out, &inner, "from", from);
		json_key_string(out, &inner, "to", to);
		json_key_int(out, &inner, "count", items[i].count);
		fputc('}', out);
	}
	fputc(']', out);
}

static void json_changes(FILE *out, int *first, const char *key,
			 const struct archive_report_change *list, size_t count)
{
	json_key(out, first, key);
	fputc('[', out);
	for (size_t i = 0; i < count; i++) {
		const struct archive_report_change *c = &list[i];
		int inner = 1;

		fputs(i ? ",{" : "{", out);
		json_key_int(out, &inner, "id", c->id);
		json_key_string(out, &inner, "url", c->url);
		json_key_string(out, &inner, "title", c->title);
		json_key_string(out, &inner, "source", c->source);
		json_key_time(out, &inner, "date", c->date);
		json_key_bool(out, &inner, "deleted", c->deleted);
		json_key_time(out, &inner, "deleted_at", c->deleted ? c->deleted_at : 0);
		json_key_string(out, &inner, "deleted_how", c->deleted_how);
		json_key_int(out, &inner, "edits", c->edits);
		json_key_int(out, &inner, "versions", c->versions);
		fputc('}', out);
	}
	fputc(']', out);
}

static void print_json(FILE *out, const struct archive_report *r)
{
	char text[32];
	int first = 1;

	fputc('{', out);
	report_format_date(r->from, text);
	json_key_string(out, &first, "from", text);
	report_format_date(r->to, text);
	json_key_string(out, &first, "to", text);
	json_key_int(out, &first, "materials", r->materials);
	json_key_int(out, &first, "outlets", r->outlets);
	json_key_int(out, &first, "regions_covered", r->regions_covered);
	json_key_int(out, &first, "stories", r->stories);
	json_buckets(out, &first, "months", r->months, r->month_count);
	json_buckets(out, &first, "quarters", r->quarters, r->quarter_count);
	json_key(out, &first, "tones");
	fputc('{', out);
	for (int k = 0, tones_first = 1; k < 3; k++) {
		const struct archive_report_tone *t = &r->tones[tone_order[k]];
		int inner = 1;

		json_key(out, &tones_first, tone_names[tone_order[k]]);
		fputc('{', out);
		json_key_int(out, &inner, "count", t->count);
		json_key(out, &inner, "examples");
		fputc('[', out);
		for (size_t e = 0; e < t->example_count; e++) {
			int ex = 1;

			fputs(e ? ",{" : "{", out);
			json_key_int(out, &ex, "id", t->examples[e].id);
			json_key_string(out, &ex, "title", t->examples[e].title);
			json_key_string(out, &ex, "source", t->examples[e].source);
			fputc('}', out);
		}
		fputs("]}", out);
	}
	fputc('}', out);
	/* the matrix: rows with their non-empty cells by region id */
	json_key(out, &first, "threats");
	fputc('[', out);
	for (size_t row = 0, rows = 0; row < r->threat_count; row++) {
		int inner = 1, cells = 1;

		if (!r->threats[row].count)
			continue;
		fputs(rows++ ? ",{" : "{", out);
		json_key_string(out, &inner, "id", r->threats[row].id);
		json_key_string(out, &inner, "label", r->threats[row].label);
		json_key_string(out, &inner, "group", r->threats[row].group);
		json_key_int(out, &inner, "count", r->threats[row].count);
		json_key(out, &inner, "regions");
		fputc('{', out);
		for (size_t c = 0; c < r->region_count; c++)
			if (r->matrix[row * r->region_count + c])
				json_key_int(out, &cells, r->regions[c].id,
					     r->matrix[row * r->region_count + c]);
		fputs("}}", out);
	}
	fputc(']', out);
	json_counts(out, &first, "regions", r->regions, r->region_count, "macro");
	json_counts(out, &first, "macros", r->macros, r->macro_count, NULL);
	json_counts(out, &first, "categories", r->categories, r->category_count, NULL);
	json_counts(out, &first, "sources", r->sources, r->source_count, NULL);
	json_key(out, &first, "threat_sources");
	fputs("null", out);
	json_key_string(out, &first, "threat_sources_note", threat_sources_note);
	json_key(out, &first, "syndicated");
	fputc('[', out);
	for (size_t i = 0; i < r->syndicated_count; i++) {
		const struct archive_report_story *s = &r->syndicated[i];
		int inner = 1;

		fputs(i ? ",{" : "{", out);
		json_key_int(out, &inner, "first_id", s->first_id);
		json_key_string(out, &inner, "title", s->title);
		json_key_int(out, &inner, "copies", s->copies);
		json_key_strings(out, &inner, "outlets", s->outlets, s->outlet_count);
		fputc('}', out);
	}
	fputc(']', out);
	json_changes(out, &first, "deleted", r->deleted, r->deleted_count);
	json_changes(out, &first, "edited", r->edited, r->edited_count);
	fputs("}\n", out);
}

/* ---- HTML ---- */

static void html_text(FILE *out, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++)
		switch (*p) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*p, out);
		}
}

/* A fill from pale to deep red by value / max; grey for zero. */
static void heat_colour(int64_t value, int64_t max, char out[16])
{
	static const int pale[3] = { 0xfd, 0xe0, 0xd2 }, deep[3] = { 0xb2, 0x18, 0x2b };
	double share;
	int rgb[3];

	if (value <= 0 || max <= 0) {
		snprintf(out, 16, "#f2f2f2");
		return;
	}
	share = (double)value / (double)max;
	for (int i = 0; i < 3; i++)
		rgb[i] = pale[i] + (int)((deep[i] - pale[i]) * share);
	snprintf(out, 16, "#%02x%02x%02x", rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff);
}

static const char html_style[] =
	"body{font-family:sans-serif;margin:2em;color:#222;max-width:75em}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;"
	"text-align:left;vertical-align:top}td.n,th.n{text-align:right}"
	"table.heat{font-size:.85em}table.heat td.n{min-width:1.8em;text-align:center}"
	"table.heat th.region{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;"
	"font-weight:normal;vertical-align:bottom}table.heat td.label{min-width:18em}"
	"th.group{background:#eee}"
	".cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;padding:.6em 1em}"
	".card b{display:block;font-size:1.6em}svg text{font-family:sans-serif}"
	"code{background:#f4f4f4;padding:0 .2em}";

static void html_counts(FILE *out, const char *title, const char *what,
			const struct archive_report_count *items, size_t count, int skip_zero)
{
	fprintf(out, "<h2>%s</h2>\n<table><tr><th>%s</th><th>id</th><th class=n>materials</th></tr>\n",
		title, what);
	for (size_t i = 0; i < count; i++) {
		if (skip_zero && !items[i].count)
			continue;
		fputs("<tr><td>", out);
		html_text(out, name_of(&items[i]));
		fputs("</td><td>", out);
		html_text(out, items[i].id);
		fprintf(out, "</td><td class=n>%lld</td></tr>\n", (long long)items[i].count);
	}
	fputs("</table>\n", out);
}

static void html_month_bars(FILE *out, const struct archive_report *r)
{
	const int bar = 44, height = 160;
	int64_t max = 0;

	for (size_t i = 0; i < r->month_count; i++)
		if (r->months[i].count > max)
			max = r->months[i].count;
	fprintf(out, "<svg width=\"%zu\" height=\"%d\" role=\"img\" aria-label=\"materials per "
		     "month\">\n", r->month_count * bar + 10, height + 40);
	for (size_t i = 0; i < r->month_count; i++) {
		int h = max ? (int)(r->months[i].count * height / max) : 0;
		int x = (int)i * bar + 5;

		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#4a78b5\"/>"
			     "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%lld</text>"
			     "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>\n",
			x, 15 + height - h, bar - 8, h, x + (bar - 8) / 2, 12 + height - h,
			(long long)r->months[i].count, x + (bar - 8) / 2, height + 32,
			r->months[i].key);
	}
	fputs("</svg>\n", out);
}

static void html_tone_shares(FILE *out, const struct archive_report *r)
{
	static const char *const colours[3] = { "#9e9e9e", "#c0392b", "#2e8b57" };
	const int width = 600;
	int x = 0;

	fprintf(out, "<svg width=\"%d\" height=\"34\" role=\"img\" aria-label=\"tone shares\">\n",
		width);
	for (int k = 0; k < 3; k++) {
		enum archive_tone t = tone_order[k];
		int w = r->materials ? (int)(r->tones[t].count * width / r->materials) : 0;

		if (k == 2 && r->materials)
			w = width - x;
		fprintf(out, "<rect x=\"%d\" y=\"2\" width=\"%d\" height=\"30\" fill=\"%s\"/>\n", x, w,
			colours[t]);
		x += w;
	}
	fputs("</svg>\n<table><tr><th>tone</th><th class=n>materials</th><th class=n>share</th>"
	      "<th>example headlines</th></tr>\n", out);
	for (int k = 0; k < 3; k++) {
		const struct archive_report_tone *t = &r->tones[tone_order[k]];

		fprintf(out, "<tr><td><span style=\"color:%s\">&#9632;</span> %s</td><td class=n>%lld"
			     "</td><td class=n>%lld%%</td><td>", colours[tone_order[k]],
			tone_names[tone_order[k]], (long long)t->count,
			(long long)percent(t->count, r->materials));
		for (size_t e = 0; e < t->example_count; e++) {
			fputs(e ? "<br>" : "", out);
			html_text(out, t->examples[e].title ? t->examples[e].title : "(no title)");
			fputs(" <small>(", out);
			html_text(out, t->examples[e].source);
			fprintf(out, ", %lld)</small>", (long long)t->examples[e].id);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void html_matrix(FILE *out, const struct archive_report *r)
{
	int64_t max = 0;
	const char *group = NULL;
	int first_row = 1;

	for (size_t i = 0; i < r->threat_count * r->region_count; i++)
		if (r->matrix[i] > max)
			max = r->matrix[i];
	fputs("<table class=heat><tr><th>threat type</th><th class=n>total</th>", out);
	for (size_t c = 0; c < r->region_count; c++)
		if (column_has_cells(r, c)) {
			fputs("<th class=region>", out);
			html_text(out, name_of(&r->regions[c]));
			fputs("</th>", out);
		}
	fputs("</tr>\n", out);
	for (size_t row = 0; row < r->threat_count; row++) {
		const char *g = r->threats[row].group;

		if (!row_has_cells(r, row))
			continue;
		if (first_row || (g == NULL) != (group == NULL) || (g && strcmp(g, group) != 0)) {
			fputs("<tr><th class=group colspan=2>", out);
			html_text(out, g ? g : "not in the rules");
			fputs("</th></tr>\n", out);
		}
		first_row = 0;
		group = g;
		fputs("<tr><td class=label>", out);
		html_text(out, name_of(&r->threats[row]));
		fprintf(out, "</td><td class=n>%lld</td>", (long long)r->threats[row].count);
		for (size_t c = 0; c < r->region_count; c++) {
			int64_t n = r->matrix[row * r->region_count + c];
			char colour[16];

			if (!column_has_cells(r, c))
				continue;
			heat_colour(n, max, colour);
			if (n)
				fprintf(out, "<td class=n style=\"background:%s%s\">%lld</td>", colour,
					n * 2 > max ? ";color:#fff" : "", (long long)n);
			else
				fputs("<td class=n></td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void html_tile_map(FILE *out, const struct archive_report *r,
			  const struct report_tiles *tiles)
{
	const int size = 86, gap = 4;
	int columns = 0, rows = 0, listed = 0;
	int64_t max = 0;

	for (size_t i = 0; i < r->region_count; i++)
		if (r->regions[i].count > max)
			max = r->regions[i].count;
	for (size_t t = 0; t < tiles->count; t++) {
		if (tiles->items[t].column + 1 > columns)
			columns = tiles->items[t].column + 1;
		if (tiles->items[t].row + 1 > rows)
			rows = tiles->items[t].row + 1;
	}
	fprintf(out, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"materials by "
		     "region\">\n", columns * (size + gap), rows * (size + gap));
	for (size_t i = 0; i < r->region_count; i++) {
		const struct archive_report_count *c = &r->regions[i];
		char colour[16];

		for (size_t t = 0; t < tiles->count; t++) {
			const struct report_tile *tile = &tiles->items[t];
			int x = tile->column * (size + gap), y = tile->row * (size + gap);

			if (strcmp(tile->id, c->id) != 0)
				continue;
			heat_colour(c->count, max, colour);
			fputs("<g><title>", out);
			html_text(out, name_of(c));
			fprintf(out, ": %lld</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				     "rx=\"6\" fill=\"%s\" stroke=\"#999\"/>"
				     "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" "
				     "fill=\"%s\">", (long long)c->count, x, y, size, size, colour,
				x + size / 2, y + 30, c->count * 2 > max ? "#fff" : "#222");
			html_text(out, c->id);
			fprintf(out, "</text><text x=\"%d\" y=\"%d\" font-size=\"20\" "
				     "text-anchor=\"middle\" fill=\"%s\">%lld</text></g>\n",
				x + size / 2, y + 60, c->count * 2 > max ? "#fff" : "#222",
				(long long)c->count);
			break;
		}
	}
	fputs("</svg>\n", out);
	/* regions the tile file does not place */
	for (size_t i = 0; i < r->region_count; i++) {
		int placed = 0;

		for (size_t t = 0; t < tiles->count && !placed; t++)
			placed = strcmp(tiles->items[t].id, r->regions[i].id) == 0;
		if (placed)
			continue;
		fputs(listed++ ? ", " : "<p>Not on the map: ", out);
		html_text(out, name_of(&r->regions[i]));
		fprintf(out, " (%lld)", (long long)r->regions[i].count);
	}
	if (listed)
		fputs("</p>\n", out);
	fputs("<p><small>Tiles: config/report_tiles.tsv; ids as in the region rules.</small></p>\n",
	      out);
}

static void html_changes(FILE *out, const char *data_dir,
			 const struct archive_report_change *list, size_t count, int deleted)
{
	fprintf(out, "<table><tr><th class=n>id</th><th>date</th><th>title</th><th>outlet</th>%s"
		     "<th>archived %s</th></tr>\n",
		deleted ? "<th>deleted at</th><th>how</th>" : "<th class=n>edits</th>",
		deleted ? "copy" : "versions");
	for (size_t i = 0; i < count; i++) {
		const struct archive_report_change *c = &list[i];
		char date[32], when[32];

		report_format_date(c->date, date);
		fprintf(out, "<tr><td class=n>%lld</td><td>%.10s</td><td>", (long long)c->id, date);
		html_text(out, c->title);
		fputs("<br><small>", out);
		html_text(out, c->url);
		fputs("</small></td><td>", out);
		html_text(out, c->source);
		fputs("</td>", out);
		if (deleted) {
			vigil_format_time(c->deleted_at, when);
			fprintf(out, "<td>%s</td><td>", when);
			html_text(out, c->deleted_how ? c->deleted_how : "-");
			fputs("</td><td><code>vigil show --data ", out);
			html_text(out, data_dir);
			fprintf(out, " %lld</code></td></tr>\n", (long long)c->id);
		} else {
			fprintf(out, "<td class=n>%d</td><td>", c->edits);
			for (int v = 1; v <= c->versions; v++) {
				fputs("<code>vigil show --data ", out);
				html_text(out, data_dir);
				fprintf(out, " --version %d %lld</code><br>", v, (long long)c->id);
			}
			fputs("<code>vigil diff --data ", out);
			html_text(out, data_dir);
			fprintf(out, " %lld</code></td></tr>\n", (long long)c->id);
		}
	}
	fputs("</table>\n", out);
}

static void print_html(FILE *out, const struct archive_report *r, const char *data_dir,
		       const struct report_tiles *tiles)
{
	char from[32], to[32];

	report_format_date(r->from, from);
	report_format_date(r->to, to);
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\">"
		     "<title>Media monitoring %s to %s</title><style>%s</style></head><body>\n",
		from, to, html_style);
	fprintf(out, "<h1>Media monitoring: %s to %s (exclusive)</h1>\n<p>Materials that mention "
		     "human-rights defenders, dated (published, else first seen) in the period. "
		     "Each figure is reproduced by <code>vigil report --explain CELL</code>.</p>\n",
		from, to);
	fprintf(out, "<div class=cards><div class=card><b>%lld</b>materials</div><div class=card>"
		     "<b>%lld</b>outlets</div><div class=card><b>%lld</b>regions covered (of %zu)"
		     "</div><div class=card><b>%lld</b>stories</div></div>\n",
		(long long)r->materials, (long long)r->outlets, (long long)r->regions_covered,
		r->region_count, (long long)r->stories);
	fputs("<h2>Materials per month</h2>\n", out);
	html_month_bars(out, r);
	fputs("<table><tr><th>quarter</th><th class=n>materials</th></tr>\n", out);
	for (size_t i = 0; i < r->quarter_count; i++)
		fprintf(out, "<tr><td>%s</td><td class=n>%lld</td></tr>\n", r->quarters[i].key,
			(long long)r->quarters[i].count);
	fputs("</table>\n<h2>Tone</h2>\n", out);
	html_tone_shares(out, r);
	fputs("<h2>Threat types by region</h2>\n<p>A material counts in every region it names; "
	      "total: materials with that threat, whatever their region.</p>\n", out);
	html_matrix(out, r);
	fputs("<h2>Materials by region</h2>\n", out);
	html_tile_map(out, r, tiles);
	html_counts(out, "Defender categories", "category", r->categories, r->category_count, 0);
	fputs("<h2>Sources of threats</h2>\n<p>", out);
	html_text(out, threat_sources_note);
	fputs("</p>\n", out);
	html_counts(out, "Macro-regions", "macro-region", r->macros, r->macro_count, 0);
	html_counts(out, "Outlets", "outlet", r->sources, r->source_count, 0);
	fprintf(out, "<h2>Syndicated stories</h2>\n<p>%lld materials are %lld stories; these "
		     "were published by more than one copy:</p>\n<table><tr><th class=n>first copy"
		     "</th><th>title</th><th class=n>copies</th><th>outlets</th></tr>\n",
		(long long)r->materials, (long long)r->stories);
	for (size_t i = 0; i < r->syndicated_count; i++) {
		const struct archive_report_story *s = &r->syndicated[i];

		fprintf(out, "<tr><td class=n>%lld</td><td>", (long long)s->first_id);
		html_text(out, s->title);
		fprintf(out, "</td><td class=n>%lld</td><td>", (long long)s->copies);
		for (size_t o = 0; o < s->outlet_count; o++) {
			fputs(o ? ", " : "", out);
			html_text(out, s->outlets[o]);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n<h2>Deleted by the publisher</h2>\n", out);
	html_changes(out, data_dir, r->deleted, r->deleted_count, 1);
	fputs("<h2>Edited after publication</h2>\n", out);
	html_changes(out, data_dir, r->edited, r->edited_count, 0);
	fputs("</body></html>\n", out);
}

void report_print(FILE *out, enum report_format format, const struct archive_report *report,
		  const char *data_dir, const struct report_tiles *tiles)
{
	switch (format) {
	case REPORT_FORMAT_MD: print_md(out, report, data_dir); break;
	case REPORT_FORMAT_CSV: print_csv(out, report); break;
	case REPORT_FORMAT_JSON: print_json(out, report); break;
	case REPORT_FORMAT_HTML: print_html(out, report, data_dir, tiles); break;
	}
}
