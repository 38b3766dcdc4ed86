/*
 * extract_driver.c: run parse_extract() on HTML files, for
 * /work/shared/tools/extract-eval.py until `vigil extract` exists.
 *
 *   extract-driver FILE [URL]        print the main text
 *   extract-driver -m FILE [URL]     print the metadata, "---", the text
 *   extract-driver -t FILE...        extract every file, print pages/second
 *
 * Files are read whole; content_type is NULL, as for a page on disk.
 */
#define _POSIX_C_SOURCE 200809L
#include "../parser/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int read_file(const char *path, struct vigil_buf *body)
{
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return 0;
	}
	body->len = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (vigil_buf_append(body, chunk, n)) {
			fprintf(stderr, "%s: out of memory\n", path);
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return 1;
}

static double seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int timing(int argc, char **argv)
{
	struct vigil_buf body = VIGIL_BUF_INIT;
	size_t pages = 0, bytes = 0, failed = 0;
	double spent = 0, cpu = 0;

	for (int i = 2; i < argc; i++) {
		struct parse_document doc;
		struct vigil_error err = { 0 };
		double t0, c0;

		if (!read_file(argv[i], &body))
			return 1;
		t0 = seconds(CLOCK_MONOTONIC);
		c0 = seconds(CLOCK_THREAD_CPUTIME_ID);
		if (parse_extract(body.data ? body.data : "", body.len, NULL, NULL, 0, &doc, &err))
			failed++;
		cpu += seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
		spent += seconds(CLOCK_MONOTONIC) - t0;
		parse_document_release(&doc);
		pages++;
		bytes += body.len;
	}
	vigil_buf_release(&body);
	printf("%zu pages (%zu failed), %.1f MB in %.2f s: %.1f pages/s, %.1f MB/s\n", pages,
	       failed, (double)bytes / 1e6, spent, spent > 0 ? (double)pages / spent : 0,
	       spent > 0 ? (double)bytes / 1e6 / spent : 0);
	/* CPU time of the extracting thread: what "pages/s per core" means on
	 * a shared machine, where wall time counts other processes' turns */
	printf("CPU %.2f s: %.1f pages/s per core, %.1f MB/s\n", cpu,
	       cpu > 0 ? (double)pages / cpu : 0, cpu > 0 ? (double)bytes / 1e6 / cpu : 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct parse_document doc;
	struct vigil_error err = { 0 };
	struct vigil_buf body = VIGIL_BUF_INIT;
	int meta = 0, arg = 1;

	if (argc > 1 && strcmp(argv[1], "-t") == 0)
		return timing(argc, argv);
	if (argc > 1 && strcmp(argv[1], "-m") == 0) {
		meta = 1;
		arg++;
	}
	if (arg >= argc) {
		fprintf(stderr, "usage: extract-driver [-m] FILE [URL] | -t FILE...\n");
		return 2;
	}
	if (!read_file(argv[arg], &body))
		return 1;
	if (parse_extract(body.data ? body.data : "", body.len, NULL,
			  arg + 1 < argc ? argv[arg + 1] : NULL, 0, &doc, &err)) {
		fprintf(stderr, "%s: %s\n", argv[arg], err.message);
		vigil_buf_release(&body);
		return 1;
	}
	if (meta) {
		printf("title: %s\nauthor: %s\npublished: %s\nlanguage: %s\ncanonical: %s\n"
		       "description: %s\nsite_name: %s\ncharset: %s\n---\n",
		       doc.title ? doc.title : "-", doc.author ? doc.author : "-",
		       doc.published ? doc.published : "-", doc.language ? doc.language : "-",
		       doc.canonical_url ? doc.canonical_url : "-",
		       doc.description ? doc.description : "-",
		       doc.site_name ? doc.site_name : "-", doc.charset ? doc.charset : "-");
	}
	printf("%s\n", doc.text);
	parse_document_release(&doc);
	vigil_buf_release(&body);
	return 0;
}
