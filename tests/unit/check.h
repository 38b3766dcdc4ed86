/*
 * check.h: the unit-test harness. Each tests/unit/test_*.c is one binary
 * with a main() that runs CHECKs and ends with CHECK_DONE(), which prints
 * "N passed, N failed" for tests/run.sh to add up and exits non-zero on a
 * failure. A failed check prints file:line and the expression.
 */
#ifndef VIGIL_CHECK_H
#define VIGIL_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(expr) do { \
	if (expr) check_passed++; \
	else { check_failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #expr); } \
} while (0)

#define CHECK_STR(actual, expected) do { \
	const char *check_a_ = (actual), *check_e_ = (expected); \
	if (check_a_ && check_e_ && strcmp(check_a_, check_e_) == 0) check_passed++; \
	else { check_failed++; fprintf(stderr, "FAIL %s:%d: %s is \"%s\", expected \"%s\"\n", \
		__FILE__, __LINE__, #actual, check_a_ ? check_a_ : "(null)", check_e_ ? check_e_ : "(null)"); } \
} while (0)

#define CHECK_CONTAINS(haystack, needle) do { \
	const char *check_h_ = (haystack), *check_n_ = (needle); \
	if (check_h_ && strstr(check_h_, check_n_)) check_passed++; \
	else { check_failed++; fprintf(stderr, "FAIL %s:%d: %s does not contain \"%s\"\n", \
		__FILE__, __LINE__, #haystack, check_n_); } \
} while (0)

#define CHECK_OK(call) do { \
	int check_rc_ = (int)(call); \
	if (check_rc_ == 0) check_passed++; \
	else { check_failed++; fprintf(stderr, "FAIL %s:%d: %s returned %d\n", __FILE__, __LINE__, #call, check_rc_); } \
} while (0)

#define CHECK_DONE() do { \
	printf("%d passed, %d failed\n", check_passed, check_failed); \
	return check_failed ? 1 : 0; \
} while (0)

/* Directory of the repository's test fixtures, set by tests/run.sh. */
static inline const char *check_fixture_dir(void)
{
	const char *dir = getenv("VIGIL_TEST_FIXTURES");
	return dir ? dir : "tests/fixtures";
}

/* The fixture file check_fixture_dir()/folder/name, NUL-terminated, its
 * length in *len; the caller frees it. Test setup, not a check: a fixture
 * that cannot be read ends the test binary with status 2. */
static inline char *check_read_fixture(const char *folder, const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *data;
	long size;

	snprintf(path, sizeof(path), "%s/%s/%s", check_fixture_dir(), folder, name);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "cannot read fixture %s\n", path);
		exit(2);
	}
	data = malloc((size_t)size + 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "cannot read fixture %s\n", path);
		exit(2);
	}
	data[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return data;
}

#endif
