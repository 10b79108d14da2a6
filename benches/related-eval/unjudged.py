#!/usr/bin/env python3
"""Print the unjudged (seed, doc) pairs in a system's top 10, with the text needed to judge them.

    benches/related-eval/unjudged.py [the same options as score.py] [--chars 200] [--tsv FILE]

For each unjudged pair: seed id/date/title, doc id/date/title, and the first --chars characters
of both bodies (read with `BIN show ID --json`). --tsv writes one skeleton line per pair
(seed_id<TAB>doc_id<TAB><TAB>) to fill in with a grade and a reason and append to
judgments.tsv (a later line for the same pair overrides an earlier one). Judge by reading,
without looking at which system found the doc; see README.md for the grades.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402

_BOILERPLATE = re.compile(r"^\s*(央视网消息|中国网络电视台消息)\s*[（(]新闻联播[)）]\s*[：:]\s*")


def article(bin_, index, doc_id):
    p = subprocess.run([bin_, "show", doc_id, "--index", index, "--json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return {"title": "?", "published": "?", "body": p.stderr.strip()}
    return json.loads(p.stdout)


def text(a, n):
    body = _BOILERPLATE.sub("", a.get("body") or "")
    return re.sub(r"\s+", " ", body)[:n]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    score.add_run_args(ap)
    ap.add_argument("--chars", type=int, default=200, help="body characters shown for each side")
    ap.add_argument("--tsv", help="write skeleton judgment lines for the unjudged pairs here")
    a = ap.parse_args()

    qrels = score.load_judgments(a.judgments)
    reprints = score.load_reprints()
    pairs = []
    for seed in score.load_seeds(a.seeds):
        if a.split != "all" and seed["split"] != a.split:
            continue
        ids, _ = score.ranked_ids(a, seed, reprints.get(seed["id"], set()))
        todo = [d for d in ids[:score.K] if d not in qrels.get(seed["id"], {})]
        if not todo:
            continue
        s = article(a.bin, a.index, seed["id"])
        print(f"### SEED {seed['id']} {(s.get('published') or '')[:10]} 【{s['title']}】")
        print(f"    {text(s, a.chars)}")
        for d in todo:
            x = article(a.bin, a.index, d)
            print(f"  - DOC {d} {(x.get('published') or '')[:10]} 【{x['title']}】")
            print(f"    {text(x, a.chars)}")
            pairs.append((seed["id"], d))
        print()
    print(f"{len(pairs)} unjudged pairs", file=sys.stderr)
    if a.tsv:
        with open(a.tsv, "w", encoding="utf-8") as f:
            for sid, d in pairs:
                f.write(f"{sid}\t{d}\t\t\n")


if __name__ == "__main__":
    main()
