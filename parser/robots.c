/*
 * robots.c: robots.txt as RFC 9309 describes it.
 *
 * Only the rules of the groups that apply to us are kept: every group whose
 * user-agent product token equals ours (case-insensitive; the groups are
 * merged), or else every "*" group. A path is matched against all kept
 * rules; the longest matching pattern wins and an allow wins a tie. Paths
 * and patterns are compared in vigil_url's one percent-encoding form (RFC
 * 9309 2.2.2): escapes in upper case, escaped unreserved characters
 * decoded and no others, non-ASCII and what WHATWG escapes escaped; the
 * path also has its dot segments removed, as every URL vigil fetches.
 * Crawl-delay (not in the RFC) is read from the same groups.
 * Sitemap lines and unknown keys are ignored.
 */
#include "parser.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RFC 9309 2.5: crawlers must read at least 500 KiB; the rest is ignored. */
#define ROBOTS_PARSE_LIMIT ((size_t)500 * 1024)
/* Longer patterns are dropped: they cannot be meant and make matching
 * (O(pattern * path) for wildcards) expensive. */
#define ROBOTS_PATTERN_MAX 2048
#define ROBOTS_DELAY_MAX_MS (24 * 3600 * 1000)

struct robots_rule {
	char *pattern; /* normalised; a trailing '$' anchors */
	size_t len;    /* octets of the normalised pattern: its specificity */
	int allow;
};

struct robots_rules {
	struct robots_rule *items;
	size_t count, cap;
	int delay_ms; /* -1 when not given */
};

struct parse_robots {
	struct robots_rules rules;
};

static void rules_release(struct robots_rules *rules)
{
	for (size_t i = 0; i < rules->count; i++)
		free(rules->items[i].pattern);
	free(rules->items);
	rules->items = NULL;
	rules->count = rules->cap = 0;
}

static enum vigil_code rules_add(struct robots_rules *rules, const char *value, size_t n,
				 int allow)
{
	struct robots_rule *rule;
	char *pattern;

	/* A pattern that does not start with '/' or '*' would never match;
	 * read "Disallow: private" as "/private" as Google does. */
	if (value[0] != '/' && value[0] != '*') {
		char *slashed = malloc(n + 2);

		if (!slashed)
			return VIGIL_ERR_NOMEM;
		slashed[0] = '/';
		memcpy(slashed + 1, value, n);
		pattern = vigil_url_normalise_path_text(slashed, n + 1);
		free(slashed);
	} else {
		pattern = vigil_url_normalise_path_text(value, n);
	}
	if (!pattern)
		return VIGIL_ERR_NOMEM;
	if (rules->count == rules->cap) {
		size_t cap = rules->cap ? 2 * rules->cap : 16;
		struct robots_rule *grown = realloc(rules->items, cap * sizeof(*grown));

		if (!grown) {
			free(pattern);
			return VIGIL_ERR_NOMEM;
		}
		rules->items = grown;
		rules->cap = cap;
	}
	rule = &rules->items[rules->count++];
	rule->pattern = pattern;
	rule->len = strlen(pattern);
	rule->allow = allow;
	return VIGIL_OK;
}

/*
 * Does pattern match path? The pattern is matched from the start of the
 * path and may end anywhere in it, unless it ends with '$'. '*' matches
 * any run of octets. Greedy with backtracking to the last '*': O(n * m)
 * in the worst case, never exponential.
 */
static int pattern_matches(const char *pattern, const char *path)
{
	size_t plen = strlen(pattern);
	int anchored = plen > 0 && pattern[plen - 1] == '$';
	const char *p = pattern, *s = path, *star = NULL, *star_s = NULL;
	const char *pend = pattern + plen - (anchored ? 1 : 0);

	while (1) {
		if (p < pend && *p == '*') {
			star = ++p;
			star_s = s;
			continue;
		}
		if (p == pend) {
			if (!anchored || *s == '\0')
				return 1;
		} else if (*s && *p == *s) {
			p++;
			s++;
			continue;
		}
		/* Mismatch: let the last '*' swallow one more octet. */
		if (!star || !*star_s)
			return 0;
		p = star;
		s = ++star_s;
	}
}

/* The product token: the leading run of [A-Za-z_-] (RFC 9309 2.2.1). */
static size_t token_length(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (isalpha((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
		i++;
	return i;
}

enum robots_key {
	ROBOTS_UNKNOWN,
	ROBOTS_AGENT,
	ROBOTS_ALLOW,
	ROBOTS_DISALLOW,
	ROBOTS_DELAY,
	ROBOTS_SITEMAP
};

/* Keys as written in the wild, common misspellings included. */
static enum robots_key key_of(const char *key, size_t n)
{
	static const struct { const char *name; enum robots_key key; } keys[] = {
		{ "user-agent", ROBOTS_AGENT }, { "useragent", ROBOTS_AGENT },
		{ "user agent", ROBOTS_AGENT }, { "allow", ROBOTS_ALLOW },
		{ "disallow", ROBOTS_DISALLOW }, { "dissallow", ROBOTS_DISALLOW },
		{ "dissalow", ROBOTS_DISALLOW }, { "disalow", ROBOTS_DISALLOW },
		{ "disallaw", ROBOTS_DISALLOW }, { "crawl-delay", ROBOTS_DELAY },
		{ "crawldelay", ROBOTS_DELAY }, { "crawl delay", ROBOTS_DELAY },
		{ "sitemap", ROBOTS_SITEMAP }, { "site-map", ROBOTS_SITEMAP },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == n && strncasecmp(key, keys[i].name, n) == 0)
			return keys[i].key;
	return ROBOTS_UNKNOWN;
}

/* "10", "0.5", "2.75" seconds to milliseconds without strtod (which
 * would follow the process locale's decimal comma). -1 when invalid. */
static int delay_ms(const char *s, size_t n)
{
	long long ms = 0, scale = 1000;
	size_t i = 0;

	if (n == 0 || !isdigit((unsigned char)s[0]))
		return -1;
	for (; i < n && isdigit((unsigned char)s[i]); i++)
		if (ms <= ROBOTS_DELAY_MAX_MS)
			ms = ms * 10 + (s[i] - '0') * 1000;
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		for (i++; i < n && isdigit((unsigned char)s[i]); i++) {
			scale /= 10;
			ms += (s[i] - '0') * scale;
		}
	}
	if (i != n)
		return -1;
	return ms > ROBOTS_DELAY_MAX_MS ? ROBOTS_DELAY_MAX_MS : (int)ms;
}

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* One line split into key and value. */
static enum robots_key split_line(const char *line, size_t n, const char **value,
				  size_t *value_len)
{
	const char *colon = memchr(line, ':', n), *key = line;
	size_t key_len;

	if (colon) {
		key_len = (size_t)(colon - line);
		*value = colon + 1;
		*value_len = n - key_len - 1;
	} else {
		/* "Disallow /x": a missing colon, as Google tolerates. */
		key_len = 0;
		while (key_len < n && !isspace((unsigned char)line[key_len]))
			key_len++;
		*value = line + key_len;
		*value_len = n - key_len;
	}
	trim(&key, &key_len);
	trim(value, value_len);
	return key_of(key, key_len);
}

struct robots_parser {
	const char *token; /* our product token */
	size_t token_len;
	struct robots_rules mine, star;
	int mine_seen;     /* a group names us, even with no rules */
	int in_agents;     /* the previous group line was a user-agent */
	int group_mine, group_star;
};

static enum vigil_code parse_line(struct robots_parser *rp, const char *line, size_t n)
{
	const char *hash = memchr(line, '#', n), *value;
	size_t value_len;
	enum robots_key key;
	enum vigil_code code;

	if (hash)
		n = (size_t)(hash - line);
	trim(&line, &n);
	if (n == 0)
		return VIGIL_OK;
	key = split_line(line, n, &value, &value_len);
	switch (key) {
	case ROBOTS_AGENT: {
		size_t tlen = token_length(value, value_len);

		if (!rp->in_agents) {
			rp->group_mine = rp->group_star = 0;
			rp->in_agents = 1;
		}
		if (value_len > 0 && value[0] == '*') {
			rp->group_star = 1;
		} else if (tlen > 0 && tlen == rp->token_len &&
			   strncasecmp(value, rp->token, tlen) == 0) {
			rp->group_mine = 1;
			rp->mine_seen = 1;
		}
		return VIGIL_OK;
	}
	case ROBOTS_ALLOW:
	case ROBOTS_DISALLOW:
	case ROBOTS_DELAY:
		rp->in_agents = 0;
		if (!rp->group_mine && !rp->group_star)
			return VIGIL_OK;
		if (key == ROBOTS_DELAY) {
			int ms = delay_ms(value, value_len);

			if (ms >= 0 && rp->group_mine && rp->mine.delay_ms < 0)
				rp->mine.delay_ms = ms;
			if (ms >= 0 && rp->group_star && rp->star.delay_ms < 0)
				rp->star.delay_ms = ms;
			return VIGIL_OK;
		}
		/* An empty value ("Disallow:") is no rule at all. */
		if (value_len == 0 || value_len > ROBOTS_PATTERN_MAX)
			return VIGIL_OK;
		if (rp->group_mine &&
		    (code = rules_add(&rp->mine, value, value_len, key == ROBOTS_ALLOW)))
			return code;
		if (rp->group_star &&
		    (code = rules_add(&rp->star, value, value_len, key == ROBOTS_ALLOW)))
			return code;
		return VIGIL_OK;
	case ROBOTS_SITEMAP:
	case ROBOTS_UNKNOWN:
		/* Not group members: they neither end nor join a group. */
		return VIGIL_OK;
	}
	return VIGIL_OK;
}

enum vigil_code parse_robots(const char *body, size_t len, const char *user_agent_token,
			     struct parse_robots **out, struct vigil_error *err)
{
	struct robots_parser rp;
	struct parse_robots *robots;
	const char *p, *end;
	enum vigil_code code = VIGIL_OK;

	*out = NULL;
	memset(&rp, 0, sizeof(rp));
	rp.mine.delay_ms = rp.star.delay_ms = -1;
	rp.token = user_agent_token ? user_agent_token : "";
	rp.token_len = token_length(rp.token, strlen(rp.token));
	robots = calloc(1, sizeof(*robots));
	if (!robots)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "robots.txt: out of memory");
	robots->rules.delay_ms = -1;
	if (!body || len == 0) {
		*out = robots;
		return VIGIL_OK;
	}
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
		body += 3;
		len -= 3;
	}
	p = body;
	end = body + len;
	if (len > ROBOTS_PARSE_LIMIT) {
		/* Cut after the last complete line inside the limit. */
		end = body + ROBOTS_PARSE_LIMIT;
		while (end > body && end[-1] != '\n' && end[-1] != '\r')
			end--;
	}
	while (p < end && !code) {
		const char *eol = p;

		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		code = parse_line(&rp, p, (size_t)(eol - p));
		if (eol < end && *eol == '\r' && eol + 1 < end && eol[1] == '\n')
			eol++;
		p = eol + 1;
	}
	if (code) {
		rules_release(&rp.mine);
		rules_release(&rp.star);
		free(robots);
		return vigil_error_set(err, code, "robots.txt: out of memory");
	}
	if (rp.mine_seen) {
		robots->rules = rp.mine;
		rules_release(&rp.star);
	} else {
		robots->rules = rp.star;
		rules_release(&rp.mine);
	}
	*out = robots;
	return VIGIL_OK;
}

/* path?query of target (a URL, or a path taken as relative to the
 * site's root) in the normalised form; NULL with err filled. */
static char *target_path(const char *target, struct vigil_error *err)
{
	struct vigil_url root = { 0, NULL, "robots.invalid", -1, "/", NULL }, url;
	struct vigil_buf out = VIGIL_BUF_INIT;
	char *path = NULL;

	if (vigil_url_parse(target, &root, &url, err))
		return NULL;
	if (vigil_buf_append_str(&out, url.path) == VIGIL_OK &&
	    (!url.query || (vigil_buf_append(&out, "?", 1) == VIGIL_OK &&
			    vigil_buf_append_str(&out, url.query) == VIGIL_OK)))
		path = vigil_buf_detach(&out);
	vigil_buf_release(&out);
	vigil_url_release(&url);
	if (!path)
		vigil_error_set(err, VIGIL_ERR_NOMEM, "robots.txt: out of memory");
	return path;
}

int parse_robots_allowed(const struct parse_robots *robots, const char *url,
			 struct vigil_error *err)
{
	size_t best_len = 0;
	int found = 0, allowed = 1;
	char *path;

	/* Fail closed: what cannot be normalised cannot be matched, and
	 * letting it through would let an odd spelling pass a Disallow. */
	if (!url) {
		vigil_error_set(err, VIGIL_ERR_USAGE, "robots.txt: no URL to check");
		return 0;
	}
	path = target_path(url, err);
	if (!path) {
		vigil_error_prefix(err, "robots.txt");
		return 0;
	}
	if (!robots || robots->rules.count == 0 || strcmp(path, "/robots.txt") == 0) {
		free(path);
		return 1;
	}
	for (size_t i = 0; i < robots->rules.count; i++) {
		const struct robots_rule *rule = &robots->rules.items[i];

		if (found && (rule->len < best_len || (rule->len == best_len && !rule->allow)))
			continue;
		if (!pattern_matches(rule->pattern, path))
			continue;
		if (!found || rule->len > best_len || rule->allow) {
			allowed = rule->allow;
			best_len = rule->len;
			found = 1;
		}
	}
	free(path);
	return allowed;
}

int parse_robots_crawl_delay_ms(const struct parse_robots *robots)
{
	return robots ? robots->rules.delay_ms : -1;
}

void parse_robots_free(struct parse_robots **robots)
{
	if (!robots || !*robots)
		return;
	rules_release(&(*robots)->rules);
	free(*robots);
	*robots = NULL;
}
