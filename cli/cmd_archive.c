/* cmd_archive.c: vigil archive verify|reindex, checking the archive and
 * rebuilding the index from the WARC files. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "../archive/archive.h"
#include "../config/config.h"
#include "../crawler/crawler.h"
#include "../parser/parser.h"

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

static void report_problem(const char *message, void *context)
{
	(void)context;
	fprintf(stderr, "vigil archive reindex: warning: %s\n", message);
}


static int run_reindex(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	struct config_sources sources = { 0 };
	struct config_rules rules = { 0 };
	struct config_phrases notfound = { 0 };
	struct parse_classifier *classifier = NULL;
	struct archive_lock *lock = NULL;
	struct crawl_reindex_options options = { 0 };
	struct crawl_reindex_summary summary;
	struct vigil_error err = { 0 };
	char *config_path = NULL;
	int status = CLI_FAILED;

	if (args->arg_count > 1) {
		cli_error(command, "reindex takes no file arguments (see 'vigil archive --help')");
		return CLI_USAGE;
	}
	status = cli_config_path(command, args, data_dir, &config_path);
	if (status)
		return status;
	status = CLI_FAILED;
	if (config_sources_load(config_path, &sources, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	status = cli_load_classifier(command, &sources, &rules, &classifier);
	if (!status)
		status = cli_load_notfound(command, &sources, &notfound);
	if (status)
		goto done;
	status = CLI_FAILED;
	/* The same lock as crawl: no pass may write the index being replaced. */
	if (archive_lock_acquire(data_dir, &lock, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	options.data_dir = data_dir;
	options.sources = &sources;
	options.classifier = classifier;
	options.notfound_phrases = &notfound;
	options.problem = report_problem;
	if (crawl_reindex(&options, &summary, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	printf("reindex: %d files (%d damaged), %d captures, new %d, changed %d, deleted %d, "
	       "errors %d\n", summary.files, summary.damaged_files, summary.records,
	       summary.pages.new_materials, summary.pages.changed, summary.pages.deleted,
	       summary.pages.errors);
	if (summary.kept[0])
		printf("reindex: the previous index is kept as %s/%s\n", data_dir, summary.kept);
	status = CLI_OK;
done:
	archive_lock_release(&lock);
	parse_classifier_free(&classifier);
	config_rules_release(&rules);
	config_phrases_release(&notfound);
	config_sources_release(&sources);
	free(config_path);
	return status;
}

int cmd_archive(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *action = args->args[0];

	if (strcmp(action, "verify") == 0)
		return run_verify(command, args);
	if (strcmp(action, "reindex") == 0)
		return run_reindex(command, args);
	cli_error(command, "unknown action '%s': verify or reindex (see 'vigil archive --help')",
		  action);
	return CLI_USAGE;
}
