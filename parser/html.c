/*
 * html.c: bytes to a libxml2 HTML tree, always through UTF-8 so that the
 * charset decision is ours (charset.c), not libxml2's.
 */
#include "parser_int.h"

#include <limits.h>
#include <stdlib.h>

/* HTML_PARSE_IGNORE_ENC: the text is already UTF-8, so a <meta charset>
 * inside it must not make libxml2 switch decoders half-way. */
#define HTML_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | \
		      HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC)

enum vigil_code parse_html_read(const char *body, size_t len, const char *content_type,
				const char *url, htmlDocPtr *doc_out, char **charset_out,
				struct vigil_error *err)
{
	char *text = NULL, *charset = NULL;
	size_t text_len = 0;
	enum vigil_code code;
	htmlDocPtr doc;

	*doc_out = NULL;
	if (charset_out)
		*charset_out = NULL;
	code = parse_decode_to_utf8(body, len, content_type, &text, &text_len, &charset, err);
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
	xmlInitParser();
	doc = htmlReadMemory(text, (int)text_len, url, "UTF-8", HTML_OPTIONS);
	free(text);
	if (!doc || !xmlDocGetRootElement(doc)) {
		if (doc)
			xmlFreeDoc(doc);
		free(charset);
		return vigil_error_set(err, VIGIL_ERR_PARSE, "%s: no HTML document in %zu bytes",
				       url ? url : "(html)", len);
	}
	*doc_out = doc;
	if (charset_out)
		*charset_out = charset;
	else
		free(charset);
	return VIGIL_OK;
}
