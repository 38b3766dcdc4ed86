/*
 * rules_test.c: checking rule files before use (every pattern compiled on
 * its own, so that all errors are listed, not only the first) and running
 * the examples they carry (`expect match "..."`).
 */
#include "classify_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Examples are quoted in messages up to this many bytes. */
#define EXAMPLE_SHOWN 80

static void report_fmt(parse_report_fn report, void *ctx, const char *fmt, ...)
	VIGIL_PRINTF(3, 4);

static void report_fmt(parse_report_fn report, void *ctx, const char *fmt, ...)
{
	char message[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	/* A cut message must not end in half a character. */
	if (n >= (int)sizeof(message)) {
		size_t end = sizeof(message) - 1;

		while (end > 0 && ((unsigned char)message[end] & 0xC0) == 0x80)
			end--;
		message[end] = '\0';
	}
	report(ctx, message);
}

static size_t check_list(const struct config_pattern *list, size_t n, parse_report_fn report,
			 void *ctx)
{
	size_t i, problems = 0;

	for (i = 0; i < n; i++) {
		size_t len = strlen(list[i].text), erroffset;
		char *folded = vigil_strndup(list[i].text, len);
		pcre2_code *code;
		int errcode;

		if (!folded) {
			report(ctx, "out of memory");
			return problems + 1;
		}
		classify_fold_text(folded, len);
		code = pcre2_compile((PCRE2_SPTR)folded, len, PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS,
				     &errcode, &erroffset, NULL);
		free(folded);
		if (code) {
			pcre2_code_free(code);
			continue;
		}
		{
			PCRE2_UCHAR message[256];

			if (pcre2_get_error_message(errcode, message, sizeof(message)) < 0)
				snprintf((char *)message, sizeof(message), "error %d", errcode);
			report_fmt(report, ctx, "%s:%d: pattern error at offset %zu: %s",
				   list[i].file ? list[i].file : "(rules)", list[i].line, erroffset,
				   (const char *)message);
		}
		problems++;
	}
	return problems;
}

size_t parse_rules_check(const struct config_rules *rules, parse_report_fn report, void *ctx)
{
	struct parse_classifier *c = NULL;
	struct vigil_error err = { 0 };
	size_t i, problems = 0;

	for (i = 0; i < rules->count; i++) {
		const struct config_rule *r = &rules->items[i];

		problems += check_list(r->patterns, r->pattern_count, report, ctx);
		problems += check_list(r->all, r->all_count, report, ctx);
		problems += check_list(r->none, r->none_count, report, ctx);
	}
	/* Region parents and anything else the classifier refuses. */
	if (problems == 0 && parse_classifier_new(rules, &c, &err) != VIGIL_OK) {
		report(ctx, err.message);
		problems++;
	}
	parse_classifier_free(&c);
	return problems;
}

/* The example, cut at EXAMPLE_SHOWN bytes on a character boundary, line
 * breaks shown as \n. */
static void shown(const char *text, char out[EXAMPLE_SHOWN * 2 + 8])
{
	size_t i = 0, o = 0;

	while (text[i] && i < EXAMPLE_SHOWN) {
		if (text[i] == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (text[i] == '"') {
			out[o++] = '\\';
			out[o++] = '"';
		} else {
			out[o++] = text[i];
		}
		i++;
	}
	while (o > 0 && text[i] && ((unsigned char)text[i] & 0xC0) == 0x80) {
		/* do not cut a character in two */
		i--;
		o--;
	}
	if (text[i]) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

size_t parse_classifier_test(const struct parse_classifier *c, parse_report_fn report,
			     void *ctx, size_t *run)
{
	size_t i, j, k, failures = 0;

	*run = 0;
	for (i = 0; c && i < c->rules.count; i++) {
		const struct config_rule *r = &c->rules.items[i];

		for (j = 0; j < r->expect_count; j++) {
			const struct config_expect *e = &r->expects[j];
			struct parse_classification out;
			struct vigil_error err = { 0 };
			const struct parse_rule_hit *hit = NULL;
			char example[EXAMPLE_SHOWN * 2 + 8];

			(*run)++;
			shown(e->text, example);
			const char *cut = strstr(e->text, "\n\n");
			char *title = cut ? vigil_strndup(e->text, (size_t)(cut - e->text)) : NULL;
			enum vigil_code code;

			/* "TITLE\n\nTEXT" gives the example a title. */
			code = cut && !title ? VIGIL_ERR_NOMEM
					     : parse_classify(c, title, cut ? cut + 2 : e->text, NULL,
							      &out, &err);
			free(title);
			if (code == VIGIL_ERR_NOMEM && !err.message[0])
				vigil_error_set(&err, code, "out of memory");
			if (code != VIGIL_OK) {
				report_fmt(report, ctx, "%s:%d: [%s %s] \"%s\": %s",
					   e->file ? e->file : "(rules)", e->line,
					   config_rule_kind_name(r->kind), r->id, example, err.message);
				failures++;
				continue;
			}
			for (k = 0; k < out.hit_count && !hit; k++) {
				if (out.hits[k].kind == r->kind && strcmp(out.hits[k].rule_id, r->id) == 0)
					hit = &out.hits[k];
			}
			if (e->match && !hit) {
				report_fmt(report, ctx, "%s:%d: [%s %s] expected a match in \"%s\", got none",
					   e->file ? e->file : "(rules)", e->line,
					   config_rule_kind_name(r->kind), r->id, example);
				failures++;
			} else if (!e->match && hit) {
				char matched[EXAMPLE_SHOWN * 2 + 8];

				shown(hit->matched, matched);
				report_fmt(report, ctx, "%s:%d: [%s %s] expected no match in \"%s\", got "
					   "\"%s\" (%s)", e->file ? e->file : "(rules)", e->line,
					   config_rule_kind_name(r->kind), r->id, example, matched,
					   hit->where);
				failures++;
			}
			parse_classification_release(&out);
		}
	}
	return failures;
}
