/* test_common_time.c: the date parsers and formatter of common/time.c,
 * table-driven: valid dates with their instants (expected values computed
 * independently with Python's calendar.timegm), invalid ones, and
 * format(parse(x)) round trips. */
#include "check.h"
#include "../../common/vigil.h"

#include <stdint.h>

struct valid_case {
	const char *text;
	int64_t when;
};

#define DAY 86400LL
#define APR18_2024 1713398400LL /* 2024-04-18T00:00:00Z */

static const struct valid_case iso_valid[] = {
	{ "2024-04-18", APR18_2024 },
	{ "2024-04-18T10:00:00+05:00", APR18_2024 + 5 * 3600 },
	{ "2024-04-18T10:00:00Z", APR18_2024 + 10 * 3600 },
	{ "2024-04-18t10:00:00z", APR18_2024 + 10 * 3600 },
	{ "2024-04-18 10:00", APR18_2024 + 10 * 3600 },
	{ "2024-04-18T10:00", APR18_2024 + 10 * 3600 },
	{ "2024-04-18T10:00:00.123Z", APR18_2024 + 10 * 3600 },
	{ "2024-04-18T10:00:00.999999999+05:00", APR18_2024 + 5 * 3600 },
	{ "2024-04-18T10:00:00+0500", APR18_2024 + 5 * 3600 },
	{ "2024-04-18T10:00:00+05", APR18_2024 + 5 * 3600 },
	{ "2024-04-18T10:00:00-03:30", APR18_2024 + 13 * 3600 + 1800 },
	{ "2024-04-18T10:00:00+14:00", APR18_2024 - 4 * 3600 },
	{ "2024-04-18T10:00:00-14:00", APR18_2024 + 24 * 3600 },
	{ "2024-04-18T10:00:00-00:00", APR18_2024 + 10 * 3600 },
	{ "  2024-04-18  ", APR18_2024 },
	{ "\t2024-04-18T10:00:00Z\n", APR18_2024 + 10 * 3600 },
	{ "1970-01-01T00:00:00Z", 0 },
	{ "1970-01-01", 0 },
	/* -1 is an instant like any other, not a failure. */
	{ "1969-12-31T23:59:59Z", -1 },
	{ "1970-01-01T05:59:59+06:00", -1 },
	{ "1950-05-01", -620784000LL },
	{ "1960-06-15T10:20:30Z", -301239570LL },
	{ "1899-12-31T23:59:59Z", -2208988801LL },
	{ "0001-01-01T00:00:00Z", -62135596800LL },
	{ "9999-12-31T23:59:59Z", 253402300799LL },
	/* leap years: 1900 is not one, 2000 and 2024 are, 1600 and year 4 too */
	{ "1900-02-28", -2203977600LL },
	{ "1900-03-01", -2203891200LL },
	{ "2000-02-29", 951782400LL },
	{ "2024-02-29T12:30:00Z", 1709209800LL },
	{ "1600-02-29", -11670998400LL },
	{ "0004-02-29", -62035891200LL },
	/* a leap second exists only at 23:59:60 UTC and stays on its day */
	{ "2016-12-31T23:59:60Z", 1483228799LL },
	{ "2017-01-01T05:59:60+06:00", 1483228799LL },
	{ "2016-12-31T23:59:60.5Z", 1483228799LL },
};

static const char *const iso_invalid[] = {
	"", "   ", "18.04.2024", "2024", "2024-04", "2024-4-18", "24-04-18", "2024/04/18",
	"2024-02-30", "2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
	"2024-01-00", "2024-01-32", "0000-01-01", "-001-01-01",
	"2024-05-14T25:61:61", "2024-05-14T24:00:00", "2024-05-14T23:60:00",
	"2024-05-14T23:59:61", "2024-05-14T12:00:60Z", "2016-12-31T23:59:60+01:00",
	"2024-05-14T1:00", "2024-05-14T10", "2024-05-14T10:0", "2024-05-14T", "2024-05-14T10:00:0",
	"2024-05-14T10:00:00.", "2024-05-14T10:00:00.Z",
	"2024-05-14junk", "2024-05-14 junk", "2024-05-14T10:00:00Zjunk", "2024-05-14T10:00:00 Z x",
	"2024-05-14T10:00:00+15:00", "2024-05-14T10:00:00+14:01", "2024-05-14T10:00:00+05:60",
	"2024-05-14T10:00:00+5", "2024-05-14T10:00:00+05:0", "2024-05-14T10:00:00+050",
	"2024-05-14T10:00:00+05000", "2024-05-14Z", "2024-05-14+05:00", "2024-05-14T10:00:00ZZ",
	"20240514", "2024-05-14\001",
};

static const struct valid_case rfc822_valid[] = {
	{ "Thu, 18 Apr 2024 10:00:00 +0500", APR18_2024 + 5 * 3600 },
	{ "Thu, 18 Apr 2024 10:00:00 GMT", APR18_2024 + 10 * 3600 },
	{ "18 Apr 2024 10:00 GMT", APR18_2024 + 10 * 3600 },
	{ "Thu, 18 Apr 24 10:00:00 +0000", APR18_2024 + 10 * 3600 },
	{ "Thu, 18 Apr 2024 10:00:00 +05:00", APR18_2024 + 5 * 3600 },
	{ "Thu, 18 Apr 2024 10:00:00 EST", APR18_2024 + 15 * 3600 },
	{ "Thu, 18 Apr 2024 16:00:00 ALMT", APR18_2024 + 10 * 3600 },
	{ "Thu, 18 Apr 2024 10:00:00 +0500 (ALMT)", APR18_2024 + 5 * 3600 },
	{ "Чт, 18 апр 2024 10:00:00 +0500", APR18_2024 + 5 * 3600 },
	{ "18 Мая 2024 00:00:00 +0000", APR18_2024 + 30 * DAY },
	{ "Thu Apr 18 10:00:00 2024", APR18_2024 + 10 * 3600 }, /* asctime */
	{ "Sat, 31 Dec 2016 23:59:60 GMT", 1483228799LL },
	{ "Mon, 01 May 1950 00:00:00 GMT", -620784000LL },
	{ "Thu, 01 Jan 1970 05:59:59 +0600", -1 },
	{ "Tue, 29 Feb 2000 00:00:00 GMT", 951782400LL },
	{ "Fri, 31 Dec 1999 23:59:59 GMT", 946684799LL },
	{ "31 Dec 99 23:59:59 GMT", 946684799LL },
};

static const char *const rfc822_invalid[] = {
	"", "yesterday", "Thu, 18 Apr 2024", "Thu, 31 Apr 2024 10:00:00 GMT",
	"Mon, 29 Feb 1900 00:00:00 GMT", "Thu, 18 Apr 2024 25:00:00 GMT",
	"Thu, 18 Apr 2024 10:61:00 GMT", "Thu, 18 Apr 2024 10:00:61 GMT",
	"Thu, 18 Apr 2024 10:00:60 GMT", "Thu, 18 Apr 2024 10:00:00 +1500",
	"Thu, 18 Apr 2024 10:00:00 +0560", "Thu, 18 Apr 2024 10:00:00 +05000",
	"Thu, 18 Apr 2024 10:00:00 +0500 +0600", "Thu, 18 Xyz 2024 10:00:00 GMT",
	"Thu, 18 Apr 2024 10:00:00 GMT 77", "Thu, 18 Apr 2024 100:00:00 GMT",
	"Thu, 18 Apr 2024 10:000:00 GMT", "Thu, 18 Apr 0000 10:00:00 GMT",
	"Thu, 18 Apr 2024 10: GMT",
};

static const struct { int64_t when; const char *text; } formatted[] = {
	{ 0, "1970-01-01T00:00:00Z" },
	{ -1, "1969-12-31T23:59:59Z" },
	{ -DAY, "1969-12-31T00:00:00Z" },
	{ -DAY - 1, "1969-12-30T23:59:59Z" },
	{ -620784000LL, "1950-05-01T00:00:00Z" },
	{ -2203891200LL, "1900-03-01T00:00:00Z" },
	{ -62135596800LL, "0001-01-01T00:00:00Z" },
	{ 253402300799LL, "9999-12-31T23:59:59Z" },
	{ 951782400LL, "2000-02-29T00:00:00Z" },
	{ 951782400LL + DAY, "2000-03-01T00:00:00Z" },
	{ 1709209800LL, "2024-02-29T12:30:00Z" },
	{ 1735689599LL, "2024-12-31T23:59:59Z" },
	{ 1735689600LL, "2025-01-01T00:00:00Z" },
};

int main(void)
{
	char text[32];
	int64_t when;

	for (size_t i = 0; i < sizeof(iso_valid) / sizeof(iso_valid[0]); i++) {
		when = 12345;
		if (vigil_parse_time(iso_valid[i].text, &when) != 0 || when != iso_valid[i].when) {
			fprintf(stderr, "iso '%s': got %lld, expected %lld\n", iso_valid[i].text,
				(long long)when, (long long)iso_valid[i].when);
			CHECK(!"iso valid case");
		} else {
			CHECK(1);
		}
	}
	for (size_t i = 0; i < sizeof(iso_invalid) / sizeof(iso_invalid[0]); i++) {
		when = 12345;
		if (vigil_parse_time(iso_invalid[i], &when) != -1 || when != 12345) {
			fprintf(stderr, "iso '%s' accepted as %lld\n", iso_invalid[i], (long long)when);
			CHECK(!"iso invalid case");
		} else {
			CHECK(1);
		}
	}
	CHECK(vigil_parse_time(NULL, &when) == -1);
	CHECK(vigil_parse_time("2024-04-18", NULL) == -1);

	for (size_t i = 0; i < sizeof(rfc822_valid) / sizeof(rfc822_valid[0]); i++) {
		when = 12345;
		if (vigil_parse_rfc822_time(rfc822_valid[i].text, &when) != 0 ||
		    when != rfc822_valid[i].when) {
			fprintf(stderr, "rfc822 '%s': got %lld, expected %lld\n", rfc822_valid[i].text,
				(long long)when, (long long)rfc822_valid[i].when);
			CHECK(!"rfc822 valid case");
		} else {
			CHECK(1);
		}
	}
	for (size_t i = 0; i < sizeof(rfc822_invalid) / sizeof(rfc822_invalid[0]); i++) {
		when = 12345;
		if (vigil_parse_rfc822_time(rfc822_invalid[i], &when) != -1 || when != 12345) {
			fprintf(stderr, "rfc822 '%s' accepted as %lld\n", rfc822_invalid[i],
				(long long)when);
			CHECK(!"rfc822 invalid case");
		} else {
			CHECK(1);
		}
	}
	CHECK(vigil_parse_rfc822_time(NULL, &when) == -1);

	for (size_t i = 0; i < sizeof(formatted) / sizeof(formatted[0]); i++) {
		vigil_format_time(formatted[i].when, text);
		CHECK_STR(text, formatted[i].text);
	}

	/* Far outside 0001-9999: no overflow, still a string (not parseable). */
	vigil_format_time(INT64_MIN, text);
	CHECK(strlen(text) > 20 && text[strlen(text) - 1] == 'Z');
	vigil_format_time(INT64_MAX, text);
	CHECK(strlen(text) > 20 && text[strlen(text) - 1] == 'Z');
	CHECK(vigil_parse_time(text, &when) == -1);

	/* format(parse(x)) == x for canonical texts, and parse(format(t)) == t
	 * for instants across the whole range, both sides of 1970. */
	for (size_t i = 0; i < sizeof(formatted) / sizeof(formatted[0]); i++) {
		CHECK(vigil_parse_time(formatted[i].text, &when) == 0 && when == formatted[i].when);
	}
	{
		int bad = 0;

		for (int64_t t = -62135596800LL; t <= 253402300799LL; t += 7777777LL + 13) {
			if (vigil_parse_time((vigil_format_time(t, text), text), &when) != 0 || when != t) {
				if (!bad++)
					fprintf(stderr, "round trip of %lld: '%s' gave %lld\n",
						(long long)t, text, (long long)when);
			}
		}
		/* every day for a few years around 1970 and 1900 */
		for (int64_t t = -2300000000LL; t < -2100000000LL; t += DAY + 1)
			bad += vigil_parse_time((vigil_format_time(t, text), text), &when) != 0 || when != t;
		for (int64_t t = -200000000LL; t < 200000000LL; t += DAY - 1)
			bad += vigil_parse_time((vigil_format_time(t, text), text), &when) != 0 || when != t;
		CHECK(bad == 0);
	}
	/* every valid day of 2000 (leap), 1900 (not) and 2023 parses, the day
	 * after the last of each month does not */
	{
		int bad = 0;
		const int years[] = { 1900, 2000, 2023, 2024 };

		for (size_t y = 0; y < 4; y++)
			for (int m = 1; m <= 12; m++)
				for (int d = 1; d <= 32; d++) {
					char date[48];
					int ok;

					snprintf(date, sizeof(date), "%04d-%02d-%02d", years[y], m, d);
					ok = vigil_parse_time(date, &when) == 0;
					bad += ok != (d <= vigil_days_in_month(years[y], m));
				}
		CHECK(bad == 0);
		CHECK(vigil_days_in_month(1900, 2) == 28 && vigil_days_in_month(2000, 2) == 29 &&
		      vigil_days_in_month(2024, 2) == 29 && vigil_days_in_month(2023, 2) == 28 &&
		      vigil_days_in_month(2024, 4) == 30 && vigil_days_in_month(2024, 13) == 0);
	}
	CHECK_DONE();
}
