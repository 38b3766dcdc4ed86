/* cmd_search.c: vigil search, and the material printing shared with show. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "../archive/archive.h"
#include "material_print.h"

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

int cmd_search(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	const char *limit = cli_value(command, args, "limit");
	const char *tone = cli_value(command, args, "tone");
	struct archive_query query = { 0 };
	struct archive_results results = { 0 };
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	int status, json = cli_flag(command, args, "json");

	query.text = args->arg_count ? args->args[0] : NULL;
	query.region = cli_value(command, args, "region");
	query.tone = tone;
	query.category = cli_value(command, args, "category");
	query.threat = cli_value(command, args, "threat");
	query.source = cli_value(command, args, "source");
	query.deleted_only = cli_flag(command, args, "deleted");
	query.edited_only = cli_flag(command, args, "edited");
	query.restored_only = cli_flag(command, args, "restored");
	query.relevant_only = cli_flag(command, args, "relevant");
	query.by_story = cli_flag(command, args, "story");
	if (tone && archive_tone_parse(tone) < 0) {
		cli_error(command, "--tone '%s' is not one of negative, neutral, supportive", tone);
		return CLI_USAGE;
	}
	if (limit) {
		char *end;
		long n = strtol(limit, &end, 10);

		if (*end || n <= 0 || n > 1000000) {
			cli_error(command, "--limit '%s' is not a positive number", limit);
			return CLI_USAGE;
		}
		query.limit = (int)n;
	}
	if ((status = parse_date_option(command, "since", cli_value(command, args, "since"), &query.since,
					&query.has_since)) ||
	    (status = parse_date_option(command, "until", cli_value(command, args, "until"), &query.until,
					&query.has_until)))
		return status;

	if (query.text) {
		/* Only letters and digits are searched for (FTS operators and
		 * quotes never reach the index); a query without any would
		 * silently match everything. */
		char *words = archive_stem_text(query.text);

		if (!words) {
			cli_error(command, "out of memory");
			return CLI_FAILED;
		}
		status = words[strspn(words, " ")] == '\0';
		free(words);
		if (status) {
			cli_error(command, "the query has no words to search for (only letters and "
				  "digits are searched; leave QUERY out to list everything)");
			return CLI_USAGE;
		}
	}
	status = cli_open_store(command, data_dir, ARCHIVE_OPEN_READ, &store);
	if (status)
		return status;
	if (archive_search(store, &query, &results, &err) != VIGIL_OK) {
		archive_store_close(&store);
		return cli_fail(command, &err);
	}
	if (json) {
		for (size_t i = 0; i < results.count; i++) {
			int first = 1;

			fputc('{', stdout);
			material_print_json_fields(stdout, &first, &results.items[i]);
			if (results.items[i].snippet)
				json_key_string(stdout, &first, "snippet", results.items[i].snippet);
			if (query.by_story) {
				json_key_int(stdout, &first, "copies", results.items[i].story_copies);
				json_key_int(stdout, &first, "outlets", results.items[i].story_outlets);
			}
			fputs("}\n", stdout);
		}
	} else {
		material_print_table(stdout, results.items, results.count);
	}
	archive_results_release(&results);
	archive_store_close(&store);
	return CLI_OK;
}
