/*
 * cli.h: the command-line front end. One file per subcommand (cmd_*.c),
 * listed in the commands[] table of vigil.c. Each command declares its
 * options in a table next to their help text; cli_parse() reads argv
 * against it and --help is generated from it, so the two cannot drift.
 * The front end is the only place that prints or chooses exit codes:
 * 0 success, 1 failure, 2 usage error.
 */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include <stdio.h>

#include "../common/vigil.h"

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

struct cli_option {
	const char *name;        /* long name without "--" */
	const char *value_name;  /* NULL: a flag; else it takes a value */
	const char *help;
};

struct cli_args_parsed;

#define CLI_MAX_OPTIONS 32
#define CLI_MAX_ARGS 4096 /* vigil extract takes a corpus of pages */

struct cli_command {
	const char *name;
	const char *summary;
	const char *arguments;           /* positional arguments for the usage line
					    ("ID|URL", "[QUERY]"), or ""; the options
					    part is generated from options[] */
	const char *description;         /* paragraph for --help, may be NULL */
	const struct cli_option *options;/* ends with { NULL } */
	int min_args, max_args;          /* positional arguments */
	int (*run)(const struct cli_command *command, struct cli_args_parsed *args);
};

struct cli_args_parsed {
	const char *values[CLI_MAX_OPTIONS]; /* by option index; flags are "1" */
	const char *args[CLI_MAX_ARGS];
	int arg_count;
};

/* Parse argv (after the command name). Prints its own message on error and
 * returns CLI_USAGE; returns -1 after printing --help (exit 0). */
int cli_parse(const struct cli_command *command, int argc, char **argv,
	      struct cli_args_parsed *out);
void cli_print_help(const struct cli_command *command, FILE *out);
/* "vigil NAME [--opt VALUE]... ARGUMENTS", from the options table. */
void cli_print_usage_line(const struct cli_command *command, FILE *out);
/* Value of option name, or NULL when not given. */
const char *cli_value(const struct cli_command *command, const struct cli_args_parsed *args,
		      const char *name);
int cli_flag(const struct cli_command *command, const struct cli_args_parsed *args,
	     const char *name);

/* Print "vigil NAME: message" on stderr. */
void cli_error(const struct cli_command *command, const char *fmt, ...) VIGIL_PRINTF(2, 3);
/* Report err the same way and return CLI_FAILED. */
int cli_fail(const struct cli_command *command, const struct vigil_error *err);

/* --data, else $VIGIL_DATA, else ./vigil-data */
const char *cli_data_dir(const struct cli_command *command, const struct cli_args_parsed *args);
/* --config, else $VIGIL_CONFIG, else DATA/sources.conf when it exists,
 * else the shipped config/sources.conf, into *path (malloc'd). A path that
 * is a directory or cannot be read is reported (naming it, with the OS
 * error) and gives CLI_FAILED. */
int cli_config_path(const struct cli_command *command, const struct cli_args_parsed *args,
		    const char *data_dir, char **path);
/* The shipped configuration file or folder NAME (config_shipped_path():
 * $VIGIL_CONFIG_DIR, else next to the program, else /etc/vigil) into *path
 * (malloc'd). Errors are reported and give CLI_FAILED. */
int cli_shipped_path(const struct cli_command *command, const char *name, char **path);
/* Loads the rules that sources names (`rules =`, else the shipped
 * config/rules) into *rules and compiles *classifier from them, as crawl
 * and reindex both must; the caller releases both. Errors are reported
 * and give CLI_FAILED. */
struct config_sources;
struct config_rules;
struct parse_classifier;
int cli_load_classifier(const struct cli_command *command, const struct config_sources *sources,
			struct config_rules *rules, struct parse_classifier **classifier);
/* The same rules without compiling them (vigil report needs only the
 * taxonomy). */
int cli_load_rules(const struct cli_command *command, const struct config_sources *sources,
		   struct config_rules *rules);
/* Loads the "not found" notice phrases of soft-404 detection:
 * notfound.phrases of the rules directory that sources names, else the
 * shipped config/rules/notfound.phrases. The caller releases them. Errors
 * are reported and give CLI_FAILED. */
struct config_phrases;
int cli_load_notfound(const struct cli_command *command, const struct config_sources *sources,
		      struct config_phrases *phrases);
/* Opens the index of an initialised data dir with ARCHIVE_OPEN_* flags
 * (0 = read-only, for commands that only read). A missing data dir or index
 * is an error telling the user to run `vigil init`; an empty or damaged
 * index one pointing at `vigil archive reindex`. */
struct archive_store;
int cli_open_store(const struct cli_command *command, const char *data_dir, int flags,
		   struct archive_store **store);
/* cli_fail, with the reindex hint when err says the index is damaged. */
int cli_fail_index(const struct cli_command *command, const char *data_dir,
		   const struct vigil_error *err);

/* JSON output helpers (UTF-8 passes through; control characters escaped). */
void json_string(FILE *out, const char *text);
void json_key(FILE *out, int *first, const char *key);
void json_key_string(FILE *out, int *first, const char *key, const char *value);
void json_key_int(FILE *out, int *first, const char *key, long long value);
void json_key_time(FILE *out, int *first, const char *key, int64_t when);
void json_key_bool(FILE *out, int *first, const char *key, int value);
void json_key_strings(FILE *out, int *first, const char *key, char *const *values, size_t count);

/* Print UTF-8 text in exactly width columns (truncated with an ellipsis)
 * followed by one separating space. */
void cli_print_cell(FILE *out, const char *text, int width);

int cmd_init(const struct cli_command *command, struct cli_args_parsed *args);
int cmd_crawl(const struct cli_command *command, struct cli_args_parsed *args);
int cmd_search(const struct cli_command *command, struct cli_args_parsed *args);
int cmd_show(const struct cli_command *command, struct cli_args_parsed *args);
int cmd_sources(const struct cli_command *command, struct cli_args_parsed *args);
int cmd_extract(const struct cli_command *command, struct cli_args_parsed *args);
int cmd_archive(const struct cli_command *command, struct cli_args_parsed *args);
extern const struct cli_option cmd_archive_options[];
int cmd_rules(const struct cli_command *command, struct cli_args_parsed *args);
/* vigil show: classify title + text again with the current rules and print
 * every hit with context, weight and scope, and how tone and region were
 * decided (cli/explain.c). Problems are printed in place, never fatal. */
void cli_print_explanation(const struct cli_command *command, struct cli_args_parsed *args,
			   const char *data_dir, const char *title, const char *text);
/* The same as the key "explanation" (an object) of an open JSON object. */
void cli_print_explanation_json(const struct cli_command *command, struct cli_args_parsed *args,
				const char *data_dir, const char *title, const char *text,
				int *first);
extern const struct cli_option cmd_rules_options[];
int cmd_diff(const struct cli_command *command, struct cli_args_parsed *args);
extern const struct cli_option cmd_diff_options[];
int cmd_report(const struct cli_command *command, struct cli_args_parsed *args);
extern const struct cli_option cmd_report_options[];

extern const struct cli_command cli_commands[];
/* What vigil is, for `vigil --help` and the manual page. */
extern const char cli_program_summary[];
/* The manual page vigil(1) in roff, from cli_commands[] (cli/man.c). */
void cli_print_man(FILE *out);

#endif
