/*
 * channel.c: the posts of a public channel page in Telegram's preview
 * markup (t.me/s/NAME).
 *
 * A post is an element whose class list has "tgme_widget_message" and whose
 * data-post is "NAME/NUMBER". Inside it: the text in the
 * "tgme_widget_message_text" element that is not part of a quoted reply
 * (<br> kept as newlines), the date in <time datetime> (preferably inside
 * the "tgme_widget_message_date" link, whose href is the permalink), the
 * author signature ("tgme_widget_message_from_author") or the channel name
 * ("tgme_widget_message_owner_name"). A post without text (a photo, a
 * sticker) is still a post, with text "". The history crawl also needs the
 * views, the "edited" mark, the forwarded-from line, the links, the album
 * members and the id range the page covers; parse_channel_embed reads a
 * single post's embed page, whose error block confirms a deletion.
 */
#include "parser.h"
#include "parser_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Real pages hold about 20 posts; the cap bounds the duplicate check. */
#define CHANNEL_MAX_POSTS 2000
#define CHANNEL_DEFAULT_ORIGIN "https://t.me"

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

static int has_class(xmlNode *n, const char *token)
{
	const char *list = n->type == XML_ELEMENT_NODE ? parse_attr(n, "class") : NULL;
	size_t tlen = strlen(token);

	while (list && *list) {
		const char *start;

		while (*list == ' ' || (*list >= '\t' && *list <= '\r'))
			list++;
		start = list;
		while (*list && *list != ' ' && !(*list >= '\t' && *list <= '\r'))
			list++;
		if ((size_t)(list - start) == tlen && memcmp(start, token, tlen) == 0)
			return 1;
	}
	return 0;
}

/* The first element below top (top excluded) with class token, not looking
 * inside elements that have class skip (may be NULL). */
static xmlNode *find_class(xmlNode *top, const char *token, const char *skip)
{
	xmlNode *n = top->children;

	while (n) {
		int descend = 1;

		if (n->type == XML_ELEMENT_NODE) {
			if (has_class(n, token))
				return n;
			if (skip && has_class(n, skip))
				descend = 0;
		}
		n = next_node(n, top, descend);
	}
	return NULL;
}

static xmlNode *find_element(xmlNode *top, const char *name)
{
	for (xmlNode *n = top->children; n; n = next_node(n, top, 1))
		if (is_element(n, name))
			return n;
	return NULL;
}

/* Post numbers above this are not Telegram's (ids are 32-bit). */
#define CHANNEL_MAX_NUMBER 100000000000LL

/* The digits s[0..len) as a number, or -1 (none, too many, too large). */
static long long digits_number(const char *s, size_t len)
{
	long long n = 0;

	if (len == 0 || len > 12)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	return n <= CHANNEL_MAX_NUMBER ? n : -1;
}

/* "NAME/NUMBER" with a Telegram user name (letters, digits, '_'). */
static int valid_post_id(const char *id)
{
	const char *slash = id ? strchr(id, '/') : NULL;

	if (!slash || slash == id || !slash[1])
		return 0;
	for (const char *p = id; p < slash; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return digits_number(slash + 1, strlen(slash + 1)) >= 0;
}

/* ---- message text: whitespace collapsed, <br> and blocks as newlines ---- */

struct channel_text {
	struct vigil_buf buf;
	int space;
	int breaks; /* newlines owed before the next character (max 2) */
};

static enum vigil_code text_put(struct channel_text *t, const char *s)
{
	enum vigil_code code;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r')) {
			t->space = 1;
			continue;
		}
		if (p[0] == 0xC2 && p[1] == 0xA0) { /* U+00A0 */
			t->space = 1;
			p++;
			continue;
		}
		code = VIGIL_OK;
		if (t->buf.len && t->breaks)
			code = vigil_buf_append(&t->buf, "\n\n", (size_t)t->breaks);
		else if (t->buf.len && t->space)
			code = vigil_buf_append(&t->buf, " ", 1);
		if (code || (code = vigil_buf_append(&t->buf, p, 1)))
			return code;
		t->space = t->breaks = 0;
	}
	return VIGIL_OK;
}

static int is_block(const xmlNode *n)
{
	static const char *const names[] = { "p", "div", "blockquote", "pre", "li", "ul", "ol",
					     "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
					     NULL };

	for (const char *const *name = names; *name; name++)
		if (is_element(n, *name))
			return 1;
	return 0;
}

/* Text of el's children; malloc'd ("" when none), NULL on OOM. */
static char *message_text(xmlNode *el)
{
	struct channel_text t = { VIGIL_BUF_INIT, 0, 0 };
	xmlNode *n = el->children;

	t.buf.limit = PARSE_MAX_BODY;
	while (n) {
		int descend = 0;

		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
			if (text_put(&t, (const char *)n->content))
				goto fail;
		} else if (n->type == XML_ELEMENT_NODE) {
			if (is_element(n, "br")) {
				if (t.breaks < 2)
					t.breaks++;
			} else if (!is_element(n, "script") && !is_element(n, "style")) {
				descend = 1;
				if (is_block(n) && t.breaks < 1)
					t.breaks = 1;
			}
		}
		if (descend && n->children) {
			n = n->children;
			continue;
		}
		/* Leaving elements: a block ends its line. */
		while (n != el && !n->next) {
			n = n->parent;
			if (n != el && is_block(n) && t.breaks < 1)
				t.breaks = 1;
		}
		n = n == el ? NULL : n->next;
	}
	return vigil_buf_detach(&t.buf);
fail:
	vigil_buf_release(&t.buf);
	return NULL;
}

/* ---- one post ---- */

/* "YYYY-MM-DD" as is, a date with a time as UTC "...Z", else NULL. *oom
 * is set when an allocation fails. */
static char *iso_time(const char *text, int *oom)
{
	char formatted[32], *copy;
	int64_t when;

	if (!text)
		return NULL;
	if (vigil_parse_time(text, &when) != 0)
		return NULL;
	if (strlen(text) == 10) {
		copy = strdup(text);
	} else {
		vigil_format_time(when, formatted);
		copy = strdup(formatted);
	}
	if (!copy)
		*oom = 1;
	return copy;
}

/* Collapsed text of the first element with class token in post, or NULL. */
static char *class_text(xmlNode *post, const char *token, int *oom)
{
	xmlNode *el = find_class(post, token, NULL);
	char *text;

	if (!el)
		return NULL;
	text = parse_node_text(el);
	if (!text) {
		*oom = 1;
		return NULL;
	}
	if (!*text) {
		free(text);
		return NULL;
	}
	return text;
}

/* "2.1K" -> 2100, "1.2M" -> 1200000, "953" -> 953; -1 when not a count. */
static long long views_number(const char *text)
{
	long long whole = 0, tenths = 0, mult = 1;
	const char *p = text;
	int digits = 0, frac = 0;

	while (*p == ' ')
		p++;
	for (; *p >= '0' && *p <= '9' && digits < 12; p++, digits++)
		whole = whole * 10 + (*p - '0');
	if (!digits)
		return -1;
	if ((*p == '.' || *p == ',') && p[1] >= '0' && p[1] <= '9') {
		tenths = p[1] - '0';
		frac = 1;
		p += 2;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'K' || *p == 'k')
		mult = 1000, p++;
	else if (*p == 'M' || *p == 'm')
		mult = 1000000, p++;
	else if (*p == 'B' || *p == 'b')
		mult = 1000000000, p++;
	while (*p == ' ')
		p++;
	if (*p || (frac && mult == 1))
		return -1;
	return whole * mult + tenths * (mult / 10);
}

/* Does text hold the word "edited" (any case)? Telegram writes it in the
 * post's meta line, next to the time. */
static int says_edited(const char *text)
{
	for (const char *p = text; p && *p; p++) {
		if (strncasecmp(p, "edited", 6) != 0)
			continue;
		if ((p == text || !((p[-1] | 0x20) >= 'a' && (p[-1] | 0x20) <= 'z')) &&
		    !((p[6] | 0x20) >= 'a' && (p[6] | 0x20) <= 'z'))
			return 1;
	}
	return 0;
}

/* The post number of an "ORIGIN/NAME/N?single" link (an album's media),
 * or -1. */
static long long single_media_number(const char *href)
{
	const char *q = href ? strstr(href, "?single") : NULL;
	const char *end = q, *start;

	if (!q || (q[7] && q[7] != '&' && q[7] != '#'))
		return -1;
	start = end;
	while (start > href && start[-1] >= '0' && start[-1] <= '9')
		start--;
	if (start == href || start[-1] != '/')
		return -1;
	return digits_number(start, (size_t)(end - start));
}

static int number_order(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The album members of post el: numbers of its "?single" media links,
 * ascending and unique. 0 on success, -1 on OOM. */
static int read_album(xmlNode *el, struct parse_channel_post *post)
{
	size_t cap = 0;

	for (xmlNode *n = el->children; n; n = next_node(n, el, 1)) {
		long long number;
		int seen = 0;

		if (!is_element(n, "a"))
			continue;
		number = single_media_number(parse_attr(n, "href"));
		if (number < 0)
			continue;
		for (size_t i = 0; i < post->album_count; i++)
			seen |= post->album[i] == number;
		if (seen || post->album_count >= 100)
			continue;
		if (post->album_count == cap) {
			size_t grown_cap = cap ? cap * 2 : 8;
			long long *grown = realloc(post->album, grown_cap * sizeof(*grown));

			if (!grown)
				return -1;
			post->album = grown;
			cap = grown_cap;
		}
		post->album[post->album_count++] = number;
	}
	if (post->album_count)
		qsort(post->album, post->album_count, sizeof(*post->album), number_order);
	return 0;
}

/* The links of the post's text element: absolute http(s), unique, in
 * order; "?q=..." hashtag searches are Telegram's, not the post's. 0 on
 * success, -1 on OOM. */
static int read_links(xmlNode *text_el, const char *base_url, struct parse_channel_post *post)
{
	size_t cap = 0;

	for (xmlNode *n = text_el->children; n; n = next_node(n, text_el, 1)) {
		struct vigil_error url_err = { 0 };
		const char *href;
		char *url;
		int seen = 0;

		if (!is_element(n, "a"))
			continue;
		href = parse_attr(n, "href");
		if (!href || href[0] == '?' || post->link_count >= 200)
			continue;
		url = vigil_url_resolve(base_url, href, &url_err);
		if (!url) {
			if (url_err.code == VIGIL_ERR_NOMEM)
				return -1;
			continue;
		}
		for (size_t i = 0; i < post->link_count; i++)
			seen |= strcmp(post->links[i], url) == 0;
		if (seen) {
			free(url);
			continue;
		}
		if (post->link_count == cap) {
			size_t grown_cap = cap ? cap * 2 : 8;
			char **grown = realloc(post->links, grown_cap * sizeof(*grown));

			if (!grown) {
				free(url);
				return -1;
			}
			post->links = grown;
			cap = grown_cap;
		}
		post->links[post->link_count++] = url;
	}
	return 0;
}

/* "Forwarded from NAME": the name element's text (else the block's text
 * without the "Forwarded from" words) and its link. 0, or -1 on OOM. */
static int read_forwarded(xmlNode *el, const char *base_url, struct parse_channel_post *post)
{
	xmlNode *block = find_class(el, "tgme_widget_message_forwarded_from", NULL);
	xmlNode *name, *link = NULL;
	const char *href;
	char *text;
	int oom = 0;

	if (!block)
		return 0;
	name = find_class(block, "tgme_widget_message_forwarded_from_name", NULL);
	text = parse_node_text(name ? name : block);
	if (!text)
		return -1;
	if (!name && strncasecmp(text, "Forwarded from", 14) == 0)
		memmove(text, text + 14 + (text[14] == ' '), strlen(text + 14 + (text[14] == ' ')) + 1);
	if (*text)
		post->forwarded_from = text;
	else
		free(text);
	if (name && is_element(name, "a"))
		link = name;
	else
		link = find_element(block, "a");
	href = link ? parse_attr(link, "href") : NULL;
	if (href) {
		struct vigil_error url_err = { 0 };

		post->forwarded_url = vigil_url_resolve(base_url, href, &url_err);
		oom = !post->forwarded_url && url_err.code == VIGIL_ERR_NOMEM;
	}
	return oom ? -1 : 0;
}

struct channel_builder {
	struct parse_channel *out;
	size_t cap;
	const char *base_url;
	char *origin;        /* for permalinks built from data-post */
	char *header_title;  /* "tgme_channel_info_header_title", or NULL */
	int oom;
};

static void post_release(struct parse_channel_post *post)
{
	free(post->id);
	free(post->url);
	free(post->published);
	free(post->author);
	free(post->text);
	free(post->language);
	free(post->forwarded_from);
	free(post->forwarded_url);
	for (size_t i = 0; i < post->link_count; i++)
		free(post->links[i]);
	free(post->links);
	free(post->album);
	memset(post, 0, sizeof(*post));
}

/* Views, the edited mark, forwarded-from, links, album members, language. */
static int read_post_details(struct channel_builder *b, xmlNode *el, xmlNode *text_el,
			     struct parse_channel_post *post)
{
	xmlNode *views = find_class(el, "tgme_widget_message_views", NULL);
	xmlNode *meta = find_class(el, "tgme_widget_message_meta", NULL);
	const char *language;

	post->views = -1;
	if (views) {
		char *text = parse_node_text(views);

		if (!text)
			return -1;
		post->views = views_number(text);
		free(text);
	}
	if (meta) {
		char *text = parse_node_text(meta);

		if (!text)
			return -1;
		post->edited = says_edited(text);
		free(text);
	}
	post->service = has_class(el, "service_message");
	if (read_forwarded(el, b->base_url, post) || read_album(el, post) ||
	    (text_el && read_links(text_el, b->base_url, post)))
		return -1;
	language = post->text[0] ? parse_guess_language(post->text) : NULL;
	if (language && !(post->language = strdup(language)))
		return -1;
	return 0;
}

static void add_post(struct channel_builder *b, xmlNode *el, const char *id)
{
	struct parse_channel_post post = { 0 };
	xmlNode *date, *time_el, *text_el;
	const char *href;

	for (size_t i = 0; i < b->out->count; i++)
		if (strcmp(b->out->items[i].id, id) == 0)
			return;
	if (b->out->count >= CHANNEL_MAX_POSTS)
		return;
	post.id = strdup(id);
	if (!post.id)
		goto oom;
	post.number = digits_number(strchr(id, '/') + 1, strlen(strchr(id, '/') + 1));
	/* The quoted message of a reply has a text element of its own. */
	text_el = find_class(el, "tgme_widget_message_text", "tgme_widget_message_reply");
	post.text = text_el ? message_text(text_el) : strdup("");
	if (!post.text)
		goto oom;
	date = find_class(el, "tgme_widget_message_date", NULL);
	href = date ? parse_attr(date, "href") : NULL;
	if (href) {
		struct vigil_error url_err = { 0 };

		/* Falling back to origin/id on out-of-memory would give the post
		 * another identity, and the crawl would mark the real one deleted. */
		post.url = vigil_url_resolve(b->base_url, href, &url_err);
		if (!post.url && url_err.code == VIGIL_ERR_NOMEM)
			goto oom;
	}
	if (!post.url) {
		struct vigil_buf url = VIGIL_BUF_INIT;

		if (vigil_buf_printf(&url, "%s/%s", b->origin, id))
			goto oom;
		post.url = vigil_buf_detach(&url);
		if (!post.url)
			goto oom;
	}
	time_el = date ? find_element(date, "time") : NULL;
	if (!time_el)
		time_el = find_element(el, "time");
	if (time_el)
		post.published = iso_time(parse_attr(time_el, "datetime"), &b->oom);
	post.author = class_text(el, "tgme_widget_message_from_author", &b->oom);
	if (!post.author)
		post.author = class_text(el, "tgme_widget_message_owner_name", &b->oom);
	if (!post.author && b->header_title && !(post.author = strdup(b->header_title)))
		goto oom;
	if (b->oom || read_post_details(b, el, text_el, &post))
		goto oom;
	if (b->out->count == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;
		struct parse_channel_post *grown = realloc(b->out->items, cap * sizeof(*grown));

		if (!grown)
			goto oom;
		b->out->items = grown;
		b->cap = cap;
	}
	b->out->items[b->out->count++] = post;
	return;
oom:
	b->oom = 1;
	post_release(&post);
}

/* og:title, else the channel header, else <title>. */
static char *channel_title(xmlNode *root, const char *header_title, int *oom)
{
	xmlNode *title = NULL;
	char *text;

	for (xmlNode *n = root; n; n = next_node(n, root, 1)) {
		const char *property, *content;

		if (!title && is_element(n, "title"))
			title = n;
		if (!is_element(n, "meta"))
			continue;
		property = parse_attr(n, "property");
		content = parse_attr(n, "content");
		if (property && content && strcasecmp(property, "og:title") == 0 && *content) {
			text = parse_collapse_space(content, (size_t)-1);
			if (!text)
				*oom = 1;
			return text;
		}
	}
	if (header_title) {
		text = strdup(header_title);
		if (!text)
			*oom = 1;
		return text;
	}
	if (!title)
		return NULL;
	text = parse_node_text(title);
	if (!text)
		*oom = 1;
	return text;
}

/* The page's "load older" cursor: data-before of the "more" block, else
 * ?before= of <link rel=prev>; 0 when neither. */
static long long page_cursor(xmlNode *root)
{
	long long from_link = -1;

	for (xmlNode *n = root; n; n = next_node(n, root, 1)) {
		const char *value, *rel;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		value = parse_attr(n, "data-before");
		if (value) {
			long long number = digits_number(value, strlen(value));

			if (number > 0)
				return number;
		}
		rel = is_element(n, "link") ? parse_attr(n, "rel") : NULL;
		if (rel && strcasecmp(rel, "prev") == 0 && from_link < 0)
			from_link = vigil_url_query_number(parse_attr(n, "href"), "before");
	}
	return from_link > 0 ? from_link : 0;
}

static void widen(struct parse_channel *out, long long number)
{
	if (number <= 0)
		return;
	if (!out->min_number || number < out->min_number)
		out->min_number = number;
	if (number > out->max_number)
		out->max_number = number;
}

/* Read the posts of the page body into out (zeroed first). With error_text
 * (embed pages), *error_text receives the text of the error block, or NULL
 * when there is none. */
static enum vigil_code read_page(const char *body, size_t len, const char *content_type,
				 const char *base_url, const char *what,
				 struct parse_channel *out, char **error_text,
				 struct vigil_error *err)
{
	struct channel_builder b = { out, 0, base_url, NULL, NULL, 0 };
	enum vigil_code code;
	htmlDocPtr doc = NULL;
	xmlNode *root, *n;

	memset(out, 0, sizeof(*out));
	if (error_text)
		*error_text = NULL;
	code = parse_html_read(body, len, content_type, base_url, &doc, NULL, err);
	if (code)
		return code;
	root = xmlDocGetRootElement(doc);
	b.origin = base_url ? vigil_url_origin(base_url, NULL) : NULL;
	if (!b.origin)
		b.origin = strdup(CHANNEL_DEFAULT_ORIGIN);
	if (!b.origin)
		b.oom = 1;
	b.header_title = class_text(root, "tgme_channel_info_header_title", &b.oom);
	out->title = channel_title(root, b.header_title, &b.oom);
	n = root;
	while (n && !b.oom) {
		const char *id = NULL;
		int descend = 1;

		if (n->type == XML_ELEMENT_NODE && has_class(n, "tgme_widget_message")) {
			id = parse_attr(n, "data-post");
			if (valid_post_id(id)) {
				add_post(&b, n, id);
				descend = 0;
			}
		}
		n = next_node(n, root, descend);
	}
	for (size_t i = 0; i < out->count && !b.oom; i++) {
		widen(out, out->items[i].number);
		for (size_t k = 0; k < out->items[i].album_count; k++)
			widen(out, out->items[i].album[k]);
	}
	if (!b.oom)
		out->before = page_cursor(root);
	if (!b.oom && error_text) {
		xmlNode *error = find_class(root, "tgme_widget_message_error", NULL);

		/* An empty block is an error still; it says so in its own words. */
		if (error && !(*error_text = parse_node_text(error)))
			b.oom = 1;
		if (*error_text && !**error_text) {
			free(*error_text);
			if (!(*error_text = strdup("(empty error block)")))
				b.oom = 1;
		}
	}
	free(b.origin);
	free(b.header_title);
	xmlFreeDoc(doc);
	if (b.oom) {
		parse_channel_release(out);
		if (error_text) {
			free(*error_text);
			*error_text = NULL;
		}
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "channel %s %s: out of memory", what,
				       base_url ? base_url : "(page)");
	}
	return VIGIL_OK;
}

enum vigil_code parse_channel_page(const char *body, size_t len, const char *content_type,
				   const char *base_url, struct parse_channel *out,
				   struct vigil_error *err)
{
	return read_page(body, len, content_type, base_url, "page", out, NULL, err);
}

enum vigil_code parse_channel_embed(const char *body, size_t len, const char *content_type,
				    const char *base_url, struct parse_channel_embed *out,
				    struct vigil_error *err)
{
	struct parse_channel page;
	enum vigil_code code;
	char *error = NULL;

	memset(out, 0, sizeof(*out));
	code = read_page(body, len, content_type, base_url, "embed page", &page, &error, err);
	if (code)
		return code;
	if (error) {
		out->state = PARSE_EMBED_ERROR;
		out->error = error;
	} else if (page.count) {
		out->state = PARSE_EMBED_POST;
		out->post = page.items[0];
		memmove(page.items, page.items + 1, (page.count - 1) * sizeof(*page.items));
		page.count--;
	}
	parse_channel_release(&page);
	return VIGIL_OK;
}

void parse_channel_embed_release(struct parse_channel_embed *embed)
{
	if (!embed)
		return;
	free(embed->error);
	post_release(&embed->post);
	memset(embed, 0, sizeof(*embed));
}

void parse_channel_release(struct parse_channel *channel)
{
	if (!channel)
		return;
	for (size_t i = 0; i < channel->count; i++)
		post_release(&channel->items[i]);
	free(channel->items);
	free(channel->title);
	memset(channel, 0, sizeof(*channel));
}
