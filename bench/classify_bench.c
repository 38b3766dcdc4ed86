/*
 * classify_bench.c: classify text files with the configured rules, print the
 * result, and time repeated classification (KB/s). Not part of `make`:
 *
 *   make build/classify_bench      (or: make bench-classify, on the seeds)
 *   build/classify_bench [-r RULES_DIR] [-n LOOPS] [-R RUNS] [-q] [-T] [-v] FILE...
 *
 * The first line of each file is taken as the title. -v prints every hit,
 * -q only the timing, -T one Markdown table row per file (the first three
 * characters of its name, tone, score, the strongest tone cues:
 * config/README.md's seed table).
 * With -n, the LOOPS classifications are timed RUNS
 * times (default 5) in CPU time, and the range over the runs is printed:
 * the machine is shared, so one run says little.
 */
#include "../common/vigil.h"
#include "../config/config.h"
#include "../parser/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *read_file(const char *path)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (vigil_buf_append(&buf, chunk, n)) {
			fclose(f);
			vigil_buf_release(&buf);
			return NULL;
		}
	}
	fclose(f);
	return vigil_buf_detach(&buf);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_list(const char *name, char **items, size_t n)
{
	size_t i;

	printf("  %s:", name);
	for (i = 0; i < n; i++)
		printf(" %s", items[i]);
	printf("\n");
}

/* "| 001 | title | tone | score | cues |": the tone cues grouped by the
 * words matched, strongest (sum of |weight|) first, at most six. */
static void print_table_row(const char *path, const struct parse_classification *out)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t used[64], n = 0, h, k, shown;

	printf("| %.3s | %s | %+d |", base, parse_tone_name(out->tone), out->tone_score);
	for (h = 0; h < out->hit_count && n < 64; h++) {
		if (out->hits[h].kind != CONFIG_RULE_TONE)
			continue;
		for (k = 0; k < n; k++) {
			if (strcmp(out->hits[used[k]].matched, out->hits[h].matched) == 0)
				break;
		}
		if (k == n)
			used[n++] = h;
	}
	for (shown = 0; shown < 6 && shown < n; shown++) {
		size_t best = shown;
		int best_sum = -1, count = 0, sum = 0;

		for (k = shown; k < n; k++) {
			int s = 0;

			for (h = 0; h < out->hit_count; h++) {
				if (out->hits[h].kind == CONFIG_RULE_TONE &&
				    strcmp(out->hits[h].matched, out->hits[used[k]].matched) == 0)
					s += abs(out->hits[h].weight);
			}
			if (s > best_sum) {
				best_sum = s;
				best = k;
			}
		}
		k = used[shown];
		used[shown] = used[best];
		used[best] = k;
		for (h = 0; h < out->hit_count; h++) {
			if (out->hits[h].kind == CONFIG_RULE_TONE &&
			    strcmp(out->hits[h].matched, out->hits[used[shown]].matched) == 0) {
				count++;
				sum += out->hits[h].weight;
			}
		}
		printf("%s \"%s\" (%+d%s", shown ? "," : "", out->hits[used[shown]].matched, sum,
		       count > 1 ? "" : ")");
		if (count > 1)
			printf(", ×%d)", count);
	}
	printf("%s |\n", n > 6 ? ", ..." : "");
}

int main(int argc, char **argv)
{
	char default_dir[4096];
	const char *rules_dir = NULL;
	struct config_rules rules = { 0 };
	struct parse_classifier *c = NULL;
	struct vigil_error err = { 0 };
	int loops = 0, runs = 5, verbose = 0, quiet = 0, table = 0, i, status = 0;
	size_t total_bytes = 0;
	double t0, total_best = 0, total_worst = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			rules_dir = argv[++i];
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			loops = atoi(argv[++i]);
		else if (strcmp(argv[i], "-R") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]) > 0 ? atoi(argv[i]) : 1;
		else if (strcmp(argv[i], "-q") == 0)
			quiet = 1;
		else if (strcmp(argv[i], "-T") == 0)
			table = quiet = 1;
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else {
			fprintf(stderr, "usage: %s [-r RULES_DIR] [-n LOOPS] [-R RUNS] [-q] [-T] [-v] FILE...\n", argv[0]);
			return 2;
		}
	}
	if (!rules_dir) {
		if (config_shipped_path("rules", default_dir, sizeof(default_dir), &err)) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		rules_dir = default_dir;
	}
	if (config_rules_load_dir(rules_dir, &rules, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	t0 = now_seconds();
	if (parse_classifier_new(&rules, &c, &err)) {
		fprintf(stderr, "%s\n", err.message);
		config_rules_release(&rules);
		return 1;
	}
	{
		size_t np = 0, r;

		for (r = 0; r < rules.count; r++)
			np += rules.items[r].pattern_count;
		printf("%zu rules, %zu patterns, compiled in %.1f ms\n", rules.count, np,
		       (now_seconds() - t0) * 1000);
	}
	for (; i < argc; i++) {
		char *data = read_file(argv[i]), *nl, *title, *text;
		struct parse_classification out;
		size_t h;
		int k;

		if (!data) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			status = 1;
			continue;
		}
		nl = strchr(data, '\n');
		title = data;
		text = nl ? nl + 1 : data + strlen(data);
		if (nl)
			*nl = '\0';
		if (parse_classify(c, title, text, NULL, &out, &err)) {
			fprintf(stderr, "%s: %s\n", argv[i], err.message);
			free(data);
			status = 1;
			continue;
		}
		if (table)
			print_table_row(argv[i], &out);
		else
			printf("%s: relevant=%d tone=%s score=%d hits=%zu\n", argv[i], out.relevant,
			       parse_tone_name(out.tone), out.tone_score, out.hit_count);
		if (!quiet) {
			print_list("categories", out.categories, out.category_count);
			print_list("threats", out.threats, out.threat_count);
			print_list("regions", out.regions, out.region_count);
		}
		for (h = 0; h < out.hit_count && !quiet; h++) {
			const struct parse_rule_hit *hit = &out.hits[h];

			if (verbose || hit->kind == CONFIG_RULE_TONE)
				printf("    %-9s %-22s %+d @%zu \"%s\" (%s)\n",
				       config_rule_kind_name(hit->kind), hit->rule_id, hit->weight,
				       hit->offset, hit->matched, hit->where);
		}
		if (verbose && out.explanation)
			printf("%s", out.explanation);
		parse_classification_release(&out);
		if (loops > 0) {
			size_t bytes = strlen(title) + 2 + strlen(text);
			double best = 0, worst = 0;
			int run;

			for (run = 0; run < runs; run++) {
				double t1 = now_seconds(), dt;

				for (k = 0; k < loops; k++) {
					if (parse_classify(c, title, text, NULL, &out, &err)) {
						fprintf(stderr, "%s\n", err.message);
						break;
					}
					parse_classification_release(&out);
				}
				dt = now_seconds() - t1;
				if (run == 0 || dt < best)
					best = dt;
				if (run == 0 || dt > worst)
					worst = dt;
			}
			printf("  %zu bytes, %d runs of %d: %.3f-%.3f ms per classify, %.1f-%.1f MB/s\n",
			       bytes, runs, loops, best * 1000 / loops, worst * 1000 / loops,
			       (double)bytes * loops / 1e6 / worst, (double)bytes * loops / 1e6 / best);
			total_bytes += bytes;
			total_best += best;
			total_worst += worst;
		}
		free(data);
	}
	if (loops > 0 && total_best > 0)
		printf("all files, %zu bytes: %.1f-%.1f MB/s (CPU time, slowest-fastest run)\n",
		       total_bytes, (double)total_bytes * loops / 1e6 / total_worst,
		       (double)total_bytes * loops / 1e6 / total_best);
	parse_classifier_free(&c);
	config_rules_release(&rules);
	return status;
}
