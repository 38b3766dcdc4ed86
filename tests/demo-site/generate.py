#!/usr/bin/env python3
"""generate.py: (re)build the offline demo site from tests/demo-site/.texts/.

    python3 tests/demo-site/generate.py

Writes the four site directories (optimism, civic, pulse, channel) next to
this script, replacing them. The output is committed, so tests and the demo
never run this; run it after editing a text or a template and commit both.
Deterministic: the same texts give byte-identical files.

The seed documents (.texts/seeds/, verbatim copies of /work/shared/seeds/)
are cut into article bodies here; every cut and edit is spelled out below so
a reader can see what the crawler is given.
"""

import html
import os
import re
import shutil
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
TEXTS = os.path.join(HERE, ".texts")  # a dot directory: serve.py does not serve it as a site
SEEDS = os.path.join(TEXTS, "seeds")
SITES = ("optimism", "civic", "pulse", "channel")

RU_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                 "августа", "сентября", "октября", "ноября", "декабря"]
EN_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
             "Oct", "Nov", "Dec"]


def esc(s):
    return html.escape(s, quote=True)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(rel, data, encoding="utf-8"):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode(encoding, errors="xmlcharrefreplace")
    with open(path, "wb") as f:
        f.write(data)


def dt(iso):
    return datetime.fromisoformat(iso)


def rfc822(iso):
    d = dt(iso)
    off = d.strftime("%z")
    return "%s, %02d %s %d %02d:%02d:%02d %s" % (
        EN_DAYS[d.weekday()], d.day, EN_MONTHS[d.month - 1], d.year,
        d.hour, d.minute, d.second, off)


def ru_date(iso):
    d = dt(iso)
    return "%d %s %d" % (d.day, RU_MONTHS_GEN[d.month - 1], d.year)


def dotted(iso):
    d = dt(iso)
    return "%02d.%02d.%d, %02d:%02d" % (d.day, d.month, d.year, d.hour, d.minute)


def paras(text):
    """Blank-line separated paragraphs, inner newlines joined."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = " ".join(line.strip() for line in block.splitlines() if line.strip())
        if block:
            out.append(block)
    return out


def html_paras(ps):
    return "\n".join("<p>%s</p>" % esc(p) for p in ps)


def load_text(name):
    """A texts/NAME.txt file: "key: value" header lines, "---", body."""
    raw = read(os.path.join(TEXTS, name))
    head, body = raw.split("\n---\n", 1)
    meta = {}
    for line in head.splitlines():
        k, v = line.split(":", 1)
        meta[k.strip()] = v.strip()
    meta["paras"] = paras(body)
    return meta


# ---------------------------------------------------------------- the seeds

def seed_004():
    """The opinion piece as optimism.kz printed it: the body between the
    byline block ("in Общество") and "Tags:"; the site chrome around it is
    rebuilt as HTML by the optimism template."""
    s = read(os.path.join(SEEDS, "004_4537cb78428686c2.txt"))
    title = next(l.strip() for l in s.splitlines() if l.startswith("«Консультативно"))
    body = s.split("\nin Общество\n", 1)[1].split("\nTags:", 1)[0]
    return {
        "title": title,
        "published": "2024-04-18T18:51:00+05:00",
        "author": "Анатолий Пак",
        "category": "Общество",
        "lead": "Диалоговая площадка при МИД должна вернуть себе былую силу и "
                "восстановить процесс диалога между государственными органами и НПО.",
        "paras": paras(body),
        "tags": ["новости казахстана", "нпо"],
    }


def seed_003():
    """The same opinion piece a year later (seed 003): its body appears twice
    in the file; take the first copy plus the signature, with small edits a
    republishing outlet makes."""
    s = read(os.path.join(SEEDS, "003_9d9931cff8997adf.txt"))
    end = s.index("налогоплательщиков.") + len("налогоплательщиков.")
    body = s[:end]
    signature = [l for l in s.splitlines() if l.strip()][-1].strip()
    author = signature.split(",", 1)[0]
    edits = [
        ("Считаю необходимым освежить", "Считаю важным освежить"),
        ("Старые шаблонные, зачастую", "Старые, шаблонные, зачастую"),
        ("Жовтис в то время планировал", "Евгений Жовтис в то время планировал"),
    ]
    for old, new in edits:
        assert old in body, old
        body = body.replace(old, new, 1)
    ps = [l.strip() for l in body.splitlines() if l.strip()]
    # "1.Учет ... 2.Приведение ..." are list items in the source.
    return {
        "title": "Диалог вместо грантовой риторики: о докладе коалиции НПО о пытках",
        "published": "2025-05-16T09:00:00+05:00",
        "author": author,
        "signature": signature,
        "lead": "Директор общественного фонда — о международных грантах и "
                "радикализации правозащитной риторики.",
        "paras": ps,
    }


def seed_002():
    """CIVICUS press release: title, "ПРЕСС-РЕЛИЗ / эмбарго / date" header,
    a bullet list, paragraphs with [links](#), split paragraphs re-joined."""
    s = read(os.path.join(SEEDS, "002_5043de1f504f3e74.txt"))
    blocks = [b.strip() for b in re.split(r"\n\s*\n", s.strip()) if b.strip()]
    title = blocks[0]
    assert blocks[1] == "ПРЕСС-РЕЛИЗ" and blocks[2] == "эмбарго", blocks[:3]
    rest = blocks[4:]
    bullets = [l[2:].strip() for l in rest[0].splitlines() if l.startswith("- ")]
    body = []
    for b in rest[1:]:
        b = " ".join(b.split())
        # A page break of the source split sentences: "... протесты и" / "последовавшие ...".
        if body and b[:1].islower() and b[:1].isalpha():
            body[-1] += " " + b
        else:
            body.append(b)
    return {
        "title": title,
        "published": "2022-06-20T10:00:00+06:00",
        "author": "CIVICUS",
        "lead": "CIVICUS Monitor понизил рейтинг Казахстана с «препятствующего» до «репрессивного».",
        "bullets": bullets,
        "paras": body,
    }


def seed_000():
    """Interview: questions are the paragraphs ending in "?"; the trailing
    page-number debris ("8383 2 1") of the source is dropped."""
    s = read(os.path.join(SEEDS, "000_d213727b09540381.txt"))
    s = re.sub(r"(15 января\.)\s*8383 2 1\s*$", r"\1", s.strip())
    s = s.replace("системой.Когда", "системой. Когда")
    return {
        "title": "«Наши правозащитники никак не защищены перед системой»: интервью о бизнесе и правах человека",
        "published": "2021-03-02T11:00:00+06:00",
        "author": "Редакция Civic",
        "lead": "Руководитель общественной организации — о проверках, штрафах и "
                "приостановке деятельности после заявлений о выборах.",
        "paras": paras(s),
    }


def rich(text):
    """Markdown-style [text](#) links of the seeds as HTML."""
    out, pos = [], 0
    for m in re.finditer(r"\[([^\]]+)\]\(#\)", text):
        out.append(esc(text[pos:m.start()]))
        out.append('<a href="https://monitor.civicus.org/country/kazakhstan/">%s</a>' % esc(m.group(1)))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


# ----------------------------------------------------------------- optimism

OPT_REGIONS = ["Астана", "Алматы", "Шымкент", "Акмолинская область", "Алматинская область",
               "Актюбинская область", "Атырауская область", "ВКО", "ЗКО",
               "Жамбылская область", "Карагандинская область", "Костанайская область",
               "Кызылординская область", "Мангистауская область", "Павлодарская область",
               "Туркестанская область", "СКО"]
OPT_SEED_HEADLINES = [
    ("Роман Скляр принял участие в приеме в честь 75-летия образования КНР", "2024-06-11T21:55:00+05:00"),
    ("Водород стал ключевой темой второго Центральноазиатского форума по декарбонизации", "2024-06-11T19:40:00+05:00"),
    ("Глава государства посетил Дом шахмат", "2024-06-11T20:23:00+05:00"),
    ("Агентством согласованы следующие руководящие работники страхового сектора", "2024-06-11T19:09:00+05:00"),
]


def opt_menu(cls):
    regions = "\n".join(
        '<li class="menu-item"><a href="{{origin:optimism}}/category/regiony/%d/">%s</a></li>' % (i + 1, esc(r))
        for i, r in enumerate(OPT_REGIONS))
    return """<ul class="jeg_menu %s">
<li class="menu-item"><a href="{{origin:optimism}}/category/politika/">Политика</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/ekonomika/">Экономика</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/analitika/">Аналитика</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/taza-qazaqstan/">Таза Қазақстан</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/zdorove/">Здоровье</a></li>
<li class="menu-item menu-item-has-children"><a href="{{origin:optimism}}/category/obshchestvo/">Общество</a>
<ul class="sub-menu">
<li class="menu-item"><a href="{{origin:optimism}}/category/sport/">Спорт</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/kultura/">Культура</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/zakon/">Закон и порядок</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/esg/">ESG</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/prochee/">Прочее</a></li>
</ul></li>
<li class="menu-item menu-item-has-children"><a href="{{origin:optimism}}/category/regiony/">Регионы</a>
<ul class="sub-menu">
%s
</ul></li>
<li class="menu-item menu-item-has-children"><a href="{{origin:optimism}}/category/specproekty/">Спецпроекты</a>
<ul class="sub-menu">
<li class="menu-item"><a href="{{origin:optimism}}/category/istorii-uspeha/">Истории успеха</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/strahovanie/">Актуально о страховании</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/dobro/">Добро</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/category/tehnologii/">Технологии и Инновации</a></li>
</ul></li>
</ul>""" % (cls, regions)


def opt_header():
    return """<div class="jeg_ad jeg_ad_top jnews_header_top_ads"><div class="ads-wrapper"><a href="https://example.invalid/1xbet" rel="nofollow sponsored" class="adlink"><img src="{{origin:optimism}}/wp-content/uploads/1xbet-banner.gif" alt="1xbet.kz Акция!!"></a></div></div>
<div class="jeg_viewport">
<div class="jeg_header_wrapper"><div class="jeg_header_instagram_wrapper"></div>
<div class="jeg_header normal">
<div class="jeg_topbar jeg_container dark"><div class="container"><div class="jeg_nav_row">
<div class="jeg_nav_col jeg_nav_left"><div class="item_wrap jeg_nav_alignleft"><div class="jeg_nav_item">
<ul class="jeg_menu jeg_top_menu">
<li class="menu-item"><a href="{{origin:optimism}}/o-nas/">О нас</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/reklama/">Реклама</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/pravila/">Правила</a></li>
<li class="menu-item"><a href="{{origin:optimism}}/kontakty/">Контакты</a></li>
</ul></div></div></div>
<div class="jeg_nav_col jeg_nav_right"><div class="jeg_nav_item jeg_top_date">Среда, 12 июня, 2024</div>
<div class="jeg_nav_item"><a href="#" class="bvi-open">Версия слабовидящим</a></div></div>
</div></div></div>
<div class="jeg_midbar jeg_container normal"><div class="container"><div class="jeg_nav_row">
<div class="jeg_nav_col jeg_nav_left"><div class="jeg_nav_item jeg_logo jeg_desktop_logo"><h1 class="site-title"><a href="{{origin:optimism}}/" style="padding: 0 0 0 0;"><img class="jeg_logo_img" src="{{origin:optimism}}/wp-content/uploads/logo.png" alt="Optimism.kz - Истории успеха"></a></h1></div></div>
<div class="jeg_nav_col jeg_nav_right"><div class="jeg_nav_item jeg_ad jeg_ad_top jnews_header_ads"><div class="ads-wrapper"><a href="https://example.invalid/freedom" rel="nofollow sponsored"><img src="{{origin:optimism}}/wp-content/uploads/freedom.jpg" alt="Freedom Broker"></a></div></div></div>
</div></div></div>
<div class="jeg_bottombar jeg_navbar jeg_container jeg_navbar_wrapper jeg_navbar_normal jeg_navbar_normal"><div class="container"><div class="jeg_nav_row">
<div class="jeg_nav_col jeg_nav_left"><div class="jeg_nav_item jeg_main_menu_wrapper"><div class="jeg_mainmenu_wrap">
""" + opt_menu("jeg_main_menu jeg_menu_style_1") + """
</div></div></div>
<div class="jeg_nav_col jeg_nav_right"><div class="jeg_nav_item jeg_search_wrapper search_icon jeg_search_popup_expand">
<a href="#" class="jeg_search_toggle"><i class="fa fa-search"></i></a>
<form action="{{origin:optimism}}/" method="get" class="jeg_search_form" target="_top"><input name="s" class="jeg_search_input" placeholder="Поиск..." type="text" value="" autocomplete="off"><button aria-label="Search Button" type="submit" class="jeg_search_button btn"><i class="fa fa-search"></i></button></form>
<div class="jeg_search_result jeg_search_hide with_result"><div class="search-result-wrapper"></div>
<div class="search-link search-noresult">Нет результатов</div>
<div class="search-link search-all-button"><i class="fa fa-search"></i> Посмотреть все результаты</div></div>
</div></div>
</div></div></div>
</div></div>
<div class="jeg_navbar_mobile_wrapper"><div class="jeg_navbar_mobile" data-mode="scroll">
<div class="jeg_mobile_bottombar jeg_mobile_midbar jeg_container normal"><div class="container"><div class="jeg_nav_row">
<div class="jeg_nav_col jeg_nav_center"><div class="jeg_nav_item jeg_mobile_logo"><div class="site-title"><a href="{{origin:optimism}}/"><img src="{{origin:optimism}}/wp-content/uploads/logo-mobile.png" alt="Optimism.kz - Истории успеха"></a></div></div></div>
</div></div></div>
<div class="jeg_navbar_mobile_menu"><div class="container"><div class="menu-main-menu-container">
""" + opt_menu("jeg_mobile_menu_style_1") + """
</div></div></div>
</div></div>
"""


def opt_footer(items):
    latest = max(items, key=lambda a: a["published"])
    return """<div class="jeg_ad jnews_above_footer_ads"><div class="ads-wrapper">
<a href="https://example.invalid/music" rel="nofollow">Казахская музыка онлайн</a> <a href="https://example.invalid/music" rel="nofollow">Казахская музыка онлайн</a> <a href="https://example.invalid/music" rel="nofollow">Казахская музыка онлайн</a>
</div></div>
<div class="footer-holder" id="footer" data-id="footer"><div class="jeg_footer jeg_footer_1 dark"><div class="jeg_footer_container jeg_container">
<div class="jeg_footer_content"><div class="container"><div class="row">
<div class="jeg_footer_primary clearfix"><div class="col-md-4 footer_column">
<div class="footer_widget widget_jnews_about"><div class="jeg_about"><a class="footer_logo" href="{{origin:optimism}}/"><img src="{{origin:optimism}}/wp-content/uploads/logo-footer.png" alt="Новости Казахстана 2020 Оптимизм"></a>
<p>Публикуем последние новости из мира бизнеса и экономики, события в политической жизни, экономические прогнозы, собственную аналитику, рейтинги и обзоры. Слоган: «Живи с оптимизмом».</p></div></div>
<div class="footer_widget widget_jnews_social"><div class="jeg_social_wrap"><p><strong>Мы там, где удобно:</strong></p>
<div class="socials_widget"><a href="https://example.invalid/fb" class="jeg_facebook"><i class="fa fa-facebook"></i></a> <a href="https://example.invalid/tg" class="jeg_telegram"><i class="fa fa-telegram"></i></a> <a href="https://example.invalid/ig" class="jeg_instagram"><i class="fa fa-instagram"></i></a></div></div></div>
</div>
<div class="col-md-4 footer_column"><div class="footer_widget widget_categories"><div class="jeg_footer_heading"><h3 class="jeg_footer_title"><span>Категории портала</span></h3></div><ul>
<li class="cat-item"><a href="{{origin:optimism}}/category/zdorove/">Здоровье</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/istorii-uspeha/">Истории Успеха</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/kultura/">Культура</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/mnenie/">Мнение</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/taza-qazaqstan/">Таза Қазақстан</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/obshchestvo/">Общество</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/sport/">Спорт</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/ekonomika/">Экономика</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/politika/">Политика</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/prochee/">Прочее</a></li>
<li class="cat-item"><a href="{{origin:optimism}}/category/vazhnoe/">Важное</a></li>
</ul></div></div>
<div class="col-md-4 footer_column"><div class="footer_widget widget_jnews_module_block_1"><div class="jeg_footer_heading"><h3 class="jeg_footer_title"><span>Самая последняя новость</span></h3></div>
<div class="jeg_post jeg_pl_md_1"><h3 class="jeg_post_title"><a href="%s">%s</a></h3><div class="jeg_meta_date">%s</div></div></div>
<div class="footer_widget widget_text"><div class="textwidget"><!-- Yandex.Metrika counter --><a href="https://metrika.yandex.invalid/stat/?id=00000" rel="nofollow">Яндекс.Метрика</a><!-- /Yandex.Metrika counter --></div></div>
</div></div>
</div></div></div>
<div class="jeg_footer_bottom"><div class="container"><div class="footer_right"><ul class="jeg_menu_footer">
<li><a href="{{origin:optimism}}/o-nas/">О нас</a></li><li><a href="{{origin:optimism}}/reklama/">Реклама</a></li><li><a href="{{origin:optimism}}/pravila/">Правила</a></li><li><a href="{{origin:optimism}}/kontakty/">Контакты</a></li>
</ul></div>
<p class="copyright">© 2024 <a href="{{origin:optimism}}/" title="Optimism.kz">Optimism.kz</a> - мониторинг, последние новости Казахстана .</p></div></div>
</div></div></div>
</div><!-- /.jeg_viewport -->
<div class="jeg_ad jeg_ad_fixed_bottom"><a href="https://example.invalid/1xbet" rel="nofollow sponsored">1xbet.kz Акция!!</a></div>
<div id="jeg_off_canvas" class="normal"><div class="jeg_mobile_wrapper"><div class="nav_wrap"><div class="item_main"><div class="jeg_aside_item"><ul class="jeg_mobile_menu">
<li><a href="{{origin:optimism}}/">Главная</a></li><li><a href="{{origin:optimism}}/category/zdorove/">Здоровье</a></li><li><a href="{{origin:optimism}}/category/politika/">Политика</a></li><li><a href="{{origin:optimism}}/category/ekonomika/">Экономика</a></li><li><a href="{{origin:optimism}}/category/analitika/">Аналитика</a></li><li><a href="{{origin:optimism}}/category/istorii-uspeha/">Истории успеха</a></li><li><a href="{{origin:optimism}}/category/taza-qazaqstan/">Таза Қазақстан</a></li><li><a href="{{origin:optimism}}/category/obshchestvo/">Общество</a></li><li><a href="{{origin:optimism}}/category/kultura/">Культура</a></li><li><a href="{{origin:optimism}}/category/sport/">Спорт</a></li><li><a href="{{origin:optimism}}/category/strahovanie/">Актуально о страховании</a></li><li><a href="{{origin:optimism}}/category/esg/">ESG</a></li><li><a href="{{origin:optimism}}/category/dobro/">Добро</a></li>
<li class="menu-item-has-children"><a href="{{origin:optimism}}/category/regiony/">Регионы &gt;&gt;</a><ul class="sub-menu">%s</ul></li>
</ul></div></div></div>
<div class="copyright">© 2024 Optimism.kz - мониторинг, последние новости Казахстана .</div></div></div>
<script type="text/javascript" src="{{origin:optimism}}/wp-content/themes/jnews/assets/dist/frontend.min.js" id="jnews-frontend-js"></script>
<script>(function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};})(window, document, "script", "https://mc.yandex.invalid/metrika/tag.js", "ym");</script>
""" % (latest["url"], esc(latest["title"]), dotted(latest["published"]),
           "".join('<li><a href="{{origin:optimism}}/category/regiony/%d/">%s</a></li>' % (i + 1, esc(r))
                   for i, r in enumerate(OPT_REGIONS)))


def opt_head(title, desc, url, og_type, extra=""):
    return """<!DOCTYPE html>
<html lang="ru-RU">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s - Optimism.kz - Истории успеха</title>
<meta name="description" content="%s">
<link rel="canonical" href="%s">
<meta property="og:locale" content="ru_RU">
<meta property="og:type" content="%s">
<meta property="og:title" content="%s">
<meta property="og:description" content="%s">
<meta property="og:url" content="%s">
<meta property="og:site_name" content="Optimism.kz - Истории успеха">
%s<link rel="alternate" type="application/rss+xml" title="Optimism.kz &raquo; Лента" href="{{origin:optimism}}/feed.rss">
<link rel="stylesheet" id="jnews-frontend-css" href="{{origin:optimism}}/wp-content/themes/jnews/assets/dist/frontend.min.css" type="text/css" media="all">
<style id="jeg_dynamic_css" type="text/css">.jeg_top_date{color:#fff}.jeg_post_title{font-size:32px}</style>
<script type="text/javascript">var jnews_ajax_url = "/?ajax-request=jnews";</script>
</head>
""" % (esc(title), esc(desc), url, og_type, esc(title), esc(desc), url, extra)


def opt_article_page(a, items, deleted_note=None):
    others = [o for o in items if o is not a][:6]
    related = "\n".join(
        '<div class="jeg_post jeg_pl_md_5"><h3 class="jeg_post_title"><a href="%s">%s</a></h3></div>'
        % (o["url"], esc(o["title"])) for o in others)
    recommended = "\n".join(
        '<article class="jeg_post jeg_pl_sm"><div class="jeg_postblock_content"><h3 class="jeg_post_title"><a href="%s">%s</a></h3>'
        '<div class="jeg_post_meta"><div class="jeg_meta_date"><i class="fa fa-clock-o"></i> %s</div></div></div></article>'
        % (o["url"], esc(o["title"]), dotted(o["published"])) for o in others[:4])
    recommended += "\n" + "\n".join(
        '<article class="jeg_post jeg_pl_sm"><div class="jeg_postblock_content"><h3 class="jeg_post_title"><a href="{{origin:optimism}}/2024/06/11/news-%d/">%s</a></h3>'
        '<div class="jeg_post_meta"><div class="jeg_meta_date"><i class="fa fa-clock-o"></i> %s</div></div></div></article>'
        % (i, esc(t), dotted(d)) for i, (t, d) in enumerate(OPT_SEED_HEADLINES))
    tags = "".join('<a href="{{origin:optimism}}/tag/%d/" rel="tag">%s</a>' % (i, esc(t))
                   for i, t in enumerate(a.get("tags", ["новости казахстана"])))
    extra = ('<meta property="article:published_time" content="%s">\n'
             '<meta property="article:section" content="%s">\n'
             '<meta name="author" content="%s">\n' % (a["published"], esc(a["category"]), esc(a["author"])))
    body = html_paras(a["paras"])
    return opt_head(a["title"], a["lead"], a["url"], "article", extra) + """<body class="post-template-default single single-post single-format-standard jeg_single_tpl_1 jnews jsc_normal">
""" + opt_header() + """<div class="jeg_main">
<div class="jeg_container"><div class="jeg_content jeg_singlepage"><div class="container">
<div class="jeg_ad jeg_article jnews_article_top_ads"><div class="ads-wrapper"></div></div>
<div class="row"><div class="jeg_main_content col-md-8"><div class="jeg_inner_content">
<div class="jeg_breadcrumbs jeg_breadcrumb_container"><div id="breadcrumbs"><span><a href="{{origin:optimism}}/">Главная</a></span><i class="fa fa-angle-right"></i><span class="breadcrumb_last_link"><a href="{{origin:optimism}}/category/obshchestvo/">%s</a></span></div></div>
<div class="entry-header">
<h1 class="jeg_post_title">%s</h1>
<div class="jeg_meta_container"><div class="jeg_post_meta jeg_post_meta_1"><div class="meta_left">
<div class="jeg_meta_author"><span class="meta_text">by</span> <a href="{{origin:optimism}}/author/%s/">%s</a></div>
<div class="jeg_meta_date"><a href="%s">%s</a></div>
<div class="jeg_meta_category"><span><span class="meta_text">in</span> <a href="{{origin:optimism}}/category/obshchestvo/" rel="category tag">%s</a></span></div>
</div></div></div>
</div>
<div class="jeg_featured featured_image"><div class="thumbnail-container"><img width="750" height="375" src="{{origin:optimism}}/wp-content/uploads/%s.jpg" alt=""></div></div>
<div class="jeg_share_top_container"><div class="jeg_share_button clearfix"><div class="jeg_sharelist">
<a href="https://example.invalid/share?fb" class="jeg_btn-facebook expanded"><span>Share</span></a><a href="https://example.invalid/share?vk" class="jeg_btn-vk"><span>Share</span></a><a href="https://example.invalid/share?tg" class="jeg_btn-telegram"><span>Send</span></a><a href="https://example.invalid/share?wa" class="jeg_btn-whatsapp"><span>Share</span></a><a href="https://example.invalid/share?tw" class="jeg_btn-twitter"><span>Tweet</span></a>
</div></div></div>
<div class="entry-content no-share">
<div class="content-inner ">
%s
</div>
<div class="jeg_post_tags"><span>Tags:</span> %s</div>
</div>
<div class="jeg_share_bottom_container"><div class="jeg_sharelist"><a href="https://example.invalid/share?fb">Share</a><a href="https://example.invalid/share?vk">Share</a><a href="https://example.invalid/share?tg">Send</a><a href="https://example.invalid/share?wa">Share</a><a href="https://example.invalid/share?tw">Tweet</a></div></div>
<div class="jnews_related_post_container"><div class="jeg_postblock_22 jeg_postblock jeg_module_hook"><div class="jeg_block_container"><div class="jeg_posts_wrap"><div class="jeg_posts jeg_load_more_flag">
%s
</div></div></div></div></div>
</div></div>
<div class="jeg_sidebar left jeg_sticky_sidebar col-md-4"><div class="jegStickyHolder"><div class="theiaStickySidebar">
<div class="widget widget_jnews_module_block_21"><div class="jeg_postblock_21 jeg_postblock"><div class="jeg_block_heading jeg_block_heading_6"><h3 class="jeg_block_title"><span>Рекомендуем</span></h3></div>
<div class="jeg_block_container"><div class="jeg_posts jeg_load_more_flag">
%s
</div></div>
<div class="jeg_block_navigation"><div class="navigation_overlay"></div><div class="jeg_block_loadmore"><a href="#" class="" data-load="Загрузить еще" data-loading="Загрузка...">Загрузить еще</a></div></div>
</div></div>
</div></div></div>
</div>
</div></div></div></div>
""" % (esc(a["category"]), esc(a["title"]), a["author_slug"], esc(a["author"]), a["url"],
       dotted(a["published"]), esc(a["category"]), a["slug"], body, tags, related, recommended) \
        + opt_footer(items) + "</body>\n</html>\n"


def opt_home(items):
    posts = "\n".join("""<article class="jeg_post jeg_pl_lg_2 format-standard">
<div class="jeg_thumb"><a href="%s"><img src="{{origin:optimism}}/wp-content/uploads/%s-350x250.jpg" alt="%s"></a></div>
<div class="jeg_postblock_content"><div class="jeg_post_category"><span><a href="{{origin:optimism}}/category/obshchestvo/">%s</a></span></div>
<h3 class="jeg_post_title"><a href="%s">%s</a></h3>
<div class="jeg_post_meta"><div class="jeg_meta_author"><span class="by">by</span> <a href="{{origin:optimism}}/author/%s/">%s</a></div><div class="jeg_meta_date"><a href="%s"><i class="fa fa-clock-o"></i> %s</a></div></div>
<div class="jeg_post_excerpt"><p>%s</p><a href="%s" class="jeg_readmore">Читать далее</a></div></div>
</article>""" % (a["url"], a["slug"], esc(a["title"]), esc(a["category"]), a["url"], esc(a["title"]),
                  a["author_slug"], esc(a["author"]), a["url"], dotted(a["published"]), esc(a["lead"]), a["url"])
        for a in sorted(items, key=lambda x: x["published"], reverse=True))
    return opt_head("Новости Казахстана", "Optimism.kz — мониторинг, последние новости Казахстана: политика, экономика, общество, регионы.",
                    "{{origin:optimism}}/", "website") + """<body class="home blog jnews jsc_normal">
""" + opt_header() + """<div class="jeg_main"><div class="jeg_container"><div class="jeg_content"><div class="container">
<div class="jeg_block_heading"><h2 class="jeg_block_title"><span>Последние новости</span></h2></div>
<div class="jeg_postblock_3 jeg_postblock"><div class="jeg_posts jeg_load_more_flag">
""" + posts + """
</div><div class="jeg_block_navigation"><div class="jeg_block_loadmore"><a href="#">Загрузить еще</a></div></div></div>
</div></div></div></div>
""" + opt_footer(items) + "</body>\n</html>\n"


def opt_feed(items):
    entries = "\n".join("""	<item>
		<title>%s</title>
		<link>%s</link>
		<dc:creator><![CDATA[%s]]></dc:creator>
		<pubDate>%s</pubDate>
		<category><![CDATA[%s]]></category>
		<guid isPermaLink="false">{{origin:optimism}}/?p=%d</guid>
		<description><![CDATA[%s]]></description>
	</item>""" % (esc(a["title"]), a["url"], a["author"], rfc822(a["published"]), a["category"],
                   a["post_id"], a["lead"])
        for a in sorted(items, key=lambda x: x["published"], reverse=True))
    last = max(a["published"] for a in items)
    return """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
	<title>Optimism.kz - Истории успеха</title>
	<atom:link href="{{origin:optimism}}/feed.rss" rel="self" type="application/rss+xml" />
	<link>{{origin:optimism}}/</link>
	<description>Новости Казахстана</description>
	<lastBuildDate>%s</lastBuildDate>
	<language>ru-RU</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.4.3</generator>
%s
</channel>
</rss>
""" % (rfc822(last), entries)


GONE_PAGE = """<!DOCTYPE html>
<html lang="ru-RU"><head><meta charset="UTF-8"><title>Страница не найдена - Optimism.kz</title></head>
<body class="error404"><div class="jeg_main"><h1>Запись удалена</h1>
<p>Запрошенная страница больше недоступна. <a href="{{origin:optimism}}/">На главную</a></p></div></body></html>
"""


def build_optimism():
    slugs = {
        "seed004": ("2024/04/18", "konsultativno-soveshhatelnyj-organ-dialogovaya-ploshhadka", "anatolij-pak"),
        "optimism-pavlodar.txt": ("2024/05/14", "v-pavlodare-zaderzhali-zhurnalista", "aliya-kim"),
        "optimism-uralsk.txt": ("2024/06/03", "obshhestvennyj-fond-v-uralske-oshtrafovali", "marat-sagintaev"),
        "optimism-shymkent.txt": ("2024/06/10", "v-shymkente-aktivista-arestovali", "aliya-kim"),
        "optimism-almaty-road.txt": ("2024/06/12", "v-almaty-perekroyut-tole-bi", "redakciya"),
    }
    items = []
    for i, (key, (day, slug, author_slug)) in enumerate(slugs.items()):
        a = seed_004() if key == "seed004" else load_text(key)
        a.update(key=key, slug=slug, author_slug=author_slug, post_id=118000 + 37 * i,
                 path="%s/%s/" % (day, slug),
                 url="{{origin:optimism}}/%s/%s/" % (day, slug))
        items.append(a)
    for a in items:
        write("optimism/%sindex.html" % a["path"], opt_article_page(a, items))
    write("optimism/index.html", opt_home(items))
    write("optimism/feed.rss", opt_feed(items))
    write("optimism/robots.txt", "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n")

    # Phase 2: the Uralsk article gets an update paragraph (version 2); the
    # Shymkent article is taken down (410) and leaves the feed and the home page.
    uralsk = next(a for a in items if a["key"] == "optimism-uralsk.txt")
    edited = dict(uralsk)
    edited.update({k: v for k, v in load_text("optimism-uralsk.phase2.txt").items()})
    items2 = [edited if a is uralsk else a for a in items if a["key"] != "optimism-shymkent.txt"]
    # Only the paragraph changes: the page chrome (related links, footer) is
    # rendered from the phase-1 list, so version 2 differs from version 1 in
    # the text alone.
    write("optimism/.phase2/%sindex.html" % uralsk["path"],
          opt_article_page(edited, [edited if a is uralsk else a for a in items]))
    gone = next(a for a in items if a["key"] == "optimism-shymkent.txt")
    write("optimism/.phase2/%sindex.html" % gone["path"], GONE_PAGE)
    write("optimism/.phase2/%sindex.html.status" % gone["path"], "410\n")
    write("optimism/.phase2/feed.rss", opt_feed(items2))
    write("optimism/.phase2/index.html", opt_home(items2))
    # The other article pages list the deleted one in their related blocks in
    # phase 1; they stay byte-identical in phase 2 on purpose ("everything
    # else identical"), as caches of a real portal would.
    return items


# -------------------------------------------------------------------- civic

def civic_page(a, items, charset_decl):
    """charset_decl: "utf-8" (meta), "meta-1251" (<meta charset> only) or
    "header-1251" (no declaration in the page; the HTTP header says it)."""
    if charset_decl == "utf-8":
        meta = '<meta charset="utf-8">\n'
    elif charset_decl == "meta-1251":
        meta = '<meta charset="windows-1251">\n'
    else:
        meta = ""
    side = "\n".join('<li><a href="%s">%s</a> <span class="date">%s</span></li>'
                     % (o["url"], esc(o["title"]), ru_date(o["published"]))
                     for o in items if o is not a)
    body = []
    if a.get("bullets"):
        body.append("<ul class=\"key-points\">\n%s\n</ul>" % "\n".join("<li>%s</li>" % esc(b) for b in a["bullets"]))
    for p in a["paras"]:
        if a.get("interview") and p.endswith("?"):
            body.append('<p class="question"><strong>%s</strong></p>' % esc(p))
        else:
            body.append("<p>%s</p>" % rich(p))
    kicker = '<p class="kicker">ПРЕСС-РЕЛИЗ</p>\n' if a.get("bullets") else ""
    return """<!DOCTYPE html>
<html lang="ru">
<head>
%s<title>%s | Центр мониторинга Civic</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="%s">
<meta property="og:type" content="article">
<meta property="og:title" content="%s">
<meta property="og:site_name" content="Центр мониторинга Civic">
<meta property="article:published_time" content="%s">
<link rel="canonical" href="%s">
<link rel="alternate" type="application/atom+xml" title="Civic: новости" href="{{origin:civic}}/feed.atom">
<link rel="stylesheet" href="{{origin:civic}}/static/site.css">
</head>
<body class="page-article">
<header class="site-header">
<div class="brand"><a href="{{origin:civic}}/" class="logo">Центр мониторинга Civic</a>
<span class="tagline">Права человека и гражданское пространство в Казахстане</span></div>
<nav class="main-nav" aria-label="Разделы"><ul>
<li><a href="{{origin:civic}}/">Главная</a></li>
<li><a href="{{origin:civic}}/#news">Новости</a></li>
<li><a href="{{origin:civic}}/#interviews">Интервью</a></li>
<li><a href="{{origin:civic}}/#reports">Доклады</a></li>
<li><a href="{{origin:civic}}/#about">О нас</a></li>
<li><a href="{{origin:civic}}/#donate">Поддержать</a></li>
</ul></nav>
<div class="lang-switch"><a href="{{origin:civic}}/#kk">Қаз</a> <a href="{{origin:civic}}/" class="active">Рус</a> <a href="{{origin:civic}}/#en">Eng</a></div>
</header>
<main class="layout">
<article class="post">
%s<h1 class="post-title">%s</h1>
<div class="post-meta"><time datetime="%s">%s</time> · <span class="byline">%s</span></div>
<div class="post-body">
%s
</div>
<div class="post-share">Поделиться: <a href="https://example.invalid/share?fb">Facebook</a> <a href="https://example.invalid/share?tg">Telegram</a> <a href="https://example.invalid/share?wa">WhatsApp</a></div>
</article>
<aside class="sidebar">
<section class="widget"><h3>Последние материалы</h3><ul>
%s
</ul></section>
<section class="widget"><h3>Подпишитесь на рассылку</h3>
<form action="{{origin:civic}}/#subscribe" method="get"><input type="email" name="email" placeholder="Ваш e-mail"><button type="submit">Подписаться</button></form>
<p>Еженедельный обзор случаев давления на правозащитников, журналистов и активистов.</p></section>
</aside>
</main>
<footer class="site-footer">
<p>© 2024 Центр мониторинга Civic. Алматы, ул. Жибек Жолы, 50, офис 312. Телефон: +7 (727) 000-00-00.</p>
<p>Материалы сайта распространяются по лицензии CC BY 4.0 с указанием источника.</p>
</footer>
</body>
</html>
""" % (meta, esc(a["title"]), esc(a["lead"]), esc(a["title"]), a["published"], a["url"],
       kicker, esc(a["title"]), a["published"], ru_date(a["published"]), esc(a["author"]),
       "\n".join(body), side)


def civic_home(items):
    lis = "\n".join('<li class="entry"><a href="%s">%s</a><p>%s</p><time datetime="%s">%s</time></li>'
                    % (a["url"], esc(a["title"]), esc(a["lead"]), a["published"], ru_date(a["published"]))
                    for a in sorted(items, key=lambda x: x["published"], reverse=True))
    return """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Центр мониторинга Civic</title>
<meta property="og:type" content="website">
<link rel="alternate" type="application/atom+xml" title="Civic: новости" href="{{origin:civic}}/feed.atom">
</head><body class="page-home">
<header class="site-header"><a href="{{origin:civic}}/" class="logo">Центр мониторинга Civic</a></header>
<main><h1>Новости и материалы</h1><ul class="entries" id="news">
%s
</ul></main>
<footer class="site-footer"><p>© 2024 Центр мониторинга Civic. Алматы.</p></footer>
</body></html>
""" % lis


def civic_feed(items):
    entries = "\n".join("""  <entry>
    <title>%s</title>
    <link rel="alternate" type="text/html" href="%s"/>
    <id>%s</id>
    <published>%s</published>
    <updated>%s</updated>
    <author><name>%s</name></author>
    <summary type="text">%s</summary>
  </entry>""" % (esc(a["title"]), a["url"], a["url"], a["published"], a["published"], esc(a["author"]), esc(a["lead"]))
        for a in sorted(items, key=lambda x: x["published"], reverse=True))
    return """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ru">
  <title>Центр мониторинга Civic: новости</title>
  <subtitle>Права человека и гражданское пространство в Казахстане</subtitle>
  <link rel="self" type="application/atom+xml" href="{{origin:civic}}/feed.atom"/>
  <link rel="alternate" type="text/html" href="{{origin:civic}}/"/>
  <id>{{origin:civic}}/</id>
  <updated>%s</updated>
%s
</feed>
""" % (max(a["published"] for a in items), entries)


def build_civic():
    items = []
    a = seed_002()
    a.update(path="news/2022/06/civicus-kazakhstan-repressed.html", decl="utf-8")
    items.append(a)
    a = seed_000()
    a.update(path="interviews/2021/pravozashhitniki-ne-zashhishheny.html", decl="utf-8", interview=True)
    items.append(a)
    a = load_text("civic-karaganda.txt")
    a.update(path="news/2024/03/karaganda-obshhestvennyj-sovet.html", decl="header-1251")
    items.append(a)
    a = load_text("civic-kostanay.txt")
    a.update(path="news/2024/04/kostanaj-dopros-zhurnalista.html", decl="meta-1251")
    items.append(a)
    for a in items:
        a["url"] = "{{origin:civic}}/" + a["path"]
    for a in items:
        page = civic_page(a, items, a["decl"])
        if a["decl"] == "utf-8":
            write("civic/" + a["path"], page)
        else:
            # Characters windows-1251 lacks (Kazakh letters in the menu)
            # become numeric references, as such sites do.
            write("civic/" + a["path"], page, encoding="cp1251")
            ctype = "text/html; charset=windows-1251" if a["decl"] == "header-1251" else "text/html"
            write("civic/" + a["path"] + ".headers", "Content-Type: %s\n" % ctype)
    write("civic/index.html", civic_home(items))
    write("civic/feed.atom", civic_feed(items))
    return items


# -------------------------------------------------------------------- pulse

def pulse_page(title, inner, og_type, url, extra_meta=""):
    return """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>%s — Пульс</title>
<meta property="og:type" content="%s">
<meta property="og:title" content="%s">
<meta property="og:site_name" content="Пульс">
<link rel="canonical" href="%s">
%s<link href="{{origin:pulse}}/bitrix/templates/pulse/styles.css" type="text/css" rel="stylesheet">
</head>
<body>
<div class="wrapper">
<div class="top-line"><div class="top-line__inner">
<span class="currency">USD 447,50 · EUR 481,20 · RUB 4,95</span>
<span class="weather">Алматы +24° · Астана +19°</span>
<a href="{{origin:pulse}}/admin/" class="top-line__login">Вход для редакции</a>
</div></div>
<div class="header"><a class="logo" href="{{origin:pulse}}/">Пульс<span>независимое обозрение</span></a>
<div class="menu"><ul>
<li><a href="{{origin:pulse}}/">Главная</a></li>
<li><a href="{{origin:pulse}}/rubric/pravo/">Право</a></li>
<li><a href="{{origin:optimism}}/partner/pulse/">Партнеры</a></li>
</ul></div></div>
<div class="content">
%s
</div>
<div class="footer"><div class="footer__inner">
<p>Сетевое издание «Пульс». Свидетельство о постановке на учет № 00000-ИА. Перепечатка материалов — с активной ссылкой.</p>
<p>Главный редактор — О. Никитина. E-mail: info@pulse.example</p>
<p>© 2019–2024 Пульс</p>
</div></div>
</div>
</body>
</html>
""" % (esc(title), og_type, esc(title), url, extra_meta, inner)


def pulse_article(a, items):
    more = "\n".join('<li><a href="%s">%s</a></li>' % (o["url"], esc(o["title"])) for o in items if o is not a)
    body = []
    for p in a["paras"]:
        if re.match(r"^\d\.", p):
            body.append("<p class=\"list-item\">%s</p>" % esc(p))
        else:
            body.append("<p>%s</p>" % esc(p))
    if a.get("signature"):
        body.append('<p class="signature"><em>%s</em></p>' % esc(a["signature"]))
    inner = """<div class="breadcrumbs"><a href="{{origin:pulse}}/">Главная</a> / <a href="{{origin:pulse}}/rubric/pravo/">Право</a></div>
<div class="news-detail">
<h1>%s</h1>
<div class="news-date-time">%s</div>
<div class="news-author">Автор: %s</div>
<div class="news-detail__text">
%s
</div>
</div>
<div class="banner banner--inline"><a href="https://example.invalid/ad" rel="nofollow">Реклама: кредиты под 0%%</a></div>
<div class="news-more"><h3>Читайте также</h3><ul>
%s
</ul></div>""" % (esc(a["title"]), dotted(a["published"]), esc(a["author"]), "\n".join(body), more)
    meta = '<meta property="article:published_time" content="%s">\n<meta name="author" content="%s">\n' % (
        a["published"], esc(a["author"]))
    return pulse_page(a["title"], inner, "article", a["url"], meta)


def build_pulse():
    opinion = seed_003()
    opinion["path"] = "articles/2025/05/dialog-vmesto-grantovoj-ritoriki.html"
    oskemen = load_text("pulse-oskemen.txt")
    oskemen["path"] = "articles/2024/05/ust-kamenogorsk-akimat.html"
    taraz = load_text("pulse-taraz.txt")
    taraz["path"] = "articles/2024/05/taraz-advokat.html"
    items = [opinion, oskemen, taraz]
    for a in items:
        a["url"] = "{{origin:pulse}}/" + a["path"]
    for a in items:
        write("pulse/" + a["path"], pulse_article(a, items))
    # Home links the opinion piece and Oskemen directly; Taraz only through
    # the rubric page (two hops), plus /admin/ (robots.txt) and a partner
    # link to another host (out of scope).
    home = """<h2 class="section-title">Главное</h2>
<div class="news-list">
<div class="news-item"><a href="%s"><b>%s</b></a><p>%s</p></div>
<div class="news-item"><a href="%s"><b>%s</b></a><p>%s</p></div>
</div>
<p><a href="{{origin:pulse}}/rubric/pravo/">Все материалы рубрики «Право»</a></p>""" % (
        opinion["url"], esc(opinion["title"]), esc(opinion["lead"]),
        oskemen["url"], esc(oskemen["title"]), esc(oskemen["lead"]))
    write("pulse/index.html", pulse_page("Главная", home, "website", "{{origin:pulse}}/"))
    rubric = """<h1>Право</h1>
<div class="news-list">
<div class="news-item"><a href="%s">%s</a><span class="date">%s</span></div>
</div>""" % (taraz["url"], esc(taraz["title"]), dotted(taraz["published"]))
    write("pulse/rubric/pravo/index.html", pulse_page("Право", rubric, "website", "{{origin:pulse}}/rubric/pravo/"))
    write("pulse/robots.txt", "User-agent: *\nDisallow: /admin/\n")
    write("pulse/admin/index.html", "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Вход</title></head>"
          "<body><form method=\"post\"><input name=\"login\"><input name=\"password\" type=\"password\"></form>"
          "<p>If you see this in a crawl log, robots.txt was not obeyed.</p></body></html>\n")
    return items


# ------------------------------------------------------------------ channel

CHANNEL = "kzdefenders"


def load_posts():
    posts, cur = [], None
    for line in read(os.path.join(TEXTS, "channel-posts.txt")).splitlines():
        if line.startswith("#") and cur is None:
            continue
        if line.startswith("post:"):
            cur = {"id": line.split(":", 1)[1].strip(), "lines": []}
            posts.append(cur)
        elif line.startswith("date:") and cur is not None and "date" not in cur:
            cur["date"] = line.split(":", 1)[1].strip()
        elif line.startswith("album:") and cur is not None and "album" not in cur:
            cur["album"] = line.split(":", 1)[1].split()
        elif line.startswith("service:") and cur is not None and "service" not in cur:
            cur["service"] = True
        elif cur is not None and line.strip():
            cur["lines"].append(line.strip())
    return posts


def post_html(p):
    def line_html(l):
        return re.sub(r"(#\w+)", lambda m: '<a href="?q=%s">%s</a>' % (m.group(1).replace("#", "%23"), m.group(1)), esc(l))
    text = "<br/>".join(line_html(l) for l in p["lines"])
    d = dt(p["date"])
    if p.get("service"):
        return """<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message service_message js-widget_message" data-post="%s/%s">
<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_service_text">%s</div>
<div class="tgme_widget_message_footer"><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="{{origin:channel}}/%s/%s"><time datetime="%s" class="time">%02d:%02d</time></a></span></div>
</div></div></div>""" % (CHANNEL, p["id"], text, CHANNEL, p["id"], p["date"], d.hour, d.minute)
    album = ""
    if p.get("album"):
        album = ('<div class="tgme_widget_message_grouped_wrap js-message_grouped_wrap"><div class="tgme_widget_message_grouped js-message_grouped">'
                 + "".join('<a class="tgme_widget_message_photo_wrap grouped_media_wrap blured js-message_photo" href="{{origin:channel}}/%s/%s?single" style="width:200px;background-image:url(\'{{origin:channel}}/img/%s.jpg\')"></a>' % (CHANNEL, m, m) for m in p["album"])
                 + "</div></div>\n")
    meta = ("edited " if p.get("edited") else "")
    return """<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="%s/%s" data-view="eyJjIjotMTAwMDAwMDAwMCwicCI6MX0">
<div class="tgme_widget_message_user"><a href="{{origin:channel}}/%s"><i class="tgme_widget_message_user_photo bgcolor0" data-content="П"></i></a></div>
<div class="tgme_widget_message_bubble"><i class="tgme_widget_message_bubble_tail"></i>
<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="{{origin:channel}}/%s"><span dir="auto">Правозащита Казахстана</span></a></div>
%s<div class="tgme_widget_message_text js-message_text" dir="auto">%s</div>
<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
<span class="tgme_widget_message_views">%s</span><span class="copyonclick"><span class="tgme_widget_message_meta">%s<a class="tgme_widget_message_date" href="{{origin:channel}}/%s/%s"><time datetime="%s" class="time">%02d:%02d</time></a></span></span>
</div></div>
</div></div></div>""" % (CHANNEL, p["id"], CHANNEL, CHANNEL, album, text, p.get("views", "1.%dK" % (int(p["id"]) % 10)), meta,
                         CHANNEL, p["id"], p["date"], d.hour, d.minute)


def channel_page(posts, before=None):
    more = ""
    if before:
        more = ('<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="{{origin:channel}}/s/%s?before=%s"'
                ' class="tme_messages_more js-messages_more" data-before="%s"></a></div>\n' % (CHANNEL, before, before))
    return """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Правозащита Казахстана – Telegram</title>
<meta name="viewport" content="width=device-width, initial-scale=1.0, minimum-scale=1.0, maximum-scale=1.0, user-scalable=no">
<meta property="og:title" content="Правозащита Казахстана">
<meta property="og:image" content="{{origin:channel}}/img/kzdefenders.jpg">
<meta property="og:site_name" content="Telegram">
<meta property="og:description" content="Новости о преследовании правозащитников, журналистов и гражданских активистов в Казахстане.">
<meta property="twitter:card" content="summary">
<link href="{{origin:channel}}/css/widget-frame.css" rel="stylesheet">
</head>
<body class="widget_frame_base tgme_webview emoji_image">
<header class="tgme_header search_collapsed"><div class="tgme_header_search"><form class="tgme_header_search_form" action="" method="get"><input class="tgme_header_search_form_input js-header_search" name="q" placeholder="Search"></form></div>
<div class="tgme_header_info"><a class="tgme_header_link" href="{{origin:channel}}/%s"><div class="tgme_header_title"><span dir="auto">Правозащита Казахстана</span></div><div class="tgme_header_counter">4 812 subscribers</div></a></div></header>
<main class="tgme_main"><div class="tgme_container"><section class="tgme_channel_history js-message_history">
%s%s
</section></div></main>
<aside class="tgme_channel_info"><div class="tgme_channel_info_header"><div class="tgme_channel_info_header_title"><span dir="auto">Правозащита Казахстана</span></div><div class="tgme_channel_info_header_username"><a href="{{origin:channel}}/%s">@%s</a></div></div>
<div class="tgme_channel_info_description">Новости о преследовании правозащитников, журналистов и гражданских активистов в Казахстане.</div>
<div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">4.8K</span> <span class="counter_type">subscribers</span></div></div></aside>
<script src="{{origin:channel}}/js/widget-frame.js"></script>
</body>
</html>
""" % (CHANNEL, more, "\n".join(post_html(p) for p in posts), CHANNEL, CHANNEL)


def embed_not_found(pid):
    """The single-post embed page (NAME/ID?embed=1) of a deleted post."""
    return """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Telegram Widget</title>
</head>
<body class="widget_frame_base emoji_image">
<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="%s/%s">
<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_error">Post not found</div></div>
</div></div>
</body>
</html>
""" % (CHANNEL, pid)


def build_channel():
    posts = load_posts()
    by_id = {p["id"]: p for p in posts}
    hdr = "Content-Type: text/html; charset=utf-8\n"

    def page(path, ids, before):
        write(path, channel_page([by_id[i] for i in ids], before))
        write(path + ".headers", hdr)

    # Newest first as the crawler reads it: the start page, then older
    # pages ?before=N, N the smallest id of the page before (history = 11).
    page("channel/s/%s" % CHANNEL, ["101", "102", "103", "104", "105"], "101")
    page("channel/s/%s@before=101" % CHANNEL, ["95", "98", "99", "100"], "95")
    page("channel/s/%s@before=95" % CHANNEL, ["90", "91", "93", "94"], "90")
    # Never read (history ends before it): a crawl that reads too far
    # would find a material the tests do not expect.
    page("channel/s/%s@before=90" % CHANNEL, ["91"], None)
    # Phase 2: post 103 (the blocked site) and post 93 (in the history) are
    # deleted, their embed pages say "Post not found"; post 98 is edited
    # (Telegram marks it "edited"); 96 leaves the album of 95.
    page("channel/.phase2/s/%s" % CHANNEL, ["101", "102", "104", "105"], "101")
    by_id["98"] = dict(by_id["98"], edited=True, views="2.3K", lines=by_id["98"]["lines"][:1] + [
        "Обновление: после жалобы в областную прокуратуру защите предоставили доступ к делу."] + by_id["98"]["lines"][1:])
    by_id["95"] = dict(by_id["95"], album=["95", "97"])
    page("channel/.phase2/s/%s@before=101" % CHANNEL, ["95", "98", "99", "100"], "95")
    page("channel/.phase2/s/%s@before=95" % CHANNEL, ["90", "91", "94"], "90")
    for pid in ("103", "93"):
        write("channel/.phase2/%s/%s@embed=1" % (CHANNEL, pid), embed_not_found(pid))
        write("channel/.phase2/%s/%s@embed=1.headers" % (CHANNEL, pid), hdr)
    return posts


def main():
    for site in SITES:
        shutil.rmtree(os.path.join(HERE, site), ignore_errors=True)
    build_optimism()
    build_civic()
    build_pulse()
    build_channel()


if __name__ == "__main__":
    main()
