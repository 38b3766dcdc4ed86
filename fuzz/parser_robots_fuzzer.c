/*
 * parser_robots_fuzzer.c: parse_robots() on arbitrary bytes, then a few
 * lookups. The last line of the input (up to 256 bytes) is also used as a
 * path, so wildcard matching sees hostile paths as well as hostile rules.
 * Checks: answers are 0 or 1, /robots.txt is always allowed, the delay is
 * -1 or within a day, free sets the handle to NULL and accepts NULL.
 */
#include "fuzz_check.h"

#include "../parser/parser.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const paths[] = { "/", "/robots.txt", "/a/b?c=d", "/%D0%B0*$",
					     "https://x.kz/admin", "" };
	struct parse_robots *robots = NULL;
	struct vigil_error err = { 0 };
	char path[257];
	size_t start = size, n;
	int delay, allowed;

	if (parse_robots((const char *)data, size, "vigil", &robots, &err) != VIGIL_OK) {
		FUZZ_CHECK(!robots && err.message[0]);
		return 0;
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		allowed = parse_robots_allowed(robots, paths[i], NULL);
		FUZZ_CHECK(allowed == 0 || allowed == 1);
	}
	FUZZ_CHECK(parse_robots_allowed(robots, "/robots.txt", NULL) == 1);
	while (start > 0 && data[start - 1] != '\n' && size - start < 256)
		start--;
	n = size - start;
	memcpy(path, data + start, n);
	path[n] = '\0';
	allowed = parse_robots_allowed(robots, path, NULL);
	FUZZ_CHECK(allowed == 0 || allowed == 1);
	delay = parse_robots_crawl_delay_ms(robots);
	FUZZ_CHECK(delay >= -1 && delay <= 24 * 3600 * 1000);
	parse_robots_free(&robots);
	FUZZ_CHECK(!robots);
	parse_robots_free(&robots);
	return 0;
}
