/*
 * sources.c: the sources file: [settings] and [source NAME] sections.
 * Format and defaults are documented in config/README.md; every value is
 * checked here so that the crawler can trust what it gets.
 */
#include "config_int.h"
#include "../common/url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.0.0"
#endif

#define SOURCES_MAX 100000
#define NAME_MAX_LEN 64
#define URL_MAX_LEN 4096

enum section { SEC_NONE, SEC_SETTINGS, SEC_SOURCE };

struct key_spec {
	const char *name;
	unsigned bit;
};

static const struct key_spec settings_keys[] = {
	{ "user_agent", 1u << 0 }, { "delay_ms", 1u << 1 }, { "timeout", 1u << 2 },
	{ "max_body", 1u << 3 },   { "parallel_hosts", 1u << 4 }, { "robots", 1u << 5 },
	{ "rules", 1u << 6 },      { "allow_private", 1u << 7 }, { "minor_edit", 1u << 8 },
	{ "recheck", 1u << 9 },    { "recheck_until", 1u << 10 }, { "workers", 1u << 11 },
};
static const char settings_key_list[] =
	"user_agent, delay_ms, timeout, max_body, parallel_hosts, robots, rules, allow_private, "
	"minor_edit, recheck, recheck_until or workers";

static const struct key_spec source_keys[] = {
	{ "url", 1u << 0 },      { "kind", 1u << 1 },  { "scope", 1u << 2 },
	{ "language", 1u << 3 }, { "region", 1u << 4 }, { "interval", 1u << 5 },
	{ "depth", 1u << 6 },    { "max_pages", 1u << 7 }, { "starter", 1u << 8 },
	{ "history", 1u << 9 },
};
static const char source_key_list[] =
	"url, kind, scope, language, region, interval, depth, max_pages, starter or history";

struct loader {
	struct config_ini ini;
	struct config_sources *out;
	size_t cap;
	enum section section;
	unsigned seen;      /* keys already given in the current section */
	int settings_line;  /* line of [settings], 0 when not seen */
	int depth_set;
	int history_line;   /* line of the current source's history key, or 0 */
	struct vigil_error *err;
};

const char *config_source_kind_name(enum config_source_kind kind)
{
	switch (kind) {
	case CONFIG_SOURCE_SITE: return "site";
	case CONFIG_SOURCE_FEED: return "feed";
	case CONFIG_SOURCE_SITEMAP: return "sitemap";
	case CONFIG_SOURCE_CHANNEL: return "channel";
	}
	return "unknown";
}

static void source_release(struct config_source *s)
{
	free(s->name);
	free(s->url);
	free(s->scope);
	free(s->language);
	free(s->region);
	memset(s, 0, sizeof(*s));
}

void config_sources_release(struct config_sources *sources)
{
	size_t i;

	if (!sources)
		return;
	for (i = 0; i < sources->count; i++)
		source_release(&sources->items[i]);
	free(sources->items);
	free(sources->path);
	free(sources->settings.user_agent);
	free(sources->settings.rules_dir);
	free(sources->settings.private_endpoints);
	memset(sources, 0, sizeof(*sources));
}

#define FAIL(ld, line, ...) config_fail((ld)->err, (ld)->ini.path, (line), __VA_ARGS__)

static enum vigil_code nomem(struct loader *ld)
{
	return vigil_error_set(ld->err, VIGIL_ERR_NOMEM, "%s:%d: out of memory", ld->ini.path,
			       ld->ini.line);
}

/* Digits only, no sign, within [min, max]. */
static int parse_number(const char *text, long min, long max, long *out)
{
	long v = 0;
	const char *p = text;

	if (!isdigit((unsigned char)*p))
		return 0;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (max - (*p - '0')) / 10)
			return 0;
		v = v * 10 + (*p - '0');
	}
	if (*p || v < min)
		return 0;
	*out = v;
	return 1;
}

static int parse_int_value(struct loader *ld, int line, const char *key, const char *value,
			   long min, long max, int *out)
{
	long v;

	if (!parse_number(value, min, max, &v)) {
		config_fail(ld->err, ld->ini.path, line,
			    "%s: expected a whole number from %ld to %ld, got '%.80s'", key, min, max,
			    value);
		return 0;
	}
	*out = (int)v;
	return 1;
}

/* "10M", "512K", "1G" or plain bytes; binary multiples. */
static int parse_size(const char *value, long *out)
{
	char digits[32];
	size_t n = strlen(value);
	long mult = 1, v;

	if (n == 0 || n >= sizeof(digits))
		return 0;
	memcpy(digits, value, n + 1);
	switch (toupper((unsigned char)digits[n - 1])) {
	case 'K': mult = 1024L; break;
	case 'M': mult = 1024L * 1024; break;
	case 'G': mult = 1024L * 1024 * 1024; break;
	default: break;
	}
	if (mult != 1)
		digits[n - 1] = '\0';
	if (!parse_number(digits, 1, 4L * 1024 * 1024, &v))
		return 0;
	v *= mult;
	if (v < 1024 || v > 2L * 1024 * 1024 * 1024)
		return 0;
	*out = v;
	return 1;
}

static int parse_bool(const char *value, int *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0)
			return *out = 1, 1;
		if (strcasecmp(value, no[i]) == 0)
			return *out = 0, 1;
	}
	return 0;
}

/* "24", "24h", "2d": hours; 0 means every run. At most ten years. */
static int parse_interval(const char *value, int *out)
{
	char digits[32];
	size_t n = strlen(value);
	long v, mult = 1;

	if (n == 0 || n >= sizeof(digits))
		return 0;
	memcpy(digits, value, n + 1);
	if (digits[n - 1] == 'h' || digits[n - 1] == 'H') {
		digits[n - 1] = '\0';
	} else if (digits[n - 1] == 'd' || digits[n - 1] == 'D') {
		digits[n - 1] = '\0';
		mult = 24;
	}
	if (!parse_number(digits, 0, 87600, &v) || v * mult > 87600)
		return 0;
	*out = (int)(v * mult);
	return 1;
}

/* "200": posts; "30d": days. Exactly one of *posts, *days is set. */
static int parse_history(const char *value, int *posts, int *days)
{
	char digits[32];
	size_t n = strlen(value);
	long v;
	int in_days = 0;

	if (n == 0 || n >= sizeof(digits))
		return 0;
	memcpy(digits, value, n + 1);
	if (digits[n - 1] == 'd' || digits[n - 1] == 'D') {
		digits[n - 1] = '\0';
		in_days = 1;
	}
	if (!parse_number(digits, 1, in_days ? 36500 : 100000, &v))
		return 0;
	*posts = in_days ? 0 : (int)v;
	*days = in_days ? (int)v : 0;
	return 1;
}

/* http(s)://host... with no blanks or control characters. */
static int valid_url(const char *url)
{
	const char *p, *host;

	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return 0;
	if (!*host || *host == '/' || *host == '?' || *host == '#' || *host == ':')
		return 0;
	if (strlen(url) > URL_MAX_LEN)
		return 0;
	for (p = url; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
	}
	/* The crawler's normaliser must accept it too (host, port). */
	{
		struct vigil_url parsed;

		if (vigil_url_parse(url, NULL, &parsed, NULL) != VIGIL_OK)
			return 0;
		vigil_url_release(&parsed);
	}
	return 1;
}

/* scheme://host[:port]/ of url in the key form of common/url.h (IDNA
 * host, canonical IP, no default port), so that it compares equal to the
 * links the crawler finds. NULL on OOM (url is valid by then). */
static char *default_scope(const char *url)
{
	char *origin = vigil_url_origin(url, NULL), *scope = NULL;

	if (origin && (scope = malloc(strlen(origin) + 2)))
		sprintf(scope, "%s/", origin);
	free(origin);
	return scope;
}

static int valid_language(const char *value)
{
	size_t n = strlen(value), i;

	if (n < 2 || n > 3)
		return 0;
	for (i = 0; i < n; i++) {
		if (value[i] < 'a' || value[i] > 'z')
			return 0;
	}
	return 1;
}

static int valid_user_agent(const char *value)
{
	const unsigned char *p = (const unsigned char *)value;

	if (!*p || strlen(value) > 512)
		return 0;
	for (; *p; p++) {
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	}
	return 1;
}

static unsigned key_bit(const struct key_spec *keys, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(keys[i].name, key) == 0)
			return keys[i].bit;
	}
	return 0;
}

static enum vigil_code set_string(struct loader *ld, char **slot, const char *value)
{
	char *copy = vigil_strdup(value);

	if (!copy)
		return nomem(ld);
	free(*slot);
	*slot = copy;
	return VIGIL_OK;
}

/* One "ADDRESS[:PORT]" of an allow_private list: an IPv4 or IPv6 address
 * (in brackets when a port follows) and an optional port 1-65535. */
static int valid_endpoint(const char *item, size_t len)
{
	char token[80], *host = token, *port = NULL;
	unsigned char addr[16];

	if (!len || len >= sizeof(token))
		return 0;
	memcpy(token, item, len);
	token[len] = '\0';
	if (token[0] == '[') {
		char *close = strchr(token, ']');

		if (!close || (close[1] && close[1] != ':'))
			return 0;
		*close = '\0';
		host = token + 1;
		port = close[1] ? close + 2 : NULL;
	} else {
		char *colon = strchr(token, ':');

		if (colon && !strchr(colon + 1, ':')) { /* one colon: IPv4 and a port */
			*colon = '\0';
			port = colon + 1;
		}
	}
	if (inet_pton(AF_INET, host, addr) != 1 && inet_pton(AF_INET6, host, addr) != 1)
		return 0;
	if (port) {
		char *end;
		long n = strtol(port, &end, 10);

		if (!*port || *end || n < 1 || n > 65535 || !isdigit((unsigned char)*port))
			return 0;
	}
	return 1;
}

/* allow_private = yes | no | ADDRESS[:PORT] ... */
static enum vigil_code allow_private_value(struct loader *ld, const struct config_ini_event *ev)
{
	struct config_settings *st = &ld->out->settings;
	const char *v = ev->value;

	free(st->private_endpoints);
	st->private_endpoints = NULL;
	if (parse_bool(v, &st->allow_private))
		return VIGIL_OK;
	st->allow_private = 0;
	for (const char *p = v + strspn(v, " \t,"); *p; p += strspn(p, " \t,")) {
		size_t len = strcspn(p, " \t,");

		if (!valid_endpoint(p, len))
			return FAIL(ld, ev->line,
				    "allow_private: expected yes, no or a list of ADDRESS[:PORT] "
				    "(IPv6 as [ADDRESS]:PORT), got '%.*s'", (int)(len > 80 ? 80 : len), p);
		p += len;
	}
	if (!*v)
		return FAIL(ld, ev->line, "allow_private: expected yes, no or a list of ADDRESS[:PORT]");
	return set_string(ld, &st->private_endpoints, v);
}

/* "90m", "6h", "3d", "2w": a duration in seconds, 1 minute to 10 years;
 * the unit is required (a bare number would be ambiguous next to the
 * hours of `interval`). len bytes of text. */
static int parse_duration(const char *text, size_t len, int64_t *out)
{
	char digits[16];
	long v, unit;

	if (len < 2 || len > sizeof(digits))
		return 0;
	switch (text[len - 1]) {
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return 0;
	}
	memcpy(digits, text, len - 1);
	digits[len - 1] = '\0';
	if (!parse_number(digits, 1, 10L * 366 * 86400, &v) || (int64_t)v * unit > 3660LL * 86400 ||
	    (int64_t)v * unit < 60)
		return 0;
	*out = (int64_t)v * unit;
	return 1;
}

static enum vigil_code recheck_value(struct loader *ld, const struct config_ini_event *ev)
{
	struct config_settings *st = &ld->out->settings;
	int count = 0;

	if (strcmp(ev->value, "always") == 0) {
		st->recheck_step_count = 0;
		return VIGIL_OK;
	}
	for (const char *p = ev->value + strspn(ev->value, " \t,"); *p; p += strspn(p, " \t,")) {
		size_t len = strcspn(p, " \t,");
		int64_t step;

		if (!parse_duration(p, len, &step))
			return FAIL(ld, ev->line,
				    "recheck: expected durations such as 1h 6h 1d 3d 7d 30d (N with m, "
				    "h, d or w, 1m to 3660d) or always, got '%.*s'",
				    (int)(len > 80 ? 80 : len), p);
		if (count == CONFIG_RECHECK_MAX_STEPS)
			return FAIL(ld, ev->line, "recheck: at most %d steps",
				    CONFIG_RECHECK_MAX_STEPS);
		if (count && step <= st->recheck_steps[count - 1])
			return FAIL(ld, ev->line,
				    "recheck: steps must grow; '%.*s' is not longer than the step "
				    "before it", (int)(len > 80 ? 80 : len), p);
		st->recheck_steps[count++] = step;
		p += len;
	}
	if (!count)
		return FAIL(ld, ev->line, "recheck: expected durations such as 1h 6h 1d 3d 7d 30d, "
			    "or always");
	st->recheck_step_count = count;
	return VIGIL_OK;
}

static enum vigil_code settings_key(struct loader *ld, const struct config_ini_event *ev)
{
	struct config_settings *st = &ld->out->settings;
	const char *k = ev->key, *v = ev->value;
	long size;

	if (strcmp(k, "user_agent") == 0) {
		if (!valid_user_agent(v))
			return FAIL(ld, ev->line,
				    "user_agent: expected printable ASCII text (1 to 512 bytes)");
		return set_string(ld, &st->user_agent, v);
	}
	if (strcmp(k, "delay_ms") == 0)
		return parse_int_value(ld, ev->line, k, v, 0, 3600000, &st->delay_ms)
			       ? VIGIL_OK : VIGIL_ERR_CONFIG;
	if (strcmp(k, "timeout") == 0)
		return parse_int_value(ld, ev->line, k, v, 1, 3600, &st->timeout_seconds)
			       ? VIGIL_OK : VIGIL_ERR_CONFIG;
	if (strcmp(k, "parallel_hosts") == 0)
		return parse_int_value(ld, ev->line, k, v, 1, 1024, &st->parallel_hosts)
			       ? VIGIL_OK : VIGIL_ERR_CONFIG;
	if (strcmp(k, "minor_edit") == 0)
		return parse_int_value(ld, ev->line, k, v, 0, 100, &st->minor_edit)
			       ? VIGIL_OK : VIGIL_ERR_CONFIG;
	if (strcmp(k, "workers") == 0)
		return parse_int_value(ld, ev->line, k, v, 0, 16, &st->workers)
			       ? VIGIL_OK : VIGIL_ERR_CONFIG;
	if (strcmp(k, "max_body") == 0) {
		if (!parse_size(v, &size))
			return FAIL(ld, ev->line,
				    "max_body: expected a size from 1K to 2G (bytes, or N with "
				    "K, M or G), got '%.80s'", v);
		st->max_body_bytes = size;
		return VIGIL_OK;
	}
	if (strcmp(k, "allow_private") == 0)
		return allow_private_value(ld, ev);
	if (strcmp(k, "recheck") == 0)
		return recheck_value(ld, ev);
	if (strcmp(k, "recheck_until") == 0) {
		if (!parse_duration(v, strlen(v), &st->recheck_until))
			return FAIL(ld, ev->line,
				    "recheck_until: expected a duration such as 365d (N with m, h, d "
				    "or w, 1m to 3660d), got '%.80s'", v);
		return VIGIL_OK;
	}
	if (strcmp(k, "robots") == 0) {
		if (!parse_bool(v, &st->obey_robots))
			return FAIL(ld, ev->line, "robots: expected yes or no, got '%.80s'", v);
		return VIGIL_OK;
	}
	/* rules */
	if (!*v)
		return FAIL(ld, ev->line, "rules: expected a directory");
	free(st->rules_dir);
	st->rules_dir = config_resolve_relative(ld->out->path, v);
	return st->rules_dir ? VIGIL_OK : nomem(ld);
}

static enum vigil_code source_key(struct loader *ld, const struct config_ini_event *ev)
{
	struct config_source *s = &ld->out->items[ld->out->count - 1];
	const char *k = ev->key, *v = ev->value;

	if (strcmp(k, "url") == 0) {
		if (!valid_url(v))
			return FAIL(ld, ev->line,
				    "url: expected an http:// or https:// URL without spaces, "
				    "got '%.200s'", v);
		return set_string(ld, &s->url, v);
	}
	if (strcmp(k, "scope") == 0) {
		if (!valid_url(v))
			return FAIL(ld, ev->line,
				    "scope: expected an http:// or https:// URL prefix, got "
				    "'%.200s'", v);
		return set_string(ld, &s->scope, v);
	}
	if (strcmp(k, "kind") == 0) {
		if (strcmp(v, "site") == 0)
			s->kind = CONFIG_SOURCE_SITE;
		else if (strcmp(v, "feed") == 0)
			s->kind = CONFIG_SOURCE_FEED;
		else if (strcmp(v, "sitemap") == 0)
			s->kind = CONFIG_SOURCE_SITEMAP;
		else if (strcmp(v, "channel") == 0)
			s->kind = CONFIG_SOURCE_CHANNEL;
		else
			return FAIL(ld, ev->line,
				    "kind: expected site, feed, sitemap or channel, got '%.80s'",
				    v);
		return VIGIL_OK;
	}
	if (strcmp(k, "language") == 0) {
		if (!valid_language(v))
			return FAIL(ld, ev->line,
				    "language: expected a 2- or 3-letter lower-case code such as "
				    "ru, kk or en, got '%.80s'", v);
		return set_string(ld, &s->language, v);
	}
	if (strcmp(k, "region") == 0) {
		if (!config_valid_id(v, NAME_MAX_LEN, 0))
			return FAIL(ld, ev->line,
				    "region: expected a region id such as PAV (letters, digits, "
				    "'_', '-'), got '%.80s'", v);
		return set_string(ld, &s->region, v);
	}
	if (strcmp(k, "interval") == 0) {
		if (!parse_interval(v, &s->interval_hours))
			return FAIL(ld, ev->line,
				    "interval: expected N, Nh (hours) or Nd (days), at most 87600 "
				    "hours, got '%.80s'", v);
		return VIGIL_OK;
	}
	if (strcmp(k, "depth") == 0) {
		ld->depth_set = 1;
		return parse_int_value(ld, ev->line, k, v, 0, 100, &s->depth) ? VIGIL_OK
									     : VIGIL_ERR_CONFIG;
	}
	if (strcmp(k, "max_pages") == 0)
		return parse_int_value(ld, ev->line, k, v, 1, 1000000, &s->max_pages)
			       ? VIGIL_OK : VIGIL_ERR_CONFIG;
	if (strcmp(k, "history") == 0) {
		ld->history_line = ev->line;
		if (!parse_history(v, &s->history_posts, &s->history_days))
			return FAIL(ld, ev->line,
				    "history: expected a number of posts (1-100000) or an age in "
				    "days such as 30d (1d-36500d), got '%.80s'", v);
		return VIGIL_OK;
	}
	/* starter */
	if (!parse_bool(v, &s->starter))
		return FAIL(ld, ev->line, "starter: expected yes or no, got '%.80s'", v);
	return VIGIL_OK;
}

/* Defaults that depend on other keys, and the required url. */
static enum vigil_code finish_source(struct loader *ld)
{
	struct config_source *s;

	if (ld->section != SEC_SOURCE)
		return VIGIL_OK;
	s = &ld->out->items[ld->out->count - 1];
	if (!s->url)
		return FAIL(ld, s->line, "[source %s] has no url; expected 'url = https://...'",
			    s->name);
	if (!ld->depth_set)
		s->depth = s->kind == CONFIG_SOURCE_SITE ? 2 : 1;
	if (ld->history_line && s->kind != CONFIG_SOURCE_CHANNEL)
		return FAIL(ld, ld->history_line,
			    "history: only a channel source (kind = channel) has a history; "
			    "[source %s] is a %s", s->name, config_source_kind_name(s->kind));
	if (!ld->history_line && s->kind == CONFIG_SOURCE_CHANNEL)
		s->history_posts = 200;
	if (!s->scope) {
		s->scope = default_scope(s->url);
		if (!s->scope)
			return nomem(ld);
	}
	return VIGIL_OK;
}

static enum vigil_code begin_source(struct loader *ld, const struct config_ini_event *ev)
{
	struct config_sources *out = ld->out;
	struct config_source *s;
	size_t i;

	if (!ev->name)
		return FAIL(ld, ev->line, "source without a name; expected [source NAME]");
	if (!config_valid_id(ev->name, NAME_MAX_LEN, 0))
		return FAIL(ld, ev->line,
			    "bad source name '%.80s'; expected 1 to 64 of A-Z a-z 0-9 _ -",
			    ev->name);
	for (i = 0; i < out->count; i++) {
		if (strcmp(out->items[i].name, ev->name) == 0)
			return config_fail(ld->err, ld->ini.path, ev->line,
					   "duplicate [source %s]; first defined at line %d",
					   ev->name, out->items[i].line);
	}
	if (out->count == ld->cap) {
		size_t cap = ld->cap ? ld->cap * 2 : 16;
		struct config_source *grown;

		if (out->count >= SOURCES_MAX)
			return FAIL(ld, ev->line, "more than 100000 sources");
		grown = realloc(out->items, cap * sizeof(*grown));
		if (!grown)
			return nomem(ld);
		out->items = grown;
		ld->cap = cap;
	}
	s = &out->items[out->count];
	memset(s, 0, sizeof(*s));
	s->name = vigil_strdup(ev->name);
	if (!s->name)
		return nomem(ld);
	out->count++;
	s->kind = CONFIG_SOURCE_SITE;
	s->interval_hours = 24;
	s->max_pages = 200;
	s->line = ev->line;
	ld->depth_set = 0;
	ld->history_line = 0;
	return VIGIL_OK;
}

static enum vigil_code on_section(struct loader *ld, const struct config_ini_event *ev)
{
	enum vigil_code code = finish_source(ld);

	if (code)
		return code;
	ld->seen = 0;
	if (strcmp(ev->type, "settings") == 0) {
		if (ev->name)
			return FAIL(ld, ev->line, "expected [settings] without a name, got "
				    "[settings %.80s]", ev->name);
		if (ld->settings_line)
			return config_fail(ld->err, ld->ini.path, ev->line,
					   "duplicate [settings]; first at line %d",
					   ld->settings_line);
		ld->settings_line = ev->line;
		ld->section = SEC_SETTINGS;
		return VIGIL_OK;
	}
	if (strcmp(ev->type, "source") == 0) {
		ld->section = SEC_SOURCE;
		return begin_source(ld, ev);
	}
	return FAIL(ld, ev->line, "unknown section [%.80s]; expected [settings] or "
		    "[source NAME]", ev->type);
}

static enum vigil_code on_key(struct loader *ld, const struct config_ini_event *ev)
{
	const struct key_spec *keys;
	const char *list;
	size_t n;
	unsigned bit;

	if (ld->section == SEC_NONE)
		return FAIL(ld, ev->line, "'%.80s' outside a section; expected [settings] or "
			    "[source NAME] first", ev->key);
	if (ld->section == SEC_SETTINGS) {
		keys = settings_keys;
		n = sizeof(settings_keys) / sizeof(*keys);
		list = settings_key_list;
	} else {
		keys = source_keys;
		n = sizeof(source_keys) / sizeof(*keys);
		list = source_key_list;
	}
	bit = key_bit(keys, n, ev->key);
	if (!bit)
		return config_fail(ld->err, ld->ini.path, ev->line,
				   "unknown key '%.80s' in [%s]; expected %s", ev->key,
				   ld->section == SEC_SETTINGS ? "settings" : "source", list);
	if (ld->seen & bit)
		return FAIL(ld, ev->line, "duplicate key '%s'; expected each key once per "
			    "section", ev->key);
	ld->seen |= bit;
	return ld->section == SEC_SETTINGS ? settings_key(ld, ev) : source_key(ld, ev);
}

enum vigil_code config_sources_load(const char *path, struct config_sources *out,
				    struct vigil_error *err)
{
	struct loader ld;
	struct config_ini_event ev;
	enum vigil_code code;

	memset(out, 0, sizeof(*out));
	memset(&ld, 0, sizeof(ld));
	ld.out = out;
	ld.err = err;
	out->path = vigil_strdup(path);
	out->settings.delay_ms = 1000;
	out->settings.timeout_seconds = 30;
	out->settings.max_body_bytes = 10L * 1024 * 1024;
	out->settings.parallel_hosts = 8;
	out->settings.obey_robots = 1;
	out->settings.minor_edit = 6;
	{
		static const int64_t steps[] = { 3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400,
						 30 * 86400 };

		memcpy(out->settings.recheck_steps, steps, sizeof(steps));
		out->settings.recheck_step_count = (int)(sizeof(steps) / sizeof(steps[0]));
		out->settings.recheck_until = 365 * 86400;
	}
	if (!out->path)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", path);
	code = config_ini_open(&ld.ini, path, err);
	while (!code) {
		code = config_ini_next(&ld.ini, &ev, err);
		if (code || ev.kind == CONFIG_INI_END)
			break;
		code = ev.kind == CONFIG_INI_SECTION ? on_section(&ld, &ev) : on_key(&ld, &ev);
	}
	if (!code)
		code = finish_source(&ld);
	if (!code && !out->settings.user_agent) {
		out->settings.user_agent =
			vigil_strdup("vigil/" VIGIL_VERSION " (+https://github.com/vigil-monitor/vigil)");
		if (!out->settings.user_agent)
			code = nomem(&ld);
	}
	config_ini_close(&ld.ini);
	if (code)
		config_sources_release(out);
	return code;
}
