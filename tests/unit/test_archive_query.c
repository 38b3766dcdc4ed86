/* test_archive_query.c: the search query language (archive_query_parse):
 * what FTS5 expression and filters each form becomes, and the message and
 * column of each mistake. */
#include "check.h"
#include "../../archive/archive.h"

static struct archive_parsed_query parsed;
static struct vigil_error err;

/* The FTS5 expression of text, or "ERROR: message". */
static const char *fts_of(const char *text)
{
	static char out[1024];

	archive_parsed_query_release(&parsed);
	if (archive_query_parse(text, &parsed, &err) != VIGIL_OK)
		snprintf(out, sizeof(out), "ERROR: %s", err.message);
	else
		snprintf(out, sizeof(out), "%s%s", parsed.fts_excludes ? "EXCLUDE " : "",
			 parsed.fts ? parsed.fts : "(none)");
	return out;
}

int main(void)
{
	/* Words: each a quoted string (stemmed by the tokenizer); AND implied. */
	CHECK_STR(fts_of("правозащитник"), "\"правозащитник\"");
	CHECK_STR(fts_of("суд  Павлодар"), "(\"суд\" AND \"Павлодар\")");
	CHECK_STR(fts_of("суд AND Павлодар"), "(\"суд\" AND \"Павлодар\")");
	CHECK_STR(fts_of("суд OR арест"), "(\"суд\" OR \"арест\")");
	CHECK_STR(fts_of("a OR b c"), "(\"a\" OR (\"b\" AND \"c\"))");
	CHECK_STR(fts_of("(a OR b) c"), "((\"a\" OR \"b\") AND \"c\")");
	/* Phrases, prefixes, NEAR in its three spellings. */
	CHECK_STR(fts_of("\"задержан полицией\""), "\"задержан полицией\"");
	CHECK_STR(fts_of("журналист*"), "\"журналист\" *");
	CHECK_STR(fts_of("суд NEAR/5 адвокат"), "NEAR(\"суд\" \"адвокат\", 5)");
	CHECK_STR(fts_of("суд NEAR адвокат"), "NEAR(\"суд\" \"адвокат\", 10)");
	CHECK_STR(fts_of("NEAR(суд адвокат, 3)"), "NEAR(\"суд\" \"адвокат\", 3)");
	CHECK_STR(fts_of("\"суд адвокат\"~4"), "NEAR(\"суд\" \"адвокат\", 4)");
	CHECK_STR(fts_of("\"суд над\" NEAR/2 адвокат"), "NEAR(\"суд над\" \"адвокат\", 2)");
	/* NOT and -word subtract from what is beside them. */
	CHECK_STR(fts_of("суд -арест"), "(\"суд\" NOT \"арест\")");
	CHECK_STR(fts_of("суд NOT арест NOT штраф"), "(\"суд\" NOT \"арест\" NOT \"штраф\")");
	CHECK_STR(fts_of("+суд"), "\"суд\"");
	CHECK_STR(fts_of("-арест"), "EXCLUDE \"арест\"");
	/* Fields. */
	CHECK_STR(fts_of("title:суд"), "title : (\"суд\")");
	CHECK_STR(fts_of("title:\"суд над\" адвокат"), "(title : (\"суд над\") AND \"адвокат\")");
	CHECK_STR(fts_of("суд source:tengrinews region:PAV"), "\"суд\"");
	CHECK(parsed.source_count == 1 && !strcmp(parsed.sources[0], "tengrinews"));
	CHECK(parsed.region_count == 1 && !strcmp(parsed.regions[0], "PAV"));
	CHECK_STR(fts_of("source:\"Ak Zhaiyk\""), "(none)");
	CHECK(parsed.source_count == 1 && !strcmp(parsed.sources[0], "Ak Zhaiyk"));
	/* Nothing the user types is an FTS5 operator: quotes inside words are
	 * doubled, colons that are no field are words. */
	CHECK_STR(fts_of("a\"b"), "ERROR: query column 2: the quote opened here is never closed");
	CHECK_STR(fts_of("12:00"), "\"12:00\"");
	CHECK_STR(fts_of("x:y"), "\"x:y\"");
	CHECK_STR(fts_of("{a} ^b"), "(\"{a}\" AND \"^b\")");
	CHECK_STR(fts_of("правозащитник*)"), "ERROR: query column 15: ')' without a '(' before it");

	/* Mistakes: the column (characters, not bytes) and what. */
	CHECK_STR(fts_of("суд AND"), "ERROR: query column 5: AND has nothing after it");
	CHECK_STR(fts_of("суд OR"), "ERROR: query column 5: OR has nothing after it");
	CHECK_STR(fts_of("OR суд"), "ERROR: query column 1: an operator without a word before it");
	CHECK_STR(fts_of("(суд"), "ERROR: query column 1: the '(' opened here is never closed");
	CHECK_STR(fts_of("суд \"арест"), "ERROR: query column 5: the quote opened here is never closed");
	CHECK_STR(fts_of("\"\""), "ERROR: query column 1: the phrase has no words");
	CHECK_STR(fts_of("*"), "ERROR: query column 1: no letters or digits in this word (operators are "
		  "AND, OR, NOT, -word, \"phrase\", NEAR/N, word*, title:, source:, region:)");
	CHECK_STR(fts_of("NEAR(суд"), "ERROR: query column 1: NEAR( is never closed");
	CHECK_STR(fts_of("NEAR(суд, x)"), "ERROR: query column 11: NEAR( takes a distance in words "
		  "(0-1000) after the comma");
	CHECK_STR(fts_of("a NEAR/x b"), "ERROR: query column 8: NEAR/ takes a distance in words (0-1000)");
	CHECK_STR(fts_of("(a OR b) NEAR c"), "ERROR: query column 10: NEAR joins words and phrases only");
	CHECK_STR(fts_of("a OR -b"), "ERROR: query column 3: OR cannot join a NOT or -word; put it "
		  "beside the OR");
	CHECK_STR(fts_of("-a -b"), "ERROR: query column 1: only NOT or -words here: nothing is left to "
		  "exclude them from");
	CHECK_STR(fts_of("a OR source:x"), "ERROR: query column 3: source: and region: narrow the whole "
		  "query: use them outside OR, NOT and parentheses");
	CHECK_STR(fts_of("title:"), "ERROR: query column 1: a field needs a value right after ':'");
	CHECK_STR(fts_of("- a"), "ERROR: query column 1: '-' needs a word right after it");
	CHECK_STR(fts_of("   "), "ERROR: the query has no words to search for");
	CHECK_STR(fts_of("\"a\"~"), "ERROR: query column 5: '~' after a phrase takes a distance in words "
		  "(0-1000)");
	{
		char many[600] = "";

		for (int i = 0; i < 80; i++)
			strcat(many, "w ");
		CHECK_CONTAINS(fts_of(many), "too many words and operators (at most 64)");
	}
	archive_parsed_query_release(&parsed);
	CHECK_DONE();
}
