/* explain.c: how the classifier decides a material, for `vigil show`:
 * the text is classified again with the current rules and every hit is
 * listed once with its context, weight and scope, then the lines of the
 * tone and region decision (parse_classification.explanation). */
#include "cli.h"

#include "../config/config.h"
#include "../parser/parser.h"

#include <stdlib.h>
#include <string.h>

/* Bytes of context either side of a hit. */
#define CONTEXT_BYTES 40

/* Print subject[from, to) on one line, cut on character boundaries. */
static void print_context(const char *subject, size_t len, size_t from, size_t to)
{
	size_t i;

	while (from > 0 && ((unsigned char)subject[from] & 0xC0) == 0x80)
		from--;
	while (to < len && ((unsigned char)subject[to] & 0xC0) == 0x80)
		to++;
	for (i = from; i < to; i++)
		putchar(subject[i] == '\n' || subject[i] == '\t' ? ' ' : subject[i]);
}

void cli_print_explanation(const struct cli_command *command, struct cli_args_parsed *args,
			   const char *data_dir, const char *title, const char *text)
{
	struct config_sources sources = { 0 };
	struct config_rules rules = { 0 };
	struct parse_classifier *classifier = NULL;
	struct parse_classification out;
	struct vigil_error err = { 0 };
	struct vigil_buf subject = VIGIL_BUF_INIT;
	char *config_path = NULL;
	size_t i;

	printf("\nhow (classified again now with the current rules):\n");
	if (cli_config_path(command, args, data_dir, &config_path) != CLI_OK ||
	    config_sources_load(config_path, &sources, &err) != VIGIL_OK ||
	    cli_load_classifier(command, &sources, &rules, &classifier) != CLI_OK ||
	    parse_classify(classifier, title, text, NULL, &out, &err) != VIGIL_OK) {
		printf("  not available%s%s\n", err.message[0] ? ": " : "", err.message);
		goto done;
	}
	if (vigil_buf_printf(&subject, "%s\n\n%s", title ? title : "", text ? text : "") !=
	    VIGIL_OK) {
		parse_classification_release(&out);
		goto done;
	}
	for (i = 0; i < out.hit_count; i++) {
		const struct parse_rule_hit *h = &out.hits[i];
		size_t end = h->offset + strlen(h->matched);

		printf("  %-9s %-22s", config_rule_kind_name(h->kind), h->rule_id);
		if (h->weight)
			printf(" %+d", h->weight);
		printf(" [%s%s%s]  …", h->field ? h->field : "text", h->reported ? ", reported" : "",
		       h->negated ? ", negated" : "");
		print_context(subject.data, subject.len,
			      h->offset > CONTEXT_BYTES ? h->offset - CONTEXT_BYTES : 0, h->offset);
		printf("«%s»", h->matched);
		print_context(subject.data, subject.len, end,
			      end + CONTEXT_BYTES < subject.len ? end + CONTEXT_BYTES : subject.len);
		printf("…  %s\n", h->where);
	}
	if (out.explanation)
		printf("%s", out.explanation);
	parse_classification_release(&out);
done:
	vigil_buf_release(&subject);
	parse_classifier_free(&classifier);
	config_rules_release(&rules);
	config_sources_release(&sources);
	free(config_path);
}
