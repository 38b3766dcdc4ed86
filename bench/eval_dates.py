#!/usr/bin/env python3
"""Publication-date accuracy of `vigil extract` on the dated set.

Labels: tests/fixtures/dates/labels.tsv (page, expected day, basis, url,
fetch time). A page is `bench:HASH` (a page of the public extraction
benchmark, read gzipped from BENCH_DIR/html) or a path under
tests/fixtures/dates/. A page is right when the day of `published` (its
first ten characters: the page's own calendar day, offset kept) equals the
label, or when both are "none".

Prints accuracy overall, per label basis and set, and per evidence source
the extractor reported (`published_source`, its part before ':').

usage: bench/eval_dates.py [--vigil build/vigil] [--bench-dir DIR] [-v]
"""
import argparse
import collections
import gzip
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(ROOT, 'tests', 'fixtures', 'dates')
BENCH_DIR = os.environ.get('VIGIL_BENCH_DIR',
                           os.path.join(ROOT, '..', 'shared', 'bench-data', 'article-extraction'))


def read_labels(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if not line.strip() or line.startswith('#'):
                continue
            page, expected, basis, url, fetched = line.rstrip('\n').split('\t')
            rows.append((page, expected, basis, None if url == '-' else url, fetched))
    return rows


def page_file(page, bench_dir, tmp):
    if not page.startswith('bench:'):
        return os.path.join(FIXTURES, page)
    name = page[len('bench:'):]
    out = os.path.join(tmp, name + '.html')
    with gzip.open(os.path.join(bench_dir, 'html', name + '.html.gz')) as src, open(out, 'wb') as dst:
        dst.write(src.read())
    return out


def extract(vigil, path, url, fetched, with_fetched):
    cmd = [vigil, 'extract', '--json']
    if url:
        cmd += ['--url', url]
    if with_fetched:
        cmd += ['--fetched', fetched]
    cmd.append(path)
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        return {'error': res.stderr.strip()}
    return json.loads(res.stdout.splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vigil', default=os.path.join(ROOT, 'build', 'vigil'))
    ap.add_argument('--bench-dir', default=BENCH_DIR)
    ap.add_argument('--labels', default=os.path.join(FIXTURES, 'labels.tsv'))
    ap.add_argument('-v', '--verbose', action='store_true', help='list every wrong page')
    ap.add_argument('--compare', metavar='OLD_VIGIL',
                    help='also run an older vigil and print, per evidence source the new one '
                         'chose, how often each was right')
    args = ap.parse_args()

    def knows_fetched(vigil):
        helptext = subprocess.run([vigil, 'extract', '--help'], capture_output=True, text=True)
        return '--fetched' in helptext.stdout + helptext.stderr

    with_fetched = knows_fetched(args.vigil)
    old_fetched = knows_fetched(args.compare) if args.compare else False
    old_right = collections.Counter()
    rows = read_labels(args.labels)
    if not os.path.isdir(os.path.join(args.bench_dir, 'html')):
        print('note: no benchmark pages in %s; scoring the written pages only' % args.bench_dir)
        rows = [r for r in rows if not r[0].startswith('bench:')]

    total = collections.Counter()
    right = collections.Counter()
    wrong = []
    with tempfile.TemporaryDirectory() as tmp:
        for page, expected, basis, url, fetched in rows:
            doc = extract(args.vigil, page_file(page, args.bench_dir, tmp), url, fetched, with_fetched)
            got = (doc.get('published') or 'none')[:10] if 'error' not in doc else 'error'
            source = doc.get('published_source') or ('-' if got == 'none' else '?')
            ok = got == expected
            group = 'bench' if page.startswith('bench:') else 'written'
            keys = ['all', 'set:' + group, 'basis:' + basis,
                    'chosen:' + source.split(':')[0]]
            for key in keys:
                total[key] += 1
                right[key] += ok
            if args.compare:
                old = extract(args.compare, page_file(page, args.bench_dir, tmp), url, fetched,
                              old_fetched)
                old_got = (old.get('published') or 'none')[:10] if 'error' not in old else 'error'
                for key in keys:
                    old_right[key] += old_got == expected
            if not ok:
                wrong.append((page, expected, got, source))

    def line(key):
        text = '%-24s %4d/%-4d %.3f' % (key, right[key], total[key], right[key] / total[key])
        if args.compare:
            text += '   before %4d/%-4d %.3f' % (old_right[key], total[key],
                                                old_right[key] / total[key])
        return text

    print('publication date accuracy (day as the page shows it)')
    for prefix in ('all', 'set:', 'basis:', 'chosen:'):
        for key in sorted(k for k in total if k.startswith(prefix)):
            print(line(key))
    if args.verbose:
        for page, expected, got, source in wrong:
            print('WRONG %s expected %s got %s (%s)' % (page, expected, got, source))
    return 0


if __name__ == '__main__':
    sys.exit(main())
