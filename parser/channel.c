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
 * sticker) is still a post, with text "".
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
	for (const char *p = slash + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
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
	memset(post, 0, sizeof(*post));
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
	if (b->oom)
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

enum vigil_code parse_channel_page(const char *body, size_t len, const char *content_type,
				   const char *base_url, struct parse_channel *out,
				   struct vigil_error *err)
{
	struct channel_builder b = { out, 0, base_url, NULL, NULL, 0 };
	enum vigil_code code;
	htmlDocPtr doc = NULL;
	xmlNode *root, *n;

	memset(out, 0, sizeof(*out));
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
	free(b.origin);
	free(b.header_title);
	xmlFreeDoc(doc);
	if (b.oom) {
		parse_channel_release(out);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "channel page %s: out of memory",
				       base_url ? base_url : "(page)");
	}
	return VIGIL_OK;
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
