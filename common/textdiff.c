/*
 * textdiff.c: word diffs, text similarity and the minor-edit rule (see
 * textdiff.h). Tokens are compared by a 64-bit hash first, then by bytes.
 */
#include "textdiff.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many differences the shortest edit script costs too much
 * memory (the trace grows with its square); the middle is then reported
 * as replaced wholesale, which for texts this different says the same. */
#define DIFF_MAX_EDITS 4000

struct token {
	const char *p;
	size_t len;
	uint64_t hash;
	size_t line;       /* words: index of the line the word is on */
};

struct tokens {
	struct token *items;
	size_t count, cap;
};

/* One step of the edit script: op with the token index in old (SAME,
 * REMOVED) or new (ADDED). */
struct edit {
	enum vigil_diff_op op;
	size_t old_index, new_index;
};

static uint64_t hash_bytes(const char *p, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int push(struct tokens *t, const char *p, size_t len, size_t line)
{
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct token *grown = realloc(t->items, cap * sizeof(*grown));

		if (!grown)
			return -1;
		t->items = grown;
		t->cap = cap;
	}
	t->items[t->count++] = (struct token){ p, len, hash_bytes(p, len), line };
	return 0;
}

static int blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Display tokens: runs of non-blank bytes. */
static int split_display(const char *s, struct tokens *t)
{
	while (s && *s) {
		const char *start;

		while (*s && blank_byte(*s))
			s++;
		start = s;
		while (*s && !blank_byte(*s))
			s++;
		if (s > start && push(t, start, (size_t)(s - start), 0))
			return -1;
	}
	return 0;
}

/* Part of a word: ASCII letters and digits, and non-ASCII characters that
 * are not punctuation, spaces or symbols of the common blocks (Latin-1
 * punctuation and signs, General Punctuation, Supplemental Punctuation,
 * CJK punctuation, the BOM). Scripts' letters all pass. */
static int word_char(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return 0;
	if ((c >= 0x2000 && c <= 0x206F) || (c >= 0x2E00 && c <= 0x2E7F) ||
	    (c >= 0x3000 && c <= 0x303F) || c == 0xFEFF || c == 0xFFFD)
		return 0;
	/* Arrows, maths, box drawing, dingbats... */
	if (c >= 0x2190 && c <= 0x2BFF)
		return 0;
	return 1;
}

/* Words: runs of word characters, each with its line number. */
static int split_words(const char *s, struct tokens *t)
{
	size_t line = 0;

	while (s && *s) {
		const char *start = s;
		uint32_t c;
		size_t n;

		for (;;) {
			n = vigil_utf8_decode((const unsigned char *)s, SIZE_MAX, &c);
			if (!*s || !word_char(c))
				break;
			s += n;
		}
		if (s > start) {
			if (push(t, start, (size_t)(s - start), line))
				return -1;
			continue;
		}
		if (*s == '\n')
			line++;
		s += n ? n : 1;
	}
	return 0;
}

static int same_token(const struct token *a, const struct token *b)
{
	return a->hash == b->hash && a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

static int push_edit(struct edit **edits, size_t *count, size_t *cap, enum vigil_diff_op op,
		     size_t old_index, size_t new_index)
{
	if (*count == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 64;
		struct edit *grown = realloc(*edits, grown_cap * sizeof(*grown));

		if (!grown)
			return -1;
		*edits = grown;
		*cap = grown_cap;
	}
	(*edits)[(*count)++] = (struct edit){ op, old_index, new_index };
	return 0;
}

/*
 * The edit script from a[0..n) to b[0..m), in order, into *edits. Myers'
 * greedy algorithm: trace[d] keeps the furthest x reached on each diagonal
 * k in -d..d after d differences, so the path is walked back from (n, m).
 * More than max_edits differences (after the common head and tail) gives
 * the coarse script: all removed, then all added. Returns -1 on OOM.
 */
static int edit_script(const struct token *a, size_t n, const struct token *b, size_t m,
		       long max_edits, struct edit **edits, size_t *count)
{
	size_t head = 0, tail = 0, cap = 0, mid_n, mid_m, start;
	long max_d, d_found = -1;
	long *v = NULL, **trace = NULL;
	int rc = -1;

	*edits = NULL;
	*count = 0;
	while (head < n && head < m && same_token(&a[head], &b[head]))
		head++;
	while (tail < n - head && tail < m - head && same_token(&a[n - 1 - tail], &b[m - 1 - tail]))
		tail++;
	for (size_t i = 0; i < head; i++)
		if (push_edit(edits, count, &cap, VIGIL_DIFF_SAME, i, i))
			return -1;
	mid_n = n - head - tail;
	mid_m = m - head - tail;
	start = *count;
	max_d = (long)(mid_n + mid_m);
	if (max_d > max_edits)
		max_d = max_edits;
	if (mid_n && mid_m) {
		const struct token *x_tok = a + head, *y_tok = b + head;

		v = calloc((size_t)(2 * max_d + 3), sizeof(*v));
		trace = calloc((size_t)max_d + 1, sizeof(*trace));
		if (!v || !trace)
			goto out;
		for (long d = 0; d <= max_d && d_found < 0; d++) {
			long *vk = v + max_d + 1;

			for (long k = -d; k <= d; k += 2) {
				long x, y;

				if (k == -d || (k != d && vk[k - 1] < vk[k + 1]))
					x = vk[k + 1];
				else
					x = vk[k - 1] + 1;
				y = x - k;
				while (x < (long)mid_n && y < (long)mid_m &&
				       same_token(&x_tok[x], &y_tok[y])) {
					x++;
					y++;
				}
				vk[k] = x;
				if (x >= (long)mid_n && y >= (long)mid_m)
					d_found = d;
			}
			trace[d] = malloc((size_t)(2 * d + 1) * sizeof(long));
			if (!trace[d])
				goto out;
			memcpy(trace[d], vk - d, (size_t)(2 * d + 1) * sizeof(long));
		}
	}
	if (mid_n && mid_m && d_found >= 0) {
		/* Walk back, collecting the steps in reverse. */
		long x = (long)mid_n, y = (long)mid_m;

		for (long d = d_found; d >= 0; d--) {
			long k = x - y, prev_k, prev_x, prev_y;

			if (d == 0) {
				prev_x = prev_y = 0;
				prev_k = 0;
			} else {
				const long *pv = trace[d - 1] + (d - 1);

				if (k == -d || (k != d && pv[k - 1] < pv[k + 1]))
					prev_k = k + 1;
				else
					prev_k = k - 1;
				prev_x = pv[prev_k];
				prev_y = prev_x - prev_k;
			}
			while (x > prev_x && y > prev_y) {
				x--;
				y--;
				if (push_edit(edits, count, &cap, VIGIL_DIFF_SAME, head + (size_t)x,
					      head + (size_t)y))
					goto out;
			}
			if (d > 0) {
				if (prev_k == k + 1) {
					y--;
					if (push_edit(edits, count, &cap, VIGIL_DIFF_ADDED, head + (size_t)x,
						      head + (size_t)y))
						goto out;
				} else {
					x--;
					if (push_edit(edits, count, &cap, VIGIL_DIFF_REMOVED,
						      head + (size_t)x, head + (size_t)y))
						goto out;
				}
			}
		}
		for (size_t i = start, j = *count - 1; i < j; i++, j--) {
			struct edit t = (*edits)[i];

			(*edits)[i] = (*edits)[j];
			(*edits)[j] = t;
		}
	} else {
		/* One side empty, or too different: all removed, all added. */
		for (size_t i = 0; i < mid_n; i++)
			if (push_edit(edits, count, &cap, VIGIL_DIFF_REMOVED, head + i, head))
				goto out;
		for (size_t i = 0; i < mid_m; i++)
			if (push_edit(edits, count, &cap, VIGIL_DIFF_ADDED, head + mid_n, head + i))
				goto out;
	}
	for (size_t i = 0; i < tail; i++)
		if (push_edit(edits, count, &cap, VIGIL_DIFF_SAME, n - tail + i, m - tail + i))
			goto out;
	rc = 0;
out:
	if (trace)
		for (long d = 0; d <= max_d; d++)
			free(trace[d]);
	free(trace);
	free(v);
	if (rc) {
		free(*edits);
		*edits = NULL;
		*count = 0;
	}
	return rc;
}

/* ---------------- the display diff ---------------- */

static void token_space(const struct token *t, const char **space, size_t *len)
{
	const char *s = t->p + t->len, *e = s;

	while (*e && blank_byte(*e))
		e++;
	*space = s;
	*len = (size_t)(e - s);
}

enum vigil_code vigil_diff_words(const char *old_text, const char *new_text,
				 struct vigil_diff *out, struct vigil_error *err)
{
	struct tokens a = { 0 }, b = { 0 };
	struct edit *edits = NULL;
	size_t count = 0, cap = 0;

	memset(out, 0, sizeof(*out));
	if (split_display(old_text, &a) || split_display(new_text, &b) ||
	    edit_script(a.items, a.count, b.items, b.count, DIFF_MAX_EDITS, &edits, &count))
		goto nomem;
	for (size_t i = 0; i < count;) {
		enum vigil_diff_op op = edits[i].op;
		const struct tokens *side = op == VIGIL_DIFF_ADDED ? &b : &a;
		size_t first = op == VIGIL_DIFF_ADDED ? edits[i].new_index : edits[i].old_index;
		size_t j = i, last;
		struct vigil_diff_span *span;

		while (j < count && edits[j].op == op)
			j++;
		last = op == VIGIL_DIFF_ADDED ? edits[j - 1].new_index : edits[j - 1].old_index;
		if (op == VIGIL_DIFF_ADDED)
			out->added += j - i;
		else if (op == VIGIL_DIFF_REMOVED)
			out->removed += j - i;
		if (out->count == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			struct vigil_diff_span *grown =
				realloc(out->spans, grown_cap * sizeof(*grown));

			if (!grown)
				goto nomem;
			out->spans = grown;
			cap = grown_cap;
		}
		span = &out->spans[out->count++];
		span->op = op;
		span->text = side->items[first].p;
		span->len = (size_t)(side->items[last].p + side->items[last].len - span->text);
		token_space(&side->items[last], &span->space, &span->space_len);
		i = j;
	}
	free(edits);
	free(a.items);
	free(b.items);
	return VIGIL_OK;
nomem:
	free(edits);
	free(a.items);
	free(b.items);
	vigil_diff_release(out);
	return vigil_error_set(err, VIGIL_ERR_NOMEM, "diff: out of memory");
}

void vigil_diff_release(struct vigil_diff *diff)
{
	if (!diff)
		return;
	free(diff->spans);
	memset(diff, 0, sizeof(*diff));
}

/* ---------------- similarity ---------------- */

static int token_order(const void *x, const void *y)
{
	const struct token *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	c = memcmp(a->p, b->p, n);
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Replace the words of t by their shingles: each run of SHINGLE_WORDS
 * consecutive words becomes one token (its hash combines theirs; its text
 * spans them, so equal hashes are confirmed by bytes). Texts of fewer
 * words are left as words. */
#define SHINGLE_WORDS 3

static void shingle(struct tokens *t)
{
	if (t->count < SHINGLE_WORDS)
		return;
	for (size_t i = 0; i + SHINGLE_WORDS <= t->count; i++) {
		uint64_t h = t->items[i].hash;

		for (size_t k = 1; k < SHINGLE_WORDS; k++)
			h = h * 1099511628211ULL ^ t->items[i + k].hash;
		t->items[i].hash = h;
		/* Compared by hash and by the words' bytes (the span holds the
		 * separators too, which are not the point but rarely differ). */
		t->items[i].len = (size_t)(t->items[i + SHINGLE_WORDS - 1].p +
					   t->items[i + SHINGLE_WORDS - 1].len - t->items[i].p);
	}
	t->count -= SHINGLE_WORDS - 1;
}

/* Shingles compare by hash alone: their byte spans include separators,
 * which must not make two equal word runs differ. */
static int hash_order(const void *x, const void *y)
{
	const struct token *a = x, *b = y;

	return a->hash < b->hash ? -1 : a->hash > b->hash;
}

double vigil_text_similarity(const char *a_text, const char *b_text)
{
	struct tokens a = { 0 }, b = { 0 };
	size_t i = 0, j = 0, common = 0;
	int (*order)(const void *, const void *);
	double result;

	if (split_words(a_text, &a) || split_words(b_text, &b)) {
		free(a.items);
		free(b.items);
		return -1.0;
	}
	if (!a.count || !b.count) {
		result = a.count == b.count ? 1.0 : 0.0;
		goto done;
	}
	/* Single words of two texts in one language overlap a lot (the
	 * function words); runs of three words do only when the texts share
	 * sentences. Short texts (under three words) compare by words. */
	if (a.count >= SHINGLE_WORDS && b.count >= SHINGLE_WORDS) {
		shingle(&a);
		shingle(&b);
		order = hash_order;
	} else {
		order = token_order;
	}
	qsort(a.items, a.count, sizeof(*a.items), order);
	qsort(b.items, b.count, sizeof(*b.items), order);
	while (i < a.count && j < b.count) {
		int c = order(&a.items[i], &b.items[j]);

		if (c == 0) {
			common++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	result = 2.0 * (double)common / (double)(a.count + b.count);
done:
	free(a.items);
	free(b.items);
	return result;
}

/* ---------------- minor edits ---------------- */

static int digits_only(const struct token *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->p[i] < '0' || t->p[i] > '9')
			return 0;
	return t->len > 0;
}

/* The bounds of line number `line` of text. */
static void line_bounds(const char *text, size_t line, const char **start, const char **end)
{
	const char *s = text;

	for (size_t l = 0; l < line && s; l++) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s)
		s = text + strlen(text);
	*start = s;
	*end = s + strcspn(s, "\n");
}

/* Whether line `line` of text (its words in words) is a date or counter
 * line: few words, a number among them, not ending like a sentence. */
static int meta_line(const char *text, const struct tokens *words, size_t line, int line_words)
{
	const char *start, *end;
	size_t n = 0;
	int number = 0;

	for (size_t i = 0; i < words->count; i++) {
		if (words->items[i].line != line)
			continue;
		n++;
		number |= digits_only(&words->items[i]);
	}
	if (!number || n > (size_t)line_words)
		return 0;
	line_bounds(text, line, &start, &end);
	while (end > start && blank_byte(end[-1]))
		end--;
	if (end > start && (end[-1] == '.' || end[-1] == '!' || end[-1] == '?'))
		return 0;
	if (end - start >= 3 && memcmp(end - 3, "\xE2\x80\xA6", 3) == 0) /* … */
		return 0;
	return 1;
}

/* The most differences a minor edit can need: a few date or counter lines
 * of line_words words, each removed and added. Beyond it the coarse script
 * (all removed, all added) decides, so a rewritten article costs O(words)
 * here rather than the display diff's O(words x 4,000) time and O(4,000^2)
 * memory (a 4,000-word rewrite took seconds and 500 MB under ASan). */
static long minor_max_edits(int line_words)
{
	long most = 16L * line_words;

	return most < DIFF_MAX_EDITS ? most : DIFF_MAX_EDITS;
}

int vigil_edit_is_minor(const char *old_title, const char *old_text, const char *new_title,
			const char *new_text, int line_words)
{
	struct tokens a = { 0 }, b = { 0 };
	struct edit *edits = NULL;
	size_t count = 0;
	int result = -1;

	if (line_words <= 0)
		return 0;
	if (!old_title)
		old_title = "";
	if (!new_title)
		new_title = "";
	if (!old_text)
		old_text = "";
	if (!new_text)
		new_text = "";
	/* The title: words must be equal. */
	if (split_words(old_title, &a) || split_words(new_title, &b))
		goto out;
	if (a.count != b.count) {
		result = 0;
		goto out;
	}
	for (size_t i = 0; i < a.count; i++)
		if (!same_token(&a.items[i], &b.items[i])) {
			result = 0;
			goto out;
		}
	a.count = b.count = 0;
	if (split_words(old_text, &a) || split_words(new_text, &b) ||
	    edit_script(a.items, a.count, b.items, b.count, minor_max_edits(line_words), &edits,
			&count))
		goto out;
	result = 1;
	for (size_t i = 0; i < count && result == 1; i++) {
		if (edits[i].op == VIGIL_DIFF_REMOVED)
			result = meta_line(old_text, &a, a.items[edits[i].old_index].line, line_words);
		else if (edits[i].op == VIGIL_DIFF_ADDED)
			result = meta_line(new_text, &b, b.items[edits[i].new_index].line, line_words);
	}
out:
	free(edits);
	free(a.items);
	free(b.items);
	return result;
}
