/* test_config_rules.c: rule files: sections, keys, FILE:LINE errors, a
 * failed load leaving the rules untouched, and the shipped config/rules. */
#include "check.h"
#include "../../config/config.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/vigil-rules-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (!f)
		return path;
	fputs(text, f);
	fclose(f);
	return path;
}

static const struct config_rule *find(const struct config_rules *r, enum config_rule_kind kind,
				      const char *id)
{
	size_t i;

	for (i = 0; i < r->count; i++) {
		if (r->items[i].kind == kind && strcmp(r->items[i].id, id) == 0)
			return &r->items[i];
	}
	return NULL;
}

/* Loading text must fail with VIGIL_ERR_CONFIG, "PATH:LINE: ...hint",
 * and leave a struct that already held one rule exactly as it was. */
static void expect_error(const char *name, const char *text, int line, const char *hint,
			 int src_line)
{
	struct config_rules r = { 0 };
	struct vigil_error err = { 0 };
	char prefix[300];
	const char *keep = write_file("keep.rules", "[category kept]\npattern = x\n");
	enum vigil_code got;
	int ok;

	if (config_rules_load(keep, &r, &err)) {
		check_failed++;
		fprintf(stderr, "FAIL %s:%d: keep.rules: %s\n", __FILE__, src_line, err.message);
		return;
	}
	keep = write_file(name, text);
	snprintf(prefix, sizeof(prefix), "%s:%d: ", keep, line);
	got = config_rules_load(keep, &r, &err);
	ok = got == VIGIL_ERR_CONFIG && strncmp(err.message, prefix, strlen(prefix)) == 0 &&
	     strstr(err.message, hint) && r.count == 1 && r.file_count == 1 &&
	     strcmp(r.items[0].id, "kept") == 0;
	if (ok) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "FAIL %s:%d: %s: code %d, count %zu, files %zu, message \"%s\", "
			"expected prefix \"%s\" and \"%s\"\n", __FILE__, src_line, name, got, r.count,
			r.file_count, err.message, prefix, hint);
	}
	config_rules_release(&r);
}

#define EXPECT_ERROR(name, text, line, hint) expect_error(name, text, line, hint, __LINE__)

static void test_fixture_dir(void)
{
	struct config_rules r = { 0 };
	struct vigil_error err = { 0 };
	char dir[512], first[600], second[600];
	const struct config_rule *j, *t, *s, *pav, *city, *rel, *odious;

	snprintf(dir, sizeof(dir), "%s/config/rules", check_fixture_dir());
	snprintf(first, sizeof(first), "%s/a_first.rules", dir);
	snprintf(second, sizeof(second), "%s/b_second.rules", dir);
	CHECK_OK(config_rules_load_dir(dir, &r, &err));
	if (err.code)
		fprintf(stderr, "  %s\n", err.message);
	/* Name order, README.txt ignored. */
	CHECK(r.file_count == 2);
	CHECK(r.count == 7);
	if (r.file_count != 2 || r.count != 7) {
		config_rules_release(&r);
		return;
	}
	CHECK_STR(r.files[0], first);
	CHECK_STR(r.files[1], second);
	CHECK(r.items[0].kind == CONFIG_RULE_CATEGORY);
	CHECK(r.items[6].kind == CONFIG_RULE_TONE);

	j = find(&r, CONFIG_RULE_CATEGORY, "journalist");
	CHECK(j != NULL);
	if (j) {
		CHECK_STR(j->label, "Журналисты");
		CHECK(j->pattern_count == 2);
		CHECK_STR(j->patterns[0].text, "\\bжурналист\\w*");
		/* A pattern keeps the whole line, '#' included. */
		CHECK_STR(j->patterns[1].text,
			  "\\bjournalists?\\b # not a comment: patterns keep the whole line");
		CHECK(j->patterns[1].line == 5);
		CHECK(j->patterns[1].file == r.files[0]);
		CHECK(j->file == r.files[0] && j->line == 2);
		CHECK(j->group == NULL && j->parent == NULL);
	}
	t = find(&r, CONFIG_RULE_THREAT, "police_detention");
	CHECK(t && t->group && strcmp(t->group, "police") == 0);
	s = find(&r, CONFIG_RULE_TONE, "solidarity");
	CHECK(s && s->tone == 1 && s->weight == 2 && s->label == NULL);
	odious = find(&r, CONFIG_RULE_TONE, "odious");
	CHECK(odious && odious->tone == -1 && odious->weight == 1);
	pav = find(&r, CONFIG_RULE_REGION, "PAV");
	CHECK(pav && pav->parent == NULL && pav->macro && strcmp(pav->macro, "North") == 0);
	city = find(&r, CONFIG_RULE_REGION, "C_PAVLODAR");
	CHECK(city && city->parent && strcmp(city->parent, "PAV") == 0);
	CHECK(city && city->file == r.files[1] && city->line == 6);
	rel = find(&r, CONFIG_RULE_RELEVANCE, "human_rights");
	CHECK(rel && rel->pattern_count == 1 && rel->label == NULL);
	/* The same id under another kind is no duplicate. */
	CHECK(find(&r, CONFIG_RULE_THREAT, "journalist") == NULL);
	config_rules_release(&r);
	CHECK(r.items == NULL && r.count == 0 && r.files == NULL && r.file_count == 0);
	config_rules_release(&r);
}

static int count_kind(const struct config_rules *r, enum config_rule_kind kind)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->count; i++)
		n += r->items[i].kind == kind;
	return n;
}

static void test_shipped(void)
{
	static const char *categories[] = { "hr_defender", "lawyer", "activist_ngo",
					    "trade_union", "journalist", "political_prisoner" };
	static const char *groups[] = { "judicial", "police", "violence", "assembly", "media",
					"administrative", "attack" };
	struct config_rules r = { 0 };
	struct vigil_error err = { 0 };
	char dir[512];
	size_t i, g;
	int parents_ok = 1, tones_ok = 1, neg = 0, pos = 0;
	const struct config_rule *pav, *city;

	CHECK_OK(config_shipped_path("rules", dir, sizeof(dir), &err));
	CHECK_OK(config_rules_load_dir(dir, &r, &err));
	if (err.code)
		fprintf(stderr, "  %s\n", err.message);
	CHECK(r.file_count == 7); /* categories genre regions relevance threat_sources threats tone */
	CHECK(count_kind(&r, CONFIG_RULE_SOURCE) == 7);
	CHECK(find(&r, CONFIG_RULE_SOURCE, "national_security") != NULL);
	CHECK(count_kind(&r, CONFIG_RULE_CATEGORY) == 6);
	for (i = 0; i < 6; i++)
		CHECK(find(&r, CONFIG_RULE_CATEGORY, categories[i]) != NULL);
	for (g = 0; g < sizeof(groups) / sizeof(*groups); g++) {
		int seen = 0;

		for (i = 0; i < r.count; i++) {
			if (r.items[i].kind == CONFIG_RULE_THREAT && r.items[i].group &&
			    strcmp(r.items[i].group, groups[g]) == 0)
				seen++;
		}
		if (!seen)
			fprintf(stderr, "  no threat in group %s\n", groups[g]);
		CHECK(seen > 0);
	}
	for (i = 0; i < r.count; i++) {
		const struct config_rule *x = &r.items[i];

		if (x->kind == CONFIG_RULE_THREAT && !x->group)
			tones_ok = 0;
		if (x->kind == CONFIG_RULE_TONE) {
			neg += x->tone < 0;
			pos += x->tone > 0;
		}
		if (x->kind == CONFIG_RULE_REGION && x->parent &&
		    !find(&r, CONFIG_RULE_REGION, x->parent)) {
			fprintf(stderr, "  region %s: parent %s unknown\n", x->id, x->parent);
			parents_ok = 0;
		}
	}
	CHECK(tones_ok);
	CHECK(parents_ok);
	CHECK(neg >= 5 && pos >= 5);
	CHECK(count_kind(&r, CONFIG_RULE_RELEVANCE) >= 1);
	/* One region per gazetteer row: 3 + 1 cities, 17 oblasts, 61 towns. */
	CHECK(count_kind(&r, CONFIG_RULE_REGION) == 82);
	pav = find(&r, CONFIG_RULE_REGION, "PAV");
	CHECK(pav && pav->label && strcmp(pav->label, "Павлодарская область") == 0);
	CHECK(pav && pav->macro && strcmp(pav->macro, "North") == 0);
	city = find(&r, CONFIG_RULE_REGION, "C_URALSK");
	CHECK(city && city->parent && strcmp(city->parent, "ZAP") == 0);
	config_rules_release(&r);
}

static void test_errors(void)
{
	struct config_rules r = { 0 };
	struct vigil_error err = { 0 };
	char sub[300];

	EXPECT_ERROR("section.rules", "[categorie x]\n", 1,
		     "unknown section [categorie]; expected category, threat, tone, region, "
		     "relevance or expect");
	EXPECT_ERROR("noid.rules", "# x\n[threat]\n", 2, "[threat] without an id");
	EXPECT_ERROR("badid.rules", "[threat a b c]\n", 1, "too many words");
	EXPECT_ERROR("key.rules", "[category a]\nparent = PAV\npattern = x\n", 2,
		     "unknown key 'parent' in [category a]; expected label, pattern");
	EXPECT_ERROR("key2.rules", "[region a]\npattern = x\ngroup = g\n", 3,
		     "expected label, parent, macro, pattern");
	EXPECT_ERROR("notone.rules", "[tone a]\nweight = 2\npattern = x\n", 1,
		     "[tone a] has no tone; expected 'tone = negative' or 'tone = supportive'");
	EXPECT_ERROR("badtone.rules", "[tone a]\ntone = bad\npattern = x\n", 2,
		     "tone: expected negative or supportive, got 'bad'");
	EXPECT_ERROR("weight.rules", "[tone a]\ntone = negative\nweight = 0\npattern = x\n", 3,
		     "weight: expected a whole number from 1 to 100, got '0'");
	EXPECT_ERROR("weight2.rules", "[tone a]\ntone = negative\nweight = 2x\npattern = x\n", 3,
		     "weight: expected");
	EXPECT_ERROR("nopattern.rules", "[category a]\nlabel = A\n\n[category b]\npattern = b\n", 1,
		     "[category a] has no pattern");
	EXPECT_ERROR("nopattern_last.rules", "[category a]\npattern = a\n[relevance b]\n", 3,
		     "[relevance b] has no pattern");
	EXPECT_ERROR("empty.rules", "[category a]\npattern =\n", 2, "empty pattern");
	EXPECT_ERROR("dup.rules", "[threat a]\npattern = a\n\n[threat a]\npattern = b\n", 4,
		     "duplicate [threat a]; first defined at ");
	EXPECT_ERROR("dupkey.rules", "[threat a]\ngroup = x\ngroup = y\npattern = a\n", 3,
		     "duplicate key 'group'");
	EXPECT_ERROR("outside.rules", "pattern = a\n", 1, "outside a section");
	EXPECT_ERROR("unterminated.rules", "[category a\npattern = a\n", 1,
		     "unterminated section header");
	EXPECT_ERROR("group.rules", "[threat a]\ngroup = two words\npattern = a\n", 2,
		     "group: expected an id");
	/* The kept rule is a duplicate of this one: both places named. */
	EXPECT_ERROR("dup_across.rules", "\n[category kept]\npattern = y\n", 2,
		     "keep.rules:1");

	/* A directory: every file or nothing, duplicates across files named. */
	snprintf(sub, sizeof(sub), "%s/dir", tmpdir);
	CHECK(mkdir(sub, 0755) == 0);
	write_file("dir/10_a.rules", "[category x]\npattern = x\n");
	write_file("dir/20_b.rules", "[category y]\npattern = y\n\n[category x]\npattern = z\n");
	CHECK(config_rules_load_dir(sub, &r, &err) == VIGIL_ERR_CONFIG);
	CHECK_CONTAINS(err.message, "20_b.rules:4: duplicate [category x]; first defined at ");
	CHECK_CONTAINS(err.message, "10_a.rules:1");
	CHECK(r.count == 0 && r.file_count == 0 && r.items == NULL);

	snprintf(sub, sizeof(sub), "%s/empty", tmpdir);
	CHECK(mkdir(sub, 0755) == 0);
	write_file("empty/notes.txt", "x");
	CHECK(config_rules_load_dir(sub, &r, &err) == VIGIL_ERR_CONFIG);
	CHECK_CONTAINS(err.message, "no *.rules files");
	CHECK(config_rules_load_dir("/nonexistent/vigil/rules", &r, &err) == VIGIL_ERR_IO);
	CHECK_CONTAINS(err.message, "/nonexistent/vigil/rules: ");
	CHECK(config_rules_load("/nonexistent/vigil/x.rules", &r, &err) == VIGIL_ERR_IO);
	CHECK(r.count == 0);
}

static void test_names(void)
{
	CHECK_STR(config_rule_kind_name(CONFIG_RULE_CATEGORY), "category");
	CHECK_STR(config_rule_kind_name(CONFIG_RULE_THREAT), "threat");
	CHECK_STR(config_rule_kind_name(CONFIG_RULE_TONE), "tone");
	CHECK_STR(config_rule_kind_name(CONFIG_RULE_REGION), "region");
	CHECK_STR(config_rule_kind_name(CONFIG_RULE_RELEVANCE), "relevance");
	CHECK_STR(config_rule_kind_name(CONFIG_RULE_SOURCE), "source");
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_fixture_dir();
	test_shipped();
	test_errors();
	test_names();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	CHECK_DONE();
}
