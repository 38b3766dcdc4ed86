/*
 * config_sources_fuzzer.c: config_sources_load() on arbitrary bytes as a
 * sources file (the loader takes a path: the input goes into a memory
 * file). Checks: on success every source has a valid name, an http(s) url
 * without blanks, a scope, a known kind and values in their documented
 * ranges, names are unique, settings are set; on failure the struct is
 * released and the message names the file; release is idempotent.
 */
#include "fuzz_check.h"

#include "../config/config.h"

static void check_released(const struct config_sources *s)
{
	FUZZ_CHECK(!s->path && !s->items && !s->count && !s->settings.user_agent &&
		   !s->settings.rules_dir);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct config_sources sources;
	struct vigil_error err = { 0 };
	char path[64];
	int fd = fuzz_memory_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (config_sources_load(path, &sources, &err) != VIGIL_OK) {
		check_released(&sources);
		FUZZ_CHECK(strstr(err.message, path) == err.message);
		close(fd);
		return 0;
	}
	close(fd);
	FUZZ_CHECK(sources.path && sources.settings.user_agent);
	FUZZ_CHECK(fuzz_valid_utf8(sources.settings.user_agent) &&
		   fuzz_valid_utf8(sources.settings.rules_dir));
	FUZZ_CHECK(sources.settings.delay_ms >= 0 && sources.settings.timeout_seconds > 0 &&
		   sources.settings.max_body_bytes > 0 && sources.settings.parallel_hosts > 0);
	FUZZ_CHECK(sources.settings.obey_robots == 0 || sources.settings.obey_robots == 1);
	for (size_t i = 0; i < sources.count; i++) {
		const struct config_source *s = &sources.items[i];

		FUZZ_CHECK(s->name && s->name[0] && strspn(s->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
							   "abcdefghijklmnopqrstuvwxyz"
							   "0123456789_-") == strlen(s->name));
		FUZZ_CHECK(s->url && s->scope);
		FUZZ_CHECK(!strncasecmp(s->url, "http://", 7) || !strncasecmp(s->url, "https://", 8));
		for (const char *c = s->url; *c; c++)
			FUZZ_CHECK((unsigned char)*c > ' ' && *c != 0x7F);
		FUZZ_CHECK(s->kind >= CONFIG_SOURCE_SITE && s->kind <= CONFIG_SOURCE_CHANNEL);
		FUZZ_CHECK(strcmp(config_source_kind_name(s->kind), "unknown") != 0);
		FUZZ_CHECK(s->interval_hours >= 0 && s->depth >= 0 && s->max_pages >= 1);
		FUZZ_CHECK(s->starter == 0 || s->starter == 1);
		FUZZ_CHECK(fuzz_valid_utf8(s->language) && fuzz_valid_utf8(s->region) &&
			   fuzz_valid_utf8(s->scope));
		for (size_t k = 0; k < i && sources.count < 200; k++)
			FUZZ_CHECK(strcmp(s->name, sources.items[k].name) != 0);
	}
	config_sources_release(&sources);
	check_released(&sources);
	config_sources_release(&sources);
	return 0;
}
