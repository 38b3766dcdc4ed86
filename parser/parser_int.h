/*
 * parser_int.h: helpers shared by the files of parser/ and nothing else.
 * Not a published API: the CLI and other modules use parser.h only.
 *
 * Ownership: every char ** / htmlDocPtr * output is set only on VIGIL_OK
 * and then belongs to the caller (free() for strings, xmlFreeDoc() for
 * documents). On failure the outputs are left NULL.
 */
#ifndef VIGIL_PARSER_INT_H
#define VIGIL_PARSER_INT_H

#include <stddef.h>

#include <libxml/HTMLparser.h>

#include "parser.h"

/* Bodies larger than this are refused with VIGIL_ERR_TOO_LARGE. */
#define PARSE_MAX_BODY ((size_t)32 * 1024 * 1024)

/*
 * Decode body to UTF-8. The charset is chosen in this order: a BOM; bytes
 * that are already valid UTF-8; the charset= of content_type (may be NULL);
 * <meta charset> / <meta http-equiv=Content-Type> in the first 4 KiB;
 * windows-1251 as the Cyrillic fallback. KOI8-R and anything glibc iconv
 * knows is supported when declared. Invalid sequences become U+FFFD, never
 * an error. NUL bytes in the input are dropped.
 *
 * *utf8_out is NUL-terminated, *utf8_len excludes the NUL; *charset_out is
 * the lower-case name actually used ("utf-8", "windows-1251", ...).
 * charset_out may be NULL when the caller does not want it.
 * Errors: VIGIL_ERR_TOO_LARGE over PARSE_MAX_BODY, VIGIL_ERR_NOMEM.
 */
enum vigil_code parse_decode_to_utf8(const char *body, size_t len, const char *content_type,
				     char **utf8_out, size_t *utf8_len, char **charset_out,
				     struct vigil_error *err);

/*
 * Elements nested deeper than this are not added to the tree: their text
 * goes to the element at this depth. libxml2 itself stops reading the
 * whole page at depth 256 unless told otherwise, and every tree walker
 * here may then recurse without risking the C stack.
 */
#define PARSE_MAX_DEPTH 256
/* Start tags after this many elements make no element either (their text
 * goes to the enclosing one): it bounds the tree's memory. Real article
 * pages have some thousands. */
#define PARSE_MAX_ELEMENTS 100000

/* What reading a page had to guess or give up; for the caller's warnings. */
struct parse_read_notes {
	char *charset_warning; /* malloc'd one-line message, or NULL */
	size_t flattened;      /* start tags below PARSE_MAX_DEPTH left out */
	size_t dropped;        /* start tags after PARSE_MAX_ELEMENTS left out */
};
void parse_read_notes_release(struct parse_read_notes *notes);

/*
 * parse_decode_to_utf8 with one more rule: a declared charset that the
 * bytes contradict loses to the bytes. Declared UTF-8 that is not UTF-8
 * (more than a stray byte or two, or over a fifth of the non-ASCII
 * sequences invalid) is decoded as an undeclared page would be; a declared
 * windows-1251 / KOI8-R page whose letter case strongly says the other
 * code page is decoded as that one. Then notes->charset_warning says so.
 * notes may be NULL.
 */
enum vigil_code parse_decode_checked(const char *body, size_t len, const char *content_type,
				     char **utf8_out, size_t *utf8_len, char **charset_out,
				     struct parse_read_notes *notes, struct vigil_error *err);

/*
 * parse_decode_checked without a copy when none is needed: bytes that are
 * valid UTF-8 already (no BOM, no NUL, no sequence cut off at the end) come
 * back as *text_out = body and *owned_out = NULL; otherwise *text_out ==
 * *owned_out, malloc'd and NUL-terminated, which the caller frees. A
 * borrowed text is not NUL-terminated: use *text_len.
 */
enum vigil_code parse_decode_view(const char *body, size_t len, const char *content_type,
				  const char **text_out, size_t *text_len, char **owned_out,
				  char **charset_out, struct parse_read_notes *notes,
				  struct vigil_error *err);

/*
 * Decode as above (parse_decode_checked), then parse with libxml2's HTML
 * parser in recover mode (no network, no error output), elements below
 * PARSE_MAX_DEPTH flattened. Unlike parse_page_read, <noscript> content
 * stays in the tree (channel pages). url (may be NULL) is the document URL,
 * recorded as the document's base and used in error messages.
 * *doc_out is freed by the caller with xmlFreeDoc(). charset_out may be NULL.
 * Errors: those of parse_decode_to_utf8, VIGIL_ERR_PARSE when libxml2
 * returns no document at all (e.g. an empty body).
 */
enum vigil_code parse_html_read(const char *body, size_t len, const char *content_type,
				const char *url, htmlDocPtr *doc_out, char **charset_out,
				struct vigil_error *err);
/*
 * One HTML page read once (parser.h: parse_page_read). Links and metadata
 * read the tree as it is. The extraction removes junk from a tree, so each
 * of its attempts needs one of its own: the first one takes the page's
 * tree itself (most pages need no second attempt, and a copy of the tree
 * costs about a quarter of a parse), and a second attempt reads the tree
 * again from text (parse_page_tree) and works on copies of that. So read
 * links before extracting; whatever reads the page after its extraction
 * gets the same tree, read again.
 */
struct parse_page {
	htmlDocPtr doc;        /* the tree, the <noscript> elements cut out;
				  NULL once the extraction used it up */
	char *text;            /* the UTF-8 text doc was read from */
	size_t text_len;
	char *url;             /* the page's URL (base of its links), or NULL */
	char *charset;         /* the charset the bytes were decoded from */
	struct parse_read_notes notes;
	size_t body_len;       /* bytes read */
	size_t control_bytes;  /* of them, bytes no text page has (binary) */
	/* The content of each <noscript> element cut out before parsing
	 * (html.c says why), one after the other, each NUL-terminated, or
	 * NULL; a comment PARSE_NOSCRIPT_MARK in the tree stands where each
	 * was, so that links read it in document order. */
	char *noscript;
	size_t noscript_len;
};
/* page->doc, read again from page->text when the extraction used it up
 * (the same tree: the same text, limits and marks); NULL out of memory. */
htmlDocPtr parse_page_tree(struct parse_page *page);
#define PARSE_NOSCRIPT_MARK "vigil:noscript"

/* The tree of a piece of HTML that is UTF-8 already (a <noscript>'s
 * content), with the depth and size limits of parse_html_read; NULL when
 * there is no document or no memory. Freed with xmlFreeDoc(). */
htmlDocPtr parse_html_fragment(const char *text, size_t len);

/* ---- shared by extract.c and extract_meta.c (main text and metadata) ---- */

/* Value of attribute name of element n, borrowed from the tree, or NULL. */
const char *parse_attr(xmlNodePtr n, const char *name);

/* Text with whitespace runs (including U+00A0) collapsed to one space and
 * trimmed; malloc'd, NULL on OOM. len may be (size_t)-1 for strlen. */
char *parse_collapse_space(const char *text, size_t len);

/* Text content of n (scripts and styles skipped), collapsed as above;
 * malloc'd, NULL on OOM. */
char *parse_node_text(xmlNodePtr n);

/* Lower-case copy of UTF-8 text: ASCII, Cyrillic (with Kazakh letters and
 * Ё) and Latin-1 letters; malloc'd, NULL on OOM. */
char *parse_utf8_lower(const char *text);

/* 0..1: how much of b's words also occur in a (Readability's measure);
 * -1 when out of memory. */
double parse_text_similarity(const char *a, const char *b);

/*
 * Fill the metadata fields of out (title, author, published and
 * published_source, language when declared, canonical_url, description,
 * site_name) from an untouched tree. fetched_at is the fetch time (seconds
 * since the epoch; 0 when unknown: then relative dates are not read and no
 * date is refused as future). *body_hint receives JSON-LD articleBody
 * (malloc'd) or NULL. Only VIGIL_ERR_NOMEM is possible; then out may be
 * partly filled.
 */
enum vigil_code parse_meta_collect(htmlDocPtr doc, const char *url, int64_t fetched_at,
				   struct parse_document *out, char **body_hint);

/* What dates.c needs besides the tree; every pointer may be NULL. */
struct parse_date_page {
	xmlNodePtr headline;          /* the headline element */
	const char *url;              /* the page's URL */
	const char *language;         /* declared language ("en-US", "ru") */
	const char *jsonld_published; /* datePublished of the JSON-LD article */
	const char *jsonld_modified;  /* its dateModified */
	int64_t fetched_at;           /* as for parse_meta_collect */
};

/*
 * The publication date of the page (dates.c): ISO 8601 as the page gives
 * it (its own offset kept) into *published and the evidence it came from
 * ("json-ld", "microdata", "meta:article:published_time", "time", "abbr",
 * "text", "url", "image-url", "script"; "+text"/"+url" appended when the
 * printed local day replaced a UTC day) into *source; both malloc'd, both
 * NULL when there is no date. VIGIL_ERR_NOMEM or VIGIL_OK.
 */
enum vigil_code parse_date_choose(htmlDocPtr doc, const struct parse_date_page *page,
				  char **published, char **source);

/* First date in text ("18.04.2024", "18 апреля 2024, 10:15", "april 18,
 * 2024", "10:15, 18.04.2024", "3. märz 2021", "2021年4月5日"; the forms of
 * vigil_date_read_text without relative ones, years 1990-2100) as ISO 8601
 * into *date (malloc'd; NULL when there is none). VIGIL_ERR_NOMEM or
 * VIGIL_OK. */
enum vigil_code parse_find_date(const char *text, char **date);

/* ---- language.c ---- */

/* ISO 639-1 code of the language of text ("ru", "kk" for Cyrillic and
 * Latin Kazakh, "uk", "en", "de", "fr", "es", "it", "pl", "pt"; by script
 * "el", "hy", "he", "ar", "hi", "bn", "th", "ka", "ko", "ja", "zh"), or
 * NULL when it has no letters. Latin text without evidence is "en". */
const char *parse_guess_language(const char *text);
/* The same, and *confident = 1 when the text gave clear evidence (enough
 * function words or letters, well ahead of the runner-up): then it beats
 * a page's declared language, which sites often leave at their default. */
const char *parse_text_language(const char *text, int *confident);

#endif
