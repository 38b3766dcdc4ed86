#!/usr/bin/env python3
"""gazetteer_to_rules.py: generate config/rules/regions.rules from config/gazetteer.tsv.

Usage:  python3 config/tools/gazetteer_to_rules.py [GAZETTEER.tsv [OUT.rules]]
        (defaults: config/gazetteer.tsv and config/rules/regions.rules next to
        this script's directory). Output is deterministic: rerun after editing
        the gazetteer or this script and commit both.

Each gazetteer row becomes one [region ID] section with label (name_ru),
parent (the parent column, "-" = none) and macro (macro_region), and PCRE2
patterns (matched with UTF, UCP and CASELESS; ё already folded to е):

  * Russian names and old names, declined by their ending: consonant-final
    names as masculine nouns (Павлодар, Павлодара, ..., Павлодаре), -а names
    as feminine (Астана, Астаны, Астане, ...), -й and -ь names accordingly,
    vowel-final names indeclinable (Алматы, Актобе, Атырау).
  * Kazakh case endings on Cyrillic names (Павлодарда, Алматыдан,
    Өскемендегі, Атыраудың ...), on Russian-spelled names too because mixed
    spellings are common; the accusative (Түркістанды) only on names spelled
    with Kazakh letters.
  * Latin names and variants as written.
  * Oblasts: the Russian adjective with "область" in any case (Павлодарской
    области, обл.), the official "область Абай" order, "X облысы" (Kazakh),
    "X Region" (English), the abbreviations ЗКО/ВКО/СКО/ЮКО as whole
    upper-case words, and for oblasts whose adjective is unambiguous also the
    bare adjective (павлодарские активисты).
  * Town demonyms and adjectives where they are unambiguous (павлодарцы,
    алматинцы, шымкентский).

Precision rules (see gazetteer NOTES): place names must start with a capital
letter (so "ақтау" = acquittal, "есік" = door, "рудный" the adjective do not
match); a city name followed by "облыс..." or "Region" is the oblast, not
the city; bare Абай/Жетысу/Жамбыл/Ұлытау are never matched; Нур-Султан needs
its hyphen (Нурсултан is a person); Петропавловск-Камчатский, Иссык-Куль,
the Aral Sea and "Астана заявила" / "официальная Астана" (the government) are
excluded by look-around; ambiguous small towns (Аксу, Алтай, Шу, Сатпаев,
Курчатов, Аксай) need "г." / "город" / "қаласы" / "city" next to them;
surnames and common words among old names (Верный, Шевченко, Панфилов,
Никольский, Кунаев) are skipped. Look-behinds are placed after the name's
first letter (guard()) so that PCRE2 can still search for that letter and
the classifier's literal prefilter sees the name.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.dirname(HERE)

KK_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
HYPHEN = "[-\u2010\u2011\u2013]"

# Kazakh case and derivation endings (vowel harmony is not enforced: the
# stem is a proper name, so a wrong-harmony ending cannot make another word).
# The accusative -ны/-ды/-ты only follows names spelled with Kazakh letters
# (Түркістанды): on Russian spellings it makes verbs (Орал -> оралды).
KK_ACCUSATIVE = "(?:ны|ні|ды|ді|ты|ті)"
KK_SUFFIX = ("(?:да|де|та|те|дан|ден|тан|тен|нан|нен|ға|ге|қа|ке|на|не|а|е|"
             "ның|нің|дың|дің|тың|тің|дағы|дегі|тағы|тегі|ндағы|ндегі|нда|нде|"
             "лық|лік|дық|дік|тық|тік|лықтар|ліктер|мен|бен|пен)")

ADJ_ENDINGS = "(?:ий|ого|ому|им|ом|ая|ой|ую|ою|ое|ие|их|ими)"
OBLAST_WORD = r"обл(?:аст(?:ь|и|ью|ей|ям|ях|ями)\b|\.|\b)"
EN_REGION_WORD = r"(?:Region|Oblast|oblysy|Province)\b"

# Cities followed by these are the oblast of the same name.
NOT_OBLAST_CYR = r"(?!\s*облыс)"
NOT_OBLAST_LAT = r"(?!\s+(?:Region|Oblast|oblysy|Province)\b)"

# Oblasts whose bare adjective always means the oblast (or its centre, a
# child of it). Алматинский means the city, жамбылский/абайский also name
# districts elsewhere, туркестанский the historical region.
SAFE_ADJECTIVE = {"AKM", "AKT", "ATY", "ZAP", "KAR", "KUS", "KZY", "MAN", "PAV",
                  "SEV", "VOS"}

# Extra Cyrillic patterns: demonyms and town adjectives (lower case in
# Russian, so caseless) and the non-standard "в Алмате".
EXTRA = {
    "AST": [r"\bастанчан\w*", r"\bастанинск" + ADJ_ENDINGS + r"\b"],
    "ALA": [r"\b(?-i:А)лмат(?:е|ой)\b", r"\bалматин(?:ец|ц\w*|к(?:а|и|е|у|ой))\b",
            r"\bалматинск\w*+(?!\s+обл)"],
    "SHY": [r"\bшымкентц\w*", r"\bшымкентск" + ADJ_ENDINGS + r"\b",
            r"\bчимкентск" + ADJ_ENDINGS + r"\b"],
    "C_PAVLODAR": [r"\bпавлодарц\w*", r"\bпавлодарк(?:а|и|е|у|ой)\b"],
    "C_KARAGANDA": [r"\bкарагандинц\w*"],
    "C_AKTOBE": [r"\bактюбинц\w*"],
    "C_ATYRAU": [r"\bатыраусц\w*"],
    "C_KOSTANAY": [r"\bкостанайц\w*"],
    "C_KYZYLORDA": [r"\bкызылординц\w*"],
    "C_SEMEY": [r"\bсемейчан\w*", r"\bсемипалатинц\w*"],
    "C_OSKEMEN": [r"\bусть" + HYPHEN + r"каменогорц\w*", r"\bусть" + HYPHEN +
                  r"каменогорск" + ADJ_ENDINGS + r"\b"],
    "C_TARAZ": [r"\bтаразц\w*", r"\bтаразск" + ADJ_ENDINGS + r"\b"],
    "C_KOKSHETAU": [r"\bкокшетауск" + ADJ_ENDINGS + r"\b"],
    "C_AKTAU": [r"\bактаусц\w*", r"\bактауск" + ADJ_ENDINGS + r"\b"],
    "C_TALDYKORGAN": [r"\bталдыкорганц\w*", r"\bталдыкорганск" + ADJ_ENDINGS + r"\b"],
    "C_ZHEZKAZGAN": [r"\bжезказганц\w*", r"\bжезказганск" + ADJ_ENDINGS + r"\b"],
    "T_EKIBASTUZ": [r"\bэкибастузц\w*", r"\bэкибастузск" + ADJ_ENDINGS + r"\b"],
    "T_ZHANAOZEN": [r"\bжанаозенц\w*", r"\bжанаозенск" + ADJ_ENDINGS + r"\b"],
    "T_TEMIRTAU": [r"\bтемиртаусц\w*"],
}

# Kazakh demonyms and adjectives in -лық/-лік/-дық/-дік/-тық/-тік, written in
# lower case mid-sentence ("алматылық қоғамдық қор", "павлодарлық журналист").
# Not "оралдық" ("we returned") or "ақтаулық" (ақтау = acquittal).
KK_DEMONYMS = {
    "ALA": "алматылық", "AST": "астаналық", "SHY": "шымкенттік",
    "C_PAVLODAR": "павлодарлық", "C_KARAGANDA": "қарағандылық", "C_AKTOBE": "ақтөбелік",
    "C_ATYRAU": "атыраулық", "C_SEMEY": "семейлік", "C_OSKEMEN": "өскемендік",
    "C_KOSTANAY": "қостанайлық", "C_KYZYLORDA": "қызылордалық", "C_TARAZ": "тараздық",
    "C_TALDYKORGAN": "талдықорғандық", "C_KOKSHETAU": "көкшетаулық",
    "C_PETROPAVL": "петропавлдық", "C_TURKISTAN": "түркістандық",
    "C_ZHEZKAZGAN": "жезқазғандық", "T_ZHANAOZEN": "жаңаөзендік",
    "T_EKIBASTUZ": "екібастұздық", "T_TEMIRTAU": "теміртаулық",
}
for _row, _word in KK_DEMONYMS.items():
    EXTRA.setdefault(_row, []).append(r"\b" + _word + r"\w*")

# Kazakh in the Latin alphabet (2021, with the 2018 apostrophe-free letters ǵ ń
# ý ı as variants), which some outlets use: city names with Kazakh case
# endings ("Şymkentte", "Almatyda", "Qarağandyda"). A name the gazetteer
# already has in Latin needs an ending here; the others stand alone too.
KK_LATIN = {
    "AST": ["Astana"], "ALA": ["Almaty"], "SHY": ["Şymkent", "Shymkent"],
    "C_KARAGANDA": ["Qarağandy", "Qaraǵandy", "Qaragandy"],
    "C_AKTOBE": ["Aqtöbe", "Aqtóbe", "Aqtobe"], "C_ATYRAU": ["Atyrau", "Atyraý"],
    "C_URALSK": ["Oral"], "C_OSKEMEN": ["Öskemen", "Óskemen", "Oskemen"],
    "C_PAVLODAR": ["Pavlodar"], "C_KOSTANAY": ["Qostanai", "Qostanaı", "Qostanay"],
    "C_KYZYLORDA": ["Qyzylorda"], "C_TARAZ": ["Taraz"],
    "C_TALDYKORGAN": ["Taldyqorğan", "Taldyqorǵan"],
    "C_KOKSHETAU": ["Kökşetau", "Kókshetaý", "Kokshetau"], "C_PETROPAVL": ["Petropavl"],
    "C_TURKISTAN": ["Türkistan", "Túrkistan", "Turkistan"],
    "C_ZHEZKAZGAN": ["Jezqazğan", "Jezqazǵan"], "C_SEMEY": ["Semei", "Semeı", "Semey"],
    "C_AKTAU": ["Aqtau", "Aqtaý"], "T_ZHANAOZEN": ["Jañaözen", "Jańaózen", "Zhanaozen"],
}
KK_LATIN_SUFFIX = ("(?:da|de|ta|te|dan|den|tan|ten|nan|nen|ğa|ǵa|ga|ge|qa|ke|na|ne|"
                   "nyñ|niñ|dyñ|diñ|tyñ|tiñ|nyń|nıń|dyń|dıń|tyń|tıń|"
                   "dağy|daǵy|degi|tağy|taǵy|tegi|ndağy|ndaǵy|ndegi|"
                   "lyq|lik|dyq|dik|tyq|tik|lyqtar|likter|men|ben|pen)")

# Extra abbreviations (Kazakh, not in the gazetteer): whole upper-case words.
EXTRA_ABBREV = {"ZAP": ["БҚО"], "VOS": ["ШҚО"], "SEV": ["СҚО"], "YUZ": ["ОҚО"]}

# Names never matched: a person, a common word or a town elsewhere.
SKIP_NAMES = {"Верный", "Vernyi", "Verny", "Шевченко (город)", "Shevchenko",
              "Жамбыл (город)", "Zhambyl (city)", "Панфилов", "Panfilov", "Никольский",
              "Kunaev", "Ленинск", "Leninsk"}

# Rows and names matched only with a "town" word next to them.
CONTEXT_ROWS = {"T_AKSU_PAV", "T_SATPAEV", "T_SHU", "T_KURCHATOV", "T_ALTAY", "T_AKSAI"}
CONTEXT_NAMES = {"Ермак", "Yermak", "Гурьев", "Guryev", "Джамбул", "Dzhambul", "Перовск",
                 "Қонаев", "Qonaev"}

# Look-behind exclusions for particular rows: the words that may not stand
# right before the name. They are written into the pattern after the name's
# first letter (see guard()), so that PCRE2 can still start its search at
# that letter instead of testing the look-behind at every position.
BEFORE = {
    "T_BALKHASH": [r"озеро\s", r"озера\s", r"озере\s", r"озеру\s", r"озером\s", r"\bна\s"],
    "T_ARYS": [r"река\s", r"реки\s", r"реке\s", r"реку\s", r"рекой\s"],
    "T_KARATAU": [r"хребет\s", r"хребта\s", r"хребте\s", r"горы\s", r"\bгор\s", r"горах\s"],
}
# "официальная Астана", "Эйр Астана": the government, the airline.
ASTANA_BEFORE = [r"официальная\s", r"официальной\s", r"официальную\s", r"\bэйр\s"]
LATIN_BEFORE = {"Astana": [r"\bair\s"]}
AFTER = {
    "C_PETROPAVL": "(?!" + HYPHEN + r"?\s*(?:Камчат|Kamchat))",
    "T_ESIK": "(?!" + HYPHEN + r"?\s*(?:Кул|Kul))",
    "T_ARAL": r"(?!\s+(?:теңіз|Sea\b))",
    # "ақтау үкімі" is an acquittal, not Aktau
    "C_AKTAU": r"(?!\s+(?:үкім|шешім))",
}
# Companies named after the capital that need not be there.
LATIN_AFTER = {"Astana": r"(?!\s+(?:Motors|Group|LNG|Gas|Pro\s+Team|Capital|rejected|rejects|"
                         r"said|says|denied|denies|insist\w*|responded|dismissed|urged|called|"
                         r"has\s+(?:rejected|denied|said)))"}
# "Астана заявила": the government speaking, not the place (nominative only).
ASTANA_SPEAKS = (r"(?!\s+(?:заяв|сообщ|счита|призв|выраз|ответ|осуд|настаив|"
                 r"отреагир|поддерж|намерен|готов|предлож|потребов|отверг|отклон|возраз|"
                 r"опроверг|не\s+(?:соглас|намерен|призна|допуст|позвол)))")
# Case-sensitive names (inside the caseless pattern).
CASE_SENSITIVE = {"Рудный", "Oral"}

# "г. Аксу", "в городе Аксу": required words before an ambiguous name,
# checked by a look-behind placed after the name's first letter (guard()).
CONTEXT_RU = [r"\bг\.", r"\bг\.\s", r"\bгор\.", r"\bгор\.\s", r"\bгород\s", r"\bгорода\s",
              r"\bгороде\s", r"\bгороду\s", r"\bгородом\s", r"\bпос\.", r"\bпос\.\s",
              r"\bпоселок\s", r"\bпоселка\s", r"\bпоселке\s"]
CONTEXT_KK = r"\s+қала(?:сы|сында|сынан|сына|сының|сындағы)?\b"


def is_cyrillic(name):
    return re.search("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", name) is not None


def is_kazakh(name):
    return any(c in KK_LETTERS for c in name)


def esc(text):
    """Literal text as a PCRE2 fragment: blanks match any white space,
    hyphens any hyphen or dash."""
    out = []
    for c in text:
        if c == "-":
            out.append(HYPHEN)
        elif c == " ":
            out.append(r"\s+")
        elif c.isalnum() or ord(c) > 127:
            out.append(c)
        else:
            out.append("\\" + c)
    return "".join(out)


def capital(fragment, name):
    """Make the first letter case-sensitive: place names are capitalised."""
    first = name[0]
    if not first.isalpha() or not first.isupper():
        return fragment
    return "(?-i:" + first + ")" + fragment[len(first):]


def guard(form, before, negative=True):
    """Put a look-behind for the words before a name right after the name's
    first letter: (?-i:Б)(?<!озеро\\sБ|...)алхаш. Each alternative ends with
    that letter, so it still looks at the text before the name."""
    if not before:
        return form
    if form.startswith("(?-i:"):
        head = form[:form.index(")") + 1]
        letter = head[5:-1]
    else:
        head = letter = form[0]
    return (head + ("(?<!" if negative else "(?<=") + "|".join(b + letter for b in before) +
            ")" + form[len(head):])


def ru_forms(name):
    """Russian declension of a Cyrillic place name, as a PCRE2 fragment
    (without \\b); the Kazakh endings are allowed after any form."""
    if name == "Новый Узень":
        return r"Нов(?:ый|ого|ом|ому|ым)\s+Узен(?:ь|я|е|ю|ем)"
    if name.endswith("ый"):
        return esc(name[:-2]) + "(?:ый|ого|ом|ому|ым)"
    last = name[-1].lower()
    if last == "а":
        return esc(name[:-1]) + "(?:а|ы|и|е|у|ой|ою)"
    if last == "й":
        return esc(name[:-1]) + "(?:й|я|е|ю|ем)"
    if last == "ь":
        return esc(name[:-1]) + "(?:ь|и|ью)"
    if last in "аеёиоуыэюяәіөүұ":
        return esc(name)
    return esc(name) + "(?:а|у|ом|е)?"


def cyr_form(name):
    """A Cyrillic name with its Russian case forms, first letter capital."""
    if name in CASE_SENSITIVE:
        return "(?-i:" + ru_forms(name) + ")"
    if is_kazakh(name):
        return capital(esc(name), name) + KK_ACCUSATIVE + "?"
    return capital(ru_forms(name), name)


def lat_form(name):
    return "(?-i:" + esc(name) + ")" if name in CASE_SENSITIVE else capital(esc(name), name)


def drop_covered(names, form):
    """Leave out names that are already a case form of an earlier name
    (Алма-Аты after Алма-Ата)."""
    kept = []
    for name in dict.fromkeys(names):
        if not any(re.fullmatch(form(k).replace(HYPHEN, "-"), name) for k in kept):
            kept.append(name)
    return kept


def city_name_pattern(row_id, names, cyrillic):
    if cyrillic:
        forms = [guard(cyr_form(n), BEFORE.get(row_id)) for n in drop_covered(names, cyr_form)]
        return (r"\b(?:" + "|".join(forms) + ")" + KK_SUFFIX +
                r"?\b" + AFTER.get(row_id, "") + NOT_OBLAST_CYR)
    forms = [guard(lat_form(n), LATIN_BEFORE.get(n)) + LATIN_AFTER.get(n, "")
             for n in drop_covered(names, lat_form)]
    return r"\b(?:" + "|".join(forms) + r")\b" + AFTER.get(row_id, "") + NOT_OBLAST_LAT


def context_pattern(name):
    frag = esc(name)
    if is_cyrillic(name):
        forms = capital(ru_forms(name) if not is_kazakh(name) else frag, name)
        return (r"(?:" + guard(forms, CONTEXT_RU, negative=False) + r"\b|\b" +
                capital(frag, name) + KK_SUFFIX +
                "?" + CONTEXT_KK + ")")
    return (r"(?:\b(?:town|city)\s+of\s+" + capital(frag, name) + r"\b|\b" +
            capital(frag, name) + r"\s+(?:town|city)\b)")


def adjective_stem(name):
    """'Павлодарская область' / 'Павлодарской' -> 'Павлодарск', else None."""
    m = re.match(r"^(\S*?ск)(?:ая|ой)(?:\s+область)?$", name)
    return m.group(1) if m else None


def oblast_patterns(row, names):
    """Patterns for an oblast row: list of (comment, pattern)."""
    out = []
    stems, phrases, bare_latin, abbrevs, official = [], [], [], [], []
    for name in names:
        if re.fullmatch(r"[A-ZА-ЯӘҒҚҢӨҰҮҺІ]{2,4}", name):
            abbrevs.append(name)
            continue
        stem = adjective_stem(name)
        if stem:
            stems.append(stem)
            continue
        m = re.match(r"^(?:область|обл\.)\s+(\S+)$", name)
        if m:
            official.append(m.group(1))
            continue
        m = re.match(r"^(\S+)\s+обл\.$", name)
        if m:
            official.append(m.group(1))
            continue
        m = re.match(r"^(.+?)\s+облысы$", name)
        if m:
            phrases.append(capital(esc(m.group(1)), m.group(1)) + r"\s+облыс\w*")
            continue
        m = re.match(r"^(.+?)\s+(?:Region|oblast|oblysy)$", name, re.I)
        if m:
            phrases.append(capital(esc(m.group(1)), m.group(1)) + r"\s+" + EN_REGION_WORD)
            continue
        if not is_cyrillic(name):
            if " " in name or name.lower().endswith("skaya"):
                bare_latin.append(capital(esc(name), name))
            else:
                # A bare Latin oblast name is usually its centre city.
                phrases.append(capital(esc(name), name) + r"\s+" + EN_REGION_WORD)
            continue
        if is_kazakh(name):
            phrases.append(capital(esc(name), name) + r"\s+облыс\w*")
            continue
        # A bare Russian noun name (Мангышлак).
        phrases.append(capital(ru_forms(name), name))
    stems = sorted(set(stems), key=stems.index)
    if stems:
        alt = "|".join(esc(s) for s in stems)
        out.append(("Russian name: the adjective with область / обл. in any case",
                    r"\b(?:" + alt + r")" + ADJ_ENDINGS + r"\s+" + OBLAST_WORD))
        if row["id"] in SAFE_ADJECTIVE:
            out.append(("the adjective alone (павлодарские активисты)",
                        r"\b(?:" + alt + r")" + ADJ_ENDINGS + r"\b"))
    if official:
        alt = "|".join(esc(o) for o in sorted(set(official), key=official.index))
        out.append(("official order: область Абай, обл. Абай, Абай обл.",
                    r"(?:\b" + OBLAST_WORD + r"\s*(?:" + alt + r")\b|\b(?:" + alt +
                    r")\s+обл\.)"))
    if phrases:
        out.append(("Kazakh, English and other names",
                    r"\b(?:" + "|".join(dict.fromkeys(phrases)) + r")"))
    if bare_latin:
        out.append(("Latin names", r"\b(?:" + "|".join(dict.fromkeys(bare_latin)) + r")\b"))
    abbrevs += EXTRA_ABBREV.get(row["id"], [])
    if abbrevs:
        out.append(("abbreviation, upper case only",
                    r"\b(?-i:" + "|".join(dict.fromkeys(abbrevs)) + r")\b"))
    return out


def city_patterns(row, names):
    out = []
    cyr, lat, ctx = [], [], []
    for name in names:
        if name in SKIP_NAMES or "(" in name:
            continue
        if row["id"] in CONTEXT_ROWS or name in CONTEXT_NAMES:
            ctx.append(name)
        elif is_cyrillic(name):
            cyr.append(name)
        else:
            lat.append(name)
    if row["id"] == "AST":
        # Nominative Астана is checked for "Астана заявила"; other forms not.
        first = cyr.pop(0)
        out.append(("Астана (not 'Астана заявила', 'официальная Астана', Air Astana)",
                    r"\b" + guard("(?-i:А)", ASTANA_BEFORE) + r"(?:стана" + ASTANA_SPEAKS +
                    r"|стан(?:ы|и|е|у|ой|ою)|стана" + KK_SUFFIX + r")\b" + NOT_OBLAST_CYR))
        assert first == "Астана"
    if cyr:
        out.append(("Cyrillic names and old names, Russian and Kazakh endings",
                    city_name_pattern(row["id"], cyr, True)))
    if lat:
        out.append(("Latin names", city_name_pattern(row["id"], lat, False)))
    if ctx:
        out.append(("ambiguous names: only next to г. / город / қаласы / city",
                    "(?:" + "|".join(context_pattern(n) for n in dict.fromkeys(ctx)) + ")"))
    if row["id"] in KK_LATIN:
        known = {n for n in lat}
        alone = [lat_form(n) for n in KK_LATIN[row["id"]] if n not in known]
        ended = [lat_form(n) for n in KK_LATIN[row["id"]] if n in known]
        parts = []
        if alone:
            parts.append("(?:" + "|".join(alone) + ")" + KK_LATIN_SUFFIX + "?")
        if ended:
            parts.append("(?:" + "|".join(ended) + ")" + KK_LATIN_SUFFIX)
        out.append(("Kazakh Latin (2021 alphabet, 2018 variants) with case endings",
                    r"\b(?:" + "|".join(parts) + r")\b" + NOT_OBLAST_LAT))
    for extra in EXTRA.get(row["id"], []):
        out.append(("demonym or adjective", extra))
    return out


def read_rows(path):
    rows = []
    header = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            cells += [""] * (len(header) - len(cells))
            rows.append(dict(zip(header, cells)))
    return rows


def names_of(row):
    names = [row["name_ru"], row["name_kk"], row["name_en"]]
    names += [v.strip() for v in row["variants_and_old_names"].split("|") if v.strip()]
    return list(dict.fromkeys(n for n in names if n))


def generate(rows):
    out = ["# regions.rules: GENERATED by config/tools/gazetteer_to_rules.py from",
           "# config/gazetteer.tsv. Do not edit: change the gazetteer or the script and",
           "# rerun `python3 config/tools/gazetteer_to_rules.py`.",
           "# One [region ID] per gazetteer row; cities have their oblast as parent.",
           "# macro is the gazetteer's macro_region (macro_alt in a comment).",
           ""]
    ids = {r["id"] for r in rows}
    for row in rows:
        kind = row["type"]
        out.append("[region %s]" % row["id"])
        out.append("# %s; %s / %s / %s" % (kind, row["name_ru"], row["name_kk"], row["name_en"]))
        if row.get("macro_alt"):
            out.append("# macro_alt: %s" % row["macro_alt"])
        out.append("label = %s" % row["name_ru"])
        parent = row.get("parent", "-")
        if parent and parent != "-":
            if parent not in ids:
                sys.exit("gazetteer: %s: unknown parent %s" % (row["id"], parent))
            out.append("parent = %s" % parent)
        if row.get("macro_region"):
            out.append("macro = %s" % row["macro_region"])
        names = names_of(row)
        pats = oblast_patterns(row, names) if kind == "oblast" else city_patterns(row, names)
        if not pats:
            sys.exit("gazetteer: %s: no patterns" % row["id"])
        for comment, pattern in pats:
            out.append("# " + comment)
            out.append("pattern = " + pattern)
        out.append("")
    return "\n".join(out)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(CONFIG, "gazetteer.tsv")
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(CONFIG, "rules", "regions.rules")
    text = generate(read_rows(src))
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)
    print("%s: %d regions" % (dst, text.count("\n[region ")+ (1 if text.startswith("[region") else 0)))


if __name__ == "__main__":
    main()
