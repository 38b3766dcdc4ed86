/*
 * url.h: the one URL normaliser of vigil, shared by every module.
 *
 * Every URL that becomes a key (frontier, material, robots.txt match,
 * origin of a host queue) goes through vigil_url_parse, so a link written
 * relative, absolute, with a Unicode host or its punycode form gives the
 * same text. Only http and https are accepted.
 *
 * Parsing follows the WHATWG URL standard for special schemes (trimming,
 * tabs and newlines dropped, backslash as slash, IDNA UTS 46
 * non-transitional through libidn2, WHATWG IPv4 and IPv6 host forms,
 * dot segments, the standard's percent-encode sets). On top of it, for
 * stable keys: percent escapes in user info, path and query are written
 * with upper-case hex and escaped unreserved characters (ALPHA DIGIT
 * - . _ ~) are decoded; no other escape is decoded (never %2F %3F %23
 * %25); the default port is dropped; the fragment is dropped. See
 * common/README.md for the documented differences from WHATWG.
 */
#ifndef VIGIL_URL_H
#define VIGIL_URL_H

#include "vigil.h"

/* Longer input is refused (VIGIL_ERR_TOO_LARGE): no real link needs it
 * and it only makes a hostile page expensive. */
#define VIGIL_URL_MAX_LEN 16384

/* A parsed, normalised http(s) URL. All strings are owned by the struct
 * (vigil_url_release frees them) and are ASCII. */
struct vigil_url {
	int https;      /* 1 for https, 0 for http */
	char *userinfo; /* "user" or "user:password", escaped; NULL when none */
	char *host;     /* lower-case DNS name (IDNA A-labels), dotted IPv4,
			 * or "[v6]" in its compressed form */
	int port;       /* -1 for the scheme's default port */
	char *path;     /* starts with '/', dot segments removed */
	char *query;    /* without the '?'; NULL when there is none */
};

/*
 * Parse text (absolute, or relative to base when base is not NULL) into
 * out. Errors: VIGIL_ERR_TOO_LARGE (over VIGIL_URL_MAX_LEN bytes),
 * VIGIL_ERR_PARSE (not http(s), no or invalid host, bad port, relative
 * without a base), VIGIL_ERR_NOMEM. On error out is empty.
 */
enum vigil_code vigil_url_parse(const char *text, const struct vigil_url *base,
				struct vigil_url *out, struct vigil_error *err) VIGIL_WARN_UNUSED;
void vigil_url_release(struct vigil_url *url);

/* The key form "scheme://[userinfo@]host[:port]/path[?query]"; malloc'd,
 * NULL on OOM. */
char *vigil_url_format(const struct vigil_url *url);

/* ref resolved against base (either may be NULL; a base that is not a
 * usable http(s) URL is ignored, unless parsing it ran out of memory) in
 * key form; malloc'd, or NULL with err filled (err may be NULL). */
char *vigil_url_resolve(const char *base, const char *ref, struct vigil_error *err);
/* vigil_url_resolve(NULL, url, err). */
char *vigil_url_normalise(const char *url, struct vigil_error *err);
/* "scheme://host[:port]" (no user info, no slash); malloc'd or NULL. */
char *vigil_url_origin(const char *url, struct vigil_error *err);
/* "/path[?query]" in key form; malloc'd or NULL. */
char *vigil_url_path_query(const char *url, struct vigil_error *err);
/* The host in key form (punycode, canonical IP); malloc'd or NULL. */
char *vigil_url_host(const char *url, struct vigil_error *err);
/* 1 when both URLs parse and have the same scheme, host and port. */
int vigil_url_same_origin(const char *a, const char *b);
/* 1 when url is inside scope: both parse, have the same origin, and url's
 * key form starts with scope's ("http://пример.kz/news/" holds
 * "http://xn--e1afmkfd.kz/news/1"). */
int vigil_url_in_scope(const char *scope, const char *url);
/* The whole number of the first query parameter name ("before" in
 * "/s/x?q=1&before=27#m" gives 27): 1 to 12 decimal digits, nothing else;
 * -1 when url (or an href) has no such parameter or another value. */
long long vigil_url_query_number(const char *url, const char *name);

/* vigil_url_in_scope that tells running out of memory (VIGIL_ERR_NOMEM)
 * from "outside": otherwise VIGIL_OK with *inside 1 or 0. */
enum vigil_code vigil_url_scope_check(const char *scope, const char *url, int *inside,
				      struct vigil_error *err) VIGIL_WARN_UNUSED;

/*
 * A path-and-query text (such as a robots.txt pattern) in the same
 * percent-encoding form as vigil_url_format writes: escapes upper-case,
 * unreserved escapes decoded, what WHATWG's path set (before the first
 * '?') or special-query set (after it) requires escaped. Nothing else
 * changes ('*' and '$' stay). malloc'd, NULL on OOM.
 */
char *vigil_url_normalise_path_text(const char *text, size_t len);

#endif
