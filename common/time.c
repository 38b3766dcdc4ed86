/*
 * time.c: UTC timestamps in and out of text. The one place that reads
 * dates: ISO 8601 / RFC 3339 (feeds, pages, channel posts, CLI options)
 * and RFC 822 / 2822 / HTTP dates (RSS pubDate), both validated the same
 * way. Calendar arithmetic is done here on the proleptic Gregorian
 * calendar, not with timegm/mktime: those depend on the C library's time_t
 * range and, for mktime, on TZ.
 */
#include "vigil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SECONDS_PER_DAY 86400
#define DAYS_PER_400_YEARS 146097
#define DAYS_0001_TO_1970 719162 /* days from 0001-01-01 to 1970-01-01 */
#define MAX_OFFSET (14 * 3600)   /* UTC-14:00 .. UTC+14:00 are the zones in use */

int64_t vigil_now(void)
{
	return (int64_t)time(NULL);
}

static int is_leap_year(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int vigil_days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

/* Days from 0001-01-01 to January 1 of year (year >= 1). */
static int64_t days_before_year(int64_t year)
{
	int64_t y = year - 1;

	return 365 * y + y / 4 - y / 100 + y / 400;
}

/* Days from 1970-01-01 to year-month-day; negative before 1970. The
 * fields must already be valid (1 <= year, 1..12, 1..days in month). */
static int64_t days_from_civil(int year, int month, int day)
{
	int64_t days = days_before_year(year);

	for (int m = 1; m < month; m++)
		days += vigil_days_in_month(year, m);
	return days + day - 1 - DAYS_0001_TO_1970;
}

/* Floor division: C's / truncates toward zero, which is wrong for times
 * before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void vigil_format_time(int64_t when, char out[32])
{
	int64_t days = when / SECONDS_PER_DAY, seconds = when % SECONDS_PER_DAY;
	int64_t since_0001, cycles, in_cycle, year_in_cycle, year;
	int month = 1;
	char text[80]; /* wider than out: the compiler cannot see that the fields are small */

	/* Floor both (C truncates toward zero); no overflow even for INT64_MIN. */
	if (seconds < 0) {
		seconds += SECONDS_PER_DAY;
		days--;
	}
	/* Days since 0001-01-01, split into whole 400-year cycles (each the
	 * same sequence of leap years) and the day within the cycle. */
	since_0001 = days + DAYS_0001_TO_1970;
	cycles = floor_div(since_0001, DAYS_PER_400_YEARS);
	in_cycle = since_0001 - cycles * DAYS_PER_400_YEARS;
	/* in_cycle / 366 undershoots the year by at most two. */
	year_in_cycle = in_cycle / 366;
	while (days_before_year(year_in_cycle + 2) <= in_cycle)
		year_in_cycle++;
	in_cycle -= days_before_year(year_in_cycle + 1);
	year = cycles * 400 + year_in_cycle + 1;
	while (in_cycle >= vigil_days_in_month((int)(year_in_cycle + 1), month)) {
		in_cycle -= vigil_days_in_month((int)(year_in_cycle + 1), month);
		month++;
	}
	snprintf(text, sizeof(text), "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)year, month,
		 (int)in_cycle + 1, (int)(seconds / 3600), (int)(seconds / 60 % 60),
		 (int)(seconds % 60));
	memcpy(out, text, strnlen(text, 31));
	out[strnlen(text, 31)] = '\0';
}

/* Exactly count digits at *p; moves *p past them. */
static int read_digits(const char **p, int count, int *value)
{
	int v = 0;

	for (int i = 0; i < count; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return 0;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += count;
	*value = v;
	return 1;
}

struct civil_time {
	int year, month, day, hour, minute, second;
	int offset; /* seconds east of UTC */
};

/* Validate every field and turn it into seconds since the epoch. A leap
 * second (:60) is accepted only where one can happen, at 23:59:60 UTC, and
 * is read as 23:59:59 so the instant stays on its day. */
static int civil_to_epoch(const struct civil_time *t, int64_t *out)
{
	int64_t when;

	if (t->year < 1 || t->year > 9999 || t->month < 1 || t->month > 12 || t->day < 1 ||
	    t->day > vigil_days_in_month(t->year, t->month) || t->hour < 0 || t->hour > 23 ||
	    t->minute < 0 || t->minute > 59 || t->second < 0 || t->second > 60 ||
	    t->offset < -MAX_OFFSET || t->offset > MAX_OFFSET)
		return -1;
	when = days_from_civil(t->year, t->month, t->day) * SECONDS_PER_DAY +
	       t->hour * 3600 + t->minute * 60 + (t->second == 60 ? 59 : t->second) - t->offset;
	if (t->second == 60 && when - floor_div(when, SECONDS_PER_DAY) * SECONDS_PER_DAY !=
				       SECONDS_PER_DAY - 1)
		return -1;
	*out = when;
	return 0;
}

/* "Z", "+hh", "+hhmm" or "+hh:mm" (or "-"); 0 and *offset on success. */
static int read_iso_offset(const char **p, int *offset)
{
	int sign, hours, minutes = 0;

	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*offset = 0;
		return 0;
	}
	if (**p != '+' && **p != '-')
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!read_digits(p, 2, &hours))
		return -1;
	if (**p == ':') {
		(*p)++;
		if (!read_digits(p, 2, &minutes))
			return -1;
	} else if (isdigit((unsigned char)**p) && !read_digits(p, 2, &minutes)) {
		return -1;
	}
	if (minutes > 59)
		return -1;
	*offset = sign * (hours * 3600 + minutes * 60);
	return 0;
}

int vigil_parse_time(const char *text, int64_t *out)
{
	const char *p = text;
	struct civil_time t = { 0 };

	if (!text || !out)
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	if (!read_digits(&p, 4, &t.year) || *p++ != '-' || !read_digits(&p, 2, &t.month) ||
	    *p++ != '-' || !read_digits(&p, 2, &t.day))
		return -1;
	if ((*p == 'T' || *p == 't' || *p == ' ') && isdigit((unsigned char)p[1])) {
		p++;
		if (!read_digits(&p, 2, &t.hour) || *p++ != ':' || !read_digits(&p, 2, &t.minute))
			return -1;
		if (*p == ':') {
			p++;
			if (!read_digits(&p, 2, &t.second))
				return -1;
			if (*p == '.') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (*p && !isspace((unsigned char)*p) && read_iso_offset(&p, &t.offset))
			return -1;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return -1;
	return civil_to_epoch(&t, out);
}

/* ---- RFC 822 / 2822 / HTTP dates ---- */

static int month_number(const char *tok, size_t n)
{
	static const char *const en[] = { "jan", "feb", "mar", "apr", "may", "jun",
					   "jul", "aug", "sep", "oct", "nov", "dec" };
	/* Russian abbreviations, lower case ("мая" is the genitive of May). */
	static const struct { const char *prefix; int month; } ru[] = {
		{ "янв", 1 }, { "фев", 2 }, { "мар", 3 }, { "апр", 4 }, { "май", 5 },
		{ "мая", 5 }, { "июн", 6 }, { "июл", 7 }, { "авг", 8 }, { "сен", 9 },
		{ "окт", 10 }, { "ноя", 11 }, { "дек", 12 },
	};
	char low[8];

	if (n >= 3) {
		for (int i = 0; i < 12; i++)
			if (strncasecmp(tok, en[i], 3) == 0)
				return i + 1;
	}
	if (n < 6)
		return 0;
	/* Lower-case the three Cyrillic letters (А..Я are D0 90..D0 AF). */
	memcpy(low, tok, 6);
	for (int i = 0; i < 6; i += 2) {
		unsigned char lead = (unsigned char)low[i], next = (unsigned char)low[i + 1];

		if (lead == 0xD0 && next >= 0x90 && next <= 0x9F) {
			low[i + 1] = (char)(next + 0x20);
		} else if (lead == 0xD0 && next >= 0xA0 && next <= 0xAF) {
			low[i] = (char)0xD1;
			low[i + 1] = (char)(next - 0x20);
		}
	}
	for (size_t i = 0; i < sizeof(ru) / sizeof(ru[0]); i++)
		if (memcmp(low, ru[i].prefix, 6) == 0)
			return ru[i].month;
	return 0;
}

/* Offset in seconds of an RFC 822 zone name; 0 for unknown names (RFC 2822
 * says to read them as UTC). */
static int zone_offset(const char *tok, size_t n)
{
	static const struct { const char *name; int hours; } zones[] = {
		{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
		{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
		{ "MSK", 3 }, { "ALMT", 6 }, { "AQTT", 5 },
	};

	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strlen(zones[i].name) == n && strncasecmp(tok, zones[i].name, n) == 0)
			return zones[i].hours * 3600;
	return 0;
}

static int is_rfc822_space(char c)
{
	return c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n';
}

/* One or two digits at *p. */
static int read_short_number(const char **p, int *value)
{
	int n = 0;

	*value = 0;
	while (n < 3 && isdigit((unsigned char)(*p)[n]))
		*value = *value * 10 + ((*p)[n++] - '0');
	*p += n;
	return n >= 1 && n <= 2 ? 0 : -1;
}

/* ":MM[:SS]" after the hour digits: p is at the ':'. */
static int read_rfc822_clock(const char **p, struct civil_time *t)
{
	(*p)++;
	if (read_short_number(p, &t->minute))
		return -1;
	if (**p == ':') {
		(*p)++;
		if (read_short_number(p, &t->second))
			return -1;
	}
	return 0;
}

int vigil_parse_rfc822_time(const char *text, int64_t *out)
{
	const char *p = text;
	struct civil_time t = { 0 };
	int have_day = 0, have_year = 0, have_clock = 0, have_offset = 0;

	if (!text || !out)
		return -1;
	while (*p) {
		const char *start;
		size_t n;

		while (is_rfc822_space(*p))
			p++;
		if (!*p)
			break;
		start = p;
		if (isdigit((unsigned char)*p)) {
			long v = 0;

			for (; isdigit((unsigned char)*p); p++)
				if (v < 100000)
					v = v * 10 + (*p - '0');
			n = (size_t)(p - start);
			if (*p == ':' && !have_clock) {
				if (n > 2)
					return -1;
				t.hour = (int)v;
				if (read_rfc822_clock(&p, &t))
					return -1;
				have_clock = 1;
			} else if (!have_day && !have_year && n <= 2) {
				t.day = (int)v;
				have_day = 1;
			} else if (!have_year && (n == 4 || n == 2)) {
				t.year = n == 2 ? (int)v + (v < 50 ? 2000 : 1900) : (int)v;
				have_year = 1;
			} else {
				return -1;
			}
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, hours, minutes = 0;

			p++;
			if (have_offset || !read_digits(&p, 2, &hours))
				return -1;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) && !read_digits(&p, 2, &minutes))
				return -1;
			if (isdigit((unsigned char)*p) || minutes > 59)
				return -1;
			t.offset = sign * (hours * 3600 + minutes * 60);
			have_offset = 1;
		} else {
			int m;

			while (*p && !is_rfc822_space(*p) && !isdigit((unsigned char)*p) &&
			       *p != '+' && *p != '-')
				p++;
			n = (size_t)(p - start);
			m = month_number(start, n);
			if (m && !t.month) {
				t.month = m;
			} else if (have_clock && !have_offset) {
				t.offset = zone_offset(start, n);
				have_offset = zone_offset(start, n) != 0;
			}
			/* Anything else is a weekday name or noise. */
		}
	}
	if (!have_day || !have_year || !have_clock)
		return -1;
	return civil_to_epoch(&t, out);
}
