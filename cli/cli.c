/* cli.c: option parsing, help, error reporting and JSON output shared by
 * the subcommands. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../archive/archive.h"
#include "../config/config.h"
#include "../parser/parser.h"

static int option_index(const struct cli_command *command, const char *name, size_t len)
{
	for (int i = 0; command->options[i].name; i++)
		if (strlen(command->options[i].name) == len &&
		    strncmp(command->options[i].name, name, len) == 0)
			return i;
	return -1;
}

int cli_parse(const struct cli_command *command, int argc, char **argv,
	      struct cli_args_parsed *out)
{
	int only_args = 0;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!only_args && strcmp(arg, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (!only_args && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
			cli_print_help(command, stdout);
			return -1;
		}
		if (!only_args && arg[0] == '-' && arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			int index = option_index(command, name, len);
			const struct cli_option *option;

			if (index < 0) {
				cli_error(command, "unknown option '%.*s' (see 'vigil %s --help')",
					  (int)(len + 2), arg, command->name);
				return CLI_USAGE;
			}
			option = &command->options[index];
			if (!option->value_name) {
				if (eq) {
					cli_error(command, "option '--%s' takes no value", option->name);
					return CLI_USAGE;
				}
				out->values[index] = "1";
			} else if (eq) {
				out->values[index] = eq + 1;
			} else if (i + 1 < argc) {
				out->values[index] = argv[++i];
			} else {
				cli_error(command, "option '--%s' needs a value (%s)", option->name,
					  option->value_name);
				return CLI_USAGE;
			}
			/* No option means anything when empty; silently falling back
			 * to a default (--data '' -> ./vigil-data) would be worse. */
			if (!*out->values[index]) {
				cli_error(command, "option '--%s' needs a non-empty value (%s)",
					  option->name, option->value_name);
				return CLI_USAGE;
			}
			continue;
		}
		if (!only_args && arg[0] == '-' && arg[1] != '\0') {
			cli_error(command, "unknown option '%s' (see 'vigil %s --help')", arg,
				  command->name);
			return CLI_USAGE;
		}
		if (out->arg_count >= command->max_args || out->arg_count >= CLI_MAX_ARGS) {
			cli_error(command, "unexpected argument '%s' (see 'vigil %s --help')", arg,
				  command->name);
			return CLI_USAGE;
		}
		out->args[out->arg_count++] = arg;
	}
	if (out->arg_count < command->min_args) {
		cli_error(command, "missing argument %s (see 'vigil %s --help')",
			  command->arguments, command->name);
		return CLI_USAGE;
	}
	return CLI_OK;
}

void cli_print_usage_line(const struct cli_command *command, FILE *out)
{
	fprintf(out, "vigil %s", command->name);
	for (int i = 0; command->options[i].name; i++) {
		const struct cli_option *o = &command->options[i];

		fprintf(out, " [--%s%s%s]", o->name, o->value_name ? " " : "",
			o->value_name ? o->value_name : "");
	}
	if (command->arguments && *command->arguments)
		fprintf(out, " %s", command->arguments);
}

void cli_print_help(const struct cli_command *command, FILE *out)
{
	fputs("usage: ", out);
	cli_print_usage_line(command, out);
	fprintf(out, "\n\n%s\n", command->summary);
	if (command->description)
		fprintf(out, "\n%s\n", command->description);
	if (command->options[0].name)
		fprintf(out, "\noptions:\n");
	for (int i = 0; command->options[i].name; i++) {
		const struct cli_option *o = &command->options[i];
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->value_name ? " " : "",
			 o->value_name ? o->value_name : "");
		fprintf(out, "  %-22s %s\n", left, o->help);
	}
	fprintf(out, "  %-22s %s\n", "--help", "show this help");
}

const char *cli_value(const struct cli_command *command, const struct cli_args_parsed *args,
		      const char *name)
{
	int index = option_index(command, name, strlen(name));

	return index < 0 ? NULL : args->values[index];
}

int cli_flag(const struct cli_command *command, const struct cli_args_parsed *args,
	     const char *name)
{
	return cli_value(command, args, name) != NULL;
}

void cli_error(const struct cli_command *command, const char *fmt, ...)
{
	va_list list;

	fprintf(stderr, "vigil%s%s: ", command ? " " : "", command ? command->name : "");
	va_start(list, fmt);
	vfprintf(stderr, fmt, list);
	va_end(list);
	fputc('\n', stderr);
}

int cli_fail(const struct cli_command *command, const struct vigil_error *err)
{
	cli_error(command, "%s", err->message[0] ? err->message : vigil_strerror(err->code));
	return err->code == VIGIL_ERR_USAGE ? CLI_USAGE : CLI_FAILED;
}

const char *cli_data_dir(const struct cli_command *command, const struct cli_args_parsed *args)
{
	const char *dir = cli_value(command, args, "data");

	if (!dir || !*dir)
		dir = getenv("VIGIL_DATA");
	if (!dir || !*dir)
		dir = "vigil-data";
	return dir;
}

/* Report a sources file that is a directory or unreadable, naming it and
 * the OS error, before the loader turns it into a bare "read error". */
static int check_config_file(const struct cli_command *command, const char *path)
{
	struct stat st;
	FILE *f;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		cli_error(command, "sources file '%s' is a directory (%s); give the file, "
			  "e.g. '%s/sources.conf'", path, strerror(EISDIR), path);
		return CLI_FAILED;
	}
	f = fopen(path, "rb");
	if (!f) {
		cli_error(command, "cannot read sources file '%s': %s", path, strerror(errno));
		return CLI_FAILED;
	}
	fclose(f);
	return CLI_OK;
}

int cli_shipped_path(const struct cli_command *command, const char *name, char **path)
{
	struct vigil_error err = { 0 };
	char found[PATH_MAX];

	*path = NULL;
	if (config_shipped_path(name, found, sizeof(found), &err) != VIGIL_OK)
		return cli_fail(command, &err);
	*path = vigil_strdup(found);
	if (!*path) {
		cli_error(command, "out of memory");
		return CLI_FAILED;
	}
	return CLI_OK;
}

int cli_config_path(const struct cli_command *command, const struct cli_args_parsed *args,
		    const char *data_dir, char **path)
{
	const char *given = cli_value(command, args, "config");
	struct vigil_buf buf = VIGIL_BUF_INIT;
	struct stat st;
	int status;

	*path = NULL;
	if (!given || !*given)
		given = getenv("VIGIL_CONFIG");
	if (given && *given) {
		*path = vigil_strdup(given);
	} else if (vigil_buf_printf(&buf, "%s/sources.conf", data_dir) == VIGIL_OK &&
		   stat(buf.data, &st) == 0) {
		*path = vigil_buf_detach(&buf);
	} else {
		vigil_buf_release(&buf);
		status = cli_shipped_path(command, "sources.conf", path);
		if (status)
			return status;
	}
	vigil_buf_release(&buf);
	if (!*path) {
		cli_error(command, "out of memory");
		return CLI_FAILED;
	}
	status = check_config_file(command, *path);
	if (status) {
		free(*path);
		*path = NULL;
	}
	return status;
}

int cli_fail_index(const struct cli_command *command, const char *data_dir,
		   const struct vigil_error *err)
{
	if (err->code != VIGIL_ERR_CORRUPT)
		return cli_fail(command, err);
	cli_error(command, "%s; rebuild it from the WARC files with "
		  "'vigil archive reindex --data %s'", err->message, data_dir);
	return CLI_FAILED;
}

int cli_open_store(const struct cli_command *command, const char *data_dir, int flags,
		   struct archive_store **store)
{
	struct vigil_error err = { 0 };
	struct stat st;
	enum vigil_code code;
	int missing = stat(data_dir, &st) != 0;

	if (missing || !S_ISDIR(st.st_mode)) {
		cli_error(command, "data directory '%s' %s; create it with 'vigil init --data %s'",
			  data_dir, missing ? "does not exist" : "is not a directory", data_dir);
		return CLI_FAILED;
	}
	code = archive_store_open_mode(data_dir, flags, store, &err);
	if (code == VIGIL_ERR_NOT_FOUND) {
		cli_error(command, "'%s' is not a vigil data directory (no index.sqlite); "
			  "create it with 'vigil init --data %s'", data_dir, data_dir);
		return CLI_FAILED;
	}
	if (code != VIGIL_OK)
		return cli_fail_index(command, data_dir, &err);
	return CLI_OK;
}

void json_string(FILE *out, const char *text)
{
	if (!text) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void json_key(FILE *out, int *first, const char *key)
{
	if (!*first)
		fputc(',', out);
	*first = 0;
	json_string(out, key);
	fputc(':', out);
}

void json_key_string(FILE *out, int *first, const char *key, const char *value)
{
	json_key(out, first, key);
	json_string(out, value);
}

void json_key_int(FILE *out, int *first, const char *key, long long value)
{
	json_key(out, first, key);
	fprintf(out, "%lld", value);
}

void json_key_time(FILE *out, int *first, const char *key, int64_t when)
{
	char text[32];

	json_key(out, first, key);
	if (when <= 0) {
		fputs("null", out);
		return;
	}
	vigil_format_time(when, text);
	json_string(out, text);
}

void json_key_bool(FILE *out, int *first, const char *key, int value)
{
	json_key(out, first, key);
	fputs(value ? "true" : "false", out);
}

void json_key_strings(FILE *out, int *first, const char *key, char *const *values, size_t count)
{
	json_key(out, first, key);
	fputc('[', out);
	for (size_t i = 0; i < count; i++) {
		if (i)
			fputc(',', out);
		json_string(out, values[i]);
	}
	fputc(']', out);
}

/* Counts code points, which is close enough to columns for Cyrillic and
 * Latin text in a terminal table. */
void cli_print_cell(FILE *out, const char *text, int width)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	int columns = 0;

	while (*p && columns < width) {
		const unsigned char *start = p;
		int truncate = 0;

		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
		if (columns == width - 1 && *p)
			truncate = 1;
		if (truncate) {
			fputs("…", out);
		} else if (*start == '\n' || *start == '\t' || *start == '\r') {
			fputc(' ', out);
		} else {
			fwrite(start, 1, (size_t)(p - start), out);
		}
		columns++;
		if (truncate)
			break;
	}
	for (; columns < width; columns++)
		fputc(' ', out);
	fputc(' ', out); /* cells never touch, even when truncated */
}

int cli_load_rules(const struct cli_command *command, const struct config_sources *sources,
		   struct config_rules *rules)
{
	struct vigil_error err = { 0 };
	const char *dir = sources->settings.rules_dir;
	char *default_dir = NULL;
	int status = CLI_OK;

	if (!dir) {
		status = cli_shipped_path(command, "rules", &default_dir);
		if (status)
			return status;
		dir = default_dir;
	}
	if (config_rules_load_dir(dir, rules, &err) != VIGIL_OK)
		status = cli_fail(command, &err);
	free(default_dir);
	return status;
}

int cli_load_classifier(const struct cli_command *command, const struct config_sources *sources,
			struct config_rules *rules, struct parse_classifier **classifier)
{
	struct vigil_error err = { 0 };
	int status = cli_load_rules(command, sources, rules);

	if (!status && parse_classifier_new(rules, classifier, &err) != VIGIL_OK)
		status = cli_fail(command, &err);
	return status;
}

int cli_load_notfound(const struct cli_command *command, const struct config_sources *sources,
		      struct config_phrases *phrases)
{
	struct vigil_buf path = VIGIL_BUF_INIT;
	struct vigil_error err = { 0 };
	int status = CLI_OK;

	/* The rules directory's own list, else the shipped one. */
	if (sources->settings.rules_dir &&
	    vigil_buf_printf(&path, "%s/notfound.phrases", sources->settings.rules_dir)) {
		cli_error(command, "out of memory");
		return CLI_FAILED;
	}
	if (path.data && access(path.data, F_OK) == 0) {
		if (config_phrases_load(path.data, phrases, &err) != VIGIL_OK)
			status = cli_fail(command, &err);
	} else {
		char *shipped = NULL;

		status = cli_shipped_path(command, "rules/notfound.phrases", &shipped);
		if (status == CLI_OK && config_phrases_load(shipped, phrases, &err) != VIGIL_OK)
			status = cli_fail(command, &err);
		free(shipped);
	}
	vigil_buf_release(&path);
	return status;
}
