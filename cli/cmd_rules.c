/* cmd_rules.c: `vigil rules check` (every pattern compiles; all errors with
 * FILE:LINE and the PCRE2 message) and `vigil rules test` (every `expect`
 * example of the rule files holds). Exit 0 when all is well, 1 otherwise. */
#include "cli.h"

#include "../config/config.h"
#include "../parser/parser.h"

#include <stdlib.h>
#include <string.h>

const struct cli_option cmd_rules_options[] = {
	{ "data", "DIR", "data directory, where DATA/sources.conf is looked for" },
	{ "config", "FILE", "sources file whose 'rules =' directory is used (as for crawl)" },
	{ "rules", "DIR", "a directory of *.rules to use instead" },
	{ NULL, NULL, NULL }
};

struct report_state {
	const struct cli_command *command;
	size_t count;
};

static void report(void *ctx, const char *message)
{
	struct report_state *state = ctx;

	state->count++;
	printf("%s\n", message);
	(void)state->command;
}

/* The rules directory: --rules, else the sources file's `rules =`, else
 * the shipped config/rules; *dir is malloc'd. */
static int rules_dir(const struct cli_command *command, struct cli_args_parsed *args,
		     char **dir)
{
	const char *given = cli_value(command, args, "rules");
	struct config_sources sources = { 0 };
	struct vigil_error err = { 0 };
	char *config_path = NULL;
	int status;

	*dir = NULL;
	if (given && *given) {
		if (cli_value(command, args, "config")) {
			cli_error(command, "give --rules or --config, not both");
			return CLI_USAGE;
		}
		*dir = vigil_strdup(given);
		return *dir ? CLI_OK : CLI_FAILED;
	}
	status = cli_config_path(command, args, cli_data_dir(command, args), &config_path);
	if (status)
		return status;
	if (config_sources_load(config_path, &sources, &err) != VIGIL_OK) {
		free(config_path);
		return cli_fail(command, &err);
	}
	if (sources.settings.rules_dir)
		*dir = vigil_strdup(sources.settings.rules_dir);
	else
		status = cli_shipped_path(command, "rules", dir);
	config_sources_release(&sources);
	free(config_path);
	if (status)
		return status;
	if (!*dir) {
		cli_error(command, "out of memory");
		return CLI_FAILED;
	}
	return CLI_OK;
}

int cmd_rules(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *action = args->args[0];
	struct config_rules rules = { 0 };
	struct parse_classifier *classifier = NULL;
	struct report_state state = { command, 0 };
	struct vigil_error err = { 0 };
	size_t patterns = 0, examples = 0, i;
	char *dir = NULL;
	int status, test;

	if (strcmp(action, "check") != 0 && strcmp(action, "test") != 0) {
		cli_error(command, "unknown action '%s': check or test (see 'vigil rules --help')",
			  action);
		return CLI_USAGE;
	}
	test = strcmp(action, "test") == 0;
	status = rules_dir(command, args, &dir);
	if (status)
		return status;
	if (config_rules_load_dir(dir, &rules, &err) != VIGIL_OK) {
		/* A syntax error is a finding of the check, printed like the others. */
		printf("%s\n", err.message);
		status = CLI_FAILED;
		goto done;
	}
	for (i = 0; i < rules.count; i++)
		patterns += rules.items[i].pattern_count + rules.items[i].all_count +
			    rules.items[i].none_count;
	if (parse_rules_check(&rules, report, &state) > 0) {
		printf("rules check: %zu problem%s in %s\n", state.count,
		       state.count == 1 ? "" : "s", dir);
		status = CLI_FAILED;
		goto done;
	}
	if (!test) {
		printf("rules check: %zu rules, %zu patterns in %s: all compile\n", rules.count,
		       patterns, dir);
		goto done;
	}
	if (parse_classifier_new(&rules, &classifier, &err) != VIGIL_OK) {
		status = cli_fail(command, &err);
		goto done;
	}
	parse_classifier_test(classifier, report, &state, &examples);
	printf("rules test: %zu examples, %zu failed\n", examples, state.count);
	if (state.count)
		status = CLI_FAILED;
done:
	parse_classifier_free(&classifier);
	config_rules_release(&rules);
	free(dir);
	return status;
}
