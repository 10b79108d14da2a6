#!/usr/bin/env python3
"""Draw the seeds and build the judging pool (how seeds.tsv, reprints.tsv and pool.tsv were made).

    benches/related-eval/pool.py CORPUS.jsonl --bin BIN --index DIR [--write-seeds]

Seeds: random.Random(SEED).sample(eligible ids in corpus order, 60). Eligible: a body of at
least 150 characters (after stripping) and a title that is not a round-up (ROUNDUPS).
Split: the 60 seeds sorted by sha1(id) hex digest; the first 30 are `tune`, the rest `test`.
Reprints of a seed (left out of the pool and of every scored list): the same body after
removing whitespace, or the same title with character-4-gram Jaccard >= 0.8 between bodies.
Pool per seed (top 10 each): related; related --days 30; title search (plain title words,
--partial); title search within +-7 days of the seed. pool.tsv records which system found
each doc (judging is done without looking at it).
"""
import argparse
import hashlib
import json
import os
import random
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261201
N = 60
MIN_BODY = 150
ROUNDUPS = {"国内联播快讯", "国际联播快讯", "联播快讯", "国家卫生健康委通报最新疫情",
            "国家卫生健康委通报最新疫情情况"}


def norm(s):
    return re.sub(r"\s+", "", s or "")


def shingles(s, n=4):
    s = norm(s)
    return {s[i:i + n] for i in range(max(1, len(s) - n + 1))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--write-seeds", action="store_true")
    a = ap.parse_args()

    arts = [json.loads(line) for line in open(a.corpus, encoding="utf-8")]
    by_id = {x["id"]: x for x in arts}
    eligible = [x["id"] for x in arts
                if len((x.get("body") or "").strip()) >= MIN_BODY and x["title"] not in ROUNDUPS]
    chosen = random.Random(SEED).sample(eligible, N)
    order = sorted(chosen, key=lambda i: hashlib.sha1(i.encode()).hexdigest())
    split = {i: ("tune" if k < N // 2 else "test") for k, i in enumerate(order)}
    seeds = [{"id": i, "split": split[i], "title": by_id[i]["title"], "date": by_id[i]["date"]}
             for i in chosen]
    if a.write_seeds:
        with open(os.path.join(HERE, "seeds.tsv"), "w", encoding="utf-8") as f:
            f.write("seed_id\tsplit\ttitle\tdate\n")
            for s in sorted(seeds, key=lambda s: (s["split"] != "tune", s["id"])):
                f.write(f"{s['id']}\t{s['split']}\t{s['title']}\t{s['date']}\n")

    by_body, by_title = {}, {}
    for x in arts:
        by_body.setdefault(norm(x.get("body")), []).append(x["id"])
        by_title.setdefault(x["title"], []).append(x["id"])
    reprints = {}
    for s in seeds:
        sx = by_id[s["id"]]
        own = set(by_body.get(norm(sx.get("body")), []))
        sh = shingles(sx.get("body"))
        for d in by_title.get(sx["title"], []):
            o = shingles(by_id[d].get("body"))
            if len(sh & o) / max(1, len(sh | o)) >= 0.8:
                own.add(d)
        own.discard(s["id"])
        reprints[s["id"]] = own
    with open(os.path.join(HERE, "reprints.tsv"), "w", encoding="utf-8") as f:
        f.write("seed_id\tdoc_id\n")
        for s in seeds:
            for d in sorted(reprints[s["id"]]):
                f.write(f"{s['id']}\t{d}\n")

    with open(os.path.join(HERE, "pool.tsv"), "w", encoding="utf-8") as f:
        f.write("seed_id\tdoc_id\tfound_by\n")
        for s in seeds:
            sid, own = s["id"], reprints[s["id"]]
            runs = {
                "related": score.related_ids(a.bin, a.index, sid),
                "related30": score.related_ids(a.bin, a.index, sid, days=30),
                "title": score.title_ids(a.bin, a.index, s, own),
                "title7": score.title_ids(a.bin, a.index, s, own, window_days=7),
            }
            found = {}
            for name, ids in runs.items():
                for d in ids[:10]:
                    if d != sid and d not in own:
                        found.setdefault(d, []).append(name)
            for d, names in found.items():
                f.write(f"{sid}\t{d}\t{','.join(names)}\n")
            print(f"{s['split']}\t{sid}\t{len(found)} pooled\t{len(own)} reprints\t{s['title']}",
                  file=sys.stderr)


if __name__ == "__main__":
    main()
