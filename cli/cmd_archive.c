/* cmd_archive.c: vigil archive verify|reindex, checking the archive and
 * rebuilding the index from the WARC files. */
#include "cli.h"

#include <string.h>

#include "../archive/archive.h"

const struct cli_option cmd_archive_options[] = {
	{ "data", "DIR", "data directory (default $VIGIL_DATA or ./vigil-data)" },
	{ "config", "FILE", "reindex: sources file (as for crawl)" },
	{ NULL, NULL, NULL }
};

static int run_verify(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	struct archive_verify_result result;
	struct vigil_error err = { 0 };
	enum vigil_code code;

	if (cli_value(command, args, "config")) {
		cli_error(command, "verify takes no --config (see 'vigil archive --help')");
		return CLI_USAGE;
	}
	code = archive_verify(data_dir, (const char *const *)args->args + 1,
			      (size_t)(args->arg_count - 1), &result, &err);
	if (code && !result.problems)
		return cli_fail(command, &err);
	if (code) {
		cli_error(command, "%s", err.message);
		printf("verify: %zu files, %zu records, %zu captures: %zu problem%s, the first in %s\n",
		       result.files, result.records, result.captures, result.problems,
		       result.problems == 1 ? "" : "s", result.first_file);
		return CLI_FAILED;
	}
	printf("verify: %zu files, %zu records, %zu captures: all good\n", result.files,
	       result.records, result.captures);
	return CLI_OK;
}

int cmd_archive(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *action = args->args[0];

	if (strcmp(action, "verify") == 0)
		return run_verify(command, args);
	if (strcmp(action, "reindex") == 0) {
		cli_error(command, "reindex is not available yet");
		return CLI_FAILED;
	}
	cli_error(command, "unknown action '%s': verify or reindex (see 'vigil archive --help')",
		  action);
	return CLI_USAGE;
}
