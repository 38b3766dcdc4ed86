/*
 * text_model.h: the shape of a text, for scoping rules and reading voice.
 * Private to parser/classify/ (the unit tests include it too).
 *
 * The model is built over the classified subject (title + "\n\n" + text,
 * already folded, valid UTF-8) and holds byte offsets into it:
 *   - fields: the title, the lead (the first paragraph of the body, or its
 *     first sentences when that paragraph is long) and the body;
 *   - paragraphs (split at line breaks) and sentences (split after . ! ? …
 *     when the next sentence starts with a capital, a digit, a quotation
 *     mark or a dash and a capital; not after initials and the common
 *     abbreviations г. обл. т.н. ст. Mr. ...);
 *   - quotations: «…», „…“, “…”, "…" (nested, closed within a paragraph);
 *     a quotation of four words or more is speech, shorter ones are names
 *     or scare quotes («правозащитники») and stay the outlet's voice;
 *   - attribution: sentences with a reporting cue (по словам X, заявил,
 *     сообщил, said, told, according to, деді, мәлімдеді ...) are reported
 *     speech, and speech quotations in or next to such a sentence are
 *     attributed to its speaker;
 *   - negation scopes: не / нет / ни / без, not / no / never / n't reach up
 *     to NEG_FORWARD_WORDS words forward, Kazakh емес / жоқ up to
 *     NEG_BACKWARD_WORDS words back, never across , ; : — or a sentence end.
 * The word lists are language mechanics, not taxonomy, so they live here;
 * the taxonomy stays in config/rules.
 */
#ifndef VIGIL_CLASSIFY_TEXT_MODEL_H
#define VIGIL_CLASSIFY_TEXT_MODEL_H

#include "../../common/vigil.h"

#include <stddef.h>

enum text_field {
	TEXT_FIELD_TITLE = 1,
	TEXT_FIELD_LEAD = 2,
	TEXT_FIELD_BODY = 4
};

struct text_span {
	size_t start, end; /* bytes, end exclusive */
};

struct text_sentence {
	size_t start, end;
	size_t paragraph;   /* index into paragraphs */
	size_t cue_start, cue_end; /* the reporting cue, when reported */
	int reported;       /* has a reporting cue: someone else's words */
};

struct text_quote {
	size_t start, end;  /* inside the marks */
	size_t words;
	int depth;          /* 0 outermost */
	int speech;         /* four words or more: someone's words */
	int attributed;     /* speech with a reporting cue in its sentence or
			       the next/previous one of its paragraph */
};

struct text_negation {
	size_t start, end;          /* the scope, negator included */
	size_t cue_start, cue_end;  /* the negator */
};

struct text_word {
	size_t start, end;
};

struct text_model {
	const char *text;   /* not owned */
	const char *lower;  /* text lower-cased (classify_lower_text), same
			       offsets; owned only when own_lower is set */
	char *own_lower;
	size_t len;
	size_t title_end;   /* title = [0, title_end) */
	size_t lead_start, lead_end;
	struct text_span *paragraphs;
	size_t paragraph_count;
	struct text_sentence *sentences;
	size_t sentence_count;
	struct text_quote *quotes;
	size_t quote_count;
	struct text_negation *negations;
	size_t negation_count;
	struct text_word *words;
	size_t word_count;
};

/* Build the model of text[0, len) whose first title_len bytes are the
 * title. text must stay alive while the model is used. */
enum vigil_code text_model_build(const char *text, size_t len, size_t title_len,
				 struct text_model *out) VIGIL_WARN_UNUSED;
/* The same, given the text's lower-cased copy (classify_lower_text), which
 * must stay alive too: the classifier has made it for the literal scan. */
enum vigil_code text_model_build_lower(const char *text, const char *lower, size_t len,
				       size_t title_len,
				       struct text_model *out) VIGIL_WARN_UNUSED;
void text_model_release(struct text_model *model);

enum text_field text_model_field(const struct text_model *m, size_t offset);
/* Index of the sentence holding offset (the nearest before it when offset
 * falls between sentences); SIZE_MAX when there are none. */
size_t text_model_sentence(const struct text_model *m, size_t offset);
/* Index of the innermost speech quotation holding [start, end), or
 * SIZE_MAX. */
size_t text_model_quote(const struct text_model *m, size_t start, size_t end);
/* 1 when [start, end) is someone else's words: inside a speech quotation
 * or in a sentence with a reporting cue. */
int text_model_reported(const struct text_model *m, size_t start, size_t end);
/* 1 when [start, end) overlaps a negation scope whose negator lies outside
 * it: a pattern that spells the negation itself ("митинг не согласовали")
 * is not negated by it. */
int text_model_negated(const struct text_model *m, size_t start, size_t end);
/* Index of the word holding or following offset (word_count at the end). */
size_t text_model_word(const struct text_model *m, size_t offset);

#endif
