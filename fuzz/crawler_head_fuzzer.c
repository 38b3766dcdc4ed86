/*
 * crawler_head_fuzzer.c: what the crawler reads from an HTTP response head
 * of its own: header values (crawl_head_value: ETag and Last-Modified are
 * stored and sent back in conditional requests) and origins of URLs the
 * server names (vigil_url_origin on Location / Content-Location, the key of
 * the per-host queues), and resolution of a Location against the page.
 * The input is the raw head (status line, header lines, CRLF or LF).
 * Checks: a value is a non-empty substring of the head, trimmed, without
 * line breaks (it could smuggle a header into the next request) and does
 * not depend on the case of the name; an origin is
 * lower-case http(s)://host[:port] with nothing after it and is its own
 * origin; the resolved Location is http(s) without a fragment.
 */
#include "fuzz_check.h"

#include "../common/url.h"
#include "../crawler/crawler_int.h"

#include <ctype.h>

static const char *const names[] = { "ETag", "Last-Modified", "Content-Type", "Location",
				     "Retry-After", "Content-Location", "Content-Encoding",
				     "Transfer-Encoding", "Content-Length", "Set-Cookie" };

static void check_origin(const char *origin)
{
	const char *host;
	char *again;

	if (!origin)
		return;
	FUZZ_CHECK(fuzz_is_http_url(origin));
	host = strstr(origin, "://") + 3;
	FUZZ_CHECK(*host);
	FUZZ_CHECK(!strpbrk(host, "/?#@ \t\r\n"));
	for (const char *c = origin; *c; c++)
		FUZZ_CHECK(!isupper((unsigned char)*c));
	again = vigil_url_origin(origin, NULL);
	FUZZ_CHECK(again && strcmp(again, origin) == 0);
	free(again);
}

static void check_value(const char *head, size_t len, const char *name, char *value)
{
	char upper[64];
	char *other;
	size_t n = strlen(value), i;

	FUZZ_CHECK(n > 0);
	FUZZ_CHECK(memmem(head, len, value, n));
	FUZZ_CHECK(!strchr(value, '\n') && !strchr(value, '\r'));
	FUZZ_CHECK(value[0] != ' ' && value[0] != '\t');
	/* A NUL inside the value cuts it after trimming; bytes after it are
	 * dropped, so only a NUL-free head must come out fully trimmed. */
	FUZZ_CHECK(memchr(head, '\0', len) || !isspace((unsigned char)value[n - 1]));
	for (i = 0; name[i] && i + 1 < sizeof(upper); i++)
		upper[i] = (char)toupper((unsigned char)name[i]);
	upper[i] = '\0';
	other = crawl_head_value(head, len, upper);
	FUZZ_CHECK(other && strcmp(other, value) == 0);
	free(other);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* A vigil_buf head is NUL-terminated but may hold NULs: keep both. */
	char *head = fuzz_strndup(data, size);

	if (!head)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *value = crawl_head_value(head, size, names[i]);

		if (!value)
			continue;
		check_value(head, size, names[i], value);
		if (!strcmp(names[i], "Location") || !strcmp(names[i], "Content-Location")) {
			char *origin = vigil_url_origin(value, NULL);
			char *resolved = vigil_url_resolve("https://fuzz.example.kz/a/b?c", value, NULL);

			check_origin(origin);
			if (resolved) {
				FUZZ_CHECK(fuzz_is_http_url(resolved) && !strchr(resolved, '#'));
				free(origin);
				origin = vigil_url_origin(resolved, NULL);
				/* A URL the normaliser produced has an origin. */
				FUZZ_CHECK(origin);
				check_origin(origin);
			}
			free(resolved);
			free(origin);
		}
		free(value);
	}
	/* The status line itself is a URL-ish string in odd heads. */
	{
		const char *eol = memchr(head, '\n', size);
		char *line = fuzz_strndup(data, eol ? (size_t)(eol - head) : size);

		if (line) {
			char *origin = vigil_url_origin(line, NULL);

			check_origin(origin);
			free(origin);
			free(line);
		}
	}
	free(head);
	return 0;
}
