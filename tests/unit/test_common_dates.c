/* test_common_dates.c: dates as pages write them (common/time.c):
 * vigil_date_read_text, vigil_date_parse, vigil_month_from_word and the
 * struct vigil_date helpers. */
#include "check.h"
#include "../../common/vigil.h"

#include <stdio.h>
#include <string.h>

#define NOW_2024_04_18_NOON 1713441600 /* 2024-04-18T12:00:00Z */

static const char *read_text(const char *text, const struct vigil_date_reading *how,
			     char out[40])
{
	struct vigil_date d;

	memset(&d, 0, sizeof(d));
	if (!vigil_date_read_text(text, how, &d))
		return NULL;
	vigil_date_format(&d, out);
	return out;
}

static void test_visible_forms(void)
{
	static const struct { const char *text, *want; } cases[] = {
		/* numeric, day first */
		{ "18.04.2024", "2024-04-18" },
		{ "18/04/2024", "2024-04-18" },
		{ "18-04-2024", "2024-04-18" },
		{ "18.04.2024 10:15", "2024-04-18T10:15:00" },
		{ "10:15, 18.04.2024", "2024-04-18T10:15:00" },
		{ "21:17 18.11.2019", "2019-11-18T21:17:00" },
		{ "11.14.2019 09:00 AM", "2019-11-14T09:00:00" }, /* 14 cannot be a month */
		/* year first */
		{ "2024-04-18", "2024-04-18" },
		{ "2024/04/18 10:15", "2024-04-18T10:15:00" },
		{ "2021年4月5日", "2021-04-05" },
		{ "2021年04月05日 10:20", "2021-04-05T10:20:00" },
		{ "2021년 4월 5일", "2021-04-05" },
		{ "2024 жылғы 18 сәуір", "2024-04-18" },
		{ "2024 ж. 18 сәуір, 14:20", "2024-04-18T14:20:00" },
		/* month names */
		{ "18 апреля 2024", "2024-04-18" },
		{ "18 АПРЕЛЯ 2024 г. в 10:15", "2024-04-18T10:15:00" },
		{ "1 мая 2023 года", "2023-05-01" },
		{ "18 сәуір 2024", "2024-04-18" },
		{ "18 Сәуір 2024 ж.", "2024-04-18" },
		{ "18 sáýir 2024", "2024-04-18" },
		{ "5 qazan 2023", "2023-10-05" },
		{ "3. März 2021", "2021-03-03" },
		{ "5 de abril de 2021", "2021-04-05" },
		{ "5 de abril de 2021 a las 14:20", "2021-04-05T14:20:00" },
		{ "22 de outubro de 2010 às 20:13", "2010-10-22T20:13:00" },
		{ "1er avril 2021", "2021-04-01" },
		{ "5 avril 2021 à 14h20", "2021-04-05T14:20:00" },
		{ "5 aprile 2021 alle 14:20", "2021-04-05T14:20:00" },
		{ "5 kwietnia 2021 o 14:20", "2021-04-05T14:20:00" },
		{ "7 marca 2021 r.", "2021-03-07" },
		{ "18 Nov 2019, 19:09", "2019-11-18T19:09:00" },
		{ "18th of April 2024", "2024-04-18" },
		{ "April 18, 2024", "2024-04-18" },
		{ "Nov. 18th 2019 8:54 am PT", "2019-11-18T08:54:00" }, /* PT: no offset */
		{ "November 19, 2019, 07:47 PM EST", "2019-11-19T19:47:00-05:00" },
		{ "Nov 18, 2019 at 9:24 pm", "2019-11-18T21:24:00" },
		{ "Nov 18, 2019 @17:19 PM", "2019-11-18T17:19:00" },
		{ "November 18, 2019 -- 19:14 GMT", "2019-11-18T19:14:00Z" },
		{ "Mon 18 Nov 2019 18.54 GMT", NULL }, /* a weekday: the scanner starts at 18 */
		{ "18 Nov 2019 18.54 GMT", "2019-11-18T18:54:00Z" },
		{ "10:01 pm PST, Tuesday, November 19, 2019", "2019-11-19T22:01:00-08:00" },
		{ "Maret 30, 2015", "2015-03-30" },
		{ "13 травня 2024", "2024-05-13" },
		{ "5 maart 2021", "2021-03-05" },
		/* not dates */
		{ "31.04.2024", NULL },
		{ "29.02.2023", NULL },
		{ "30 февраля 2024", NULL },
		{ "17 сентября, 2025", NULL },
		{ "12.34.5678", NULL },
		{ "18 апреля", NULL },
		{ "вчера в 14:20", NULL }, /* no fetch time: relative forms are refused */
		{ "", NULL },
	};
	char out[40];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = read_text(cases[i].text, NULL, out);

		if (cases[i].want)
			CHECK_STR(got, cases[i].want);
		else if (got) {
			fprintf(stderr, "'%s' read as %s\n", cases[i].text, got);
			CHECK(!"not a date");
		} else
			CHECK(1);
	}
}

static void test_month_order(void)
{
	struct vigil_date_reading us = { 0, 0, 0, 1 };
	char out[40];

	/* American pages write the month first; others do not */
	CHECK_STR(read_text("04/05/2021", &us, out), "2021-04-05");
	CHECK_STR(read_text("04/05/2021", NULL, out), "2021-05-04");
	CHECK_STR(read_text("11/13/19", &us, out), "2019-11-13");
	CHECK(read_text("11/13/19", NULL, out) != NULL); /* 13 cannot be a month */
	CHECK(read_text("04/05/21", NULL, out) == NULL); /* two-digit years are American */
	CHECK_STR(read_text("04.05.2021", &us, out), "2021-05-04"); /* dots: day first */
}

static void test_relative_forms(void)
{
	struct vigil_date_reading how = { NOW_2024_04_18_NOON, 0, 0, 0 };
	struct vigil_date_reading almaty = { NOW_2024_04_18_NOON - 8 * 3600, 5 * 3600, 1, 0 };
	static const struct { const char *text, *want; } cases[] = {
		{ "вчера в 14:20", "2024-04-17T14:20:00" },
		{ "Вчера, 14:20", "2024-04-17T14:20:00" },
		{ "сегодня, 09:15", "2024-04-18T09:15:00" },
		{ "позавчера в 08:00", "2024-04-16T08:00:00" },
		{ "кеше 14:20", "2024-04-17T14:20:00" },
		{ "бүгін 09:00", "2024-04-18T09:00:00" },
		{ "yesterday at 2:20 pm", "2024-04-17T14:20:00" },
		{ "Today 12:01 AM", "2024-04-18T00:01:00" },
		{ "gestern, 10:00", "2024-04-17T10:00:00" },
		{ "hier à 14h20", "2024-04-17T14:20:00" },
		{ "ayer a las 14:20", "2024-04-17T14:20:00" },
		{ "ieri alle 14:20", "2024-04-17T14:20:00" },
		{ "wczoraj o 14:20", "2024-04-17T14:20:00" },
		{ "昨天 14:20", "2024-04-17T14:20:00" },
		{ "2 часа назад", "2024-04-18T10:00:00Z" },
		{ "15 минут назад", "2024-04-18T11:45:00Z" },
		{ "3 hours ago", "2024-04-18T09:00:00Z" },
		{ "3 сағат бұрын", "2024-04-18T09:00:00Z" },
		{ "vor 2 Stunden", "2024-04-18T10:00:00Z" },
		{ "il y a 3 heures", "2024-04-18T09:00:00Z" },
		{ "hace 2 horas", "2024-04-18T10:00:00Z" },
		{ "2 ore fa", "2024-04-18T10:00:00Z" },
		{ "5 godzin temu", "2024-04-18T07:00:00Z" },
		{ "3小时前", "2024-04-18T09:00:00Z" },
		{ "2 дня назад", "2024-04-16" },
		{ "1 day ago", "2024-04-17" },
		{ "вчера", NULL },   /* without a clock time: too loose to be a date line */
		{ "hier ist", NULL },
		{ "2 часа", NULL },
	};
	char out[40];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = read_text(cases[i].text, &how, out);

		if (cases[i].want)
			CHECK_STR(got, cases[i].want);
		else
			CHECK(got == NULL);
	}
	/* 04:00 UTC is already 09:00 in Almaty: "вчера" is the 17th there, and a
	 * zone seen on the page is given to the clock time */
	CHECK_STR(read_text("вчера в 14:20", &almaty, out), "2024-04-17T14:20:00+05:00");
	{
		struct vigil_date d;

		CHECK(vigil_date_read_text("вчера в 14:20", &how, &d) && d.relative);
		CHECK(vigil_date_read_text("18.04.2024", &how, &d) && !d.relative);
	}
}

static void test_machine_forms(void)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "2024-04-18T00:30:00+06:00", "2024-04-18T00:30:00+06:00" }, /* kept, not the 17th */
		{ "2024-04-18T10:15:00.123Z", "2024-04-18T10:15:00Z" },
		{ "2024-04-18t10:15:00z", "2024-04-18T10:15:00Z" },
		{ "2019-11-19T09:01:42+0530", "2019-11-19T09:01:42+05:30" },
		{ "2019-11-19T13:16+0000", "2019-11-19T13:16:00Z" },
		{ "2019-11-19 02:24:00 UTC", "2019-11-19T02:24:00Z" },
		{ "2019-11-20T01:50:59.403", "2019-11-20T01:50:59" },
		{ "2018/10/03", "2018-10-03" },
		{ "Tue, 19 Nov 2019 13:03:00 GMT", "2019-11-19T13:03:00Z" },
		{ "Mon, 18 Nov 2019 16:07:38 -0600", "2019-11-18T16:07:38-06:00" },
		{ "Tue Nov 19 2019 05:44:06 GMT+0000 (UTC)", "2019-11-19T05:44:06Z" },
		{ "01:38:07 PM IST Nov 20, 2019", "2019-11-20T13:38:07+05:30" },
		{ "Monday, November 18, 2019, 08:19 PM", "2019-11-18T20:19:00" },
		{ "1574097593", "2019-11-18T17:19:53Z" },
		{ "1574097593000", "2019-11-18T17:19:53Z" },
		{ "  2024-04-18  ", "2024-04-18" },
		{ "2024-04-18T25:00:00Z", NULL },
		{ "2024-04-18T10:00:00+15:00", NULL },
		{ "2024-04-31", NULL },
		{ "20191119", NULL },
		{ "2024-04-18 and more", NULL },
		{ "вчера в 14:20", NULL },
		{ "", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vigil_date d = { 0 };
		char out[40];

		d.year = 42;
		if (vigil_date_parse(cases[i].text, &d) == 0) {
			vigil_date_format(&d, out);
			if (cases[i].want)
				CHECK_STR(out, cases[i].want);
			else {
				fprintf(stderr, "'%s' parsed as %s\n", cases[i].text, out);
				CHECK(!"not a date");
			}
		} else {
			CHECK(!cases[i].want);
			CHECK(d.year == 42); /* untouched */
		}
	}
}

static void test_helpers(void)
{
	struct vigil_date d;
	char out[40];
	int64_t when;

	CHECK(vigil_month_from_word("Апреля", strlen("Апреля")) == 4);
	CHECK(vigil_month_from_word("SÁÝIR", strlen("SÁÝIR")) == 4);
	CHECK(vigil_month_from_word("Қазан", strlen("Қазан")) == 10);
	CHECK(vigil_month_from_word("juin", 4) == 6);
	CHECK(vigil_month_from_word("juillet", 7) == 7);
	CHECK(vigil_month_from_word("października", strlen("października")) == 10);
	CHECK(vigil_month_from_word("Dezember", 8) == 12);
	CHECK(vigil_month_from_word("ma", 2) == 0);
	CHECK(vigil_month_from_word("Monday", 6) == 0);
	/* the same instant in the page's zone */
	CHECK(vigil_parse_time("2024-04-17T18:30:00Z", &when) == 0);
	vigil_date_from_epoch(when, 6 * 3600, &d);
	vigil_date_format(&d, out);
	CHECK_STR(out, "2024-04-18T00:30:00+06:00");
	CHECK(vigil_date_to_epoch(&d, &when) == 0);
	vigil_date_format(&d, out);
	{
		int64_t again;

		/* every formatted date is read back by the index's parser */
		CHECK(vigil_parse_time(out, &again) == 0 && again == when);
	}
	memset(&d, 0, sizeof(d));
	d.year = 2024;
	d.month = 2;
	d.day = 30;
	CHECK(!vigil_date_valid(&d));
	vigil_date_format(&d, out);
	CHECK_STR(out, "");
}

int main(void)
{
	test_visible_forms();
	test_month_order();
	test_relative_forms();
	test_machine_forms();
	test_helpers();
	CHECK_DONE();
}
