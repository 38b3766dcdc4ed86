/*
 * prefilter.c: the literal prefilter that lets most patterns be skipped.
 */
#include "classify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- literal prefilter ----
 *
 * Most patterns find nothing in a given text, yet PCRE2 must try them at
 * every Cyrillic letter (caseless UTF-8 Cyrillic shares its first byte), so
 * a full pass costs about as much for a miss as for a hit. Instead, the
 * literal words every match must begin with ("обыск" for \bобыск\w*,
 * "зко"/"вко" for (?-i:ЗКО|ВКО), "в " for \bв\s+местах) are collected for
 * every pattern when the classifier is built, and one pass over the
 * lower-cased text finds where any of them occurs (an index on their first
 * two characters, then a byte comparison). Each pattern is then tried,
 * anchored, only at the places where one of its literals starts: a match
 * can start nowhere else, so the hits are exactly those of a full scan.
 * Patterns without such a literal (a character class or \w first, a
 * literal of one letter) scan the whole text as before. Lower-casing covers
 * ASCII, Latin-1 and Latin Extended-A, Russian and Kazakh Cyrillic (upper
 * and lower case have the same UTF-8 length there), and every white-space
 * character becomes spaces of the same length, so offsets are the text's.
 * Texts relying on exotic case equivalents (the Kelvin sign for "k", the
 * long s) could be missed. */

/* Literals per pattern; more alternatives than this and the pattern keeps
 * the shorter common prefix literals already found. */
#define LIT_MAX 32
#define LIT_LEN_MAX 64
/* Alternatives one sequence may grow to by classes and optional parts. */
#define LIT_GROW_MAX 8

/* Letters and digits whose case mapping classify_lower_cp() knows completely. */
static int literal_cp(uint32_t c)
{
	c = classify_lower_cp(c);
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 0x430 && c <= 0x45F) ||
	       c == ' ' || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
	       /* punctuation that is literal in a pattern and has no case */
	       (c < 0x80 && strchr(",-:;!\"'%&/<>=@_~`#", (int)c) && c != 0) || c == 0xAB ||
	       c == 0xBB || (c >= 0x2010 && c <= 0x201F) ||
	       /* ı and İ too: without Turkish casing (an opt-in of PCRE2
		* 10.43) a caseless ı matches only ı, İ only İ */
	       (c >= 0x101 && c <= 0x17E && c != 0x138 && c != 0x149 && c != 0x178 &&
		classify_lower_cp(c) == c) ||
	       c == 0x493 || c == 0x49B || c == 0x4A3 || c == 0x4AF || c == 0x4B1 ||
	       c == 0x4BB || c == 0x4D9 || c == 0x4E9;
}

/* Decode one UTF-8 character of valid text; returns its length. */
size_t classify_decode_cp(const unsigned char *p, uint32_t *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xE0) {
		*cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (p[0] < 0xF0) {
		*cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
		      (p[2] & 0x3F);
		return 3;
	}
	*cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
	      ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
	return 4;
}

/* A set of literal prefixes under construction, as code points. */
struct lit {
	uint32_t cp[LIT_LEN_MAX];
	size_t len;
	int word_start; /* a \b stands before its first character */
};
struct lit_set {
	struct lit items[LIT_MAX];
	size_t n;
};

static const char *lit_alternation(const char *p, struct lit_set *out, int *complete,
				   int depth);
static void lit_simplify(struct lit_set *set);

/* Skip a [...] class; p is at '['. */
static const char *skip_class(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '\\' && p[1])
			p += 2;
		else if (*p == '[' && p[1] == ':' && strstr(p + 2, ":]"))
			p = strstr(p + 2, ":]") + 2;
		else
			p++;
	}
	return *p ? p + 1 : p;
}

/* Skip to the '|' or ')' that ends the current alternative. */
static const char *skip_alternative(const char *p)
{
	int depth = 0;

	while (*p) {
		if (*p == '\\' && p[1]) {
			p += 2;
		} else if (*p == '[') {
			p = skip_class(p);
		} else if (*p == '(') {
			depth++;
			p++;
		} else if (*p == ')') {
			if (depth == 0)
				return p;
			depth--;
			p++;
		} else if (*p == '|' && depth == 0) {
			return p;
		} else {
			p++;
		}
	}
	return p;
}

/* Skip a whole group; p is at '('. */
static const char *skip_group(const char *p)
{
	p = skip_alternative(p + 1);
	while (*p == '|')
		p = skip_alternative(p + 1);
	return *p == ')' ? p + 1 : p;
}

/* Quantifier at p: 0 none, 1 optional (? * {0), 2 repeated (+ {n}). */
static int quantifier(const char *p)
{
	if (*p == '?' || *p == '*')
		return 1;
	if (*p == '+')
		return 2;
	if (*p == '{' && p[1] >= '0' && p[1] <= '9')
		return p[1] == '0' ? 1 : 2;
	return 0;
}

/* Append the cross product of set and tail to set; 0 when too large. */
static int lit_product(struct lit_set *set, const struct lit_set *tail)
{
	struct lit_set out;
	size_t i, j;

	if (set->n * tail->n > LIT_MAX || tail->n == 0)
		return 0;
	out.n = 0;
	for (i = 0; i < set->n; i++) {
		for (j = 0; j < tail->n; j++) {
			struct lit *l = &out.items[out.n++];

			if (set->items[i].len + tail->items[j].len > LIT_LEN_MAX)
				return 0;
			*l = set->items[i];
			if (l->len == 0)
				l->word_start |= tail->items[j].word_start;
			memcpy(l->cp + l->len, tail->items[j].cp, tail->items[j].len * sizeof(uint32_t));
			l->len += tail->items[j].len;
		}
	}
	*set = out;
	return 1;
}

/* One literal character of a pattern at p: a letter, digit, space or
 * punctuation, \s (white space, ' ' in the scanned text) or an escaped
 * punctuation mark. Returns its length in the pattern, 0 if not literal. */
static size_t atom_char(const char *p, uint32_t *cp)
{
	size_t n;

	if (p[0] == '\\') {
		if (p[1] == 's') {
			*cp = ' ';
			return 2;
		}
		if (p[1] && strchr(".-()[]{}|?*+^$\\/,:;!\"'%&#<>=@_~`", p[1])) {
			*cp = (uint32_t)(unsigned char)p[1];
			return 2;
		}
		return 0;
	}
	n = classify_decode_cp((const unsigned char *)p, cp);
	return literal_cp(*cp) ? n : 0;
}

/* A character class of at most 8 literal characters ("[«"„“]", "[\s-]")
 * as single-character alternatives; returns the position after ']', or
 * NULL for a negated class, a range or anything else. */
static const char *class_members(const char *p, struct lit_set *out)
{
	uint32_t cp;
	size_t n;

	out->n = 0;
	p++;
	if (*p == '^' || *p == ']')
		return NULL;
	while (*p && *p != ']') {
		n = atom_char(p, &cp);
		if (!n || out->n == 8 || (p[n] == '-' && p[n + 1] != ']'))
			return NULL;
		out->items[out->n].len = 1;
		out->items[out->n].word_start = 0;
		out->items[out->n].cp[0] = classify_lower_cp(cp);
		out->n++;
		p += n;
	}
	return *p == ']' && out->n ? p + 1 : NULL;
}

/* Apply an atom (its literal alternatives; complete when each is all of
 * the atom) and the quantifier after it at *pp to set. Returns 0 when the
 * literals end here (set holds what is certain), 1 to go on. "X?" makes
 * both the literals with X and those without. */
static int apply_atom(struct lit_set *set, const struct lit_set *atom, int atom_complete,
		      int is_class, const char **pp)
{
	const char *p = *pp;
	int q = quantifier(p);
	size_t i;

	/* More alternatives buy little: keep the prefixes found so far. */
	if ((q == 1 || is_class) && set->n * atom->n + (q == 1 ? set->n : 0) > LIT_GROW_MAX)
		return 0;
	if (q == 1) {
		struct lit_set *with;
		int ok;

		if (*p != '?' || p[1] == '?' || p[1] == '+' || !atom_complete)
			return 0;
		with = malloc(sizeof(*with));
		if (!with)
			return 0;
		*with = *set;
		ok = lit_product(with, atom) && set->n + with->n <= LIT_MAX;
		for (i = 0; ok && i < with->n; i++)
			set->items[set->n++] = with->items[i];
		free(with);
		*pp = p + 1;
		return ok;
	}
	if (!lit_product(set, atom))
		return 0;
	return q == 0 && atom_complete;
}

/* Does every literal of set have a character already? */
static int lit_all_started(const struct lit_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (set->items[i].len == 0)
			return 0;
	}
	return set->n > 0;
}

/* The literal prefixes of one alternative (a sequence of atoms). Returns
 * the end of the alternative; *complete when every atom was literal. */
static const char *lit_sequence(const char *p, struct lit_set *set, int *complete, int depth)
{
	set->n = 1;
	set->items[0].len = 0;
	set->items[0].word_start = 0;
	*complete = 1;
	while (*p && *p != '|' && *p != ')') {
		if (*p == '\\' && p[1] == 'b' && set->n == 1 && set->items[0].len == 0)
			set->items[0].word_start = 1;
		if (*p == '\\' && (p[1] == 'b' || p[1] == 'B' || p[1] == 'A' || p[1] == 'G')) {
			p += 2; /* zero-width */
			continue;
		}
		if (*p == '^') {
			p++;
			continue;
		}
		if (*p == '(' && p[1] == '?' &&
		    (p[2] == '=' || p[2] == '!' || (p[2] == '<' && (p[3] == '=' || p[3] == '!')) ||
		     p[2] == '#')) {
			p = skip_group(p); /* look-around: zero-width */
			continue;
		}
		if (*p == '(' && p[1] == '?' && (p[2] == '-' || p[2] == 'i') &&
		    strchr(p, ')') && !memchr(p, ':', (size_t)(strchr(p, ')') - p))) {
			p = strchr(p, ')') + 1; /* (?-i) option setting */
			continue;
		}
		if (*p == '(') {
			struct lit_set inner;
			int inner_complete;
			const char *body = p + 1;

			if (p[1] == '?') {
				if (p[2] == ':' || p[2] == '>')
					body = p + 3;
				else if ((p[2] == '-' || p[2] == 'i') && strchr(p, ':'))
					body = strchr(p, ':') + 1;
				else
					break;
			} else if (p[1] == '*') {
				break;
			}
			if (depth > 8)
				break;
			p = lit_alternation(body, &inner, &inner_complete, depth + 1);
			if (*p != ')')
				break;
			p++;
			if (!apply_atom(set, &inner, inner_complete, 0, &p))
				break;
			continue;
		}
		if (*p == '[') {
			struct lit_set members;

			const char *after = class_members(p, &members);

			if (!after)
				break;
			p = after;
			if (!apply_atom(set, &members, 1, 1, &p))
				break;
			continue;
		}
		{
			struct lit_set atom;
			uint32_t cp;
			size_t n = atom_char(p, &cp);
			int escaped;

			if (!n)
				break;
			escaped = *p == '\\';
			atom.n = 1;
			atom.items[0].len = 1;
			atom.items[0].word_start = 0;
			atom.items[0].cp[0] = classify_lower_cp(cp);
			p += n;
			/* \s+ after some literal text is one ' ' of the literal: the
			 * scan lets a space of a literal stand for a run of blanks.
			 * (At the start it would move the match start: not there.) */
			if (cp == ' ' && escaped && *p == '+' && lit_all_started(set)) {
				p += p[1] == '+' || p[1] == '?' ? 2 : 1;
				if (!lit_product(set, &atom))
					break;
				continue;
			}
			if (!apply_atom(set, &atom, 1, 0, &p))
				break;
		}
	}
	if (*p && *p != '|' && *p != ')') {
		*complete = 0;
		p = skip_alternative(p);
	}
	return p;
}

/* Alternatives up to the closing ')' (not consumed) or the end. */
static const char *lit_alternation(const char *p, struct lit_set *out, int *complete,
				   int depth)
{
	struct lit_set alt;
	int alt_complete;
	size_t i;

	out->n = 0;
	*complete = 1;
	for (;;) {
		p = lit_sequence(p, &alt, &alt_complete, depth);
		*complete &= alt_complete;
		if (out->n + alt.n > LIT_MAX) {
			/* Variants of one name ("Аулие-Ата", "Аулие‐Ата", ...):
			 * their shared prefixes may do, but are no longer the
			 * whole alternation. */
			lit_simplify(out);
			lit_simplify(&alt);
			*complete = 0;
		}
		if (out->n + alt.n > LIT_MAX) {
			/* Too many: no usable literal set. */
			out->n = 0;
			*complete = 0;
			while (*p == '|')
				p = skip_alternative(p + 1);
			return p;
		}
		for (i = 0; i < alt.n; i++)
			out->items[out->n++] = alt.items[i];
		if (*p != '|')
			return p;
		p++;
	}
}

/* Is c certainly a word character (\w) for PCRE2 with Unicode properties?
 * (Only the ranges the literals and the scan need; anything else counts
 * as not a word character, which only makes more places tried.) */
static int is_word_cp(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7) ||
	       (c >= 0x100 && c <= 0x17F) || (c >= 0x400 && c <= 0x481) || (c >= 0x48A && c <= 0x4FF);
}

/* Is a a prefix of b? */
static int lit_is_prefix(const struct lit *a, const struct lit *b)
{
	return a->len <= b->len && memcmp(a->cp, b->cp, a->len * sizeof(uint32_t)) == 0;
}

/* Fewer literals, short index buckets: variants sharing a prefix of
 * LIT_SHARED_MIN characters or more ("жетысуский обл", "жетысуского обл",
 * ...) are replaced by that prefix, which finds a few more places (each
 * tried by PCRE2 as before), and literals that begin with another are
 * dropped, which finds the same places (unless it is sought only at
 * word starts and the other everywhere). */
#define LIT_SHARED_MIN 5
static void lit_simplify(struct lit_set *set)
{
	size_t i, j, k, n, common, members;
	int word_start;

	/* Variants sharing their first LIT_SHARED_MIN characters, three or
	 * more: the first becomes their common prefix, the others go. */
	for (i = 0; i < set->n; i++) {
		struct lit *first = &set->items[i];

		if (first->len < LIT_SHARED_MIN)
			continue;
		common = first->len;
		members = 1;
		word_start = first->word_start;
		for (j = i + 1; j < set->n; j++) {
			const struct lit *other = &set->items[j];

			if (other->len < LIT_SHARED_MIN ||
			    memcmp(other->cp, first->cp, LIT_SHARED_MIN * sizeof(uint32_t)) != 0)
				continue;
			for (k = LIT_SHARED_MIN; k < common && k < other->len && other->cp[k] == first->cp[k];
			     k++)
				;
			common = k;
			members++;
			word_start &= other->word_start;
		}
		if (members < 3)
			continue;
		first->len = common; /* the others now begin with it: dropped below */
		first->word_start = word_start;
	}
	/* A literal that another one begins is redundant (where "шымкента"
	 * starts, "шымкент" does); of two equal ones the first stays. */
	for (i = 0, n = 0; i < set->n; i++) {
		for (j = 0; j < set->n; j++) {
			if (j != i && lit_is_prefix(&set->items[j], &set->items[i]) &&
			    (set->items[j].len < set->items[i].len || j < i) &&
			    (!set->items[j].word_start || set->items[i].word_start))
				break;
		}
		if (j == set->n)
			set->items[n++] = set->items[i];
	}
	set->n = n;
}

/* The literals of a pattern as a packed list: for each, one length byte
 * and its lower-cased UTF-8 bytes (' ' for white space); NULL (scan the
 * whole text) when some alternative has no literal of two characters. */
unsigned char *classify_literals_compile(const char *pattern, size_t *n_out)
{
	struct lit_set *set = malloc(sizeof(*set));
	unsigned char *out;
	size_t i, j, n = 0;
	int complete;

	*n_out = 0;
	if (!set)
		return NULL;
	lit_alternation(pattern, set, &complete, 0);
	for (i = 0; i < set->n; i++) {
		if (set->items[i].len < 2)
			break;
	}
	if (set->n == 0 || i < set->n) {
		free(set);
		return NULL;
	}
	lit_simplify(set);
	out = malloc(set->n * (1 + LIT_LEN_MAX * 4));
	if (!out) {
		free(set);
		return NULL;
	}
	for (i = 0; i < set->n; i++) {
		const struct lit *l = &set->items[i];
		size_t at = n + 1, len = 0;

		for (j = 0; j < l->len && len + 4 <= LITERAL_LEN_MASK; j++) {
			char enc[4];
			size_t m = vigil_utf8_encode(l->cp[j], enc);

			memcpy(out + at + len, enc, m);
			len += m;
		}
		out[n] = (unsigned char)(len | (l->word_start && is_word_cp(l->cp[0]) ? LITERAL_WORD_START : 0));
		n = at + len;
	}
	free(set);
	*n_out = n;
	return out;
}

static const unsigned char ascii_word[128] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['_'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
	['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
	['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
};

/* Is c white space for PCRE2's \s with Unicode properties? */
static int is_space_cp(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000;
}

void classify_lower_text(const char *text, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, n;
	uint32_t c;

	while (i < len) {
		if ((p[i] == 0xD0 || p[i] == 0xD1) && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
			/* Fast path: Russian letters, U+0400..U+047F, lower case
			 * of the same length */
			c = classify_lower_cp(((uint32_t)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F));
			out[i] = (char)(0xC0 | (c >> 6));
			out[i + 1] = (char)(0x80 | (c & 0x3F));
			i += 2;
			continue;
		}
		if (p[i] < 0x80) {
			/* ASCII, the common case of spaces and punctuation */
			out[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32
					: (p[i] >= 0x09 && p[i] <= 0x0D) ? ' ' : p[i]);
			i++;
			continue;
		}
		n = classify_decode_cp(p + i, &c);
		if (is_space_cp(c)) {
			memset(out + i, ' ', n);
		} else {
			uint32_t l = classify_lower_cp(c);

			if (l == c || vigil_utf8_encode(l, out + i) != n)
				memcpy(out + i, p + i, n);
		}
		i += n;
	}
}

size_t classify_prepare_text(char *text, size_t len, char *lower)
{
	unsigned char *p = (unsigned char *)text;
	size_t i = 0, n, chars = 0;

	while (i < len) {
		chars++;
		if ((p[i] == 0xD0 || p[i] == 0xD1) && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
			/* Russian letters: fold ё and Ё, lower-case in the copy */
			uint32_t c = ((uint32_t)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F);

			if (c == 0x451 || c == 0x401) {
				p[i] = 0xD0;
				p[i + 1] = c == 0x451 ? 0xB5 : 0x95;
			}
			c = classify_lower_cp(c);
			lower[i] = (char)(0xC0 | (c >> 6));
			lower[i + 1] = (char)(0x80 | (c & 0x3F));
			i += 2;
			continue;
		}
		if (p[i] < 0x80) {
			lower[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32
					  : (p[i] >= 0x09 && p[i] <= 0x0D) ? ' ' : p[i]);
			i++;
			continue;
		}
		n = vigil_utf8_sequence_length(p + i, len - i);
		if (n == 0) {
			p[i] = '?';
			lower[i++] = '?';
			continue;
		}
		classify_lower_text((const char *)p + i, n, lower + i);
		i += n;
	}
	return chars;
}

/* The literal index has two tables. Most literals are keyed by their
 * first four bytes (two Cyrillic letters), hashed; literals shorter than
 * that, or with a space among their first three bytes (a space stands for
 * a run of blanks, so the bytes after it are not at a fixed place), are
 * keyed by their first two bytes, directly. A text position is looked up
 * in both, with no decoding. */
static uint32_t key4_at(const unsigned char *p)
{
	uint32_t word;

	memcpy(&word, p, 4);
	return (word * 0x9E3779B1u) >> (32 - LITERAL_KEY_BITS);
}

static uint32_t key2_at(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

/* 0: keyed by two bytes, 1: by four. */
static unsigned literal_table(const unsigned char *l, size_t len)
{
	return len >= 4 && !memchr(l, ' ', 3);
}

static int cmp_entry(const void *x, const void *y)
{
	const struct classify_literal *a = x, *b = y;

	if (a->table != b->table)
		return a->table < b->table ? -1 : 1;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->pattern < b->pattern ? -1 : a->pattern > b->pattern;
}

enum vigil_code classify_literal_index_build(struct parse_classifier *c)
{
	size_t i, n = 0, k, t;

	for (i = 0; i < c->pattern_count; i++) {
		const unsigned char *l = c->patterns[i].literals;

		for (k = 0; l && k < c->patterns[i].literals_len; k += 1 + (l[k] & LITERAL_LEN_MASK))
			n++;
	}
	c->literal_items = calloc(n ? n : 1, sizeof(*c->literal_items));
	if (!c->literal_items)
		return VIGIL_ERR_NOMEM;
	for (t = 0; t < 2; t++) {
		c->literal_buckets[t] = calloc((1u << LITERAL_KEY_BITS) + 1, sizeof(uint32_t));
		c->literal_keys[t] = calloc((1u << LITERAL_KEY_BITS) / 64, sizeof(uint64_t));
		c->literal_keys_inner[t] = calloc((1u << LITERAL_KEY_BITS) / 64, sizeof(uint64_t));
		if (!c->literal_buckets[t] || !c->literal_keys[t] || !c->literal_keys_inner[t])
			return VIGIL_ERR_NOMEM;
	}
	for (i = 0; i < c->pattern_count; i++) {
		const unsigned char *l = c->patterns[i].literals;

		for (k = 0; l && k < c->patterns[i].literals_len; k += 1 + (l[k] & LITERAL_LEN_MASK)) {
			struct classify_literal *e = &c->literal_items[c->literal_count++];
			unsigned char first[16] = { 0 };
			size_t head_len;
			const unsigned char *space;

			e->bytes = l + k + 1;
			e->len = l[k] & LITERAL_LEN_MASK;
			e->word_start = (l[k] & LITERAL_WORD_START) != 0;
			e->pattern = i;
			memcpy(first, e->bytes, e->len < 8 ? e->len : 8);
			e->table = literal_table(e->bytes, e->len);
			e->key = e->table ? key4_at(first) : key2_at(first);
			c->literal_keys[e->table][e->key >> 6] |= 1ull << (e->key & 63);
			if (!e->word_start)
				c->literal_keys_inner[e->table][e->key >> 6] |= 1ull << (e->key & 63);
			head_len = e->len < 8 ? e->len : 8;
			space = memchr(e->bytes, ' ', e->len ? e->len - 1 : 0);
			e->spaced = space != NULL;
			if (space && (size_t)(space - e->bytes) + 1 < head_len)
				head_len = (size_t)(space - e->bytes) + 1;
			e->head = 0;
			memcpy(&e->head, e->bytes, head_len);
			e->mask = head_len >= 8 ? ~0ull : (1ull << (8 * head_len)) - 1;
		}
	}
	qsort(c->literal_items, c->literal_count, sizeof(*c->literal_items), cmp_entry);
	/* literal_buckets[t][key] .. [key + 1]: the entries of that key in table t */
	for (t = 0, i = 0; t < 2; t++) {
		while (i < c->literal_count && c->literal_items[i].table < t)
			i++;
		for (k = 0; k <= (1u << LITERAL_KEY_BITS); k++) {
			while (i < c->literal_count && c->literal_items[i].table == t &&
			       c->literal_items[i].key < k)
				i++;
			c->literal_buckets[t][k] = (uint32_t)i;
		}
	}
	return VIGIL_OK;
}

/* Does the spaced literal e start at t (avail bytes)? A space of the
 * literal matches a run of blanks (\s+ in the pattern; \s matches one
 * white-space character, which may have become several spaces). */
static int spaced_literal_at(const unsigned char *t, size_t avail, const struct classify_literal *e)
{
	size_t i = 0, j = 0;

	while (i < e->len) {
		if (j >= avail || t[j] != e->bytes[i])
			return 0;
		j++;
		if (e->bytes[i++] == ' ') {
			while (j < avail && t[j] == ' ')
				j++;
		}
	}
	return 1;
}

enum vigil_code classify_find_candidates(const struct parse_classifier *c, const char *lower,
					 size_t len, struct classify_candidate **out,
					 size_t *count)
{
	const unsigned char *p = (const unsigned char *)lower;
	struct classify_candidate *list = NULL;
	size_t i = 0, n = 0, cap = 0, k, w;
	uint64_t head;
	int word_before = 0;

	*out = NULL;
	*count = 0;
	if (c->literal_count == 0 || len == 0)
		return VIGIL_OK;
	while (i < len) {
		size_t from, to, t, n_bytes;
		/* After a word character, literals sought at word starts only
		 * (their pattern has \b first) cannot begin here. */
		int inner = word_before, word_here;
		uint64_t *const *keys = inner ? c->literal_keys_inner : c->literal_keys;

		if (p[i] < 0x80) {
			n_bytes = 1;
			word_here = ascii_word[p[i]];
			if (p[i] == ' ' && p[i + 1] == ' ') {
				word_before = 0;
				i++; /* runs of blanks start no literal worth the lookup */
				continue;
			}
		} else if (p[i] == 0xD0 || p[i] == 0xD1) {
			n_bytes = 2;
			word_here = 1; /* U+0400..U+047F: Cyrillic letters */
		} else if (p[i] < 0xE0) {
			n_bytes = 2;
			word_here = is_word_cp(((uint32_t)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F));
		} else {
			n_bytes = p[i] < 0xF0 ? 3 : 4;
			word_here = 0;
		}
		word_before = word_here;
		memcpy(&head, p + i, 8); /* the text has LITERAL_PAD zero bytes after it */
		for (t = 0; t < 2; t++) {
			uint32_t key = t ? key4_at(p + i) : key2_at(p + i);

			if (!(keys[t][key >> 6] & (1ull << (key & 63))))
				continue;
			from = c->literal_buckets[t][key];
			to = c->literal_buckets[t][key + 1];
			for (k = from; k < to; k++) {
				const struct classify_literal *e = &c->literal_items[k];

				if ((head & e->mask) != e->head || e->len > len - i ||
				    (inner && e->word_start))
					continue;
				if (e->spaced ? !spaced_literal_at(p + i, len - i, e)
					      : e->len > 8 &&
							memcmp(p + i + 8, e->bytes + 8, e->len - 8) != 0)
					continue;
				if (n == cap) {
					size_t ncap = cap ? cap * 2 : 256;
					struct classify_candidate *grown =
						realloc(list, ncap * sizeof(*grown));

					if (!grown) {
						free(list);
						return VIGIL_ERR_NOMEM;
					}
					list = grown;
					cap = ncap;
				}
				list[n].pattern = e->pattern;
				list[n].at = i;
				n++;
			}
		}
		i += n_bytes;
	}
	/* By pattern, keeping text order within one (a counting sort). */
	if (n > 1) {
		size_t *start = calloc(c->pattern_count + 1, sizeof(*start));
		struct classify_candidate *sorted = malloc(n * sizeof(*sorted));

		if (!start || !sorted) {
			free(start);
			free(sorted);
			free(list);
			return VIGIL_ERR_NOMEM;
		}
		for (k = 0; k < n; k++)
			start[list[k].pattern + 1]++;
		for (k = 0; k < c->pattern_count; k++)
			start[k + 1] += start[k];
		for (k = 0; k < n; k++)
			sorted[start[list[k].pattern]++] = list[k];
		free(start);
		free(list);
		list = sorted;
	}
	/* Two literals of one pattern at one place: one candidate. */
	for (k = 0, w = 0; k < n; k++) {
		if (w && list[w - 1].pattern == list[k].pattern && list[w - 1].at == list[k].at)
			continue;
		list[w++] = list[k];
	}
	*out = list;
	*count = w;
	return VIGIL_OK;
}
