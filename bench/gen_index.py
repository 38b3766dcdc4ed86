#!/usr/bin/env python3
"""gen_index.py VIGIL DATA_DIR [N]: an index of N (default 1,000,000)
realistic materials for `make bench-search` (bench/README.md, "Search").

Texts are runs of 8-40 words copied from the Russian and Kazakh texts of
the classification development set (tests/classify-dev/dev.jsonl, written
for this project), so word frequencies and word sequences are those of
news about defenders; about 220 words per text, titles of 6-12 words.
Labels follow the development set's shares (tone, relevance, language,
threats, categories); one region per material drawn from the gazetteer;
publication dates uniform over 2021-2025, first capture 0-2 days later;
40 sources. Rows are written with SQL into an index that `vigil init`
created; the full-text table is then built by vigil itself: index_meta
names no stemmer, so the next `vigil init` (a write open) rebuilds it.

Also writes DATA_DIR/queries.tsv: the benchmark's queries, one per line,
"CLASS<TAB>ARG<TAB>ARG..." as `vigil search` arguments (bench/search_bench.c).
"""
import datetime
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START = 1609459200          # 2021-01-01
SPAN = 5 * 365 * 86400      # five years
BATCH = 20000


def corpus():
    words = {"ru": [], "kk": []}
    labels = []
    with open(os.path.join(REPO, "tests/classify-dev/dev.jsonl"), encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            labels.append(row["labels"])
            if row["lang"] in words:
                words[row["lang"]] += (row["title"] + " " + row["text"]).split()
    return words, labels


def regions():
    out = []
    with open(os.path.join(REPO, "config/gazetteer.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("id\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 10:
                out.append((cols[0], cols[4], cols[10]))
    return out


def run_of(rng, words, n):
    out = []
    while len(out) < n:
        k = rng.randint(8, 40)
        at = rng.randrange(0, len(words) - k)
        out += words[at:at + k]
    return out[:n]


def main():
    vigil, data = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000
    rng = random.Random(20261202)
    words, labels = corpus()
    gaz = regions()
    tones = Counter(l.get("tone", "neutral") for l in labels)
    relevant_share = sum(1 for l in labels if l.get("relevant")) / len(labels)
    threat_counts = Counter(t for l in labels for t in l.get("threats") or [])
    category_counts = Counter(c for l in labels for c in l.get("categories") or [])
    threats_per = [len(l.get("threats") or []) for l in labels]
    categories_per = [len(l.get("categories") or []) for l in labels]
    tone_number = {"neutral": 0, "negative": 1, "supportive": 2}
    tone_names, tone_weights = zip(*tones.items())
    threat_names, threat_weights = zip(*threat_counts.items())
    category_names, category_weights = zip(*category_counts.items())

    os.makedirs(data, exist_ok=True)
    subprocess.run([vigil, "init", "--data", data], check=True, stdout=subprocess.DEVNULL)
    db = sqlite3.connect(os.path.join(data, "index.sqlite"))
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA foreign_keys = OFF")
    sources = ["outlet%02d" % i for i in range(40)]
    for i, name in enumerate(sources):
        db.execute("INSERT INTO sources (id, name, url, kind) VALUES (?, ?, ?, 'site')",
                   (i + 1, name, "https://%s.kz/" % name))
    lang_weights = (len(words["ru"]), len(words["kk"]))
    mats, vers, labs, regs = [], [], [], []

    def flush():
        db.executemany("INSERT INTO materials (id, url, source_id, first_seen, last_seen,"
                       " latest_version_id, story_id, next_check_at, sort_date, tone, relevant, lang)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)", mats)
        db.executemany("INSERT INTO versions (id, material_id, number, fetched_at, title, published,"
                       " published_at, lang, text, text_digest, relevant, tone, tone_score)"
                       " VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", vers)
        db.executemany("INSERT INTO version_labels (version_id, kind, label, label_lower)"
                       " VALUES (?, ?, ?, ?)", labs)
        db.executemany("INSERT INTO version_regions (version_id, rank, region_id, label, macro,"
                       " id_lower, label_lower, macro_lower) VALUES (?, 0, ?, ?, ?, ?, ?, ?)", regs)
        db.commit()
        mats.clear(); vers.clear(); labs.clear(); regs.clear()

    for i in range(1, n + 1):
        lang = rng.choices(("ru", "kk"), lang_weights)[0]
        published = START + rng.randrange(SPAN)
        seen = published + rng.randrange(2 * 86400)
        title = " ".join(run_of(rng, words[lang], rng.randint(6, 12)))
        text = " ".join(run_of(rng, words[lang], max(40, int(rng.gauss(220, 80)))))
        tone = rng.choices(tone_names, tone_weights)[0]
        source = rng.randrange(40) + 1
        relevant = 1 if rng.random() < relevant_share else 0
        # (materials carry the latest version's facets: sort_date, tone, relevant, lang)
        mats.append((i, "https://%s.kz/news/%d" % (sources[source - 1], i), source, seen, seen, i, i,
                     published, tone_number[tone], relevant, lang))
        iso = datetime.datetime.fromtimestamp(published, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        vers.append((i, i, seen, title, iso, published, lang, text,
                     "sha1:" + hashlib.sha1(text.encode()).hexdigest()[:32],
                     relevant, tone_number[tone], {"negative": -3, "supportive": 3}.get(tone, 0)))
        for t in set(rng.choices(threat_names, threat_weights, k=rng.choice(threats_per))):
            labs.append((i, "threat", t, t))
        for c in set(rng.choices(category_names, category_weights, k=rng.choice(categories_per))):
            labs.append((i, "category", c, c))
        rid, rname, macro = rng.choice(gaz)
        regs.append((i, rid, rname, macro, rid.lower(), rname.lower(), macro.lower()))
        if len(mats) == BATCH:
            flush()
    flush()
    # vigil rebuilds material_fts on its next write open (a new stemmer).
    db.execute("UPDATE index_meta SET value = 'none' WHERE key = 'fts_stemmer'")
    db.commit()
    db.close()
    subprocess.run([vigil, "init", "--data", data], check=True, stdout=subprocess.DEVNULL)

    # Queries: words of middling frequency (ranks 50-3000 of the corpus,
    # as researchers' words are), pairs, phrases seen in the texts.
    freq = Counter(w.strip(".,«»()\"—:;!?").lower() for w in words["ru"])
    common = [w for w, _ in freq.most_common(3000)[50:] if len(w) > 3 and w.isalpha()]
    qrng = random.Random(7)
    out = []
    for _ in range(60):
        out.append(["one-word", qrng.choice(common)])
        out.append(["two-word", qrng.choice(common) + " " + qrng.choice(common)])
        k = qrng.randrange(len(words["ru"]) - 2)
        pair = [w.strip(".,«»()\"—:;!?") for w in words["ru"][k:k + 2]]
        out.append(["phrase", '"%s %s"' % tuple(pair)])
        out.append(["filtered", "--region", qrng.choice(gaz)[0], "--tone",
                    qrng.choice(("negative", "supportive")), "--since", "2023-01-01",
                    qrng.choice(common)])
        out.append(["count", "--count", qrng.choice(common)])
        out.append(["count-all", "--count", "--tone", qrng.choice(("negative", "neutral"))])
        out.append(["group-by", "--group-by", qrng.choice(("region", "tone", "month", "threat")),
                    qrng.choice(common)])
        out.append(["group-by-all", "--group-by", qrng.choice(("region,tone", "quarter", "source"))])
    with open(os.path.join(data, "queries.tsv"), "w", encoding="utf-8") as f:
        for q in out:
            f.write("\t".join(q) + "\n")


if __name__ == "__main__":
    main()
