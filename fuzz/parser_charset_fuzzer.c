/*
 * parser_charset_fuzzer.c: parse_decode_to_utf8() (BOMs, UTF-8 check,
 * Content-Type charset, <meta> charset, Cyrillic guessing, iconv). The
 * input's first line is the Content-Type header, the rest the body.
 * Checks: the output is valid UTF-8 without NUL bytes and its length is
 * right; a body that is already valid UTF-8 (no BOM, no NUL) comes back
 * unchanged as "utf-8"; the reported charset is lower-case; decoding
 * without asking for the charset gives the same text; whitespace
 * collapsing of the result stays valid UTF-8 with no runs of spaces.
 */
#include "fuzz_check.h"

#include "../parser/parser_int.h"

#include <ctype.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const unsigned char *newline = memchr(data, '\n', size);
	char *content_type = NULL, *utf8 = NULL, *again = NULL, *charset = NULL, *collapsed;
	const char *body = (const char *)data;
	size_t body_len = size, utf8_len = 0, again_len = 0;
	struct vigil_error err = { 0 };

	if (newline) {
		content_type = fuzz_strndup(data, (size_t)(newline - data));
		if (!content_type)
			return 0;
		body = (const char *)newline + 1;
		body_len = size - (size_t)(newline - data) - 1;
	}
	if (parse_decode_to_utf8(body, body_len, content_type, &utf8, &utf8_len, &charset, &err) !=
	    VIGIL_OK) {
		FUZZ_CHECK(!utf8 && !charset && err.message[0]);
		free(content_type);
		return 0;
	}
	FUZZ_CHECK(utf8 && charset && charset[0]);
	FUZZ_CHECK(strlen(utf8) == utf8_len && fuzz_valid_utf8_len(utf8, utf8_len));
	for (const char *c = charset; *c; c++)
		FUZZ_CHECK(!isupper((unsigned char)*c));
	if (fuzz_valid_utf8_len(body, body_len) && !memchr(body, '\0', body_len) &&
	    !(body_len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)) {
		FUZZ_CHECK(strcmp(charset, "utf-8") == 0);
		FUZZ_CHECK(utf8_len == body_len && memcmp(utf8, body, body_len) == 0);
	}
	FUZZ_CHECK(parse_decode_to_utf8(body, body_len, content_type, &again, &again_len, NULL,
					&err) == VIGIL_OK);
	FUZZ_CHECK(again_len == utf8_len && memcmp(again, utf8, utf8_len) == 0);

	collapsed = parse_collapse_space(utf8, utf8_len);
	if (collapsed) {
		size_t n = strlen(collapsed);

		FUZZ_CHECK(fuzz_valid_utf8_len(collapsed, n));
		FUZZ_CHECK(!strstr(collapsed, "  "));
		FUZZ_CHECK(n == 0 || (collapsed[0] != ' ' && collapsed[n - 1] != ' '));
		free(collapsed);
	}
	free(again);
	free(utf8);
	free(charset);
	free(content_type);
	return 0;
}
