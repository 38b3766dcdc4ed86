/*
 * report_bench.c: the cost of archive_report_build as the period grows.
 * Records N synthetic relevant materials (short texts of 60 random words,
 * dates spread over one year, 1-3 threats of 10, 1-2 regions of 8, a
 * category, a tone, 5 outlets) into a fresh index, 1000 to a transaction,
 * then builds the report of the whole year, of one quarter and of one
 * month, each three times, and prints the best time and the number of
 * materials counted.
 *
 *     cc -O2 -std=c17 -D_GNU_SOURCE -o build/report_bench bench/report_bench.c \
 *        build/libarchive.a build/libcommon.a -lsqlite3 -lzstd -lcrypto -lutf8proc
 *     build/report_bench DIR N          (DIR must not exist)
 */
#include "../archive/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t state = 88172645463325252ULL;

static unsigned pick(unsigned n)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (unsigned)(state % n);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const char *const threat_ids[] = { "police_detention", "court_proceedings", "criminal_case",
					  "fine", "raid", "threats_harassment", "rally_refused",
					  "info_refused", "takedown_demand", "smear_campaign" };
static const struct archive_region region_list[] = {
	{ "PAV", "Павлодарская область", "North" }, { "ALA", "Алматы", "South" },
	{ "AST", "Астана", "Central" }, { "ZAP", "Западно-Казахстанская область", "West" },
	{ "KAR", "Карагандинская область", "Central" }, { "SHY", "Шымкент", "South" },
	{ "AKT", "Актюбинская область", "West" }, { "VOS", "Восточно-Казахстанская область", "East" } };
static const char *const category_ids[] = { "journalist", "lawyer", "activist_ngo", "hr_defender" };
static const char *const outlets[] = { "alpha", "beta", "gamma", "delta", "epsilon" };
static const char *const words[] = { "суд", "журналист", "активист", "задержан", "полиция",
				     "митинг", "штраф", "адвокат", "прокуратура", "акимат",
				     "правозащитник", "дело", "обыск", "пикет", "редакция",
				     "заявление", "решение", "апелляция", "свидетель", "статья" };

int main(int argc, char **argv)
{
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	struct archive_report_term threats[10], regions[8], categories[4];
	struct archive_report_taxonomy tax = { threats, 10, categories, 4, regions, 8 };
	const int64_t year = 1704067200; /* 2024-01-01 */
	long n;

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: report_bench DIR N\n");
		return 2;
	}
	for (int i = 0; i < 10; i++)
		threats[i] = (struct archive_report_term){ threat_ids[i], NULL, "g", NULL, NULL };
	for (int i = 0; i < 8; i++)
		regions[i] = (struct archive_report_term){ region_list[i].id, region_list[i].label,
							   NULL, NULL, region_list[i].macro };
	for (int i = 0; i < 4; i++)
		categories[i] = (struct archive_report_term){ category_ids[i], NULL, NULL, NULL, NULL };
	if (archive_data_init(argv[1], &err) || archive_store_open(argv[1], &store, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	double start = now_ms();
	for (long i = 0; i < n; i++) {
		struct archive_version_input in = { 0 };
		const char *picked_threats[3], *picked_category[1];
		struct archive_region picked_regions[2];
		char url[64], title[64], published[32], text[2048];
		int64_t source_id, id, when = year + (int64_t)pick(366 * 86400);
		size_t used = 0;

		if (i % 1000 == 0 && archive_begin(store, &err))
			break;
		if (archive_source_sync(store, outlets[i % 5], "https://x.kz/", "site", &source_id,
					&err))
			break;
		snprintf(url, sizeof(url), "https://x.kz/%ld", i);
		snprintf(title, sizeof(title), "Материал %ld", i);
		vigil_format_time(when, published);
		for (int w = 0; w < 60; w++)
			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s %ld", w ? " " : "",
						 words[pick(20)], (long)pick(100000));
		in.source_id = source_id;
		in.url = url;
		in.title = title;
		in.published = published;
		in.text = text;
		in.fetched_at = when + 3600;
		in.relevant = 1;
		in.tone = (enum archive_tone)pick(3);
		in.threat_count = 1 + pick(3);
		for (size_t t = 0; t < in.threat_count; t++)
			picked_threats[t] = threat_ids[(i + t * 3) % 10];
		in.threats = picked_threats;
		picked_category[0] = category_ids[pick(4)];
		in.categories = picked_category;
		in.category_count = 1;
		in.region_count = 1 + pick(2);
		for (size_t r = 0; r < in.region_count; r++)
			picked_regions[r] = region_list[(i + r * 5) % 8];
		in.regions = picked_regions;
		if (archive_material_record(store, &in, NULL, &id, &err))
			break;
		if ((i % 1000 == 999 || i == n - 1) && archive_commit(store, &err))
			break;
	}
	if (err.code) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	printf("recorded %ld materials in %.1f s\n", n, (now_ms() - start) / 1e3);
	struct { const char *name; int64_t from, to; } periods[] = {
		{ "year", year, year + 366 * 86400 }, { "quarter", year + 91 * 86400, year + 182 * 86400 },
		{ "month", year + 31 * 86400, year + 60 * 86400 } };
	for (int p = 0; p < 3; p++) {
		double best = 1e18;
		int64_t counted = 0;

		for (int run = 0; run < 3; run++) {
			struct archive_report report;
			double t0 = now_ms();

			if (archive_report_build(store, &tax, periods[p].from, periods[p].to, &report,
						 &err)) {
				fprintf(stderr, "%s\n", err.message);
				return 1;
			}
			if (now_ms() - t0 < best)
				best = now_ms() - t0;
			counted = report.materials;
			archive_report_release(&report);
		}
		printf("report of a %-7s %7lld materials: %8.1f ms (%.3f ms a material)\n",
		       periods[p].name, (long long)counted, best, counted ? best / counted : 0.0);
	}
	archive_store_close(&store);
	return 0;
}
