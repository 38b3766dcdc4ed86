#!/usr/bin/env python3
"""Writes the held-out-style dev set (bench/devset/heldout/): pages written
by hand for this purpose, in the languages and layouts vigil meets, with
the article's paragraphs as truth. They were written before measuring and
are not fixtures of any test, so they stand in for pages the rules were
not tuned on. Layout of the output: the evaluator's (--data-root)."""
import gzip
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heldout", "bench-data",
                   "article-extraction")
pages = {}


def add(key, lang, html, paragraphs):
    pages[key] = (lang, html, "\n\n".join(paragraphs))


def ps(paragraphs, tag="p", cls=None):
    attr = f' class="{cls}"' if cls else ""
    return "\n".join(f"<{tag}{attr}>{p}</{tag}>" for p in paragraphs)


MENU_RU = ('<ul class="menu"><li><a href="/">Главная</a></li><li><a href="/news">Новости</a></li>'
           '<li><a href="/politics">Политика</a></li><li><a href="/society">Общество</a></li>'
           '<li><a href="/regions">Регионы</a></li><li><a href="/contacts">Контакты</a></li></ul>')
MENU_EN = ('<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> '
           '<a href="/sport">Sport</a> <a href="/culture">Culture</a></nav>')

# 1. Russian news site, div layout, region list in a sidebar without telling class names
p = ["Жители Семея пожаловались на отсутствие горячей воды в трёх микрорайонах города, где её отключили ещё в начале месяца.",
     "В городском отделе жилищно-коммунального хозяйства объяснили, что на магистральной трубе идёт плановый ремонт, который затянулся из-за поставки деталей.",
     "По словам чиновников, воду должны вернуть до конца следующей недели. Жители сомневаются: в прошлом году такой же ремонт занял больше месяца.",
     "Правозащитники предложили горожанам фиксировать сроки отключения и обращаться с жалобами в прокуратуру, если обещанные сроки снова сорвут."]
add("ru_div_regions", "ru", f"""<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>В Семее нет горячей воды - Вестник Прииртышья</title></head><body>
<div class="hdr">{MENU_RU}</div>
<div class="wrap"><div class="l">
<h1>В Семее нет горячей воды</h1><div class="dt">12.03.2024, 09:41</div>
{ps(p)}
<div class="lnk"><b>Читайте также:</b><ul><li><a href="/n/1">В Усть-Каменогорске подорожал проезд</a></li><li><a href="/n/2">Тарифы на тепло пересмотрят</a></li></ul></div>
</div>
<div class="r"><div class="blk"><div class="t">Новости регионов</div>
<a href="/r/1">Абай</a>, <a href="/r/2">Акмола</a>, <a href="/r/3">Актобе</a>, <a href="/r/4">Алматы</a>, <a href="/r/5">Атырау</a>, <a href="/r/6">ВКО</a>, <a href="/r/7">Жамбыл</a>, <a href="/r/8">Жетісу</a>, <a href="/r/9">ЗКО</a>, <a href="/r/10">Караганда</a>, <a href="/r/11">Костанай</a>, <a href="/r/12">Кызылорда</a>, <a href="/r/13">Мангистау</a>, <a href="/r/14">Павлодар</a>, <a href="/r/15">СКО</a>, <a href="/r/16">Туркестан</a>, <a href="/r/17">Улытау</a></div>
<div class="blk"><div class="t">Погода в Семее</div><p>Сегодня −8°, ночью −15°, ветер юго-западный, 4 м/с, давление 745 мм.</p></div></div>
</div><div class="ftr">© Вестник Прииртышья, 2024. При перепечатке ссылка обязательна.</div></body></html>""", p)

# 2. Kazakh (Cyrillic) article with a "Сондай-ақ оқыңыз" block and a photo credit
p = ["Қарағанды облысында көктемгі су тасқынына дайындық жұмыстары басталды. Облыс әкімдігінің мәліметінше, қауіпті аймақтарда жүзден астам құтқарушы кезекшілікке тұрады.",
     "Өзен жағалауындағы ауылдарда тұрғындарға арнайы жиналыстар өткізіліп, қажет болған жағдайда қайда көшу керегі түсіндірілді.",
     "Төтенше жағдайлар департаменті биыл қардың қалыңдығы өткен жылдан екі есе көп екенін ескертті. Сондықтан гидротехникалық құрылыстар күн сайын тексеріледі.",
     "Тұрғындар су басу қаупі туралы 112 нөмірі арқылы хабарлай алады."]
add("kk_flood", "kk", f"""<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>Қарағанды облысы су тасқынына дайындалып жатыр</title></head><body>
<header><a href="/">Басты бет</a> <a href="/kz">Жаңалықтар</a> <a href="/ru">Орысша</a></header>
<main><article><h1>Қарағанды облысы су тасқынына дайындалып жатыр</h1>
<figure><img src="/f.jpg"><figcaption>Сурет: облыс әкімдігінің баспасөз қызметі</figcaption></figure>
<div class="content">{ps(p[:2])}
<div class="also"><h4>Сондай-ақ оқыңыз:</h4><a href="/a">Алматыда жол жөндеу басталды</a><br><a href="/b">Астанада жаңа мектеп ашылды</a></div>
{ps(p[2:])}
<p>Сурет: Ерлан Омаров</p></div></article>
<aside><h3>Көп оқылған</h3><ol><li><a href="/1">Президент жаңа заңға қол қойды</a></li><li><a href="/2">Теңге нығайды</a></li></ol></aside></main>
<footer>© 2024 Барлық құқықтар қорғалған</footer></body></html>""", p)

# 3. Kazakh in the Latin alphabet, table layout
p = ["Pavlodar oblysynda jurnalisterge arnalğan seminar ötti. Oğan oblystyñ barlyq audandarynan otyzdan astam tılşı qatysty.",
     "Seminarda zañger mamandar aqparat alu qūqyğy men resmi jauap beru merzımderı turaly aitty.",
     "Qatysuşylar memlekettık organdardan jauap alu kezınde kezdesetın qiyndyqtar jaiynda öz tajırbiesımen bölıstı."]
add("kk_latn_table", "kk", f"""<html><head><meta charset="utf-8"><title>Pavlodarda jurnalisterge seminar ötti</title></head>
<body><table width="100%"><tr><td colspan="2"><b>Erkin Söz</b> | <a href="/">Basty bet</a> | <a href="/j">Jañalyqtar</a></td></tr>
<tr><td width="200" valign="top"><table><tr><td><b>Aua raiy</b></td></tr><tr><td>Pavlodar: −5°, Ekibastūz: −7°, Aqsu: −6°</td></tr></table>
<table><tr><td><a href="/o/1">Abai oblysy</a><br><a href="/o/2">Aqmola oblysy</a><br><a href="/o/3">Aqtöbe oblysy</a><br><a href="/o/4">Almaty oblysy</a><br><a href="/o/5">Atyrau oblysy</a><br><a href="/o/6">Pavlodar oblysy</a></td></tr></table></td>
<td valign="top"><h2>Pavlodarda jurnalisterge seminar ötti</h2>
{'<br><br>'.join(p)}
</td></tr><tr><td colspan="2"><small>© 2023 Erkin Söz</small></td></tr></table></body></html>""", p)

# 4. Ukrainian article with a newsletter box and tags
p = ["У Львові відкрили новий центр безоплатної правової допомоги для переселенців. Там консультуватимуть щодо житла, документів і соціальних виплат.",
     "Центр працюватиме щодня, крім неділі, а записатися на прийом можна телефоном або через сайт міської ради.",
     "За словами організаторів, за перший тиждень роботи по допомогу звернулися понад двісті людей, більшість із них питали про оренду житла."]
add("uk_newsletter", "uk", f"""<!DOCTYPE html><html lang="uk"><head><meta charset="utf-8"><title>У Львові відкрили центр правової допомоги</title></head>
<body><div id="top"><a href="/">Головна</a> <a href="/news">Новини</a></div>
<div class="container"><div class="col8"><h1>У Львові відкрили центр правової допомоги</h1>
<div class="txt">{ps(p)}</div>
<div class="tags"><a href="/t/1">Львів</a> <a href="/t/2">переселенці</a></div></div>
<div class="col4"><div class="x1"><h3>Наша розсилка</h3><p>Щоранку надсилаємо головні новини, аналітику, інтерв'ю, репортажі, фото і відео, а також анонси подій міста, безкоштовно, без реклами, з можливістю відписатися будь-коли.</p><input type="email" placeholder="Ваш e-mail"><button>Підписатися</button></div></div></div>
</body></html>""", p)

# 5. English blog post with comments and a related posts list
p = ["I have kept bees for eleven years, and this spring was the first time every hive came through the winter alive.",
     "The change, I think, was the insulation. Last autumn I wrapped each hive in a layer of roofing felt and put a board of foam under the roof.",
     "Neighbours who did the same report the same thing, though a few of them lost colonies to mites, which no wrapping will stop.",
     "Next year I will try a screened floor as well, and write about the result here."]
add("en_blog_comments", "en", f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A winter without losses | Hive Notes</title></head>
<body>{MENU_EN}<div class="site-content"><div class="post-7 post type-post">
<h1 class="entry-title">A winter without losses</h1><p class="meta">Posted on April 3, 2024 by Mark</p>
<div class="entry-content">{ps(p)}</div>
<div class="jp-relatedposts"><h3>Related</h3><div><a href="/x">Feeding in February</a></div><div><a href="/y">Mites and what to do</a></div></div>
</div><div id="comments"><h2>3 comments</h2><div class="comment"><p>Great post, thanks! I will try the felt, it sounds like a cheap fix for our cold winters.</p></div>
<div class="comment"><p>We lost two hives to mites last year, even with the foam, so I agree with you completely on that point.</p></div></div></div>
<footer>Powered by a blog engine</footer></body></html>""", p)

# 6. German article with image credits and an info box
p = ["Die Stadt Freiburg will bis 2030 alle Straßenlaternen auf LED umstellen. Der Gemeinderat hat dem Plan am Dienstag mit großer Mehrheit zugestimmt.",
     "Nach Angaben der Verwaltung sinkt der Stromverbrauch der Beleuchtung dadurch um fast zwei Drittel. Die Kosten von rund zwölf Millionen Euro sollen sich in zehn Jahren amortisieren.",
     "Umweltverbände begrüßen den Beschluss, fordern aber, die Lampen nachts stärker zu dimmen, um Insekten zu schützen.",
     "Die ersten Straßen im Stadtteil Wiehre sollen schon im Herbst umgerüstet werden."]
add("de_credits", "de", f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Freiburg stellt auf LED um</title></head>
<body><div class="navi"><a href="/">Startseite</a> <a href="/lokal">Lokales</a></div>
<div class="artikel"><h1>Freiburg stellt auf LED um</h1>
<div class="bild"><img src="/l.jpg"><span class="q">Foto: Stadt Freiburg</span></div>
{ps(p[:2])}
<div class="kasten"><p>Sie haben Hinweise? Schreiben Sie uns an redaktion@zeitung.example oder rufen Sie an: 0761 555 0100.</p></div>
{ps(p[2:])}
<p>Bild: dpa</p></div>
<div class="teaser"><h3>Mehr zum Thema</h3><a href="/a">Stromkosten steigen</a><br><a href="/b">Neue Radwege</a></div>
<div class="fuss">Impressum | Datenschutz</div></body></html>""", p)

# 7. French article with a paywall note, the article split into blocks
p = ["La mairie de Lyon a annoncé la création de vingt nouveaux jardins partagés dans les quartiers les plus denses de la ville.",
     "Les habitants pourront déposer leur candidature dès le mois prochain pour obtenir une parcelle, attribuée pour trois ans.",
     "Selon l'adjointe chargée de l'environnement, les jardins existants ont déjà une liste d'attente de plus de mille personnes.",
     "Les premiers jardins ouvriront au printemps dans le septième arrondissement, sur d'anciens parkings.",
     "Des associations de quartier accompagneront les nouveaux jardiniers pendant la première saison."]
add("fr_split_paywall", "fr", f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Lyon : vingt nouveaux jardins partagés</title></head>
<body><div class="bandeau"><a href="/">Accueil</a> <a href="/regions">Régions</a></div>
<div class="grille"><div class="gauche"><h1>Lyon : vingt nouveaux jardins partagés</h1>
{''.join(f'<div class="bloc"><div class="paragraphe">{x}</div></div>' for x in p)}
<div class="abo"><p>Cet article est réservé aux abonnés. Abonnez-vous pour lire la suite et accéder à tous nos contenus.</p></div></div>
<div class="droite"><div class="encart"><p>Agenda : concerts, expositions, marchés, brocantes, spectacles, conférences, ateliers, visites guidées, fêtes de quartier et festivals, tous les jours, dans toute la métropole, avec horaires, tarifs et plans.</p></div></div></div>
</body></html>""", p)

# 8. Spanish article with a results table below
p = ["El Ayuntamiento de Valencia ha aprobado un plan para plantar cinco mil árboles en los barrios con menos sombra de la ciudad.",
     "Los técnicos municipales han elegido especies autóctonas que necesitan poca agua, como el algarrobo y la encina.",
     "Las primeras plantaciones comenzarán en noviembre y el plan se completará en tres años, según ha explicado la concejala de Medio Ambiente."]
add("es_table", "es", f"""<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Valencia plantará cinco mil árboles</title></head>
<body><div class="cab"><a href="/">Portada</a> <a href="/local">Local</a></div>
<div class="noticia"><h1>Valencia plantará cinco mil árboles</h1>
<div class="cuerpo">{ps(p)}</div>
<div class="datos"><table><thead><tr><th>Barrio</th><th>Árboles</th><th>Especies</th></tr></thead>
<tr><td>Benimaclet</td><td>600, en dos fases, calles y plazas</td><td>algarrobo, encina, olivo, almez</td></tr>
<tr><td>Orriols</td><td>750, en tres fases, calles, plazas y parques</td><td>encina, almez, fresno, olivo</td></tr>
<tr><td>Nazaret</td><td>900, en tres fases, avenidas y parques</td><td>algarrobo, pino, olivo, almez</td></tr></table></div>
<div class="relacionadas"><h3>Noticias relacionadas</h3><a href="/1">Más carriles bici</a> <a href="/2">Nuevo parque</a></div></div>
</body></html>""", p)

# 9. Italian article with another story below
p = ["Il comune di Bologna ha deciso di prolungare l'orario delle biblioteche di quartiere fino alle ventidue, a partire dal mese prossimo.",
     "La decisione arriva dopo una raccolta di firme promossa dagli studenti universitari, che chiedevano più spazi per studiare la sera."]
add("it_other_story", "it", f"""<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Bologna, biblioteche aperte fino alle 22</title>
<meta property="og:title" content="Bologna, biblioteche aperte fino alle 22"></head>
<body><div class="testata"><a href="/">Home</a> <a href="/cronaca">Cronaca</a></div>
<section class="art"><div class="tit"><h1>Bologna, biblioteche aperte fino alle 22</h1></div>
<div class="corpo">{ps(p)}</div></section>
<section class="art successivo"><div class="tit"><h2>Modena, nuovo piano per il traffico in centro</h2></div>
<div class="corpo"><p>Il consiglio comunale di Modena ha approvato ieri sera il nuovo piano del traffico, dopo un lungo dibattito, con molte modifiche, voti contrari e proteste dei commercianti.</p>
<p>Il piano prevede nuove zone pedonali, più parcheggi di scambio, corsie per gli autobus e piste ciclabili, oltre a limiti di velocità più bassi nelle strade del centro storico.</p>
<p>I commercianti temono un calo delle vendite, mentre le associazioni ambientaliste, i ciclisti e molti residenti hanno accolto la decisione con favore, chiedendo tempi rapidi.</p>
<p>Le prime modifiche entreranno in vigore a settembre, e il comune promette una verifica dei risultati dopo un anno, con dati, sondaggi e incontri pubblici.</p></div></section>
</body></html>""", p)

# 10. Polish article with references/sources at the end and noscript
p = ["Naukowcy z Krakowa opisali nowy gatunek chrząszcza, odkryty w Tatrach podczas badań prowadzonych w ubiegłym roku.",
     "Owad ma zaledwie trzy milimetry długości i żyje w ściółce lasów bukowych, na wysokości ponad tysiąca metrów.",
     "Badacze podkreślają, że odkrycie pokazuje, jak mało wciąż wiemy o bezkręgowcach polskich gór."]
add("pl_sources_noscript", "pl", f"""<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>Nowy gatunek chrząszcza w Tatrach</title></head>
<body><noscript><div class="nojs">Włącz JavaScript, aby korzystać z serwisu.</noscript>
<div class="strona"><h1>Nowy gatunek chrząszcza w Tatrach</h1>
<div class="tresc">{ps(p)}
<h3>Przypisy</h3><ol><li>Kowalski, J., Nowak, A., Wiśniewski, P. (2023). Nowy gatunek z rodzaju X, Tatry, Polska. Annales Zoologici, 73(2), s. 201-210.</li>
<li>Zieliński, T., Lewandowska, M. (2021). Chrząszcze ściółki, Karpaty, 1990-2020. Przegląd Zoologiczny, 65(1), s. 5-30.</li></ol></div></div>
<div class="stopka">© Serwis naukowy</div></body></html>""", p)

# 11. Russian article in an old nested-table layout with cp1251 and a poll
p = ["В Уральске прошёл суд по делу местного блогера, которого обвиняют в распространении заведомо ложной информации.",
     "Защита настаивает, что блогер лишь пересказал жалобы жителей на качество ремонта дорог и приложил фотографии.",
     "Следующее заседание назначено на конец месяца. Наблюдатели от правозащитных организаций намерены присутствовать на процессе."]
add("ru_table_cp1251", "ru", f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><title>Суд над блогером в Уральске</title></head>
<body><table width="980" align="center"><tr><td colspan="3"><img src="/logo.gif"> <a href="/">Главная</a> | <a href="/arch">Архив</a></td></tr>
<tr><td width="160" valign="top"><table><tr><td><b>Рубрики</b></td></tr><tr><td><a href="/p">Политика</a><br><a href="/e">Экономика</a><br><a href="/s">Общество</a><br><a href="/k">Культура</a></td></tr></table>
<table><tr><td><b>Курс валют</b></td></tr><tr><td>Доллар 447,10, евро 481,55, рубль 4,91</td></tr></table></td>
<td valign="top"><table width="100%"><tr><td><h3>Суд над блогером в Уральске</h3></td></tr><tr><td>{''.join(f'<p>{x}</p>' for x in p)}</td></tr></table></td>
<td width="160" valign="top"><table><tr><td><b>Опрос</b></td></tr><tr><td>Довольны ли вы ремонтом дорог в городе? Да, нет, затрудняюсь ответить</td></tr></table>
<table><tr><td>Уральск, Аксай, Чингирлау, Жангала, Казталовка, Сайхин, Жалпактал, Переметное — новости районов области</td></tr></table></td></tr>
<tr><td colspan="3"><small>© 2005 Приуральская правда</small></td></tr></table></body></html>""", p)

# 12. English news with ruby-free CJK quote, soft hyphens and decomposed accents
p = ["The café on Rue Saint-Honoré reopened on Friday after a fire in the kitchen closed it for three months.",
     "Its owner, José Ramírez, said the insurance paid for new ovens, and that most of his staff came back.",
     "Regulars queued from seven in the morning, and the first croissants were gone within an hour."]
html_p = [x.replace("café", "cafe\u0301").replace("José", "Jose\u0301").replace("Honoré", "Hono\u00adre\u0301")
          for x in p]
add("en_details", "en", f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Paris café reopens after fire</title></head>
<body>{MENU_EN}<article><h1>Paris café reopens after fire</h1>{ps(html_p)}
<p class="credit">Photo by Anne Dupont</p></article><footer>About us · Contact</footer></body></html>""", p)

os.makedirs(os.path.join(OUT, "html"), exist_ok=True)
truth, langs = {}, {}
for key, (lang, html, text) in sorted(pages.items()):
    data = html.encode("cp1251") if "windows-1251" in html else html.encode("utf-8")
    with open(os.path.join(OUT, "html", key + ".html.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as g:
            g.write(data)
    truth[key] = {"articleBody": text}
    langs[key] = lang
with open(os.path.join(OUT, "ground-truth.json"), "w", encoding="utf-8") as f:
    json.dump(truth, f, ensure_ascii=False, indent=1)
with open(os.path.join(OUT, "languages.json"), "w") as f:
    json.dump(langs, f, indent=1)
print(f"{len(pages)} pages in {OUT}")
