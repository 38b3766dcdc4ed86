/*
 * url.c: parsing and normalising http(s) URLs (see url.h for the rules).
 *
 * The parser is written after the WHATWG URL standard's state machine,
 * reduced to the two special schemes a crawler fetches, so that a link
 * means here what it means to the browsers the pages are written for.
 * Host names go through libidn2 (UTS 46, non-transitional) because the
 * mapping tables (width, case, compatibility forms) are Unicode's, not
 * something to copy by hand.
 */
#include "url.h"

#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum encode_set { SET_USERINFO, SET_PATH, SET_QUERY };

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_unreserved(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int hex_value(unsigned char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_slash(char c)
{
	return c == '/' || c == '\\';
}

/* WHATWG's percent-encode sets; non-ASCII bytes are always escaped. */
static int needs_escape(unsigned char c, enum encode_set set)
{
	if (c < 0x20 || c > 0x7E)
		return 1;
	if (c == ' ' || c == '"' || c == '#' || c == '<' || c == '>')
		return 1;
	if (set == SET_QUERY)
		return c == '\'';
	if (c == '?' || c == '^' || c == '`' || c == '{' || c == '}')
		return 1;
	if (set == SET_PATH)
		return 0;
	return c == '/' || c == ':' || c == ';' || c == '=' || c == '@' || c == '[' ||
	       c == '\\' || c == ']' || c == '|';
}

/* Whether appending c to out would turn a stray '%' already there ("%"
 * or "%H" at its end) into an escape "%HH": decoding must not create an
 * escape, or normalising the result again would change it. */
static int completes_escape(const struct vigil_buf *out, unsigned char c)
{
	if (hex_value(c) < 0 || out->len == 0)
		return 0;
	if (out->data[out->len - 1] == '%')
		return 1;
	return out->len >= 2 && out->data[out->len - 2] == '%' &&
	       hex_value((unsigned char)out->data[out->len - 1]) >= 0;
}

/* Escape what set requires; existing escapes in upper case, unreserved
 * ones decoded. A '%' not followed by two hex digits stays as it is. */
static enum vigil_code append_encoded(struct vigil_buf *out, const char *s, size_t n,
				      enum encode_set set)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3];
		int hi, lo;

		if (c == '%' && i + 2 < n && (hi = hex_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)s[i + 2])) >= 0) {
			unsigned char decoded = (unsigned char)(hi * 16 + lo);

			i += 2;
			if (is_unreserved(decoded) && !completes_escape(out, decoded)) {
				if (vigil_buf_append(out, &decoded, 1))
					return VIGIL_ERR_NOMEM;
				continue;
			}
			c = decoded;
		} else if (!needs_escape(c, set)) {
			if (vigil_buf_append(out, &c, 1))
				return VIGIL_ERR_NOMEM;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 15];
		if (vigil_buf_append(out, esc, 3))
			return VIGIL_ERR_NOMEM;
	}
	return VIGIL_OK;
}

/* ---- hosts ---- */

/* One WHATWG IPv4 number: decimal, 0x hex or 0-prefixed octal. Values
 * are capped above 2^32 so that overlong numbers stay "too big". */
static int ipv4_number(const char *s, size_t n, uint64_t *value)
{
	unsigned radix = 10;

	if (n == 0)
		return -1;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		radix = 16;
		s += 2;
		n -= 2;
	} else if (n >= 2 && s[0] == '0') {
		radix = 8;
		s++;
		n--;
	}
	*value = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hex_value((unsigned char)s[i]);

		if (d < 0 || (unsigned)d >= radix)
			return -1;
		*value = *value * radix + (unsigned)d;
		if (*value > ((uint64_t)1 << 40))
			*value = (uint64_t)1 << 40;
	}
	return 0;
}

/* Does the host's last label make it an IPv4 address (WHATWG "ends in a
 * number")? */
static int ends_in_number(const char *host, size_t n)
{
	const char *last;
	uint64_t ignored;

	if (n > 0 && host[n - 1] == '.')
		n--;
	last = host + n;
	while (last > host && last[-1] != '.')
		last--;
	/* All digits, or a valid 0x number (octal is all digits anyway). */
	return ipv4_number(last, (size_t)(host + n - last), &ignored) == 0 ||
	       (last < host + n && strspn(last, "0123456789") >= (size_t)(host + n - last));
}

static enum vigil_code ipv4_parse(const char *host, size_t n, char **out)
{
	uint64_t numbers[4], address = 0;
	size_t count = 0;
	const char *p = host, *end = host + n;

	if (n > 0 && host[n - 1] == '.' && n > 1)
		end--;
	while (1) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		const char *stop = dot ? dot : end;

		if (count == 4 || ipv4_number(p, (size_t)(stop - p), &numbers[count]))
			return VIGIL_ERR_PARSE;
		count++;
		if (!dot)
			break;
		p = dot + 1;
	}
	for (size_t i = 0; i + 1 < count; i++)
		if (numbers[i] > 255)
			return VIGIL_ERR_PARSE;
	if (numbers[count - 1] >= ((uint64_t)1 << (8 * (5 - count))))
		return VIGIL_ERR_PARSE;
	address = numbers[count - 1];
	for (size_t i = 0; i + 1 < count; i++)
		address += numbers[i] << (8 * (3 - i));
	*out = malloc(16);
	if (!*out)
		return VIGIL_ERR_NOMEM;
	snprintf(*out, 16, "%u.%u.%u.%u", (unsigned)(address >> 24) & 255,
		 (unsigned)(address >> 16) & 255, (unsigned)(address >> 8) & 255,
		 (unsigned)address & 255);
	return VIGIL_OK;
}

/* The WHATWG IPv6 parser over the text between the brackets. */
static int ipv6_parse(const char *s, size_t n, uint16_t pieces[8])
{
	size_t i = 0;
	int index = 0, compress = -1;

	memset(pieces, 0, 8 * sizeof(pieces[0]));
	if (i < n && s[i] == ':') {
		if (i + 1 >= n || s[i + 1] != ':')
			return -1;
		i += 2;
		compress = ++index;
	}
	while (i < n) {
		unsigned value = 0, length = 0;

		if (index == 8)
			return -1;
		if (s[i] == ':') {
			if (compress != -1)
				return -1;
			i++;
			compress = ++index;
			continue;
		}
		while (length < 4 && i < n && hex_value((unsigned char)s[i]) >= 0) {
			value = value * 16 + (unsigned)hex_value((unsigned char)s[i]);
			i++;
			length++;
		}
		if (i < n && s[i] == '.') {
			int seen = 0;

			if (length == 0)
				return -1;
			i -= length;
			if (index > 6)
				return -1;
			while (i < n) {
				int piece = -1;

				if (seen > 0) {
					if (s[i] == '.' && seen < 4)
						i++;
					else
						return -1;
				}
				if (i >= n || !is_digit((unsigned char)s[i]))
					return -1;
				while (i < n && is_digit((unsigned char)s[i])) {
					int digit = s[i] - '0';

					if (piece == -1)
						piece = digit;
					else if (piece == 0)
						return -1;
					else
						piece = piece * 10 + digit;
					if (piece > 255)
						return -1;
					i++;
				}
				pieces[index] = (uint16_t)(pieces[index] * 0x100 + piece);
				seen++;
				if (seen == 2 || seen == 4)
					index++;
			}
			if (seen != 4)
				return -1;
			break;
		} else if (i < n && s[i] == ':') {
			i++;
			if (i >= n)
				return -1;
		} else if (i < n) {
			return -1;
		}
		pieces[index++] = (uint16_t)value;
	}
	if (compress != -1) {
		int swaps = index - compress;

		index = 7;
		while (index != 0 && swaps > 0) {
			uint16_t t = pieces[index];

			pieces[index] = pieces[compress + swaps - 1];
			pieces[compress + swaps - 1] = t;
			index--;
			swaps--;
		}
	} else if (index != 8) {
		return -1;
	}
	return 0;
}

/* "[...]" with the first longest run of two or more zero pieces as "::". */
static enum vigil_code ipv6_format(const uint16_t pieces[8], char **out)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	int best = -1, best_len = 1, ignore0 = 0;

	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && pieces[j] == 0)
			j++;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	if (vigil_buf_append(&buf, "[", 1))
		goto nomem;
	for (int i = 0; i < 8; i++) {
		if (ignore0 && pieces[i] == 0)
			continue;
		ignore0 = 0;
		if (i == best) {
			if (vigil_buf_append_str(&buf, i == 0 ? "::" : ":"))
				goto nomem;
			ignore0 = 1;
			continue;
		}
		if (vigil_buf_printf(&buf, "%x", pieces[i]) ||
		    (i != 7 && vigil_buf_append(&buf, ":", 1)))
			goto nomem;
	}
	if (vigil_buf_append(&buf, "]", 1))
		goto nomem;
	*out = vigil_buf_detach(&buf);
	return *out ? VIGIL_OK : VIGIL_ERR_NOMEM;
nomem:
	vigil_buf_release(&buf);
	return VIGIL_ERR_NOMEM;
}

static int forbidden_domain_byte(unsigned char c)
{
	return c <= 0x20 || c == 0x7F || c == '#' || c == '%' || c == '/' || c == ':' ||
	       c == '<' || c == '>' || c == '?' || c == '@' || c == '[' || c == '\\' ||
	       c == ']' || c == '^' || c == '|';
}

/* A label that claims to be punycode needs libidn2's check. */
static int has_alabel(const char *s)
{
	for (const char *p = s; *p;) {
		if (strncasecmp(p, "xn--", 4) == 0)
			return 1;
		p = strchr(p, '.');
		if (!p)
			break;
		p++;
	}
	return 0;
}

/* The WHATWG host parser for special schemes; *out malloc'd. */
static enum vigil_code parse_host(const char *s, size_t n, char **out)
{
	struct vigil_buf decoded = VIGIL_BUF_INIT;
	enum vigil_code code = VIGIL_ERR_PARSE;
	char *ascii = NULL;
	int non_ascii = 0;

	*out = NULL;
	if (n == 0)
		return VIGIL_ERR_PARSE;
	if (s[0] == '[') {
		uint16_t pieces[8];

		if (n < 2 || s[n - 1] != ']' || ipv6_parse(s + 1, n - 2, pieces))
			return VIGIL_ERR_PARSE;
		return ipv6_format(pieces, out);
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;

		if (c == '%' && i + 2 < n && (hi = hex_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)s[i + 2])) >= 0) {
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (c == 0)
			goto done; /* forbidden, and would end the C string */
		if (c >= 0x80)
			non_ascii = 1;
		if (vigil_buf_append(&decoded, &c, 1)) {
			code = VIGIL_ERR_NOMEM;
			goto done;
		}
	}
	if (non_ascii || has_alabel(decoded.data)) {
		int rc = idn2_to_ascii_8z(decoded.data, &ascii,
					  IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);

		if (rc == IDN2_MALLOC) {
			code = VIGIL_ERR_NOMEM;
			goto done;
		}
		if (rc != IDN2_OK)
			goto done;
	} else {
		ascii = vigil_buf_detach(&decoded);
		if (!ascii) {
			code = VIGIL_ERR_NOMEM;
			goto done;
		}
	}
	for (char *p = ascii; *p; p++) {
		if (forbidden_domain_byte((unsigned char)*p))
			goto done;
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	if (!*ascii)
		goto done;
	if (ends_in_number(ascii, strlen(ascii))) {
		code = ipv4_parse(ascii, strlen(ascii), out);
		goto done;
	}
	*out = ascii;
	ascii = NULL;
	code = VIGIL_OK;
done:
	/* libidn2 allocates with malloc, so free() suits both branches. */
	free(ascii);
	vigil_buf_release(&decoded);
	return code;
}

/* ---- paths ---- */

static int is_single_dot(const char *s, size_t n)
{
	return (n == 1 && s[0] == '.') || (n == 3 && strncasecmp(s, "%2e", 3) == 0);
}

static int is_double_dot(const char *s, size_t n)
{
	if (n == 2)
		return s[0] == '.' && s[1] == '.';
	if (n == 4)
		return (s[0] == '.' && strncasecmp(s + 1, "%2e", 3) == 0) ||
		       (strncasecmp(s, "%2e", 3) == 0 && s[3] == '.');
	return n == 6 && strncasecmp(s, "%2e%2e", 6) == 0;
}

/* Remove the last segment of path ("/a/b" -> "/a"). */
static void path_shorten(struct vigil_buf *path)
{
	while (path->len > 0 && path->data[path->len - 1] != '/')
		path->len--;
	if (path->len > 0)
		path->len--;
	if (path->data)
		path->data[path->len] = '\0';
}

/* The WHATWG path state over s (without its leading slash), appending
 * segments to path. */
static enum vigil_code parse_path(struct vigil_buf *path, const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	for (;;) {
		const char *seg = p;
		int last;
		size_t len;

		while (p < end && !is_slash(*p))
			p++;
		len = (size_t)(p - seg);
		last = p == end;
		if (is_double_dot(seg, len)) {
			path_shorten(path);
			if (last && vigil_buf_append(path, "/", 1))
				return VIGIL_ERR_NOMEM;
		} else if (is_single_dot(seg, len)) {
			if (last && vigil_buf_append(path, "/", 1))
				return VIGIL_ERR_NOMEM;
		} else if (vigil_buf_append(path, "/", 1) ||
			   append_encoded(path, seg, len, SET_PATH)) {
			return VIGIL_ERR_NOMEM;
		}
		if (last)
			return VIGIL_OK;
		p++;
	}
}

/* ---- the parser ---- */

struct url_state {
	const char *text; /* the caller's input, for messages */
	struct vigil_error *err;
};

static enum vigil_code fail(struct url_state *st, enum vigil_code code, const char *why)
{
	if (code == VIGIL_ERR_NOMEM)
		return vigil_error_set(st->err, code, "URL: out of memory");
	return vigil_error_set(st->err, code, "URL \"%.80s%s\": %s", st->text,
			       strlen(st->text) > 80 ? "..." : "", why);
}

/* userinfo, host and port from the authority text. */
static enum vigil_code parse_authority(struct url_state *st, const char *s, size_t n,
				       struct vigil_url *out)
{
	const char *at = NULL, *host, *end = s + n, *colon = NULL;
	enum vigil_code code;
	int inside = 0;

	for (const char *p = s; p < end; p++)
		if (*p == '@')
			at = p;
	host = at ? at + 1 : s;
	if (at && at > s) {
		struct vigil_buf info = VIGIL_BUF_INIT;
		const char *sep = memchr(s, ':', (size_t)(at - s));
		const char *user_end = sep ? sep : at;

		/* An '@' before the last one belongs to the user info and is
		 * escaped with it. */
		code = append_encoded(&info, s, (size_t)(user_end - s), SET_USERINFO);
		if (!code && sep && sep + 1 < at) {
			code = vigil_buf_append(&info, ":", 1) ? VIGIL_ERR_NOMEM : VIGIL_OK;
			if (!code)
				code = append_encoded(&info, sep + 1, (size_t)(at - sep - 1),
						      SET_USERINFO);
		}
		if (code) {
			vigil_buf_release(&info);
			return fail(st, code, "");
		}
		if (info.len > 0) {
			out->userinfo = vigil_buf_detach(&info);
			if (!out->userinfo)
				return fail(st, VIGIL_ERR_NOMEM, "");
		}
		vigil_buf_release(&info);
	}
	for (const char *p = host; p < end; p++) {
		if (*p == '[')
			inside = 1;
		else if (*p == ']')
			inside = 0;
		else if (*p == ':' && !inside) {
			colon = p;
			break;
		}
	}
	if ((colon ? colon : end) == host)
		return fail(st, VIGIL_ERR_PARSE, "no host");
	code = parse_host(host, (size_t)((colon ? colon : end) - host), &out->host);
	if (code)
		return fail(st, code, "invalid host");
	out->port = -1;
	if (colon && colon + 1 < end) {
		long port = 0;

		for (const char *p = colon + 1; p < end; p++) {
			if (!is_digit((unsigned char)*p))
				return fail(st, VIGIL_ERR_PARSE, "invalid port");
			port = port * 10 + (*p - '0');
			if (port > 65535)
				return fail(st, VIGIL_ERR_PARSE, "port out of range");
		}
		if (port != (out->https ? 443 : 80))
			out->port = (int)port;
	}
	return VIGIL_OK;
}

/* Copy what a relative reference keeps of its base. */
static enum vigil_code copy_base_authority(const struct vigil_url *base, struct vigil_url *out)
{
	out->port = base->port;
	out->userinfo = vigil_strdup(base->userinfo);
	out->host = vigil_strdup(base->host);
	if ((base->userinfo && !out->userinfo) || !out->host)
		return VIGIL_ERR_NOMEM;
	return VIGIL_OK;
}

/* The query: s starts after the '?'; a fragment is dropped. */
static enum vigil_code parse_query(struct url_state *st, const char *s, const char *end,
				   struct vigil_url *out)
{
	struct vigil_buf query = VIGIL_BUF_INIT;
	const char *hash = s;

	while (hash < end && *hash != '#')
		hash++;
	if (vigil_buf_append(&query, "", 0) ||
	    append_encoded(&query, s, (size_t)(hash - s), SET_QUERY)) {
		vigil_buf_release(&query);
		return fail(st, VIGIL_ERR_NOMEM, "");
	}
	out->query = vigil_buf_detach(&query);
	return out->query ? VIGIL_OK : fail(st, VIGIL_ERR_NOMEM, "");
}

/* The path (from s up to '?' or '#') and the query after it. */
static enum vigil_code parse_path_query(struct url_state *st, const char *s, const char *end,
					struct vigil_buf *path, struct vigil_url *out)
{
	const char *stop = s;

	while (stop < end && *stop != '?' && *stop != '#')
		stop++;
	if (parse_path(path, s, (size_t)(stop - s)))
		return fail(st, VIGIL_ERR_NOMEM, "");
	if (stop < end && *stop == '?')
		return parse_query(st, stop + 1, end, out);
	return VIGIL_OK;
}

/* Leading and trailing C0 controls and spaces cut, tabs and newlines
 * dropped anywhere (WHATWG's first two steps). */
static char *clean_input(const char *text)
{
	const char *start = text, *end = text + strlen(text);
	char *out, *w;

	while (start < end && (unsigned char)*start <= ' ')
		start++;
	while (end > start && (unsigned char)end[-1] <= ' ')
		end--;
	out = malloc((size_t)(end - start) + 1);
	if (!out)
		return NULL;
	w = out;
	for (const char *p = start; p < end; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			*w++ = *p;
	*w = '\0';
	return out;
}

static enum vigil_code parse_clean(struct url_state *st, const char *s,
				   const struct vigil_url *base, struct vigil_url *out,
				   struct vigil_buf *path)
{
	const char *end = s + strlen(s), *p = s;
	enum vigil_code code;
	int has_scheme = 0;

	if (is_alpha((unsigned char)*p)) {
		const char *q = p + 1;

		while (is_alpha((unsigned char)*q) || is_digit((unsigned char)*q) || *q == '+' ||
		       *q == '-' || *q == '.')
			q++;
		if (*q == ':') {
			size_t n = (size_t)(q - p);

			if (n == 5 && strncasecmp(p, "https", 5) == 0)
				out->https = 1;
			else if (n == 4 && strncasecmp(p, "http", 4) == 0)
				out->https = 0;
			else
				return fail(st, VIGIL_ERR_PARSE, "not an http(s) URL");
			has_scheme = 1;
			p = q + 1;
		}
	}
	if (!has_scheme) {
		if (!base)
			return fail(st, VIGIL_ERR_PARSE, "relative URL without a base");
		out->https = base->https;
	}
	/* "http:x" is relative only to an http base (WHATWG's "special
	 * relative or authority" state); otherwise slashes are optional. */
	if (has_scheme && !(base && base->https == out->https)) {
		while (p < end && is_slash(*p))
			p++;
	} else if (p + 1 < end && is_slash(p[0]) && is_slash(p[1])) {
		while (p < end && is_slash(*p))
			p++;
	} else {
		/* Relative to base. */
		code = copy_base_authority(base, out);
		if (code)
			return fail(st, code, "");
		if (p < end && is_slash(*p))
			return parse_path_query(st, p + 1, end, path, out);
		if (vigil_buf_append_str(path, base->path))
			return fail(st, VIGIL_ERR_NOMEM, "");
		if (p == end || *p == '?' || *p == '#') {
			if (p < end && *p == '?')
				return parse_query(st, p + 1, end, out);
			out->query = vigil_strdup(base->query);
			if (base->query && !out->query)
				return fail(st, VIGIL_ERR_NOMEM, "");
			return VIGIL_OK;
		}
		path_shorten(path);
		return parse_path_query(st, p, end, path, out);
	}
	{
		const char *auth = p;

		while (p < end && !is_slash(*p) && *p != '?' && *p != '#')
			p++;
		code = parse_authority(st, auth, (size_t)(p - auth), out);
		if (code)
			return code;
	}
	if (p < end && is_slash(*p))
		p++;
	return parse_path_query(st, p, end, path, out);
}

enum vigil_code vigil_url_parse(const char *text, const struct vigil_url *base,
				struct vigil_url *out, struct vigil_error *err)
{
	struct url_state st = { text ? text : "", err };
	struct vigil_buf path = VIGIL_BUF_INIT;
	enum vigil_code code;
	char *clean;

	memset(out, 0, sizeof(*out));
	out->port = -1;
	if (!text)
		return fail(&st, VIGIL_ERR_PARSE, "no URL");
	if (strlen(text) > VIGIL_URL_MAX_LEN)
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE,
				       "URL \"%.80s...\": longer than %d bytes", text,
				       VIGIL_URL_MAX_LEN);
	clean = clean_input(text);
	if (!clean)
		return fail(&st, VIGIL_ERR_NOMEM, "");
	code = parse_clean(&st, clean, base, out, &path);
	free(clean);
	if (code == VIGIL_OK) {
		if (path.len == 0 && vigil_buf_append(&path, "/", 1))
			code = fail(&st, VIGIL_ERR_NOMEM, "");
		else if (!(out->path = vigil_buf_detach(&path)))
			code = fail(&st, VIGIL_ERR_NOMEM, "");
	}
	vigil_buf_release(&path);
	if (code != VIGIL_OK) {
		vigil_url_release(out);
		out->port = -1;
	}
	return code;
}

void vigil_url_release(struct vigil_url *url)
{
	if (!url)
		return;
	free(url->userinfo);
	free(url->host);
	free(url->path);
	free(url->query);
	memset(url, 0, sizeof(*url));
}

/* scheme://[userinfo@]host[:port] into buf. */
static int append_origin(struct vigil_buf *buf, const struct vigil_url *url, int with_userinfo)
{
	if (vigil_buf_append_str(buf, url->https ? "https://" : "http://"))
		return -1;
	if (with_userinfo && url->userinfo &&
	    (vigil_buf_append_str(buf, url->userinfo) || vigil_buf_append(buf, "@", 1)))
		return -1;
	if (vigil_buf_append_str(buf, url->host))
		return -1;
	if (url->port >= 0 && vigil_buf_printf(buf, ":%d", url->port))
		return -1;
	return 0;
}

char *vigil_url_format(const struct vigil_url *url)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;

	if (append_origin(&buf, url, 1) || vigil_buf_append_str(&buf, url->path) ||
	    (url->query && (vigil_buf_append(&buf, "?", 1) ||
			    vigil_buf_append_str(&buf, url->query)))) {
		vigil_buf_release(&buf);
		return NULL;
	}
	return vigil_buf_detach(&buf);
}

/* ref parsed against base (ignored when unusable) into out. */
static enum vigil_code parse_against(const char *base, const char *ref, struct vigil_url *out,
				     struct vigil_error *err)
{
	struct vigil_url base_url;
	enum vigil_code code = VIGIL_ERR_PARSE;

	if (base && *base)
		code = vigil_url_parse(base, NULL, &base_url, NULL);
	if (code == VIGIL_OK) {
		code = vigil_url_parse(ref, &base_url, out, err);
		vigil_url_release(&base_url);
		return code;
	}
	/* an unusable base is ignored, but not one lost for lack of memory */
	if (code == VIGIL_ERR_NOMEM) {
		memset(out, 0, sizeof(*out));
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "URL: out of memory");
	}
	return vigil_url_parse(ref, NULL, out, err);
}

char *vigil_url_resolve(const char *base, const char *ref, struct vigil_error *err)
{
	struct vigil_url url;
	char *text;

	if (parse_against(base, ref, &url, err))
		return NULL;
	text = vigil_url_format(&url);
	vigil_url_release(&url);
	if (!text)
		vigil_error_set(err, VIGIL_ERR_NOMEM, "URL: out of memory");
	return text;
}

char *vigil_url_normalise(const char *url, struct vigil_error *err)
{
	return vigil_url_resolve(NULL, url, err);
}

char *vigil_url_origin(const char *text, struct vigil_error *err)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	struct vigil_url url;
	char *origin;

	if (vigil_url_parse(text, NULL, &url, err))
		return NULL;
	origin = append_origin(&buf, &url, 0) ? NULL : vigil_buf_detach(&buf);
	vigil_buf_release(&buf);
	vigil_url_release(&url);
	if (!origin)
		vigil_error_set(err, VIGIL_ERR_NOMEM, "URL: out of memory");
	return origin;
}

char *vigil_url_path_query(const char *text, struct vigil_error *err)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	struct vigil_url url;
	char *out = NULL;

	if (vigil_url_parse(text, NULL, &url, err))
		return NULL;
	if (vigil_buf_append_str(&buf, url.path) == VIGIL_OK &&
	    (!url.query || (vigil_buf_append(&buf, "?", 1) == VIGIL_OK &&
			    vigil_buf_append_str(&buf, url.query) == VIGIL_OK)))
		out = vigil_buf_detach(&buf);
	vigil_buf_release(&buf);
	vigil_url_release(&url);
	if (!out)
		vigil_error_set(err, VIGIL_ERR_NOMEM, "URL: out of memory");
	return out;
}

char *vigil_url_host(const char *text, struct vigil_error *err)
{
	struct vigil_url url;
	char *host;

	if (vigil_url_parse(text, NULL, &url, err))
		return NULL;
	host = url.host;
	url.host = NULL;
	vigil_url_release(&url);
	return host;
}

int vigil_url_same_origin(const char *a, const char *b)
{
	struct vigil_url ua, ub;
	int same = 0;

	if (vigil_url_parse(a, NULL, &ua, NULL))
		return 0;
	if (vigil_url_parse(b, NULL, &ub, NULL) == VIGIL_OK) {
		same = ua.https == ub.https && ua.port == ub.port && strcmp(ua.host, ub.host) == 0;
		vigil_url_release(&ub);
	}
	vigil_url_release(&ua);
	return same;
}

enum vigil_code vigil_url_scope_check(const char *scope, const char *url, int *inside,
				      struct vigil_error *err)
{
	struct vigil_url us, uu;
	struct vigil_error e = { 0 };
	char *scope_key = NULL, *url_key = NULL;
	int same;

	*inside = 0;
	if (vigil_url_parse(scope, NULL, &us, &e) != VIGIL_OK)
		goto failed;
	if (vigil_url_parse(url, NULL, &uu, &e) != VIGIL_OK) {
		vigil_url_release(&us);
		goto failed;
	}
	same = us.https == uu.https && us.port == uu.port && strcmp(us.host, uu.host) == 0;
	vigil_url_release(&us);
	vigil_url_release(&uu);
	if (!same)
		return VIGIL_OK;
	scope_key = vigil_url_normalise(scope, &e);
	url_key = scope_key ? vigil_url_normalise(url, &e) : NULL;
	*inside = scope_key && url_key && strncmp(url_key, scope_key, strlen(scope_key)) == 0;
	free(scope_key);
	free(url_key);
	if (scope_key && url_key)
		return VIGIL_OK;
failed:
	/* An unusable URL is outside; running out of memory is not an answer. */
	if (e.code == VIGIL_ERR_NOMEM)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory checking its scope",
				       url);
	return VIGIL_OK;
}

int vigil_url_in_scope(const char *scope, const char *url)
{
	int inside = 0;

	return vigil_url_scope_check(scope, url, &inside, NULL) == VIGIL_OK && inside;
}

long long vigil_url_query_number(const char *url, const char *name)
{
	size_t name_len = strlen(name);
	const char *q = url ? url + strcspn(url, "?#") : NULL;
	const char *end;

	if (!q || *q != '?')
		return -1; /* no query, or a '?' only inside the fragment */
	end = q + strcspn(q, "#");

	while (q && q < end) {
		q++;
		if ((size_t)(end - q) > name_len && strncmp(q, name, name_len) == 0 &&
		    q[name_len] == '=') {
			const char *digits = q + name_len + 1;
			size_t n = strspn(digits, "0123456789");
			long long value = 0;

			if (n == 0 || n > 12 || (digits[n] && digits[n] != '&' && digits[n] != '#'))
				return -1;
			for (size_t i = 0; i < n; i++)
				value = value * 10 + (digits[i] - '0');
			return value;
		}
		q = memchr(q, '&', (size_t)(end - q));
	}
	return -1;
}

char *vigil_url_normalise_path_text(const char *text, size_t len)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	const char *q = memchr(text, '?', len);
	size_t path_len = q ? (size_t)(q - text) : len;

	if (vigil_buf_append(&buf, "", 0) || append_encoded(&buf, text, path_len, SET_PATH) ||
	    (q && (vigil_buf_append(&buf, "?", 1) ||
		   append_encoded(&buf, q + 1, len - path_len - 1, SET_QUERY)))) {
		vigil_buf_release(&buf);
		return NULL;
	}
	return vigil_buf_detach(&buf);
}
