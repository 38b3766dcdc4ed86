/* test_parser_channel.c: posts of a Telegram public preview page. */
#include "check.h"
#include "../../parser/parser.h"

#include <limits.h>
#include <stdlib.h>

static char *read_fixture(const char *name, size_t *len)
{
	char path[PATH_MAX];
	FILE *f;
	char *data;
	long size;

	snprintf(path, sizeof(path), "%s/parser/%s", check_fixture_dir(), name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open fixture %s\n", path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)size + 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
		exit(2);
	data[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return data;
}

static void test_fixture(void)
{
	struct parse_channel ch = { 0 };
	struct vigil_error err = { 0 };
	size_t len;
	char *body = read_fixture("channel_tme_s.html", &len);

	CHECK_OK(parse_channel_page(body, len, "text/html; charset=utf-8",
				    "https://t.me/s/kzmonitor", &ch, &err));
	CHECK_STR(ch.title, "Правозащитный мониторинг KZ");
	/* The post with a bad data-post and the repeated 101 are not posts. */
	CHECK(ch.count == 4);
	if (ch.count == 4) {
		CHECK_STR(ch.items[0].id, "kzmonitor/101");
		CHECK_STR(ch.items[0].url, "https://t.me/kzmonitor/101");
		CHECK_STR(ch.items[0].published, "2024-04-18T10:15:00Z");
		CHECK_STR(ch.items[0].author, "Правозащитный мониторинг KZ");
		CHECK_STR(ch.items[0].text,
			  "Алматы. Полиция задержала правозащитника у здания акимата.\n\n"
			  "Адвокату отказали во встрече.\nПодробнее: news.example.kz ❗");

		/* A photo without a caption. */
		CHECK_STR(ch.items[1].id, "kzmonitor/102");
		CHECK_STR(ch.items[1].text, "");
		CHECK_STR(ch.items[1].url, "https://t.me/kzmonitor/102");
		CHECK_STR(ch.items[1].published, "2024-04-18T06:00:00Z");

		/* A reply: its own text, not the quoted one; a signed author. */
		CHECK_STR(ch.items[2].text, "Обновление: правозащитника отпустили после трёх часов.");
		CHECK_STR(ch.items[2].author, "Айгерим Н.");
		CHECK_STR(ch.items[2].published, "2024-04-18T14:40:12Z");

		/* No date link: permalink from data-post, date from <time>,
		 * author from the channel header. */
		CHECK_STR(ch.items[3].id, "kzmonitor/104");
		CHECK_STR(ch.items[3].url, "https://t.me/kzmonitor/104");
		CHECK_STR(ch.items[3].published, "2024-04-19T08:00:00Z");
		CHECK_STR(ch.items[3].author, "Правозащитный мониторинг KZ");
		CHECK_STR(ch.items[3].text, "Суд в Шымкенте рассмотрит дело журналиста #суд");
	}
	parse_channel_release(&ch);
	CHECK(ch.items == NULL && ch.count == 0 && ch.title == NULL);
	parse_channel_release(&ch);
	free(body);
}

static void test_inline(void)
{
	struct parse_channel ch = { 0 };
	struct vigil_error err = { 0 };
	const char *page;

	/* Minimal markup in windows-1251 without a title; a mirror host. */
	page = "<html><head><meta charset=\"windows-1251\"></head><body>"
	       "<div class=\"tgme_widget_message js-widget_message\" data-post=\"chan_1/7\">"
	       "<div class=\"tgme_widget_message_text\">\xcf\xf0\xe8\xe2\xe5\xf2<br>"
	       "<blockquote>\xd6\xe8\xf2\xe0\xf2\xe0</blockquote>\xea\xee\xed\xe5\xf6</div>"
	       "</div>"
	       "<div class=\"tgme_widget_message_wrap\" data-post=\"chan_1/8\">wrap, not a post</div>"
	       "<div class=\"xtgme_widget_message\" data-post=\"chan_1/9\">not a post</div>"
	       "</body></html>";
	CHECK_OK(parse_channel_page(page, strlen(page), NULL, "http://127.0.0.1:8080/s/chan_1",
				    &ch, &err));
	CHECK(ch.title == NULL);
	CHECK(ch.count == 1);
	if (ch.count == 1) {
		CHECK_STR(ch.items[0].id, "chan_1/7");
		CHECK_STR(ch.items[0].url, "http://127.0.0.1:8080/chan_1/7");
		CHECK_STR(ch.items[0].text, "Привет\nЦитата\nконец");
		CHECK(ch.items[0].published == NULL);
		CHECK(ch.items[0].author == NULL);
	}
	parse_channel_release(&ch);

	/* A page that is not a channel has no posts; no base URL falls back
	 * to t.me for permalinks. */
	page = "<html><head><title>Просто страница</title></head><body><p>x</p></body></html>";
	CHECK_OK(parse_channel_page(page, strlen(page), NULL, "https://t.me/s/x", &ch, &err));
	CHECK(ch.count == 0);
	CHECK_STR(ch.title, "Просто страница");
	parse_channel_release(&ch);
	page = "<div class=\"tgme_widget_message\" data-post=\"abc/1\"></div>";
	CHECK_OK(parse_channel_page(page, strlen(page), NULL, NULL, &ch, &err));
	CHECK(ch.count == 1);
	if (ch.count == 1) {
		CHECK_STR(ch.items[0].url, "https://t.me/abc/1");
		CHECK_STR(ch.items[0].text, "");
	}
	parse_channel_release(&ch);

	/* A data-post that is not NAME/NUMBER is ignored. */
	page = "<div class=\"tgme_widget_message\" data-post=\"../../evil/1\">a</div>"
	       "<div class=\"tgme_widget_message\" data-post=\"abc/\">b</div>"
	       "<div class=\"tgme_widget_message\" data-post=\"abc/1x\">c</div>"
	       "<div class=\"tgme_widget_message\">d</div>";
	CHECK_OK(parse_channel_page(page, strlen(page), NULL, "https://t.me/s/abc", &ch, &err));
	CHECK(ch.count == 0);
	parse_channel_release(&ch);

	/* An empty body is an error naming the URL. */
	CHECK(parse_channel_page("", 0, NULL, "https://t.me/s/empty", &ch, &err) != VIGIL_OK);
	CHECK_CONTAINS(err.message, "https://t.me/s/empty");
}

int main(void)
{
	test_fixture();
	test_inline();
	CHECK_DONE();
}
