/*
 * parser_robots_fuzzer.c: parse_robots() on arbitrary bytes, then a few
 * lookups. The last line of the input (up to 256 bytes) is also used as a
 * path, so wildcard matching sees hostile paths as well as hostile rules.
 */
#include "../parser/parser.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const paths[] = { "/", "/robots.txt", "/a/b?c=d", "/%D0%B0*$",
					     "https://x.kz/admin", "" };
	struct parse_robots *robots = NULL;
	struct vigil_error err = { 0 };
	char path[257];
	size_t start = size, n;
	int delay;

	if (parse_robots((const char *)data, size, "vigil", &robots, &err) != VIGIL_OK)
		return 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int allowed = parse_robots_allowed(robots, paths[i], NULL);

		if (allowed != 0 && allowed != 1)
			abort();
	}
	if (parse_robots_allowed(robots, "/robots.txt", NULL) != 1)
		abort();
	while (start > 0 && data[start - 1] != '\n' && size - start < 256)
		start--;
	n = size - start;
	memcpy(path, data + start, n);
	path[n] = '\0';
	(void)parse_robots_allowed(robots, path, NULL);
	delay = parse_robots_crawl_delay_ms(robots);
	if (delay < -1 || delay > 24 * 3600 * 1000)
		abort();
	parse_robots_free(&robots);
	if (robots)
		abort();
	return 0;
}
