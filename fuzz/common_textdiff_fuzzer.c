/*
 * common_textdiff_fuzzer.c: the word diff, similarity and minor-edit rule
 * of common/textdiff.h on extracted texts, which come from untrusted pages.
 * The input is split at its first NUL byte (or in the middle) into the old
 * and the new text. Checks: the spans cover every display token of both
 * texts exactly once and in order (same + removed = old, same + added =
 * new, token for token); a text diffed against itself is one run of SAME;
 * similarity is within 0..1, symmetric and 1 for equal texts; an edit of a
 * text to itself is minor whenever the rule is on, and nothing is minor
 * with the rule off.
 */
#include "fuzz_check.h"

#include "../common/textdiff.h"

/* The display tokens of text joined by single spaces into out; an
 * allocation failure ends the run (it is no finding). */
static void tokens_of(const char *text, struct vigil_buf *out)
{
	const char *s = text;

	while (*s) {
		size_t len;

		while (*s && strchr(" \t\n\r\f\v", *s))
			s++;
		len = strcspn(s, " \t\n\r\f\v");
		if (len && ((out->len && vigil_buf_append(out, " ", 1)) ||
			    vigil_buf_append(out, s, len)))
			exit(0);
		s += len;
	}
}

/* The spans of d with op in {a, b}, their tokens joined the same way. */
static void side_of(const struct vigil_diff *d, enum vigil_diff_op a, enum vigil_diff_op b,
		    struct vigil_buf *out)
{
	for (size_t i = 0; i < d->count; i++) {
		char *span;

		if (d->spans[i].op != a && d->spans[i].op != b)
			continue;
		span = strndup(d->spans[i].text, d->spans[i].len);
		if (span)
			tokens_of(span, out);
		free(span);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const unsigned char *nul = memchr(data, '\0', size);
	size_t cut = nul ? (size_t)(nul - data) : size / 2;
	char *old_text = fuzz_strndup(data, cut);
	char *new_text = fuzz_strndup(data + cut + (nul ? 1 : 0), size - cut - (nul ? 1 : 0));
	struct vigil_diff d = { 0 };
	struct vigil_error err = { 0 };
	struct vigil_buf want = VIGIL_BUF_INIT, got = VIGIL_BUF_INIT;
	double s1, s2;

	if (!old_text || !new_text)
		goto out;
	if (vigil_diff_words(old_text, new_text, &d, &err) == VIGIL_OK) {
		tokens_of(old_text, &want);
		side_of(&d, VIGIL_DIFF_SAME, VIGIL_DIFF_REMOVED, &got);
		FUZZ_CHECK(want.len == got.len && (!want.len || !memcmp(want.data, got.data, want.len)));
		want.len = got.len = 0;
		tokens_of(new_text, &want);
		side_of(&d, VIGIL_DIFF_SAME, VIGIL_DIFF_ADDED, &got);
		FUZZ_CHECK(want.len == got.len && (!want.len || !memcmp(want.data, got.data, want.len)));
		for (size_t i = 1; i < d.count; i++)
			FUZZ_CHECK(d.spans[i].op != d.spans[i - 1].op);
		vigil_diff_release(&d);
	}
	if (vigil_diff_words(old_text, old_text, &d, &err) == VIGIL_OK) {
		FUZZ_CHECK(d.count <= 1 && d.removed == 0 && d.added == 0);
		vigil_diff_release(&d);
	}
	s1 = vigil_text_similarity(old_text, new_text);
	s2 = vigil_text_similarity(new_text, old_text);
	FUZZ_CHECK(s1 >= 0.0 && s1 <= 1.0 && s1 == s2);
	FUZZ_CHECK(vigil_text_similarity(old_text, old_text) == 1.0);
	FUZZ_CHECK(vigil_edit_is_minor(old_text, new_text, old_text, new_text, 6) == 1);
	FUZZ_CHECK(vigil_edit_is_minor(old_text, old_text, new_text, new_text, 0) == 0);
	(void)vigil_edit_is_minor(NULL, old_text, NULL, new_text, 6);
out:
	vigil_buf_release(&want);
	vigil_buf_release(&got);
	free(old_text);
	free(new_text);
	return 0;
}
