/*
 * dates.c: the publication date of an article page, chosen among scored
 * candidates. The calendar (month names, numeric and relative forms,
 * zones) is common/time.c's; this file only decides where on the page to
 * look and whom to believe.
 *
 * Order of trust (base scores; parser/README.md explains them):
 *   JSON-LD datePublished 100, microdata itemprop=datePublished 95,
 *   article:published_time 92, other publication metas 85 (dc, sailthru,
 *   parsely, pubdate...), <time>/<abbr class=published> near the headline
 *   70 (time without datetime, read from its text: 65; 20 less far from the
 *   headline), a visible date line
 *   near the headline or byline 55 (less with distance), a date in the URL
 *   path 40, script calls and script objects 30-35, the lead image's path
 *   30; update/modified dates of any kind 15.
 * Candidates in related/recommended blocks, comments, footers, sidebars and
 * navigation are never made; dates before 1990 or later than the fetch
 * time (plus the time zones' lead) are dropped; days that several kinds of
 * evidence agree on gain a little. A machine timestamp whose calendar day
 * differs by one from the date printed next to the headline is the same
 * instant in UTC: the printed (local) day wins, with the offset when the
 * printed clock time gives it.
 */
#include "parser_int.h"
#include "../common/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#define WINDOW_BEFORE 600   /* bytes of visible text before the headline searched */
#define WINDOW_AFTER 3000   /* ... and after it */
#define NO_HEADLINE_SCAN 4000 /* bytes from the start of the body without a headline */
#define MAX_CANDIDATES 256
#define TEXT_MAX ((size_t)4 * 1024 * 1024) /* visible text kept for the search */
#define MIN_YEAR 1990
#define FUTURE_SLACK 3600   /* clocks of servers and sites disagree a little */
#define MAX_ZONE_LEAD (14 * 3600) /* a local time without zone may be this far ahead */

enum kind {
	KIND_JSONLD, KIND_MICRODATA, KIND_META_ARTICLE, KIND_META, KIND_TIME, KIND_TIME_TEXT,
	KIND_TEXT, KIND_URL, KIND_SCRIPT, KIND_IMAGE,
};

struct candidate {
	struct vigil_date date;
	int score;
	enum kind kind;
	int modified;   /* an update/modified date: only a last resort */
	int visible;    /* printed on the page (time text, date line) */
	size_t pos;     /* byte offset in the visible text (0 for metadata) */
	char source[64];
};

struct date_walk {
	const struct parse_date_page *page;
	struct candidate list[MAX_CANDIDATES];
	size_t count;
	struct vigil_buf text;  /* visible text outside excluded blocks */
	int text_full;          /* text reached TEXT_MAX */
	size_t headline_pos;
	int headline_seen;
	char *image;            /* og:image, else the first <img> after the headline */
	int oom;
};

/* ------------------------------------------------------------ candidates */

static int is_tag(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0;
}

static void add(struct date_walk *w, const struct vigil_date *d, enum kind kind, int score,
		int modified, const char *source)
{
	struct candidate *c;

	if (w->count >= MAX_CANDIDATES || !vigil_date_valid(d) || d->year < MIN_YEAR)
		return;
	c = &w->list[w->count++];
	c->date = *d;
	c->kind = kind;
	c->score = modified ? 15 : score;
	c->modified = modified;
	c->visible = kind == KIND_TIME_TEXT || kind == KIND_TEXT;
	c->pos = kind == KIND_TIME || kind == KIND_TIME_TEXT || kind == KIND_TEXT ? w->text.len : 0;
	snprintf(c->source, sizeof(c->source), "%s", source);
}

/* A machine value (meta content, datetime, JSON-LD) as a candidate. */
static void add_machine(struct date_walk *w, const char *value, enum kind kind, int score,
			int modified, const char *source)
{
	struct vigil_date d;

	if (value && vigil_date_parse(value, &d) == 0)
		add(w, &d, kind, score, modified, source);
}

static int contains_word(const char *list, const char *const *words)
{
	char low[256];
	size_t n;

	if (!list)
		return 0;
	n = strlen(list);
	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)list[i]);
	low[n] = '\0';
	for (; *words; words++)
		if (strstr(low, *words))
			return 1;
	return 0;
}

static const char *const update_classes[] = { "updated", "modified", "dateupdated",
					      "lastmod", "last-mod", NULL };
static const char *const publish_classes[] = { "published", "pubdate", "publish", "posted",
					       "created", "entry-date", NULL };

/* Blocks whose dates belong to other stories or to readers. */
static int is_excluded_block(xmlNodePtr n, xmlNodePtr headline)
{
	static const char *const words[] = {
		"comment", "related", "recommend", "sidebar", "footer", "popular", "trending",
		"most-read", "mostread", "more-stories", "morestories", "read-more", "readmore",
		"read-next", "also-read", "teaser", "newsletter", "similar", "other-news",
		"latest-news", "lastnews", "last-news", "widget", "reply", "replies", NULL
	};

	if (!(is_tag(n, "footer") || is_tag(n, "aside") || is_tag(n, "nav") ||
	      contains_word(parse_attr(n, "class"), words) ||
	      contains_word(parse_attr(n, "id"), words)))
		return 0;
	/* never the block that holds the headline: some sites call it a widget */
	for (xmlNodePtr a = headline; a; a = a->parent)
		if (a == n)
			return 0;
	return 1;
}

/* Characters of n's text, counted up to limit (a teaser headline is long). */
static size_t text_length(xmlNodePtr n, size_t limit)
{
	size_t len = 0;

	for (xmlNodePtr c = n->children; c && len < limit; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content)
			len += vigil_utf8_count_chars((const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE)
			len += text_length(c, limit - len);
	}
	return len;
}

/* A <time> next to a link with a headline's worth of text dates that
 * link's story (a teaser list), not this page. */
static int is_teaser_time(xmlNodePtr time)
{
	xmlNodePtr parent = time->parent;

	for (int up = 0; up < 2 && parent && parent->type == XML_ELEMENT_NODE;
	     up++, parent = parent->parent) {
		if (is_tag(parent, "article") || is_tag(parent, "body") || is_tag(parent, "main"))
			return 0;
		for (xmlNodePtr c = parent->children; c; c = c->next) {
			if (c == time || c->type != XML_ELEMENT_NODE)
				continue;
			if (is_tag(c, "a") && parse_attr(c, "href") && text_length(c, 40) >= 40)
				return 1;
			for (xmlNodePtr g = c->children; g; g = g->next)
				if (is_tag(g, "a") && parse_attr(g, "href") && text_length(g, 40) >= 40)
					return 1;
		}
	}
	return 0;
}

static void read_meta(struct date_walk *w, xmlNodePtr n)
{
	static const char *const publish_names[] = {
		"pubdate", "publishdate", "publish-date", "publish_date", "date", "pdate",
		"dc.date.issued", "dc.date", "dc.date.created", "dcterms.created", "dcterms.date",
		"dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published",
		"article:published", "datepublished", "og:published_time",
		"og:article:published_time", "og:pubdate", "article.created", "date.release",
		"original-publish-date", "cxenseparse:recs:publishtime", "mediator_published_time",
		"published", "published_at", "publication_date", "pub_date", "created",
		"release_date", "article_date_original", "datecreated", "sn-post-date",
		"published_time_telegram", "analyticsattributes.articledate", NULL
	};
	static const char *const modified_names[] = {
		"article:modified_time", "og:updated_time", "article:modified", "datemodified",
		"dcterms.modified", "dc.date.modified", "last-modified", "lastmod",
		"article.updated", "article_date_updated", "updated-date", NULL
	};
	const char *content = parse_attr(n, "content");
	const char *keys[3] = { parse_attr(n, "property"), parse_attr(n, "name"),
				parse_attr(n, "itemprop") };
	char source[64];

	if (!content)
		return;
	if (keys[2] && strcmp(keys[2], "datePublished") == 0) {
		add_machine(w, content, KIND_MICRODATA, 95, 0, "microdata");
		return;
	}
	for (int k = 0; k < 3; k++) {
		const char *key = keys[k];

		if (!key)
			continue;
		snprintf(source, sizeof(source), "meta:%s", key);
		for (char *s = source; *s; s++)
			*s = (char)tolower((unsigned char)*s);
		if (strcasecmp(key, "article:published_time") == 0) {
			add_machine(w, content, KIND_META_ARTICLE, 92, 0, source);
			return;
		}
		for (const char *const *m = publish_names; *m; m++)
			if (strcasecmp(key, *m) == 0) {
				add_machine(w, content, KIND_META, 85, 0, source);
				return;
			}
		for (const char *const *m = modified_names; *m; m++)
			if (strcasecmp(key, *m) == 0) {
				add_machine(w, content, KIND_META, 0, 1, source);
				return;
			}
		if ((strcasecmp(key, "og:image") == 0 || strcasecmp(key, "twitter:image") == 0) &&
		    !w->image) {
			w->image = vigil_strdup(content);
			w->oom |= !w->image;
		}
	}
}

/* First date written for people inside text (a <time> without datetime). */
static int first_text_date(const char *text, const struct vigil_date_reading *how,
			   struct vigil_date *d)
{
	for (const char *p = text; *p; p++) {
		if (p != text && isalnum((unsigned char)p[-1]))
			continue;
		if (vigil_date_read_text(p, how, d))
			return 1;
	}
	return 0;
}

static void reading_for(const struct date_walk *w, struct vigil_date_reading *how)
{
	const char *lang = w->page->language;

	memset(how, 0, sizeof(*how));
	how->now = w->page->fetched_at;
	/* American pages write 04/05/2024 for April 5; British, Indian... do not */
	how->month_first = lang && strncasecmp(lang, "en", 2) == 0 &&
			   (!lang[2] || strcasecmp(lang + 3, "us") == 0);
	/* "today" and "вчера в 14:20" are in the page's zone when it shows one */
	for (size_t i = 0; i < w->count; i++)
		if (w->list[i].date.has_offset && w->list[i].date.offset != 0 &&
		    !w->list[i].visible) {
			how->zone_offset = w->list[i].date.offset;
			how->zone_known = 1;
			break;
		}
}

/* Dates handed to a script: `"datePublished": "2024-04-18..."`,
 * `publishDate = '2024-04-18'`, `showDate("2024-04-18 10:15")`.
 * Scripts are often the largest part of a page (inline bundles and state),
 * so the text is searched as it is, keys compared without regard to ASCII
 * case, and only places where a key or "(" can start are looked at. */
static void read_script(struct date_walk *w, xmlNodePtr script)
{
	static const char *const keys[] = { "datepublished", "publishdate", "publish_date",
					    "pubdate", "published_at", "publishedat",
					    "publicationdate", "date_published", NULL };
	char *text = parse_node_text(script);
	struct vigil_date d;

	if (!text) {
		w->oom = 1;
		return;
	}
	/* every key starts with 'd' or 'p' */
	for (const char *p = text; (p = strpbrk(p, "dDpP(")) != NULL; p++) {
		const char *q = p;
		int keyed = 0;
		char value[40];
		size_t n;

		for (const char *const *k = keys; *k && !keyed && *p != '('; k++) {
			size_t klen = strlen(*k);

			if (strncasecmp(p, *k, klen) == 0) {
				q = p + klen;
				q += strspn(q, "\"' \t");
				if (*q == ':' || *q == '=') {
					q++;
					q += strspn(q, " \t");
					keyed = 1;
				}
			}
		}
		if (!keyed) {
			if (*p != '(')
				continue;
			q = p + 1 + strspn(p + 1, " \t");
		}
		if (*q != '"' && *q != '\'')
			continue;
		q++;
		n = strcspn(q, "\"'");
		if (n < 8 || n >= sizeof(value) || !isdigit((unsigned char)*q))
			continue;
		/* lower-cased as before: a 't' or 'z' is still ISO 8601 */
		for (size_t i = 0; i < n; i++)
			value[i] = (char)tolower((unsigned char)q[i]);
		value[n] = '\0';
		if (vigil_date_parse(value, &d) == 0) {
			add(w, &d, KIND_SCRIPT, keyed ? 35 : 30, 0, "script");
			break;
		}
	}
	free(text);
}

/* A date in a URL path: /2024/04/18/, /2024-04-18, /2019/nov/18/,
 * -20191115/; *d on success. */
static int date_in_path(const char *url, struct vigil_date *d)
{
	const char *path = url ? strstr(url, "://") : NULL;

	if (!path)
		return 0;
	path = strchr(path + 3, '/');
	if (!path)
		return 0;
	for (const char *p = path; *p && *p != '?' && *p != '#'; p++) {
		const char *q = p;
		int year, month = 0, day = 0;

		if (!isdigit((unsigned char)*p) || isdigit((unsigned char)p[-1]))
			continue;
		memset(d, 0, sizeof(*d));
		if (strspn(p, "0123456789") == 8 && !isalpha((unsigned char)p[8])) {
			if (sscanf(p, "%4d%2d%2d", &year, &month, &day) != 3)
				continue;
		} else {
			if (strspn(p, "0123456789") != 4 || sscanf(p, "%4d", &year) != 1)
				continue;
			q = p + 4;
			if (*q != '/' && *q != '-' && *q != '_')
				continue;
			q++;
			if (isdigit((unsigned char)*q)) {
				if (strspn(q, "0123456789") > 2 || sscanf(q, "%2d", &month) != 1)
					continue;
				q += strspn(q, "0123456789");
			} else {
				size_t len = strspn(q, "abcdefghijklmnopqrstuvwxyz");

				month = len >= 3 && len <= 9 ? vigil_month_from_word(q, len) : 0;
				q += len;
			}
			if (!month || (*q != '/' && *q != '-' && *q != '_') ||
			    !isdigit((unsigned char)q[1]) || strspn(q + 1, "0123456789") > 2 ||
			    sscanf(q + 1, "%2d", &day) != 1)
				continue;
		}
		d->year = year;
		d->month = month;
		d->day = day;
		if (vigil_date_valid(d) && year >= MIN_YEAR && year <= 2100)
			return 1;
	}
	return 0;
}

/* Visible text for the date search; past TEXT_MAX the rest of a huge page
 * is not kept (the headline's neighbourhood is long read by then). */
static void append_text(struct date_walk *w, const char *text)
{
	enum vigil_code code;

	if (w->text_full)
		return;
	code = vigil_buf_append_str(&w->text, text);
	if (code == VIGIL_ERR_TOO_LARGE)
		w->text_full = 1;
	else if (code)
		w->oom = 1;
}

static void walk(struct date_walk *w, xmlNodePtr n, int in_head, int excluded)
{
	for (xmlNodePtr c = n->children; c && !w->oom; c = c->next) {
		const char *itemprop, *cls;
		int ex = excluded;

		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			if (!in_head && !excluded) {
				append_text(w, (const char *)c->content);
				append_text(w, " ");
			}
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_tag(c, "meta")) {
			read_meta(w, c);
			continue;
		}
		if (is_tag(c, "script")) {
			const char *type = parse_attr(c, "type");

			if (!type || strcasestr(type, "javascript"))
				read_script(w, c);
			continue;
		}
		if (is_tag(c, "style") || is_tag(c, "noscript") || is_tag(c, "template") ||
		    is_tag(c, "title"))
			continue;
		if (!ex && !in_head && is_excluded_block(c, w->page->headline))
			ex = 1;
		if (c == w->page->headline) {
			w->headline_seen = 1;
			w->headline_pos = w->text.len;
		}
		itemprop = parse_attr(c, "itemprop");
		cls = parse_attr(c, "class");
		if (!ex && itemprop && !is_tag(c, "meta")) {
			const char *v = parse_attr(c, "content");
			int published = strcmp(itemprop, "datePublished") == 0;

			if (!v)
				v = parse_attr(c, "datetime");
			if (published || strcmp(itemprop, "dateModified") == 0 ||
			    strcmp(itemprop, "dateUpdated") == 0)
				add_machine(w, v, KIND_MICRODATA, 95, !published,
					    published ? "microdata" : "microdata:dateModified");
		}
		if (!ex && (is_tag(c, "time") || (is_tag(c, "abbr") && parse_attr(c, "title") &&
						  contains_word(cls, publish_classes))) &&
		    !is_teaser_time(c)) {
			int modified = contains_word(cls, update_classes) &&
				       !contains_word(cls, publish_classes);
			int pub = contains_word(cls, publish_classes) || parse_attr(c, "pubdate");
			const char *machine = is_tag(c, "abbr") ? parse_attr(c, "title")
								: parse_attr(c, "datetime");
			size_t before = w->count;

			if (machine && *machine)
				add_machine(w, machine, KIND_TIME, pub ? 75 : 70, modified,
					    is_tag(c, "abbr") ? "abbr" : "time");
			if (w->count == before) {
				char *text = parse_node_text(c);
				struct vigil_date_reading how;
				struct vigil_date d;

				if (!text) {
					w->oom = 1;
					return;
				}
				reading_for(w, &how);
				if (first_text_date(text, &how, &d))
					add(w, &d, KIND_TIME_TEXT, 65, modified, "time");
				free(text);
			}
		}
		if (!ex && is_tag(c, "img") && w->headline_seen && !w->image &&
		    parse_attr(c, "src")) {
			w->image = vigil_strdup(parse_attr(c, "src"));
			w->oom |= !w->image;
		}
		walk(w, c, in_head || is_tag(c, "head"), ex);
		if (!in_head)
			append_text(w, "\n");
	}
}

/* Words that say what the date after them is; the nearest one before a
 * date counts. 1 publication, -1 update, 0 none. */
static int marker_before(const char *low, size_t start, size_t date_pos)
{
	static const char *const updated[] = {
		"updated", "update:", "last modified", "republished", "reposted", "modified", "edited", "обновлено",
		"обновлён", "обновлен", "изменено", "жаңартылды", "aktualisiert", "mis à jour",
		"actualizado", "actualizada", "atualizado", "aggiornato", "zaktualizowano",
		"aktualizacja", "更新", NULL
	};
	static const char *const published[] = {
		"published", "posted", "publish date", "first published", "original",
		"опубликовано", "дата публикации", "жарияланды", "жарияланған", "veröffentlicht",
		"publiziert", "publié", "publicado", "pubblicato", "opublikowano", "发布",
		"发表", "公開", "created", "erstellt", NULL
	};
	size_t best_end = 0;
	int kind = 0;

	for (int k = 0; k < 2; k++)
		for (const char *const *m = k ? published : updated; *m; m++) {
			size_t len = strlen(*m);

			for (size_t i = start; i + len <= date_pos; i++)
				if (memcmp(low + i, *m, len) == 0 && i + len > best_end) {
					best_end = i + len;
					kind = k ? 1 : -1;
				}
		}
	return kind;
}

/* 1 when byte i of text starts a character that follows no letter or
 * digit (a date never starts inside a word or a number). */
static int at_word_start(const char *text, size_t i)
{
	size_t j = i;
	uint32_t cp;

	if (((unsigned char)text[i] & 0xC0) == 0x80)
		return 0;
	if (i == 0)
		return 1;
	if (isalnum((unsigned char)text[i - 1]))
		return 0;
	if (!((unsigned char)text[i - 1] & 0x80))
		return 1;
	while (j > 0 && i - j < 4 && ((unsigned char)text[j - 1] & 0xC0) == 0x80)
		j--;
	if (j > 0)
		j--;
	if (!vigil_utf8_decode((const unsigned char *)text + j, i - j, &cp))
		return 1;
	return !(cp >= 0xC0 && cp < 0x2000 && cp != 0xD7 && cp != 0xF7);
}

/* Visible date lines near the headline (or the top of the page). */
static void scan_text(struct date_walk *w)
{
	struct vigil_date_reading how;
	size_t from, to, last_end;
	char *low;

	if (!w->text.data)
		return;
	low = parse_utf8_lower(w->text.data);
	if (!low) {
		w->oom = 1;
		return;
	}
	if (strlen(low) != w->text.len) { /* lower-casing kept the length: positions agree */
		free(low);
		return;
	}
	reading_for(w, &how);
	if (w->headline_seen) {
		from = w->headline_pos > WINDOW_BEFORE ? w->headline_pos - WINDOW_BEFORE : 0;
		to = w->headline_pos + WINDOW_AFTER;
	} else {
		from = 0;
		to = NO_HEADLINE_SCAN;
	}
	if (to > w->text.len)
		to = w->text.len;
	last_end = from;
	for (size_t i = from; i < to && w->count < MAX_CANDIDATES; i++) {
		struct vigil_date d;
		size_t n, dist, lookback_from;
		int score, marker;

		if (!at_word_start(low, i))
			continue;
		n = vigil_date_read_text(low + i, &how, &d);
		if (!n)
			continue;
		dist = w->headline_seen ? (i > w->headline_pos ? i - w->headline_pos
							       : w->headline_pos - i)
					: i;
		score = (w->headline_seen ? 55 : 45) - (int)(dist / 200);
		if (w->headline_seen && i < w->headline_pos)
			score -= 5;
		/* the words since the previous date, at most 60 bytes back */
		lookback_from = i > last_end + 60 ? i - 60 : last_end;
		marker = marker_before(low, lookback_from, i);
		if (marker > 0)
			score += 10;
		if (d.relative) /* "2 hours ago" is as precise as the fetch time */
			score -= 10;
		{
			size_t before = w->count;

			add(w, &d, KIND_TEXT, score, marker < 0, "text");
			if (w->count > before)
				w->list[before].pos = i;
		}
		last_end = i + n;
		i += n - 1;
	}
	free(low);
}

/* ------------------------------------------------------------ choosing */

static int same_day(const struct vigil_date *a, const struct vigil_date *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}

/* Days from a to b (b - a), on the calendar. */
static int64_t day_difference(const struct vigil_date *a, const struct vigil_date *b)
{
	struct vigil_date x = { 0 }, y = { 0 };
	int64_t ta, tb;

	x.year = a->year;
	x.month = a->month;
	x.day = a->day;
	y.year = b->year;
	y.month = b->month;
	y.day = b->day;
	if (vigil_date_to_epoch(&x, &ta) || vigil_date_to_epoch(&y, &tb))
		return 9999;
	return (tb - ta) / 86400;
}

/* Not after the fetch: a zoned instant up to FUTURE_SLACK later, a local
 * time or a day as far ahead as the easternmost zone is. */
static int in_future(const struct vigil_date *d, int64_t fetched_at)
{
	int64_t when;

	if (fetched_at <= 0 || vigil_date_to_epoch(d, &when))
		return 0;
	if (d->has_time && d->has_offset)
		return when > fetched_at + FUTURE_SLACK;
	return when > fetched_at + MAX_ZONE_LEAD + FUTURE_SLACK;
}

/* The page's UTC offset, from a printed clock time that is a machine
 * instant shown in local time ("November 18, 2019 11:03 PM" next to
 * "2019-11-19T07:03:25Z": -08:00), or from a printed zone ("10:01 pm
 * PST"). 1 and *offset when found. */
static int page_zone(const struct date_walk *w, int *offset)
{
	int found = 0;
	int64_t best = 0;

	for (size_t i = 0; i < w->count; i++) {
		const struct candidate *p = &w->list[i];
		struct vigil_date local;
		int64_t local_as_utc;

		if (!p->visible || p->date.relative || !p->date.has_time)
			continue;
		if (p->date.has_offset) {
			*offset = p->date.offset;
			return 1;
		}
		local = p->date;
		local.second = 0;
		if (vigil_date_to_epoch(&local, &local_as_utc))
			continue;
		for (size_t j = 0; j < w->count; j++) {
			const struct candidate *m = &w->list[j];
			int64_t when, delta;

			if (m->visible || !m->date.has_time || !m->date.has_offset ||
			    vigil_date_to_epoch(&m->date, &when))
				continue;
			delta = local_as_utc - (when - m->date.second);
			if (llabs((long long)delta) <= MAX_ZONE_LEAD && delta % 900 == 0 &&
			    (!found || llabs((long long)delta) < llabs((long long)best))) {
				best = delta;
				found = 1;
			}
		}
	}
	*offset = (int)best;
	return found;
}

/* A machine timestamp shown as the page shows its dates: in the page's
 * zone when the page reveals it; else, when the day printed near the
 * headline (or in the URL) is the day before or after and the machine's
 * UTC clock allows it, that day. 1 and *out when the date changed. */
static int local_day(const struct date_walk *w, const struct candidate *best,
		     struct vigil_date *out, const char **how)
{
	const struct candidate *printed = NULL;
	struct vigil_date utc;
	int64_t best_when, diff;
	int zone;

	if (best->visible || !best->date.has_time ||
	    vigil_date_to_epoch(&best->date, &best_when))
		return 0;
	/* a printed time with its zone that another machine date confirms to
	 * the minute is the instant; the best one then wrote a wrong offset */
	for (size_t i = 0; i < w->count; i++) {
		const struct candidate *p = &w->list[i];
		int64_t printed_when, when;

		if (!p->visible || p->modified || p->date.relative || !p->date.has_time ||
		    !p->date.has_offset || same_day(&p->date, &best->date) ||
		    vigil_date_to_epoch(&p->date, &printed_when))
			continue;
		for (size_t j = 0; j < w->count; j++) {
			const struct candidate *m = &w->list[j];

			if (m != best && !m->visible && !m->modified && m->date.has_offset &&
			    !vigil_date_to_epoch(&m->date, &when) &&
			    llabs((long long)(when - printed_when)) < 60) {
				*out = p->date;
				*how = "+text";
				return 1;
			}
		}
	}
	if (best->date.has_offset && page_zone(w, &zone)) {
		if (zone == best->date.offset)
			return 0;
		vigil_date_from_epoch(best_when, zone, out);
		*how = "+zone";
		return 1;
	}
	for (size_t i = 0; i < w->count; i++) {
		const struct candidate *c = &w->list[i];

		if (c->kind == KIND_TIME && same_day(&c->date, &best->date) &&
		    (!c->date.has_time || (c->date.has_offset && c->date.offset != 0)))
			return 0; /* a <time> in local time shows the day we have */
		if (!c->visible || c->date.relative)
			continue;
		if (same_day(&c->date, &best->date))
			return 0; /* the page prints the day we have */
		if (!c->modified && c->score >= 40 &&
		    llabs((long long)day_difference(&best->date, &c->date)) == 1 &&
		    (!printed || c->score > printed->score))
			printed = c;
	}
	*how = "+text";
	if (!printed) {
		for (size_t i = 0; i < w->count && !printed; i++)
			if (w->list[i].kind == KIND_URL &&
			    llabs((long long)day_difference(&best->date, &w->list[i].date)) == 1)
				printed = &w->list[i];
		*how = "+url";
	}
	if (!printed)
		return 0;
	/* a local day is UTC-12:00 .. UTC+14:00 */
	vigil_date_from_epoch(best_when, 0, &utc);
	diff = day_difference(&utc, &printed->date);
	if (!((diff == -1 && utc.hour < 12) || (diff == 1 && utc.hour >= 10)))
		return 0;
	memset(out, 0, sizeof(*out));
	out->year = printed->date.year;
	out->month = printed->date.month;
	out->day = printed->date.day;
	return 1;
}

static enum vigil_code choose(struct date_walk *w, char **published, char **source)
{
	struct candidate *best = NULL;
	struct vigil_date chosen;
	const char *adjust = "";
	char text[40], name[80];

	for (size_t i = 0; i < w->count; i++) {
		struct candidate *c = &w->list[i];
		int agree = 0;

		if (in_future(&c->date, w->page->fetched_at)) {
			c->score = -1;
			continue;
		}
		/* a <time> far from the headline dates another story or the day */
		if ((c->kind == KIND_TIME || c->kind == KIND_TIME_TEXT) && w->headline_seen &&
		    (c->pos + WINDOW_BEFORE < w->headline_pos ||
		     c->pos > w->headline_pos + WINDOW_AFTER))
			c->score -= 20;
		for (size_t j = 0; j < w->count; j++)
			if (j != i && w->list[j].kind != c->kind && !w->list[j].modified &&
			    same_day(&w->list[j].date, &c->date))
				agree++;
		c->score += 3 * (agree > 3 ? 3 : agree);
	}
	for (size_t i = 0; i < w->count; i++) {
		struct candidate *c = &w->list[i];

		if (c->score < 0)
			continue;
		if (!best || c->score > best->score ||
		    (c->score == best->score && c->pos < best->pos))
			best = c;
	}
	if (!best)
		return VIGIL_OK;
	chosen = best->date;
	if (best->modified || !local_day(w, best, &chosen, &adjust) ||
	    in_future(&chosen, w->page->fetched_at)) {
		chosen = best->date;
		adjust = "";
	}
	vigil_date_format(&chosen, text);
	snprintf(name, sizeof(name), "%s%s", best->source, adjust);
	*published = vigil_strdup(text);
	*source = vigil_strdup(name);
	if (!*published || !*source) {
		free(*published);
		free(*source);
		*published = *source = NULL;
		return VIGIL_ERR_NOMEM;
	}
	return VIGIL_OK;
}

enum vigil_code parse_date_choose(htmlDocPtr doc, const struct parse_date_page *page,
				  char **published, char **source)
{
	struct date_walk *w;
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	struct vigil_date d;
	enum vigil_code code = VIGIL_OK;

	*published = *source = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return VIGIL_ERR_NOMEM;
	w->page = page;
	w->text.limit = TEXT_MAX;
	add_machine(w, page->jsonld_published, KIND_JSONLD, 100, 0, "json-ld");
	add_machine(w, page->jsonld_modified, KIND_JSONLD, 0, 1, "json-ld:dateModified");
	if (root)
		walk(w, root, 0, 0);
	if (!w->oom)
		scan_text(w);
	if (date_in_path(page->url, &d))
		add(w, &d, KIND_URL, 40, 0, "url");
	if (w->image && date_in_path(w->image, &d))
		add(w, &d, KIND_IMAGE, 30, 0, "image-url");
	if (!w->oom)
		code = choose(w, published, source);
	else
		code = VIGIL_ERR_NOMEM;
	vigil_buf_release(&w->text);
	free(w->image);
	free(w);
	return code;
}

enum vigil_code parse_find_date(const char *text, char **date)
{
	*date = NULL;
	for (const char *p = text; *p; p++) {
		struct vigil_date d;
		char out[40];

		if (p != text && isalnum((unsigned char)p[-1]))
			continue;
		if (!isalnum((unsigned char)*p) && !((unsigned char)*p >= 0xC0))
			continue;
		if (!vigil_date_read_text(p, NULL, &d) || d.year < MIN_YEAR || d.year > 2100)
			continue;
		vigil_date_format(&d, out);
		*date = vigil_strdup(out);
		return *date ? VIGIL_OK : VIGIL_ERR_NOMEM;
	}
	return VIGIL_OK;
}
