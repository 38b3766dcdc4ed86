/* explain.c: how the classifier decides a material, for `vigil show`:
 * the text is classified again with the current rules and every hit is
 * listed once with its context, weight and scope, then the lines of the
 * tone and region decision (parse_classification.explanation) and who each
 * threat comes from (parse_classification.threat_sources). The text and
 * the JSON output carry the same content. */
#include "cli.h"

#include "../config/config.h"
#include "../parser/parser.h"

#include <stdlib.h>
#include <string.h>

/* Bytes of context either side of a hit. */
#define CONTEXT_BYTES 40

struct explained {
	struct config_sources sources;
	struct config_rules rules;
	struct parse_classifier *classifier;
	struct parse_classification out;
	int classified;
	struct vigil_error err;
	struct vigil_buf subject; /* title + "\n\n" + text, as classified */
	char *config_path;
};

/* Classify again; on failure e->classified stays 0 and e->err says why. */
static void explain_run(const struct cli_command *command, struct cli_args_parsed *args,
			const char *data_dir, const char *title, const char *text,
			struct explained *e)
{
	memset(e, 0, sizeof(*e));
	e->subject = (struct vigil_buf)VIGIL_BUF_INIT;
	if (cli_config_path(command, args, data_dir, &e->config_path) != CLI_OK ||
	    config_sources_load(e->config_path, &e->sources, &e->err) != VIGIL_OK ||
	    cli_load_classifier(command, &e->sources, &e->rules, &e->classifier) != CLI_OK ||
	    parse_classify(e->classifier, title, text, NULL, &e->out, &e->err) != VIGIL_OK)
		return;
	if (vigil_buf_printf(&e->subject, "%s\n\n%s", title ? title : "", text ? text : "") !=
	    VIGIL_OK) {
		parse_classification_release(&e->out);
		vigil_error_set(&e->err, VIGIL_ERR_NOMEM, "show: out of memory");
		return;
	}
	e->classified = 1;
}

static void explain_release(struct explained *e)
{
	if (e->classified)
		parse_classification_release(&e->out);
	vigil_buf_release(&e->subject);
	parse_classifier_free(&e->classifier);
	config_rules_release(&e->rules);
	config_sources_release(&e->sources);
	free(e->config_path);
}

/* subject[from, to) on one line, cut on character boundaries, into a
 * malloc'd string (NULL on OOM). */
static char *context(const char *subject, size_t len, size_t from, size_t to)
{
	char *s;
	size_t i;

	while (from > 0 && ((unsigned char)subject[from] & 0xC0) == 0x80)
		from--;
	while (to < len && ((unsigned char)subject[to] & 0xC0) == 0x80)
		to++;
	s = vigil_strndup(subject + from, to - from);
	for (i = 0; s && s[i]; i++)
		if (s[i] == '\n' || s[i] == '\t')
			s[i] = ' ';
	return s;
}

static char *context_before(const struct explained *e, const struct parse_rule_hit *h)
{
	return context(e->subject.data, e->subject.len,
		       h->offset > CONTEXT_BYTES ? h->offset - CONTEXT_BYTES : 0, h->offset);
}

static char *context_after(const struct explained *e, const struct parse_rule_hit *h)
{
	size_t end = h->offset + strlen(h->matched), len = e->subject.len;

	return context(e->subject.data, len, end, end + CONTEXT_BYTES < len ? end + CONTEXT_BYTES : len);
}

void cli_print_explanation(const struct cli_command *command, struct cli_args_parsed *args,
			   const char *data_dir, const char *title, const char *text)
{
	struct explained e;
	size_t i;

	printf("\nhow (classified again now with the current rules):\n");
	explain_run(command, args, data_dir, title, text, &e);
	if (!e.classified) {
		printf("  not available%s%s\n", e.err.message[0] ? ": " : "", e.err.message);
		explain_release(&e);
		return;
	}
	for (i = 0; i < e.out.hit_count; i++) {
		const struct parse_rule_hit *h = &e.out.hits[i];
		char *before = context_before(&e, h), *after = context_after(&e, h);

		printf("  %-9s %-22s", config_rule_kind_name(h->kind), h->rule_id);
		if (h->weight)
			printf(" %+d", h->weight);
		printf(" [%s%s%s]  …%s«%s»%s…  %s\n", h->field ? h->field : "text",
		       h->reported ? ", reported" : "", h->negated ? ", negated" : "",
		       before ? before : "", h->matched, after ? after : "", h->where);
		free(before);
		free(after);
	}
	if (e.out.explanation)
		printf("%s", e.out.explanation);
	if (e.out.threat_source_count)
		printf("threat sources:\n");
	for (i = 0; i < e.out.threat_source_count; i++)
		printf("  %s: %s\n", e.out.threat_sources[i].threat, e.out.threat_sources[i].source);
	explain_release(&e);
}

void cli_print_explanation_json(const struct cli_command *command, struct cli_args_parsed *args,
				const char *data_dir, const char *title, const char *text,
				int *first)
{
	struct explained e;
	size_t i;
	int f = 1;

	json_key(stdout, first, "explanation");
	fputc('{', stdout);
	explain_run(command, args, data_dir, title, text, &e);
	json_key_bool(stdout, &f, "available", e.classified);
	if (!e.classified) {
		json_key_string(stdout, &f, "error", e.err.message[0] ? e.err.message : NULL);
		fputc('}', stdout);
		explain_release(&e);
		return;
	}
	json_key(stdout, &f, "hits");
	fputc('[', stdout);
	for (i = 0; i < e.out.hit_count; i++) {
		const struct parse_rule_hit *h = &e.out.hits[i];
		char *before = context_before(&e, h), *after = context_after(&e, h);
		int g = 1;

		fputs(i ? ",{" : "{", stdout);
		json_key_string(stdout, &g, "kind", config_rule_kind_name(h->kind));
		json_key_string(stdout, &g, "rule", h->rule_id);
		json_key_string(stdout, &g, "label", h->label);
		json_key_string(stdout, &g, "matched", h->matched);
		json_key_int(stdout, &g, "weight", h->weight);
		json_key_string(stdout, &g, "field", h->field ? h->field : "text");
		json_key_bool(stdout, &g, "reported", h->reported);
		json_key_bool(stdout, &g, "negated", h->negated);
		json_key_string(stdout, &g, "before", before);
		json_key_string(stdout, &g, "after", after);
		json_key_string(stdout, &g, "where", h->where);
		fputc('}', stdout);
		free(before);
		free(after);
	}
	fputc(']', stdout);
	/* The decision lines, as the text prints them. */
	json_key(stdout, &f, "decision");
	fputc('[', stdout);
	for (const char *p = e.out.explanation; p && *p;) {
		size_t n = strcspn(p, "\n");
		char *line = vigil_strndup(p, n);

		if (p != e.out.explanation)
			fputc(',', stdout);
		json_string(stdout, line ? line : "");
		free(line);
		p += n;
		p += *p == '\n';
	}
	fputc(']', stdout);
	json_key(stdout, &f, "threat_sources");
	fputc('[', stdout);
	for (i = 0; i < e.out.threat_source_count; i++) {
		const struct parse_threat_source *ts = &e.out.threat_sources[i];
		int g = 1;

		fputs(i ? ",{" : "{", stdout);
		json_key_string(stdout, &g, "threat", ts->threat);
		json_key_string(stdout, &g, "source", ts->source);
		json_key_string(stdout, &g, "source_label", ts->source_label);
		fputc('}', stdout);
	}
	fputc(']', stdout);
	fputc('}', stdout);
	explain_release(&e);
}
