/*
 * classifier.c: building the classifier. Every pattern of every rule is
 * compiled once with PCRE2 (UTF, Unicode properties, caseless; JIT when the
 * platform has it) and the classifier is read-only afterwards, so one
 * classifier serves all pages and threads; match data is created per call.
 */
#include "classify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text preparation ---- */

/* ё (D1 91) -> е (D0 B5), Ё (D0 81) -> Е (D0 95): same length, so offsets
 * survive. Invalid bytes become '?' so that PCRE2 can skip its UTF check. */
void classify_fold_text(char *s, size_t len)
{
	unsigned char *p = (unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		/* Fast paths: ASCII, and the valid two-byte sequences of Cyrillic
		 * text (C2..DF then a continuation byte). */
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < len && (p[i + 1] & 0xC0) == 0x80)
			n = 2;
		else
			n = vigil_utf8_sequence_length(p + i, len - i);
		if (n == 0) {
			p[i++] = '?';
			continue;
		}
		if (n == 2 && p[i] == 0xD1 && p[i + 1] == 0x91) {
			p[i] = 0xD0;
			p[i + 1] = 0xB5;
		} else if (n == 2 && p[i] == 0xD0 && p[i + 1] == 0x81) {
			p[i + 1] = 0x95;
		}
		i += n;
	}
}

/* ---- the classifier ---- */

static char *intern_file(struct config_rules *copy, const char *file, enum vigil_code *code)
{
	size_t i;
	char **grown;

	if (!file)
		return NULL;
	for (i = 0; i < copy->file_count; i++) {
		if (strcmp(copy->files[i], file) == 0)
			return copy->files[i];
	}
	grown = realloc(copy->files, (copy->file_count + 1) * sizeof(*grown));
	if (!grown) {
		*code = VIGIL_ERR_NOMEM;
		return NULL;
	}
	copy->files = grown;
	grown[copy->file_count] = vigil_strdup(file);
	if (!grown[copy->file_count]) {
		*code = VIGIL_ERR_NOMEM;
		return NULL;
	}
	return grown[copy->file_count++];
}

static int dup_field(char **dst, const char *src)
{
	*dst = vigil_strdup(src);
	return !src || *dst;
}

static enum vigil_code copy_patterns(struct config_rules *copy, struct config_pattern **dst,
				     size_t *dst_count, const struct config_pattern *src,
				     size_t count)
{
	enum vigil_code code = VIGIL_OK;
	size_t j;

	if (count == 0)
		return VIGIL_OK;
	*dst = calloc(count, sizeof(**dst));
	if (!*dst)
		return VIGIL_ERR_NOMEM;
	for (j = 0; j < count; j++) {
		struct config_pattern *dp = &(*dst)[j];

		*dst_count = j + 1;
		dp->line = src[j].line;
		if (!dup_field(&dp->text, src[j].text ? src[j].text : ""))
			return VIGIL_ERR_NOMEM;
		dp->file = intern_file(copy, src[j].file, &code);
		if (code)
			return code;
	}
	return VIGIL_OK;
}

static enum vigil_code copy_expects(struct config_rules *copy, struct config_rule *d,
				    const struct config_rule *s)
{
	enum vigil_code code = VIGIL_OK;
	size_t j;

	if (s->expect_count == 0)
		return VIGIL_OK;
	d->expects = calloc(s->expect_count, sizeof(*d->expects));
	if (!d->expects)
		return VIGIL_ERR_NOMEM;
	for (j = 0; j < s->expect_count; j++) {
		struct config_expect *de = &d->expects[j];

		d->expect_count = j + 1;
		de->match = s->expects[j].match;
		de->line = s->expects[j].line;
		if (!dup_field(&de->text, s->expects[j].text ? s->expects[j].text : ""))
			return VIGIL_ERR_NOMEM;
		de->file = intern_file(copy, s->expects[j].file, &code);
		if (code)
			return code;
	}
	return VIGIL_OK;
}

/* The classifier owns its rules so that callers may release theirs and
 * parse_classifier_region() stays valid for the classifier's lifetime. */
static enum vigil_code copy_rules(struct config_rules *copy, const struct config_rules *src)
{
	enum vigil_code code = VIGIL_OK;
	size_t i;

	memset(copy, 0, sizeof(*copy));
	if (src->count == 0)
		return VIGIL_OK;
	copy->items = calloc(src->count, sizeof(*copy->items));
	if (!copy->items)
		return VIGIL_ERR_NOMEM;
	for (i = 0; i < src->count && !code; i++) {
		const struct config_rule *s = &src->items[i];
		struct config_rule *d = &copy->items[i];

		copy->count = i + 1;
		d->kind = s->kind;
		d->tone = s->tone;
		d->weight = s->weight;
		d->line = s->line;
		d->near = s->near;
		d->fields = s->fields;
		d->quote = s->quote;
		d->with_defender = s->with_defender;
		d->negation = s->negation;
		d->threshold = s->threshold;
		d->genre = s->genre;
		if (!dup_field(&d->id, s->id ? s->id : "") || !dup_field(&d->label, s->label) ||
		    !dup_field(&d->group, s->group) || !dup_field(&d->parent, s->parent) ||
		    !dup_field(&d->macro, s->macro))
			return VIGIL_ERR_NOMEM;
		d->file = intern_file(copy, s->file, &code);
		if (!code)
			code = copy_patterns(copy, &d->patterns, &d->pattern_count, s->patterns,
					     s->pattern_count);
		if (!code)
			code = copy_patterns(copy, &d->all, &d->all_count, s->all, s->all_count);
		if (!code)
			code = copy_patterns(copy, &d->none, &d->none_count, s->none, s->none_count);
		if (!code)
			code = copy_expects(copy, d, s);
	}
	return code;
}

void parse_classifier_free(struct parse_classifier **classifier)
{
	struct parse_classifier *c;
	size_t i;

	if (!classifier || !*classifier)
		return;
	c = *classifier;
	for (i = 0; i < c->pattern_count; i++) {
		pcre2_code_free(c->patterns[i].code);
		pcre2_code_free(c->patterns[i].anchored);
		free(c->patterns[i].where);
		free(c->patterns[i].literals);
	}
	free(c->patterns);
	for (i = 0; i < c->condition_count; i++) {
		pcre2_code_free(c->conditions[i].code);
		free(c->conditions[i].where);
	}
	free(c->conditions);
	free(c->rule_conditions);
	free(c->literal_items);
	free(c->literal_buckets[0]);
	free(c->literal_buckets[1]);
	free(c->literal_keys[0]);
	free(c->literal_keys[1]);
	free(c->literal_keys_inner[0]);
	free(c->literal_keys_inner[1]);
	free(c->parent);
	pcre2_match_context_free(c->mctx);
	config_rules_release(&c->rules);
	free(c);
	*classifier = NULL;
}

static char *format_where(const char *file, int line)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;

	if (vigil_buf_printf(&buf, "%s:%d", file ? file : "(rules)", line)) {
		vigil_buf_release(&buf);
		return NULL;
	}
	return vigil_buf_detach(&buf);
}

/* Compile p into list[*count] (and count it once compiled). */
/* scanned: a `pattern` (run over the text, so with literals and an
 * anchored twin) rather than an all/none condition (run in a window). */
static enum vigil_code compile_pattern(struct classify_pattern *list, size_t *count,
				       size_t rule_index, const struct config_pattern *p,
				       int scanned, struct vigil_error *err)
{
	struct classify_pattern *cp = &list[*count];
	size_t len = strlen(p->text), erroffset;
	char *folded = vigil_strndup(p->text, len);
	int errcode;

	if (!folded)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	classify_fold_text(folded, len);
	cp->code = pcre2_compile((PCRE2_SPTR)folded, len,
				 PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &errcode, &erroffset,
				 NULL);
	/* Only for a pattern that compiled: the literal scan trusts the syntax.
	 * NULL on OOM just means the pattern scans the whole text. */
	if (cp->code && scanned)
		cp->literals = classify_literals_compile(folded, &cp->literals_len);
	if (cp->literals) {
		cp->anchored = pcre2_compile((PCRE2_SPTR)folded, len,
					     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_ANCHORED,
					     &errcode, &erroffset, NULL);
		if (!cp->anchored) {
			free(cp->literals);
			cp->literals = NULL;
		} else {
			(void)pcre2_jit_compile(cp->anchored, PCRE2_JIT_COMPLETE);
		}
	}
	free(folded);
	if (!cp->code) {
		PCRE2_UCHAR message[256];

		if (pcre2_get_error_message(errcode, message, sizeof(message)) < 0)
			snprintf((char *)message, sizeof(message), "error %d", errcode);
		return vigil_error_set(err, VIGIL_ERR_REGEX,
				       "%s:%d: pattern error at offset %zu: %s",
				       p->file ? p->file : "(rules)", p->line, erroffset,
				       (const char *)message);
	}
	/* Without JIT support pcre2_match() interprets; same results. */
	(void)pcre2_jit_compile(cp->code, PCRE2_JIT_COMPLETE);
	cp->rule = rule_index;
	cp->where = format_where(p->file, p->line);
	(*count)++;
	if (!cp->where)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	return VIGIL_OK;
}

size_t classify_find_region(const struct config_rules *rules, const char *id)
{
	size_t i;

	for (i = 0; id && i < rules->count; i++) {
		if (rules->items[i].kind == CONFIG_RULE_REGION && strcmp(rules->items[i].id, id) == 0)
			return i;
	}
	return NO_PARENT;
}

/* Parents must name region rules and must not loop. */
static enum vigil_code link_parents(struct parse_classifier *c, struct vigil_error *err)
{
	const struct config_rules *rules = &c->rules;
	size_t i, at;
	int depth;

	c->parent = malloc((rules->count ? rules->count : 1) * sizeof(*c->parent));
	if (!c->parent)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	for (i = 0; i < rules->count; i++) {
		const struct config_rule *r = &rules->items[i];

		c->parent[i] = NO_PARENT;
		if (r->kind != CONFIG_RULE_REGION || !r->parent)
			continue;
		c->parent[i] = classify_find_region(rules, r->parent);
		if (c->parent[i] == NO_PARENT)
			return vigil_error_set(err, VIGIL_ERR_CONFIG,
					       "%s:%d: [region %s] parent '%s' is not a region id",
					       r->file ? r->file : "(rules)", r->line, r->id,
					       r->parent);
	}
	for (i = 0; i < rules->count; i++) {
		for (at = c->parent[i], depth = 0; at != NO_PARENT; at = c->parent[at]) {
			if (++depth > CLASSIFY_PARENT_DEPTH || at == i)
				return vigil_error_set(err, VIGIL_ERR_CONFIG,
						       "%s:%d: [region %s] parent chain loops or is "
						       "deeper than %d",
						       rules->items[i].file ? rules->items[i].file
									    : "(rules)",
						       rules->items[i].line, rules->items[i].id,
						       CLASSIFY_PARENT_DEPTH);
		}
	}
	return VIGIL_OK;
}

enum vigil_code parse_classifier_new(const struct config_rules *rules,
				     struct parse_classifier **out,
				     struct vigil_error *err)
{
	struct parse_classifier *c;
	enum vigil_code code;
	size_t i, j, total = 0, conditions = 0;

	*out = NULL;
	if (!rules)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "classifier: no rules given");
	c = calloc(1, sizeof(*c));
	if (!c)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	code = copy_rules(&c->rules, rules);
	if (code) {
		parse_classifier_free(&c);
		return vigil_error_set(err, code, "classifier: out of memory");
	}
	for (i = 0; i < c->rules.count; i++) {
		total += c->rules.items[i].pattern_count;
		conditions += c->rules.items[i].all_count + c->rules.items[i].none_count;
	}
	c->patterns = calloc(total ? total : 1, sizeof(*c->patterns));
	c->conditions = calloc(conditions ? conditions : 1, sizeof(*c->conditions));
	c->rule_conditions = calloc(c->rules.count ? c->rules.count : 1,
				    sizeof(*c->rule_conditions));
	c->mctx = pcre2_match_context_create(NULL);
	if (!c->patterns || !c->conditions || !c->rule_conditions || !c->mctx) {
		parse_classifier_free(&c);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	}
	pcre2_set_match_limit(c->mctx, CLASSIFY_MATCH_LIMIT);
	pcre2_set_depth_limit(c->mctx, CLASSIFY_DEPTH_LIMIT);
	code = link_parents(c, err);
	for (i = 0; i < c->rules.count && !code; i++) {
		const struct config_rule *r = &c->rules.items[i];
		struct classify_rule_conditions *rc = &c->rule_conditions[i];

		for (j = 0; j < r->pattern_count && !code; j++)
			code = compile_pattern(c->patterns, &c->pattern_count, i, &r->patterns[j], 1,
					       err);
		rc->all_first = c->condition_count;
		for (j = 0; j < r->all_count && !code; j++)
			code = compile_pattern(c->conditions, &c->condition_count, i, &r->all[j], 0,
					       err);
		rc->none_first = c->condition_count;
		for (j = 0; j < r->none_count && !code; j++)
			code = compile_pattern(c->conditions, &c->condition_count, i, &r->none[j], 0,
					       err);
		rc->none_end = c->condition_count;
		/* Sources are looked for by sentence (threat_source.c). */
		c->needs_model |= r->near || r->fields || r->quote || r->with_defender ||
				  r->kind == CONFIG_RULE_SOURCE || r->all_count || r->none_count ||
				  (r->negation != CONFIG_NEGATION_IGNORE &&
				   (r->kind == CONFIG_RULE_TONE || r->kind == CONFIG_RULE_THREAT ||
				    r->negation != CONFIG_NEGATION_DEFAULT));
	}
	if (!code && classify_literal_index_build(c))
		code = vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	if (code) {
		parse_classifier_free(&c);
		return code;
	}
	*out = c;
	return VIGIL_OK;
}

const struct config_rule *parse_classifier_region(const struct parse_classifier *c,
						   const char *region_id)
{
	size_t i;

	if (!c || !region_id)
		return NULL;
	i = classify_find_region(&c->rules, region_id);
	return i == NO_PARENT ? NULL : &c->rules.items[i];
}
