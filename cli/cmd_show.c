/* cmd_show.c: vigil show, one material with its classification, the rule
 * hits that explain it, its versions and the text of one version. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "../archive/archive.h"
#include "material_print.h"

/* The copies of the material's story (itself included), earliest first. */
static void print_copies_json(const struct archive_material_detail *d, int *first)
{
	json_key(stdout, first, "copies");
	fputc('[', stdout);
	for (size_t i = 0; i < d->copy_count; i++) {
		const struct archive_story_copy *c = &d->copies[i];
		int f = 1;

		fputs(i ? ",{" : "{", stdout);
		json_key_int(stdout, &f, "id", c->id);
		json_key_string(stdout, &f, "url", c->url);
		json_key_string(stdout, &f, "source", c->source);
		json_key_string(stdout, &f, "published", c->published);
		json_key_time(stdout, &f, "first_seen", c->first_seen);
		json_key_bool(stdout, &f, "earliest", i == 0);
		json_key_bool(stdout, &f, "deleted", c->deleted);
		fputc('}', stdout);
	}
	fputc(']', stdout);
}

/* "published" date as the page gave it, else the day first seen. */
static void copy_day(const struct archive_story_copy *c, char out[32])
{
	if (c->published)
		snprintf(out, 32, "%.10s", c->published);
	else
		vigil_format_time(c->first_seen, out), out[10] = '\0';
}

static void print_copies_text(const struct archive_material_detail *d)
{
	size_t outlets = 0;

	for (size_t i = 0; i < d->copy_count; i++) {
		size_t j = 0;

		while (j < i && !(d->copies[j].source && d->copies[i].source &&
				  !strcmp(d->copies[j].source, d->copies[i].source)))
			j++;
		outlets += j == i;
	}
	if (d->copy_count < 2) {
		printf("%-12s%lld (no other copies)\n", "story", (long long)d->material.story_id);
		return;
	}
	printf("%-12s%lld: %zu copies in %zu outlet%s, the earliest first\n", "story",
	       (long long)d->material.story_id, d->copy_count, outlets, outlets == 1 ? "" : "s");
	for (size_t i = 0; i < d->copy_count; i++) {
		const struct archive_story_copy *c = &d->copies[i];
		char day[32];

		copy_day(c, day);
		printf("  %-6lld %s  %-14s %s%s%s%s\n", (long long)c->id, day, c->source ? c->source : "-",
		       c->url, i == 0 ? "  [first seen]" : "",
		       c->id == d->material.id ? "  [this]" : "", c->deleted ? "  [deleted]" : "");
	}
}

/* Print the words of text split at sep as a JSON array. */
static void print_split_json(const char *text, char sep)
{
	const char seps[2] = { sep, '\0' };

	fputc('[', stdout);
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, seps);
		char *item = strndup(p, n);

		if (p != text)
			fputc(',', stdout);
		json_string(stdout, item ? item : "");
		free(item);
		p += n;
		p += *p == sep;
	}
	fputc(']', stdout);
}

/* A channel post's own facts, or null. */
static void print_channel_json(const struct archive_channel_post *c, int *first)
{
	int f = 1;

	json_key(stdout, first, "channel_post");
	if (!c->key) {
		fputs("null", stdout);
		return;
	}
	fputc('{', stdout);
	json_key_string(stdout, &f, "key", c->key);
	json_key_string(stdout, &f, "channel", c->channel);
	json_key(stdout, &f, "views");
	if (c->views >= 0)
		printf("%lld", (long long)c->views);
	else
		fputs("null", stdout);
	json_key_bool(stdout, &f, "edited", c->edited);
	json_key_string(stdout, &f, "forwarded_from", c->forwarded_from);
	json_key_string(stdout, &f, "forwarded_url", c->forwarded_url);
	json_key(stdout, &f, "links");
	print_split_json(c->links, '\n');
	json_key(stdout, &f, "album");
	print_split_json(c->album, ' ');
	fputc('}', stdout);
}

/* Leaves the object open: the caller adds the explanation and closes it. */
static void print_json(const struct archive_material_detail *d, int *first_out)
{
	int first = 1;

	fputc('{', stdout);
	material_print_json_fields(stdout, &first, &d->material);
	json_key_string(stdout, &first, "author", d->author);
	json_key_string(stdout, &first, "canonical_url", d->canonical_url);
	json_key_int(stdout, &first, "shown_version", d->shown_version);
	print_channel_json(&d->channel, &first);
	json_key(stdout, &first, "versions_list");
	fputc('[', stdout);
	for (size_t i = 0; i < d->version_count; i++) {
		int f = 1;

		fputs(i ? ",{" : "{", stdout);
		json_key_int(stdout, &f, "number", d->versions[i].number);
		json_key_time(stdout, &f, "fetched_at", d->versions[i].fetched_at);
		json_key_string(stdout, &f, "title", d->versions[i].title);
		json_key_bool(stdout, &f, "minor", d->versions[i].minor);
		json_key_string(stdout, &f, "final_url", d->versions[i].final_url);
		fputc('}', stdout);
	}
	fputc(']', stdout);
	json_key(stdout, &first, "events");
	fputc('[', stdout);
	for (size_t i = 0; i < d->event_count; i++) {
		const struct archive_event *e = &d->events[i];
		int f = 1;

		fputs(i ? ",{" : "{", stdout);
		json_key_string(stdout, &f, "kind", e->kind);
		json_key_time(stdout, &f, "at", e->at);
		json_key_string(stdout, &f, "how", e->how);
		json_key_string(stdout, &f, "detail", e->detail);
		fputc('}', stdout);
	}
	fputc(']', stdout);
	json_key(stdout, &first, "hits");
	fputc('[', stdout);
	for (size_t i = 0; i < d->hit_count; i++) {
		const struct archive_hit *h = &d->hits[i];
		int f = 1;

		fputs(i ? ",{" : "{", stdout);
		json_key_string(stdout, &f, "kind", h->kind);
		json_key_string(stdout, &f, "rule", h->rule_id);
		json_key_string(stdout, &f, "label", h->label);
		json_key_string(stdout, &f, "matched", h->matched);
		json_key_int(stdout, &f, "weight", h->weight);
		json_key_string(stdout, &f, "where", h->where);
		fputc('}', stdout);
	}
	fputc(']', stdout);
	print_copies_json(d, &first);
	json_key_string(stdout, &first, "text", d->text);
	*first_out = first;
}

/* What a deletion's "how" means, for people. */
static const char *how_text(const char *how)
{
	if (!strcmp(how, "404"))
		return "404 Not Found";
	if (!strcmp(how, "410"))
		return "410 Gone";
	if (!strcmp(how, "redirect"))
		return "redirected to a page that is not the article";
	if (!strcmp(how, "soft-404"))
		return "soft 404 (a \"not found\" page answered with 200)";
	if (!strcmp(how, "channel"))
		return "gone from its channel";
	return how;
}

static void print_list(const char *name, char *const *values, size_t count)
{
	printf("%-12s", name);
	for (size_t i = 0; i < count; i++)
		printf("%s%s", i ? ", " : "", values[i]);
	printf("%s\n", count ? "" : "-");
}

static void print_text(const struct archive_material_detail *d)
{
	const struct archive_material *m = &d->material;
	char when[32];

	printf("material %lld%s\n", (long long)m->id, m->deleted ? "  [DELETED by the publisher]" : "");
	printf("%-12s%s\n", "url", m->url);
	printf("%-12s%s\n", "source", m->source ? m->source : "-");
	printf("%-12s%s\n", "title", m->title ? m->title : "-");
	printf("%-12s%s\n", "author", d->author ? d->author : "-");
	printf("%-12s%s\n", "published", m->published ? m->published : "-");
	vigil_format_time(m->first_seen, when);
	printf("%-12s%s\n", "first seen", when);
	vigil_format_time(m->last_seen, when);
	printf("%-12s%s\n", "last seen", when);
	if (m->deleted) {
		vigil_format_time(m->deleted_at, when);
		printf("%-12s%s\n", "deleted at", when);
		printf("%-12s%s\n", "deleted how", m->deleted_how ? how_text(m->deleted_how) : "-");
	}
	if (m->restored_at) {
		vigil_format_time(m->restored_at, when);
		printf("%-12s%s\n", "restored at", when);
	}
	printf("%-12s%s\n", "language", m->lang ? m->lang : "-");
	if (d->channel.key) {
		const struct archive_channel_post *c = &d->channel;

		printf("%-12s%s (%s)\n", "post", c->key, c->channel ? c->channel : "-");
		if (c->views >= 0)
			printf("%-12s%lld\n", "views", (long long)c->views);
		if (c->edited)
			printf("%-12s%s\n", "edited", "yes (Telegram's mark)");
		if (c->forwarded_from || c->forwarded_url)
			printf("%-12s%s %s\n", "forwarded", c->forwarded_from ? c->forwarded_from : "",
			       c->forwarded_url ? c->forwarded_url : "");
		if (c->album)
			printf("%-12s%s\n", "album", c->album);
		for (const char *p = c->links; p && *p;) {
			size_t n = strcspn(p, "\n");

			printf("%-12s%.*s\n", p == c->links ? "links" : "", (int)n, p);
			p += n;
			p += *p == '\n';
		}
	}
	printf("%-12s%s (score %d)%s\n", "tone", archive_tone_name(m->tone), m->tone_score,
	       m->relevant ? "" : "  [does not mention defenders]");
	printf("%-12s", "regions");
	for (size_t i = 0; i < m->region_count; i++)
		printf("%s%s (%s)", i ? ", " : "", m->regions[i].label ? m->regions[i].label : m->regions[i].id,
		       m->regions[i].id);
	printf("%s\n", m->region_count ? "" : "-");
	print_list("categories", m->categories, m->category_count);
	print_list("threats", m->threats, m->threat_count);
	print_copies_text(d);

	printf("\nwhy (rule hits of version %d):\n", d->shown_version);
	if (!d->hit_count)
		printf("  none\n");
	for (size_t i = 0; i < d->hit_count; i++) {
		const struct archive_hit *h = &d->hits[i];

		printf("  %-9s %-22s «%s»", h->kind, h->rule_id, h->matched ? h->matched : "");
		if (h->weight)
			printf(" %+d", h->weight);
		printf("  %s\n", h->where ? h->where : "");
	}
	printf("\nversions:\n");
	for (size_t i = 0; i < d->version_count; i++) {
		vigil_format_time(d->versions[i].fetched_at, when);
		printf("  %c %d  %s  %s%s\n", d->versions[i].number == d->shown_version ? '*' : ' ',
		       d->versions[i].number, when, d->versions[i].title ? d->versions[i].title : "",
		       d->versions[i].minor ? "  [minor edit]" : "");
		if (d->versions[i].final_url)
			printf("         read at %s (the article moved)\n", d->versions[i].final_url);
	}
	if (d->event_count) {
		printf("\nhistory:\n");
		for (size_t i = 0; i < d->event_count; i++) {
			const struct archive_event *e = &d->events[i];

			vigil_format_time(e->at, when);
			printf("  %s  %-8s %s%s%s\n", when, e->kind, e->how ? how_text(e->how) : "",
			       e->detail ? ": " : "", e->detail ? e->detail : "");
		}
	}
	printf("\ntext of version %d:\n\n%s\n", d->shown_version, d->text ? d->text : "");
}

int cmd_show(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	const char *version_text = cli_value(command, args, "version");
	struct archive_material_detail detail = { 0 };
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	int version = 0, status;

	if (version_text) {
		char *end;
		long n = strtol(version_text, &end, 10);

		if (*end || n <= 0 || n > 1000000) {
			cli_error(command, "--version '%s' is not a version number (1 = first)", version_text);
			return CLI_USAGE;
		}
		version = (int)n;
	}
	if (!args->args[0][strspn(args->args[0], " \t\r\n")]) {
		cli_error(command, "empty ID or URL (give a material id from 'vigil search' or its URL)");
		return CLI_USAGE;
	}
	status = cli_open_store(command, data_dir, ARCHIVE_OPEN_READ, &store);
	if (status)
		return status;
	if (archive_material_get(store, args->args[0], version, &detail, &err) != VIGIL_OK) {
		archive_store_close(&store);
		return cli_fail(command, &err);
	}
	if (cli_flag(command, args, "json")) {
		int first;

		print_json(&detail, &first);
		cli_print_explanation_json(command, args, data_dir, detail.material.title,
					   detail.text, &first);
		fputs("}\n", stdout);
	} else {
		print_text(&detail);
		cli_print_explanation(command, args, data_dir, detail.material.title, detail.text);
	}
	archive_material_detail_release(&detail);
	archive_store_close(&store);
	return CLI_OK;
}
