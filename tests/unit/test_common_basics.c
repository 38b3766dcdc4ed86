/* test_common_basics.c: errors, buffers, SHA-1 digests. */
#include "check.h"
#include "../../common/vigil.h"

#include <stdlib.h>

int main(void)
{
	struct vigil_error err = { 0 };
	struct vigil_buf buf = VIGIL_BUF_INIT;
	char digest[38], when[32];
	char *text;

	CHECK(vigil_error_set(&err, VIGIL_ERR_CONFIG, "%s:%d: bad", "a.conf", 3) == VIGIL_ERR_CONFIG);
	CHECK_STR(err.message, "a.conf:3: bad");
	vigil_error_prefix(&err, "loading");
	CHECK_STR(err.message, "loading: a.conf:3: bad");
	CHECK_STR(vigil_strerror(VIGIL_ERR_LOCKED), "data directory is locked");

	CHECK_OK(vigil_buf_append_str(&buf, "abc"));
	CHECK_OK(vigil_buf_printf(&buf, "-%d", 42));
	CHECK_STR(buf.data, "abc-42");
	buf.limit = 8;
	CHECK(vigil_buf_append_str(&buf, "toolong") == VIGIL_ERR_TOO_LARGE);
	CHECK_STR(buf.data, "abc-42");
	text = vigil_buf_detach(&buf);
	CHECK_STR(text, "abc-42");
	CHECK(buf.data == NULL && buf.len == 0);
	free(text);

	/* Known vectors: SHA-1("") and SHA-1("abc") in base32. */
	vigil_sha1_digest("", 0, digest);
	CHECK_STR(digest, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
	vigil_sha1_digest("abc", 3, digest);
	CHECK_STR(digest, "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
	/* FIPS 180 long vector: a million 'a', many blocks in one call. */
	{
		char *million = malloc(1000000);
		CHECK(million != NULL);
		if (million) {
			memset(million, 'a', 1000000);
			vigil_sha1_digest(million, 1000000, digest);
			CHECK_STR(digest, "sha1:GSVJOPGUYTNKJ5Q65MV5XLJHGFSTIALP");
			free(million);
		}
	}

	/* Dates in depth: test_common_time.c. */
	vigil_format_time(1713398400, when);
	CHECK_STR(when, "2024-04-18T00:00:00Z");
	CHECK_DONE();
}
