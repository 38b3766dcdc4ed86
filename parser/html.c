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
	for (size_t i = from; i + 2 < len; i++)
		if (text[i] == '<' && text[i + 1] == '/' && word_at(text, len, i + 2, name))
			return i;
	return len;
}

/*
 * Remove <noscript>...</noscript> from the text before libxml2 sees it.
 * A browser with scripts on reads a noscript's content as raw text up to
 * "</noscript>"; libxml2 parses it as markup, so a <style> left open in it
 * swallows the page as style text, and a <div> open in it makes libxml2
 * ignore "</noscript>" (a div outranks it) so the rest of the page lands
 * inside the noscript that the extraction drops. Its content is fallback
 * for readers without scripts (tracking pixels, "enable JavaScript"), never
 * the article. Comments and script/style text are skipped, so a
 * "<noscript>" written inside them is left alone; an unclosed noscript
 * loses only its start tag. Returns the new length (text shrinks in place).
 */
static size_t drop_noscript(char *text, size_t len)
{
	static const char *const raw[] = { "script", "style", "textarea", "title", NULL };
	size_t in = 0, out = 0;

	while (in < len) {
		size_t skip_to = 0, drop_to = 0;

		if (text[in] == '<' && in + 1 < len) {
			if (len - in >= 4 && memcmp(text + in, "<!--", 4) == 0) {
				const char *close = memmem(text + in + 4, len - in - 4, "-->", 3);

				skip_to = close ? (size_t)(close - text) + 3 : len;
			} else if (word_at(text, len, in + 1, "noscript")) {
				size_t end = find_end_tag(text, len, in + 9, "noscript");
				const char *gt;

				if (end == len)
					end = in; /* unclosed: drop the start tag only */
				gt = memchr(text + end, '>', len - end);
				drop_to = gt ? (size_t)(gt - text) + 1 : len;
			} else {
				for (const char *const *r = raw; *r && !skip_to; r++)
					if (word_at(text, len, in + 1, *r))
						skip_to = find_end_tag(text, len, in + 1, *r);
			}
		}
		if (drop_to) {
			in = drop_to;
			continue;
		}
		if (!skip_to)
			skip_to = in + 1;
		memmove(text + out, text + in, skip_to - in);
		out += skip_to - in;
		in = skip_to;
	}
	text[out] = '\0';
	return out;
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
	ctxt->_private = guard;
	doc = htmlCtxtReadMemory(ctxt, text, (int)text_len, url, "UTF-8", HTML_OPTIONS);
	htmlFreeParserCtxt(ctxt);
	return doc;
}

static enum vigil_code read_html(const char *body, size_t len, const char *content_type,
				 const char *url, htmlDocPtr *doc_out, char **charset_out,
				 struct parse_read_notes *notes, int for_article,
				 struct vigil_error *err)
{
	char *text = NULL, *charset = NULL;
	struct depth_guard guard = { 0 };
	size_t text_len = 0;
	enum vigil_code code;
	htmlDocPtr doc;

	*doc_out = NULL;
	if (charset_out)
		*charset_out = NULL;
	code = parse_decode_checked(body, len, content_type, &text, &text_len, &charset, notes,
				    err);
	if (code) {
		vigil_error_prefix(err, "%s", url ? url : "(html)");
		return code;
	}
	if (text_len > INT_MAX) {
		free(text);
		free(charset);
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE, "%s: decoded page too large",
				       url ? url : "(html)");
	}
	if (for_article)
		text_len = drop_noscript(text, text_len);
	doc = read_tree(text, text_len, url, &guard);
	free(text);
	if (!doc || !xmlDocGetRootElement(doc)) {
		if (doc)
			xmlFreeDoc(doc);
		free(charset);
		return vigil_error_set(err, VIGIL_ERR_PARSE, "%s: no HTML document in %zu bytes",
				       url ? url : "(html)", len);
	}
	if (notes) {
		notes->flattened = guard.flattened;
		notes->dropped = guard.dropped;
	}
	*doc_out = doc;
	if (charset_out)
		*charset_out = charset;
	else
		free(charset);
	return VIGIL_OK;
}

enum vigil_code parse_html_read_noted(const char *body, size_t len, const char *content_type,
				      const char *url, htmlDocPtr *doc_out, char **charset_out,
				      struct parse_read_notes *notes, struct vigil_error *err)
{
	return read_html(body, len, content_type, url, doc_out, charset_out, notes, 1, err);
}

enum vigil_code parse_html_read(const char *body, size_t len, const char *content_type,
				const char *url, htmlDocPtr *doc_out, char **charset_out,
				struct vigil_error *err)
{
	/* links and channel pages keep noscript content: a fallback link
	 * there is still a link */
	return read_html(body, len, content_type, url, doc_out, charset_out, NULL, 0, err);
}
