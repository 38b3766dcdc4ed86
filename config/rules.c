/*
 * rules.c: rule files, the taxonomy as data. Sections [category ID],
 * [threat ID], [tone ID], [region ID], [relevance ID]; see config/README.md.
 *
 * A failed load leaves the struct exactly as it was before the call, so a
 * caller can report the error and keep (or release) what it had.
 */
#include "config_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULE_ID_MAX 64
#define RULES_MAX 100000
#define PATTERNS_PER_RULE_MAX 1000
#define PATTERN_MAX_LEN 8192
#define TEXT_MAX_LEN 512
#define DIR_FILES_MAX 1000
#define NEAR_MAX 200
#define THRESHOLD_MAX 10000
#define EXPECTS_PER_RULE_MAX 1000
#define EXPECT_TEXT_MAX 4096
/* The pseudo-section [expect] holds examples naming their rule. */
#define EXPECT_SECTION "expect"

static const struct {
	const char *name;
	enum config_rule_kind kind;
	const char *keys; /* allowed keys, for the check and the message */
} kinds[] = {
	{ "category", CONFIG_RULE_CATEGORY, "label, pattern" },
	{ "threat", CONFIG_RULE_THREAT, "label, group, pattern" },
	{ "tone", CONFIG_RULE_TONE, "label, tone, class, pattern" },
	{ "region", CONFIG_RULE_REGION, "label, parent, macro, pattern" },
	{ "relevance", CONFIG_RULE_RELEVANCE, "label, pattern" },
	{ "source", CONFIG_RULE_SOURCE, "label, pattern" },
};

const char *config_rule_kind_name(enum config_rule_kind kind)
{
	switch (kind) {
	case CONFIG_RULE_CATEGORY: return "category";
	case CONFIG_RULE_THREAT: return "threat";
	case CONFIG_RULE_TONE: return "tone";
	case CONFIG_RULE_REGION: return "region";
	case CONFIG_RULE_RELEVANCE: return "relevance";
	case CONFIG_RULE_SOURCE: return "source";
	}
	return "unknown";
}

/* Keys every kind of rule takes (the rule language). */
#define COMMON_KEYS "all, none, near, field, quote, with, negation, weight, threshold, expect"

static void rule_release(struct config_rule *r)
{
	size_t i;

	free(r->id);
	free(r->label);
	free(r->group);
	free(r->parent);
	free(r->macro);
	for (i = 0; i < r->pattern_count; i++)
		free(r->patterns[i].text);
	free(r->patterns);
	for (i = 0; i < r->all_count; i++)
		free(r->all[i].text);
	free(r->all);
	for (i = 0; i < r->none_count; i++)
		free(r->none[i].text);
	free(r->none);
	for (i = 0; i < r->expect_count; i++)
		free(r->expects[i].text);
	free(r->expects);
	memset(r, 0, sizeof(*r));
}

/* Drop rules and files added after the given counts. */
static void rules_truncate(struct config_rules *rules, size_t count, size_t file_count)
{
	while (rules->count > count)
		rule_release(&rules->items[--rules->count]);
	while (rules->file_count > file_count)
		free(rules->files[--rules->file_count]);
	if (rules->count == 0) {
		free(rules->items);
		rules->items = NULL;
	}
	if (rules->file_count == 0) {
		free(rules->files);
		rules->files = NULL;
	}
}

void config_rules_release(struct config_rules *rules)
{
	if (!rules)
		return;
	rules_truncate(rules, 0, 0);
	memset(rules, 0, sizeof(*rules));
}

struct loader {
	struct config_ini ini;
	struct config_rules *rules;
	const char *file;        /* the copy in rules->files */
	struct config_rule *cur; /* section being read, or NULL */
	int in_expect;           /* inside [expect] */
	unsigned seen;           /* single-valued keys given in cur */
	struct vigil_error *err;
};

#define FAIL(ld, line, ...) config_fail((ld)->err, (ld)->file, (line), __VA_ARGS__)

static enum vigil_code nomem(struct loader *ld)
{
	return vigil_error_set(ld->err, VIGIL_ERR_NOMEM, "%s:%d: out of memory", ld->file,
			       ld->ini.line);
}

/* Grow an array of elem-sized items to hold one more; *cap doubles. */
static int grow(void **items, size_t count, size_t *cap, size_t elem)
{
	void *grown;
	size_t n;

	if (count < *cap)
		return 1;
	n = *cap ? *cap * 2 : 8;
	grown = realloc(*items, n * elem);
	if (!grown)
		return 0;
	*items = grown;
	*cap = n;
	return 1;
}

/* The arrays in struct config_rules carry no capacity, so every append
 * reallocs to the power of two (at least 8) that holds one more item:
 * cheap when the block already has that size, and safe whatever the
 * caller's struct was allocated with. */
static int grow_pow2(void **items, size_t count, size_t elem)
{
	size_t cap = 8;
	void *grown;

	while (cap < count + 1)
		cap *= 2;
	grown = realloc(*items, cap * elem);
	if (!grown)
		return 0;
	*items = grown;
	return 1;
}

static enum vigil_code check_rule_end(struct loader *ld)
{
	struct config_rule *r = ld->cur;

	if (!r)
		return VIGIL_OK;
	if (r->kind == CONFIG_RULE_TONE && r->tone == 0)
		return FAIL(ld, r->line, "[tone %s] has no tone; expected 'tone = negative' or "
			    "'tone = supportive'", r->id);
	if (r->pattern_count == 0)
		return FAIL(ld, r->line, "[%s %s] has no pattern; expected at least one "
			    "'pattern = ...' line", config_rule_kind_name(r->kind), r->id);
	return VIGIL_OK;
}

static enum vigil_code on_section(struct loader *ld, const struct config_ini_event *ev)
{
	struct config_rules *rules = ld->rules;
	struct config_rule *r;
	enum vigil_code code = check_rule_end(ld);
	size_t i, k, nkinds = sizeof(kinds) / sizeof(kinds[0]);

	if (code)
		return code;
	ld->cur = NULL;
	ld->seen = 0;
	ld->in_expect = strcmp(ev->type, EXPECT_SECTION) == 0;
	if (ld->in_expect) {
		if (ev->name)
			return FAIL(ld, ev->line, "[%s %.80s]: expected [%s] without a name",
				    EXPECT_SECTION, ev->name, EXPECT_SECTION);
		return VIGIL_OK;
	}
	for (k = 0; k < nkinds && strcmp(kinds[k].name, ev->type) != 0; k++)
		;
	if (k == nkinds)
		return FAIL(ld, ev->line, "unknown section [%.80s]; expected category, threat, "
			    "tone, region, relevance or expect", ev->type);
	if (!ev->name)
		return FAIL(ld, ev->line, "[%s] without an id; expected [%s ID]", ev->type,
			    ev->type);
	if (!config_valid_id(ev->name, RULE_ID_MAX, 1))
		return FAIL(ld, ev->line, "bad id '%.80s'; expected 1 to 64 of A-Z a-z 0-9 _ - .",
			    ev->name);
	for (i = 0; i < rules->count; i++) {
		if (rules->items[i].kind == kinds[k].kind &&
		    strcmp(rules->items[i].id, ev->name) == 0)
			return FAIL(ld, ev->line, "duplicate [%s %s]; first defined at %s:%d",
				    kinds[k].name, ev->name, rules->items[i].file,
				    rules->items[i].line);
	}
	if (rules->count >= RULES_MAX)
		return FAIL(ld, ev->line, "more than %d rules", RULES_MAX);
	if (!grow_pow2((void **)&rules->items, rules->count, sizeof(*rules->items)))
		return nomem(ld);
	r = &rules->items[rules->count];
	memset(r, 0, sizeof(*r));
	r->id = vigil_strdup(ev->name);
	if (!r->id)
		return nomem(ld);
	rules->count++;
	r->kind = kinds[k].kind;
	r->weight = 1;
	r->file = (char *)ld->file;
	r->line = ev->line;
	ld->cur = r;
	return VIGIL_OK;
}

/* A key allowed for this kind of section? */
static int key_allowed(enum config_rule_kind kind, const char *key)
{
	static const char *common[] = { "label", "pattern", "all", "none", "near", "field",
					"quote", "with", "negation", "weight", "threshold",
					"expect" };
	size_t i;

	for (i = 0; i < sizeof(common) / sizeof(*common); i++) {
		if (strcmp(key, common[i]) == 0)
			return 1;
	}
	switch (kind) {
	case CONFIG_RULE_THREAT: return strcmp(key, "group") == 0;
	case CONFIG_RULE_TONE: return strcmp(key, "tone") == 0 || strcmp(key, "class") == 0;
	case CONFIG_RULE_REGION: return strcmp(key, "parent") == 0 || strcmp(key, "macro") == 0;
	case CONFIG_RULE_CATEGORY:
	case CONFIG_RULE_RELEVANCE:
	case CONFIG_RULE_SOURCE: return 0;
	}
	return 0;
}

static const char *allowed_keys(enum config_rule_kind kind)
{
	size_t k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (kinds[k].kind == kind)
			return kinds[k].keys;
	}
	return "";
}

/* pattern, all and none lines: a PCRE2 source each. */
static enum vigil_code add_pattern(struct loader *ld, const struct config_ini_event *ev)
{
	struct config_rule *r = ld->cur;
	struct config_pattern *p, **list = &r->patterns;
	size_t *count = &r->pattern_count;

	if (strcmp(ev->key, "all") == 0) {
		list = &r->all;
		count = &r->all_count;
	} else if (strcmp(ev->key, "none") == 0) {
		list = &r->none;
		count = &r->none_count;
	}
	if (!*ev->value)
		return FAIL(ld, ev->line, "empty %s; expected a PCRE2 regular expression", ev->key);
	if (strlen(ev->value) > PATTERN_MAX_LEN)
		return FAIL(ld, ev->line, "%s longer than %d bytes", ev->key, PATTERN_MAX_LEN);
	if (*count >= PATTERNS_PER_RULE_MAX)
		return FAIL(ld, ev->line, "more than %d '%s' lines in [%s %s]",
			    PATTERNS_PER_RULE_MAX, ev->key, config_rule_kind_name(r->kind), r->id);
	if (!grow_pow2((void **)list, *count, sizeof(**list)))
		return nomem(ld);
	p = &(*list)[*count];
	p->text = vigil_strdup(ev->value);
	if (!p->text)
		return nomem(ld);
	p->file = (char *)ld->file;
	p->line = ev->line;
	(*count)++;
	return VIGIL_OK;
}

static struct config_rule *find_rule(struct config_rules *rules, const char *kind,
				     const char *id)
{
	size_t i, k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (strcmp(kinds[k].name, kind) != 0)
			continue;
		for (i = 0; i < rules->count; i++) {
			if (rules->items[i].kind == kinds[k].kind && strcmp(rules->items[i].id, id) == 0)
				return &rules->items[i];
		}
	}
	return NULL;
}

/* Next blank-separated word of *p into word (at most size-1 bytes). */
static void next_word(const char **p, char *word, size_t size)
{
	size_t n = 0;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	while (**p && **p != ' ' && **p != '\t' && **p != '"') {
		if (n + 1 < size)
			word[n++] = **p;
		(*p)++;
	}
	word[n] = '\0';
}

/* `expect [KIND ID] match "TEXT"` or `expect [KIND ID] no match "TEXT"`;
 * ev->value is what follows "expect". */
static enum vigil_code add_expect(struct loader *ld, const struct config_ini_event *ev)
{
	struct config_rule *r = ld->cur;
	struct config_expect *e;
	const char *p = ev->value;
	char w1[80], w2[80], *text, *out;
	int match = 1;

	next_word(&p, w1, sizeof(w1));
	if (strcmp(w1, "match") != 0 && strcmp(w1, "no") != 0) {
		next_word(&p, w2, sizeof(w2));
		r = find_rule(ld->rules, w1, w2);
		/* Same file only, so that a failed load can undo it whole. */
		if (!r || r->file != ld->file)
			return FAIL(ld, ev->line, "expect: no rule [%.60s %.60s] defined before this "
				    "line in this file", w1, w2);
		next_word(&p, w1, sizeof(w1));
	} else if (!r) {
		return FAIL(ld, ev->line, "expect in [%s] must name its rule; expected 'expect "
			    "KIND ID match \"...\"'", EXPECT_SECTION);
	}
	if (strcmp(w1, "no") == 0) {
		match = 0;
		next_word(&p, w1, sizeof(w1));
	}
	if (strcmp(w1, "match") != 0)
		return FAIL(ld, ev->line, "expect: expected 'match \"...\"' or 'no match \"...\"'");
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"')
		return FAIL(ld, ev->line, "expect: expected a quoted example after 'match'");
	text = out = malloc(strlen(p) + 1);
	if (!text)
		return nomem(ld);
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == 'n')) {
			p++;
			*out++ = *p == 'n' ? '\n' : *p;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
	if (*p != '"') {
		free(text);
		return FAIL(ld, ev->line, "expect: the example has no closing '\"'");
	}
	for (p++; *p == ' ' || *p == '\t'; p++)
		;
	if (*p && *p != '#') {
		free(text);
		return FAIL(ld, ev->line, "expect: text after the closing '\"'; write \\\" "
			    "for a quote inside the example");
	}
	if (!*text || strlen(text) > EXPECT_TEXT_MAX || r->expect_count >= EXPECTS_PER_RULE_MAX) {
		free(text);
		return FAIL(ld, ev->line, "expect: the example must be 1 to %d bytes, at most %d "
			    "per rule", EXPECT_TEXT_MAX, EXPECTS_PER_RULE_MAX);
	}
	if (!grow_pow2((void **)&r->expects, r->expect_count, sizeof(*r->expects))) {
		free(text);
		return nomem(ld);
	}
	e = &r->expects[r->expect_count++];
	e->text = text;
	e->match = match;
	e->file = (char *)ld->file;
	e->line = ev->line;
	return VIGIL_OK;
}

/* field = title, lead, body (any of them, blanks or commas between). */
static enum vigil_code set_fields(struct loader *ld, const struct config_ini_event *ev)
{
	const char *p = ev->value;
	char word[32];

	ld->cur->fields = 0;
	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		{
			size_t n = 0;

			while (*p && *p != ',' && *p != ' ' && *p != '\t') {
				if (n + 1 < sizeof(word))
					word[n++] = *p;
				p++;
			}
			word[n] = '\0';
		}
		if (strcmp(word, "title") == 0)
			ld->cur->fields |= CONFIG_FIELD_TITLE;
		else if (strcmp(word, "lead") == 0)
			ld->cur->fields |= CONFIG_FIELD_LEAD;
		else if (strcmp(word, "body") == 0)
			ld->cur->fields |= CONFIG_FIELD_BODY;
		else
			return FAIL(ld, ev->line, "field: expected title, lead and/or body, got '%.40s'",
				    word);
	}
	if (!ld->cur->fields)
		return FAIL(ld, ev->line, "field: expected title, lead and/or body");
	return VIGIL_OK;
}

static enum vigil_code set_number(struct loader *ld, const struct config_ini_event *ev,
				  int *slot, long min, long max)
{
	const char *v = ev->value;
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < min || n > max)
		return FAIL(ld, ev->line, "%s: expected a whole number from %ld to %ld, got "
			    "'%.80s'", ev->key, min, max, v);
	*slot = (int)n;
	return VIGIL_OK;
}

static enum vigil_code set_text(struct loader *ld, const struct config_ini_event *ev,
				char **slot, int is_id)
{
	if (!*ev->value)
		return FAIL(ld, ev->line, "empty %s; expected a value", ev->key);
	if (is_id && !config_valid_id(ev->value, RULE_ID_MAX, 1))
		return FAIL(ld, ev->line, "%s: expected an id (A-Z a-z 0-9 _ - .), got '%.80s'",
			    ev->key, ev->value);
	if (strlen(ev->value) > TEXT_MAX_LEN)
		return FAIL(ld, ev->line, "%s longer than %d bytes", ev->key, TEXT_MAX_LEN);
	*slot = vigil_strdup(ev->value);
	return *slot ? VIGIL_OK : nomem(ld);
}

static enum vigil_code on_key(struct loader *ld, const struct config_ini_event *ev)
{
	static const char *single[] = { "label", "group", "parent", "macro", "tone", "weight",
					"near", "field", "quote", "with", "negation", "threshold",
					"class" };
	struct config_rule *r = ld->cur;
	const char *v = ev->value;
	size_t i;

	if (ld->in_expect) {
		if (strcmp(ev->key, "expect") != 0)
			return FAIL(ld, ev->line, "'%.80s' in [%s]; expected only 'expect KIND ID "
				    "match \"...\"' lines", ev->key, EXPECT_SECTION);
		return add_expect(ld, ev);
	}
	if (!r)
		return FAIL(ld, ev->line, "'%.80s' outside a section; expected a section such as "
			    "[category ID] first", ev->key);
	if (!key_allowed(r->kind, ev->key))
		return FAIL(ld, ev->line, "unknown key '%.80s' in [%s %s]; expected %s, " COMMON_KEYS,
			    ev->key, config_rule_kind_name(r->kind), r->id, allowed_keys(r->kind));
	if (strcmp(ev->key, "pattern") == 0 || strcmp(ev->key, "all") == 0 ||
	    strcmp(ev->key, "none") == 0)
		return add_pattern(ld, ev);
	if (strcmp(ev->key, "expect") == 0)
		return add_expect(ld, ev);
	for (i = 0; i < sizeof(single) / sizeof(*single); i++) {
		if (strcmp(single[i], ev->key) != 0)
			continue;
		if (ld->seen & (1u << i))
			return FAIL(ld, ev->line, "duplicate key '%s'; only 'pattern' may repeat",
				    ev->key);
		ld->seen |= 1u << i;
	}
	if (strcmp(ev->key, "label") == 0)
		return set_text(ld, ev, &r->label, 0);
	if (strcmp(ev->key, "group") == 0)
		return set_text(ld, ev, &r->group, 1);
	if (strcmp(ev->key, "parent") == 0)
		return set_text(ld, ev, &r->parent, 1);
	if (strcmp(ev->key, "macro") == 0)
		return set_text(ld, ev, &r->macro, 0);
	if (strcmp(ev->key, "tone") == 0) {
		if (strcmp(v, "negative") == 0)
			r->tone = -1;
		else if (strcmp(v, "supportive") == 0)
			r->tone = 1;
		else
			return FAIL(ld, ev->line, "tone: expected negative or supportive, got '%.80s'",
				    v);
		return VIGIL_OK;
	}
	if (strcmp(ev->key, "near") == 0)
		return set_number(ld, ev, &r->near, 1, NEAR_MAX);
	if (strcmp(ev->key, "threshold") == 0)
		return set_number(ld, ev, &r->threshold, 1, THRESHOLD_MAX);
	if (strcmp(ev->key, "field") == 0)
		return set_fields(ld, ev);
	if (strcmp(ev->key, "quote") == 0) {
		if (strcmp(v, "inside") == 0)
			r->quote = CONFIG_QUOTE_INSIDE;
		else if (strcmp(v, "outside") == 0)
			r->quote = CONFIG_QUOTE_OUTSIDE;
		else if (strcmp(v, "any") == 0)
			r->quote = CONFIG_QUOTE_ANY;
		else
			return FAIL(ld, ev->line, "quote: expected inside, outside or any, got '%.80s'",
				    v);
		return VIGIL_OK;
	}
	if (strcmp(ev->key, "class") == 0) {
		if (strcmp(v, "genre") == 0)
			r->genre = 1;
		else if (strcmp(v, "cue") != 0)
			return FAIL(ld, ev->line, "class: expected cue or genre, got '%.80s'", v);
		return VIGIL_OK;
	}
	if (strcmp(ev->key, "with") == 0) {
		if (strcmp(v, "defender") != 0)
			return FAIL(ld, ev->line, "with: expected 'defender', got '%.80s'", v);
		r->with_defender = 1;
		return VIGIL_OK;
	}
	if (strcmp(ev->key, "negation") == 0) {
		if (strcmp(v, "ignore") == 0)
			r->negation = CONFIG_NEGATION_IGNORE;
		else if (strcmp(v, "void") == 0)
			r->negation = CONFIG_NEGATION_VOID;
		else if (strcmp(v, "flip") == 0)
			r->negation = CONFIG_NEGATION_FLIP;
		else
			return FAIL(ld, ev->line, "negation: expected ignore, void or flip, got '%.80s'",
				    v);
		return VIGIL_OK;
	}
	/* weight */
	return set_number(ld, ev, &r->weight, 1, 100);
}

static enum vigil_code add_file(struct config_rules *rules, const char *path,
				const char **copy)
{
	char *dup;

	if (!grow_pow2((void **)&rules->files, rules->file_count, sizeof(*rules->files)))
		return VIGIL_ERR_NOMEM;
	dup = vigil_strdup(path);
	if (!dup)
		return VIGIL_ERR_NOMEM;
	rules->files[rules->file_count++] = dup;
	*copy = dup;
	return VIGIL_OK;
}

enum vigil_code config_rules_load(const char *path, struct config_rules *rules,
				  struct vigil_error *err)
{
	struct loader ld;
	struct config_ini_event ev;
	size_t old_count = rules->count, old_files = rules->file_count;
	enum vigil_code code;

	memset(&ld, 0, sizeof(ld));
	ld.rules = rules;
	ld.err = err;
	code = config_ini_open(&ld.ini, path, err);
	if (code)
		return code;
	if (add_file(rules, path, &ld.file)) {
		config_ini_close(&ld.ini);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", path);
	}
	for (;;) {
		code = config_ini_next(&ld.ini, &ev, err);
		if (code || ev.kind == CONFIG_INI_END)
			break;
		code = ev.kind == CONFIG_INI_SECTION ? on_section(&ld, &ev) : on_key(&ld, &ev);
		if (code)
			break;
	}
	if (!code)
		code = check_rule_end(&ld);
	config_ini_close(&ld.ini);
	if (code)
		rules_truncate(rules, old_count, old_files);
	return code;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

enum vigil_code config_rules_load_dir(const char *dir, struct config_rules *rules,
				      struct vigil_error *err)
{
	size_t old_count = rules->count, old_files = rules->file_count, n = 0, cap = 0, i;
	char **names = NULL, *path;
	struct dirent *de;
	enum vigil_code code = VIGIL_OK;
	DIR *d = opendir(dir);

	if (!d)
		return vigil_error_set(err, VIGIL_ERR_IO, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= 6 || strcmp(de->d_name + len - 6, ".rules"))
			continue;
		if (n >= DIR_FILES_MAX) {
			code = vigil_error_set(err, VIGIL_ERR_CONFIG,
					       "%s: more than %d *.rules files", dir, DIR_FILES_MAX);
			break;
		}
		if (!grow((void **)&names, n, &cap, sizeof(*names)) ||
		    !(names[n] = vigil_strdup(de->d_name))) {
			code = vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", dir);
			break;
		}
		n++;
	}
	closedir(d);
	if (!code && n == 0)
		code = vigil_error_set(err, VIGIL_ERR_CONFIG, "%s: no *.rules files", dir);
	if (code) {
		free_names(names, n);
		return code;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && !code; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;

		path = malloc(len);
		if (!path) {
			code = vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", dir);
			break;
		}
		snprintf(path, len, "%s%s%s", dir,
			 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		code = config_rules_load(path, rules, err);
		free(path);
	}
	free_names(names, n);
	if (code)
		rules_truncate(rules, old_count, old_files);
	return code;
}
