/* cmd_extract.c: vigil extract, the crawler's extraction on saved pages;
 * also the command the extraction benchmarks run (one process for a corpus). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../parser/parser.h"

#define EXTRACT_MAX_INPUT (32L * 1024 * 1024)

static enum vigil_code read_input(const char *path, struct vigil_buf *buf, struct vigil_error *err)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	enum vigil_code code = VIGIL_OK;
	size_t n;

	if (!in)
		return vigil_error_set(err, VIGIL_ERR_IO, "cannot open '%s': %s", path,
				       strerror(errno));
	buf->limit = EXTRACT_MAX_INPUT;
	while (!code && (n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
		if (vigil_buf_append(buf, chunk, n) != VIGIL_OK)
			code = vigil_error_set(err, VIGIL_ERR_TOO_LARGE,
					       "'%s' is larger than %ld bytes", path,
					       EXTRACT_MAX_INPUT);
	}
	if (!code && ferror(in))
		code = vigil_error_set(err, VIGIL_ERR_IO, "cannot read '%s': %s", path,
				       strerror(errno));
	if (in != stdin)
		fclose(in);
	return code;
}

/* One page: its text or JSON line on stdout, warnings and errors on
 * stderr. In JSON mode a page that fails still gets its line, with
 * "error", so a corpus keeps one line per file. */
static int extract_one(const struct cli_command *command, struct cli_args_parsed *args,
		       const char *path, int64_t fetched_at, int json, int header)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	struct parse_document doc = { 0 };
	struct vigil_error err = { 0 };
	int status = CLI_OK, first = 1;

	if (read_input(path, &buf, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
	} else if (parse_extract(buf.data ? buf.data : "", buf.len,
				 cli_value(command, args, "content-type"),
				 cli_value(command, args, "url"), fetched_at, &doc, &err) != VIGIL_OK) {
		vigil_error_prefix(&err, "%s", path);
		status = cli_fail(command, &err);
	}
	vigil_buf_release(&buf);
	if (status) {
		if (json) {
			fputc('{', stdout);
			json_key_string(stdout, &first, "file", path);
			json_key_string(stdout, &first, "error",
					err.message[0] ? err.message : vigil_strerror(err.code));
			fputs("}\n", stdout);
		}
		return status;
	}
	for (size_t i = 0; i < doc.warning_count; i++)
		cli_error(command, "warning: %s: %s", path, doc.warnings[i]);
	if (json) {
		fputc('{', stdout);
		json_key_string(stdout, &first, "file", path);
		json_key_string(stdout, &first, "title", doc.title);
		json_key_string(stdout, &first, "author", doc.author);
		json_key_string(stdout, &first, "published", doc.published);
		json_key_string(stdout, &first, "published_source", doc.published_source);
		json_key_string(stdout, &first, "language", doc.language);
		json_key_string(stdout, &first, "lang", doc.language);
		json_key_string(stdout, &first, "canonical_url", doc.canonical_url);
		json_key_string(stdout, &first, "description", doc.description);
		json_key_string(stdout, &first, "site_name", doc.site_name);
		json_key_string(stdout, &first, "charset", doc.charset);
		json_key_string(stdout, &first, "text", doc.text);
		fputs("}\n", stdout);
	} else {
		if (header)
			printf("==> %s <==\n", path);
		if (doc.text && *doc.text) {
			fputs(doc.text, stdout);
			fputc('\n', stdout);
		}
	}
	parse_document_release(&doc);
	return CLI_OK;
}

int cmd_extract(const struct cli_command *command, struct cli_args_parsed *args)
{
	int json = cli_flag(command, args, "json"), status = CLI_OK, stdin_used = 0;
	const char *fetched = cli_value(command, args, "fetched");
	int64_t fetched_at = vigil_now();

	if (cli_flag(command, args, "text") && json) {
		cli_error(command, "--text and --json exclude each other");
		return CLI_USAGE;
	}
	if (fetched && vigil_parse_time(fetched, &fetched_at) != 0) {
		cli_error(command, "--fetched '%s' is not a date (YYYY-MM-DD[THH:MM[:SS]][Z|+hh:mm])",
			  fetched);
		return CLI_USAGE;
	}
	for (int i = 0; i < args->arg_count; i++) {
		if (strcmp(args->args[i], "-") == 0 && stdin_used++) {
			cli_error(command, "'-' (standard input) can be given only once");
			return CLI_USAGE;
		}
	}
	/* a failed page does not stop the others; the exit status says so */
	for (int i = 0; i < args->arg_count; i++) {
		int one = extract_one(command, args, args->args[i], fetched_at, json, args->arg_count > 1);

		if (one && !status)
			status = one;
		fflush(stdout);
	}
	return status;
}
