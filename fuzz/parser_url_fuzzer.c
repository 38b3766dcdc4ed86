/*
 * parser_url_fuzzer.c: vigil_url_resolve() and friends (common/url.c) on
 * arbitrary bytes.
 * The input is split at the first NUL (or newline) into base and reference.
 * Checks: a result is http(s), has no fragment, and normalising it again
 * gives the same string (normalisation is idempotent).
 */
#include "../common/url.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_url(const char *url)
{
	char *again, *origin, *path;

	if (!url)
		return;
	if ((strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
	    strchr(url, '#'))
		abort();
	again = vigil_url_resolve(NULL, url, NULL);
	if (!again || strcmp(again, url) != 0)
		abort();
	origin = vigil_url_origin(url, NULL);
	path = vigil_url_path_query(url, NULL);
	if (!origin || !path || path[0] != '/' || strncmp(url, origin, 4) != 0)
		abort();
	free(again);
	free(origin);
	free(path);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1), *ref, *resolved;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
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
