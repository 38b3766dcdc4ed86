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

/* 1 when n is the mark a cut-out <noscript> left (html.c). */
static int is_noscript_mark(const xmlNode *n)
{
	return n->type == XML_COMMENT_NODE && n->content &&
	       strcmp((const char *)n->content, PARSE_NOSCRIPT_MARK) == 0;
}

/* The first <img alt> below top (a node list), or NULL. */
static const char *first_alt(xmlNode *first)
{
	for (xmlNode *top = first; top; top = top->next)
		for (xmlNode *n = top; n; n = next_node(n, top, 1)) {
			const char *alt = is_element(n, "img") ? parse_attr(n, "alt") : NULL;

			if (alt && *alt)
				return alt;
		}
	return NULL;
}

/* Text for a link without words of its own: its title, else an image's
 * alt, also one inside a <noscript> (a lazy-loading image's fallback; the
 * marks below a are the next ones of page from *fragment on). NULL means
 * "" (or OOM, which the caller cannot tell apart and treats as "": the
 * link itself is still recorded). */
static char *fallback_text(xmlNode *a, const struct parse_page *page, size_t fragment)
{
	const char *title = parse_attr(a, "title");

	if (title && *title)
		return parse_collapse_space(title, (size_t)-1);
	for (xmlNode *n = a->children; n; n = next_node(n, a, 1)) {
		const char *alt = is_element(n, "img") ? parse_attr(n, "alt") : NULL;

		if (alt && *alt)
			return parse_collapse_space(alt, (size_t)-1);
		if (page && is_noscript_mark(n) && fragment < page->noscript_len) {
			const char *text = page->noscript + fragment;
			size_t len = strlen(text);
			htmlDocPtr doc = parse_html_fragment(text, len);
			char *found = NULL;

			fragment += len + 1;
			if (doc && (alt = first_alt(doc->children)) != NULL)
				found = parse_collapse_space(alt, (size_t)-1);
			if (doc)
				xmlFreeDoc(doc);
			if (found)
				return found;
		}
	}
	return NULL;
}

static enum vigil_code link_of(struct links_builder *b, xmlNode *n, const char *base,
			       const struct parse_page *page, size_t fragment)
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
			text = fallback_text(n, page, fragment);
		}
	}
	return add_link(b, url, text);
}

/* The links below top (a tree, or a node list of one), in document order.
 * A noscript mark reads the next cut-out <noscript> of page (*fragment,
 * an offset into page->noscript) as a tree of its own, there. */
static enum vigil_code links_below(struct links_builder *b, const struct parse_page *page,
				   xmlNode *first, const char *base, size_t *fragment)
{
	enum vigil_code code = VIGIL_OK;

	for (xmlNode *top = first; top && !code; top = top->next) {
		for (xmlNode *n = top; n && !code; n = next_node(n, top, 1)) {
			if (page && is_noscript_mark(n) && *fragment < page->noscript_len) {
				const char *text = page->noscript + *fragment;
				size_t len = strlen(text);
				htmlDocPtr doc;

				*fragment += len + 1;
				if (!len)
					continue;
				/* a fragment has no marks of its own (page NULL) */
				doc = parse_html_fragment(text, len);
				if (doc) {
					code = links_below(b, NULL, doc->children, base, fragment);
					xmlFreeDoc(doc);
				}
			} else if (is_element(n, "a") || is_element(n, "area") ||
				   is_element(n, "link")) {
				code = link_of(b, n, base, page, *fragment);
			}
		}
	}
	return code;
}

enum vigil_code parse_page_links(struct parse_page *page, struct parse_links *out,
				 struct vigil_error *err)
{
	struct links_builder b = { out, 0, NULL, 0 };
	const char *base_url = page->url;
	enum vigil_code code = VIGIL_OK;
	xmlNode *root, *n;
	char *base = NULL;
	size_t fragment = 0;

	memset(out, 0, sizeof(*out));
	/* read again when the extraction came first and used the tree up */
	if (!parse_page_tree(page))
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "links of %s: out of memory",
				       base_url ? base_url : "(page)");
	root = xmlDocGetRootElement(page->doc);
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
	/* from the document's first node: a noscript before <html> leaves its
	 * mark outside the root element */
	if (!code)
		code = links_below(&b, page, page->doc->children, base ? base : base_url,
				   &fragment);
	free(base);
	free(b.slots);
	if (code) {
		parse_links_release(out);
		return vigil_error_set(err, code, "links of %s: out of memory",
				       base_url ? base_url : "(page)");
	}
	return VIGIL_OK;
}

enum vigil_code parse_links(const char *body, size_t len, const char *content_type,
			    const char *base_url, struct parse_links *out,
			    struct vigil_error *err)
{
	struct parse_page *page = NULL;
	enum vigil_code code;

	memset(out, 0, sizeof(*out));
	if (!body || len == 0)
		return VIGIL_OK; /* an empty page has no links */
	code = parse_page_read(body, len, content_type, base_url, &page, err);
	if (code)
		return code;
	code = parse_page_links(page, out, err);
	parse_page_free(&page);
	return code;
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
