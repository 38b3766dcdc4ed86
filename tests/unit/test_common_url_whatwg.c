/*
 * test_common_url_whatwg.c: the WHATWG URL tests (urltestdata.json from
 * web-platform-tests) for http and https, run through vigil_url_resolve.
 *
 * A case is taken when its expected href is http(s), or when it must fail
 * and its input is http(s) or relative to an http(s) base. Each result is
 * counted as one of:
 *   exact       the href (or the failure) exactly;
 *   no-fragment the href without its fragment (keys never keep one: D1);
 *   escapes     the href with its escapes in vigil's form (D2);
 *   listed      a difference in the table below (common/README.md);
 *   mismatch    anything else: printed; fewer than 95% matching fails.
 * The table has to stay in step with common/README.md.
 */
#include "check.h"
#include "json_reader.h"
#include "../../common/url.h"

#include <strings.h>

struct known_difference {
	const char *input, *base, *why;
};

/* Listed differences (D3 onwards in common/README.md). */
static const struct known_difference known[] = {
	/* D4: libidn2 2.3 (Unicode tables older than the test data) refuses
	 * A-labels that decode to code points it does not know. */
	{ "http://a.b.c.xn--pokxncvks", NULL, "libidn2: unknown code points" },
	{ "http://10.0.0.xn--pokxncvks", NULL, "libidn2: unknown code points" },
	{ "http://a.b.c.XN--pokxncvks", NULL, "libidn2: unknown code points" },
	{ "http://a.b.c.Xn--pokxncvks", NULL, "libidn2: unknown code points" },
	{ "http://10.0.0.XN--pokxncvks", NULL, "libidn2: unknown code points" },
	{ "http://10.0.0.xN--pokxncvks", NULL, "libidn2: unknown code points" },
	/* D5: an empty A-label: WHATWG (UTS 46 without CheckHyphens) keeps
	 * it, libidn2 refuses it. */
	{ "https://xn--/", NULL, "libidn2: empty A-label" },
	/* D6: libidn2 applies IDNA2008's code point rules on top of UTS 46,
	 * so symbols such as U+2603 (snowman) are refused in host names. */
	{ "https://%e2%98%83", NULL, "libidn2: IDNA2008 refuses symbols" },
	{ NULL, NULL, NULL },
};

static const char *scheme_of(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	while (*s && (unsigned char)*s <= ' ')
		s++;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return NULL;
	while (s[n] && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.",
			      s[n]))
		n++;
	if (s[n] != ':' || n >= size)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	buf[n] = '\0';
	return buf;
}

static int is_http(const char *s)
{
	char buf[16];
	const char *scheme = s ? scheme_of(s, buf, sizeof(buf)) : NULL;

	return scheme && (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* D2: escapes in upper case, escaped unreserved characters decoded. */
static void normalise_escapes(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		int hi, lo;

		if (*r == '%' && (hi = hexv(r[1])) >= 0 && (lo = hexv(r[2])) >= 0) {
			char c = (char)(hi * 16 + lo);

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
				*w++ = c;
			} else {
				*w++ = '%';
				*w++ = (char)(r[1] >= 'a' ? r[1] - 32 : r[1]);
				*w++ = (char)(r[2] >= 'a' ? r[2] - 32 : r[2]);
			}
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static const struct known_difference *listed(const char *input, const char *base)
{
	for (size_t i = 0; known[i].input; i++)
		if (strcmp(known[i].input, input) == 0 &&
		    ((!known[i].base && !base) ||
		     (known[i].base && base && strcmp(known[i].base, base) == 0)))
			return &known[i];
	return NULL;
}

int main(void)
{
	char path_buf[512];
	const char *path = json_conformance_path("urltestdata.json", path_buf, sizeof(path_buf));
	struct json data;
	int total = 0, exact = 0, no_fragment = 0, escapes = 0, listed_count = 0, nul_input = 0;
	int mismatch = 0;

	CHECK(path != NULL);
	if (!path || json_read_file(path, &data) != 0 || data.kind != JSON_ARRAY) {
		fprintf(stderr, "urltestdata.json not found or unreadable (set VIGIL_CONFORMANCE_DIR)\n");
		check_failed++;
		CHECK_DONE();
	}
	for (size_t i = 0; i < data.count; i++) {
		const struct json *c = &data.items[i];
		const struct json *input = json_get(c, "input"), *base = json_get(c, "base");
		const struct json *href = json_get(c, "href"), *failure = json_get(c, "failure");
		const char *base_text = base && base->kind == JSON_STRING ? base->string : NULL;
		const char *expected = href && href->kind == JSON_STRING ? href->string : NULL;
		int must_fail = failure && failure->kind == JSON_BOOL && failure->boolean;
		struct vigil_error err = { 0 };
		char *got, *want;

		if (!input || input->kind != JSON_STRING)
			continue;
		if (!(expected && is_http(expected)) &&
		    !(must_fail && (is_http(input->string) ||
				    (!scheme_of(input->string, path_buf, 16) && is_http(base_text)))))
			continue;
		total++;
		if (input->string_len != strlen(input->string)) {
			/* D3: a C string cannot hold U+0000. */
			nul_input++;
			check_passed++;
			continue;
		}
		got = vigil_url_resolve(base_text, input->string, &err);
		if (got) {
			/* Whatever comes out is a fixed point of the normaliser. */
			char *again = vigil_url_normalise(got, NULL);

			if (!again || strcmp(again, got) != 0) {
				fprintf(stderr, "NOT IDEMPOTENT %s -> %s\n", got, again ? again : "failure");
				check_failed++;
			}
			free(again);
		}
		if (must_fail ? !got : got && strcmp(got, expected) == 0) {
			exact++;
			check_passed++;
			free(got);
			continue;
		}
		want = must_fail ? NULL : strdup(expected);
		if (want && strchr(want, '#'))
			*strchr(want, '#') = '\0';
		if (want && got && strcmp(got, want) == 0) {
			no_fragment++;
			check_passed++;
		} else if (want && got && (normalise_escapes(want), strcmp(got, want) == 0)) {
			escapes++;
			check_passed++;
		} else if (listed(input->string, base_text)) {
			listed_count++;
			check_passed++;
		} else {
			mismatch++;
			fprintf(stderr, "MISMATCH input \"%s\" base \"%s\": got %s, expected %s%s%s\n",
				input->string, base_text ? base_text : "(none)", got ? got : "failure",
				must_fail ? "failure" : expected, got ? "" : ": ",
				got ? "" : err.message);
		}
		free(got);
		free(want);
	}
	json_free(&data);
	printf("WHATWG http(s) cases: %d; exact %d, without fragment %d, escapes normalised %d, "
	       "U+0000 input %d, listed %d, mismatches %d; matching %.1f%%\n",
	       total, exact, no_fragment, escapes, nul_input, listed_count, mismatch,
	       total ? 100.0 * (total - mismatch) / total : 0.0);
	CHECK(total >= 400);
	/* The conformance floor: at least 95% exact or documented. */
	CHECK(total > 0 && (double)(total - mismatch) >= 0.95 * total);
	CHECK_DONE();
}
