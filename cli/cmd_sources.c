/* cmd_sources.c: vigil sources, the configured sources with what the index
 * knows of them. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../archive/archive.h"
#include "../config/config.h"

static const struct archive_source_info *find_info(const struct archive_source_list *list,
						    const char *name)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i].name && strcmp(list->items[i].name, name) == 0)
			return &list->items[i];
	return NULL;
}

int cmd_sources(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	struct config_sources sources = { 0 };
	struct archive_source_list list = { 0 };
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	struct vigil_buf index_path = VIGIL_BUF_INIT;
	struct stat st;
	char *config_path = NULL;
	int json = cli_flag(command, args, "json"), status;

	status = cli_config_path(command, args, data_dir, &config_path);
	if (status)
		return status;
	if (config_sources_load(config_path, &sources, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	/* A data dir that was never initialised just has no history yet. */
	if (vigil_buf_printf(&index_path, "%s/index.sqlite", data_dir) == VIGIL_OK &&
	    stat(index_path.data, &st) == 0) {
		status = cli_open_store(command, data_dir, ARCHIVE_OPEN_READ, &store);
		if (status)
			goto done;
		if (archive_source_list(store, &list, &err) != VIGIL_OK) {
			status = cli_fail(command, &err);
			goto done;
		}
	}
	if (!json)
		printf("%-16s %-8s %-20s %-12s %9s %8s %7s %6s %5s %-20s  %s\n", "NAME", "KIND",
		       "LAST CRAWL", "STATUS", "MATERIALS", "RELEVANT", "DELETED", "ERRORS", "DUE",
		       "NEXT RECHECK", "URL");
	for (size_t i = 0; i < sources.count; i++) {
		const struct config_source *s = &sources.items[i];
		const struct archive_source_info *info = find_info(&list, s->name);
		char when[32] = "never", next[32] = "-", due_text[24] = "-";
		int64_t due = 0, next_at = 0;
		/* Channel posts are rechecked through the channel page. */
		int scheduled = s->kind != CONFIG_SOURCE_CHANNEL;
		int first = 1;

		if (info && info->last_crawl_start > 0)
			vigil_format_time(info->last_crawl_start, when);
		if (info && scheduled &&
		    archive_source_rechecks(store, info->id, vigil_now(), &due, &next_at, &err) !=
			    VIGIL_OK) {
			status = cli_fail(command, &err);
			goto done;
		}
		if (scheduled)
			snprintf(due_text, sizeof(due_text), "%lld", (long long)due);
		if (next_at > 0)
			vigil_format_time(next_at, next);
		if (json) {
			fputc('{', stdout);
			json_key_string(stdout, &first, "name", s->name);
			json_key_string(stdout, &first, "kind", config_source_kind_name(s->kind));
			json_key_string(stdout, &first, "url", s->url);
			json_key_bool(stdout, &first, "starter", s->starter);
			json_key_int(stdout, &first, "interval_hours", s->interval_hours);
			json_key_time(stdout, &first, "last_crawl", info ? info->last_crawl_start : 0);
			json_key_string(stdout, &first, "status", info ? info->last_status : NULL);
			json_key_int(stdout, &first, "materials", info ? info->materials : 0);
			json_key_int(stdout, &first, "relevant", info ? info->relevant : 0);
			json_key_int(stdout, &first, "deleted", info ? info->deleted : 0);
			json_key_int(stdout, &first, "captures", info ? info->captures : 0);
			json_key_int(stdout, &first, "errors", info ? info->errors : 0);
			/* materials due for a recheck now, and the next one after */
			if (scheduled)
				json_key_int(stdout, &first, "rechecks_due", due);
			else {
				json_key(stdout, &first, "rechecks_due");
				fputs("null", stdout);
			}
			json_key_time(stdout, &first, "next_recheck", next_at);
			fputs("}\n", stdout);
			continue;
		}
		printf("%-16s %-8s %-20s %-12s %9lld %8lld %7lld %6lld %5s %-20s  %s\n", s->name,
		       config_source_kind_name(s->kind), when,
		       info && info->last_status ? info->last_status : "-",
		       (long long)(info ? info->materials : 0), (long long)(info ? info->relevant : 0),
		       (long long)(info ? info->deleted : 0), (long long)(info ? info->errors : 0),
		       due_text, next, s->url);
	}
	if (!json)
		printf("%zu source%s in %s\n", sources.count, sources.count == 1 ? "" : "s", config_path);
	status = CLI_OK;
done:
	vigil_buf_release(&index_path);
	archive_source_list_release(&list);
	archive_store_close(&store);
	config_sources_release(&sources);
	free(config_path);
	return status;
}
