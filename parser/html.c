/*
 * html.c: bytes to a libxml2 HTML tree, always through UTF-8 so that the
 * charset decision is ours (charset.c), not libxml2's.
 *
 * Depth: without XML_PARSE_HUGE libxml2 stops reading the whole page at
 * the 256th nested element, so a page of deep junk before the article
 * would lose the article. With it there is no limit at all, and deep trees
 * would overflow the recursive copy in xmlCopyDoc and our own walkers.
 * So the parser runs with HUGE and the tree builder is wrapped: start tags
 * below PARSE_MAX_DEPTH make no element, and their text lands in the
 * element at the limit. Every start tag gets exactly one end event from
 * libxml2 (implied and auto-closed ones too), in LIFO order, so counting
 * the skipped ones is enough to skip their end tags.
 *
 * Size: the same way, start tags after the first PARSE_MAX_ELEMENTS make
 * no element, which bounds the memory of the tree (and of the copies the
 * extraction makes) for a 30 MB page of one repeated tag.
 */
#include "parser_int.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parserInternals.h>

/* HTML_PARSE_IGNORE_ENC: the text is already UTF-8, so a <meta charset>
 * inside it must not make libxml2 switch decoders half-way. */
#define HTML_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | \
		      HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC | \
		      XML_PARSE_HUGE)

struct depth_guard {
	startElementSAXFunc start;
	endElementSAXFunc end;
	cdataBlockSAXFunc cdata;
	xmlNodePtr cdata_node; /* the script/style text node being grown */
	size_t cdata_len, cdata_cap;
	size_t open_skipped; /* skipped elements not yet closed */
	size_t elements;     /* made so far */
	size_t flattened;
	size_t dropped;
};

static void guarded_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct depth_guard *guard = ctxt->_private;

	if (ctxt->nodeNr >= PARSE_MAX_DEPTH || guard->elements >= PARSE_MAX_ELEMENTS) {
		guard->open_skipped++;
		if (ctxt->nodeNr >= PARSE_MAX_DEPTH)
			guard->flattened++;
		else
			guard->dropped++;
		return;
	}
	guard->elements++;
	guard->start(ctx, name, atts);
}

static void guarded_end(void *ctx, const xmlChar *name)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct depth_guard *guard = ctxt->_private;

	if (guard->open_skipped) {
		guard->open_skipped--;
		return;
	}
	guard->end(ctx, name);
}

/*
 * libxml2 hands the text of a <script> or <style> over in pieces of about
 * a kilobyte and appends each to the node with a realloc of the whole
 * text, which copies an inline bundle of some hundred kilobytes hundreds
 * of times. The node is grown here instead, its capacity doubling: the
 * same node with the same text.
 */
static void grown_cdata(void *ctx, const xmlChar *value, int len)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct depth_guard *guard = ctxt->_private;
	xmlNodePtr last = ctxt->node ? ctxt->node->last : NULL;

	if (last && last == guard->cdata_node && last->type == XML_CDATA_SECTION_NODE &&
	    len >= 0) {
		size_t need = guard->cdata_len + (size_t)len + 1;

		if (need > guard->cdata_cap) {
			size_t cap = 2 * guard->cdata_cap > need ? 2 * guard->cdata_cap : need;
			xmlChar *grown = xmlRealloc(last->content, cap);

			if (!grown)
				return; /* as libxml2 does when out of memory */
			last->content = grown;
			guard->cdata_cap = cap;
		}
		memcpy(last->content + guard->cdata_len, value, (size_t)len);
		guard->cdata_len += (size_t)len;
		last->content[guard->cdata_len] = '\0';
		return;
	}
	guard->cdata(ctx, value, len);
	last = ctxt->node ? ctxt->node->last : NULL;
	guard->cdata_node = NULL;
	if (last && last->type == XML_CDATA_SECTION_NODE && last->content) {
		guard->cdata_node = last;
		guard->cdata_len = strlen((const char *)last->content);
		guard->cdata_cap = guard->cdata_len + 1;
	}
}

void parse_read_notes_release(struct parse_read_notes *notes)
{
	if (!notes)
		return;
	free(notes->charset_warning);
	notes->charset_warning = NULL;
	notes->flattened = 0;
	notes->dropped = 0;
}

/* 1 when text[at..len) starts with the ASCII word (any case) followed by
 * something that ends a tag name. */
static int word_at(const char *text, size_t len, size_t at, const char *word)
{
	size_t n = strlen(word);

	if (len - at <= n || strncasecmp(text + at, word, n) != 0)
		return 0;
	return strchr(" \t\n\r\f/>", text[at + n]) != NULL;
}

/* Offset of the first "</name" at or after from (any case), or len. */
static size_t find_end_tag(const char *text, size_t len, size_t from, const char *name)
{
	while (from + 2 < len) {
		const char *lt = memchr(text + from, '<', len - 2 - from);
		size_t i;

		if (!lt)
			break;
		i = (size_t)(lt - text);
		if (text[i + 1] == '/' && word_at(text, len, i + 2, name))
			return i;
		from = i + 1;
	}
	return len;
}

/*
 * Cut <noscript>...</noscript> out of the text before libxml2 sees it.
 * A browser with scripts on reads a noscript's content as raw text up to
 * "</noscript>"; libxml2 parses it as markup, so a <style> left open in it
 * swallows the page as style text, and a <div> open in it makes libxml2
 * ignore "</noscript>" (a div outranks it) so the rest of the page lands
 * inside the noscript that the extraction drops. Its content is fallback
 * for readers without scripts (tracking pixels, "enable JavaScript"), never
 * the article; but a fallback link is still a link, so the content is kept
 * aside in *fragments (each NUL-terminated) and a comment PARSE_NOSCRIPT_MARK
 * takes its place, where parse_page_links reads it. Comments and
 * script/style text are skipped, so a "<noscript>" written inside them is
 * left alone; an unclosed noscript loses only its start tag.
 * *cut_out is NULL when there was nothing to cut (the text stands), else a
 * malloc'd copy without the noscripts. 0, or -1 out of memory.
 */
static int cut_noscript(const char *text, size_t len, char **cut_out, size_t *cut_len,
			struct vigil_buf *fragments)
{
	static const char *const raw[] = { "script", "style", "textarea", "title", NULL };
	struct vigil_buf out = VIGIL_BUF_INIT;
	size_t in = 0, copied = 0;
	int cut = 0;

	*cut_out = NULL;
	*cut_len = 0;
	while (in < len) {
		const char *lt = memchr(text + in, '<', len - in);
		size_t at, skip_to = 0, drop_to = 0, content = 0, content_end = 0;
		int c;

		if (!lt)
			break;
		at = (size_t)(lt - text);
		c = at + 1 < len ? tolower((unsigned char)text[at + 1]) : 0;
		/* only these can start what matters here */
		if (c == '!' && len - at >= 4 && memcmp(text + at, "<!--", 4) == 0) {
			const char *close = memmem(text + at + 4, len - at - 4, "-->", 3);

			skip_to = close ? (size_t)(close - text) + 3 : len;
		} else if (c == 'n' && word_at(text, len, at + 1, "noscript")) {
			size_t end_tag = find_end_tag(text, len, at + 9, "noscript");
			const char *gt;

			if (end_tag == len) {
				end_tag = at; /* unclosed: drop the start tag only */
			} else {
				gt = memchr(text + at, '>', end_tag - at);
				content = gt ? (size_t)(gt - text) + 1 : end_tag;
				content_end = end_tag;
			}
			gt = memchr(text + end_tag, '>', len - end_tag);
			drop_to = gt ? (size_t)(gt - text) + 1 : len;
		} else if (c == 's' || c == 't') {
			for (const char *const *r = raw; *r && !skip_to; r++)
				if (word_at(text, len, at + 1, *r))
					skip_to = find_end_tag(text, len, at + 1, *r);
		}
		if (drop_to) {
			cut = 1;
			if (vigil_buf_append(&out, text + copied, at - copied))
				goto nomem;
			if (content_end &&
			    (vigil_buf_append_str(&out, "<!--" PARSE_NOSCRIPT_MARK "-->") ||
			     vigil_buf_append(fragments, text + content, content_end - content) ||
			     vigil_buf_append(fragments, "", 1)))
				goto nomem;
			in = copied = drop_to;
			continue;
		}
		in = skip_to > at ? skip_to : at + 1;
	}
	if (!cut)
		return 0;
	if (vigil_buf_append(&out, text + copied, len - copied) || !out.data)
		goto nomem;
	*cut_len = out.len;
	*cut_out = vigil_buf_detach(&out);
	return 0;
nomem:
	vigil_buf_release(&out);
	return -1;
}

void parse_init(void)
{
	xmlInitParser();
}

/* The tree of UTF-8 text, or NULL (no document at all, or out of memory). */
static htmlDocPtr read_tree(const char *text, size_t text_len, const char *url,
			    struct depth_guard *guard)
{
	htmlParserCtxtPtr ctxt;
	htmlDocPtr doc;

	xmlInitParser();
	ctxt = htmlNewParserCtxt();
	if (!ctxt)
		return NULL;
	guard->start = ctxt->sax->startElement;
	guard->end = ctxt->sax->endElement;
	ctxt->sax->startElement = guarded_start;
	ctxt->sax->endElement = guarded_end;
	guard->cdata = ctxt->sax->cdataBlock;
	if (guard->cdata)
		ctxt->sax->cdataBlock = grown_cdata;
	ctxt->_private = guard;
	doc = htmlCtxtReadMemory(ctxt, text, (int)text_len, url, "UTF-8", HTML_OPTIONS);
	htmlFreeParserCtxt(ctxt);
	return doc;
}

htmlDocPtr parse_html_fragment(const char *text, size_t len)
{
	struct depth_guard guard = { 0 };

	if (len == 0 || len > INT_MAX)
		return NULL;
	return read_tree(text, len, NULL, &guard);
}

/* Bytes that no text page has (C0 controls but tab, LF, FF, CR; DEL):
 * binary data fetched as a page. */
static size_t count_controls(const char *body, size_t len)
{
	/* 1 for C0 controls but tab, LF, FF, CR, and for DEL */
	static const unsigned char control[256] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		[0x7F] = 1,
	};
	size_t controls = 0;

	for (size_t i = 0; i < len; i++)
		controls += control[(unsigned char)body[i]];
	return controls;
}

/* The tree of the decoded text. With page, <noscript>s are cut first and
 * kept in page (see cut_noscript), and the text the tree was read from is
 * kept as page->text, to read the tree again after the extraction has used
 * it up (parse_page_tree). *owned (the decoded copy, or NULL when text is
 * the caller's) is taken over or freed either way. */
static enum vigil_code read_decoded(const char *text, size_t text_len, char **owned,
				    const char *url, size_t len, htmlDocPtr *doc_out,
				    struct parse_page *page, struct depth_guard *guard,
				    struct vigil_error *err)
{
	struct vigil_buf fragments = VIGIL_BUF_INIT;
	char *cut = NULL;
	size_t cut_len = 0;
	htmlDocPtr doc;

	if (text_len > INT_MAX) {
		free(*owned);
		*owned = NULL;
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE, "%s: decoded page too large",
				       url ? url : "(html)");
	}
	if (page) {
		if (cut_noscript(text, text_len, &cut, &cut_len, &fragments))
			goto nomem;
		if (cut) {
			text = cut;
			text_len = cut_len;
			free(*owned);
			*owned = cut;
		} else if (!*owned) {
			/* the caller's bytes: kept for a second reading */
			if (!(*owned = malloc(text_len + 1)))
				goto nomem;
			memcpy(*owned, text, text_len);
			(*owned)[text_len] = '\0';
			text = *owned;
		}
	}
	doc = read_tree(text, text_len, url, guard);
	if (!doc || !xmlDocGetRootElement(doc)) {
		if (doc)
			xmlFreeDoc(doc);
		vigil_buf_release(&fragments);
		free(*owned);
		*owned = NULL;
		return vigil_error_set(err, VIGIL_ERR_PARSE, "%s: no HTML document in %zu bytes",
				       url ? url : "(html)", len);
	}
	if (page) {
		page->noscript_len = fragments.len;
		page->noscript = fragments.data; /* NULL when there were none */
		page->text = *owned;
		page->text_len = text_len;
	} else {
		free(*owned);
	}
	*owned = NULL;
	*doc_out = doc;
	return VIGIL_OK;
nomem:
	vigil_buf_release(&fragments);
	free(*owned);
	*owned = NULL;
	return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", url ? url : "(html)");
}

htmlDocPtr parse_page_tree(struct parse_page *page)
{
	struct depth_guard guard = { 0 };

	if (!page->doc)
		page->doc = read_tree(page->text, page->text_len, page->url, &guard);
	return page->doc;
}

enum vigil_code parse_html_read(const char *body, size_t len, const char *content_type,
				const char *url, htmlDocPtr *doc_out, char **charset_out,
				struct vigil_error *err)
{
	struct depth_guard guard = { 0 };
	const char *text;
	char *owned = NULL, *charset = NULL;
	size_t text_len;
	enum vigil_code code;

	*doc_out = NULL;
	if (charset_out)
		*charset_out = NULL;
	code = parse_decode_view(body, len, content_type, &text, &text_len, &owned, &charset,
				 NULL, err);
	if (code) {
		vigil_error_prefix(err, "%s", url ? url : "(html)");
		return code;
	}
	/* channel pages keep noscript content: a fallback link there is
	 * still a link */
	code = read_decoded(text, text_len, &owned, url, len, doc_out, NULL, &guard, err);
	if (code || !charset_out)
		free(charset);
	else
		*charset_out = charset;
	return code;
}

enum vigil_code parse_page_read(const char *body, size_t len, const char *content_type,
				const char *url, struct parse_page **out,
				struct vigil_error *err)
{
	struct depth_guard guard = { 0 };
	struct parse_page *page;
	const char *text;
	char *owned = NULL;
	size_t text_len;
	enum vigil_code code;

	*out = NULL;
	page = calloc(1, sizeof(*page));
	if (!page || (url && !(page->url = strdup(url)))) {
		free(page);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory",
				       url ? url : "(html)");
	}
	code = parse_decode_view(body, len, content_type, &text, &text_len, &owned,
				 &page->charset, &page->notes, err);
	if (code) {
		vigil_error_prefix(err, "%s", url ? url : "(html)");
	} else {
		code = read_decoded(text, text_len, &owned, url, len, &page->doc, page, &guard,
				    err);
	}
	if (code) {
		parse_page_free(&page);
		return code;
	}
	page->notes.flattened = guard.flattened;
	page->notes.dropped = guard.dropped;
	page->body_len = len;
	page->control_bytes = count_controls(body, len);
	*out = page;
	return VIGIL_OK;
}

void parse_page_free(struct parse_page **page)
{
	if (!page || !*page)
		return;
	if ((*page)->doc)
		xmlFreeDoc((*page)->doc);
	free((*page)->url);
	free((*page)->charset);
	free((*page)->noscript);
	free((*page)->text);
	parse_read_notes_release(&(*page)->notes);
	free(*page);
	*page = NULL;
}
