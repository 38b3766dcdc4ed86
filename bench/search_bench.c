/*
 * search_bench.c VIGIL DATA_DIR [ROUNDS]: latency of `vigil search` on an
 * index made by bench/gen_index.py: every query of DATA_DIR/queries.tsv,
 * in-process (archive_search / archive_search_count on one open store, as
 * a server would) and through the CLI (a process per query, start-up
 * included), ROUNDS times (default 1). Prints p50 and p99 per query class
 * in milliseconds, wall clock and CPU (user + system: what the query
 * costs when the machine is shared; the child's for the CLI), and the
 * index's bytes per material.
 */
#include "../archive/archive.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#define ARGS_MAX 16
#define QUERIES_MAX 1024
#define CLASSES_MAX 16

extern char **environ;

struct query {
	char *class_name;
	char *args[ARGS_MAX];
	int arg_count;
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double percentile(double *values, size_t n, double p)
{
	size_t at;

	if (!n)
		return 0;
	qsort(values, n, sizeof(*values), compare_double);
	at = (size_t)(p * (double)(n - 1) + 0.5);
	return values[at];
}

/* The query's arguments as an archive_query (the options queries.tsv uses). */
static int to_query(const struct query *q, struct archive_query *out, enum archive_count_key *keys,
		    size_t *key_count, int *count)
{
	memset(out, 0, sizeof(*out));
	*key_count = 0;
	*count = 0;
	for (int i = 0; i < q->arg_count; i++) {
		const char *a = q->args[i], *v = i + 1 < q->arg_count ? q->args[i + 1] : NULL;

		if (!strcmp(a, "--count")) {
			*count = 1;
		} else if (!strcmp(a, "--region") && v) {
			out->region = v, i++;
		} else if (!strcmp(a, "--tone") && v) {
			out->tone = v, i++;
		} else if (!strcmp(a, "--since") && v) {
			if (vigil_parse_time(v, &out->since))
				return -1;
			out->has_since = 1, i++;
		} else if (!strcmp(a, "--group-by") && v) {
			char copy[64], *save = NULL;

			snprintf(copy, sizeof(copy), "%s", v);
			for (char *k = strtok_r(copy, ",", &save); k && *key_count < 2;
			     k = strtok_r(NULL, ",", &save))
				keys[(*key_count)++] = (enum archive_count_key)archive_count_key_parse(k);
			*count = 1, i++;
		} else if (a[0] == '-' && a[1] == '-') {
			return -1;
		} else {
			out->text = a;
		}
	}
	return 0;
}

static double run_cli(const char *vigil, const char *data, const struct query *q, double *cpu)
{
	struct rusage usage;
	char *argv[ARGS_MAX + 6];
	int n = 0, status;
	pid_t pid;
	posix_spawn_file_actions_t actions;
	double start;

	argv[n++] = (char *)vigil;
	argv[n++] = "search";
	argv[n++] = "--data";
	argv[n++] = (char *)data;
	for (int i = 0; i < q->arg_count; i++)
		argv[n++] = q->args[i];
	argv[n] = NULL;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", 1 /* O_WRONLY */, 0);
	start = now_ms();
	if (posix_spawn(&pid, vigil, &actions, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&actions);
		return -1;
	}
	wait4(pid, &status, 0, &usage);
	posix_spawn_file_actions_destroy(&actions);
	*cpu = (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
	       (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return now_ms() - start;
}

int main(int argc, char **argv)
{
	static struct query queries[QUERIES_MAX];
	static double times[4][QUERIES_MAX * 8];
	const char *classes[CLASSES_MAX];
	size_t query_count = 0, class_count = 0, materials = 0;
	int rounds = argc > 3 ? atoi(argv[3]) : 1;
	char path[1024], line[2048];
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	struct stat st;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: search_bench VIGIL DATA_DIR [ROUNDS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/queries.tsv", argv[2]);
	if (!(f = fopen(path, "r"))) {
		perror(path);
		return 1;
	}
	while (query_count < QUERIES_MAX && fgets(line, sizeof(line), f)) {
		struct query *q = &queries[query_count];
		char *save = NULL, *field;

		line[strcspn(line, "\n")] = '\0';
		field = strtok_r(line, "\t", &save);
		if (!field)
			continue;
		q->class_name = strdup(field);
		while ((field = strtok_r(NULL, "\t", &save)) && q->arg_count < ARGS_MAX)
			q->args[q->arg_count++] = strdup(field);
		query_count++;
		{
			size_t c = 0;

			while (c < class_count && strcmp(classes[c], q->class_name))
				c++;
			if (c == class_count && class_count < CLASSES_MAX)
				classes[class_count++] = q->class_name;
		}
	}
	fclose(f);
	if (archive_store_open_mode(argv[2], ARCHIVE_OPEN_READ, &store, &err)) {
		fprintf(stderr, "search_bench: %s\n", err.message);
		return 1;
	}
	{
		struct archive_counts all = { 0 };

		if (archive_search_count(store, NULL, NULL, 0, &all, &err) == VIGIL_OK && all.count)
			materials = (size_t)all.rows[0].count;
		archive_counts_release(&all);
	}
	printf("index: %zu materials; %d round(s) of %zu queries; times in ms\n", materials, rounds,
	       query_count);
	fflush(stdout);
	printf("%-13s %17s %17s %17s %17s %9s\n", "", "in-process wall", "in-process CPU",
	       "CLI wall", "CLI CPU", "");
	printf("%-13s %8s %8s %8s %8s %8s %8s %8s %8s %9s\n", "class", "p50", "p99", "p50", "p99",
	       "p50", "p99", "p50", "p99", "results");
	for (size_t c = 0; c < class_count; c++) {
		size_t n_in = 0, n_cli = 0;
		long long results = 0;

		for (int r = 0; r < rounds; r++)
			for (size_t i = 0; i < query_count; i++) {
				struct query *q = &queries[i];
				struct archive_query aq;
				enum archive_count_key keys[2];
				size_t key_count;
				int count;
				double start, start_cpu, cli, cli_cpu;

				if (strcmp(q->class_name, classes[c]))
					continue;
				if (to_query(q, &aq, keys, &key_count, &count)) {
					fprintf(stderr, "search_bench: cannot read query %zu\n", i + 1);
					return 1;
				}
				start = now_ms();
				start_cpu = cpu_ms();
				if (count) {
					struct archive_counts counts = { 0 };

					if (archive_search_count(store, &aq, keys, key_count, &counts, &err)) {
						fprintf(stderr, "search_bench: %s\n", err.message);
						return 1;
					}
					if (r == 0)
						results += key_count ? (long long)counts.count
								     : (long long)counts.rows[0].count;
					archive_counts_release(&counts);
				} else {
					struct archive_results res = { 0 };

					if (archive_search(store, &aq, &res, &err)) {
						fprintf(stderr, "search_bench: %s\n", err.message);
						return 1;
					}
					if (r == 0)
						results += (long long)res.count;
					archive_results_release(&res);
				}
				times[0][n_in] = now_ms() - start;
				times[1][n_in++] = cpu_ms() - start_cpu;
				cli = run_cli(argv[1], argv[2], q, &cli_cpu);
				if (cli < 0) {
					fprintf(stderr, "search_bench: the CLI failed on query %zu\n", i + 1);
					return 1;
				}
				times[2][n_cli] = cli;
				times[3][n_cli++] = cli_cpu;
			}
		printf("%-13s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %9.0f\n", classes[c],
		       percentile(times[0], n_in, 0.5), percentile(times[0], n_in, 0.99),
		       percentile(times[1], n_in, 0.5), percentile(times[1], n_in, 0.99),
		       percentile(times[2], n_cli, 0.5), percentile(times[2], n_cli, 0.99),
		       percentile(times[3], n_cli, 0.5), percentile(times[3], n_cli, 0.99),
		       n_in ? (double)results / (double)(n_in / (size_t)rounds) : 0);
		fflush(stdout);
	}
	archive_store_close(&store);
	snprintf(path, sizeof(path), "%s/index.sqlite", argv[2]);
	if (stat(path, &st) == 0 && materials)
		printf("index: %lld bytes, %.0f bytes per material\n", (long long)st.st_size,
		       (double)st.st_size / (double)materials);
	return 0;
}
