/* time.c: UTC timestamps in and out of ISO 8601. */
#include "vigil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t vigil_now(void)
{
	return (int64_t)time(NULL);
}

void vigil_format_time(int64_t when, char out[32])
{
	time_t t = (time_t)when;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int read_digits(const char **p, int count, int *value)
{
	int v = 0;

	for (int i = 0; i < count; i++) {
		if (!isdigit((unsigned char)(*p)[0]))
			return 0;
		v = v * 10 + (*(*p)++ - '0');
	}
	*value = v;
	return 1;
}

int64_t vigil_parse_time(const char *text)
{
	const char *p = text;
	int year, month, day, hour = 0, minute = 0, second = 0, offset = 0;
	struct tm tm;

	if (!text)
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	if (!read_digits(&p, 4, &year) || *p++ != '-' || !read_digits(&p, 2, &month) ||
	    *p++ != '-' || !read_digits(&p, 2, &day))
		return -1;
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!read_digits(&p, 2, &hour) || *p++ != ':' || !read_digits(&p, 2, &minute))
			return -1;
		if (*p == ':') {
			p++;
			if (!read_digits(&p, 2, &second))
				return -1;
			if (*p == '.')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
		if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;

			if (!read_digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			read_digits(&p, 2, &om);
			offset = sign * (oh * 3600 + om * 60);
		}
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	return (int64_t)timegm(&tm) - offset;
}
