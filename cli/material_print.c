/* material_print.c: the JSON and table forms of a material. */
#include "material_print.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_regions_json(FILE *out, int *first, const struct archive_material *m)
{
	json_key(out, first, "regions");
	fputc('[', out);
	for (size_t i = 0; i < m->region_count; i++) {
		if (i)
			fputc(',', out);
		json_string(out, m->regions[i].id);
	}
	fputc(']', out);
	json_key(out, first, "region_names");
	fputc('[', out);
	for (size_t i = 0; i < m->region_count; i++) {
		if (i)
			fputc(',', out);
		json_string(out, m->regions[i].label ? m->regions[i].label : m->regions[i].id);
	}
	fputc(']', out);
}

void material_print_json_fields(FILE *out, int *first, const struct archive_material *m)
{
	json_key_int(out, first, "id", m->id);
	json_key_string(out, first, "url", m->url);
	json_key_string(out, first, "source", m->source);
	json_key_string(out, first, "title", m->title);
	json_key_string(out, first, "published", m->published);
	json_key_time(out, first, "first_seen", m->first_seen);
	json_key_time(out, first, "last_seen", m->last_seen);
	json_key_string(out, first, "lang", m->lang);
	json_key_string(out, first, "tone", archive_tone_name(m->tone));
	json_key_int(out, first, "tone_score", m->tone_score);
	json_key_bool(out, first, "relevant", m->relevant);
	print_regions_json(out, first, m);
	json_key_strings(out, first, "categories", m->categories, m->category_count);
	json_key_strings(out, first, "threats", m->threats, m->threat_count);
	json_key_bool(out, first, "deleted", m->deleted);
	json_key_time(out, first, "deleted_at", m->deleted ? m->deleted_at : 0);
	json_key_string(out, first, "deleted_how", m->deleted ? m->deleted_how : NULL);
	json_key_time(out, first, "restored_at", m->restored_at);
	json_key_int(out, first, "edits", m->edits);
	json_key_int(out, first, "versions", m->versions);
	json_key_int(out, first, "story", m->story_id);
	json_key_string(out, first, "post", m->post_key); /* "NAME/ID" of a channel post */
}

static void join_regions(const struct archive_material *m, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < m->region_count && used + 1 < size; i++) {
		const char *name = m->regions[i].label ? m->regions[i].label : m->regions[i].id;
		int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "", name);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

void material_print_table(FILE *out, const struct archive_material *items, size_t count,
			  int snippets)
{
	char regions[256];

	fprintf(out, "%-6s ", "ID");
	cli_print_cell(out, "PUBLISHED", 11);
	cli_print_cell(out, "SOURCE", 12);
	cli_print_cell(out, "TONE", 11);
	cli_print_cell(out, "REGIONS", 24);
	cli_print_cell(out, "V", 3);
	fputs("TITLE\n", out);
	for (size_t i = 0; i < count; i++) {
		const struct archive_material *m = &items[i];
		char published[32] = "";
		char versions[16];

		if (m->published)
			snprintf(published, sizeof(published), "%.10s", m->published);
		else
			vigil_format_time(m->first_seen, published), published[10] = '\0';
		join_regions(m, regions, sizeof(regions));
		snprintf(versions, sizeof(versions), "%d", m->versions);
		fprintf(out, "%-6lld ", (long long)m->id);
		cli_print_cell(out, published, 11);
		cli_print_cell(out, m->source, 12);
		cli_print_cell(out, archive_tone_name(m->tone), 11);
		cli_print_cell(out, regions, 24);
		cli_print_cell(out, versions, 3);
		if (m->deleted)
			fputs("[deleted] ", out);
		if (m->story_copies > 1)
			fprintf(out, "[%d copies, %d outlet%s] ", m->story_copies, m->story_outlets,
				m->story_outlets == 1 ? "" : "s");
		fputs(m->title ? m->title : m->url, out);
		fputc('\n', out);
		if (snippets && m->snippet)
			fprintf(out, "       %s\n", m->snippet);
	}
	if (count && items[0].story_copies) { /* search --story */
		long long materials = 0;

		for (size_t i = 0; i < count; i++)
			materials += items[i].story_copies;
		fprintf(out, "%zu stor%s of %lld material%s\n", count, count == 1 ? "y" : "ies",
			materials, materials == 1 ? "" : "s");
		return;
	}
	fprintf(out, "%zu material%s\n", count, count == 1 ? "" : "s");
}
