/*
 * extract_meta.c: metadata of an article page (title, author, language,
 * canonical URL, description, site name; the date is dates.c's, given the
 * headline and the JSON-LD article found here) and the small text helpers
 * extract.c shares.
 *
 * Every field is taken from the most explicit source first: <meta> tags
 * written for machines (Open Graph, article:*), then schema.org JSON-LD,
 * then microdata and markup conventions, and last the visible text.
 */
#include "parser_int.h"
#include "../common/utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#define JSON_DEPTH_MAX 48
#define JSON_TEXT_MAX ((size_t)4 * 1024 * 1024)
#define FIELD_MAX 2048        /* longest metadata value kept (bytes) */

/* ------------------------------------------------------------ UTF-8 */

/* One step through NUL-terminated text, an invalid byte being one step of
 * U+FFFD. A NUL ends any sequence before it is read past, so the length
 * need not be known (utf8.h). */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp)
{
	size_t n = vigil_utf8_decode(p, SIZE_MAX, cp);

	return n ? n : 1;
}

static uint32_t lower_cp(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	if (((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
	     (cp >= 0x4D0 && cp <= 0x4FF)) && !(cp & 1))
		return cp + 1;
	if (cp >= 0x4C1 && cp <= 0x4CE && (cp & 1))
		return cp + 1;
	if (cp == 0x4C0)
		return 0x4CF;
	return cp;
}

char *parse_utf8_lower(const char *text)
{
	size_t len = strlen(text), o = 0;
	char *out = malloc(len + 1);
	const unsigned char *p = (const unsigned char *)text;

	if (!out)
		return NULL;
	while (*p) {
		uint32_t cp;
		size_t n;
		char enc[4];
		size_t m;

		if (*p < 0x80) { /* most of any page: no decoding */
			out[o++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			p++;
			continue;
		}
		n = utf8_decode(p, &cp);
		cp = lower_cp(cp);
		m = vigil_utf8_encode(cp, enc);
		if (m != n) { /* never happens for the ranges above; keep bytes */
			memcpy(out + o, p, n);
			o += n;
		} else {
			memcpy(out + o, enc, m);
			o += m;
		}
		p += n;
	}
	out[o] = '\0';
	return out;
}

static int space_at(const unsigned char *p, size_t *len)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
		*len = 1;
		return 1;
	}
	if (p[0] == 0xC2 && p[1] == 0xA0) {
		*len = 2;
		return 1;
	}
	/* U+2000..U+200A spaces, U+202F, U+205F, U+3000 */
	if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8A || p[2] == 0xAF)) {
		*len = 3;
		return 1;
	}
	if ((p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) ||
	    (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)) {
		*len = 3;
		return 1;
	}
	return 0;
}

char *parse_collapse_space(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, o = 0;
	char *out;
	int pending = 0;

	if (!text)
		return NULL;
	if (len == (size_t)-1)
		len = strlen(text);
	out = malloc(len + 1);
	if (!out)
		return NULL;
	while (i < len && p[i]) {
		size_t n;

		if (space_at(p + i, &n)) {
			pending = o > 0;
			i += n;
			continue;
		}
		if (pending)
			out[o++] = ' ';
		pending = 0;
		out[o++] = (char)p[i++];
	}
	out[o] = '\0';
	return out;
}

const char *parse_attr(xmlNodePtr n, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		/* equal names ignoring case have equal first bytes | 0x20: most
		 * attributes are passed over without a call */
		if ((a->name[0] | 0x20) != (name[0] | 0x20) ||
		    strcasecmp((const char *)a->name, name) != 0)
			continue;
		if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
			return (const char *)a->children->content;
		return "";
	}
	return NULL;
}

static int is_block_name(const xmlChar *name)
{
	static const char *const blocks[] = { "p", "div", "br", "li", "tr", "td", "th", "h1",
					      "h2", "h3", "h4", "h5", "h6", "ul", "ol",
					      "section", "article", "header", "footer",
					      "blockquote", "dd", "dt", "table", NULL };

	for (const char *const *b = blocks; *b; b++)
		if (strcmp((const char *)name, *b) == 0)
			return 1;
	return 0;
}

static enum vigil_code text_walk(xmlNodePtr n, struct vigil_buf *buf)
{
	enum vigil_code code = VIGIL_OK;

	for (xmlNodePtr c = n->children; c && !code; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			code = vigil_buf_append_str(buf, (const char *)c->content);
		} else if (c->type == XML_ELEMENT_NODE) {
			int block = is_block_name(c->name);

			if (strcmp((const char *)c->name, "script") == 0 ||
			    strcmp((const char *)c->name, "style") == 0 ||
			    strcmp((const char *)c->name, "noscript") == 0)
				continue;
			if (block)
				code = vigil_buf_append_str(buf, " ");
			if (!code)
				code = text_walk(c, buf);
			if (!code && block)
				code = vigil_buf_append_str(buf, " ");
		}
	}
	return code;
}

char *parse_node_text(xmlNodePtr n)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	char *text;
	enum vigil_code code;

	buf.limit = JSON_TEXT_MAX;
	if (n->type == XML_TEXT_NODE && n->content) {
		code = vigil_buf_append_str(&buf, (const char *)n->content);
		if (code)
			buf.len = 0;
	} else {
		code = text_walk(n, &buf);
	}
	/* over the cap keeps what fits; out of memory must not */
	if (code == VIGIL_ERR_NOMEM) {
		vigil_buf_release(&buf);
		return NULL;
	}
	text = parse_collapse_space(buf.data ? buf.data : "", buf.len);
	vigil_buf_release(&buf);
	return text;
}

/* A letter or digit for word splitting: ASCII alnum, or a code point that
 * is not punctuation, a symbol or a space in the common blocks. */
static int word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return isalnum((int)cp);
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
		return 0;
	if (cp >= 0x2000 && cp <= 0x2BFF)
		return 0;
	if (cp >= 0x3000 && cp <= 0x303F)
		return 0;
	if (cp >= 0xFF00 && cp <= 0xFF0F)
		return 0;
	return cp != 0xFFFD;
}

struct words {
	char **items;
	size_t count;
	size_t chars; /* tokens joined by single spaces */
};

static void words_free(struct words *w)
{
	for (size_t i = 0; i < w->count; i++)
		free(w->items[i]);
	free(w->items);
	memset(w, 0, sizeof(*w));
}

static int words_split(const char *text, struct words *w)
{
	char *low = parse_utf8_lower(text);
	const unsigned char *p;
	size_t cap = 0;

	memset(w, 0, sizeof(*w));
	if (!low)
		return 0;
	p = (const unsigned char *)low;
	while (*p) {
		uint32_t cp;
		const unsigned char *start;
		size_t n = utf8_decode(p, &cp);

		if (!word_cp(cp)) {
			p += n;
			continue;
		}
		start = p;
		while (*p && (n = utf8_decode(p, &cp)) && word_cp(cp))
			p += n;
		if (w->count == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			char **grown = realloc(w->items, grown_cap * sizeof(*grown));

			if (!grown)
				goto fail;
			w->items = grown;
			cap = grown_cap;
		}
		w->items[w->count] = vigil_strndup((const char *)start, (size_t)(p - start));
		if (!w->items[w->count])
			goto fail;
		w->chars += (size_t)(p - start) + (w->count ? 1 : 0);
		w->count++;
	}
	free(low);
	return 1;
fail:
	free(low);
	words_free(w);
	return 0;
}

double parse_text_similarity(const char *a, const char *b)
{
	struct words wa, wb;
	size_t unique_chars = 0, unique = 0;
	double sim = 0;

	if (!a || !b)
		return 0;
	if (!words_split(a, &wa))
		return -1;
	if (!words_split(b, &wb)) {
		words_free(&wa);
		return -1;
	}
	if (wa.count && wb.count && wb.chars) {
		for (size_t i = 0; i < wb.count; i++) {
			int found = 0;

			for (size_t j = 0; j < wa.count && !found; j++)
				found = strcmp(wb.items[i], wa.items[j]) == 0;
			if (!found) {
				unique_chars += strlen(wb.items[i]) + (unique ? 1 : 0);
				unique++;
			}
		}
		sim = 1 - (double)unique_chars / (double)wb.chars;
	}
	words_free(&wa);
	words_free(&wb);
	return sim;
}

/* ------------------------------------------------------------ JSON-LD */

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	char *key;  /* member name inside an object */
	char *text; /* string value, or the literal of a number */
	struct json *child, *next;
};

static void json_free(struct json *j)
{
	while (j) {
		struct json *next = j->next;

		json_free(j->child);
		free(j->key);
		free(j->text);
		free(j);
		j = next;
	}
}

struct json_reader {
	const char *p, *end;
	int oom;
};

static void json_skip(struct json_reader *r)
{
	while (r->p < r->end && (isspace((unsigned char)*r->p)))
		r->p++;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A JSON string at r->p (which is '"'). Raw control characters are allowed
 * because many sites put unescaped newlines into JSON-LD. */
static char *json_string(struct json_reader *r)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;

	r->p++;
	while (r->p < r->end && *r->p != '"') {
		char c = *r->p++;
		char enc[4];
		size_t n = 0;

		if (c != '\\') {
			enc[0] = c;
			n = 1;
		} else if (r->p < r->end) {
			char e = *r->p++;

			switch (e) {
			case 'n': enc[0] = '\n'; n = 1; break;
			case 't': enc[0] = '\t'; n = 1; break;
			case 'r': enc[0] = '\r'; n = 1; break;
			case 'b': case 'f': enc[0] = ' '; n = 1; break;
			case 'u': {
				uint32_t cp = 0;

				for (int i = 0; i < 4; i++) {
					int h = r->p < r->end ? hex_value(*r->p) : -1;

					if (h < 0)
						break;
					cp = cp * 16 + (uint32_t)h;
					r->p++;
				}
				if (cp >= 0xD800 && cp <= 0xDBFF && r->end - r->p >= 6 &&
				    r->p[0] == '\\' && r->p[1] == 'u') {
					uint32_t lo = 0;
					int ok = 1;

					for (int i = 0; i < 4 && ok; i++) {
						int h = hex_value(r->p[2 + i]);

						ok = h >= 0;
						lo = lo * 16 + (uint32_t)(h >= 0 ? h : 0);
					}
					if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						r->p += 6;
					}
				}
				if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
					cp = 0xFFFD;
				n = vigil_utf8_encode(cp, enc);
				break;
			}
			default: enc[0] = e; n = 1; break;
			}
		}
		if (n && vigil_buf_append(&buf, enc, n)) {
			r->oom = 1;
			vigil_buf_release(&buf);
			return NULL;
		}
	}
	if (r->p < r->end)
		r->p++;
	return vigil_buf_detach(&buf);
}

static struct json *json_value(struct json_reader *r, int depth);

static struct json *json_node(struct json_reader *r, enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));

	if (!j)
		r->oom = 1;
	else
		j->type = type;
	return j;
}

static struct json *json_container(struct json_reader *r, int depth, int object)
{
	struct json *j = json_node(r, object ? JSON_OBJECT : JSON_ARRAY), **tail;
	char close = object ? '}' : ']';

	if (!j)
		return NULL;
	tail = &j->child;
	r->p++;
	for (;;) {
		char *key = NULL;
		struct json *v;

		json_skip(r);
		if (r->p >= r->end)
			break;
		if (*r->p == close) {
			r->p++;
			break;
		}
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (object) {
			if (*r->p != '"')
				break;
			key = json_string(r);
			if (!key)
				break;
			json_skip(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key);
				break;
			}
			r->p++;
		}
		v = json_value(r, depth + 1);
		if (!v) {
			free(key);
			break;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
	}
	return j;
}

static struct json *json_value(struct json_reader *r, int depth)
{
	struct json *j;
	const char *start;

	json_skip(r);
	if (r->p >= r->end || depth > JSON_DEPTH_MAX || r->oom)
		return NULL;
	switch (*r->p) {
	case '{':
		return json_container(r, depth, 1);
	case '[':
		return json_container(r, depth, 0);
	case '"':
		j = json_node(r, JSON_STRING);
		if (j && !(j->text = json_string(r))) {
			free(j);
			j = NULL;
		}
		return j;
	default:
		start = r->p;
		while (r->p < r->end && (isalnum((unsigned char)*r->p) || *r->p == '-' ||
					 *r->p == '+' || *r->p == '.'))
			r->p++;
		if (r->p == start)
			return NULL;
		if (r->p - start == 4 && strncmp(start, "null", 4) == 0)
			return json_node(r, JSON_NULL);
		if (*start == 't' || *start == 'f')
			return json_node(r, JSON_BOOL);
		j = json_node(r, JSON_NUMBER);
		if (j && !(j->text = vigil_strndup(start, (size_t)(r->p - start)))) {
			r->oom = 1;
			free(j);
			j = NULL;
		}
		return j;
	}
}

static struct json *json_member(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (struct json *c = obj->child; c; c = c->next)
		if (c->key && strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

static const char *json_str(const struct json *obj, const char *key)
{
	const struct json *v = json_member(obj, key);

	if (v && v->type == JSON_ARRAY)
		v = v->child;
	return v && v->type == JSON_STRING && v->text[0] ? v->text : NULL;
}

static int json_is_article(const struct json *obj)
{
	static const char *const types[] = {
		"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle",
		"AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle",
		"ReviewNewsArticle", "ScholarlyArticle", "TechArticle", "Report", "LiveBlogPosting",
		"SocialMediaPosting", "Review", NULL
	};
	const struct json *t = json_member(obj, "@type");

	if (!t)
		return 0;
	for (const struct json *v = t->type == JSON_ARRAY ? t->child : t; v;
	     v = t->type == JSON_ARRAY ? v->next : NULL) {
		if (v->type != JSON_STRING)
			continue;
		for (const char *const *ty = types; *ty; ty++)
			if (strcmp(v->text, *ty) == 0)
				return 1;
	}
	return 0;
}

/* The article object of a JSON-LD tree (walking @graph and arrays), or any
 * object with a datePublished when none says it is an article. */
static const struct json *json_find_article(const struct json *j, int depth, int strict)
{
	if (!j || depth > JSON_DEPTH_MAX)
		return NULL;
	if (j->type == JSON_OBJECT) {
		const struct json *g;

		if (strict ? json_is_article(j) : json_str(j, "datePublished") != NULL)
			return j;
		if ((g = json_member(j, "@graph")) != NULL)
			return json_find_article(g, depth + 1, strict);
		if ((g = json_member(j, "mainEntity")) != NULL)
			return json_find_article(g, depth + 1, strict);
		return NULL;
	}
	if (j->type == JSON_ARRAY) {
		for (const struct json *c = j->child; c; c = c->next) {
			const struct json *hit = json_find_article(c, depth + 1, strict);

			if (hit)
				return hit;
		}
	}
	return NULL;
}

/* "A, B" from a string, {name}, or an array of those, into *names (NULL
 * when there is none). */
static enum vigil_code json_names(const struct json *v, char **names)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	const struct json *items = v && v->type == JSON_ARRAY ? v->child : v;

	*names = NULL;
	for (const struct json *it = items; it; it = v->type == JSON_ARRAY ? it->next : NULL) {
		const char *name = it->type == JSON_STRING ? it->text : json_str(it, "name");

		if (!name || !*name || strncmp(name, "http", 4) == 0)
			continue;
		if ((buf.len && vigil_buf_append_str(&buf, ", ")) ||
		    vigil_buf_append_str(&buf, name)) {
			vigil_buf_release(&buf);
			return VIGIL_ERR_NOMEM;
		}
	}
	if (buf.len)
		*names = vigil_buf_detach(&buf);
	return VIGIL_OK;
}

/* ------------------------------------------------------------ candidates */

struct meta_found {
	char *html_lang, *content_language, *og_locale;
	char *og_title, *title_tag, *h1, *jsonld_headline;
	char *meta_author, *article_author, *jsonld_author, *itemprop_author, *rel_author,
		*byline;
	char *jsonld_published, *jsonld_modified;
	char *canonical, *og_url;
	char *description, *og_description;
	char *og_site_name, *jsonld_publisher;
	char *jsonld_body;
	char *og_type;
	int jsonld_article; /* a JSON-LD object of an article type */
	xmlNodePtr headline_node;
	int oom;
};

static void found_free(struct meta_found *f)
{
	char **fields[] = {
		&f->html_lang, &f->content_language, &f->og_locale, &f->og_title, &f->title_tag,
		&f->h1, &f->jsonld_headline, &f->meta_author, &f->article_author,
		&f->jsonld_author, &f->itemprop_author, &f->rel_author, &f->byline,
		&f->jsonld_published, &f->jsonld_modified, &f->canonical, &f->og_url,
		&f->description, &f->og_description, &f->og_site_name, &f->jsonld_publisher,
		&f->jsonld_body, &f->og_type,
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		free(*fields[i]);
		*fields[i] = NULL;
	}
}

/* Keep the first value seen for a field: collapsed, non-empty, capped. */
static void keep(struct meta_found *f, char **field, const char *value)
{
	char *v;
	size_t len;

	if (*field || !value)
		return;
	v = parse_collapse_space(value, (size_t)-1);
	if (!v) {
		f->oom = 1;
		return;
	}
	len = strlen(v);
	if (!len) {
		free(v);
		return;
	}
	if (len > FIELD_MAX) {
		/* cut at a character boundary */
		len = FIELD_MAX;
		while (len && ((unsigned char)v[len] & 0xC0) == 0x80)
			len--;
		v[len] = '\0';
	}
	*field = v;
}

static void keep_node_text(struct meta_found *f, char **field, xmlNodePtr n)
{
	char *text;

	if (*field)
		return;
	text = parse_node_text(n);
	if (!text) {
		f->oom = 1;
		return;
	}
	keep(f, field, text);
	free(text);
}

static int has_token(const char *list, const char *token)
{
	size_t len = strlen(token);

	while (list && *list) {
		while (*list && isspace((unsigned char)*list))
			list++;
		if (strncasecmp(list, token, len) == 0 &&
		    (list[len] == '\0' || isspace((unsigned char)list[len])))
			return 1;
		while (*list && !isspace((unsigned char)*list))
			list++;
	}
	return 0;
}

static void read_meta(struct meta_found *f, xmlNodePtr n)
{
	const char *name = parse_attr(n, "name"), *property = parse_attr(n, "property");
	const char *content = parse_attr(n, "content"), *itemprop = parse_attr(n, "itemprop");
	const char *equiv = parse_attr(n, "http-equiv");
	const char *key = property ? property : name;

	if (!content)
		return;
	if (equiv && strcasecmp(equiv, "content-language") == 0)
		keep(f, &f->content_language, content);
	if (itemprop && strcmp(itemprop, "author") == 0)
		keep(f, &f->itemprop_author, content);
	for (int k = 0; k < 2; k++) {
		key = k == 0 ? property : name;
		if (!key)
			continue;
		if (strcasecmp(key, "og:title") == 0)
			keep(f, &f->og_title, content);
		else if (strcasecmp(key, "og:url") == 0)
			keep(f, &f->og_url, content);
		else if (strcasecmp(key, "og:site_name") == 0)
			keep(f, &f->og_site_name, content);
		else if (strcasecmp(key, "og:type") == 0)
			keep(f, &f->og_type, content);
		else if (strcasecmp(key, "og:locale") == 0)
			keep(f, &f->og_locale, content);
		else if (strcasecmp(key, "og:description") == 0 ||
			 strcasecmp(key, "twitter:description") == 0)
			keep(f, &f->og_description, content);
		else if (strcasecmp(key, "description") == 0)
			keep(f, &f->description, content);
		else if (strcasecmp(key, "author") == 0 && strncmp(content, "http", 4) != 0)
			keep(f, &f->meta_author, content);
		else if ((strcasecmp(key, "article:author") == 0 ||
			  strcasecmp(key, "article:author_name") == 0) &&
			 strncmp(content, "http", 4) != 0)
			keep(f, &f->article_author, content);
		else if (strcasecmp(key, "content-language") == 0 ||
			 strcasecmp(key, "language") == 0)
			keep(f, &f->content_language, content);
	}
}

static void read_jsonld(struct meta_found *f, xmlNodePtr script)
{
	char *text = parse_node_text(script);
	struct json_reader r;
	struct json *root;
	const struct json *art;
	const char *start;

	if (!text) {
		f->oom = 1;
		return;
	}
	start = text;
	while (*start && *start != '{' && *start != '[')
		start++;
	r.p = start;
	r.end = text + strlen(text);
	r.oom = 0;
	root = json_value(&r, 0);
	if (r.oom)
		f->oom = 1;
	art = json_find_article(root, 0, 1);
	if (art)
		f->jsonld_article = 1;
	if (!art)
		art = json_find_article(root, 0, 0);
	if (art) {
		char *names;
		const struct json *pub = json_member(art, "publisher");

		if (json_names(json_member(art, "author"), &names))
			f->oom = 1;
		keep(f, &f->jsonld_headline, json_str(art, "headline"));
		keep(f, &f->jsonld_published, json_str(art, "datePublished"));
		keep(f, &f->jsonld_modified, json_str(art, "dateModified"));
		keep(f, &f->jsonld_author, names);
		free(names);
		if (pub && pub->type == JSON_ARRAY)
			pub = pub->child;
		keep(f, &f->jsonld_publisher, json_str(pub, "name"));
		if (!f->jsonld_body && json_str(art, "articleBody")) {
			f->jsonld_body = vigil_strdup(json_str(art, "articleBody"));
			f->oom |= f->jsonld_body == NULL;
		}
	}
	json_free(root);
	free(text);
}

/* ------------------------------------------------------------ tree walk */

static int is_tag(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int class_has(xmlNodePtr n, const char *const *words)
{
	const char *cls = parse_attr(n, "class");

	if (!cls)
		return 0;
	for (; *words; words++)
		if (strcasestr(cls, *words))
			return 1;
	return 0;
}

static void walk(struct meta_found *f, xmlNodePtr n, int in_article, int *h1_count)
{
	static const char *const byline_classes[] = { "byline", "author", "writer",
						      "article__author", "post-author", NULL };

	for (xmlNodePtr c = n->children; c && !f->oom; c = c->next) {
		const char *itemprop, *rel;
		int article = in_article;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		itemprop = parse_attr(c, "itemprop");
		rel = parse_attr(c, "rel");
		if (is_tag(c, "html"))
			keep(f, &f->html_lang, parse_attr(c, "lang") ? parse_attr(c, "lang")
								      : parse_attr(c, "xml:lang"));
		else if (is_tag(c, "title") && !f->title_tag)
			keep_node_text(f, &f->title_tag, c);
		else if (is_tag(c, "meta"))
			read_meta(f, c);
		else if (is_tag(c, "link") && rel && has_token(rel, "canonical"))
			keep(f, &f->canonical, parse_attr(c, "href"));
		else if (is_tag(c, "script")) {
			const char *type = parse_attr(c, "type");

			if (type && strcasecmp(type, "application/ld+json") == 0)
				read_jsonld(f, c);
			continue;
		} else if (is_tag(c, "style")) {
			continue;
		}
		if (is_tag(c, "article") || (itemprop && strcmp(itemprop, "articleBody") == 0))
			article = 1;
		if (is_tag(c, "h1")) {
			(*h1_count)++;
			if (!f->h1 || (article && !in_article && !f->headline_node)) {
				free(f->h1);
				f->h1 = NULL;
				keep_node_text(f, &f->h1, c);
				f->headline_node = c;
			}
		}
		if (itemprop && strcmp(itemprop, "author") == 0 && !f->itemprop_author &&
		    !is_tag(c, "meta") && !is_tag(c, "link")) {
			const char *v = parse_attr(c, "content");

			if (v)
				keep(f, &f->itemprop_author, v);
			else
				keep_node_text(f, &f->itemprop_author, c);
		}
		if (rel && has_token(rel, "author") && !is_tag(c, "link"))
			keep_node_text(f, &f->rel_author, c);
		if (!f->byline && class_has(c, byline_classes) && !is_tag(c, "body") &&
		    !is_tag(c, "article")) {
			char *text = parse_node_text(c);

			if (!text)
				f->oom = 1;
			else if (strlen(text) > 0 && strlen(text) < 100)
				keep(f, &f->byline, text);
			free(text);
		}
		walk(f, c, article, h1_count);
	}
}

/* Drop " | Site", " - Site", " — Site" from a title; the part that looks
 * like the site's name is the one equal to site_name or to the host, or
 * the shorter side of a " | " when it has at most four words. */
static char *strip_site(const char *title, const char *site_name, const char *url)
{
	static const char *const seps[] = { " | ", " — ", " – ", " - ", " :: ", " « ", " » ",
					    " / ", " · ", NULL };
	char host[256] = "";
	char *out = vigil_strdup(title);

	if (!out)
		return NULL;
	if (url) {
		struct vigil_error err = { 0 };
		char *h = vigil_url_host(url, &err);

		if (!h && err.code == VIGIL_ERR_NOMEM) {
			free(out);
			return NULL;
		}
		if (h && strlen(h) < sizeof(host))
			strcpy(host, h);
		free(h);
	}
	for (int round = 0; round < 2; round++) {
		const char *best = NULL, *best_sep = NULL;

		for (const char *const *s = seps; *s; s++) {
			const char *hit = NULL;

			for (const char *q = strstr(out, *s); q; q = strstr(q + 1, *s))
				hit = q;
			if (hit && (!best || hit > best)) {
				best = hit;
				best_sep = *s;
			}
		}
		if (!best)
			break;
		{
			const char *tail = best + strlen(best_sep);
			size_t words = 1, head_len = (size_t)(best - out);
			int site = 0;

			for (const char *q = tail; *q; q++)
				words += *q == ' ';
			if (site_name && strcasecmp(tail, site_name) == 0)
				site = 1;
			else if (*host && (strcasestr(host, tail) ||
					   (strlen(tail) >= 4 && strcasestr(tail, host + (strncmp(host, "www.", 4) == 0 ? 4 : 0)))))
				site = 1;
			else if (strcmp(best_sep, " - ") != 0 && words <= 4 &&
				 strlen(tail) < head_len)
				site = 1;
			else if (words <= 2 && strlen(tail) * 3 < head_len)
				site = 1;
			if (!site || head_len < 10)
				break;
			out[head_len] = '\0';
		}
	}
	return out;
}

/* Primary language subtag into *language: "ru-RU" -> "ru", "kk_KZ" -> "kk";
 * NULL when value is none. */
static enum vigil_code language_code(const char *value, char **language)
{
	char code[9];
	size_t n = 0;

	*language = NULL;
	if (!value)
		return VIGIL_OK;
	while (*value && isspace((unsigned char)*value))
		value++;
	while (isalpha((unsigned char)value[n]) && n < 8) {
		code[n] = (char)tolower((unsigned char)value[n]);
		n++;
	}
	code[n] = '\0';
	if (n < 2 || n > 3 || (value[n] && value[n] != '-' && value[n] != '_' && value[n] != ',' &&
			       !isspace((unsigned char)value[n])))
		return VIGIL_OK;
	*language = vigil_strdup(code);
	return *language ? VIGIL_OK : VIGIL_ERR_NOMEM;
}

/* The canonical URL in the key form every other URL has, into *url (NULL
 * when ref is missing or no usable URL). */
static enum vigil_code absolute_url(const char *ref, const char *base, char **url)
{
	struct vigil_error err = { 0 };

	*url = NULL;
	if (!ref || !*ref)
		return VIGIL_OK;
	*url = vigil_url_resolve(base, ref, &err);
	return !*url && err.code == VIGIL_ERR_NOMEM ? VIGIL_ERR_NOMEM : VIGIL_OK;
}

static const char *first_of(const char *const *values, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (values[i] && *values[i])
			return values[i];
	return NULL;
}

#define FIRST(...) first_of((const char *const[]){ __VA_ARGS__ }, \
			    sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

/* The name in a byline into *author, or NULL when none is left. */
static enum vigil_code clean_author(const char *value, char **author)
{
	static const char *const prefixes[] = { "by ", "автор:", "автор ", "авторы:", "текст:",
						"author:", "written by ", "posted by ", NULL };
	char *low, *out;
	const char *p = value, *bullet;
	size_t cut;

	*author = NULL;
	if (!value)
		return VIGIL_OK;
	low = parse_utf8_lower(value);
	if (!low)
		return VIGIL_ERR_NOMEM;
	for (const char *const *pre = prefixes; *pre; pre++) {
		size_t n = strlen(*pre);

		if (strncmp(low, *pre, n) == 0) {
			p = value + n;
			break;
		}
	}
	free(low);
	out = parse_collapse_space(p, (size_t)-1);
	if (!out)
		return VIGIL_ERR_NOMEM;
	/* bylines run on into the date, a handle or "• 2 min read" */
	cut = strcspn(out, "0123456789@|");
	bullet = strstr(out, "•");
	if (bullet && (size_t)(bullet - out) < cut)
		cut = (size_t)(bullet - out);
	while (cut && (out[cut - 1] == ' ' || out[cut - 1] == ',' || out[cut - 1] == '-'))
		cut--;
	out[cut] = '\0';
	if (!*out || strlen(out) > 200) {
		free(out);
		out = NULL;
	}
	*author = out;
	return VIGIL_OK;
}

static int set_field(char **field, char *value, const char *fallback_copy)
{
	if (value) {
		*field = value;
		return 0;
	}
	if (fallback_copy) {
		*field = vigil_strdup(fallback_copy);
		return *field == NULL;
	}
	return 0;
}

enum vigil_code parse_meta_collect(htmlDocPtr doc, const char *url, int64_t fetched_at,
				   struct parse_document *out, char **body_hint)
{
	struct meta_found f;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	const char *title, *author, *lang;
	int h1_count = 0, oom = 0;

	memset(&f, 0, sizeof(f));
	*body_hint = NULL;
	if (root) {
		/* the root itself (html lang) and everything below it */
		if (is_tag(root, "html"))
			keep(&f, &f.html_lang, parse_attr(root, "lang") ? parse_attr(root, "lang")
									: parse_attr(root, "xml:lang"));
		walk(&f, root, 0, &h1_count);
	}

	if (f.jsonld_article || (f.og_type && strncasecmp(f.og_type, "article", 7) == 0))
		out->declared = PARSE_DECLARED_ARTICLE;
	else if (f.og_type)
		out->declared = PARSE_DECLARED_OTHER;

	/* Site name first: it helps strip the site from titles. */
	oom |= set_field(&out->site_name, NULL, FIRST(f.og_site_name, f.jsonld_publisher));

	/* Title: og:title, the article's h1, then <title> without the site. */
	title = FIRST(f.og_title, f.h1, f.jsonld_headline, f.title_tag);
	if (title) {
		out->title = strip_site(title, out->site_name, url);
		oom |= out->title == NULL;
	}

	/* Author */
	author = FIRST(f.meta_author, f.article_author, f.jsonld_author, f.itemprop_author,
		       f.rel_author, f.byline);
	if (author) {
		oom |= clean_author(author, &out->author) != VIGIL_OK;
		if (!oom && !out->author && f.byline && author != f.byline)
			oom |= clean_author(f.byline, &out->author) != VIGIL_OK;
	}

	/* Published: parser/dates.c weighs every kind of evidence */
	if (!oom) {
		struct parse_date_page page = {
			.headline = f.headline_node,
			.url = url,
			.language = FIRST(f.html_lang, f.content_language, f.og_locale),
			.jsonld_published = f.jsonld_published,
			.jsonld_modified = f.jsonld_modified,
			.fetched_at = fetched_at,
		};

		oom |= parse_date_choose(doc, &page, &out->published, &out->published_source) !=
		       VIGIL_OK;
	}

	/* Language as declared; extract.c guesses from the text otherwise. */
	lang = FIRST(f.html_lang, f.content_language, f.og_locale);
	oom |= language_code(lang, &out->language) != VIGIL_OK;

	/* Canonical URL, absolute */
	oom |= absolute_url(f.canonical, url, &out->canonical_url) != VIGIL_OK;
	if (!out->canonical_url && !oom)
		oom |= absolute_url(f.og_url, url, &out->canonical_url) != VIGIL_OK;

	oom |= set_field(&out->description, NULL, FIRST(f.description, f.og_description));

	if (f.jsonld_body) {
		*body_hint = f.jsonld_body;
		f.jsonld_body = NULL;
	}
	oom |= f.oom;
	found_free(&f);
	(void)h1_count;
	return oom ? VIGIL_ERR_NOMEM : VIGIL_OK;
}
