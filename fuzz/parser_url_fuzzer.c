/*
 * parser_url_fuzzer.c: vigil_url_resolve() and friends (common/url.c) on
 * arbitrary bytes.
 * The input is split at the first NUL (or newline) into base and reference.
 * Checks: a result is http(s), has no fragment, is printable ASCII, and
 * normalising it again gives the same string (normalisation is
 * idempotent); its origin and path are prefixes/parts of it.
 */
#include "fuzz_check.h"

#include "../common/url.h"

static void check_url(const char *url)
{
	char *again, *origin, *path;

	if (!url)
		return;
	FUZZ_CHECK(fuzz_is_http_url(url) && !strchr(url, '#'));
	/* Raw non-ASCII, blanks and control bytes are percent-encoded: the
	 * result can go into a request line or a header as it is. */
	for (const char *c = url; *c; c++)
		FUZZ_CHECK(*c > ' ' && *c < 0x7F);
	again = vigil_url_resolve(NULL, url, NULL);
	FUZZ_CHECK(again && strcmp(again, url) == 0);
	origin = vigil_url_origin(url, NULL);
	path = vigil_url_path_query(url, NULL);
	FUZZ_CHECK(origin && path && path[0] == '/' && strstr(url, path));
	/* The origin drops user:password@ (which the URL keeps), so compare
	 * the scheme and find the host[:port]. */
	FUZZ_CHECK(strncmp(url, origin, strcspn(origin, ":") + 3) == 0);
	FUZZ_CHECK(strstr(url, strstr(origin, "://") + 3));
	free(again);
	free(origin);
	free(path);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = fuzz_strndup(data, size), *ref, *resolved;

	if (!text)
		return 0;
	ref = strchr(text, '\n');
	if (ref)
		*ref++ = '\0';
	else
		ref = text + strlen(text);
	resolved = vigil_url_resolve(text, ref, NULL);
	check_url(resolved);
	free(resolved);
	resolved = vigil_url_resolve(NULL, text, NULL);
	check_url(resolved);
	free(resolved);
	free(text);
	return 0;
}
