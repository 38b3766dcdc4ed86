#!/usr/bin/env python3
"""generate_vestnik.py: (re)build the demo site "vestnik" (tests/demo-site/vestnik/).

    python3 tests/demo-site/generate_vestnik.py

A regional outlet whose articles end in every way a publisher removes or
moves a page, for the deletion and edit tests (tests/e2e/demo_test.sh,
tests/e2e/archive_test.sh) and `make demo`. Kept apart from generate.py so
the four original sites stay as they are; deterministic, output committed.

Phase 1: nine articles in feed.rss, a home page, the site's own 404.html.
Phase 2: v1 302 to the home page (deleted: redirect); v2 301 to a new address
of the same article, which the feed now lists (not deleted: the material
follows it); v3, v4, v5 a 200 "not found" page in Russian, Kazakh and
English (deleted: soft-404); v6 503 and v7 a timeout (not deleted); v8 404
(deleted); v9 only its view counter changed (a minor edit).
Phase 3 (phases build on each other): v8 is back (restored), v6 and v7
answer again.
The people and organisations are invented.
"""

import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = os.path.join(HERE, "vestnik")
ORIGIN = "{{origin:vestnik}}"


def write(rel, text):
    path = os.path.join(SITE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def page(title, body, lang="ru"):
    return """<!DOCTYPE html>
<html lang="%s"><head><meta charset="utf-8"><title>%s — Дала Вестник</title></head>
<body>
<header><a href="/">Дала Вестник</a>
<nav><a href="/">Главная</a> <a href="/region/">Регион</a> <a href="/search/?q=">Поиск</a></nav></header>
<main>
%s</main>
<footer><p>© Дала Вестник, 2024. Сетевое издание. Перепечатка только со ссылкой на источник.</p></footer>
</body></html>
""" % (lang, title, body)


def article(title, date, paragraphs, views):
    body = "<article>\n<h1>%s</h1>\n<p class=\"date\">%s</p>\n%s<p class=\"views\">Просмотров: %d</p>\n</article>\n" % (
        title, date, "".join("<p>%s</p>\n" % p for p in paragraphs), views)
    return page(title, body)


ARTICLES = [
    ("v1", "2024/07/kyzylorda-zhurnalist.html",
     "В Кызылорде журналиста вызвали в полицию из-за поста о больнице", "2 июля 2024",
     ["Журналиста из Кызылорды Ержана Сейткали вызвали в городское управление полиции после публикации в социальной сети о нехватке лекарств в областной больнице.",
      "По словам журналиста, полицейские интересовались источниками его информации и предложили удалить запись, пока не проведена проверка.",
      "Правозащитники напомнили, что закон о СМИ защищает право журналиста не раскрывать источники, и предложили ему бесплатную юридическую помощь."], 340),
    ("v2", "2024/07/turkestan-fond.html",
     "В Туркестане общественный фонд лишили помещения после доклада", "4 июля 2024",
     ["Общественный фонд, который помогает жителям Туркестана с жалобами на коммунальные службы, получил уведомление о досрочном расторжении договора аренды помещения.",
      "Уведомление пришло через неделю после того, как фонд опубликовал доклад о завышенных тарифах на отопление в новых микрорайонах.",
      "Руководитель фонда считает, что решение связано с докладом, и собирается оспорить расторжение договора в специализированном межрайонном суде."], 210),
    ("v3", "2024/07/semey-piket.html",
     "Активиста из Семея оштрафовали за одиночный пикет", "6 июля 2024",
     ["Суд в Семее оштрафовал гражданского активиста на двадцать месячных расчётных показателей за одиночный пикет у здания акимата области Абай.",
      "Активист держал плакат с требованием открыть данные о расходовании средств на ремонт дорог и, по его словам, никому не мешал.",
      "Его адвокат намерен обжаловать постановление, так как одиночный пикет не требует уведомления местных исполнительных органов."], 150),
    ("v4", "2024/07/kokshetau-advokat.html",
     "В Кокшетау адвоката не допустили к подзащитному", "8 июля 2024",
     ["Адвоката из Кокшетау не допустили к подзащитному в изоляторе временного содержания, сославшись на отсутствие свободных комнат для свиданий.",
      "Подзащитный, профсоюзный активист местного предприятия, был задержан накануне по подозрению в организации незаконной забастовки.",
      "Коллегия адвокатов Акмолинской области направила жалобу прокурору и потребовала обеспечить конфиденциальную встречу адвоката с клиентом."], 275),
    ("v5", "2024/07/taldykorgan-blog.html",
     "Блогеру из Талдыкоргана угрожают после видео о стройке", "10 июля 2024",
     ["Блогер из Талдыкоргана рассказал, что получает угрозы после видео о строительстве торгового центра на месте городского сквера.",
      "Неизвестные писали ему в мессенджерах, а в выходные повредили его автомобиль, припаркованный у дома.",
      "Блогер подал заявление в полицию, а правозащитная организация попросила власти области взять расследование под контроль."], 190),
    ("v6", "2024/07/aktau-profsoyuz.html",
     "В Актау профсоюз нефтяников провёл собрание о зарплатах", "12 июля 2024",
     ["Независимый профсоюз работников нефтесервисной компании в Актау провёл собрание, на котором обсудили задержки зарплат и сокращения.",
      "Председатель профсоюза сообщил, что работодатель отказался вести переговоры и предложил работникам подписать новые трудовые договоры.",
      "Участники собрания решили обратиться в трудовую инспекцию Мангистауской области и к депутатам маслихата."], 120),
    ("v7", "2024/07/zhezkazgan-nablyudatel.html",
     "Наблюдателя из Жезказгана не пустили на участок", "14 июля 2024",
     ["Общественного наблюдателя из Жезказгана не пустили на избирательный участок во время довыборов в городской маслихат.",
      "Член участковой комиссии заявил, что у наблюдателя неправильно оформлено направление, хотя документ был заверен общественным объединением.",
      "Объединение направило жалобу в территориальную избирательную комиссию и опубликовало копию направления на своей странице."], 95),
    ("v8", "2024/07/petropavlovsk-sud.html",
     "В Петропавловске суд рассмотрит иск журналистки к акимату", "16 июля 2024",
     ["Специализированный межрайонный экономический суд в Петропавловске начал рассматривать иск журналистки к городскому акимату.",
      "Журналистка оспаривает отказ в аккредитации на заседания акимата, который ей объяснили отсутствием мест в зале.",
      "Представители медиаорганизаций считают дело важным для доступа к информации и следят за процессом."], 160),
    ("v9", "2024/07/pavlodar-pravozashhitniki.html",
     "Правозащитники Павлодара открыли приёмную для задержанных", "18 июля 2024",
     ["Правозащитники Павлодара открыли общественную приёмную для людей, которых задерживают на мирных собраниях и пикетах.",
      "Юристы приёмной консультируют по телефону круглосуточно и помогают родственникам найти задержанного и связаться с адвокатом.",
      "По словам организаторов, за первую неделю в приёмную обратились двенадцать человек из Павлодара и Экибастуза."], 60),
]

MOVED = {"v2": "2024/07/obshhestvo/turkestan-fond-pomeshhenie.html"}


def feed(items):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
           "<title>Дала Вестник</title><link>%s/</link><description>Новости регионов</description>\n" % ORIGIN]
    for key, path, title, _, _, _ in items:
        out.append("<item><title>%s</title><link>%s/%s</link></item>\n"
                   % (title, ORIGIN, MOVED.get(key) if key in moved_in_feed else path))
    out.append("</channel></rss>\n")
    return "".join(out)


def home(items):
    lis = "".join('<li><a href="/%s">%s</a> <span>%s</span></li>\n' % (path, title, date)
                  for _, path, title, date, _, _ in items)
    body = "<h1>Последние новости</h1>\n<ul>\n%s</ul>\n<aside><h2>Курсы валют</h2><p>USD 475, EUR 515, RUB 5,4.</p></aside>\n" % lis
    return page("Главная", body)


def not_found_page(title, heading, text, lang):
    return page(title, '<div class="error"><h1>%s</h1>\n<p>%s</p>\n<p><a href="/">На главную</a></p></div>\n'
                % (heading, text), lang)


moved_in_feed = set()


def main():
    global moved_in_feed
    if os.path.isdir(SITE):
        shutil.rmtree(SITE)
    by_key = {a[0]: a for a in ARTICLES}
    for key, path, title, date, paras, views in ARTICLES:
        write(path, article(title, date, paras, views))
    write("feed.rss", feed(ARTICLES))
    write("index.html", home(ARTICLES))
    write("404.html", not_found_page("Ошибка", "Ой!", "Такого адреса на сайте нет. Попробуйте поиск или вернитесь на главную.", "ru"))

    # ---- phase 2 ----
    p2 = ".phase2/"
    gone = {"v1", "v3", "v4", "v5", "v8"}
    moved_in_feed = {"v2"}
    live = [a for a in ARTICLES if a[0] not in gone]
    write(p2 + "feed.rss", feed(live))
    write(p2 + "index.html", home(live))
    write(p2 + by_key["v1"][1] + ".status", "302\n")
    write(p2 + by_key["v1"][1] + ".headers", "Location: %s/\n" % ORIGIN)
    write(p2 + by_key["v2"][1] + ".status", "301\n")
    write(p2 + by_key["v2"][1] + ".headers", "Location: %s/%s\n" % (ORIGIN, MOVED["v2"]))
    _, _, t2, d2, ps2, v2 = by_key["v2"]
    write(p2 + MOVED["v2"], article(t2, d2, ps2, v2))
    write(p2 + by_key["v3"][1], not_found_page("Страница не найдена", "Страница не найдена",
                                               "Возможно, материал был удалён или перемещён.", "ru"))
    write(p2 + by_key["v4"][1], not_found_page("Бет табылмады", "Бет табылмады",
                                               "Сіз іздеген материал жойылған немесе басқа мекенжайға көшірілген.", "kk"))
    write(p2 + by_key["v5"][1], not_found_page("Page not found", "Page not found",
                                               "The page you are looking for has been removed.", "en"))
    write(p2 + by_key["v6"][1] + ".status", "503\n")
    write(p2 + by_key["v7"][1] + ".delay", "6\n")  # over the demo's timeout = 5
    write(p2 + by_key["v8"][1] + ".status", "404\n")
    _, _, t9, d9, ps9, v9 = by_key["v9"]
    write(p2 + by_key["v9"][1], article(t9, d9, ps9, v9 + 47))

    # ---- phase 3: v8 back, v6 and v7 answer again ----
    p3 = ".phase3/"
    back = [a for a in ARTICLES if a[0] not in gone or a[0] == "v8"]
    write(p3 + "feed.rss", feed(back))
    write(p3 + "index.html", home(back))
    write(p3 + by_key["v8"][1] + ".status", "200\n")
    write(p3 + by_key["v6"][1] + ".status", "200\n")
    write(p3 + by_key["v7"][1] + ".delay", "0\n")


if __name__ == "__main__":
    main()
