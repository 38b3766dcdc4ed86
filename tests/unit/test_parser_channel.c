/* test_parser_channel.c: posts of a Telegram public preview page. */
#include "check.h"
#include "../../parser/parser.h"

#include <stdlib.h>

static char *read_fixture(const char *name, size_t *len)
{
	return check_read_fixture("parser", name, len);
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

/* What the history crawl needs: views, edited mark, forwarded-from, links,
 * album members, language, the id range and the page's own cursor. */
static void test_history_fields(void)
{
	struct parse_channel ch = { 0 };
	struct vigil_error err = { 0 };
	size_t len;
	char *body = read_fixture("channel_tme_s.html", &len);
	const char *page;

	CHECK_OK(parse_channel_page(body, len, "text/html; charset=utf-8",
				    "https://t.me/s/kzmonitor", &ch, &err));
	CHECK(ch.count == 4);
	CHECK(ch.min_number == 101 && ch.max_number == 104);
	CHECK(ch.before == 0);
	if (ch.count == 4) {
		CHECK(ch.items[0].number == 101);
		CHECK(ch.items[0].views == 2100);
		CHECK(ch.items[1].views == 1900);
		CHECK(ch.items[3].views == -1); /* none shown */
		CHECK(ch.items[0].edited == 0 && ch.items[0].service == 0);
		CHECK_STR(ch.items[0].language, "ru");
		CHECK(ch.items[1].language == NULL); /* a photo without a caption */
		CHECK(ch.items[0].link_count == 1);
		if (ch.items[0].link_count == 1)
			CHECK_STR(ch.items[0].links[0], "https://news.example.kz/ru/news/1");
		/* the reply's quote is not the post's; its link is not either */
		CHECK(ch.items[2].link_count == 0);
		CHECK(ch.items[0].forwarded_from == NULL);
		CHECK_STR(ch.items[3].forwarded_from, "Другие новости");
		CHECK_STR(ch.items[3].forwarded_url, "https://t.me/othernews/555");
		CHECK(ch.items[3].link_count == 0); /* a #hashtag search is not a link */
		/* A single photo links to its own post, not "?single": no album. */
		CHECK(ch.items[1].album_count == 0);
	}
	parse_channel_release(&ch);
	free(body);

	/* An older page: the "more" block's data-before is the cursor; an
	 * album's members widen the id range; "edited"; a service message. */
	page = "<html><head><link rel=\"prev\" href=\"/s/k?before=5\"></head><body>"
	       "<div class=\"tgme_widget_message_centered js-messages_more_wrap\">"
	       "<a href=\"/s/k?before=40\" class=\"tme_messages_more\" data-before=\"40\"></a></div>"
	       "<div class=\"tgme_widget_message service_message\" data-post=\"k/41\">"
	       "<div class=\"tgme_widget_message_service_text\">Channel photo updated</div></div>"
	       "<div class=\"tgme_widget_message\" data-post=\"k/42\">"
	       "<a class=\"grouped_media_wrap\" href=\"https://t.me/k/44?single\"></a>"
	       "<a class=\"grouped_media_wrap\" href=\"https://t.me/k/42?single\"></a>"
	       "<a class=\"grouped_media_wrap\" href=\"https://t.me/k/43?single\"></a>"
	       "<a class=\"grouped_media_wrap\" href=\"https://t.me/k/43?single\"></a>"
	       "<a href=\"https://t.me/k/99?singles\">not a member</a>"
	       "<div class=\"tgme_widget_message_text\">Photos from the court in Almaty today, "
	       "the hearing was adjourned <a href=\"/k/1\">earlier</a>"
	       " <a href=\"https://example.kz/a#x\">a</a> <a href=\"https://example.kz/a\">again</a>"
	       " <a href=\"mailto:x@y.kz\">mail</a></div>"
	       "<span class=\"tgme_widget_message_views\">1.5M</span>"
	       "<span class=\"tgme_widget_message_meta\">edited <a class=\"tgme_widget_message_date\""
	       " href=\"https://t.me/k/42\"><time datetime=\"2024-05-01T10:00:00+05:00\">10:00</time>"
	       "</a></span></div>"
	       "<div class=\"tgme_widget_message\" data-post=\"k/45\">"
	       "<div class=\"tgme_widget_message_text\">Unedited words: uneditedness</div>"
	       "<span class=\"tgme_widget_message_views\">953</span>"
	       "<span class=\"tgme_widget_message_meta\">uneditedly <time datetime=\"2024-05-02\">x"
	       "</time></span></div>"
	       "</body></html>";
	CHECK_OK(parse_channel_page(page, strlen(page), NULL, "https://t.me/s/k?before=46", &ch,
				    &err));
	CHECK(ch.count == 3);
	CHECK(ch.before == 40);
	CHECK(ch.min_number == 41 && ch.max_number == 45);
	if (ch.count == 3) {
		CHECK(ch.items[0].service == 1 && ch.items[0].number == 41);
		CHECK(ch.items[1].service == 0);
		CHECK(ch.items[1].album_count == 3);
		if (ch.items[1].album_count == 3)
			CHECK(ch.items[1].album[0] == 42 && ch.items[1].album[1] == 43 &&
			      ch.items[1].album[2] == 44);
		CHECK(ch.items[1].edited == 1);
		CHECK(ch.items[1].views == 1500000);
		CHECK_STR(ch.items[1].language, "en");
		CHECK(ch.items[1].link_count == 2);
		if (ch.items[1].link_count == 2) {
			CHECK_STR(ch.items[1].links[0], "https://t.me/k/1");
			CHECK_STR(ch.items[1].links[1], "https://example.kz/a");
		}
		CHECK(ch.items[2].edited == 0); /* "uneditedly" is not the mark */
		CHECK(ch.items[2].views == 953);
	}
	parse_channel_release(&ch);

	/* No "more" block: the cursor of <link rel=prev>. */
	page = "<html><head><link rel=\"prev\" href=\"/s/k?q=1&amp;before=17\"></head><body>"
	       "<div class=\"tgme_widget_message\" data-post=\"k/17\">"
	       "<span class=\"tgme_widget_message_views\">2,5K</span>"
	       "<div class=\"tgme_widget_message_forwarded_from\">Forwarded from Someone</div>"
	       "</div></body></html>";
	CHECK_OK(parse_channel_page(page, strlen(page), NULL, "https://t.me/s/k", &ch, &err));
	CHECK(ch.before == 17);
	if (ch.count == 1) {
		CHECK(ch.items[0].views == 2500);
		CHECK_STR(ch.items[0].forwarded_from, "Someone");
		CHECK(ch.items[0].forwarded_url == NULL);
	}
	parse_channel_release(&ch);

	/* Counts that are not counts. */
	page = "<div class=\"tgme_widget_message\" data-post=\"k/1\">"
	       "<span class=\"tgme_widget_message_views\">1.5</span></div>"
	       "<div class=\"tgme_widget_message\" data-post=\"k/2\">"
	       "<span class=\"tgme_widget_message_views\">many</span></div>"
	       "<div class=\"tgme_widget_message\" data-post=\"k/3\">"
	       "<span class=\"tgme_widget_message_views\">12Kb</span></div>"
	       "<div class=\"tgme_widget_message\" data-post=\"k/999999999999\"></div>";
	CHECK_OK(parse_channel_page(page, strlen(page), NULL, "https://t.me/s/k", &ch, &err));
	CHECK(ch.count == 3); /* an id past Telegram's range is no post */
	for (size_t i = 0; i < ch.count; i++)
		CHECK(ch.items[i].views == -1);
	parse_channel_release(&ch);
}

/* The single-post embed page: an error block, the post, or neither. */
static void test_embed(void)
{
	struct parse_channel_embed embed = { 0 };
	struct vigil_error err = { 0 };
	const char *page;

	page = "<html><body class=\"widget_frame_base\"><div class=\"tgme_widget_message_wrap\">"
	       "<div class=\"tgme_widget_message js-widget_message\" data-post=\"k/23\">"
	       "<div class=\"tgme_widget_message_bubble\"><div class=\"tgme_widget_message_error\">"
	       "Post not found</div></div></div></div></body></html>";
	CHECK_OK(parse_channel_embed(page, strlen(page), "text/html", "https://t.me/k/23?embed=1",
				     &embed, &err));
	CHECK(embed.state == PARSE_EMBED_ERROR);
	CHECK_STR(embed.error, "Post not found");
	CHECK(embed.post.id == NULL);
	parse_channel_embed_release(&embed);
	CHECK(embed.error == NULL && embed.state == PARSE_EMBED_UNKNOWN);
	parse_channel_embed_release(&embed);

	/* An empty error block is still an error. */
	page = "<div class=\"tgme_widget_message_error\"> </div>";
	CHECK_OK(parse_channel_embed(page, strlen(page), NULL, "https://t.me/k/5?embed=1", &embed,
				     &err));
	CHECK(embed.state == PARSE_EMBED_ERROR && embed.error && embed.error[0]);
	parse_channel_embed_release(&embed);

	page = "<html><body><div class=\"tgme_widget_message\" data-post=\"k/29\">"
	       "<div class=\"tgme_widget_message_text\">Кокшетау. Адвокату вернули изъятые "
	       "документы.</div><span class=\"tgme_widget_message_meta\">edited <a "
	       "class=\"tgme_widget_message_date\" href=\"https://t.me/k/29\"><time "
	       "datetime=\"2024-05-10T10:00:00+00:00\">10:00</time></a></span></div></body></html>";
	CHECK_OK(parse_channel_embed(page, strlen(page), NULL, "https://t.me/k/29?embed=1", &embed,
				     &err));
	CHECK(embed.state == PARSE_EMBED_POST);
	CHECK(embed.error == NULL);
	CHECK_STR(embed.post.id, "k/29");
	CHECK_STR(embed.post.url, "https://t.me/k/29");
	CHECK(embed.post.edited == 1 && embed.post.number == 29);
	CHECK_STR(embed.post.language, "ru");
	parse_channel_embed_release(&embed);

	/* A login wall or any other page proves nothing. */
	page = "<html><body><p>Please open Telegram to view this post</p></body></html>";
	CHECK_OK(parse_channel_embed(page, strlen(page), NULL, "https://t.me/k/3?embed=1", &embed,
				     &err));
	CHECK(embed.state == PARSE_EMBED_UNKNOWN && embed.error == NULL && embed.post.id == NULL);
	parse_channel_embed_release(&embed);

	CHECK(parse_channel_embed("", 0, NULL, "https://t.me/k/4?embed=1", &embed, &err) !=
	      VIGIL_OK);
	CHECK_CONTAINS(err.message, "https://t.me/k/4?embed=1");
	CHECK(embed.state == PARSE_EMBED_UNKNOWN && embed.error == NULL);
}

int main(void)
{
	test_fixture();
	test_inline();
	test_history_fields();
	test_embed();
	CHECK_DONE();
}
