/* report_format.h: vigil report's output formats (cli/report_format.c):
 * bulletin-style Markdown tables, CSV in long format, one JSON object, and
 * one self-contained HTML page with inline CSS and SVG. */
#ifndef VIGIL_CLI_REPORT_FORMAT_H
#define VIGIL_CLI_REPORT_FORMAT_H

#include <stdio.h>

#include "../archive/report.h"

enum report_format { REPORT_FORMAT_MD, REPORT_FORMAT_HTML, REPORT_FORMAT_CSV,
		     REPORT_FORMAT_JSON };

/* "md", "html", "csv", "json" into *out; 0, or -1 for another name. */
int report_format_parse(const char *name, enum report_format *out);

/* The tile map of the HTML report: where each region's tile sits
 * (config/report_tiles.tsv: ID, column, row). */
struct report_tile {
	char *id;
	int column, row;
};
struct report_tiles {
	struct report_tile *items;
	size_t count;
};
/* Read DIR/report_tiles.tsv; err names the file and line. */
enum vigil_code report_tiles_load(const char *dir, struct report_tiles *out,
				  struct vigil_error *err) VIGIL_WARN_UNUSED;
void report_tiles_release(struct report_tiles *tiles);

/* when as "YYYY-MM-DD" at midnight UTC, else the full ISO 8601 UTC time:
 * what --since / --until read back. */
void report_format_date(int64_t when, char out[32]);

/* The report in format; data_dir goes into the `vigil show` commands of
 * the deleted and edited materials; tiles are used by html only. */
void report_print(FILE *out, enum report_format format, const struct archive_report *report,
		  const char *data_dir, const struct report_tiles *tiles);

#endif
