/* cmd_extract.c: vigil extract, the crawler's extraction on one saved page;
 * also the command the extraction benchmark runs. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../parser/parser.h"

#define EXTRACT_MAX_INPUT (32L * 1024 * 1024)

static int read_input(const struct cli_command *command, const char *path, struct vigil_buf *buf)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!in) {
		cli_error(command, "cannot open '%s': %s", path, strerror(errno));
		return CLI_FAILED;
	}
	buf->limit = EXTRACT_MAX_INPUT;
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
		if (vigil_buf_append(buf, chunk, n) != VIGIL_OK) {
			cli_error(command, "'%s' is larger than %ld bytes", path, EXTRACT_MAX_INPUT);
			if (in != stdin)
				fclose(in);
			return CLI_FAILED;
		}
	}
	if (ferror(in)) {
		cli_error(command, "cannot read '%s': %s", path, strerror(errno));
		if (in != stdin)
			fclose(in);
		return CLI_FAILED;
	}
	if (in != stdin)
		fclose(in);
	return CLI_OK;
}

int cmd_extract(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *path = args->args[0];
	struct vigil_buf buf = VIGIL_BUF_INIT;
	struct parse_document doc = { 0 };
	struct vigil_error err = { 0 };
	const char *fetched = cli_value(command, args, "fetched");
	int64_t fetched_at = vigil_now();
	int status, first = 1;

	if (cli_flag(command, args, "text") && cli_flag(command, args, "json")) {
		cli_error(command, "--text and --json exclude each other");
		return CLI_USAGE;
	}
	if (fetched && vigil_parse_time(fetched, &fetched_at) != 0) {
		cli_error(command, "--fetched '%s' is not a date (YYYY-MM-DD[THH:MM[:SS]][Z|+hh:mm])",
			  fetched);
		return CLI_USAGE;
	}
	status = read_input(command, path, &buf);
	if (status) {
		vigil_buf_release(&buf);
		return status;
	}
	if (parse_extract(buf.data ? buf.data : "", buf.len, cli_value(command, args, "content-type"),
			  cli_value(command, args, "url"), fetched_at, &doc, &err) != VIGIL_OK) {
		vigil_buf_release(&buf);
		vigil_error_prefix(&err, "%s", path);
		return cli_fail(command, &err);
	}
	vigil_buf_release(&buf);
	for (size_t i = 0; i < doc.warning_count; i++)
		cli_error(command, "warning: %s: %s", path, doc.warnings[i]);
	if (cli_flag(command, args, "json")) {
		fputc('{', stdout);
		json_key_string(stdout, &first, "title", doc.title);
		json_key_string(stdout, &first, "author", doc.author);
		json_key_string(stdout, &first, "published", doc.published);
		json_key_string(stdout, &first, "published_source", doc.published_source);
		json_key_string(stdout, &first, "language", doc.language);
		json_key_string(stdout, &first, "canonical_url", doc.canonical_url);
		json_key_string(stdout, &first, "description", doc.description);
		json_key_string(stdout, &first, "site_name", doc.site_name);
		json_key_string(stdout, &first, "charset", doc.charset);
		json_key_string(stdout, &first, "text", doc.text);
		fputs("}\n", stdout);
	} else if (doc.text && *doc.text) {
		fputs(doc.text, stdout);
		fputc('\n', stdout);
	}
	parse_document_release(&doc);
	return CLI_OK;
}
