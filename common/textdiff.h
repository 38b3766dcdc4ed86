/*
 * textdiff.h: word-level comparison of two extracted texts, the one
 * implementation behind `vigil diff`, the minor-edit mark of a new version
 * and the crawler's "is this still the same article?" test.
 *
 * Two notions of a word:
 *   - display tokens: maximal runs of non-blank bytes (punctuation stays on
 *     its word), so a diff prints back the text as it was;
 *   - words: maximal runs of letters and digits (any script; punctuation,
 *     dashes, quotes and other symbols separate words), for the rules that
 *     must not see punctuation.
 */
#ifndef VIGIL_TEXTDIFF_H
#define VIGIL_TEXTDIFF_H

#include <stddef.h>

#include "vigil.h"

enum vigil_diff_op { VIGIL_DIFF_SAME = 0, VIGIL_DIFF_REMOVED = 1, VIGIL_DIFF_ADDED = 2 };

/* A run of display tokens with the same fate. text points into the old
 * text (SAME, REMOVED) or the new one (ADDED); the run ends at its last
 * token, and space is the blank run that followed that token in its text
 * (possibly empty, possibly holding newlines). */
struct vigil_diff_span {
	enum vigil_diff_op op;
	const char *text;
	size_t len;
	const char *space;
	size_t space_len;
};

struct vigil_diff {
	struct vigil_diff_span *spans;
	size_t count;
	size_t removed;   /* display tokens removed */
	size_t added;     /* display tokens added */
};

/* Diff old_text against new_text (NULL is ""), display tokens compared
 * byte for byte: the shortest edit script (Myers), after the common head
 * and tail are cut off. When the texts differ in more than 4000 tokens
 * the middle is reported as removed and added wholesale. The spans point
 * into the two texts, which must outlive out. VIGIL_ERR_NOMEM only. */
enum vigil_code vigil_diff_words(const char *old_text, const char *new_text,
				 struct vigil_diff *out, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
void vigil_diff_release(struct vigil_diff *diff);

/* How much of their wording a and b share, 0.0 .. 1.0: the Dice
 * coefficient of their multisets of word shingles (runs of three
 * consecutive words, compared by a 64-bit hash): 2 * |common shingles| /
 * (|shingles of a| + |shingles of b|). Single words would make any two
 * texts of one language look alike (the function words); shingles are
 * shared only where sentences are. A text of fewer than three words is
 * compared word by word. Case counts, punctuation does not. Two texts
 * without words are 1.0 alike; one without words and one with are 0.0.
 * Returns -1.0 when memory runs out. */
double vigil_text_similarity(const char *a, const char *b);

/*
 * Whether an edit from (old_title, old_text) to (new_title, new_text) is
 * minor: the words (letters and digits) of the title are the same, and
 * every word of the text that was removed or added lies on a "date or
 * counter line" of its text: a line (between newlines) of at most
 * line_words words, holding at least one number (a word of digits only),
 * and not ending like a sentence (., !, ?, …). So whitespace and
 * punctuation changes are minor, so is "Просмотров: 120" -> "Просмотров:
 * 135" or a changed "Обновлено 12.03.2024 10:15" line, while one changed
 * digit in a sentence of the body is a substantive edit. line_words <= 0
 * disables the rule: nothing is minor. Returns 1 minor, 0 substantive,
 * -1 out of memory.
 */
int vigil_edit_is_minor(const char *old_title, const char *old_text, const char *new_title,
			const char *new_text, int line_words);

#endif
