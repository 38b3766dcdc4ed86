/* cmd_diff.c: vigil diff, the word-level changes between two versions of a
 * material (common/textdiff.h), for a terminal or as JSON. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../archive/archive.h"
#include "../common/textdiff.h"

const struct cli_option cmd_diff_options[] = {
	{ "data", "DIR", "data directory (default $VIGIL_DATA or ./vigil-data)" },
	{ "json", NULL, "print one JSON object: the versions, counts and the spans of title and text" },
	{ NULL, NULL, NULL }
};

#define COLOUR_REMOVED "\033[31m"
#define COLOUR_ADDED "\033[32m"
#define COLOUR_END "\033[0m"

static int parse_version(const struct cli_command *command, const char *text, int *out)
{
	char *end;
	long n = strtol(text, &end, 10);

	if (!*text || *end || n <= 0 || n > 1000000) {
		cli_error(command, "'%s' is not a version number (1 = first)", text);
		return CLI_USAGE;
	}
	*out = (int)n;
	return CLI_OK;
}

static void print_spans(FILE *out, const struct vigil_diff *d, int colour)
{
	for (size_t i = 0; i < d->count; i++) {
		const struct vigil_diff_span *s = &d->spans[i];

		/* The old text may end where the new one goes on. */
		if (i && d->spans[i - 1].space_len == 0)
			fputc(' ', out);
		if (s->op == VIGIL_DIFF_REMOVED)
			fputs(colour ? COLOUR_REMOVED : "[-", out);
		else if (s->op == VIGIL_DIFF_ADDED)
			fputs(colour ? COLOUR_ADDED : "{+", out);
		fwrite(s->text, 1, s->len, out);
		if (s->op == VIGIL_DIFF_REMOVED)
			fputs(colour ? COLOUR_END : "-]", out);
		else if (s->op == VIGIL_DIFF_ADDED)
			fputs(colour ? COLOUR_END : "+}", out);
		fwrite(s->space, 1, s->space_len, out);
	}
	fputc('\n', out);
}

static void print_spans_json(FILE *out, int *first, const char *key, const struct vigil_diff *d)
{
	static const char *const names[] = { "same", "removed", "added" };
	struct vigil_buf text = VIGIL_BUF_INIT;

	json_key(out, first, key);
	fputc('[', out);
	for (size_t i = 0; i < d->count; i++) {
		const struct vigil_diff_span *s = &d->spans[i];
		int f = 1;

		text.len = 0;
		if (vigil_buf_append(&text, s->text, s->len) ||
		    vigil_buf_append(&text, s->space, s->space_len))
			break; /* out of memory: the list ends early */
		fputs(i ? ",{" : "{", out);
		json_key_string(out, &f, "op", names[s->op]);
		json_key_string(out, &f, "text", text.data);
		fputc('}', out);
	}
	fputc(']', out);
	vigil_buf_release(&text);
}

static const struct archive_version *find_version(const struct archive_material_detail *d,
						  int number)
{
	for (size_t i = 0; i < d->version_count; i++)
		if (d->versions[i].number == number)
			return &d->versions[i];
	return NULL;
}

int cmd_diff(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	struct archive_material_detail from = { 0 }, to = { 0 };
	struct vigil_diff title = { 0 }, text = { 0 };
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	const struct archive_version *v_from, *v_to;
	int v1 = 0, v2 = 0, status;
	char when1[32], when2[32];

	if (args->arg_count == 2) {
		cli_error(command, "give both V1 and V2, or neither (the last two versions)");
		return CLI_USAGE;
	}
	if (!args->args[0][strspn(args->args[0], " \t\r\n")]) {
		cli_error(command, "empty ID or URL (give a material id from 'vigil search' or its URL)");
		return CLI_USAGE;
	}
	if (args->arg_count == 3 && ((status = parse_version(command, args->args[1], &v1)) ||
				     (status = parse_version(command, args->args[2], &v2))))
		return status;
	status = cli_open_store(command, data_dir, ARCHIVE_OPEN_READ, &store);
	if (status)
		return status;
	if (archive_material_get(store, args->args[0], v2, &to, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	if (!v2) {
		v2 = to.shown_version;
		v1 = v2 - 1;
		if (v1 < 1) {
			cli_error(command, "material %lld has only one version: nothing to compare",
				  (long long)to.material.id);
			status = CLI_FAILED;
			goto done;
		}
	}
	if (archive_material_get(store, args->args[0], v1, &from, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	if (vigil_diff_words(from.material.title, to.material.title, &title, &err) != VIGIL_OK ||
	    vigil_diff_words(from.text, to.text, &text, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	v_from = find_version(&to, v1);
	v_to = find_version(&to, v2);
	vigil_format_time(v_from ? v_from->fetched_at : 0, when1);
	vigil_format_time(v_to ? v_to->fetched_at : 0, when2);
	if (cli_flag(command, args, "json")) {
		int first = 1, f = 1;

		fputc('{', stdout);
		json_key_int(stdout, &first, "id", to.material.id);
		json_key_string(stdout, &first, "url", to.material.url);
		json_key(stdout, &first, "from");
		fputc('{', stdout);
		json_key_int(stdout, &f, "number", v1);
		json_key_time(stdout, &f, "fetched_at", v_from ? v_from->fetched_at : 0);
		fputc('}', stdout);
		f = 1;
		json_key(stdout, &first, "to");
		fputc('{', stdout);
		json_key_int(stdout, &f, "number", v2);
		json_key_time(stdout, &f, "fetched_at", v_to ? v_to->fetched_at : 0);
		json_key_bool(stdout, &f, "minor", v_to && v_to->minor);
		fputc('}', stdout);
		json_key_int(stdout, &first, "removed", (long long)(title.removed + text.removed));
		json_key_int(stdout, &first, "added", (long long)(title.added + text.added));
		print_spans_json(stdout, &first, "title", &title);
		print_spans_json(stdout, &first, "text", &text);
		fputs("}\n", stdout);
	} else {
		int colour = isatty(STDOUT_FILENO);

		printf("material %lld  %s\n", (long long)to.material.id, to.material.url);
		printf("version %d (%s) -> version %d (%s)%s: %zu words removed, %zu added\n", v1,
		       when1, v2, when2, v_to && v_to->minor ? " [minor edit]" : "",
		       title.removed + text.removed, title.added + text.added);
		printf("\ntitle: ");
		print_spans(stdout, &title, colour);
		printf("\n");
		print_spans(stdout, &text, colour);
	}
	status = CLI_OK;
done:
	vigil_diff_release(&title);
	vigil_diff_release(&text);
	archive_material_detail_release(&from);
	archive_material_detail_release(&to);
	archive_store_close(&store);
	return status;
}
