/* cmd_crawl.c: vigil crawl, the cron job. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../archive/archive.h"
#include "../config/config.h"
#include "../crawler/crawler.h"
#include "../parser/parser.h"

struct crawl_reporter {
	int show_progress;  /* stderr is a terminal */
	int quiet;
	int progress_shown;
};

static void report_progress(const char *url, int status, const struct crawl_summary *so_far,
			    void *context)
{
	struct crawl_reporter *reporter = context;

	if (!reporter->show_progress || reporter->quiet)
		return;
	fprintf(stderr, "\r\033[Kcrawl: fetched %d, new %d, changed %d, deleted %d, errors %d  %d %.60s",
		so_far->fetched, so_far->new_materials, so_far->changed, so_far->deleted,
		so_far->errors, status, url);
	fflush(stderr);
	reporter->progress_shown = 1;
}

static void report_problem(const char *message, void *context)
{
	struct crawl_reporter *reporter = context;

	if (reporter->quiet)
		return;
	if (reporter->progress_shown) {
		fputs("\r\033[K", stderr);
		reporter->progress_shown = 0;
	}
	fprintf(stderr, "vigil crawl: warning: %s\n", message);
}


int cmd_crawl(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	const char *only = cli_value(command, args, "source");
	struct crawl_reporter reporter = { isatty(STDERR_FILENO), cli_flag(command, args, "quiet"), 0 };
	struct config_sources sources = { 0 };
	struct config_rules rules = { 0 };
	struct config_phrases notfound = { 0 };
	struct parse_classifier *classifier = NULL;
	struct archive_store *store = NULL;
	struct archive_lock *lock = NULL;
	struct crawl_options options = { 0 };
	struct crawl_summary summary = { 0 };
	struct vigil_error err = { 0 };
	char *config_path = NULL;
	int status = CLI_FAILED, found = 0;

	const char *workers = cli_value(command, args, "workers");
	long worker_count = 0;

	if (workers) {
		char *end;

		worker_count = strtol(workers, &end, 10);
		if (*end || end == workers || worker_count < 1 || worker_count > 16) {
			cli_error(command, "--workers '%s' is not a number from 1 to 16", workers);
			return CLI_USAGE;
		}
	}
	status = cli_config_path(command, args, data_dir, &config_path);
	if (status)
		return status;
	status = CLI_FAILED;
	if (config_sources_load(config_path, &sources, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	if (only) {
		for (size_t i = 0; i < sources.count; i++)
			found |= strcmp(sources.items[i].name, only) == 0;
		if (!found) {
			cli_error(command, "no source named '%s' in %s", only, config_path);
			status = CLI_USAGE;
			goto done;
		}
	}
	status = cli_load_classifier(command, &sources, &rules, &classifier);
	if (!status)
		status = cli_load_notfound(command, &sources, &notfound);
	if (status)
		goto done;
	status = CLI_FAILED;
	/* The index first: a missing or damaged data directory is explained
	 * as such, not as a lock file that cannot be created. */
	status = cli_open_store(command, data_dir, ARCHIVE_OPEN_WRITE, &store);
	if (status)
		goto done;
	if (archive_lock_acquire(data_dir, &lock, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}

	options.data_dir = data_dir;
	options.sources = &sources;
	options.classifier = classifier;
	options.notfound_phrases = &notfound;
	options.probe_notfound = 1;
	options.store = store;
	options.force = cli_flag(command, args, "force");
	options.only_source = only;
	options.workers = worker_count ? (int)worker_count : sources.settings.workers;
	options.progress = report_progress;
	options.problem = report_problem;
	options.context = &reporter;
	if (crawl_run(&options, &summary, &err) != VIGIL_OK) {
		if (reporter.progress_shown)
			fputs("\r\033[K", stderr);
		status = cli_fail(command, &err);
		goto done;
	}
	if (reporter.progress_shown)
		fputs("\r\033[K", stderr);
	printf("crawl: sources %d, fetched %d, new %d, changed %d, deleted %d, errors %d, "
	       "revisits %d, deferred %d\n",
	       summary.sources, summary.fetched, summary.new_materials, summary.changed,
	       summary.deleted, summary.errors, summary.revisits, summary.deferred);
	status = CLI_OK;
done:
	archive_store_close(&store);
	archive_lock_release(&lock);
	parse_classifier_free(&classifier);
	config_rules_release(&rules);
	config_phrases_release(&notfound);
	config_sources_release(&sources);
	free(config_path);
	return status;
}
