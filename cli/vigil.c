/* vigil.c: main() and the table of subcommands. To add a command: write
 * cli/cmd_NAME.c with its options table and run function, declare it in
 * cli.h, add it below, and document it in README.md's command table with
 * exactly the usage line `vigil NAME --help` prints (tests/e2e/cli_test.sh
 * compares them). The usage line is generated from the options table; the
 * third field holds only the positional arguments. */
#include "cli.h"

#include <locale.h>
#include <string.h>

static const struct cli_option init_options[] = {
	{ "data", "DIR", "data directory (default $VIGIL_DATA or ./vigil-data)" },
	{ NULL, NULL, NULL }
};

static const struct cli_option crawl_options[] = {
	{ "data", "DIR", "data directory (default $VIGIL_DATA or ./vigil-data)" },
	{ "config", "FILE", "sources file (default $VIGIL_CONFIG, DATA/sources.conf, or the shipped config/sources.conf)" },
	{ "force", NULL, "crawl every source now, even if its interval has not passed, and "
	  "recheck every live material, scheduled or not" },
	{ "source", "NAME", "crawl only this source" },
	{ "workers", "N", "threads that parse, extract and classify (1-16; default: the "
	  "config's 'workers', else one per core)" },
	{ "quiet", NULL, "no progress line and no warnings on stderr" },
	{ NULL, NULL, NULL }
};

static const struct cli_option search_options[] = {
	{ "data", "DIR", "data directory (default $VIGIL_DATA or ./vigil-data)" },
	{ "json", NULL, "one JSON object per line" },
	{ "region", "R", "region id (PAV), name (Павлодар) or macro-region (North)" },
	{ "tone", "T", "negative, neutral or supportive" },
	{ "category", "C", "defender category id (journalist, lawyer, ...)" },
	{ "threat", "T", "threat type id (police_detention, ...)" },
	{ "source", "S", "source name" },
	{ "since", "DATE", "published (or first seen) on or after DATE (YYYY-MM-DD)" },
	{ "until", "DATE", "published (or first seen) before DATE" },
	{ "deleted", NULL, "only materials deleted by their publisher" },
	{ "edited", NULL, "only materials with at least one substantive (not minor) edit" },
	{ "restored", NULL, "only materials that came back after a deletion" },
	{ "relevant", NULL, "only materials that mention defenders" },
	{ "story", NULL, "one row per story (syndicated copies): its earliest copy, with the numbers of copies and outlets" },
	{ "limit", "N", "at most N results (default 100)" },
	{ "lang", "L", "only materials in language L (ru, kk, en)" },
	{ "captured-since", "DATE", "first captured on or after DATE" },
	{ "captured-until", "DATE", "first captured before DATE" },
	{ "csv", NULL, "CSV (RFC 4180) with a header row" },
	{ "sort", "KEY", "date (newest first, the default) or relevance (BM25)" },
	{ "offset", "N", "skip the first N results (paging)" },
	{ "count", NULL, "print only the number of materials (stories with --story)" },
	{ "group-by", "KEY[,KEY2]", "count per region, macro-region, tone, threat, category, source, month or quarter; two keys: a contingency table" },
	{ NULL, NULL, NULL }
};

static const struct cli_option show_options[] = {
	{ "data", "DIR", "data directory (default $VIGIL_DATA or ./vigil-data)" },
	{ "json", NULL, "print one JSON object" },
	{ "version", "N", "show version N (1 = first) instead of the latest" },
	{ NULL, NULL, NULL }
};

static const struct cli_option sources_options[] = {
	{ "data", "DIR", "data directory (default $VIGIL_DATA or ./vigil-data)" },
	{ "config", "FILE", "sources file (as for crawl)" },
	{ "json", NULL, "one JSON object per line" },
	{ NULL, NULL, NULL }
};

static const struct cli_option extract_options[] = {
	{ "text", NULL, "print the main text only (the default)" },
	{ "json", NULL, "print title, author, published, language, canonical URL and text as JSON" },
	{ "url", "URL", "the page's address, to resolve relative links" },
	{ "content-type", "TYPE", "the Content-Type header the page came with" },
	{ "fetched", "DATE", "when the page was fetched (default now): anchors relative dates" },
	{ NULL, NULL, NULL }
};

const struct cli_command cli_commands[] = {
	{ "init", "create a data directory", "",
	  "Creates DATA, DATA/warc and the index DATA/index.sqlite; an existing data\n"
	  "directory is left as it is. An index.sqlite that exists but is empty or not\n"
	  "a vigil index is never overwritten: rebuild it with 'vigil archive reindex'.",
	  init_options, 0, 0, cmd_init },
	{ "crawl", "run one crawl pass over the sources that are due", "",
	  "Fetches what is new, archives every response as WARC records, extracts and\n"
	  "classifies article pages, records new versions and deletions, and prints a\n"
	  "one-line summary. A lock keeps two crawls off one data directory.\n"
	  "Start pages and feeds are fetched on their source's interval; known\n"
	  "materials when their recheck schedule says so ('recheck' in the config),\n"
	  "conditionally: an unchanged answer is archived as a WARC revisit record.\n"
	  "A host that answered 429/503 is left alone until its Retry-After passes\n"
	  "(its URLs are deferred to a later crawl).\n"
	  "Exit status: 0 success (single page errors are counted, not fatal), 1 failure.",
	  crawl_options, 0, 0, cmd_crawl },
	{ "search", "search the archive", "[QUERY]",
	  "QUERY words are matched in title and text by their stems (Snowball Russian\n"
	  "and English, Kazakh endings; case, ё/е and hyphens folded), so 'задержали'\n"
	  "finds 'задержан'. Syntax: words (all must match), \"a phrase\", a OR b,\n"
	  "a AND b, NOT a or -a, ( ), a NEAR/5 b, NEAR(a b, 5), \"a b\"~5, prefix*,\n"
	  "title:WORD, source:NAME, region:R (source: and region: narrow the whole\n"
	  "query). A query that does not parse is a usage error naming its column.\n"
	  "DATE is YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm], UTC unless an offset\n"
	  "is given; years 0001-9999. With --story, copies of one text republished by\n"
	  "several outlets count once: the filters select materials, then each story\n"
	  "shows its earliest matching copy and how many copies and outlets matched;\n"
	  "--limit counts stories. --count and --group-by count what the filters\n"
	  "select (a material with several regions, threats or categories counts under\n"
	  "each); --json and --csv print the counts as rows.",
	  search_options, 0, 1, cmd_search },
	{ "show", "print one material with its classification and versions", "ID|URL",
	  "Also lists the copies of its story (the same text republished by other\n"
	  "outlets), with outlet and date, the earliest marked first seen.",
	  show_options, 1, 1, cmd_show },
	{ "diff", "show what changed between two versions of a material", "ID|URL [V1 V2]",
	  "A word-level diff of the title and text of versions V1 and V2 (default: the\n"
	  "last two). Removed words are printed as [-words-], added ones as {+words+}\n"
	  "(in colour on a terminal). --json prints one object with the spans.",
	  cmd_diff_options, 1, 3, cmd_diff },
	{ "sources", "list sources with their last crawl, counts and due rechecks", "",
	  NULL, sources_options, 0, 0, cmd_sources },
	{ "extract", "extract main text and metadata from saved pages", "FILE|-...",
	  "Runs the same extraction the crawler uses; '-' reads standard input.\n"
	  "Several FILEs run in one process: --json prints one line per file (with\n"
	  "\"file\", and \"error\" when it failed), --text puts '==> FILE <==' before\n"
	  "each text. A failed file does not stop the others; the exit status is 1.\n"
	  "DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm], UTC unless an offset\n"
	  "is given) is the fetch time: \"вчера в 14:20\" and \"2 hours ago\" count back\n"
	  "from it and later dates are refused. --json adds published_source, the\n"
	  "evidence the date came from (json-ld, meta:NAME, time, text, url...).",
	  extract_options, 1, CLI_MAX_ARGS, cmd_extract },
	{ "archive", "verify the archive, or rebuild the index from it", "verify [FILE...] | reindex",
	  "verify: every zstd frame decodes, every record parses, block and payload\n"
	  "digests match, every capture of the index points at its whole record;\n"
	  "prints the first problem (file and offset) and exits 1, or one summary\n"
	  "line. Writes nothing. FILEs limit it to those WARC files.\n"
	  "reindex: rebuilds DATA/index.sqlite from the WARC files alone (see\n"
	  "archive/README.md for what it cannot recover).",
	  cmd_archive_options, 1, CLI_MAX_ARGS, cmd_archive },
	{ "rules", "check the rule files, or run the examples they carry", "check | test",
	  "check: loads the rule files and compiles every pattern on its own; prints\n"
	  "each problem as FILE:LINE: what (the PCRE2 message for a regex) and exits 1.\n"
	  "test: also runs every 'expect match \"...\"' / 'expect no match \"...\"'\n"
	  "example and prints each failure as FILE:LINE; exits 1 when one fails.\n"
	  "The rules are --rules DIR, else the 'rules =' directory of the sources file\n"
	  "(found as for crawl), else the shipped config/rules.",
	  cmd_rules_options, 1, 1, cmd_rules },
	{ "report", "count the bulletin's media-monitoring tables for a period", "",
	  "Counts the materials that mention defenders dated (published, else first\n"
	  "seen) from --from up to --to (exclusive): materials, outlets and regions;\n"
	  "per month and quarter; tone with example headlines; threat type x region\n"
	  "(rows grouped as in the rule files); defender categories; coverage by region;\n"
	  "syndicated stories counted once; deleted and edited materials with the\n"
	  "commands that show their archived versions. --format md prints the tables,\n"
	  "csv one line per figure (section,row,column,value), json one object, html\n"
	  "one self-contained page with charts, the matrix as a heat map and a tile map.\n"
	  "--explain CELL prints the 'vigil search' command that lists exactly the\n"
	  "materials of one figure; CELL is comma-separated terms: threat=ID, region=R,\n"
	  "category=ID, tone=T, source=NAME, month=YYYY-MM, quarter=YYYY-Qn, and the\n"
	  "words deleted, edited, stories (syndicated copies once) or all.",
	  cmd_report_options, 0, 0, cmd_report },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};

const char cli_program_summary[] =
	"vigil crawls news sites, feeds and public channels, archives every page\n"
	"and post (WARC + zstd, SQLite index), and classifies materials about\n"
	"human-rights defenders by tone, threat type and region.";

static void print_usage(FILE *out)
{
	fprintf(out, "usage: vigil COMMAND [options]\n\n%s\n\ncommands:\n", cli_program_summary);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\n'vigil COMMAND --help' describes a command. 'vigil --version' prints the version.\n");
}

int main(int argc, char **argv)
{
	struct cli_args_parsed args;
	int status;

	setlocale(LC_CTYPE, "C.UTF-8");
	if (argc < 2) {
		print_usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		/* Not listed: make builds the manual page with it. */
		if (argc == 3 && strcmp(argv[1], "help") == 0 && strcmp(argv[2], "--man") == 0) {
			cli_print_man(stdout);
			return CLI_OK;
		}
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			for (const struct cli_command *c = cli_commands; c->name; c++)
				if (strcmp(c->name, argv[2]) == 0) {
					cli_print_help(c, stdout);
					return CLI_OK;
				}
		}
		print_usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vigil %s\n", VIGIL_VERSION);
		return CLI_OK;
	}
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		if (strcmp(c->name, argv[1]) != 0)
			continue;
		status = cli_parse(c, argc - 2, argv + 2, &args);
		if (status < 0)
			return CLI_OK;
		if (status)
			return status;
		return c->run(c, &args);
	}
	fprintf(stderr, "vigil: unknown command '%s' (see 'vigil --help')\n", argv[1]);
	return CLI_USAGE;
}
