/*
 * time.c: UTC timestamps in and out of text. The one place that reads
 * dates: ISO 8601 / RFC 3339 (feeds, pages, channel posts, CLI options)
 * and RFC 822 / 2822 / HTTP dates (RSS pubDate), both validated the same
 * way. Calendar arithmetic is done here on the proleptic Gregorian
 * calendar, not with timegm/mktime: those depend on the C library's time_t
 * range and, for mktime, on TZ.
 */
#include "vigil.h"
#include "utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- month names and zone names: the one table of each ---- */

/*
 * Month names as pages write them, lower case, matched as the start of a
 * word ("мар" takes "марта", "march", "mars", "marzo", "marca"). Stems are
 * as short as the languages allow without two months sharing one.
 * en/de/fr/es/it/pt/pl/nl/id share the Latin stems; ru abbreviations and
 * genitives, uk; Kazakh in Cyrillic and in the Latin alphabets of 2018/2021.
 */
static const struct {
	const char *stem;
	unsigned char month;
} month_stems[] = {
	{ "jan", 1 }, { "jän", 1 }, { "ene", 1 }, { "gen", 1 }, { "sty", 1 },
	{ "feb", 2 }, { "fév", 2 }, { "fev", 2 }, { "lut", 2 },
	{ "mar", 3 }, { "mär", 3 }, { "mrz", 3 }, { "maa", 3 }, { "mrt", 3 },
	{ "apr", 4 }, { "avr", 4 }, { "abr", 4 }, { "kwi", 4 },
	{ "may", 5 }, { "mai", 5 }, { "mag", 5 }, { "maj", 5 }, { "mei", 5 },
	{ "jun", 6 }, { "juin", 6 }, { "giu", 6 }, { "cze", 6 },
	{ "jul", 7 }, { "juil", 7 }, { "lug", 7 }, { "lip", 7 },
	{ "aug", 8 }, { "aoû", 8 }, { "aou", 8 }, { "ago", 8 }, { "agu", 8 }, { "sie", 8 },
	{ "sep", 9 }, { "set", 9 }, { "wrz", 9 },
	{ "oct", 10 }, { "okt", 10 }, { "ott", 10 }, { "out", 10 }, { "paź", 10 }, { "paz", 10 },
	{ "nov", 11 }, { "lis", 11 },
	{ "dec", 12 }, { "déc", 12 }, { "dez", 12 }, { "dic", 12 }, { "des", 12 }, { "gru", 12 },
	{ "янв", 1 }, { "фев", 2 }, { "мар", 3 }, { "апр", 4 }, { "мая", 5 }, { "май", 5 },
	{ "июн", 6 }, { "июл", 7 }, { "авг", 8 }, { "сен", 9 }, { "окт", 10 }, { "ноя", 11 },
	{ "дек", 12 },
	{ "січ", 1 }, { "лют", 2 }, { "бер", 3 }, { "кві", 4 }, { "тра", 5 }, { "чер", 6 },
	{ "лип", 7 }, { "сер", 8 }, { "вер", 9 }, { "жов", 10 }, { "лис", 11 }, { "гру", 12 },
	{ "қаңтар", 1 }, { "ақпан", 2 }, { "наурыз", 3 }, { "сәуір", 4 }, { "мамыр", 5 },
	{ "маусым", 6 }, { "шілде", 7 }, { "тамыз", 8 }, { "қыркүйек", 9 }, { "қазан", 10 },
	{ "қараша", 11 }, { "желтоқсан", 12 },
	{ "qańtar", 1 }, { "qantar", 1 }, { "aqpan", 2 }, { "nauryz", 3 }, { "naýryz", 3 },
	{ "sáýir", 4 }, { "sauir", 4 }, { "säuir", 4 }, { "mamyr", 5 }, { "maýsym", 6 },
	{ "mausym", 6 }, { "shilde", 7 }, { "şilde", 7 }, { "tamyz", 8 }, { "qyrkúiek", 9 },
	{ "qyrkuiek", 9 }, { "qyrküyek", 9 }, { "qazan", 10 }, { "qarasha", 11 },
	{ "qaraşa", 11 }, { "jeltoqsan", 12 }, { "zheltoqsan", 12 },
};

/* Upper to lower case for the scripts of the month table: ASCII, Latin-1,
 * Latin Extended-A, Cyrillic with the Kazakh letters. */
static uint32_t fold_case(uint32_t cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
		return cp + 32;
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177) ||
	    (cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
	    (cp >= 0x4D0 && cp <= 0x4FF))
		return cp & 1 ? cp : cp + 1;
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return cp & 1 ? cp + 1 : cp;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}

/* One code point of NUL-terminated text; an invalid byte is one step. */
static size_t next_cp(const char *p, uint32_t *cp)
{
	size_t n = vigil_utf8_decode((const unsigned char *)p, SIZE_MAX, cp);

	if (!n) {
		*cp = (unsigned char)*p;
		return *p ? 1 : 0;
	}
	return n;
}

/* Letters of a word: ASCII, and the alphabetic blocks up to U+1FFF (Latin,
 * Greek, Cyrillic...). CJK, punctuation and spaces end a word. */
static int is_word_cp(uint32_t cp)
{
	return (cp < 0x80 && isalpha((int)cp)) ||
	       (cp >= 0xC0 && cp < 0x2000 && cp != 0xD7 && cp != 0xF7);
}

/* Bytes of the word at p (0 when p is not at a letter). */
static size_t word_length(const char *p)
{
	size_t len = 0, n;
	uint32_t cp;

	while ((n = next_cp(p + len, &cp)) > 0 && is_word_cp(cp))
		len += n;
	return len;
}

/* 1 when the first len bytes of text start with stem (lower case),
 * compared case-insensitively. */
static int starts_with_folded(const char *text, size_t len, const char *stem)
{
	size_t i = 0, j = 0;

	while (stem[j]) {
		uint32_t a, b;
		size_t na, nb;

		if (i >= len)
			return 0;
		na = next_cp(text + i, &a);
		nb = next_cp(stem + j, &b);
		if (!na || !nb || fold_case(a) != b)
			return 0;
		i += na;
		j += nb;
	}
	return 1;
}

int vigil_month_from_word(const char *word, size_t len)
{
	char first[4];
	uint32_t cp;

	if (!word || len < 3 || !next_cp(word, &cp))
		return 0;
	/* The date readers ask this at every word of a page's text: a stem
	 * whose first byte differs from the word's folded first letter is
	 * passed over without decoding it. */
	vigil_utf8_encode(fold_case(cp), first);
	for (size_t i = 0; i < sizeof(month_stems) / sizeof(month_stems[0]); i++)
		if (month_stems[i].stem[0] == first[0] &&
		    starts_with_folded(word, len, month_stems[i].stem))
			return month_stems[i].month;
	return 0;
}

/* Zone abbreviations seen on news pages, in minutes east of UTC. "ET",
 * "PT" and "CT" are left out: they do not say whether it is summer. */
static int named_zone(const char *tok, size_t n, int *offset)
{
	static const struct { const char *name; int minutes; } zones[] = {
		{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
		{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
		{ "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
		{ "AKST", -540 }, { "AKDT", -480 }, { "HST", -600 },
		{ "BST", 60 }, { "CET", 60 }, { "CEST", 120 }, { "EET", 120 }, { "EEST", 180 },
		{ "MSK", 180 }, { "AQTT", 300 }, { "ALMT", 360 }, { "IST", 330 }, { "WIB", 420 },
		{ "HKT", 480 }, { "JST", 540 }, { "KST", 540 }, { "AEST", 600 }, { "AEDT", 660 },
	};

	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strlen(zones[i].name) == n && strncasecmp(tok, zones[i].name, n) == 0) {
			*offset = zones[i].minutes * 60;
			return 1;
		}
	return 0;
}

/* ---- RFC 822 / 2822 / HTTP dates ---- */

static int month_number(const char *tok, size_t n)
{
	return vigil_month_from_word(tok, n);
}

/* Offset in seconds of an RFC 822 zone name; 0 for unknown names (RFC 2822
 * says to read them as UTC). */
static int zone_offset(const char *tok, size_t n)
{
	int offset = 0;

	return named_zone(tok, n, &offset) ? offset : 0;
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

/* ---- dates as pages write them (struct vigil_date) ---- */

int vigil_date_valid(const struct vigil_date *d)
{
	return d && d->year >= 1 && d->year <= 9999 && d->month >= 1 && d->month <= 12 &&
	       d->day >= 1 && d->day <= vigil_days_in_month(d->year, d->month) &&
	       (!d->has_time || (d->hour >= 0 && d->hour <= 23 && d->minute >= 0 &&
				 d->minute <= 59 && d->second >= 0 && d->second <= 59)) &&
	       (!d->has_offset || (d->offset >= -MAX_OFFSET && d->offset <= MAX_OFFSET &&
				   d->offset % 60 == 0));
}

int vigil_date_to_epoch(const struct vigil_date *d, int64_t *out)
{
	struct civil_time t;

	if (!vigil_date_valid(d))
		return -1;
	t.year = d->year;
	t.month = d->month;
	t.day = d->day;
	t.hour = d->has_time ? d->hour : 0;
	t.minute = d->has_time ? d->minute : 0;
	t.second = d->has_time ? d->second : 0;
	t.offset = d->has_offset ? d->offset : 0;
	return civil_to_epoch(&t, out);
}

void vigil_date_from_epoch(int64_t when, int offset, struct vigil_date *out)
{
	char text[32];

	vigil_format_time(when + offset, text);
	memset(out, 0, sizeof(*out));
	sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d", &out->year, &out->month, &out->day, &out->hour,
	       &out->minute, &out->second);
	out->has_time = 1;
	out->has_offset = 1;
	out->offset = offset;
}

void vigil_date_format(const struct vigil_date *d, char out[40])
{
	char text[96]; /* wider than out: the compiler cannot see that the fields are small */
	int n;

	if (!vigil_date_valid(d)) {
		out[0] = '\0';
		return;
	}
	n = snprintf(text, sizeof(text), "%04d-%02d-%02d", d->year, d->month, d->day);
	if (d->has_time)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "T%02d:%02d:%02d", d->hour,
			      d->minute, d->second);
	if (d->has_time && d->has_offset && d->offset == 0)
		snprintf(text + n, sizeof(text) - (size_t)n, "Z");
	else if (d->has_time && d->has_offset)
		snprintf(text + n, sizeof(text) - (size_t)n, "%c%02d:%02d",
			 d->offset < 0 ? '-' : '+', abs(d->offset) / 3600, abs(d->offset) / 60 % 60);
	memcpy(out, text, strnlen(text, 39));
	out[strnlen(text, 39)] = '\0';
}

/* 1..max digits at *p, not followed by another digit. */
static int read_number(const char **p, int min, int max, int *value)
{
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)(*p)[n]))
		v = v * 10 + ((*p)[n++] - '0');
	if (n < min || isdigit((unsigned char)(*p)[n]))
		return 0;
	*p += n;
	*value = v;
	return 1;
}

/* Spaces: ASCII blanks, U+00A0, U+2000-U+200B, U+202F, U+3000. */
static int skip_blank(const char **p)
{
	const char *start = *p;

	for (;;) {
		uint32_t cp;
		size_t n = next_cp(*p, &cp);

		if (!n || !(cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
			    (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x3000))
			break;
		*p += n;
	}
	return *p != start;
}

/* The literal text word (lower case) at *p, compared case-insensitively;
 * unless prefix_ok, a word that ends in a letter must end there in the
 * text too. Moves *p past it (past the rest of the word when prefix_ok). */
static int take_word(const char **p, const char *word, int prefix_ok)
{
	const char *q = *p, *w = word;
	uint32_t a, b, last = 0;

	while (*w) {
		size_t nb = next_cp(w, &b), na = next_cp(q, &a);

		if (!na || !nb || fold_case(a) != b)
			return 0;
		q += na;
		w += nb;
		last = b;
	}
	if (prefix_ok)
		q += word_length(q);
	else if (is_word_cp(last) && next_cp(q, &a) && is_word_cp(a))
		return 0;
	*p = q;
	return 1;
}

/* "HH:MM[:SS]" (or "HH.MM" / "14h20" when loose), then am/pm and a zone. */
static int read_clock_text(const char **p, int loose, struct vigil_date *d)
{
	const char *q = *p;
	int h, m = 0, s = 0, zone;

	if (!read_number(&q, 1, 2, &h))
		return 0;
	if (*q == ':' || (loose && *q == '.')) {
		char sep = *q++;

		if (!read_number(&q, 2, 2, &m))
			return 0;
		if (sep == ':' && *q == ':') {
			const char *r = q + 1;

			if (read_number(&r, 2, 2, &s))
				q = r;
		}
	} else if (*q == 'h') { /* "14h20", "14h" */
		const char *r = q + 1;

		if (isdigit((unsigned char)*r) && !read_number(&r, 2, 2, &m))
			return 0;
		if (isalpha((unsigned char)*r))
			return 0;
		q = r;
	} else {
		return 0;
	}
	if (*q == '.' && isdigit((unsigned char)q[1])) /* fraction of a second */
		for (q++; isdigit((unsigned char)*q); q++)
			;
	{
		const char *r = q;

		skip_blank(&r);
		if (take_word(&r, "a.m.", 0) || take_word(&r, "am", 0)) {
			if (h < 1 || h > 12)
				return 0;
			h = h == 12 ? 0 : h;
			q = r;
		} else if (take_word(&r, "p.m.", 0) || take_word(&r, "pm", 0)) {
			/* "17:19 PM" is seen too: a 24-hour clock with a stray PM */
			if (h < 1)
				return 0;
			h = h < 12 ? h + 12 : h;
			q = r;
		}
	}
	if (h > 23 || m > 59 || s > 59)
		return 0;
	d->hour = h;
	d->minute = m;
	d->second = s;
	d->has_time = 1;
	d->has_offset = 0;
	/* zone: "Z", "+06:00", "+0600", " GMT", " UTC+6", " EST", "(UTC)" */
	{
		const char *r = q;
		size_t n;

		skip_blank(&r);
		if (*r == '(')
			r++;
		n = 0;
		while (isalpha((unsigned char)r[n]))
			n++;
		if (n && n <= 4 && named_zone(r, n, &zone)) {
			d->offset = zone;
			d->has_offset = 1;
			q = r + n;
			r = q;
		} else if (q != r && !((*r == '+' || *r == '-') &&
					 strspn(r + 1, "0123456789") == 4)) {
			r = q; /* an offset touches the clock, follows a zone name or is +hhmm */
		}
		if ((*r == '+' || *r == '-') && isdigit((unsigned char)r[1]) &&
		    (d->has_offset || r == q || strspn(r + 1, "0123456789") == 4)) {
			int sign = *r == '-' ? -1 : 1, oh, om = 0;
			const char *t = r + 1;

			if (read_number(&t, 1, 2, &oh) ||
			    (isdigit((unsigned char)t[0]) && read_number(&t, 4, 4, &oh) &&
			     (om = oh % 100, oh /= 100, 1))) {
				if (*t == ':' && isdigit((unsigned char)t[1])) {
					t++;
					if (!read_number(&t, 2, 2, &om))
						return 0;
				}
				if (oh > 14 || om > 59)
					return 0;
				d->offset = (d->has_offset ? d->offset : 0) + sign * (oh * 3600 + om * 60);
				d->has_offset = 1;
				q = t;
			}
		} else if ((*r == 'Z' || *r == 'z') && r == q && !isalpha((unsigned char)r[1])) {
			d->offset = 0;
			d->has_offset = 1;
			q = r + 1;
		}
	}
	*p = q;
	return 1;
}

/* What may stand between a date and its time: ", ", " в ", " at ", " um ",
 * " à ", " alle ", " a las ", " às ", " o ", " - ", " | ", " / ", " • ". */
static void skip_date_time_glue(const char **p)
{
	static const char *const words[] = { "в", "at", "um", "à", "a", "las", "alle", "ore",
					     "às", "as", "o", "godz.", "kl.", "@", NULL };
	const char *q = *p;

	for (int marks = 0; marks < 3; marks++) { /* ", ", " -- ", " | " */
		skip_blank(&q);
		if (*q == ',' || *q == '|' || *q == '/' || *q == '-' || *q == '@' || *q == ';')
			q++;
		else if (strncmp(q, "\xe2\x80\x94", 3) == 0 || strncmp(q, "\xe2\x80\x93", 3) == 0 ||
			 strncmp(q, "\xe2\x80\xa2", 3) == 0)
			q += 3;
		else if (strncmp(q, "\xc2\xb7", 2) == 0)
			q += 2;
		else
			break;
	}
	skip_blank(&q);
	for (int round = 0; round < 2; round++) /* "a las" */
		for (const char *const *w = words; *w; w++) {
			const char *r = q;

			if (take_word(&r, *w, 0) && (skip_blank(&r) || **w == '@')) {
				q = r;
				break;
			}
		}
	*p = q;
}

/* "st", "nd", "rd", "th", "er", "º" after a day number. */
static void skip_ordinal(const char **p)
{
	static const char *const suffixes[] = { "st", "nd", "rd", "th", "er", "º", NULL };

	for (const char *const *s = suffixes; *s; s++)
		if (take_word(p, *s, 0))
			return;
}

/* Day-month-year with the month as a word: "18 апреля 2024", "3. März 2021",
 * "5 de abril de 2021", "1er mai 2021", "18th of April, 2024", "18 сәуір
 * 2024 ж.". */
static int read_day_month_year(const char **p, struct vigil_date *d)
{
	const char *q = *p;
	int day, month, year;
	size_t len;

	if (!read_number(&q, 1, 2, &day))
		return 0;
	if (*q == '.')
		q++;
	else
		skip_ordinal(&q);
	skip_blank(&q);
	if (take_word(&q, "de", 0) || take_word(&q, "of", 0))
		skip_blank(&q);
	len = word_length(q);
	if (!(month = vigil_month_from_word(q, len)))
		return 0;
	q += len;
	if (*q == '.')
		q++;
	/* no comma: "среда, 17 сентября, 2025 просмотров" has no year */
	skip_blank(&q);
	if (take_word(&q, "de", 0) || take_word(&q, "del", 0))
		skip_blank(&q);
	if (!read_number(&q, 4, 4, &year))
		return 0;
	{
		const char *r = q;

		skip_blank(&r);
		if (take_word(&r, "года", 0) || take_word(&r, "г.", 0) || take_word(&r, "г", 0) ||
		    take_word(&r, "жылы", 0) || take_word(&r, "ж.", 0) || take_word(&r, "r.", 0))
			q = r;
	}
	d->day = day;
	d->month = month;
	d->year = year;
	*p = q;
	return 1;
}

/* Month-day-year: "April 18, 2024", "Nov. 18th 2019", "Nov 20 2019". */
static int read_month_day_year(const char **p, struct vigil_date *d)
{
	const char *q = *p;
	int day, month, year;
	size_t len = word_length(q);

	if (!(month = vigil_month_from_word(q, len)))
		return 0;
	q += len;
	if (*q == '.')
		q++;
	skip_blank(&q);
	if (!read_number(&q, 1, 2, &day))
		return 0;
	skip_ordinal(&q);
	if (*q == ',')
		q++;
	skip_blank(&q);
	if (!read_number(&q, 4, 4, &year))
		return 0;
	d->day = day;
	d->month = month;
	d->year = year;
	*p = q;
	return 1;
}

/* Year first: "2024-04-18", "2024/04/18", "2024.04.18", "2021年4月5日",
 * "2021년 4월 5일", "2024 жылғы 18 сәуір", "2024 ж. 18 сәуір". */
static int read_year_first(const char **p, struct vigil_date *d)
{
	const char *q = *p;
	int year, month, day;

	if (!read_number(&q, 4, 4, &year))
		return 0;
	if (*q == '-' || *q == '/' || *q == '.') {
		char sep = *q++;

		if (!read_number(&q, 1, 2, &month) || *q != sep)
			return 0;
		q++;
		if (!read_number(&q, 1, 2, &day))
			return 0;
	} else {
		const char *r = q;

		skip_blank(&r);
		int korean = 0;

		if (take_word(&r, "年", 0) || (korean = take_word(&r, "년", 0))) {
			skip_blank(&r);
			if (!read_number(&r, 1, 2, &month))
				return 0;
			skip_blank(&r);
			if (!take_word(&r, korean ? "월" : "月", 0))
				return 0;
			skip_blank(&r);
			if (!read_number(&r, 1, 2, &day))
				return 0;
			skip_blank(&r);
			if (!take_word(&r, korean ? "일" : "日", 0))
				return 0;
		} else if (take_word(&r, "жылғы", 0) || take_word(&r, "ж.", 0) ||
			   take_word(&r, "jylǵy", 0) || take_word(&r, "jylgy", 0)) {
			size_t len;

			skip_blank(&r);
			if (!read_number(&r, 1, 2, &day))
				return 0;
			skip_blank(&r);
			len = word_length(r);
			if (!(month = vigil_month_from_word(r, len)))
				return 0;
			r += len;
		} else {
			return 0;
		}
		q = r;
	}
	d->year = year;
	d->month = month;
	d->day = day;
	*p = q;
	return 1;
}

/* Numeric day first: "18.04.2024", "18/04/2024", "18-04-2024"; month first
 * when the middle number cannot be a month ("11.14.2019") or the reading
 * says so (American pages: "04/18/2024"). */
static int read_numeric_dmy(const char **p, int month_first, struct vigil_date *d)
{
	const char *q = *p;
	int a, b, year;
	char sep;

	if (!read_number(&q, 1, 2, &a))
		return 0;
	sep = *q;
	if (sep != '.' && sep != '/' && sep != '-')
		return 0;
	q++;
	if (!read_number(&q, 1, 2, &b) || *q != sep)
		return 0;
	q++;
	if (!read_number(&q, 4, 4, &year)) {
		/* "11/13/19": two-digit years only in the American form */
		if (sep != '/' || !read_number(&q, 2, 2, &year) || !(month_first || b > 12))
			return 0;
		year += 2000;
	}
	if (b > 12 || (month_first && a <= 12 && sep == '/')) {
		int t = a;

		a = b;
		b = t;
	}
	d->day = a;
	d->month = b;
	d->year = year;
	*p = q;
	return 1;
}

/* "вчера в 14:20", "сегодня, 09:15", "yesterday at 2:20 pm", "кеше 14:20":
 * days back from the reading's day; a clock time must follow. */
static int read_relative_day(const char **p, const struct vigil_date_reading *how,
			     struct vigil_date *d)
{
	static const struct { const char *word; int back; } words[] = {
		{ "сегодня", 0 }, { "вчера", 1 }, { "позавчера", 2 }, { "бүгін", 0 },
		{ "кеше", 1 }, { "bügin", 0 }, { "bugin", 0 }, { "keshe", 1 }, { "keşe", 1 },
		{ "today", 0 }, { "yesterday", 1 }, { "heute", 0 }, { "gestern", 1 },
		{ "aujourd'hui", 0 }, { "aujourd’hui", 0 }, { "hier", 1 }, { "hoy", 0 },
		{ "ayer", 1 }, { "oggi", 0 }, { "ieri", 1 }, { "dzisiaj", 0 }, { "dziś", 0 },
		{ "wczoraj", 1 }, { "今天", 0 }, { "昨天", 1 }, { "今日", 0 }, { "昨日", 1 },
	};
	const char *q = *p;
	struct vigil_date day;
	int back = -1;

	if (how->now <= 0)
		return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *r = q;

		if (take_word(&r, words[i].word, 0) || (strchr(words[i].word, '\'') &&
		    strncmp(r, words[i].word, strlen(words[i].word)) == 0 &&
		    (r += strlen(words[i].word), 1))) {
			back = words[i].back;
			q = r;
			break;
		}
	}
	if (back < 0)
		return 0;
	skip_date_time_glue(&q);
	vigil_date_from_epoch(how->now - (int64_t)back * SECONDS_PER_DAY, how->zone_offset, &day);
	memset(d, 0, sizeof(*d));
	d->year = day.year;
	d->month = day.month;
	d->day = day.day;
	if (!read_clock_text(&q, 0, d))
		return 0;
	if (!d->has_offset && how->zone_known) {
		d->offset = how->zone_offset;
		d->has_offset = 1;
	}
	d->relative = 1;
	*p = q;
	return 1;
}

/* "2 часа назад", "15 minutes ago", "3 сағат бұрын", "vor 2 Stunden",
 * "il y a 3 heures", "hace 2 horas", "2 ore fa", "5 godzin temu",
 * "3小时前": an instant before the reading's time (days: a date). */
static int read_time_ago(const char **p, const struct vigil_date_reading *how,
			 struct vigil_date *d)
{
	static const struct { const char *stem; int seconds; } units[] = {
		{ "мин", 60 }, { "min", 60 }, { "分", 60 },
		{ "час", 3600 }, { "hour", 3600 }, { "hr", 3600 }, { "stund", 3600 },
		{ "heure", 3600 }, { "hora", 3600 }, { "ore", 3600 }, { "ora", 3600 },
		{ "godzin", 3600 }, { "сағат", 3600 }, { "小时", 3600 }, { "時間", 3600 },
		{ "дн", SECONDS_PER_DAY }, { "ден", SECONDS_PER_DAY }, { "day", SECONDS_PER_DAY },
		{ "tag", SECONDS_PER_DAY }, { "jour", SECONDS_PER_DAY }, { "día", SECONDS_PER_DAY },
		{ "dia", SECONDS_PER_DAY }, { "giorn", SECONDS_PER_DAY }, { "dni", SECONDS_PER_DAY },
		{ "dzie", SECONDS_PER_DAY }, { "күн", SECONDS_PER_DAY }, { "天", SECONDS_PER_DAY },
	};
	static const char *const before[] = { "vor", "il y a", "hace", NULL };
	static const char *const after[] = { "назад", "ago", "бұрын", "fa", "temu", "前", NULL };
	const char *q = *p;
	int count, unit = 0, prefixed = 0;

	if (how->now <= 0)
		return 0;
	for (const char *const *b = before; *b; b++) {
		const char *r = q;

		if (take_word(&r, *b, 0) && skip_blank(&r)) {
			q = r;
			prefixed = 1;
			break;
		}
		if (strchr(*b, ' ') && strncasecmp(q, *b, strlen(*b)) == 0) {
			r = q + strlen(*b);
			if (skip_blank(&r)) {
				q = r;
				prefixed = 1;
				break;
			}
		}
	}
	if (!read_number(&q, 1, 3, &count))
		return 0;
	skip_blank(&q);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		const char *r = q;

		if (take_word(&r, units[i].stem, 1)) {
			unit = units[i].seconds;
			q = r;
			break;
		}
	}
	if (!unit)
		return 0;
	if (!prefixed) {
		int found = 0;

		skip_blank(&q);
		for (const char *const *a = after; *a && !found; a++)
			found = take_word(&q, *a, 0);
		if (!found)
			return 0;
	}
	if (unit == SECONDS_PER_DAY) {
		vigil_date_from_epoch(how->now - (int64_t)count * unit, how->zone_offset, d);
		d->has_time = 0;
		d->has_offset = 0;
		d->offset = 0;
	} else {
		vigil_date_from_epoch(how->now - (int64_t)count * unit, 0, d);
		d->second = 0;
	}
	d->relative = 1;
	*p = q;
	return 1;
}

size_t vigil_date_read_text(const char *text, const struct vigil_date_reading *how,
			    struct vigil_date *out)
{
	static const struct vigil_date_reading plain = { 0, 0, 0, 0 };
	const char *p = text, *q;
	struct vigil_date d, clock;

	if (!text || !out)
		return 0;
	if (!how)
		how = &plain;
	memset(&d, 0, sizeof(d));
	q = p;
	if (read_relative_day(&q, how, &d) || read_time_ago(&q, how, &d)) {
		if (!vigil_date_valid(&d))
			return 0;
		*out = d;
		return (size_t)(q - text);
	}
	memset(&d, 0, sizeof(d));
	q = p;
	/* "10:15, 18.04.2024", "21:17 18.11.2019": the clock first */
	memset(&clock, 0, sizeof(clock));
	if (isdigit((unsigned char)*q) && read_clock_text(&q, 0, &clock)) {
		const char *r = q;

		if (*r == ',' || *r == '|')
			r++;
		skip_blank(&r);
		{
			/* "10:01 pm PST, Tuesday, November 19, 2019": a weekday between */
			size_t len = word_length(r);
			const char *s = r + len;

			if (len && !vigil_month_from_word(r, len)) {
				if (*s == '.')
					s++;
				if (*s == ',')
					s++;
				skip_blank(&s);
				r = s;
			}
		}
		if (read_year_first(&r, &d) || read_numeric_dmy(&r, how->month_first, &d) ||
		    read_day_month_year(&r, &d) || read_month_day_year(&r, &d)) {
			d.hour = clock.hour;
			d.minute = clock.minute;
			d.second = clock.second;
			d.has_time = 1;
			d.has_offset = clock.has_offset;
			d.offset = clock.offset;
			q = r;
			if (!vigil_date_valid(&d))
				return 0;
			*out = d;
			return (size_t)(q - text);
		}
		return 0;
	}
	q = p;
	if (!(read_year_first(&q, &d) || read_numeric_dmy(&q, how->month_first, &d) ||
	      read_day_month_year(&q, &d) || read_month_day_year(&q, &d)))
		return 0;
	/* an optional time after: ", 10:15", " в 10:15", " at 2:20 pm" */
	{
		const char *r = q;
		struct vigil_date t = d;

		if ((*r == 'T' || *r == 't') && isdigit((unsigned char)r[1]))
			r++;
		else
			skip_date_time_glue(&r);
		if (read_clock_text(&r, 1, &t)) {
			d = t;
			q = r;
		}
	}
	if (!vigil_date_valid(&d))
		return 0;
	*out = d;
	return (size_t)(q - text);
}

int vigil_date_parse(const char *text, struct vigil_date *out)
{
	const char *p = text;
	struct vigil_date d;
	int64_t when;
	size_t n;

	if (!text || !out)
		return -1;
	skip_blank(&p);
	/* epoch seconds or milliseconds */
	n = strspn(p, "0123456789");
	if (n >= 9 && n <= 13) {
		const char *end = p + n;

		skip_blank(&end);
		if (!*end) {
			long long v = atoll(p);

			if (n >= 12)
				v /= 1000;
			vigil_date_from_epoch((int64_t)v, 0, &d);
			*out = d;
			return 0;
		}
	}
	memset(&d, 0, sizeof(d));
	n = vigil_date_read_text(p, NULL, &d);
	if (n) {
		const char *end = p + n;

		skip_blank(&end);
		if (!*end || *end == '(') {
			*out = d;
			return 0;
		}
	}
	/* RFC 2822 and JavaScript's Date string: "Tue, 19 Nov 2019 13:03:00 GMT",
	 * "Tue Nov 19 2019 05:44:06 GMT+0000 (UTC)" */
	{
		const char *q = p;
		size_t len = word_length(q);

		if (len && !vigil_month_from_word(q, len)) {
			q += len;
			if (*q == ',' || *q == '.')
				q++;
			skip_blank(&q);
		}
		memset(&d, 0, sizeof(d));
		n = vigil_date_read_text(q, NULL, &d);
		if (n) {
			const char *end = q + n;

			skip_blank(&end);
			if (!*end || *end == '(') {
				*out = d;
				return 0;
			}
		}
	}
	if (vigil_parse_rfc822_time(p, &when) == 0) {
		vigil_date_from_epoch(when, 0, out);
		return 0;
	}
	return -1;
}
