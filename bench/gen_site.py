#!/usr/bin/env python3
"""Generate a static Russian-language news site for the crawl benchmark.

    python3 bench/gen_site.py --pages 20000 --out DIR [--seed 1] [--day 0]

Layout (what a regional news CMS serves):
  index.html                    home page: latest headlines, links to every listing page
  news/page/K.html              listing pages, 50 articles each, newest first
  news/YYYY/MM/ID.html          articles (~100 KB: text of 2-6 KB inside heavy
                                markup: menus, inline CSS/JS, sidebars, related lists)
  rss.xml                       the 200 newest articles
  sitemap.xml                   every article
  robots.txt

The text is drawn from a fixed Russian vocabulary with a seeded random
generator, so the same arguments always give byte-identical pages. --day N
changes the site as a daily recrawl sees it: per day 2% new articles, 1% of
the older ones edited (a sentence changes) and 0.3% deleted (404).
"""
import argparse
import os
import random

WORDS = (
    "правозащитник журналист активист адвокат суд задержание полиция акимат "
    "прокуратура митинг заявление редакция газета сайт блогер общественный "
    "деятель профсоюз работник нефтяник забастовка штраф арест обыск допрос "
    "свидетель приговор апелляция жалоба дело статья кодекс распространение "
    "ложной информации клевета оскорбление угроза давление преследование "
    "неизвестные напали избили камера телефон ноутбук изъяли сотрудники "
    "департамента город область район село улица площадь здание администрации "
    "Алматы Астана Шымкент Караганда Павлодар Актобе Атырау Актау Костанай "
    "Петропавловск Усть-Каменогорск Семей Тараз Кызылорда Уральск Кокшетау "
    "Талдыкорган Туркестан Жезказган Экибастуз сообщил заявил отметил подчеркнул "
    "рассказал напомнил пояснил добавил по словам по данным источник пресс-служба "
    "министерство информации депутат мажилиса сенат правительство закон проект "
    "поправки свобода слова выражения собраний объединений организация фонд "
    "международный доклад мониторинг нарушения права человека гражданин жители "
    "требуют освободить прекратить преследование обращение открытое письмо "
    "поддержка солидарность коллеги встреча пикет одиночный разрешение отказ "
    "в предоставлении информации аккредитация брифинг пресс-конференция "
    "вчера сегодня утром вечером в понедельник во вторник в среду в четверг "
    "в пятницу на прошлой неделе в этом году стало известно как сообщается "
    "экономика бюджет тенге нефть газ урожай погода спорт футбол турнир "
    "школа больница дорога ремонт строительство транспорт автобус"
).split()

SECTIONS = ["Политика", "Общество", "Экономика", "Происшествия", "Спорт",
            "Культура", "Регионы", "Мнения", "Интервью", "Фото"]
REGIONS = ["Абайская", "Акмолинская", "Актюбинская", "Алматинская", "Атырауская",
           "Западно-Казахстанская", "Жамбылская", "Жетысуская", "Карагандинская",
           "Костанайская", "Кызылординская", "Мангистауская", "Павлодарская",
           "Северо-Казахстанская", "Туркестанская", "Улытауская",
           "Восточно-Казахстанская", "Алматы", "Астана", "Шымкент"]

CSS = "".join(
    ".b%d{margin:%dpx;padding:%dpx;color:#%06x;font:%dpx/1.4 Arial,sans-serif}\n"
    % (i, i % 17, i % 11, (i * 2654435761) & 0xFFFFFF, 10 + i % 9)
    for i in range(900))
SCRIPT = "".join(
    "window.__cfg%d={id:%d,slot:'ad-%d',lazy:true,sizes:[[300,250],[728,90]]};\n"
    % (i, i, i % 37) for i in range(500))


def sentence(rng, n_words):
    words = [rng.choice(WORDS) for _ in range(n_words)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng):
    return " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 6)))


def article_path(aid):
    year = 2020 + aid % 6
    month = 1 + (aid // 7) % 12
    return "news/%d/%02d/%d.html" % (year, month, aid)


def article_date(aid):
    year = 2020 + aid % 6
    month = 1 + (aid // 7) % 12
    day = 1 + aid % 28
    return "%d-%02d-%02dT%02d:%02d:00+05:00" % (year, month, day, aid % 24, aid % 60)


def page(title, body, canonical):
    head = (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">\n'
        "<title>%s — Новости региона</title>\n"
        '<link rel="canonical" href="%s">\n'
        '<meta name="viewport" content="width=device-width">\n'
        "<style>\n%s</style>\n<script>\n%s</script>\n</head>\n" % (title, canonical, CSS, SCRIPT))
    menu = "".join('<li class="b%d"><a href="/news/page/%d.html">%s</a></li>'
                   % (i, 1 + i, s) for i, s in enumerate(SECTIONS))
    regions = "".join('<li><a href="/news/page/%d.html">%s область</a></li>' % (1 + i % 9, r)
                      for i, r in enumerate(REGIONS))
    weather = "".join('<div class="b%d">%s: +%d°C, ветер %d м/с</div>' % (i, r, i % 30, i % 12)
                      for i, r in enumerate(REGIONS))
    footer = ("<footer><p>© 2024 Новости региона. Все права защищены. При "
              "перепечатке ссылка обязательна.</p><p>Адрес редакции: Павлодар, "
              "улица Торайгырова, 1. Телефон +7 7182 00 00 00.</p></footer>")
    return (head + '<body><header><nav><ul class="menu">' + menu + "</ul></nav></header>\n"
            '<div class="layout"><aside class="sidebar"><h3>Погода</h3>' + weather +
            '<h3>Регионы</h3><ul>' + regions + "</ul></aside>\n<main>" + body +
            "</main></div>\n" + footer + "\n</body></html>\n")


def article_html(aid, rng_seed, edited):
    rng = random.Random(rng_seed * 1000003 + aid)
    title = sentence(rng, rng.randint(6, 11))[:-1]
    paragraphs = [paragraph(rng) for _ in range(rng.randint(4, 9))]
    if edited:
        paragraphs[0] = paragraphs[0] + " Обновлено: " + sentence(rng, 7)
    related = "".join('<li><a href="/%s">%s</a></li>' % (article_path(max(1, aid - k)),
                                                          sentence(rng, 6)[:-1])
                      for k in range(1, 9))
    body = (
        '<article class="post"><h1>%s</h1>\n<div class="meta"><time datetime="%s">%s</time>'
        ' <span class="author">Корреспондент</span></div>\n%s\n</article>\n'
        '<section class="related"><h3>Читайте также</h3><ul>%s</ul></section>'
        % (title, article_date(aid), article_date(aid)[:10],
           "\n".join("<p>%s</p>" % p for p in paragraphs), related))
    return title, page(title, body, "/" + article_path(aid))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=20000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--day", type=int, default=0)
    ap.add_argument("--base", default="http://127.0.0.1:8099",
                    help="scheme://host:port the site is served at (feed and sitemap URLs are absolute)")
    args = ap.parse_args()

    total = args.pages + args.pages * 2 * args.day // 100
    alive = []
    for aid in range(1, total + 1):
        day_born = 0 if aid <= args.pages else 1 + (aid - args.pages - 1) * 100 // (args.pages * 2)
        if day_born > args.day:
            break
        # Deletions and edits depend only on (aid, day), so a site of day N
        # differs from day N-1 by that day's changes alone.
        deleted = any(random.Random(aid * 31 + d).random() < 0.003 for d in range(1, args.day + 1))
        if not deleted:
            alive.append(aid)
    edited_on = {}
    for aid in alive:
        for d in range(1, args.day + 1):
            if random.Random(aid * 37 + d).random() < 0.01:
                edited_on[aid] = d

    out = args.out
    os.makedirs(out, exist_ok=True)
    titles = {}
    for aid in alive:
        path = os.path.join(out, article_path(aid))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        title, html = article_html(aid, args.seed + edited_on.get(aid, 0) * 7, aid in edited_on)
        titles[aid] = title
        with open(path, "w", encoding="utf-8") as f:
            f.write(html)

    newest = sorted(alive, reverse=True)
    per = 50
    listing_count = (len(newest) + per - 1) // per
    for k in range(listing_count):
        items = newest[k * per:(k + 1) * per]
        body = "<h1>Новости — страница %d</h1><ul class=\"list\">" % (k + 1) + "".join(
            '<li><a href="/%s">%s</a> <time>%s</time></li>' % (article_path(a), titles[a],
                                                              article_date(a)[:10])
            for a in items) + "</ul>"
        path = os.path.join(out, "news/page/%d.html" % (k + 1))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(page("Новости — страница %d" % (k + 1), body, "/news/page/%d.html" % (k + 1)))

    home = "<h1>Главное</h1><ul>" + "".join(
        '<li><a href="/%s">%s</a></li>' % (article_path(a), titles[a]) for a in newest[:30]) + \
        "</ul><h2>Архив</h2><ul>" + "".join(
            '<li><a href="/news/page/%d.html">Страница %d</a></li>' % (k + 1, k + 1)
            for k in range(listing_count)) + "</ul>"
    with open(os.path.join(out, "index.html"), "w", encoding="utf-8") as f:
        f.write(page("Новости региона", home, "/"))

    with open(os.path.join(out, "rss.xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                "<title>Новости региона</title><link>%s/</link>\n" % args.base)
        for a in newest[:200]:
            f.write("<item><title>%s</title><link>%s/%s</link></item>\n"
                    % (titles[a], args.base, article_path(a)))
        f.write("</channel></rss>\n")
    with open(os.path.join(out, "sitemap.xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
        for a in newest:
            f.write("<url><loc>%s/%s</loc></url>\n" % (args.base, article_path(a)))
        f.write("</urlset>\n")
    with open(os.path.join(out, "robots.txt"), "w") as f:
        f.write("User-agent: *\nAllow: /\n")
    print("%d articles, %d listing pages" % (len(alive), listing_count))


if __name__ == "__main__":
    main()
