/*
 * fuzz_check.h: the invariant checks shared by the fuzz targets.
 *
 * A failed check prints what failed and aborts: under libFuzzer that is a
 * crash with the input saved; under fuzz/replay_main.c each input runs in
 * a child process, so the abort is counted as one failed input and the
 * replay goes on with the next file.
 */
#ifndef VIGIL_FUZZ_CHECK_H
#define VIGIL_FUZZ_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../common/utf8.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define FUZZ_CHECK(cond)                                                                       \
	do {                                                                                   \
		if (!(cond)) {                                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                               \
		}                                                                              \
	} while (0)

/* 1 when text[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points over U+10FFFF). The library's own check: its rules are tested
 * on their own, exhaustively, in tests/unit/test_common_utf8.c. */
static inline int fuzz_valid_utf8_len(const char *text, size_t len)
{
	return vigil_utf8_valid(text, len);
}

/* NULL or NUL-terminated valid UTF-8. */
static inline int fuzz_valid_utf8(const char *text)
{
	return !text || fuzz_valid_utf8_len(text, strlen(text));
}

static inline int fuzz_is_http_url(const char *url)
{
	return url && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0);
}

/* "YYYY-MM-DD" at the start of text. */
static inline int fuzz_iso_date_prefix(const char *text)
{
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (text[i] != '-')
				return 0;
		} else if (text[i] < '0' || text[i] > '9') {
			return 0;
		}
	}
	return 1;
}

/* A copy of data[0..size) as a NUL-terminated string; NULL on OOM. */
static inline char *fuzz_strndup(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
	}
	return text;
}

/*
 * The loaders take a path: put data[0..size) in an anonymous memory file
 * and give its /proc/self/fd path in path (at least 64 bytes). Returns the
 * descriptor to close afterwards, or -1 (then the input is skipped).
 */
static inline int fuzz_memory_file(const void *data, size_t size, char *path, size_t path_size)
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(fd, (const char *)data + done, size - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
