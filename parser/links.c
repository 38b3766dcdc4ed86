/*
 * links.c: the links of an HTML page, for the crawler's frontier.
 *
 * Every <a href> and <area href>, plus <link rel=alternate> RSS/Atom feeds
 * (text "feed"), resolved against the page's <base href> (itself resolved
 * against base_url) or base_url. Only http(s) survives vigil_url_resolve, so
 * javascript:, mailto:, tel: and data: links drop out there; fragments are
 * removed, and a URL seen twice keeps its first place (and the first
 * non-empty text).
 */
#include "parser.h"
#include "parser_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct links_builder {
	struct parse_links *out;
	size_t cap;
	size_t *slots;    /* open-addressing set: item index + 1, 0 = free */
	size_t slot_count;
};

/* The next node in document order below top; skip n's children unless
 * descend. Iterative, so deep nesting costs no stack. */
static xmlNode *next_node(xmlNode *n, xmlNode *top, int descend)
{
	if (descend && n->children)
		return n->children;
	while (n != top && !n->next)
		n = n->parent;
	return n == top ? NULL : n->next;
}

static int is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0;
}

/* Does the space-separated list contain token (ASCII case-insensitive)? */
static int has_token(const char *list, const char *token)
{
	size_t tlen = strlen(token);

	while (list && *list) {
		const char *start;

		while (*list == ' ' || (*list >= '\t' && *list <= '\r'))
			list++;
		start = list;
		while (*list && *list != ' ' && !(*list >= '\t' && *list <= '\r'))
			list++;
		if ((size_t)(list - start) == tlen && strncasecmp(start, token, tlen) == 0)
			return 1;
	}
	return 0;
}

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Index of url among the items, or -1 when new; -2 on OOM. */
static long find_or_reserve(struct links_builder *b, const char *url, size_t **slot_out)
{
	size_t mask, i;

	if (2 * (b->out->count + 1) > b->slot_count) {
		size_t count = b->slot_count ? 2 * b->slot_count : 64;
		size_t *slots = calloc(count, sizeof(*slots));

		if (!slots)
			return -2;
		for (size_t k = 0; k < b->slot_count; k++) {
			if (!b->slots[k])
				continue;
			i = hash_text(b->out->items[b->slots[k] - 1].url) & (count - 1);
			while (slots[i])
				i = (i + 1) & (count - 1);
			slots[i] = b->slots[k];
		}
		free(b->slots);
		b->slots = slots;
		b->slot_count = count;
	}
	mask = b->slot_count - 1;
	for (i = hash_text(url) & mask; b->slots[i]; i = (i + 1) & mask)
		if (strcmp(b->out->items[b->slots[i] - 1].url, url) == 0)
			return (long)(b->slots[i] - 1);
	*slot_out = &b->slots[i];
	return -1;
}

/* Takes ownership of url and text (text may be NULL for ""). */
static enum vigil_code add_link(struct links_builder *b, char *url, char *text)
{
	struct parse_links *out = b->out;
	size_t *slot = NULL;
	long found;

	if (!text && !(text = strdup(""))) {
		free(url);
		return VIGIL_ERR_NOMEM;
	}
	found = find_or_reserve(b, url, &slot);
	if (found == -2)
		goto nomem;
	if (found >= 0) {
		struct parse_link *seen = &out->items[found];

		if (seen->text[0] == '\0' && text[0] != '\0') {
			free(seen->text);
			seen->text = text;
			text = NULL;
		}
		free(url);
		free(text);
		return VIGIL_OK;
	}
	if (out->count == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct parse_link *grown = realloc(out->items, cap * sizeof(*grown));

		if (!grown)
			goto nomem;
		out->items = grown;
		b->cap = cap;
	}
	out->items[out->count].url = url;
	out->items[out->count].text = text;
	*slot = ++out->count;
	return VIGIL_OK;
nomem:
	free(url);
	free(text);
	return VIGIL_ERR_NOMEM;
}

/* Text for a link without words of its own: its title, else an image's
 * alt. NULL means "" (or OOM, which the caller cannot tell apart and
 * treats as "": the link itself is still recorded). */
static char *fallback_text(xmlNode *a)
{
	const char *title = parse_attr(a, "title");

	if (title && *title)
		return parse_collapse_space(title, (size_t)-1);
	for (xmlNode *n = a->children; n; n = next_node(n, a, 1)) {
		const char *alt = is_element(n, "img") ? parse_attr(n, "alt") : NULL;

		if (alt && *alt)
			return parse_collapse_space(alt, (size_t)-1);
	}
	return NULL;
}

static enum vigil_code link_of(struct links_builder *b, xmlNode *n, const char *base)
{
	const char *href = parse_attr(n, "href"), *p = href;
	struct vigil_error url_err = { 0 };
	char *url, *text;

	if (!href)
		return VIGIL_OK;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	/* "" and "#top" point back at this page. */
	if (*p == '\0' || *p == '#')
		return VIGIL_OK;
	if (is_element(n, "link")) {
		const char *rel = parse_attr(n, "rel"), *type = parse_attr(n, "type");

		if (!has_token(rel, "alternate") || !type ||
		    (!strcasestr(type, "rss") && !strcasestr(type, "atom")))
			return VIGIL_OK;
		url = vigil_url_resolve(base, href, &url_err);
		if (!url)
			return url_err.code == VIGIL_ERR_NOMEM ? VIGIL_ERR_NOMEM : VIGIL_OK;
		text = strdup("feed");
		if (!text) {
			free(url);
			return VIGIL_ERR_NOMEM;
		}
		return add_link(b, url, text);
	}
	/* Out of memory is an error, not a link that is not http(s): a lost
	 * link is a page the crawl never sees. */
	url = vigil_url_resolve(base, href, &url_err);
	if (!url)
		return url_err.code == VIGIL_ERR_NOMEM ? VIGIL_ERR_NOMEM : VIGIL_OK;
	if (is_element(n, "area")) {
		const char *alt = parse_attr(n, "alt");

		text = alt ? parse_collapse_space(alt, (size_t)-1) : NULL;
	} else {
		text = parse_node_text(n);
		if (!text) {
			free(url);
			return VIGIL_ERR_NOMEM;
		}
		if (!*text) {
			free(text);
			text = fallback_text(n);
		}
	}
	return add_link(b, url, text);
}

enum vigil_code parse_links(const char *body, size_t len, const char *content_type,
			    const char *base_url, struct parse_links *out,
			    struct vigil_error *err)
{
	struct links_builder b = { out, 0, NULL, 0 };
	enum vigil_code code;
	htmlDocPtr doc = NULL;
	xmlNode *root, *n;
	char *base = NULL;

	memset(out, 0, sizeof(*out));
	if (!body || len == 0)
		return VIGIL_OK; /* an empty page has no links */
	code = parse_html_read(body, len, content_type, base_url, &doc, NULL, err);
	if (code)
		return code;
	root = xmlDocGetRootElement(doc);
	/* The first <base href> applies to the whole page, links before it
	 * included (HTML's rule). */
	for (n = root; n; n = next_node(n, root, 1)) {
		const char *href = is_element(n, "base") ? parse_attr(n, "href") : NULL;

		if (href) {
			struct vigil_error url_err = { 0 };

			base = vigil_url_resolve(base_url, href, &url_err);
			if (!base && url_err.code == VIGIL_ERR_NOMEM)
				code = VIGIL_ERR_NOMEM;
			break;
		}
	}
	for (n = root; n && !code; n = next_node(n, root, 1))
		if (is_element(n, "a") || is_element(n, "area") || is_element(n, "link"))
			code = link_of(&b, n, base ? base : base_url);
	free(base);
	free(b.slots);
	xmlFreeDoc(doc);
	if (code) {
		parse_links_release(out);
		return vigil_error_set(err, code, "links of %s: out of memory",
				       base_url ? base_url : "(page)");
	}
	return VIGIL_OK;
}

void parse_links_release(struct parse_links *links)
{
	if (!links)
		return;
	for (size_t i = 0; i < links->count; i++) {
		free(links->items[i].url);
		free(links->items[i].text);
	}
	free(links->items);
	links->items = NULL;
	links->count = 0;
}
