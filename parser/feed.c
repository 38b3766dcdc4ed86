/*
 * feed.c: RSS 2.0 (and RSS 1.0/RDF), Atom 1.0 and sitemap.xml into
 * struct parse_feed.
 *
 * Charset: the bytes go through parse_decode_to_utf8 first (see
 * declared_charset), then libxml2 reads UTF-8 and ignores the declaration.
 *
 * Safety: the XML parser never loads a DTD or an external entity and never
 * substitutes entities (no XML_PARSE_NOENT, XML_PARSE_DTDLOAD or
 * XML_PARSE_HUGE, and XML_PARSE_NONET). Before parsing, every entity
 * reference in the markup is rewritten as a character reference: the five
 * XML ones and the HTML 4 names that Russian-language feeds use without
 * declaring them (&laquo; &nbsp; &mdash;) become &#N;, any other name and
 * any bare '&' become a literal '&'. That keeps feeds that are not quite
 * XML readable (libxml2 in recover mode silently drops every later entity,
 * even &amp;, once it has seen one error) and leaves no entity for a
 * billion-laughs or XXE document to expand.
 */
#include "parser.h"
#include "parser_int.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_ATOM03 "http://purl.org/atom/ns#"
#define NS_RSS10 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_NEWS "http://www.google.com/schemas/sitemap-news/0.9"

/* HTML 4 entity names (Python's html.entities.name2codepoint), sorted for
 * bsearch. */
struct feed_entity {
	const char *name;
	int code;
};

static const struct feed_entity html_entities[] = {
	{"AElig", 198}, {"Aacute", 193}, {"Acirc", 194}, {"Agrave", 192}, {"Alpha", 913},
	{"Aring", 197}, {"Atilde", 195}, {"Auml", 196}, {"Beta", 914}, {"Ccedil", 199},
	{"Chi", 935}, {"Dagger", 8225}, {"Delta", 916}, {"ETH", 208}, {"Eacute", 201},
	{"Ecirc", 202}, {"Egrave", 200}, {"Epsilon", 917}, {"Eta", 919}, {"Euml", 203},
	{"Gamma", 915}, {"Iacute", 205}, {"Icirc", 206}, {"Igrave", 204}, {"Iota", 921},
	{"Iuml", 207}, {"Kappa", 922}, {"Lambda", 923}, {"Mu", 924}, {"Ntilde", 209},
	{"Nu", 925}, {"OElig", 338}, {"Oacute", 211}, {"Ocirc", 212}, {"Ograve", 210},
	{"Omega", 937}, {"Omicron", 927}, {"Oslash", 216}, {"Otilde", 213}, {"Ouml", 214},
	{"Phi", 934}, {"Pi", 928}, {"Prime", 8243}, {"Psi", 936}, {"Rho", 929},
	{"Scaron", 352}, {"Sigma", 931}, {"THORN", 222}, {"Tau", 932}, {"Theta", 920},
	{"Uacute", 218}, {"Ucirc", 219}, {"Ugrave", 217}, {"Upsilon", 933}, {"Uuml", 220},
	{"Xi", 926}, {"Yacute", 221}, {"Yuml", 376}, {"Zeta", 918}, {"aacute", 225},
	{"acirc", 226}, {"acute", 180}, {"aelig", 230}, {"agrave", 224}, {"alefsym", 8501},
	{"alpha", 945}, {"and", 8743}, {"ang", 8736}, {"aring", 229}, {"asymp", 8776},
	{"atilde", 227}, {"auml", 228}, {"bdquo", 8222}, {"beta", 946}, {"brvbar", 166},
	{"bull", 8226}, {"cap", 8745}, {"ccedil", 231}, {"cedil", 184}, {"cent", 162},
	{"chi", 967}, {"circ", 710}, {"clubs", 9827}, {"cong", 8773}, {"copy", 169},
	{"crarr", 8629}, {"cup", 8746}, {"curren", 164}, {"dArr", 8659}, {"dagger", 8224},
	{"darr", 8595}, {"deg", 176}, {"delta", 948}, {"diams", 9830}, {"divide", 247},
	{"eacute", 233}, {"ecirc", 234}, {"egrave", 232}, {"empty", 8709}, {"emsp", 8195},
	{"ensp", 8194}, {"epsilon", 949}, {"equiv", 8801}, {"eta", 951}, {"eth", 240},
	{"euml", 235}, {"euro", 8364}, {"exist", 8707}, {"fnof", 402}, {"forall", 8704},
	{"frac12", 189}, {"frac14", 188}, {"frac34", 190}, {"frasl", 8260}, {"gamma", 947},
	{"ge", 8805}, {"hArr", 8660}, {"harr", 8596}, {"hearts", 9829}, {"hellip", 8230},
	{"iacute", 237}, {"icirc", 238}, {"iexcl", 161}, {"igrave", 236}, {"image", 8465},
	{"infin", 8734}, {"int", 8747}, {"iota", 953}, {"iquest", 191}, {"isin", 8712},
	{"iuml", 239}, {"kappa", 954}, {"lArr", 8656}, {"lambda", 955}, {"lang", 9001},
	{"laquo", 171}, {"larr", 8592}, {"lceil", 8968}, {"ldquo", 8220}, {"le", 8804},
	{"lfloor", 8970}, {"lowast", 8727}, {"loz", 9674}, {"lrm", 8206}, {"lsaquo", 8249},
	{"lsquo", 8216}, {"macr", 175}, {"mdash", 8212}, {"micro", 181}, {"middot", 183},
	{"minus", 8722}, {"mu", 956}, {"nabla", 8711}, {"nbsp", 160}, {"ndash", 8211},
	{"ne", 8800}, {"ni", 8715}, {"not", 172}, {"notin", 8713}, {"nsub", 8836},
	{"ntilde", 241}, {"nu", 957}, {"oacute", 243}, {"ocirc", 244}, {"oelig", 339},
	{"ograve", 242}, {"oline", 8254}, {"omega", 969}, {"omicron", 959}, {"oplus", 8853},
	{"or", 8744}, {"ordf", 170}, {"ordm", 186}, {"oslash", 248}, {"otilde", 245},
	{"otimes", 8855}, {"ouml", 246}, {"para", 182}, {"part", 8706}, {"permil", 8240},
	{"perp", 8869}, {"phi", 966}, {"pi", 960}, {"piv", 982}, {"plusmn", 177},
	{"pound", 163}, {"prime", 8242}, {"prod", 8719}, {"prop", 8733}, {"psi", 968},
	{"rArr", 8658}, {"radic", 8730}, {"rang", 9002}, {"raquo", 187}, {"rarr", 8594},
	{"rceil", 8969}, {"rdquo", 8221}, {"real", 8476}, {"reg", 174}, {"rfloor", 8971},
	{"rho", 961}, {"rlm", 8207}, {"rsaquo", 8250}, {"rsquo", 8217}, {"sbquo", 8218},
	{"scaron", 353}, {"sdot", 8901}, {"sect", 167}, {"shy", 173}, {"sigma", 963},
	{"sigmaf", 962}, {"sim", 8764}, {"spades", 9824}, {"sub", 8834}, {"sube", 8838},
	{"sum", 8721}, {"sup", 8835}, {"sup1", 185}, {"sup2", 178}, {"sup3", 179},
	{"supe", 8839}, {"szlig", 223}, {"tau", 964}, {"there4", 8756}, {"theta", 952},
	{"thetasym", 977}, {"thinsp", 8201}, {"thorn", 254}, {"tilde", 732}, {"times", 215},
	{"trade", 8482}, {"uArr", 8657}, {"uacute", 250}, {"uarr", 8593}, {"ucirc", 251},
	{"ugrave", 249}, {"uml", 168}, {"upsih", 978}, {"upsilon", 965}, {"uuml", 252},
	{"weierp", 8472}, {"xi", 958}, {"yacute", 253}, {"yen", 165}, {"yuml", 255},
	{"zeta", 950}, {"zwj", 8205}, {"zwnj", 8204},
};

static int entity_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct feed_entity *)elem)->name);
}

/* Code point of the named reference name[0..n), or -1 when unknown. */
static int entity_code(const char *name, size_t n)
{
	static const struct feed_entity xml_entities[] = {
		{ "amp", '&' }, { "apos", '\'' }, { "gt", '>' }, { "lt", '<' }, { "quot", '"' },
	};
	const struct feed_entity *found;
	char key[16];

	if (n == 0 || n >= sizeof(key))
		return -1;
	memcpy(key, name, n);
	key[n] = '\0';
	for (size_t i = 0; i < sizeof(xml_entities) / sizeof(xml_entities[0]); i++)
		if (strcmp(key, xml_entities[i].name) == 0)
			return xml_entities[i].code;
	found = bsearch(key, html_entities, sizeof(html_entities) / sizeof(html_entities[0]),
			sizeof(html_entities[0]), entity_cmp);
	return found ? found->code : -1;
}

static size_t skip_section(const char *body, size_t len, size_t i, const char *open,
			   const char *close)
{
	size_t olen = strlen(open);
	const char *end;

	if (len - i < olen || memcmp(body + i, open, olen) != 0)
		return 0;
	end = memmem(body + i + olen, len - i - olen, close, strlen(close));
	return end ? (size_t)(end - body) + strlen(close) : len;
}

/* See the comment at the top. CDATA sections, comments and processing
 * instructions are copied untouched. */
static enum vigil_code rewrite_entities(const char *body, size_t len, struct vigil_buf *out)
{
	size_t i = 0, copied = 0;
	enum vigil_code code;

	/* A bare '&' grows to five bytes; anything beyond twice the input is
	 * not a feed. */
	out->limit = 2 * len + 4096;
	while (i < len) {
		size_t name = i + 1, end;
		int cp = -1;
		char ref[16];

		if (body[i] == '<') {
			size_t next = skip_section(body, len, i, "<![CDATA[", "]]>");

			if (!next)
				next = skip_section(body, len, i, "<!--", "-->");
			if (!next)
				next = skip_section(body, len, i, "<?", "?>");
			i = next ? next : i + 1;
			continue;
		}
		if (body[i] != '&') {
			i++;
			continue;
		}
		code = vigil_buf_append(out, body + copied, i - copied);
		if (code)
			return code;
		if (name < len && body[name] == '#') {
			int hex = name + 1 < len && (body[name + 1] == 'x' || body[name + 1] == 'X');

			end = name + 1 + (size_t)hex;
			while (end < len && end - name < 10 &&
			       (hex ? isxdigit((unsigned char)body[end]) : isdigit((unsigned char)body[end])))
				end++;
			if (end < len && body[end] == ';' && end > name + 1 + (size_t)hex) {
				/* Already a character reference: keep it. */
				code = vigil_buf_append(out, body + i, end + 1 - i);
				if (code)
					return code;
				i = copied = end + 1;
				continue;
			}
		} else {
			end = name;
			while (end < len && end - name < 16 && isalnum((unsigned char)body[end]))
				end++;
			if (end < len && body[end] == ';' && end > name &&
			    isalpha((unsigned char)body[name]))
				cp = entity_code(body + name, end - name);
		}
		if (cp >= 0) {
			snprintf(ref, sizeof(ref), "&#%d;", cp);
			code = vigil_buf_append_str(out, ref);
			i = end + 1;
		} else {
			/* Unknown name or bare '&': a literal ampersand. */
			code = vigil_buf_append_str(out, "&#38;");
			i++;
		}
		if (code)
			return code;
		copied = i;
	}
	return vigil_buf_append(out, body + copied, len - copied);
}

/* ---- plain text out of nodes ---- */

struct feed_text {
	struct vigil_buf buf;
	int space;  /* whitespace seen since the last character */
	int breaks; /* newlines owed before the next character (max 2) */
};

static enum vigil_code text_put(struct feed_text *t, const char *s)
{
	enum vigil_code code;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r')) {
			t->space = 1;
			continue;
		}
		if (p[0] == 0xC2 && p[1] == 0xA0) { /* U+00A0 no-break space */
			t->space = 1;
			p++;
			continue;
		}
		if (t->buf.len && t->breaks)
			code = vigil_buf_append(&t->buf, "\n\n", (size_t)t->breaks);
		else if (t->buf.len && t->space)
			code = vigil_buf_append(&t->buf, " ", 1);
		else
			code = VIGIL_OK;
		if (code || (code = vigil_buf_append(&t->buf, p, 1)))
			return code;
		t->space = t->breaks = 0;
	}
	return VIGIL_OK;
}

static int name_in(const xmlChar *name, const char *const *list)
{
	for (; *list; list++)
		if (strcasecmp((const char *)name, *list) == 0)
			return 1;
	return 0;
}

static const char *const block_names[] = {
	"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
	"blockquote", "pre", "section", "article", "header", "footer", "dl", "dt", "dd",
	"figure", "figcaption", "hr", "address", "aside", "nav", "main", NULL
};
static const char *const skipped_names[] = {
	"script", "style", "noscript", "template", "iframe", "object", "head", NULL
};

/*
 * Text of the children of parent, in document order, without recursion
 * (hostile nesting cannot exhaust the stack). With html set, block
 * elements end paragraphs ("\n\n"), <br> ends a line and script/style are
 * skipped. Entity reference nodes are never followed.
 */
static enum vigil_code text_walk(xmlNode *parent, int html, struct feed_text *t)
{
	xmlNode *n = parent->children;
	enum vigil_code code;

	while (n) {
		int descend = 0;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content && (code = text_put(t, (const char *)n->content)))
				return code;
		} else if (n->type == XML_ELEMENT_NODE) {
			if (!html) {
				descend = 1;
			} else if (strcasecmp((const char *)n->name, "br") == 0) {
				if (t->breaks < 2)
					t->breaks++;
			} else if (!name_in(n->name, skipped_names)) {
				descend = 1;
				if (name_in(n->name, block_names))
					t->breaks = 2;
			}
		}
		if (descend && n->children) {
			n = n->children;
			continue;
		}
		while (n != parent && !n->next) {
			n = n->parent;
			if (n != parent && html && n->type == XML_ELEMENT_NODE &&
			    name_in(n->name, block_names))
				t->breaks = 2;
		}
		n = n == parent ? NULL : n->next;
	}
	return VIGIL_OK;
}

/* The finished text, or NULL when it is empty. */
static char *text_finish(struct feed_text *t)
{
	if (t->buf.len == 0) {
		vigil_buf_release(&t->buf);
		return NULL;
	}
	return vigil_buf_detach(&t->buf);
}

/* ---- the builder ---- */

struct feed_builder {
	struct parse_feed *feed;
	size_t cap;
	const char *base_url;
	char **seen;      /* open-addressing set of item URLs (owned by items) */
	size_t seen_cap;
	int oom;          /* an allocation failed somewhere: give up at the end */
};

/* Every string helper below returns NULL both for "absent" and on
 * allocation failure; the latter also sets b->oom. */
static char *text_of(struct feed_builder *b, xmlNode *el, int html)
{
	struct feed_text t = { VIGIL_BUF_INIT, 0, 0 };

	t.buf.limit = PARSE_MAX_BODY;
	if (!el)
		return NULL;
	if (text_walk(el, html, &t)) {
		vigil_buf_release(&t.buf);
		b->oom = 1;
		return NULL;
	}
	return text_finish(&t);
}

/* HTML held as text (an RSS description, an escaped title) to plain text. */
static char *html_to_text(struct feed_builder *b, const char *html)
{
	struct feed_text t = { VIGIL_BUF_INIT, 0, 0 };
	htmlDocPtr doc;
	xmlNode *root;
	size_t len = strlen(html);

	t.buf.limit = PARSE_MAX_BODY;
	if (!strpbrk(html, "<&")) {
		if (text_put(&t, html)) {
			vigil_buf_release(&t.buf);
			b->oom = 1;
			return NULL;
		}
		return text_finish(&t);
	}
	if (len > INT_MAX)
		return NULL;
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			     HTML_PARSE_NONET);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root && text_walk(root, 1, &t)) {
		vigil_buf_release(&t.buf);
		b->oom = 1;
	}
	xmlFreeDoc(doc);
	return text_finish(&t);
}

/* An element's text read as HTML when it looks like markup. */
static char *html_text_of(struct feed_builder *b, xmlNode *el)
{
	char *raw = text_of(b, el, 0), *text;

	if (!raw || !strpbrk(raw, "<&"))
		return raw;
	text = html_to_text(b, raw);
	free(raw);
	return text;
}

static int is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int ns_is(const xmlNode *n, const char *href)
{
	return n->ns && n->ns->href && strcmp((const char *)n->ns->href, href) == 0;
}

static int rss_elem(const xmlNode *n, const char *name)
{
	return is_elem(n, name) && (!n->ns || ns_is(n, NS_RSS10) || ns_is(n, NS_RSS090));
}

static int atom_elem(const xmlNode *n, const char *name)
{
	return is_elem(n, name) && (!n->ns || ns_is(n, NS_ATOM) || ns_is(n, NS_ATOM03));
}

static int sitemap_elem(const xmlNode *n, const char *name)
{
	return is_elem(n, name) &&
	       (!n->ns || (n->ns->href &&
			   (strncmp((const char *)n->ns->href,
				    "http://www.sitemaps.org/schemas/sitemap/", 40) == 0 ||
			    strncmp((const char *)n->ns->href,
				    "http://www.google.com/schemas/sitemap/", 38) == 0)));
}

static xmlNode *child(xmlNode *parent, int (*match)(const xmlNode *, const char *),
		      const char *name)
{
	for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
		if (match(n, name))
			return n;
	return NULL;
}

static int match_dc(const xmlNode *n, const char *name)
{
	return is_elem(n, name) && ns_is(n, NS_DC);
}

static int match_content(const xmlNode *n, const char *name)
{
	return is_elem(n, name) && ns_is(n, NS_CONTENT);
}

static int match_news(const xmlNode *n, const char *name)
{
	return is_elem(n, name) && ns_is(n, NS_NEWS);
}

/* The base URL in effect at node: base_url with every xml:base from the
 * root down applied. Malloc'd or NULL. */
static char *node_base(struct feed_builder *b, xmlNode *node)
{
	struct vigil_error url_err = { 0 };
	char *outer, *resolved;
	xmlChar *attr;

	if (!node || node->type != XML_ELEMENT_NODE) {
		outer = vigil_strdup(b->base_url);
		if (b->base_url && !outer)
			b->oom = 1;
		return outer;
	}
	/* libxml2 caps element depth at 256 without XML_PARSE_HUGE, which
	 * bounds this recursion. */
	outer = node_base(b, node->parent);
	attr = xmlGetNsProp(node, (const xmlChar *)"base", XML_XML_NAMESPACE);
	if (!attr)
		return outer;
	resolved = vigil_url_resolve(outer, (const char *)attr, &url_err);
	xmlFree(attr);
	if (!resolved) {
		/* A bad xml:base is ignored; running out of memory is not. */
		if (url_err.code == VIGIL_ERR_NOMEM)
			b->oom = 1;
		return outer;
	}
	free(outer);
	return resolved;
}

/* ref (may be NULL) resolved against the base in effect at node. */
static char *resolve_at(struct feed_builder *b, xmlNode *node, const char *ref)
{
	struct vigil_error url_err = { 0 };
	char *base, *url;

	if (!ref || !*ref)
		return NULL;
	base = node_base(b, node);
	url = vigil_url_resolve(base, ref, &url_err);
	free(base);
	/* An item whose URL is lost to out-of-memory must fail the feed, not
	 * vanish from it: the crawl would miss the article and say all is well. */
	if (!url && url_err.code == VIGIL_ERR_NOMEM)
		b->oom = 1;
	return url;
}

/* ---- dates ---- */

static char *format_when(struct feed_builder *b, int64_t when)
{
	char text[32], *copy;

	vigil_format_time(when, text);
	copy = strdup(text);
	if (!copy)
		b->oom = 1;
	return copy;
}

/* W3C / RFC 3339 dates: "YYYY-MM-DD" stays a date, a date with a time
 * becomes UTC "YYYY-MM-DDTHH:MM:SSZ". */
static char *iso_date(struct feed_builder *b, const char *text)
{
	const char *p = text;
	int64_t when;
	char *copy;

	if (!p)
		return NULL;
	while (isspace((unsigned char)*p))
		p++;
	if (vigil_parse_time(p, &when) != 0)
		return NULL;
	/* Parsed, so p[0..10) is the date; a date alone may only have spaces
	 * after it ("2024-04-18 10:00" has a time). */
	if (p[10 + strspn(p + 10, " \t\r\n\f\v")] == '\0') {
		copy = strndup(p, 10);
		if (!copy)
			b->oom = 1;
		return copy;
	}
	return format_when(b, when);
}

static char *rss_date(struct feed_builder *b, xmlNode *el)
{
	char *raw = text_of(b, el, 0), *out = NULL;
	int64_t when;

	if (!raw)
		return NULL;
	if (vigil_parse_rfc822_time(raw, &when) == 0)
		out = format_when(b, when);
	else
		out = iso_date(b, raw);
	free(raw);
	return out;
}

static char *w3c_date(struct feed_builder *b, xmlNode *el)
{
	char *raw = text_of(b, el, 0), *out;

	out = iso_date(b, raw);
	free(raw);
	return out;
}

/* ---- items ---- */

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* 1 when url was already seen, 0 after recording it, -1 on OOM. */
static int seen_before(struct feed_builder *b, char *url)
{
	size_t mask, i;

	if (2 * (b->feed->count + 1) > b->seen_cap) {
		size_t cap = b->seen_cap ? 2 * b->seen_cap : 64;
		char **slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return -1;
		for (size_t k = 0; k < b->seen_cap; k++) {
			if (!b->seen[k])
				continue;
			for (i = hash_text(b->seen[k]) & (cap - 1); slots[i]; i = (i + 1) & (cap - 1))
				;
			slots[i] = b->seen[k];
		}
		free(b->seen);
		b->seen = slots;
		b->seen_cap = cap;
	}
	mask = b->seen_cap - 1;
	for (i = hash_text(url) & mask; b->seen[i]; i = (i + 1) & mask)
		if (strcmp(b->seen[i], url) == 0)
			return 1;
	b->seen[i] = url;
	return 0;
}

/* Takes ownership of every string. Items without a URL and repeated URLs
 * are dropped. */
static void add_item(struct feed_builder *b, char *url, char *title, char *published,
		     char *summary)
{
	struct parse_feed *feed = b->feed;
	struct parse_feed_item *item;
	int seen = 0;

	if (!url || b->oom || (seen = seen_before(b, url)) != 0) {
		if (url && !b->oom && seen < 0)
			b->oom = 1;
		goto drop;
	}
	if (feed->count == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;
		struct parse_feed_item *grown = realloc(feed->items, cap * sizeof(*grown));

		if (!grown) {
			/* url stays in the seen set as a dangling pointer, but
			 * once oom is set the set is never read again. */
			b->oom = 1;
			goto drop;
		}
		feed->items = grown;
		b->cap = cap;
	}
	item = &feed->items[feed->count++];
	item->url = url;
	item->title = title;
	item->published = published;
	item->summary = summary;
	return;
drop:
	free(url);
	free(title);
	free(published);
	free(summary);
}

/* ---- the formats ---- */

static int attr_is(xmlNode *n, const char *name, const char *value)
{
	xmlChar *attr = xmlGetProp(n, (const xmlChar *)name);
	int same = attr && strcasecmp((const char *)attr, value) == 0;

	xmlFree(attr);
	return same;
}

/* An element's text as a URL resolved at that element. */
static char *url_of(struct feed_builder *b, xmlNode *el)
{
	char *raw = text_of(b, el, 0), *url;

	url = resolve_at(b, el, raw);
	free(raw);
	return url;
}

static void rss_item(struct feed_builder *b, xmlNode *item)
{
	char *url = url_of(b, child(item, rss_elem, "link"));
	xmlNode *guid = child(item, rss_elem, "guid"), *body;
	char *published, *summary;

	if (!url && guid && !attr_is(guid, "isPermaLink", "false"))
		url = url_of(b, guid);
	if (!url) {
		/* RSS 1.0 names the item by its rdf:about. */
		xmlChar *about = xmlGetProp(item, (const xmlChar *)"about");

		url = resolve_at(b, item, (const char *)about);
		xmlFree(about);
	}
	published = rss_date(b, child(item, rss_elem, "pubDate"));
	if (!published)
		published = w3c_date(b, child(item, match_dc, "date"));
	body = child(item, rss_elem, "description");
	if (!body)
		body = child(item, match_content, "encoded");
	summary = html_text_of(b, body);
	add_item(b, url, html_text_of(b, child(item, rss_elem, "title")), published, summary);
}

static void parse_rss(struct feed_builder *b, xmlNode *root)
{
	xmlNode *channel = child(root, rss_elem, "channel");

	b->feed->title = html_text_of(b, child(channel, rss_elem, "title"));
	/* RSS 2.0 keeps items in <channel>; RSS 1.0 and broken feeds put them
	 * next to it. */
	for (xmlNode *n = channel ? channel->children : NULL; n; n = n->next)
		if (rss_elem(n, "item"))
			rss_item(b, n);
	for (xmlNode *n = root->children; n; n = n->next)
		if (rss_elem(n, "item"))
			rss_item(b, n);
}

/* Atom text constructs: type="text" (default), "html" or "xhtml". */
static char *atom_text(struct feed_builder *b, xmlNode *el)
{
	char *raw, *text;

	if (!el)
		return NULL;
	if (attr_is(el, "type", "xhtml") || attr_is(el, "type", "application/xhtml+xml"))
		return text_of(b, el, 1);
	if (!attr_is(el, "type", "html") && !attr_is(el, "type", "text/html"))
		return text_of(b, el, 0);
	raw = text_of(b, el, 0);
	if (!raw)
		return NULL;
	text = html_to_text(b, raw);
	free(raw);
	return text;
}

static char *atom_link(struct feed_builder *b, xmlNode *entry)
{
	xmlNode *chosen = NULL;
	xmlChar *href;
	char *url;

	for (xmlNode *n = entry->children; n; n = n->next) {
		xmlChar *rel;

		if (!atom_elem(n, "link") || !xmlHasProp(n, (const xmlChar *)"href"))
			continue;
		rel = xmlGetProp(n, (const xmlChar *)"rel");
		if (!rel || strcmp((const char *)rel, "alternate") == 0) {
			xmlFree(rel);
			chosen = n;
			break;
		}
		xmlFree(rel);
		if (!chosen)
			chosen = n;
	}
	if (!chosen) {
		/* An http(s) <id> is the entry's address too. */
		url = url_of(b, child(entry, atom_elem, "id"));
		return url;
	}
	href = xmlGetProp(chosen, (const xmlChar *)"href");
	url = resolve_at(b, chosen, (const char *)href);
	xmlFree(href);
	return url;
}

static void parse_atom(struct feed_builder *b, xmlNode *root)
{
	b->feed->title = atom_text(b, child(root, atom_elem, "title"));
	for (xmlNode *n = root->children; n; n = n->next) {
		char *url, *published, *summary;

		if (!atom_elem(n, "entry"))
			continue;
		url = atom_link(b, n);
		published = w3c_date(b, child(n, atom_elem, "published"));
		if (!published)
			published = w3c_date(b, child(n, atom_elem, "updated"));
		if (!published)
			published = w3c_date(b, child(n, atom_elem, "issued")); /* Atom 0.3 */
		summary = atom_text(b, child(n, atom_elem, "summary"));
		if (!summary)
			summary = atom_text(b, child(n, atom_elem, "content"));
		add_item(b, url, atom_text(b, child(n, atom_elem, "title")), published, summary);
	}
}

/* <urlset><url><loc> with Google News titles and dates when present, or
 * <sitemapindex><sitemap><loc> (then the items are sitemaps). */
static void parse_sitemap(struct feed_builder *b, xmlNode *root, const char *entry_name)
{
	for (xmlNode *n = root->children; n; n = n->next) {
		xmlNode *news;
		char *title = NULL, *published = NULL;

		if (!sitemap_elem(n, entry_name))
			continue;
		news = child(n, match_news, "news");
		if (news) {
			title = text_of(b, child(news, match_news, "title"), 0);
			published = w3c_date(b, child(news, match_news, "publication_date"));
		}
		if (!published)
			published = w3c_date(b, child(n, sitemap_elem, "lastmod"));
		add_item(b, url_of(b, child(n, sitemap_elem, "loc")), title, published, NULL);
	}
}

/*
 * The charset named by the XML declaration, as a Content-Type for
 * parse_decode_to_utf8 ("" when there is none). The bytes are decoded by
 * the same rules as HTML (BOM, valid UTF-8, this declaration, then
 * windows-1251), so a UTF-8 feed left with a windows-1251 declaration in
 * its template and a windows-1251 feed with no declaration both read right.
 */
static void declared_charset(const char *body, size_t len, char out[64])
{
	size_t n = len < 512 ? len : 512, k = 0;
	const char *end, *p;

	out[0] = '\0';
	if (n >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
		body += 3;
		n -= 3;
	}
	if (n < 5 || memcmp(body, "<?xml", 5) != 0 || !(end = memmem(body, n, "?>", 2)))
		return;
	p = memmem(body, (size_t)(end - body), "encoding", 8);
	if (!p)
		return;
	p += 8;
	while (p < end && (*p == ' ' || *p == '=' || *p == '"' || *p == '\''))
		p++;
	memcpy(out, "text/xml; charset=", 18);
	k = 18;
	while (p < end && k < 63 && (isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
				     *p == '.' || *p == ':'))
		out[k++] = *p++;
	out[k] = '\0';
	if (k == 18)
		out[0] = '\0';
}

enum vigil_code parse_feed(const char *body, size_t len, const char *base_url,
			   struct parse_feed *out, struct vigil_error *err)
{
	struct feed_builder b = { out, 0, base_url, NULL, 0, 0 };
	struct vigil_buf clean = VIGIL_BUF_INIT;
	const char *name = base_url ? base_url : "(no url)";
	char content_type[64], *text = NULL;
	size_t text_len = 0;
	enum vigil_code code = VIGIL_OK;
	xmlDocPtr doc = NULL;
	xmlNode *root;

	memset(out, 0, sizeof(*out));
	if (!body || len == 0)
		return vigil_error_set(err, VIGIL_ERR_PARSE, "feed %s: empty body", name);
	if (len > PARSE_MAX_BODY)
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE,
				       "feed %s: %zu bytes is over the %zu-byte limit", name, len,
				       PARSE_MAX_BODY);
	declared_charset(body, len, content_type);
	code = parse_decode_to_utf8(body, len, content_type[0] ? content_type : NULL, &text,
				    &text_len, NULL, err);
	if (code) {
		vigil_error_prefix(err, "feed %s", name);
		return code;
	}
	code = rewrite_entities(text, text_len, &clean);
	free(text);
	text = NULL;
	if (code == VIGIL_ERR_TOO_LARGE) {
		code = vigil_error_set(err, VIGIL_ERR_PARSE, "feed %s: not XML (too many bare '&')",
				       name);
		goto done;
	}
	if (code) {
		code = vigil_error_set(err, code, "feed %s: out of memory", name);
		goto done;
	}
	/* The text is UTF-8 now, whatever the declaration says. */
	doc = xmlReadMemory(clean.data, (int)clean.len, base_url, "UTF-8",
			    XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		code = vigil_error_set(err, VIGIL_ERR_PARSE, "feed %s: not XML", name);
		goto done;
	}
	if (is_elem(root, "rss") || is_elem(root, "RDF")) {
		parse_rss(&b, root);
	} else if (atom_elem(root, "feed")) {
		parse_atom(&b, root);
	} else if (sitemap_elem(root, "urlset")) {
		parse_sitemap(&b, root, "url");
	} else if (sitemap_elem(root, "sitemapindex")) {
		out->is_index = 1;
		parse_sitemap(&b, root, "sitemap");
	} else {
		code = vigil_error_set(err, VIGIL_ERR_PARSE,
				       "feed %s: not RSS, Atom or a sitemap (root element <%.64s>)",
				       name, (const char *)root->name);
	}
	if (!code && b.oom)
		code = vigil_error_set(err, VIGIL_ERR_NOMEM, "feed %s: out of memory", name);
done:
	if (code)
		parse_feed_release(out);
	free(b.seen);
	xmlFreeDoc(doc);
	vigil_buf_release(&clean);
	free(text);
	return code;
}

void parse_feed_release(struct parse_feed *feed)
{
	if (!feed)
		return;
	for (size_t i = 0; i < feed->count; i++) {
		free(feed->items[i].url);
		free(feed->items[i].title);
		free(feed->items[i].published);
		free(feed->items[i].summary);
	}
	free(feed->items);
	free(feed->title);
	memset(feed, 0, sizeof(*feed));
}
