/*
 * fts.c: the FTS5 tokenizer "vigil" behind material_fts (archive/README.md,
 * "Full-text search"). Words are cut as archive_next_word cuts them and
 * stemmed by archive_stemmer_word, so index and query agree by
 * construction.
 *
 * Hyphenated words ("Усть-Каменогорск", "из-за", "COVID-19"): a document
 * gets each part at its own position and the joined word ("устькаменогорск")
 * as a colocated token of the last part; a query gets the joined word only.
 * So the hyphenated form, the joined form and (in a document) each part are
 * found, and a phrase across the compound still lines up: the query's
 * joined token sits where the document's last part does.
 */
#include "archive_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Parts of one hyphenated word kept; longer chains are cut into several. */
#define HYPHEN_PARTS_MAX 8

struct fts_tokenizer {
	struct archive_stemmer *stemmer;
};

static int tokenizer_create(void *context, const char **args, int arg_count,
			    Fts5Tokenizer **out)
{
	struct fts_tokenizer *t = calloc(1, sizeof(*t));

	(void)context;
	(void)args;
	(void)arg_count;
	*out = NULL;
	if (!t)
		return SQLITE_NOMEM;
	if (archive_stemmer_new(&t->stemmer, NULL) != VIGIL_OK) {
		free(t);
		return SQLITE_NOMEM;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void tokenizer_delete(Fts5Tokenizer *tokenizer)
{
	struct fts_tokenizer *t = (struct fts_tokenizer *)tokenizer;

	if (!t)
		return;
	archive_stemmer_free(t->stemmer);
	free(t);
}

/* Bytes of a hyphen at text[at] (ASCII '-', U+2010 or U+2011), else 0. */
static size_t hyphen_at(const char *text, size_t len, size_t at)
{
	if (at < len && text[at] == '-')
		return 1;
	if (at + 3 <= len && !memcmp(text + at, "\xE2\x80", 2) &&
	    (text[at + 2] == '\x90' || text[at + 2] == '\x91'))
		return 3;
	return 0;
}

typedef int (*token_fn)(void *, int, const char *, int, int, int);

static int emit_stem(struct fts_tokenizer *t, const char *word, size_t len, int flags,
		     size_t start, size_t end, void *context, token_fn emit)
{
	char stem[ARCHIVE_STEM_MAX];
	size_t n = archive_stemmer_word(t->stemmer, word, len, stem, sizeof(stem));

	if (!n)
		return SQLITE_OK;
	return emit(context, flags, stem, (int)n, (int)start, (int)end);
}

static int tokenizer_tokenize(Fts5Tokenizer *tokenizer, void *context, int flags,
			      const char *text, int text_len, token_fn emit)
{
	struct fts_tokenizer *t = (struct fts_tokenizer *)tokenizer;
	size_t len = text_len > 0 ? (size_t)text_len : 0, pos = 0, start, end;
	int query = (flags & FTS5_TOKENIZE_QUERY) != 0, rc = SQLITE_OK;
	char joined[ARCHIVE_STEM_MAX];

	while (rc == SQLITE_OK && archive_next_word(text, len, &pos, &start, &end)) {
		size_t starts[HYPHEN_PARTS_MAX], ends[HYPHEN_PARTS_MAX], parts = 1, joined_len;

		starts[0] = start;
		ends[0] = end;
		/* A hyphen between two words, nothing else, joins them. */
		while (parts < HYPHEN_PARTS_MAX) {
			size_t h = hyphen_at(text, len, pos), next_pos = pos + h, s2, e2;

			if (!h || !archive_next_word(text, len, &next_pos, &s2, &e2) ||
			    s2 != pos + h)
				break;
			starts[parts] = s2;
			ends[parts] = e2;
			parts++;
			pos = e2;
		}
		if (parts == 1) {
			rc = emit_stem(t, text + start, end - start, 0, start, end, context, emit);
			continue;
		}
		joined_len = 0;
		for (size_t i = 0; i < parts; i++) {
			size_t n = ends[i] - starts[i];

			if (joined_len + n >= sizeof(joined))
				n = sizeof(joined) - 1 - joined_len;
			memcpy(joined + joined_len, text + starts[i], n);
			joined_len += n;
		}
		if (!query)
			for (size_t i = 0; i < parts && rc == SQLITE_OK; i++)
				rc = emit_stem(t, text + starts[i], ends[i] - starts[i], 0, starts[i],
					       ends[i], context, emit);
		if (rc == SQLITE_OK)
			rc = emit_stem(t, joined, joined_len, query ? 0 : FTS5_TOKEN_COLOCATED,
				       starts[0], ends[parts - 1], context, emit);
	}
	return rc;
}

enum vigil_code archive_fts_register(struct sqlite3 *db, struct vigil_error *err)
{
	/* FTS5 keeps a copy of the methods. */
	fts5_tokenizer methods = { tokenizer_create, tokenizer_delete, tokenizer_tokenize };
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2)
		return vigil_error_set(err, VIGIL_ERR_DATABASE,
				       "registering the full-text tokenizer: this SQLite has no FTS5");
	if (api->xCreateTokenizer(api, ARCHIVE_FTS_TOKENIZER, NULL, &methods, NULL) != SQLITE_OK)
		return vigil_error_set(err, VIGIL_ERR_DATABASE,
				       "registering the full-text tokenizer: %s", sqlite3_errmsg(db));
	return VIGIL_OK;
}
