/*
 * text_model.c: paragraphs, sentences, quotations, reported speech and
 * negation scopes of a text (see text_model.h for what each one is).
 *
 * One pass cuts the text into words (with the byte offsets of each) and
 * notes quotation marks and sentence ends; the later passes work on the
 * word array, so the cost is linear in the text.
 */
#include "classify_int.h"

#include <stdlib.h>
#include <string.h>

/* The lead is the first paragraph of the body, at most this many
 * sentences of it (some sites put the whole story in one paragraph). */
#define LEAD_SENTENCES 3
/* A quotation this long (in words) is speech, shorter is a name or a
 * scare quote. */
#define QUOTE_SPEECH_WORDS 4
#define QUOTE_DEPTH_MAX 4
/* Negation reach in words: "не является политическим преследованием",
 * "саяси қудалау емес". */
#define NEG_FORWARD_WORDS 4
#define NEG_BACKWARD_WORDS 3
/* Bytes of a word compared with the lexicons (lower-cased). */
#define WORD_KEY_MAX 24 /* longer than every word in the lists */

static int is_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7) || c >= 0x3040;
}

static int is_upper(uint32_t c)
{
	return classify_lower_cp(c) != c || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
}

/* The text is valid UTF-8 (the classifier replaced invalid bytes), so the
 * quick decoder serves; a sequence cut by len reads as '?'. */
static uint32_t cp_at(const char *text, size_t len, size_t at, size_t *n)
{
	const unsigned char *p = (const unsigned char *)text + at;
	uint32_t c;

	if (p[0] < 0x80) {
		*n = 1;
		return p[0];
	}
	if (at + (p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4) > len) {
		*n = 1;
		return '?';
	}
	*n = classify_decode_cp(p, &c);
	return c;
}

/* The lower-cased first WORD_KEY_MAX bytes of a word (whole characters). */
static void word_key(const struct text_model *m, const struct text_word *w,
		     char key[WORD_KEY_MAX + 1])
{
	const unsigned char *low = (const unsigned char *)m->lower;
	size_t at = w->start, k = 0;

	while (at < w->end && k + 4 <= WORD_KEY_MAX) {
		size_t n = low[at] < 0x80 ? 1 : low[at] < 0xE0 ? 2 : low[at] < 0xF0 ? 3 : 4;

		if (at + n > w->end)
			break;
		memcpy(key + k, low + at, n);
		k += n;
		at += n;
	}
	key[k] = '\0';
}

/* Is key in the list (prefix: does key start with an entry)? */
static int in_list(const char *key, const char *const *list, int prefix)
{
	for (; *list; list++) {
		const char *a = *list, *b = key;

		/* The first byte settles almost every word. */
		if (a[0] != b[0])
			continue;
		while (*a && *a == *b)
			a++, b++;
		if (*a == '\0' && (prefix || *b == '\0'))
			return 1;
	}
	return 0;
}

static const char *const negators[] = { "не", "нет", "ни", "без", "not", "no", "never",
					"cannot", NULL };
static const char *const negators_after[] = { "емес", "жоқ", NULL };
/* "Обыска не было": не + a past form of быть also negates the words
 * before it (but not across "и", "а", "но"). */
static const char *const be_past[] = { "было", "был", "была", "были", NULL };
static const char *const conjunctions[] = { "и", "а", "но", "and", "but", NULL };
/* "не только", "не менее", "не раз" (= often) do not negate. */
static const char *const negation_exceptions[] = { "только", "менее", "раз", "лишь", "столько",
						   "only", NULL };
/* Reporting verbs and phrases, by stem. */
static const char *const report_stems[] = {
	"заявил", "заявля", "сообщил", "сообщае", "сообщаю", "отметил", "отмеча", "сказал",
	"говорит", "говорят", "говорил", "подчеркнул", "подчеркива", "пояснил", "поясня",
	"рассказал", "рассказыва", "утвержда", "полагае", "добавил", "написал", "пишет",
	"считает", "считают", "мәлімде", "хабарла", NULL
};
static const char *const report_words[] = {
	"said", "says", "say", "told", "tells", "stated", "claimed", "claims", "added", "noted",
	"wrote", "argued", "alleged", "деді", "дейді", "деген", "деп", "айтты", "айтады",
	"сөзінше", "пікірінше", "мәліметінше", NULL
};
/* "по словам X", "по мнению X", "по данным X"; "according to". */
static const char *const report_after_po[] = { "словам", "мнению", "данным", "информации",
					       "утверждению", NULL };

static const char *const abbreviations[] = { "г", "гг", "обл", "ст", "им", "ул", "пр", "др",
					     "тел", "mr", "mrs", "ms", "dr", "st", "jr", "vs",
					     "no", "н", "т", NULL };

/* A 1024-bit summary of the first four (lower-cased) bytes of the words
 * in some lists, so that most words of a text are passed over without
 * building their key: one bit test instead of dozens of comparisons.
 * Words are compared whole or by stems of two letters or more, so their
 * first four bytes (two Cyrillic letters) decide the bit. */
struct word_filter {
	uint64_t bits[16];
};

static unsigned filter_bit(const unsigned char *s, size_t n)
{
	uint32_t word = 0;

	if (n >= 4)
		memcpy(&word, s, 4);
	else
		while (n--)
			word = word << 8 | s[n];
	return (word * 0x9E3779B1u) >> 22;
}

static void filter_add(struct word_filter *f, const char *const *list)
{
	for (; *list; list++) {
		unsigned bit = filter_bit((const unsigned char *)*list, strlen(*list));

		f->bits[bit >> 6] |= 1ull << (bit & 63);
	}
}

static int filter_has(const struct word_filter *f, const struct text_model *m,
		      const struct text_word *w)
{
	unsigned bit = filter_bit((const unsigned char *)m->lower + w->start, w->end - w->start);

	return (f->bits[bit >> 6] >> (bit & 63)) & 1;
}

struct mark {
	size_t at;     /* byte offset of the mark */
	size_t len;    /* its length */
	int open;      /* 1 opening, 0 closing */
	int family;    /* 0 «», 1 „“, 2 “”, 3 "" */
};

struct builder {
	struct text_model *m;
	size_t word_cap, sent_cap, para_cap, quote_cap, neg_cap;
};

static int push(void **items, size_t *count, size_t *cap, size_t elem, const void *item)
{
	if (*count == *cap) {
		size_t n = *cap ? *cap * 2 : 32;
		void *grown = realloc(*items, n * elem);

		if (!grown)
			return 0;
		*items = grown;
		*cap = n;
	}
	memcpy((char *)*items + *count * elem, item, elem);
	(*count)++;
	return 1;
}

void text_model_release(struct text_model *model)
{
	if (!model)
		return;
	free(model->paragraphs);
	free(model->sentences);
	free(model->quotes);
	free(model->negations);
	free(model->words);
	free(model->own_lower);
	memset(model, 0, sizeof(*model));
}

/* The character before at, or 0 at the start. */
static uint32_t cp_before(const char *text, size_t at)
{
	size_t start = at, n;

	if (at == 0)
		return 0;
	do
		start--;
	while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80);
	return cp_at(text, at, start, &n);
}

/* A sentence ends at a terminator at `at` (length n) when what follows,
 * after closing quotes and blanks, starts a sentence. Returns the end
 * offset (after the closing quotes) or 0. */
static size_t sentence_end_after(const struct text_model *m, size_t at, size_t n,
				 size_t word_before)
{
	const char *t = m->text;
	size_t p = at + n, k, q;
	uint32_t c;
	char key[WORD_KEY_MAX + 1];

	if (t[at] == '.' && word_before < m->word_count && m->words[word_before].end == at) {
		const struct text_word *w = &m->words[word_before];
		size_t chars = 0, s;

		for (s = w->start; s < w->end; s += k, chars++)
			(void)cp_at(t, m->len, s, &k);
		word_key(m, w, key);
		/* Initials and abbreviations: "А. Иванов", "г. Алматы". */
		if ((chars == 1 && is_upper(cp_at(t, m->len, w->start, &k))) ||
		    in_list(key, abbreviations, 0))
			return 0;
		/* "т.н." and "т.е.": a letter, a dot, a letter before us. */
		if (chars == 1 && w->start >= 2 && t[w->start - 1] == '.')
			return 0;
	}
	/* Several terminators ("?!", "...") and closing marks stay with us. */
	for (;;) {
		if (p >= m->len)
			return p;
		c = cp_at(t, m->len, p, &k);
		if (c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0xBB || c == 0x201C ||
		    c == 0x201D || c == '"' || c == ')')
			p += k;
		else
			break;
	}
	q = p;
	while (q < m->len && (t[q] == ' ' || t[q] == '\t' || (unsigned char)t[q] == 0xC2))
		q += (unsigned char)t[q] == 0xC2 ? 2 : 1; /* C2 A0: no-break space */
	if (q == p)
		return 0;
	if (q >= m->len || t[q] == '\n')
		return p;
	c = cp_at(t, m->len, q, &k);
	if (c == 0x2014 || c == 0x2013 || c == '-') {
		size_t r = q + k;

		while (r < m->len && t[r] == ' ')
			r++;
		return r < m->len && is_upper(cp_at(t, m->len, r, &k)) ? p : 0;
	}
	if (is_upper(c) || (c >= '0' && c <= '9') || c == 0xAB || c == 0x201E || c == 0x201C ||
	    c == '"')
		return p;
	return 0;
}

/* Pass 1: words and quotation marks. */
static enum vigil_code scan_words(struct builder *b, struct mark **marks, size_t *mark_count)
{
	struct text_model *m = b->m;
	size_t at = 0, n = 1, mark_cap = 0, word_start = SIZE_MAX;

	const unsigned char *t = (const unsigned char *)m->text;

	while (at <= m->len) {
		uint32_t c;
		int letter;

		if (at < m->len && t[at] >= 0xC3 && t[at] <= 0xDF && at + 1 < m->len) {
			/* Fast path: two-byte letters (Cyrillic, Latin-1 and
			 * Extended), all but × and ÷, inside a word. */
			c = ((uint32_t)(t[at] & 0x1F) << 6) | (t[at + 1] & 0x3F);
			n = 2;
			letter = c != 0xD7 && c != 0xF7;
			if (letter && word_start != SIZE_MAX) {
				at += 2;
				continue;
			}
		} else {
			c = at < m->len ? cp_at(m->text, m->len, at, &n) : ' ';
			letter = at < m->len && is_letter(c);
			if (at == m->len)
				n = 1;
		}
		/* An apostrophe or hyphen between letters stays in the word:
		 * "don't", "Усть-Каменогорск". */
		if (!letter && at < m->len && word_start != SIZE_MAX &&
		    (c == '\'' || c == 0x2019 || c == '-') && at + n < m->len) {
			size_t k;

			letter = is_letter(cp_at(m->text, m->len, at + n, &k));
		}
		if (letter) {
			if (word_start == SIZE_MAX)
				word_start = at;
		} else {
			if (word_start != SIZE_MAX) {
				struct text_word w = { word_start, at };

				if (!push((void **)&m->words, &m->word_count, &b->word_cap, sizeof(w), &w))
					return VIGIL_ERR_NOMEM;
				word_start = SIZE_MAX;
			}
			if (at < m->len) {
				struct mark mk = { at, n, -1, -1 };

				if (c == 0xAB || c == 0xBB) {
					mk.family = 0;
					mk.open = c == 0xAB;
				} else if (c == 0x201E) {
					mk.family = 1;
					mk.open = 1;
				} else if (c == 0x201C || c == 0x201D) {
					mk.family = 2; /* decided when pairing */
					mk.open = c == 0x201C ? 2 : 0;
				} else if (c == '"') {
					uint32_t before = cp_before(m->text, at);

					mk.family = 3;
					mk.open = before == 0 || before == ' ' || before == '\n' ||
						  before == '(' || before == 0xA0 || before == 0x2014 ||
						  before == ':' || before == '\t';
				}
				if (mk.family >= 0 &&
				    !push((void **)marks, mark_count, &mark_cap, sizeof(mk), &mk))
					return VIGIL_ERR_NOMEM;
			}
		}
		at += n;
	}
	return VIGIL_OK;
}

static size_t words_between(const struct text_model *m, size_t start, size_t end)
{
	return text_model_word(m, end) - text_model_word(m, start);
}

/* Pass 2: pair the marks into quotations, within a paragraph. */
static enum vigil_code pair_quotes(struct builder *b, const struct mark *marks, size_t n)
{
	struct text_model *m = b->m;
	struct mark stack[QUOTE_DEPTH_MAX];
	size_t depth = 0, i, para = 0;

	for (i = 0; i < n; i++) {
		struct mark mk = marks[i];
		int closes = 0;

		while (para < m->paragraph_count && m->paragraphs[para].end <= mk.at) {
			para++;
			depth = 0; /* an unclosed mark dies with its paragraph */
		}
		if (mk.family == 2) {
			/* “ closes „ (German/Russian inner quotes), else opens; ” closes. */
			if (mk.open == 2 && depth && stack[depth - 1].family == 1)
				closes = 1;
			else if (mk.open == 2)
				mk.open = 1;
			else
				closes = depth && stack[depth - 1].family == 2;
		} else if (mk.family == 3) {
			closes = depth && stack[depth - 1].family == 3 && !mk.open;
			if (!closes && depth && stack[depth - 1].family == 3)
				closes = 1; /* a straight quote inside a straight quote closes it */
		} else {
			closes = !mk.open && depth && stack[depth - 1].family == mk.family;
		}
		if (closes) {
			struct text_quote q;

			depth--;
			q.start = stack[depth].at + stack[depth].len;
			q.end = mk.at;
			q.depth = (int)depth;
			q.words = words_between(m, q.start, q.end);
			q.speech = q.words >= QUOTE_SPEECH_WORDS;
			q.attributed = 0;
			if (!push((void **)&m->quotes, &m->quote_count, &b->quote_cap, sizeof(q), &q))
				return VIGIL_ERR_NOMEM;
			continue;
		}
		if (mk.open && depth < QUOTE_DEPTH_MAX)
			stack[depth++] = mk;
	}
	return VIGIL_OK;
}

static int cmp_quote(const void *a, const void *b)
{
	const struct text_quote *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

static const unsigned char ends_something[256] = {
	['\n'] = 1, ['.'] = 1, ['!'] = 1, ['?'] = 1, [0xE2] = 1,
};

/* Pass 3: paragraphs (line breaks) and sentences. */
static enum vigil_code split(struct builder *b)
{
	struct text_model *m = b->m;
	size_t at = 0, para_start = 0, sent_start = 0, word = 0, k;

	while (at <= m->len) {
		size_t end = 0, next;
		int para_break;

		/* Only line breaks and . ! ? … (E2 80 A6) end anything. */
		while (at < m->len && !ends_something[(unsigned char)m->text[at]])
			at++;
		next = at + 1;
		para_break = at == m->len || m->text[at] == '\n';

		while (word < m->word_count && m->words[word].end <= at)
			word++;
		if (!para_break) {
			uint32_t c = cp_at(m->text, m->len, at, &k);

			next = at + k;
			if (c == '.' || c == '!' || c == '?' || c == 0x2026)
				end = sentence_end_after(m, at, k, word ? word - 1 : 0);
		}
		if (para_break || end) {
			size_t s_end = para_break ? at : end;
			struct text_sentence s;

			/* Trim blanks; skip empty pieces. */
			while (sent_start < s_end && (m->text[sent_start] == ' ' ||
						      m->text[sent_start] == '\t' ||
						      m->text[sent_start] == '\r'))
				sent_start++;
			if (words_between(m, sent_start, s_end) > 0) {
				memset(&s, 0, sizeof(s));
				s.start = sent_start;
				s.end = s_end;
				s.paragraph = m->paragraph_count;
				if (!push((void **)&m->sentences, &m->sentence_count, &b->sent_cap,
					  sizeof(s), &s))
					return VIGIL_ERR_NOMEM;
			}
			sent_start = s_end;
			if (end && !para_break)
				next = end;
		}
		if (para_break) {
			if (words_between(m, para_start, at) > 0) {
				struct text_span p = { para_start, at };

				if (!push((void **)&m->paragraphs, &m->paragraph_count, &b->para_cap,
					  sizeof(p), &p))
					return VIGIL_ERR_NOMEM;
			}
			para_start = sent_start = at + 1;
		}
		at = next;
	}
	return VIGIL_OK;
}

static void find_lead(struct text_model *m)
{
	size_t i, first = SIZE_MAX, count = 0;

	m->lead_start = m->lead_end = m->title_end;
	for (i = 0; i < m->sentence_count; i++) {
		const struct text_sentence *s = &m->sentences[i];

		if (s->start < m->title_end)
			continue; /* the title */
		if (first == SIZE_MAX) {
			first = s->paragraph;
			m->lead_start = s->start;
		}
		if (s->paragraph != first || count == LEAD_SENTENCES)
			break;
		m->lead_end = s->end;
		count++;
	}
}

/* Pass 4: reporting cues per sentence, then attribution of quotations. */
static void mark_reported(struct text_model *m)
{
	size_t i, s = 0;
	char key[WORD_KEY_MAX + 1];
	int after_po = 0, after_according = 0;
	static const char *const po_according_to[] = { "по", "according", "to", NULL };
	struct word_filter filter = { { 0 } };

	filter_add(&filter, report_stems);
	filter_add(&filter, report_words);
	filter_add(&filter, report_after_po);
	filter_add(&filter, po_according_to);

	for (i = 0; i < m->word_count; i++) {
		const struct text_word *w = &m->words[i];
		int cue;

		if (!filter_has(&filter, m, w)) {
			after_po = after_according = 0;
			continue;
		}
		word_key(m, w, key);
		cue = in_list(key, report_stems, 1) || in_list(key, report_words, 0) ||
		      (after_po && in_list(key, report_after_po, 0)) ||
		      (after_according && strcmp(key, "to") == 0);
		after_po = strcmp(key, "по") == 0;
		after_according = strcmp(key, "according") == 0;
		if (!cue)
			continue;
		s = text_model_sentence(m, w->start);
		if (s == SIZE_MAX || m->sentences[s].reported)
			continue;
		m->sentences[s].reported = 1;
		m->sentences[s].cue_start = i > 0 && (strcmp(key, "to") == 0 ||
						      in_list(key, report_after_po, 0))
						     ? m->words[i - 1].start
						     : w->start;
		m->sentences[s].cue_end = w->end;
	}
	for (i = 0; i < m->quote_count; i++) {
		struct text_quote *q = &m->quotes[i];
		size_t first = text_model_sentence(m, q->start), last = text_model_sentence(m, q->end);
		size_t j;

		if (!q->speech || first == SIZE_MAX)
			continue;
		if (first > 0 && m->sentences[first - 1].paragraph == m->sentences[first].paragraph)
			first--;
		if (last + 1 < m->sentence_count &&
		    m->sentences[last + 1].paragraph == m->sentences[last].paragraph)
			last++;
		for (j = first; j <= last && !q->attributed; j++) {
			const struct text_sentence *st = &m->sentences[j];

			/* The cue must lie outside the quotation itself. */
			q->attributed = st->reported && (st->cue_start < q->start || st->cue_start >= q->end);
		}
	}
}

static int clause_break(const struct text_model *m, size_t from, size_t to)
{
	size_t at;

	for (at = from; at < to; at++) {
		unsigned char c = (unsigned char)m->text[at];

		if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '\n' ||
		    c == '.' || c == '!' || c == '?')
			return 1;
		/* — (E2 80 94) and – (E2 80 93) */
		if (c == 0xE2 && at + 2 < to && (unsigned char)m->text[at + 1] == 0x80 &&
		    ((unsigned char)m->text[at + 2] == 0x94 || (unsigned char)m->text[at + 2] == 0x93))
			return 1;
	}
	return 0;
}

/* Pass 5: negation scopes. */
static enum vigil_code mark_negations(struct builder *b)
{
	struct text_model *m = b->m;
	char key[WORD_KEY_MAX + 1], next[WORD_KEY_MAX + 1];
	size_t i, j, len;
	struct word_filter filter = { { 0 } };

	filter_add(&filter, negators);
	filter_add(&filter, negators_after);

	for (i = 0; i < m->word_count; i++) {
		const struct text_word *w = &m->words[i];
		struct text_negation span;

		/* Negators are short words, or end in "n't" / "n’t". */
		if (!filter_has(&filter, m, w) && m->text[w->end - 1] != 't')
			continue;

		word_key(m, w, key);
		len = strlen(key);
		if (in_list(key, negators, 0) ||
		    (len > 3 && strcmp(key + len - 3, "n't") == 0) ||
		    (len > 5 && strcmp(key + len - 5, "n\xe2\x80\x99t") == 0)) {
			if (i + 1 < m->word_count) {
				word_key(m, &m->words[i + 1], next);
				if (in_list(next, negation_exceptions, 0))
					continue;
			}
			span.start = w->start;
			span.end = w->end;
			for (j = i + 1; j < m->word_count && j <= i + NEG_FORWARD_WORDS; j++) {
				if (clause_break(m, span.end, m->words[j].start))
					break;
				span.end = m->words[j].end;
			}
			/* "не было": also the words before, as for емес */
			if (strcmp(key, "не") == 0 && i + 1 < m->word_count && i > 0 &&
			    in_list(next, be_past, 0)) {
				for (j = i; j > 0 && j + NEG_BACKWARD_WORDS > i; j--) {
					char before[WORD_KEY_MAX + 1];

					word_key(m, &m->words[j - 1], before);
					if (in_list(before, conjunctions, 0) ||
					    clause_break(m, m->words[j - 1].end, span.start))
						break;
					span.start = m->words[j - 1].start;
				}
			}
		} else if (in_list(key, negators_after, 0)) {
			span.start = w->start;
			span.end = w->end;
			for (j = i; j > 0 && j + NEG_BACKWARD_WORDS > i; j--) {
				if (clause_break(m, m->words[j - 1].end, span.start))
					break;
				span.start = m->words[j - 1].start;
			}
		} else {
			continue;
		}
		span.cue_start = w->start;
		span.cue_end = w->end;
		if (!push((void **)&m->negations, &m->negation_count, &b->neg_cap, sizeof(span),
			  &span))
			return VIGIL_ERR_NOMEM;
	}
	return VIGIL_OK;
}

enum vigil_code text_model_build(const char *text, size_t len, size_t title_len,
				 struct text_model *out)
{
	char *lower = malloc(len + 1);
	enum vigil_code code;

	memset(out, 0, sizeof(*out));
	if (!lower)
		return VIGIL_ERR_NOMEM;
	classify_lower_text(text, len, lower);
	lower[len] = '\0';
	code = text_model_build_lower(text, lower, len, title_len, out);
	if (code)
		free(lower);
	else
		out->own_lower = lower;
	return code;
}

enum vigil_code text_model_build_lower(const char *text, const char *lower, size_t len,
				       size_t title_len, struct text_model *out)
{
	struct builder b;
	struct mark *marks = NULL;
	size_t mark_count = 0;
	enum vigil_code code;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	b.m = out;
	/* About one word per six bytes of Russian text: reserve, not regrow. */
	b.word_cap = len / 6 + 16;
	out->words = malloc(b.word_cap * sizeof(*out->words));
	if (!out->words)
		return VIGIL_ERR_NOMEM;
	out->text = text;
	out->lower = lower;
	out->len = len;
	out->title_end = title_len < len ? title_len : len;
	code = scan_words(&b, &marks, &mark_count);
	if (!code)
		code = split(&b);
	if (!code)
		code = pair_quotes(&b, marks, mark_count);
	free(marks);
	if (!code) {
		if (out->quote_count > 1)
			qsort(out->quotes, out->quote_count, sizeof(*out->quotes), cmp_quote);
		find_lead(out);
		mark_reported(out);
		code = mark_negations(&b);
	}
	if (code)
		text_model_release(out);
	return code;
}

enum text_field text_model_field(const struct text_model *m, size_t offset)
{
	if (offset < m->title_end)
		return TEXT_FIELD_TITLE;
	if (offset >= m->lead_start && offset < m->lead_end)
		return TEXT_FIELD_LEAD;
	return TEXT_FIELD_BODY;
}

size_t text_model_sentence(const struct text_model *m, size_t offset)
{
	size_t lo = 0, hi = m->sentence_count;

	if (hi == 0)
		return SIZE_MAX;
	/* The last sentence starting at or before offset. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->sentences[mid].start <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

size_t text_model_quote(const struct text_model *m, size_t start, size_t end)
{
	size_t i, best = SIZE_MAX;

	/* Quotations are few (tens); sorted by start, outer before inner. */
	for (i = 0; i < m->quote_count && m->quotes[i].start <= start; i++) {
		if (m->quotes[i].speech && end <= m->quotes[i].end)
			best = i;
	}
	return best;
}

int text_model_reported(const struct text_model *m, size_t start, size_t end)
{
	size_t s;

	if (text_model_quote(m, start, end) != SIZE_MAX)
		return 1;
	s = text_model_sentence(m, start);
	return s != SIZE_MAX && m->sentences[s].reported && start < m->sentences[s].end;
}

int text_model_negated(const struct text_model *m, size_t start, size_t end)
{
	size_t i;

	for (i = 0; i < m->negation_count; i++) {
		const struct text_negation *n = &m->negations[i];

		if (n->start < end && start < n->end && (n->cue_end <= start || n->cue_start >= end))
			return 1;
	}
	return 0;
}

size_t text_model_word(const struct text_model *m, size_t offset)
{
	size_t lo = 0, hi = m->word_count;

	/* The first word ending after offset. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->words[mid].end <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
