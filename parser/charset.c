/*
 * charset.c: raw fetched bytes to clean UTF-8.
 *
 * The order (BOM, valid UTF-8, header, <meta>, Cyrillic fallback) puts the
 * bytes themselves before what the server or page claims: Kazakh and Russian
 * sites often keep a windows-1251 declaration in a template while serving
 * UTF-8. The opposite mistake (windows-1251 bytes under a UTF-8 declaration)
 * is caught because non-ASCII windows-1251 text is practically never valid
 * UTF-8 by accident: such a declaration is set aside, and the caller is told
 * (parse_decode_checked).
 *
 * Output is always valid UTF-8 without NUL bytes, so libxml2 never has to
 * guess or give up half-way through a page.
 */
#include "parser_int.h"
#include "../common/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define META_SCAN_BYTES 4096
#define LABEL_MAX 40
/* Worst case growth is 3 output bytes per input byte (BMP from one byte). */
#define OUTPUT_MAX (4 * PARSE_MAX_BODY + 64)

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* What the bytes say about their own encoding, from one pass. */
struct byte_census {
	size_t invalid;   /* bytes that are not part of a valid UTF-8 sequence */
	size_t multibyte; /* valid UTF-8 sequences of two or more bytes */
	size_t c0_df;     /* bytes 0xC0-0xDF: windows-1251 upper, KOI8-R lower case */
	size_t e0_ff;     /* bytes 0xE0-0xFF: windows-1251 lower, KOI8-R upper case */
	size_t nul;       /* NUL bytes */
	int truncated;    /* the bytes end inside a UTF-8 sequence */
};

/* 1 when the 8 bytes at p are all ASCII and none is NUL. */
static int plain_ascii8(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return !(w & 0x8080808080808080ULL) &&
	       !((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL);
}

static void count_case_byte(struct byte_census *c, unsigned char b)
{
	if (b >= 0xE0)
		c->e0_ff++;
	else if (b >= 0xC0)
		c->c0_df++;
}

/*
 * Count invalid and valid UTF-8 sequences. A sequence cut off by the very
 * end is not counted as invalid: bodies are truncated at the size cap, and
 * that must not send a UTF-8 page to a declared single-byte charset.
 * Runs of ASCII, most of any page, are skipped eight bytes at a time.
 */
static void take_census(const unsigned char *data, size_t len, struct byte_census *c)
{
	size_t i = 0;

	memset(c, 0, sizeof(*c));
	while (i < len) {
		size_t n;

		if (len - i >= 8 && plain_ascii8(data + i)) {
			i += 8;
			continue;
		}
		if (data[i] < 0x80) {
			c->nul += data[i] == 0;
			i++;
			continue;
		}
		/* continuation bytes (0x80-0xBF) count for neither case */
		count_case_byte(c, data[i]);
		n = vigil_utf8_sequence_length(data + i, len - i);
		if (n) {
			c->multibyte++;
			i += n;
		} else if (vigil_utf8_is_truncated(data + i, len - i)) {
			c->truncated = 1;
			for (i++; i < len; i++)
				count_case_byte(c, data[i]);
		} else {
			c->invalid++;
			i++;
		}
	}
}

/* Bytes that can be used as they are: valid UTF-8, no NUL, not cut. */
static int census_clean(const struct byte_census *c)
{
	return c->invalid == 0 && c->nul == 0 && !c->truncated;
}

/*
 * Declared UTF-8 stands when the invalid bytes are a stray one or two, or
 * at most a fifth of the non-ASCII sequences (a UTF-8 page with a pasted
 * windows-1251 snippet). Cyrillic windows-1251 or KOI8-R text is almost
 * never valid UTF-8: nearly every one of its letters counts as invalid.
 */
static int utf8_plausible(const struct byte_census *c)
{
	return c->invalid * 4 <= c->multibyte + 8;
}

/* Enough valid multi-byte UTF-8, and few invalid bytes, to overrule a
 * declared single- or double-byte charset. */
static int utf8_confident(const struct byte_census *c)
{
	return c->multibyte >= 16 && c->invalid * 16 <= c->multibyte;
}

/* Copy UTF-8, replacing each invalid byte by U+FFFD and dropping NULs.
 * clean: the census found nothing to replace or drop (a plain copy). */
static enum vigil_code utf8_clean(const unsigned char *data, size_t len, int clean, char **out,
				  size_t *out_len)
{
	size_t i = 0, o = 0, bad = 0;
	char *dst;

	if (clean) {
		if (!(dst = malloc(len + 1)))
			return VIGIL_ERR_NOMEM;
		memcpy(dst, data, len);
		dst[len] = '\0';
		*out = dst;
		*out_len = len;
		return VIGIL_OK;
	}
	/* Size exactly: most input is valid and the cap is 32 MiB. */
	while (i < len) {
		size_t n = vigil_utf8_sequence_length(data + i, len - i);

		bad += n == 0;
		i += n ? n : 1;
	}
	i = 0;
	dst = malloc(len + 2 * bad + 1);
	if (!dst)
		return VIGIL_ERR_NOMEM;
	while (i < len) {
		size_t n = vigil_utf8_sequence_length(data + i, len - i);

		if (n == 1 && data[i] == 0) {
			i++;
		} else if (n) {
			memcpy(dst + o, data + i, n);
			o += n;
			i += n;
		} else {
			memcpy(dst + o, replacement, 3);
			o += 3;
			i++;
		}
	}
	dst[o] = '\0';
	*out = dst;
	*out_len = o;
	return VIGIL_OK;
}

/*
 * Turn a declared label into the name used for iconv and reported to the
 * caller, following the WHATWG Encoding Standard where browsers deviate
 * from the IANA names (latin1 and ascii mean windows-1252). Returns 0 for
 * labels that must be ignored: empty, over-long, or UTF-16/32 declared in
 * ASCII-compatible bytes (which the HTML standard says means UTF-8).
 */
static int normalize_label(const char *raw, size_t len, char out[LABEL_MAX])
{
	static const struct {
		const char *alias;
		const char *name;
	} aliases[] = {
		{ "utf8", "utf-8" },
		{ "unicode-1-1-utf-8", "utf-8" },
		{ "cp1251", "windows-1251" },
		{ "win-1251", "windows-1251" },
		{ "x-cp1251", "windows-1251" },
		{ "win1251", "windows-1251" },
		{ "windows1251", "windows-1251" },
		{ "koi8r", "koi8-r" },
		{ "koi", "koi8-r" },
		{ "koi8", "koi8-r" },
		{ "koi8u", "koi8-u" },
		{ "iso-8859-1", "windows-1252" },
		{ "iso8859-1", "windows-1252" },
		{ "latin1", "windows-1252" },
		{ "l1", "windows-1252" },
		{ "us-ascii", "windows-1252" },
		{ "ascii", "windows-1252" },
		{ "cp1252", "windows-1252" },
		{ "iso-8859-5", "iso-8859-5" },
		{ "ks_c_5601-1987", "euc-kr" },
		{ "x-sjis", "shift_jis" },
		{ "gb2312", "gbk" },
	};
	size_t n = 0;

	while (len && (isspace((unsigned char)*raw) || *raw == '"' || *raw == '\'')) {
		raw++;
		len--;
	}
	while (len && (isspace((unsigned char)raw[len - 1]) || raw[len - 1] == '"' ||
		       raw[len - 1] == '\''))
		len--;
	if (len == 0 || len >= LABEL_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
			return 0;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
	if (strncmp(out, "utf-16", 6) == 0 || strncmp(out, "utf-32", 6) == 0 ||
	    strcmp(out, "unicode") == 0)
		return 0;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(out, aliases[i].alias) == 0) {
			strcpy(out, aliases[i].name);
			break;
		}
	}
	return 1;
}

/* Value of a charset= parameter starting the search at text[0..len). */
static int find_charset_param(const char *text, size_t len, char out[LABEL_MAX])
{
	for (size_t i = 0; i + 7 <= len; i++) {
		size_t j, start;

		if (strncasecmp(text + i, "charset", 7) != 0)
			continue;
		j = i + 7;
		while (j < len && isspace((unsigned char)text[j]))
			j++;
		if (j >= len || text[j] != '=')
			continue;
		j++;
		while (j < len && (isspace((unsigned char)text[j]) || text[j] == '"' ||
				   text[j] == '\''))
			j++;
		start = j;
		while (j < len && !isspace((unsigned char)text[j]) && text[j] != '"' &&
		       text[j] != '\'' && text[j] != ';' && text[j] != '>' && text[j] != '/' &&
		       text[j] != ',')
			j++;
		return normalize_label(text + start, j - start, out);
	}
	return 0;
}

/*
 * <meta charset=X> or <meta http-equiv=Content-Type content="...charset=X">
 * in the first META_SCAN_BYTES, as a browser's prescan would find it.
 */
static int meta_charset(const char *body, size_t len, char out[LABEL_MAX])
{
	size_t end = len < META_SCAN_BYTES ? len : META_SCAN_BYTES;

	for (size_t i = 0; i + 5 < end; i++) {
		size_t close;

		if (body[i] != '<' || strncasecmp(body + i + 1, "meta", 4) != 0 ||
		    !(isspace((unsigned char)body[i + 5]) || body[i + 5] == '/'))
			continue;
		close = i + 5;
		while (close < len && body[close] != '>')
			close++;
		if (find_charset_param(body + i + 5, close - i - 5, out))
			return 1;
		i = close;
	}
	return 0;
}

/*
 * With no declaration at all, a non-UTF-8 page here is almost always
 * Russian or Kazakh in one of the two Cyrillic code pages. They swap upper
 * and lower case: lower-case letters are 0xE0-0xFF in windows-1251 and
 * 0xC0-0xDF in KOI8-R, and running text is mostly lower case.
 */
static const char *guess_cyrillic(const unsigned char *data, size_t len)
{
	size_t c0 = 0, e0 = 0;

	for (size_t i = 0; i < len; i++) {
		if (data[i] >= 0xE0)
			e0++;
		else if (data[i] >= 0xC0)
			c0++;
	}
	return c0 > e0 * 2 && c0 > 16 ? "koi8-r" : "windows-1251";
}

/* The code page the letter case points to when it points clearly (64+
 * letters, three times as many of one case), else NULL. */
static const char *confident_cyrillic(const struct byte_census *c)
{
	if (c->c0_df + c->e0_ff < 64)
		return NULL;
	if (c->c0_df > c->e0_ff * 3)
		return "koi8-r";
	if (c->e0_ff > c->c0_df * 3)
		return "windows-1251";
	return NULL;
}

/* Double the output buffer; used bytes are kept, *pos and *left follow. */
static enum vigil_code grow(char **buf, size_t *cap, char **pos, size_t *left)
{
	size_t used = *cap - 1 - *left, want = *cap * 2;
	char *bigger;

	if (want > OUTPUT_MAX)
		return VIGIL_ERR_TOO_LARGE;
	bigger = realloc(*buf, want);
	if (!bigger)
		return VIGIL_ERR_NOMEM;
	*buf = bigger;
	*cap = want;
	*pos = bigger + used;
	*left = want - used - 1;
	return VIGIL_OK;
}

/*
 * Convert with iconv. Each byte iconv refuses becomes U+FFFD and the
 * conversion goes on; a sequence cut off by the end becomes one U+FFFD.
 * NULs are dropped. Returns VIGIL_ERR_NOT_FOUND when iconv does not know
 * the charset.
 */
static enum vigil_code iconv_convert(const char *from, const char *data, size_t len, char **out,
				     size_t *out_len)
{
	iconv_t cd = iconv_open("UTF-8", from);
	size_t cap = len * 2 + 64, in_left = len, out_left, used, o = 0;
	char *in = (char *)data, *buf, *pos;
	enum vigil_code code = VIGIL_OK;

	if (cd == (iconv_t)-1)
		return VIGIL_ERR_NOT_FOUND;
	buf = malloc(cap);
	if (!buf) {
		iconv_close(cd);
		return VIGIL_ERR_NOMEM;
	}
	pos = buf;
	out_left = cap - 1;
	while (in_left > 0 && code == VIGIL_OK) {
		size_t r = iconv(cd, &in, &in_left, &pos, &out_left);

		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			code = grow(&buf, &cap, &pos, &out_left);
			continue;
		}
		if (out_left < 3 && (code = grow(&buf, &cap, &pos, &out_left)) != VIGIL_OK)
			break;
		memcpy(pos, replacement, 3);
		pos += 3;
		out_left -= 3;
		if (errno == EINVAL)
			break;
		in++;
		in_left--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	if (code) {
		free(buf);
		return code;
	}
	used = cap - 1 - out_left;
	for (size_t i = 0; i < used; i++)
		if (buf[i])
			buf[o++] = buf[i];
	buf[o] = '\0';
	*out = buf;
	*out_len = o;
	return VIGIL_OK;
}

/*
 * Decode as the declared label, unless the bytes contradict it: then
 * *contradicted is set and the result is VIGIL_ERR_NOT_FOUND (declared
 * UTF-8 that is not), or the other Cyrillic code page is used. *used
 * points to label or to a static name.
 */
static enum vigil_code decode_declared(const char *label, const char *body, size_t len,
				       const struct byte_census *census, const char **used,
				       int *contradicted, char **text, size_t *text_len)
{
	const char *guess;

	*used = label;
	if (strcmp(label, "utf-8") == 0) {
		if (utf8_plausible(census))
			return utf8_clean((const unsigned char *)body, len, census_clean(census), text,
					  text_len);
		*contradicted = 1;
		return VIGIL_ERR_NOT_FOUND;
	}
	if (utf8_confident(census)) {
		*contradicted = 1;
		*used = "utf-8";
		return utf8_clean((const unsigned char *)body, len, census_clean(census), text,
				  text_len);
	}
	guess = confident_cyrillic(census);
	if (guess && (strcmp(label, "windows-1251") == 0 || strncmp(label, "koi8-", 5) == 0) &&
	    strncmp(guess, label, 4) != 0) {
		*contradicted = 1;
		*used = guess;
	}
	return iconv_convert(*used, body, len, text, text_len);
}

/* parse_decode_checked and parse_decode_view: with may_borrow, bytes that
 * need nothing done come back as *view_out = body, *utf8_out NULL. */
static enum vigil_code decode(const char *body, size_t len, const char *content_type,
			      int may_borrow, const char **view_out, size_t *view_len,
			      char **utf8_out, size_t *utf8_len, char **charset_out,
			      struct parse_read_notes *notes, struct vigil_error *err)
{
	const unsigned char *bytes = (const unsigned char *)body;
	char header_label[LABEL_MAX], meta_label[LABEL_MAX];
	const char *used = NULL, *declared = NULL, *declared_where = NULL;
	enum vigil_code code = VIGIL_ERR_NOT_FOUND;
	struct byte_census census;
	char *text = NULL;
	size_t text_len = 0;
	int contradicted = 0;

	*utf8_out = NULL;
	*utf8_len = 0;
	if (charset_out)
		*charset_out = NULL;
	if (len > PARSE_MAX_BODY)
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE,
				       "body of %zu bytes is over the %zu byte limit", len,
				       PARSE_MAX_BODY);
	if (!body)
		len = 0;

	take_census(bytes, len, &census);
	if (len >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
		used = "utf-8";
		code = utf8_clean(bytes + 3, len - 3, census_clean(&census), &text, &text_len);
	} else if (len >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) ||
				(bytes[0] == 0xFE && bytes[1] == 0xFF))) {
		used = bytes[0] == 0xFF ? "utf-16le" : "utf-16be";
		code = iconv_convert(used, body + 2, len - 2, &text, &text_len);
	} else if (census.invalid == 0) {
		used = "utf-8";
		if (may_borrow && len > 0 && census_clean(&census)) {
			/* the fast path: the page is used as it came */
			*view_out = body;
			*view_len = len;
			code = VIGIL_OK;
		} else {
			code = utf8_clean(bytes, len, census_clean(&census), &text, &text_len);
		}
	}
	if (code == VIGIL_ERR_NOT_FOUND && content_type &&
	    find_charset_param(content_type, strlen(content_type), header_label)) {
		declared = header_label;
		declared_where = "Content-Type";
		code = decode_declared(header_label, body, len, &census, &used, &contradicted,
				       &text, &text_len);
	}
	if (code == VIGIL_ERR_NOT_FOUND && meta_charset(body, len, meta_label)) {
		if (!contradicted) {
			declared = meta_label;
			declared_where = "<meta>";
		}
		code = decode_declared(meta_label, body, len, &census, &used, &contradicted,
				       &text, &text_len);
	}
	if (code == VIGIL_ERR_NOT_FOUND && census.multibyte > 0 && utf8_plausible(&census)) {
		used = "utf-8"; /* UTF-8 with a stray byte or two */
		code = utf8_clean(bytes, len, 0, &text, &text_len);
	}
	if (code == VIGIL_ERR_NOT_FOUND) {
		used = guess_cyrillic(bytes, len);
		code = iconv_convert(used, body, len, &text, &text_len);
	}
	if (code == VIGIL_ERR_NOT_FOUND)
		code = VIGIL_ERR_PARSE; /* glibc without the Cyrillic tables */
	if (code)
		return vigil_error_set(err, code, "decoding %zu bytes as %s: %s", len, used,
				       vigil_strerror(code));
	if (contradicted && notes && !notes->charset_warning) {
		struct vigil_buf msg = VIGIL_BUF_INIT;

		if (vigil_buf_printf(&msg, "charset %s declared in %s does not match the bytes; "
					   "decoded as %s", declared, declared_where, used)) {
			vigil_buf_release(&msg);
			free(text);
			return vigil_error_set(err, VIGIL_ERR_NOMEM, "decoding: out of memory");
		}
		notes->charset_warning = vigil_buf_detach(&msg);
	}
	if (charset_out) {
		*charset_out = vigil_strdup(used);
		if (!*charset_out) {
			free(text);
			return vigil_error_set(err, VIGIL_ERR_NOMEM, "decoding: out of memory");
		}
	}
	*utf8_out = text;
	*utf8_len = text_len;
	if (text) {
		*view_out = text;
		*view_len = text_len;
	}
	return VIGIL_OK;
}

enum vigil_code parse_decode_checked(const char *body, size_t len, const char *content_type,
				     char **utf8_out, size_t *utf8_len, char **charset_out,
				     struct parse_read_notes *notes, struct vigil_error *err)
{
	const char *view;
	size_t view_len;

	return decode(body, len, content_type, 0, &view, &view_len, utf8_out, utf8_len,
		      charset_out, notes, err);
}

enum vigil_code parse_decode_view(const char *body, size_t len, const char *content_type,
				  const char **text_out, size_t *text_len, char **owned_out,
				  char **charset_out, struct parse_read_notes *notes,
				  struct vigil_error *err)
{
	size_t owned_len;

	*text_out = NULL;
	*text_len = 0;
	return decode(body, len, content_type, 1, text_out, text_len, owned_out, &owned_len,
		      charset_out, notes, err);
}

enum vigil_code parse_decode_to_utf8(const char *body, size_t len, const char *content_type,
				     char **utf8_out, size_t *utf8_len, char **charset_out,
				     struct vigil_error *err)
{
	return parse_decode_checked(body, len, content_type, utf8_out, utf8_len, charset_out,
				    NULL, err);
}
