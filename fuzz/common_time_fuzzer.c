/*
 * common_time_fuzzer.c: vigil_parse_time and vigil_parse_rfc822_time on
 * arbitrary bytes (dates come from feeds, pages and the command line).
 * A date either fails with *out untouched, or is an instant within years
 * 0001-9999 (give or take the +-14:00 offset) that vigil_format_time writes
 * and vigil_parse_time reads back to the same instant.
 * The same bytes go to the readers of dates as pages write them
 * (vigil_date_parse, and vigil_date_read_text at every byte with a fixed
 * fetch time): a date they return is valid, lies within the bytes read,
 * and its vigil_date_format text is read back by vigil_parse_time.
 */
#include "../common/vigil.h"

#include <stdlib.h>
#include <string.h>

#define FIRST_INSTANT (-62135596800LL - 14 * 3600) /* 0001-01-01T00:00:00+14:00 */
#define LAST_INSTANT (253402300799LL + 14 * 3600)  /* 9999-12-31T23:59:59-14:00 */

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(int (*parse)(const char *, int64_t *), const char *text)
{
	int64_t when = 42, again = 0;
	char formatted[32];

	if (parse(text, &when) != 0) {
		if (when != 42)
			abort();
		return;
	}
	if (when < FIRST_INSTANT || when > LAST_INSTANT)
		abort();
	vigil_format_time(when, formatted);
	if (formatted[0] == '0' && strncmp(formatted, "0000", 4) == 0)
		return; /* 0001-01-01 with a positive offset is the year before */
	if (strlen(formatted) == 20 &&
	    (vigil_parse_time(formatted, &again) != 0 || again != when))
		abort();
}

static void check_page_date(const struct vigil_date *d)
{
	char formatted[40];
	int64_t when;

	if (!vigil_date_valid(d))
		abort();
	vigil_date_format(d, formatted);
	if (!formatted[0] || vigil_parse_time(formatted, &when) != 0)
		abort();
}

static void check_page_dates(const char *text, size_t size)
{
	/* 2024-04-18T12:00:00Z in Almaty's zone, American month order */
	static const struct vigil_date_reading how = { 1713441600, 5 * 3600, 1, 1 };
	struct vigil_date d;

	memset(&d, 0, sizeof(d));
	d.year = 42;
	if (vigil_date_parse(text, &d) == 0)
		check_page_date(&d);
	else if (d.year != 42)
		abort();
	for (size_t i = 0; i < size && i < 512; i++) {
		size_t n = vigil_date_read_text(text + i, i % 2 ? &how : NULL, &d);

		if (n > size - i)
			abort();
		if (n)
			check_page_date(&d);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text;

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check(vigil_parse_time, text);
	check(vigil_parse_rfc822_time, text);
	check_page_dates(text, strlen(text));
	free(text);
	return 0;
}
