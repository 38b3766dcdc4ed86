/*
 * url.c: resolving and normalising http(s) URLs.
 *
 * libxml2's xmlBuildURI does the RFC 3986 merge, but it rejects what real
 * pages contain (spaces, raw Cyrillic, stray '%') and leaves "/../g" alone,
 * so the input is made strictly ASCII first and the result is split and
 * normalised here: lowercase scheme and host, default port dropped, dot
 * segments removed, percent escapes in upper case with unreserved bytes
 * decoded, fragment dropped, empty path "/". Non-ASCII host names become
 * IDNA "xn--" labels (lowercasing covers ASCII and Cyrillic, not all of
 * Unicode; no NFC).
 */
#include "parser.h"

#include <ctype.h>
#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longer references are refused: no real link needs them and they only
 * make a hostile page expensive. */
#define URL_MAX_LEN 16384

struct url_span {
	const char *p;
	size_t n;
};

/* The RFC 3986 appendix B split; fragment excluded. */
struct url_parts {
	struct url_span scheme, authority, path, query;
	int has_scheme, has_authority, has_query;
};

static int is_unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int is_sub_delim(unsigned char c)
{
	return c && strchr("!$&'()*+,;=", c) != NULL;
}

/* Bytes that may stay as they are in a path or query. */
static int is_path_char(unsigned char c)
{
	return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' || c == '/' ||
	       c == '?';
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void url_split(const char *s, size_t len, struct url_parts *out)
{
	const char *end = s + len, *p = s, *q;

	memset(out, 0, sizeof(*out));
	for (q = p; q < end && *q != ':' && *q != '/' && *q != '?' && *q != '#'; q++)
		;
	if (q < end && *q == ':' && q > p && isalpha((unsigned char)*p)) {
		out->has_scheme = 1;
		out->scheme.p = p;
		out->scheme.n = (size_t)(q - p);
		p = q + 1;
	}
	if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
		p += 2;
		for (q = p; q < end && *q != '/' && *q != '?' && *q != '#'; q++)
			;
		out->has_authority = 1;
		out->authority.p = p;
		out->authority.n = (size_t)(q - p);
		p = q;
	}
	for (q = p; q < end && *q != '?' && *q != '#'; q++)
		;
	out->path.p = p;
	out->path.n = (size_t)(q - p);
	p = q;
	if (p < end && *p == '?') {
		p++;
		for (q = p; q < end && *q != '#'; q++)
			;
		out->has_query = 1;
		out->query.p = p;
		out->query.n = (size_t)(q - p);
	}
}

static int span_ieq(struct url_span s, const char *text)
{
	return strlen(text) == s.n && strncasecmp(s.p, text, s.n) == 0;
}

/* ---- IDNA: UTF-8 host labels to "xn--" punycode (RFC 3492) ---- */

/* Decode one UTF-8 sequence; returns its length or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t v;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		v = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		v = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* Lower case for ASCII and the Cyrillic block, which covers the Russian and
 * Kazakh domains this crawler meets. */
static uint32_t idn_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c == 0x4C0)
		return 0x4CF;
	if (((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
	     (c >= 0x4D0 && c <= 0x52F)) && c % 2 == 0)
		return c + 1;
	if (c >= 0x4C1 && c <= 0x4CE && c % 2 == 1)
		return c + 1;
	return c;
}

static char puny_digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

static uint32_t puny_adapt(uint32_t delta, uint32_t points, int first)
{
	uint32_t k = 0;

	delta = first ? delta / 700 : delta / 2;
	delta += delta / points;
	while (delta > ((36 - 1) * 26) / 2) {
		delta /= 36 - 1;
		k += 36;
	}
	return k + (36 * delta) / (delta + 38);
}

/* Append one label (code points cps[0..n)) as ASCII or "xn--" form. */
static int idn_label(const uint32_t *cps, size_t n, struct vigil_buf *out)
{
	uint32_t next = 0x80, delta = 0, bias = 72, h, b = 0;
	size_t start = out->len, i;
	int ascii = 1;

	for (i = 0; i < n; i++)
		if (cps[i] >= 0x80)
			ascii = 0;
	if (!ascii && vigil_buf_append_str(out, "xn--"))
		return -1;
	for (i = 0; i < n; i++) {
		if (cps[i] < 0x80) {
			char c = (char)cps[i];

			if (vigil_buf_append(out, &c, 1))
				return -1;
			b++;
		}
	}
	if (ascii)
		return 0;
	if (b > 0 && vigil_buf_append(out, "-", 1))
		return -1;
	h = b;
	while (h < n) {
		uint32_t m = UINT32_MAX;

		for (i = 0; i < n; i++)
			if (cps[i] >= next && cps[i] < m)
				m = cps[i];
		/* Labels are at most 63 bytes, so this never overflows. */
		delta += (m - next) * (h + 1);
		next = m;
		for (i = 0; i < n; i++) {
			if (cps[i] < next) {
				delta++;
			} else if (cps[i] == next) {
				uint32_t q = delta, k;

				for (k = 36;; k += 36) {
					uint32_t t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
					char c;

					if (q < t)
						break;
					c = puny_digit(t + (q - t) % (36 - t));
					if (vigil_buf_append(out, &c, 1))
						return -1;
					q = (q - t) / (36 - t);
				}
				{
					char c = puny_digit(q);

					if (vigil_buf_append(out, &c, 1))
						return -1;
				}
				bias = puny_adapt(delta, h + 1, h == b);
				delta = 0;
				h++;
			}
		}
		delta++;
		next++;
	}
	return out->len - start > 63 ? -1 : 0;
}

/* Host bytes to lowercase ASCII; -1 when the host cannot be a DNS name. */
static int host_to_ascii(const char *host, size_t n, struct vigil_buf *out)
{
	uint32_t cps[64];
	size_t count = 0, i = 0;

	while (i <= n) {
		uint32_t cp;
		size_t len;

		if (i == n || host[i] == '.') {
			if (idn_label(cps, count, out))
				return -1;
			count = 0;
			if (i < n && vigil_buf_append(out, ".", 1))
				return -1;
			i++;
			continue;
		}
		len = utf8_decode((const unsigned char *)host + i, n - i, &cp);
		if (len == 0 || count == 64)
			return -1;
		if (cp < 0x80 && !is_unreserved((unsigned char)cp) && !is_sub_delim((unsigned char)cp))
			return -1;
		cps[count++] = idn_lower(cp);
		i += len;
	}
	return 0;
}

/* ---- making a reference acceptable to xmlBuildURI ---- */

static int append_escaped(struct vigil_buf *out, const char *s, size_t n, int in_query)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3];

		if (c == '%' && i + 2 < n && hex_value((unsigned char)s[i + 1]) >= 0 &&
		    hex_value((unsigned char)s[i + 2]) >= 0) {
			if (vigil_buf_append(out, s + i, 1))
				return -1;
			continue;
		}
		if (c == '\\' && !in_query)
			c = '/';
		if (is_path_char(c)) {
			if (vigil_buf_append(out, &c, 1))
				return -1;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 15];
		if (vigil_buf_append(out, esc, 3))
			return -1;
	}
	return 0;
}

/* The authority with its host made ASCII; port digits checked later. */
static int append_authority(struct vigil_buf *out, struct url_span a)
{
	const char *at = NULL, *host, *end = a.p + a.n, *colon = NULL;

	for (const char *p = a.p; p < end; p++)
		if (*p == '@')
			at = p;
	host = at ? at + 1 : a.p;
	if (at && append_escaped(out, a.p, (size_t)(at + 1 - a.p), 0))
		return -1;
	if (host < end && *host == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));

		if (!close)
			return -1;
		for (const char *p = host + 1; p < close; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return -1;
		for (const char *p = host; p <= close; p++) {
			char c = (char)tolower((unsigned char)*p);

			if (vigil_buf_append(out, &c, 1))
				return -1;
		}
		colon = close + 1;
		if (colon < end && *colon != ':')
			return -1;
	} else {
		colon = memchr(host, ':', (size_t)(end - host));
		if (host_to_ascii(host, (size_t)((colon ? colon : end) - host), out))
			return -1;
	}
	if (colon && colon < end) {
		for (const char *p = colon + 1; p < end; p++)
			if (!isdigit((unsigned char)*p))
				return -1;
		if (vigil_buf_append(out, colon, (size_t)(end - colon)))
			return -1;
	}
	return 0;
}

/*
 * Trim, drop tabs and newlines (browsers do), cut the fragment, treat
 * backslashes as slashes, IDNA-encode the host and percent-escape every
 * other byte libxml2 would refuse. NULL when ref is not usable at all.
 */
static char *url_prepare(const char *ref)
{
	struct vigil_buf clean = VIGIL_BUF_INIT, out = VIGIL_BUF_INIT;
	struct url_parts parts;
	const char *start = ref, *end;
	char *result = NULL;

	while (*start && (unsigned char)*start <= ' ')
		start++;
	end = start + strlen(start);
	while (end > start && (unsigned char)end[-1] <= ' ')
		end--;
	if ((size_t)(end - start) > URL_MAX_LEN)
		return NULL;
	for (const char *p = start; p < end; p++) {
		if (*p == '#')
			break;
		if (*p == '\t' || *p == '\r' || *p == '\n')
			continue;
		if (vigil_buf_append(&clean, p, 1))
			goto done;
	}
	if (!clean.data && vigil_buf_append(&clean, "", 0))
		goto done;
	/* Backslashes before the query act as slashes, also in "\\host". */
	for (char *p = clean.data; *p && *p != '?'; p++)
		if (*p == '\\')
			*p = '/';
	url_split(clean.data, clean.len, &parts);
	if (parts.has_scheme) {
		if (!span_ieq(parts.scheme, "http") && !span_ieq(parts.scheme, "https"))
			goto done;
		for (size_t i = 0; i < parts.scheme.n; i++) {
			char c = (char)tolower((unsigned char)parts.scheme.p[i]);

			if (vigil_buf_append(&out, &c, 1))
				goto done;
		}
		if (vigil_buf_append(&out, ":", 1))
			goto done;
	}
	if (parts.has_authority) {
		if (vigil_buf_append(&out, "//", 2) || append_authority(&out, parts.authority))
			goto done;
	}
	if (append_escaped(&out, parts.path.p, parts.path.n, 0))
		goto done;
	if (parts.has_query && (vigil_buf_append(&out, "?", 1) ||
				append_escaped(&out, parts.query.p, parts.query.n, 1)))
		goto done;
	if (!out.data && vigil_buf_append(&out, "", 0))
		goto done;
	result = vigil_buf_detach(&out);
done:
	vigil_buf_release(&clean);
	vigil_buf_release(&out);
	return result;
}

/* ---- normalising an absolute URL ---- */

/* A registered name of DNS-sized labels, or a bracketed IPv6 literal.
 * Percent-escaped host names are refused rather than decoded. */
static int host_valid(const char *host, size_t n)
{
	size_t label = 0;

	if (n == 0 || n > 255)
		return 0;
	if (host[0] == '[') {
		if (n < 3 || host[n - 1] != ']')
			return 0;
		for (size_t i = 1; i + 1 < n; i++)
			if (!isxdigit((unsigned char)host[i]) && host[i] != ':' && host[i] != '.')
				return 0;
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)host[i];

		if (c == '.') {
			label = 0;
			continue;
		}
		if (!is_unreserved(c) && !is_sub_delim(c))
			return 0;
		if (++label > 63)
			return 0;
	}
	return 1;
}

/* RFC 3986 5.2.4 on path (always starting with '/'), into out. */
static int remove_dot_segments(const char *path, size_t n, struct vigil_buf *out)
{
	const char *p = path, *end = path + n;

	while (p < end) {
		const char *seg = p + 1, *next;
		size_t len;

		for (next = seg; next < end && *next != '/'; next++)
			;
		len = (size_t)(next - seg);
		if (len == 1 && seg[0] == '.') {
			if (next == end && vigil_buf_append(out, "/", 1))
				return -1;
		} else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			/* Drop the last "/segment" written. */
			while (out->len > 0 && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > 0)
				out->len--;
			if (next == end && vigil_buf_append(out, "/", 1))
				return -1;
		} else if (vigil_buf_append(out, p, (size_t)(next - p))) {
			return -1;
		}
		p = next;
	}
	if (out->data)
		out->data[out->len] = '\0';
	return 0;
}

/* Escapes in upper case; escaped unreserved bytes decoded (RFC 3986 6.2.2). */
static void normalise_escapes(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		int hi, lo;

		if (*r == '%' && (hi = hex_value((unsigned char)r[1])) >= 0 &&
		    (lo = hex_value((unsigned char)r[2])) >= 0) {
			unsigned char c = (unsigned char)(hi * 16 + lo);

			if (is_unreserved(c)) {
				*w++ = (char)c;
			} else {
				*w++ = '%';
				*w++ = (char)toupper((unsigned char)r[1]);
				*w++ = (char)toupper((unsigned char)r[2]);
			}
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static char *url_normalise(const char *abs)
{
	struct vigil_buf out = VIGIL_BUF_INIT, path = VIGIL_BUF_INIT;
	struct url_parts parts;
	const char *host, *colon = NULL, *end, *at = NULL;
	char *escaped = NULL;
	int https;
	long port = -1;

	url_split(abs, strlen(abs), &parts);
	if (!parts.has_scheme || !parts.has_authority)
		return NULL;
	if (span_ieq(parts.scheme, "https"))
		https = 1;
	else if (span_ieq(parts.scheme, "http"))
		https = 0;
	else
		return NULL;
	end = parts.authority.p + parts.authority.n;
	for (const char *p = parts.authority.p; p < end; p++)
		if (*p == '@')
			at = p;
	host = at ? at + 1 : parts.authority.p;
	if (host < end && *host == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));

		if (!close || close == host + 1)
			return NULL;
		colon = close + 1 < end ? close + 1 : NULL;
		if (colon && *colon != ':')
			return NULL;
	} else {
		colon = memchr(host, ':', (size_t)(end - host));
	}
	if (!host_valid(host, (size_t)((colon ? colon : end) - host)))
		return NULL;
	if (colon && colon + 1 < end) {
		port = 0;
		for (const char *p = colon + 1; p < end; p++) {
			if (!isdigit((unsigned char)*p))
				return NULL;
			port = port * 10 + (*p - '0');
			if (port > 65535)
				return NULL;
		}
	}
	if (vigil_buf_append_str(&out, https ? "https://" : "http://"))
		goto fail;
	if (at && vigil_buf_append(&out, parts.authority.p, (size_t)(host - parts.authority.p)))
		goto fail;
	for (const char *p = host; p < (colon ? colon : end); p++) {
		char c = (char)tolower((unsigned char)*p);

		if (vigil_buf_append(&out, &c, 1))
			goto fail;
	}
	if (port >= 0 && port != (https ? 443 : 80) && vigil_buf_printf(&out, ":%ld", port))
		goto fail;
	/* Escapes first, so that "%2e%2e" is a dot segment too (RFC 3986
	 * 6.2.2 order; and a second pass must not change the result). */
	escaped = strndup(parts.path.p, parts.path.n);
	if (!escaped)
		goto fail;
	normalise_escapes(escaped);
	if (remove_dot_segments(escaped, strlen(escaped), &path))
		goto fail;
	if (!path.data || path.len == 0) {
		vigil_buf_reset(&path);
		if (vigil_buf_append(&path, "/", 1))
			goto fail;
	}
	if (vigil_buf_append_str(&out, path.data))
		goto fail;
	if (parts.has_query) {
		size_t mark = out.len + 1;

		if (vigil_buf_append(&out, "?", 1) ||
		    vigil_buf_append(&out, parts.query.p, parts.query.n))
			goto fail;
		normalise_escapes(out.data + mark);
		out.len = mark + strlen(out.data + mark);
	}
	free(escaped);
	vigil_buf_release(&path);
	return vigil_buf_detach(&out);
fail:
	free(escaped);
	vigil_buf_release(&path);
	vigil_buf_release(&out);
	return NULL;
}

char *parse_url_resolve(const char *base, const char *ref)
{
	char *clean_ref, *clean_base = NULL, *norm_base = NULL, *result = NULL;
	xmlChar *built = NULL;

	if (!ref)
		return NULL;
	clean_ref = url_prepare(ref);
	if (!clean_ref)
		return NULL;
	/* url_prepare keeps a scheme only when it is http(s); such a
	 * reference needs no base (RFC 3986 5.2.2), the usual case in feeds
	 * and sitemaps. */
	if (base && *base && strncmp(clean_ref, "http:", 5) != 0 &&
	    strncmp(clean_ref, "https:", 6) != 0) {
		/* The base must itself be a usable http(s) URL; libxml2 would
		 * otherwise invent a host from the reference ("https://" + "x"). */
		clean_base = url_prepare(base);
		norm_base = clean_base ? url_normalise(clean_base) : NULL;
		if (!norm_base) {
			result = url_normalise(clean_ref);
			goto done;
		}
		built = xmlBuildURI((const xmlChar *)clean_ref, (const xmlChar *)norm_base);
		if (!built)
			goto done;
		result = url_normalise((const char *)built);
	} else {
		result = url_normalise(clean_ref);
	}
done:
	xmlFree(built);
	free(norm_base);
	free(clean_base);
	free(clean_ref);
	return result;
}

char *parse_url_origin(const char *url)
{
	char *norm = url ? parse_url_resolve(NULL, url) : NULL;
	char *auth, *slash, *at;

	if (!norm)
		return NULL;
	/* The normalised form is always "scheme://authority/path". */
	auth = strstr(norm, "//") + 2;
	slash = strchr(auth, '/');
	if (slash)
		*slash = '\0';
	/* The origin is scheme, host and port: no user info. */
	at = strrchr(auth, '@');
	if (at)
		memmove(auth, at + 1, strlen(at + 1) + 1);
	return norm;
}

char *parse_url_path(const char *url)
{
	char *norm = url ? parse_url_resolve(NULL, url) : NULL;
	char *slash, *path;

	if (!norm)
		return NULL;
	slash = strchr(strstr(norm, "//") + 2, '/');
	path = strdup(slash ? slash : "/");
	free(norm);
	return path;
}
