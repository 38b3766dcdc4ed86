/* test_parser_classify_scan.c: the literal prefilter. The literals found
 * for typical patterns (white space, optional groups, classes, escaped
 * punctuation, Latin letters with diacritics), and the central promise:
 * trying each pattern only where one of its literals starts gives exactly
 * the hits of scanning every pattern over the whole text, on the fixture
 * texts and on texts made to trip it (odd white space, case, ё, Latin-1). */
#include "check.h"
#include "../../parser/classify/classify_int.h"

#include <dirent.h>

/* The literals of pattern, as "a|b|c" ("" when none). */
static const char *literals_of(const char *pattern)
{
	static char out[1024];
	size_t n = 0, k, o = 0;
	unsigned char *l = classify_literals_compile(pattern, &n);

	out[0] = '\0';
	for (k = 0; l && k < n; k += 1 + (l[k] & LITERAL_LEN_MASK)) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s%.*s", o ? "|" : "",
				      l[k] & LITERAL_WORD_START ? "\\b" : "",
				      (int)(l[k] & LITERAL_LEN_MASK), (const char *)l + k + 1);
	}
	free(l);
	return out;
}

static void test_literals(void)
{
	CHECK_STR(literals_of("\\bобыск\\w*"), "\\bобыск");
	/* \s+ inside a literal: its space stands for any run of blanks */
	CHECK_STR(literals_of("\\bв\\s+местах"), "\\bв местах");
	CHECK_STR(literals_of("\\bв\\s+(?:местах|колонии)"), "\\bв местах|\\bв колонии");
	CHECK_STR(literals_of("\\s+местах"), ""); /* a leading run would move the start */
	CHECK_STR(literals_of("\\b(?:за)?блокирова\\w+"), "\\bблокирова|\\bзаблокирова");
	CHECK_STR(literals_of("[«\"]техническ\\w+"), "«техническ|\"техническ");
	CHECK_STR(literals_of("\\bт\\.\\s?н\\."), "\\bт.н.|\\bт. н.");
	CHECK_STR(literals_of("(?-i:ЗКО|ВКО)"), "зко|вко");
	/* \b first: sought at word starts only; not before a non-word mark */
	CHECK_STR(literals_of("(?:за)?блокирова"), "блокирова|заблокирова");
	CHECK_STR(literals_of("\\bq(?:y|ı)lm"), "\\bqylm|\\bqılm"); /* dotless ı: itself only */
	CHECK_STR(literals_of("\\b[«\"]техническ"), "«техническ|\"техническ");
	/* variants: a literal that another begins goes, unless that one is
	 * sought at word starts only; five shared letters make a prefix */
	CHECK_STR(literals_of("\\bшымкент|\\bшымкента"), "\\bшымкент");
	CHECK_STR(literals_of("\\bшымкент|шымкента"), "\\bшымкент|шымкента");
	CHECK_STR(literals_of("\\bшымкент|\\bшымкента|шымкенту"), "шымкент");
	CHECK_STR(literals_of("\\bжетысуск(?:ий|ого|ому)\\s+обл"), "\\bжетысуск");
	CHECK_STR(literals_of("\\b(?-i:K)ökshetaū\\b"), "\\bkökshetaū");
	CHECK_STR(literals_of("\\b(?:(?-i:Ó)skemen)"), "\\bóskemen");
	CHECK_STR(literals_of("\\w+ия"), "");
	CHECK_STR(literals_of("\\bв\\b"), "");         /* one letter: scans */
	CHECK_STR(literals_of("[^а]бв"), "");
	CHECK_STR(literals_of("(?:серьезно\\s+)?обеспокоен"), "обеспокоен|серьезно обеспокоен");
	CHECK_STR(literals_of("(?:серьезно\\s+\\w+)?обеспокоен"), ""); /* incomplete optional part */
}

static void compare(struct parse_classifier *c, const char *name, const char *title,
		    const char *text)
{
	struct parse_classification a, b;
	struct vigil_error err = { 0 };
	size_t i;
	int same;

	c->full_scan = 0;
	CHECK_OK(parse_classify(c, title, text, NULL, &a, &err));
	c->full_scan = 1;
	CHECK_OK(parse_classify(c, title, text, NULL, &b, &err));
	c->full_scan = 0;
	same = a.hit_count == b.hit_count && a.tone == b.tone && a.tone_score == b.tone_score &&
	       a.region_count == b.region_count;
	for (i = 0; same && i < a.hit_count; i++)
		same = a.hits[i].offset == b.hits[i].offset &&
		       strcmp(a.hits[i].rule_id, b.hits[i].rule_id) == 0 &&
		       strcmp(a.hits[i].where, b.hits[i].where) == 0 &&
		       strcmp(a.hits[i].matched, b.hits[i].matched) == 0;
	if (same)
		check_passed++;
	else {
		check_failed++;
		fprintf(stderr, "FAIL %s: literal scan %zu hits, full scan %zu hits\n", name,
			a.hit_count, b.hit_count);
	}
	parse_classification_release(&a);
	parse_classification_release(&b);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		data = NULL;
	}
	if (data)
		data[n] = '\0';
	fclose(f);
	return data;
}

int main(void)
{
	static const char *tricky[] = {
		"Журналиста задержали\tв\u00a0местах лишения свободы; в\nместах содержания под стражей.",
		"В МЕСТАХ ЛИШЕНИЯ СВОБОДЫ ОБЫСК. ЗКО, ВКО и Зко. Т. н. «ПРАВОЗАЩИТНИКИ» и т.н. «журналисты».",
		"Активиста оштрафовали в Ёкибастузе и в Óskemen, Kökshetaū, Ust‑Kamenogorsk; "
		"сайт ЗАБЛОКИРОВАН, заблокировали, блокирование.",
		"так  называемые\u2009«правозащитники» получили «техническое задание» от "
		"иностранных фондов; серьезно   обеспокоены, глубоко обеспокоен.",
		"Human rights defender detained in Almaty Region; Journalists were BANNED. "
		"Саяси қуғын-сүргін, тілші ұсталды, Қызылорда облысында, Ақтөбеде.",
		"Т.\u00a0н. «правозащитники», т.\u2003н. «журналисты»; серьезно\u00a0\u00a0обеспокоены; "
		"в \u2009 поддержку журналиста, в\t\tотместку, в\r\nместах лишения свободы.",
		"QILMISTIQ IS qozğaldy; qılmıstıq is qozǵaldy, QYLMYSTYQ  IS; aıyp taǵyldy, AIYP TAGYLDY; "
		"İnstagram, ıs, Is.",
		"", "а", "\u00a0\u00a0", "«", "в в в в в в в в в в в в в в в в в в в в в в в",
	};
	struct config_rules rules = { 0 };
	struct parse_classifier *c = NULL;
	struct vigil_error err = { 0 };
	char dir[512], path[1024];
	struct dirent *de;
	DIR *d;
	size_t i;

	test_literals();
	CHECK_OK(config_shipped_path("rules", dir, sizeof(dir), &err));
	CHECK_OK(config_rules_load_dir(dir, &rules, &err));
	CHECK_OK(parse_classifier_new(&rules, &c, &err));
	if (!c) {
		fprintf(stderr, "%s\n", err.message);
		CHECK_DONE();
	}
	for (i = 0; i < sizeof(tricky) / sizeof(*tricky); i++) {
		compare(c, tricky[i], NULL, tricky[i]);
		compare(c, tricky[i], tricky[i], "текст");
	}
	snprintf(dir, sizeof(dir), "%s/classify", check_fixture_dir());
	d = opendir(dir);
	CHECK(d != NULL);
	while (d && (de = readdir(d))) {
		char *text;

		if (!strstr(de->d_name, ".txt"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		text = read_file(path);
		CHECK(text != NULL);
		if (text)
			compare(c, de->d_name, NULL, text);
		free(text);
	}
	if (d)
		closedir(d);
	parse_classifier_free(&c);
	config_rules_release(&rules);
	CHECK_DONE();
}
