/*
 * query.c: the search query language (archive.h, archive_query_parse):
 * Lucene / Media Cloud syntax parsed into a small tree, then written out
 * as an FTS5 expression whose every word is a quoted string (so nothing
 * the user types is ever an FTS5 operator) plus the source:/region:
 * filters, which are SQL, not text.
 *
 * Grammar (OR binds loosest; juxtaposition is AND):
 *   or    := and ( "OR" and )*
 *   and   := unary ( ["AND"] unary )*
 *   unary := ( "NOT" | "-" | "+" ) unary | near
 *   near  := prim ( "NEAR/N" prim )*
 *   prim  := "(" or ")" | FIELD ":" prim | '"' words '"' ["~" N]
 *          | "NEAR(" words ["," N] ")" | WORD ["*"]
 * Errors name the column (in characters, from 1) where the query went
 * wrong.
 */
#include "archive_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERY_NODES_MAX 64
#define NEAR_DEFAULT 10
#define NEAR_MAX 1000
#define NUMBER_TEXT_(n) #n
#define NUMBER_TEXT(n) NUMBER_TEXT_(n)

enum node_kind { NODE_WORD, NODE_PHRASE, NODE_NEAR, NODE_AND, NODE_OR, NODE_NOT, NODE_FIELD };

struct node {
	enum node_kind kind;
	char *text;          /* WORD, PHRASE, NEAR: the words (raw, tokenized by FTS5) */
	int prefix;          /* WORD: ends with '*' */
	int distance;        /* NEAR */
	enum { FIELD_TITLE, FIELD_SOURCE, FIELD_REGION } field;
	struct node *left, *right; /* AND, OR: both; NOT, FIELD: left */
	size_t column;
};

struct parser {
	const char *text;
	size_t pos;
	size_t nodes;
	struct vigil_error *err;
	int failed;
	int negated;             /* emitting what a NOT excludes */
	struct archive_parsed_query *out;
};

static size_t column_of(const struct parser *p, size_t at)
{
	size_t column = 1;

	for (size_t i = 0; i < at; i++)
		if (((unsigned char)p->text[i] & 0xC0) != 0x80)
			column++;
	return column;
}

static struct node *fail(struct parser *p, size_t at, const char *what)
{
	if (!p->failed)
		vigil_error_set(p->err, VIGIL_ERR_USAGE, "query column %zu: %s", column_of(p, at), what);
	p->failed = 1;
	return NULL;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->left);
	node_free(n->right);
	free(n->text);
	free(n);
}

static struct node *node_new(struct parser *p, enum node_kind kind, size_t at)
{
	struct node *n;

	if (++p->nodes > QUERY_NODES_MAX)
		return fail(p, at, "too many words and operators (at most "
			    NUMBER_TEXT(QUERY_NODES_MAX) ")");
	n = calloc(1, sizeof(*n));
	if (!n) {
		if (!p->failed)
			vigil_error_set(p->err, VIGIL_ERR_NOMEM, "out of memory parsing the query");
		p->failed = 1;
		return NULL;
	}
	n->kind = kind;
	n->column = at;
	return n;
}

static void skip_space(struct parser *p)
{
	while (p->text[p->pos] && isspace((unsigned char)p->text[p->pos]))
		p->pos++;
}

/* A character that ends a bare word. */
static int is_stop(char c)
{
	return !c || isspace((unsigned char)c) || c == '(' || c == ')' || c == '"';
}

/* Whether text[at..) starts with the operator word op as a whole token. */
static int at_keyword(const struct parser *p, const char *op)
{
	size_t n = strlen(op);

	return !strncmp(p->text + p->pos, op, n) && is_stop(p->text[p->pos + n]);
}

static int has_word(const char *text, size_t len)
{
	size_t pos = 0, start, end;

	return archive_next_word(text, len, &pos, &start, &end);
}

static struct node *parse_or(struct parser *p);

static int read_number(struct parser *p, int *out)
{
	long value = 0;
	size_t start = p->pos;

	while (isdigit((unsigned char)p->text[p->pos]) && value <= NEAR_MAX)
		value = value * 10 + (p->text[p->pos++] - '0');
	if (p->pos == start || value > NEAR_MAX)
		return -1;
	*out = (int)value;
	return 0;
}

/* "...": a phrase, or with ~N a NEAR group. */
static struct node *parse_phrase(struct parser *p)
{
	size_t at = p->pos, start = ++p->pos;
	const char *close = strchr(p->text + start, '"');
	struct node *n;

	if (!close)
		return fail(p, at, "the quote opened here is never closed");
	p->pos = (size_t)(close - p->text) + 1;
	if (!has_word(p->text + start, p->pos - 1 - start))
		return fail(p, at, "the phrase has no words");
	n = node_new(p, NODE_PHRASE, at);
	if (!n || !(n->text = vigil_strndup(p->text + start, p->pos - 1 - start))) {
		node_free(n);
		return n ? fail(p, at, "out of memory") : NULL;
	}
	if (p->text[p->pos] == '~') {
		p->pos++;
		n->kind = NODE_NEAR;
		if (read_number(p, &n->distance)) {
			node_free(n);
			return fail(p, p->pos, "'~' after a phrase takes a distance in words (0-"
				    NUMBER_TEXT(NEAR_MAX) ")");
		}
	}
	return n;
}

/* NEAR(a b c, N) */
static struct node *parse_near_call(struct parser *p)
{
	size_t at = p->pos, start = p->pos + 5, end;
	struct node *n;

	p->pos = start;
	while (p->text[p->pos] && p->text[p->pos] != ')' && p->text[p->pos] != ',')
		p->pos++;
	end = p->pos;
	if (!p->text[p->pos])
		return fail(p, at, "NEAR( is never closed");
	if (!has_word(p->text + start, end - start))
		return fail(p, at, "NEAR( has no words");
	n = node_new(p, NODE_NEAR, at);
	if (!n)
		return NULL;
	n->distance = NEAR_DEFAULT;
	if (!(n->text = vigil_strndup(p->text + start, end - start))) {
		node_free(n);
		return fail(p, at, "out of memory");
	}
	for (char *q = n->text; *q; q++)
		if (*q == '"')
			*q = ' ';
	if (p->text[p->pos] == ',') {
		p->pos++;
		skip_space(p);
		if (read_number(p, &n->distance)) {
			node_free(n);
			return fail(p, p->pos, "NEAR( takes a distance in words (0-"
				    NUMBER_TEXT(NEAR_MAX) ") after the comma");
		}
		skip_space(p);
	}
	if (p->text[p->pos] != ')') {
		node_free(n);
		return fail(p, p->pos, "NEAR( expects ')' here");
	}
	p->pos++;
	return n;
}

static struct node *parse_primary(struct parser *p)
{
	size_t at, start;
	struct node *n;

	skip_space(p);
	at = p->pos;
	if (!p->text[at])
		return fail(p, at, "a word or phrase is missing at the end");
	if (p->text[at] == ')')
		return fail(p, at, "')' without a '(' before it");
	if (p->text[at] == '(') {
		p->pos++;
		n = parse_or(p);
		if (!n)
			return NULL;
		skip_space(p);
		if (p->text[p->pos] != ')') {
			node_free(n);
			return fail(p, at, "the '(' opened here is never closed");
		}
		p->pos++;
		return n;
	}
	if (p->text[at] == '"')
		return parse_phrase(p);
	if (!strncmp(p->text + at, "NEAR(", 5))
		return parse_near_call(p);
	start = at;
	while (!is_stop(p->text[p->pos]) && p->text[p->pos] != ':')
		p->pos++;
	if (p->text[p->pos] == ':' && p->pos > start) {
		static const char *const names[] = { "title", "source", "region" };
		size_t len = p->pos - start;

		for (int f = 0; f < 3; f++)
			if (len == strlen(names[f]) && !strncasecmp(p->text + start, names[f], len)) {
				p->pos++;
				if (is_stop(p->text[p->pos]) && p->text[p->pos] != '"' &&
				    p->text[p->pos] != '(')
					return fail(p, at, "a field needs a value right after ':'");
				n = node_new(p, NODE_FIELD, at);
				if (!n)
					return NULL;
				n->field = f;
				if (!(n->left = parse_primary(p))) {
					node_free(n);
					return NULL;
				}
				return n;
			}
		/* Not a field: "12:00", "http://..." are words like others. */
	}
	while (!is_stop(p->text[p->pos]))
		p->pos++;
	n = node_new(p, NODE_WORD, at);
	if (!n)
		return NULL;
	n->prefix = p->text[p->pos - 1] == '*';
	if (!(n->text = vigil_strndup(p->text + start, p->pos - start - (size_t)n->prefix))) {
		node_free(n);
		return fail(p, at, "out of memory");
	}
	if (!has_word(n->text, strlen(n->text))) {
		node_free(n);
		return fail(p, at, "no letters or digits in this word (operators are AND, OR, NOT,"
			    " -word, \"phrase\", NEAR/N, word*, title:, source:, region:)");
	}
	return n;
}

static struct node *binary(struct parser *p, enum node_kind kind, struct node *left,
			   struct node *right, size_t at)
{
	struct node *n;

	if (!left || !right) {
		node_free(left);
		node_free(right);
		return NULL;
	}
	n = node_new(p, kind, at);
	if (!n) {
		node_free(left);
		node_free(right);
		return NULL;
	}
	n->left = left;
	n->right = right;
	return n;
}

static int is_text_node(const struct node *n)
{
	return n->kind == NODE_WORD || n->kind == NODE_PHRASE;
}

static struct node *parse_near(struct parser *p)
{
	struct node *n = parse_primary(p);

	for (;;) {
		size_t at;
		struct node *right, *joined;
		int distance = NEAR_DEFAULT;

		if (!n)
			return NULL;
		skip_space(p);
		at = p->pos;
		if (strncmp(p->text + at, "NEAR", 4) || (p->text[at + 4] != '/' && !is_stop(p->text[at + 4])))
			return n;
		p->pos += 4;
		if (p->text[p->pos] == '/') {
			p->pos++;
			if (read_number(p, &distance)) {
				node_free(n);
				return fail(p, p->pos, "NEAR/ takes a distance in words (0-"
					    NUMBER_TEXT(NEAR_MAX) ")");
			}
		}
		if (!(right = parse_primary(p))) {
			node_free(n);
			return NULL;
		}
		if (!(is_text_node(n) || (n->kind == NODE_NEAR && strchr(n->text, '\x1f'))) ||
		    !is_text_node(right)) {
			node_free(n);
			node_free(right);
			return fail(p, at, "NEAR joins words and phrases only");
		}
		/* a NEAR/5 b NEAR/5 c: one group, the smallest distance. */
		joined = node_new(p, NODE_NEAR, at);
		if (!joined) {
			node_free(n);
			node_free(right);
			return NULL;
		}
		joined->distance = n->kind == NODE_NEAR && n->distance < distance ? n->distance : distance;
		joined->text = malloc(strlen(n->text) + strlen(right->text) + 6);
		if (!joined->text) {
			node_free(joined);
			node_free(n);
			node_free(right);
			return fail(p, at, "out of memory");
		}
		/* Group members are kept as FTS5 strings, separated by \x1f. */
		sprintf(joined->text, "%s\x1f%s", n->text, right->text);
		node_free(n);
		node_free(right);
		n = joined;
	}
}

static struct node *parse_unary(struct parser *p)
{
	size_t at;
	struct node *n;

	skip_space(p);
	at = p->pos;
	if (at_keyword(p, "NOT") || p->text[at] == '-') {
		p->pos += p->text[at] == '-' ? 1 : 3;
		if (p->text[at] == '-' && is_stop(p->text[p->pos]) && p->text[p->pos] != '"' &&
		    p->text[p->pos] != '(')
			return fail(p, at, "'-' needs a word right after it");
		n = node_new(p, NODE_NOT, at);
		if (!n)
			return NULL;
		if (!(n->left = parse_unary(p))) {
			node_free(n);
			return NULL;
		}
		return n;
	}
	if (p->text[at] == '+') {
		p->pos++;
		return parse_unary(p);
	}
	if (at_keyword(p, "AND") || at_keyword(p, "OR"))
		return fail(p, at, "an operator without a word before it");
	return parse_near(p);
}

static struct node *parse_and(struct parser *p)
{
	struct node *n = parse_unary(p);

	for (;;) {
		size_t at;

		if (!n)
			return NULL;
		skip_space(p);
		at = p->pos;
		if (!p->text[at] || p->text[at] == ')' || at_keyword(p, "OR"))
			return n;
		if (at_keyword(p, "AND")) {
			p->pos += 3;
			skip_space(p);
			if (!p->text[p->pos])
				return node_free(n), fail(p, at, "AND has nothing after it");
		}
		n = binary(p, NODE_AND, n, parse_unary(p), at);
	}
}

static struct node *parse_or(struct parser *p)
{
	struct node *n = parse_and(p);

	for (;;) {
		size_t at;

		if (!n)
			return NULL;
		skip_space(p);
		at = p->pos;
		if (!at_keyword(p, "OR"))
			return n;
		p->pos += 2;
		skip_space(p);
		if (!p->text[p->pos] || p->text[p->pos] == ')')
			return node_free(n), fail(p, at, "OR has nothing after it");
		n = binary(p, NODE_OR, n, parse_and(p), at);
	}
}

/* ---------------- writing FTS5 ---------------- */

/* text as one FTS5 string: quoted, quotes doubled. */
static int put_string(struct vigil_buf *out, const char *text, size_t len)
{
	if (vigil_buf_append(out, "\"", 1))
		return -1;
	for (size_t i = 0; i < len; i++)
		if ((text[i] == '"' && vigil_buf_append(out, "\"", 1)) ||
		    vigil_buf_append(out, text + i, 1))
			return -1;
	return vigil_buf_append(out, "\"", 1) ? -1 : 0;
}

static int has_field(const struct node *n, int field)
{
	if (!n)
		return 0;
	if (n->kind == NODE_FIELD && (int)n->field == field)
		return 1;
	return has_field(n->left, field) || has_field(n->right, field);
}

/* Whether n can stand alone in FTS5: something positive to match. */
static int positive(const struct node *n)
{
	switch (n->kind) {
	case NODE_NOT:
		return 0;
	case NODE_AND:
		return positive(n->left) || positive(n->right);
	case NODE_OR:
		return positive(n->left) && positive(n->right);
	default:
		return 1;
	}
}

static int emit(struct parser *p, const struct node *n, struct vigil_buf *out);

/* An AND chain: the positive members joined by AND, then NOT each
 * negative one (FTS5's NOT is binary: a NOT b). */
static int emit_and(struct parser *p, const struct node *n, struct vigil_buf *out)
{
	const struct node *members[QUERY_NODES_MAX];
	size_t count = 0, written = 0;
	const struct node *stack[QUERY_NODES_MAX];
	size_t depth = 0;

	stack[depth++] = n;
	while (depth) {
		const struct node *x = stack[--depth];

		if (x->kind == NODE_AND) {
			stack[depth++] = x->right;
			stack[depth++] = x->left;
		} else {
			members[count++] = x;
		}
	}
	if (vigil_buf_append(out, "(", 1))
		return -1;
	for (size_t i = 0; i < count; i++) {
		if (members[i]->kind == NODE_NOT)
			continue;
		if ((written++ && vigil_buf_append_str(out, " AND ")) || emit(p, members[i], out))
			return -1;
	}
	if (!written) {
		fail(p, members[0]->column, "only NOT or -words here: nothing is left to exclude them from");
		return -1;
	}
	p->negated++;
	for (size_t i = 0; i < count; i++)
		if (members[i]->kind == NODE_NOT &&
		    (vigil_buf_append_str(out, " NOT ") || emit(p, members[i]->left, out))) {
			p->negated--;
			return -1;
		}
	p->negated--;
	return vigil_buf_append(out, ")", 1) ? -1 : 0;
}

/* Keep text (a term's words, "*" after a prefix) for the snippet. */
static int keep_words(struct parser *p, const struct node *n)
{
	struct archive_parsed_query *q = p->out;
	char **grown, *copy;

	if (p->negated)
		return 0;
	grown = realloc(q->words, (q->word_count + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	q->words = grown;
	copy = malloc(strlen(n->text) + 2);
	if (!copy)
		return -1;
	sprintf(copy, "%s%s", n->text, n->prefix ? "*" : "");
	for (char *c = copy; *c; c++)
		if (*c == '\x1f')
			*c = ' ';
	q->words[q->word_count++] = copy;
	return 0;
}

static int emit(struct parser *p, const struct node *n, struct vigil_buf *out)
{
	if ((n->kind == NODE_WORD || n->kind == NODE_PHRASE || n->kind == NODE_NEAR) &&
	    keep_words(p, n))
		return -1;
	switch (n->kind) {
	case NODE_WORD:
		if (put_string(out, n->text, strlen(n->text)))
			return -1;
		return n->prefix && vigil_buf_append_str(out, " *") ? -1 : 0;
	case NODE_PHRASE:
		return put_string(out, n->text, strlen(n->text));
	case NODE_NEAR: {
		const char *t = n->text;

		if (vigil_buf_append_str(out, "NEAR("))
			return -1;
		if (!strchr(t, '\x1f')) {
			/* NEAR(a b c) or "a b c"~N: each word its own string. */
			size_t len = strlen(t), pos = 0, start, end, i = 0;

			while (archive_next_word(t, len, &pos, &start, &end))
				if ((i++ && vigil_buf_append(out, " ", 1)) ||
				    put_string(out, t + start, end - start))
					return -1;
		} else {
			for (const char *part = t; part; ) {
				const char *sep = strchr(part, '\x1f');
				size_t len = sep ? (size_t)(sep - part) : strlen(part);

				if ((part != t && vigil_buf_append(out, " ", 1)) ||
				    put_string(out, part, len))
					return -1;
				part = sep ? sep + 1 : NULL;
			}
		}
		return vigil_buf_printf(out, ", %d)", n->distance) ? -1 : 0;
	}
	case NODE_AND:
		return emit_and(p, n, out);
	case NODE_OR:
		if (!positive(n->left) || !positive(n->right)) {
			fail(p, n->column, "OR cannot join a NOT or -word; put it beside the OR");
			return -1;
		}
		return vigil_buf_append(out, "(", 1) || emit(p, n->left, out) ||
		       vigil_buf_append_str(out, " OR ") || emit(p, n->right, out) ||
		       vigil_buf_append(out, ")", 1) ? -1 : 0;
	case NODE_NOT:
		fail(p, n->column, "NOT needs something to exclude from");
		return -1;
	case NODE_FIELD:
		if (n->field != FIELD_TITLE) {
			fail(p, n->column, "source: and region: narrow the whole query: use them"
			     " outside OR, NOT and parentheses");
			return -1;
		}
		return vigil_buf_append_str(out, "title : (") || emit(p, n->left, out) ||
		       vigil_buf_append(out, ")", 1) ? -1 : 0;
	}
	return -1;
}

/* Move the top-level source:/region: members of the AND chain n into out;
 * returns what is left of n (NULL when nothing). */
static struct node *take_filters(struct parser *p, struct node *n, struct archive_parsed_query *out)
{
	if (!n || p->failed)
		return n;
	if (n->kind == NODE_AND) {
		n->left = take_filters(p, n->left, out);
		n->right = take_filters(p, n->right, out);
		if (!n->left || !n->right) {
			struct node *rest = n->left ? n->left : n->right;

			n->left = n->right = NULL;
			node_free(n);
			return rest;
		}
		return n;
	}
	if (n->kind == NODE_FIELD && n->field != FIELD_TITLE) {
		char ***list = n->field == FIELD_SOURCE ? &out->sources : &out->regions;
		size_t *count = n->field == FIELD_SOURCE ? &out->source_count : &out->region_count;
		char **grown;

		if (n->left->kind != NODE_WORD && n->left->kind != NODE_PHRASE) {
			fail(p, n->column, "source: and region: take one word or a \"quoted name\"");
			return n;
		}
		grown = realloc(*list, (*count + 1) * sizeof(**list));
		if (!grown) {
			fail(p, n->column, "out of memory");
			return n;
		}
		*list = grown;
		grown[(*count)++] = n->left->text;
		n->left->text = NULL;
		node_free(n);
		return NULL;
	}
	return n;
}

enum vigil_code archive_query_parse(const char *text, struct archive_parsed_query *out,
				    struct vigil_error *err)
{
	struct parser p = { text ? text : "", 0, 0, err, 0, 0, out };
	struct vigil_buf fts = VIGIL_BUF_INIT;
	struct node *tree;
	enum vigil_code code = VIGIL_OK;

	memset(out, 0, sizeof(*out));
	skip_space(&p);
	if (!p.text[p.pos])
		return vigil_error_set(err, VIGIL_ERR_USAGE, "the query has no words to search for");
	tree = parse_or(&p);
	skip_space(&p);
	if (tree && p.text[p.pos]) {
		node_free(tree);
		tree = fail(&p, p.pos, "')' without a '(' before it");
	}
	if (!p.failed)
		tree = take_filters(&p, tree, out);
	if (!p.failed && tree) {
		if (tree->kind == NODE_NOT && positive(tree->left)) {
			/* -word alone: every material except the matches. */
			out->fts_excludes = 1;
			p.negated = 1;
			if (emit(&p, tree->left, &fts))
				p.failed = 1;
		} else if (has_field(tree, FIELD_SOURCE) || has_field(tree, FIELD_REGION)) {
			fail(&p, tree->column, "source: and region: narrow the whole query: use them"
			     " outside OR, NOT and parentheses");
		} else if (emit(&p, tree, &fts)) {
			p.failed = 1;
		}
		if (!p.failed && !(out->fts = vigil_buf_detach(&fts)))
			fail(&p, 0, "out of memory");
	}
	node_free(tree);
	vigil_buf_release(&fts);
	if (p.failed) {
		if (err && err->code == VIGIL_OK)
			vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory parsing the query");
		code = err ? err->code : VIGIL_ERR_USAGE;
		archive_parsed_query_release(out);
	}
	return code;
}

void archive_parsed_query_release(struct archive_parsed_query *q)
{
	for (size_t i = 0; i < q->source_count; i++)
		free(q->sources[i]);
	for (size_t i = 0; i < q->region_count; i++)
		free(q->regions[i]);
	for (size_t i = 0; i < q->word_count; i++)
		free(q->words[i]);
	free(q->sources);
	free(q->regions);
	free(q->words);
	free(q->fts);
	memset(q, 0, sizeof(*q));
}
