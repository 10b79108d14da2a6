#!/usr/bin/env python3
"""Prints N two-word keyword queries (TSV: id<TAB>w1 w2), drawn with a fixed seed from pairs of
CCTV keywords that occur on the same article of ../shared/data/news-text, so every query has
at least one matching article and the set is the same on every run.

    benches/two-word-queries.py [N] > /tmp/two-word.tsv
"""
import io, json, random, subprocess, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
src = "../shared/data/news-text/xwlb-2012-2026.jsonl.zst"
raw = subprocess.run(["zstd", "-dc", "--long=27", src], check=True, capture_output=True).stdout
pairs = []
for line in io.StringIO(raw.decode("utf-8")):
    tags = [t.strip() for t in (json.loads(line).get("tags") or "").split(",")]
    # Keywords a person would type: 2-4 characters, no spaces or digits.
    tags = [t for t in tags if 2 <= len(t) <= 4 and t.isalpha()]
    if len(tags) >= 2:
        pairs.append((tags[0], tags[1]))
rng = random.Random(20261129)
for i, (a, b) in enumerate(rng.sample(pairs, n)):
    print(f"kw{i:04d}\t{a} {b}")
