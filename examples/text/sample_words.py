#!/usr/bin/env python3
"""Samples examples/text/data/words.tsv.gz from the Debian word lists (see ../README.md).

Needs the packages wamerican wngerman wfrench wspanish witalian. Per language: the words that are
all lowercase letters (accents included, str.isalpha() and str.islower()) of at least 4
characters, deduplicated and sorted, then random.Random(7).sample(words, 6000), kept in sampled
order. Output: "lang<TAB>word" lines, gzip with mtime 0 (byte-identical on rerun).
"""
import gzip, io, random, unicodedata

LISTS = [("en", "american-english"), ("de", "ngerman"), ("fr", "french"),
         ("es", "spanish"), ("it", "italian")]
PER_LANG = 6000

out = io.StringIO()
for code, name in LISTS:
    with open(f"/usr/share/dict/{name}", encoding="utf-8") as f:
        words = sorted({unicodedata.normalize("NFC", w.strip()) for w in f})
    words = [w for w in words if len(w) >= 4 and w.isalpha() and w.islower()]
    for w in random.Random(7).sample(words, PER_LANG):
        out.write(f"{code}\t{w}\n")
with open("examples/text/data/words.tsv.gz", "wb") as raw:
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(out.getvalue().encode("utf-8"))
