/* cmd_report.c: vigil report, the media-monitoring tables of a bulletin for
 * a period (archive/report.h counts, cli/report_format.c prints), and
 * --explain CELL, the search that returns exactly one figure's materials. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../archive/report.h"
#include "../config/config.h"
#include "report_format.h"

const struct cli_option cmd_report_options[] = {
	{ "data", "DIR", "data directory (default $VIGIL_DATA or ./vigil-data)" },
	{ "config", "FILE", "sources file (as for crawl): its 'rules =' give the taxonomy" },
	{ "from", "DATE", "first day of the period (required)" },
	{ "to", "DATE", "end of the period, exclusive (required): --to 2024-07-01 ends on 30 June" },
	{ "format", "F", "md (default), html, csv or json" },
	{ "out", "FILE", "write the report to FILE instead of standard output" },
	{ "explain", "CELL", "print the vigil search command that returns the materials of "
	  "one figure, e.g. threat=police_detention,region=ALM or month=2024-05" },
	{ NULL, NULL, NULL }
};

/* The largest --limit search takes. */
#define EXPLAIN_LIMIT 1000000

static int parse_period_date(const struct cli_command *command, const char *name,
			     const char *value, int64_t *out)
{
	if (!value) {
		cli_error(command, "--%s DATE is required", name);
		return CLI_USAGE;
	}
	if (vigil_parse_time(value, out) != 0) {
		cli_error(command, "--%s '%s' is not a date (expected YYYY-MM-DD or "
			  "YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm])", name, value);
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* A word as one shell argument: as it is when it is safe, else in single
 * quotes. */
static void shell_word(FILE *out, const char *word)
{
	const char *p;

	for (p = word; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "_-./:@%+=,", *p))
			break;
	if (*word && !*p) {
		fputs(word, out);
		return;
	}
	fputc('\'', out);
	for (p = word; *p; p++)
		if (*p == '\'')
			fputs("'\\''", out);
		else
			fputc(*p, out);
	fputc('\'', out);
}

/* The explained cell: its search filters. */
struct cell {
	const char *threat, *region, *category, *tone, *source;
	int64_t since, until;
	int deleted, edited, stories;
};

/* "YYYY-MM" or "YYYY-Qn" into [start, end); 0 or -1. */
static int parse_bucket(const char *text, int quarter, int64_t *start, int64_t *end)
{
	struct vigil_date d = { 0 };
	char tail;
	int months;

	if (quarter) {
		int q;

		if (sscanf(text, "%4d-Q%1d%c", &d.year, &q, &tail) != 2 || q < 1 || q > 4)
			return -1;
		d.month = (q - 1) * 3 + 1;
		months = 3;
	} else {
		if (strlen(text) != 7 || sscanf(text, "%4d-%2d%c", &d.year, &d.month, &tail) != 2)
			return -1;
		months = 1;
	}
	d.day = 1;
	d.has_time = 1;
	if (!vigil_date_valid(&d) || vigil_date_to_epoch(&d, start) != 0)
		return -1;
	d.month += months;
	if (d.month > 12) {
		d.month -= 12;
		d.year++;
	}
	if (vigil_date_to_epoch(&d, end) != 0)
		*end = INT64_MAX;
	return 0;
}

/* Parse CELL ("key=value,key=value,flag"); prints the problem and returns
 * CLI_USAGE when it is not one. text is modified (split in place). */
static int parse_cell(const struct cli_command *command, char *text, struct cell *cell)
{
	char *save = NULL;

	for (char *term = strtok_r(text, ",", &save); term; term = strtok_r(NULL, ",", &save)) {
		char *value = strchr(term, '=');
		const char **slot = NULL;

		if (value)
			*value++ = '\0';
		if (!value && strcmp(term, "deleted") == 0)
			cell->deleted = 1;
		else if (!value && strcmp(term, "edited") == 0)
			cell->edited = 1;
		else if (!value && strcmp(term, "stories") == 0)
			cell->stories = 1;
		else if (!value && strcmp(term, "all") == 0)
			;
		else if (value && (strcmp(term, "month") == 0 || strcmp(term, "quarter") == 0)) {
			int64_t start, end;

			if (parse_bucket(value, term[0] == 'q', &start, &end)) {
				cli_error(command, "--explain: %s '%s' is not %s", term, value,
					  term[0] == 'q' ? "YYYY-Qn" : "YYYY-MM");
				return CLI_USAGE;
			}
			if (start > cell->since)
				cell->since = start;
			if (end < cell->until)
				cell->until = end;
			if (cell->since >= cell->until) {
				cli_error(command, "--explain: %s %s is outside the period", term, value);
				return CLI_USAGE;
			}
		} else if (value) {
			if (strcmp(term, "threat") == 0)
				slot = &cell->threat;
			else if (strcmp(term, "region") == 0)
				slot = &cell->region;
			else if (strcmp(term, "category") == 0)
				slot = &cell->category;
			else if (strcmp(term, "tone") == 0)
				slot = &cell->tone;
			else if (strcmp(term, "source") == 0)
				slot = &cell->source;
		}
		if (value && !slot && strcmp(term, "month") != 0 && strcmp(term, "quarter") != 0) {
			cli_error(command, "--explain: unknown key '%s' (threat, region, category, "
				  "tone, source, month, quarter; or deleted, edited, stories, all)", term);
			return CLI_USAGE;
		}
		if (!value && strcmp(term, "deleted") && strcmp(term, "edited") &&
		    strcmp(term, "stories") && strcmp(term, "all")) {
			cli_error(command, "--explain: '%s' is not KEY=VALUE nor one of deleted, "
				  "edited, stories, all", term);
			return CLI_USAGE;
		}
		if (slot) {
			if (*slot || !*value) {
				cli_error(command, "--explain: %s given %s", term,
					  *value ? "twice" : "an empty value");
				return CLI_USAGE;
			}
			*slot = value;
		}
	}
	if (cell->tone && archive_tone_parse(cell->tone) < 0) {
		cli_error(command, "--explain: tone '%s' is not one of negative, neutral, supportive",
			  cell->tone);
		return CLI_USAGE;
	}
	return CLI_OK;
}

static void print_option(FILE *out, const char *name, const char *value)
{
	fprintf(out, " --%s", name);
	if (value) {
		fputc(' ', out);
		shell_word(out, value);
	}
}

static void print_explained(FILE *out, const char *data_dir, const struct cell *cell)
{
	char since[32], until[32];

	report_format_date(cell->since, since);
	report_format_date(cell->until, until);
	fputs("vigil search", out);
	print_option(out, "data", data_dir);
	print_option(out, "relevant", NULL);
	print_option(out, "since", since);
	print_option(out, "until", until);
	if (cell->threat)
		print_option(out, "threat", cell->threat);
	if (cell->region)
		print_option(out, "region", cell->region);
	if (cell->category)
		print_option(out, "category", cell->category);
	if (cell->tone)
		print_option(out, "tone", cell->tone);
	if (cell->source)
		print_option(out, "source", cell->source);
	if (cell->deleted)
		print_option(out, "deleted", NULL);
	if (cell->edited)
		print_option(out, "edited", NULL);
	if (cell->stories)
		print_option(out, "story", NULL);
	fprintf(out, " --limit %d\n", EXPLAIN_LIMIT);
}

/* A threat type or category the rules do not name is still explained (the
 * index may hold labels of older rules: the report's rows "not in the
 * rules"), with a warning, since it is more often a typo. */
static void warn_unknown(const struct cli_command *command, const struct config_rules *rules,
			 enum config_rule_kind kind, const char *what, const char *id)
{
	if (!id)
		return;
	for (size_t i = 0; i < rules->count; i++)
		if (rules->items[i].kind == kind && strcasecmp(rules->items[i].id, id) == 0)
			return;
	cli_error(command, "warning: --explain: %s '%s' is not in the rules (a label of older "
		  "rules, or a typo?)", what, id);
}

/* The rules of one kind as report terms (borrowed from rules). */
static struct archive_report_term *terms_of(const struct config_rules *rules,
					    enum config_rule_kind kind, size_t *count)
{
	struct archive_report_term *terms = calloc(rules->count + 1, sizeof(*terms));

	*count = 0;
	for (size_t i = 0; terms && i < rules->count; i++) {
		const struct config_rule *r = &rules->items[i];

		if (r->kind != kind)
			continue;
		terms[*count] = (struct archive_report_term){ r->id, r->label, r->group, r->parent,
							      r->macro };
		(*count)++;
	}
	return terms;
}

int cmd_report(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	const char *format = cli_value(command, args, "format");
	const char *out_path = cli_value(command, args, "out");
	const char *explain = cli_value(command, args, "explain");
	struct config_sources sources = { 0 };
	struct config_rules rules = { 0 };
	struct archive_report_taxonomy taxonomy = { 0 };
	struct archive_report_term *threats = NULL, *categories = NULL, *regions = NULL;
	struct archive_report report = { 0 };
	struct report_tiles tiles = { 0 };
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	enum report_format which;
	char *config_path = NULL;
	char *shipped_dir = NULL; /* the shipped config, for the html tile map */
	int64_t from, to;
	FILE *out = stdout;
	int status;

	if ((status = parse_period_date(command, "from", cli_value(command, args, "from"), &from)) ||
	    (status = parse_period_date(command, "to", cli_value(command, args, "to"), &to)))
		return status;
	if (from >= to) {
		cli_error(command, "--to must be after --from (--to is the end, exclusive)");
		return CLI_USAGE;
	}
	if (report_format_parse(format ? format : "md", &which)) {
		cli_error(command, "--format '%s' is not one of md, html, csv, json", format);
		return CLI_USAGE;
	}
	if ((status = cli_config_path(command, args, data_dir, &config_path)))
		return status;
	if (config_sources_load(config_path, &sources, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	if ((status = cli_load_rules(command, &sources, &rules)))
		goto done;
	if (explain) {
		struct cell cell = { .since = from, .until = to };
		char *copy = vigil_strdup(explain);

		if (!copy) {
			cli_error(command, "out of memory");
			status = CLI_FAILED;
			goto done;
		}
		status = parse_cell(command, copy, &cell);
		if (!status) {
			warn_unknown(command, &rules, CONFIG_RULE_THREAT, "threat", cell.threat);
			warn_unknown(command, &rules, CONFIG_RULE_CATEGORY, "category", cell.category);
			print_explained(stdout, data_dir, &cell);
		}
		free(copy);
		goto done;
	}
	threats = terms_of(&rules, CONFIG_RULE_THREAT, &taxonomy.threat_count);
	categories = terms_of(&rules, CONFIG_RULE_CATEGORY, &taxonomy.category_count);
	regions = terms_of(&rules, CONFIG_RULE_REGION, &taxonomy.region_count);
	if (!threats || !categories || !regions) {
		cli_error(command, "out of memory");
		status = CLI_FAILED;
		goto done;
	}
	taxonomy.threats = threats;
	taxonomy.categories = categories;
	taxonomy.regions = regions;
	if (which == REPORT_FORMAT_HTML) {
		if ((status = cli_shipped_path(command, NULL, &shipped_dir)))
			goto done;
		if (report_tiles_load(shipped_dir, &tiles, &err) != VIGIL_OK) {
			status = cli_fail(command, &err);
			goto done;
		}
	}
	if ((status = cli_open_store(command, data_dir, ARCHIVE_OPEN_READ, &store)))
		goto done;
	if (archive_report_build(store, &taxonomy, from, to, &report, &err) != VIGIL_OK) {
		status = cli_fail_index(command, data_dir, &err);
		goto done;
	}
	if (out_path && !(out = fopen(out_path, "w"))) {
		cli_error(command, "cannot write %s: %s", out_path, strerror(errno));
		out = stdout;
		status = CLI_FAILED;
		goto done;
	}
	report_print(out, which, &report, data_dir, &tiles);
	if (out != stdout ? fclose(out) != 0 : fflush(out) != 0) {
		cli_error(command, "cannot write %s: %s", out_path ? out_path : "standard output",
			  strerror(errno));
		status = CLI_FAILED;
	}
	out = stdout;
done:
	if (out != stdout)
		fclose(out);
	archive_report_release(&report);
	archive_store_close(&store);
	report_tiles_release(&tiles);
	free(threats);
	free(categories);
	free(regions);
	config_rules_release(&rules);
	config_sources_release(&sources);
	free(config_path);
	free(shipped_dir);
	return status;
}
