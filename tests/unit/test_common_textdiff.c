/* test_common_textdiff.c: the word diff behind `vigil diff`, the text
 * similarity of the crawler's same-article test and the minor-edit rule
 * (common/textdiff.h). */
#include "check.h"
#include "../../common/textdiff.h"

/* The diff printed in [-removed-] {+added+} form, into out. */
static void render(const char *a, const char *b, char *out, size_t size)
{
	struct vigil_diff d = { 0 };
	struct vigil_error err = { 0 };
	size_t used = 0;

	out[0] = '\0';
	if (vigil_diff_words(a, b, &d, &err) != VIGIL_OK)
		return;
	for (size_t i = 0; i < d.count; i++) {
		const struct vigil_diff_span *s = &d.spans[i];
		const char *open = s->op == VIGIL_DIFF_REMOVED ? "[-" : s->op == VIGIL_DIFF_ADDED ? "{+" : "";
		const char *close = s->op == VIGIL_DIFF_REMOVED ? "-]" : s->op == VIGIL_DIFF_ADDED ? "+}" : "";

		used += (size_t)snprintf(out + used, size - used, "%s%.*s%s%s", open, (int)s->len, s->text,
					 close, s->space_len ? " " : "");
		if (used >= size)
			break;
	}
	vigil_diff_release(&d);
}

static void test_diff(void)
{
	char out[1024];
	struct vigil_diff d = { 0 };
	struct vigil_error err = { 0 };

	render("суд оштрафовал фонд на 100 МРП", "суд оштрафовал фонд на 200 МРП", out, sizeof(out));
	CHECK_STR(out, "суд оштрафовал фонд на [-100-] {+200+} МРП");
	render("a b c d", "a c d e", out, sizeof(out));
	/* the old text ends at "d": no space after it */
	CHECK_STR(out, "a [-b-] c d{+e+}");
	render("", "new words", out, sizeof(out));
	CHECK_STR(out, "{+new words+}");
	render("old words", "", out, sizeof(out));
	CHECK_STR(out, "[-old words-]");
	/* equal words: the old text's spacing is kept */
	render("same\n\ntext", "same text", out, sizeof(out));
	CHECK_STR(out, "same\n\ntext");
	render("x y z w", "q y r w", out, sizeof(out));
	CHECK_STR(out, "[-x-] {+q+} y [-z-] {+r+} w");
	CHECK_OK(vigil_diff_words("один два три", "один три четыре", &d, &err));
	CHECK(d.removed == 1 && d.added == 1);
	vigil_diff_release(&d);
	CHECK_OK(vigil_diff_words(NULL, NULL, &d, &err));
	CHECK(d.count == 0);
	vigil_diff_release(&d);
	{
		/* Texts far apart: the wholesale fallback still accounts for
		 * every token. */
		static char a[60000], b[60000];
		size_t la = 0, lb = 0;

		for (int i = 0; i < 5000; i++) {
			la += (size_t)snprintf(a + la, sizeof(a) - la, "a%d ", i);
			lb += (size_t)snprintf(b + lb, sizeof(b) - lb, "b%d ", i);
		}
		CHECK_OK(vigil_diff_words(a, b, &d, &err));
		CHECK(d.removed == 5000 && d.added == 5000);
		vigil_diff_release(&d);
	}
}

static void test_similarity(void)
{
	CHECK(vigil_text_similarity("one two three", "one two three") > 0.99);
	CHECK(vigil_text_similarity("one, two; three!", "one two three") > 0.99);
	CHECK(vigil_text_similarity("one two three four", "five six seven eight") < 0.01);
	CHECK(vigil_text_similarity("", "") > 0.99);
	CHECK(vigil_text_similarity("", "word") < 0.01);
	{
		/* Shingles: 4 of "a b c d e f" (abc bcd cde def), 4 of the
		 * other (abc bcd cdx dxy), 2 shared. */
		double s = vigil_text_similarity("a b c d e f", "a b c d x y");

		CHECK(s > 0.49 && s < 0.51);
		/* The same words in another order share no sentence. */
		CHECK(vigil_text_similarity("one two three four five", "five four three two one") < 0.01);
		/* Short texts compare word by word. */
		CHECK(vigil_text_similarity("Page", "Page") > 0.99);
		CHECK(vigil_text_similarity("one two", "two one") > 0.99);
	}
}

static void test_minor(void)
{
	const char *body = "Суд в Уральске оштрафовал общественный фонд на 100 МРП за «незаконную "
			   "деятельность».\nПросмотров: 120\nОбновлено 12.03.2024 10:15";

	/* Whitespace and punctuation only. */
	CHECK(vigil_edit_is_minor("Заголовок", "Первый абзац, второй.", "Заголовок",
				  "Первый  абзац второй", 6) == 1);
	/* A view counter and a date line. */
	CHECK(vigil_edit_is_minor("T", body, "T",
				  "Суд в Уральске оштрафовал общественный фонд на 100 МРП за "
				  "«незаконную деятельность».\nПросмотров: 135\nОбновлено 13.03.2024 "
				  "09:00", 6) == 1);
	/* One digit in a sentence of the body is an edit. */
	CHECK(vigil_edit_is_minor("T", body, "T",
				  "Суд в Уральске оштрафовал общественный фонд на 200 МРП за "
				  "«незаконную деятельность».\nПросмотров: 120\nОбновлено 12.03.2024 "
				  "10:15", 6) == 0);
	/* A short sentence with a number is still a sentence. */
	CHECK(vigil_edit_is_minor("T", "Штраф: 50 тенге.", "T", "Штраф: 500 тенге.", 6) == 0);
	/* A changed word, a changed title. */
	CHECK(vigil_edit_is_minor("T", "активиста задержали", "T", "активиста арестовали", 6) == 0);
	CHECK(vigil_edit_is_minor("Старый", "текст", "Новый", "текст", 6) == 0);
	/* A new paragraph without a number. */
	CHECK(vigil_edit_is_minor("T", "текст", "T", "текст\nДобавлено", 6) == 0);
	/* Disabled. */
	CHECK(vigil_edit_is_minor("T", "a, b", "T", "a b", 0) == 0);
	/* The line-length threshold. */
	CHECK(vigil_edit_is_minor("T", "x\nобновлено 1 раз сегодня утром", "T",
				  "x\nобновлено 2 раз сегодня утром", 3) == 0);
	CHECK(vigil_edit_is_minor("T", "x\nобновлено 1 раз сегодня утром", "T",
				  "x\nобновлено 2 раз сегодня утром", 5) == 1);
}

/* Long texts: the minor check bounds the differences it looks for. */
static void test_minor_long(void)
{
	struct vigil_buf old_text = VIGIL_BUF_INIT, new_text = VIGIL_BUF_INIT;
	struct vigil_buf counters = VIGIL_BUF_INIT;
	int oom = 0;

	/* 4,000 words rewritten: not minor (and cheap: before the bound this
	 * took seconds and hundreds of MB under ASan). */
	for (int i = 0; i < 4000; i++) {
		oom |= vigil_buf_printf(&old_text, "слово%d ", i);
		oom |= vigil_buf_printf(&new_text, "иное%d ", i);
	}
	CHECK(!oom);
	CHECK(vigil_edit_is_minor("T", old_text.data, "T", new_text.data, 6) == 0);
	/* The same long text with its counter line changed: minor. */
	old_text.len = 0;
	oom |= vigil_buf_append_str(&old_text, new_text.data);
	oom |= vigil_buf_append_str(&old_text, ".\nПросмотров: 120\nКонец текста.");
	oom |= vigil_buf_append_str(&new_text, ".\nПросмотров: 135\nКонец текста.");
	CHECK(!oom);
	CHECK(vigil_edit_is_minor("T", old_text.data, "T", new_text.data, 6) == 1);
	/* Past the bound (16 x line_words differences) the edit counts as
	 * substantive even when every changed line is a counter: the safe
	 * side, a version is kept. 60 counters changed, 120 differences. */
	for (int i = 0; i < 60; i++)
		oom |= vigil_buf_printf(&counters, "Абзац %d.\nПросмотров: %d\n", i, 100 + i);
	vigil_buf_release(&old_text);
	oom |= vigil_buf_append_str(&old_text, counters.data);
	counters.len = 0;
	for (int i = 0; i < 60; i++)
		oom |= vigil_buf_printf(&counters, "Абзац %d.\nПросмотров: %d\n", i, 200 + i);
	CHECK(!oom);
	CHECK(vigil_edit_is_minor("T", old_text.data, "T", counters.data, 6) == 0);
	/* Within it, the same kind of change is minor: 4 counters. */
	CHECK(vigil_edit_is_minor("T", "А.\nПросмотров: 1\nБ.\nПросмотров: 2\nВ.\nПросмотров: 3\n"
				  "Г.\nПросмотров: 4", "T",
				  "А.\nПросмотров: 5\nБ.\nПросмотров: 6\nВ.\nПросмотров: 7\n"
				  "Г.\nПросмотров: 8", 6) == 1);
	vigil_buf_release(&old_text);
	vigil_buf_release(&new_text);
	vigil_buf_release(&counters);
}

int main(void)
{
	test_diff();
	test_similarity();
	test_minor();
	test_minor_long();
	CHECK_DONE();
}
