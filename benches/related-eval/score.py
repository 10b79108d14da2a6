#!/usr/bin/env python3
"""Score `zhnews related` (or the title-search baseline) against the judged related-stories set.

    benches/related-eval/score.py [--bin BIN] [--index DIR] [--limit 10] [--days N]
                                  [--baseline title|title7] [--cmd TEMPLATE] [--split tune|test|all]
                                  [--per-seed] [--unjudged] [--json] [-- EXTRA ARGS...]

Default command per seed:  BIN related ID --index DIR --limit 10 --json [--days N] EXTRA...
--cmd runs any shell command instead ({id}, {bin}, {index}, {limit} are filled in); it must print
the JSON of `related` or `search` (an object with "hits": [{"id": ...}, ...]).
--baseline title runs the title-search baseline: the seed's title as plain words (partial matches
top up the page, the default),
top 10 without the seed and its reprints (title7: the same within +-7 days of the seed).

Metrics per split (standard library only; see README.md):
  nDCG@10    gains 2/1/0 from judgments.tsv, ideal ranking from all judged docs of the seed
  P@10(2)    grade-2 (same story) docs among the top 10, divided by 10
  story@5    share of seeds with a grade-2 doc in the top 5
  ceilings   what the judgments allow: P@10(2) with every judged grade-2 doc in the top 10, and
             story@5 over only the seeds that have a judged grade-2 doc
  results    mean number of results returned (after dropping the seed's own copies)
  unjudged   returned docs in the top 10 that have no judgment (counted as 0 in the metrics)
"""
import argparse
import datetime
import json
import math
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BIN = "zhnews"
DEFAULT_INDEX = "index"
K = 10

# Characters and words that the query language would read as operators; the baseline turns
# the title into plain words (what `batch` does with its plain-text parser).
_OPERATOR_CHARS = '"“”「」()（）[]:：-－~～'
_OPERATOR_WORDS = {"OR", "AND", "NOT", "||", "&&"}


def load_seeds(path=os.path.join(HERE, "seeds.tsv")):
    seeds = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("seed_id\t"):
                continue
            sid, split, title, date = line.rstrip("\n").split("\t")
            seeds.append({"id": sid, "split": split, "title": title, "date": date})
    return seeds


def load_judgments(path=os.path.join(HERE, "judgments.tsv")):
    """{seed: {doc: grade}}; a later line for the same pair wins (so corrections can be appended)."""
    qrels = {}
    if not os.path.exists(path):
        return qrels
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("seed_id\t") or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


def load_reprints(path=os.path.join(HERE, "reprints.tsv")):
    """{seed: set(ids of its own copies)}: never counted as results."""
    out = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("seed_id\t"):
                    continue
                s, d = line.rstrip("\n").split("\t")[:2]
                out.setdefault(s, set()).add(d)
    return out


def plain_title(title):
    for c in _OPERATOR_CHARS:
        title = title.replace(c, " ")
    words = []
    for w in title.split():
        u = w.upper()
        if u in _OPERATOR_WORDS or u.startswith("NEAR/"):
            continue
        if any(ch.isalnum() for ch in w):
            words.append(w)
    return " ".join(words)


def _run_json(argv, shell=False):
    p = subprocess.run(argv, shell=shell, capture_output=True, text=True)
    # Exit 1 is "nothing found": the JSON is still printed (an empty list).
    if p.returncode not in (0, 1) or not p.stdout.strip():
        cmd = argv if shell else " ".join(shlex.quote(a) for a in argv)
        sys.exit(f"command failed ({p.returncode}): {cmd}\n{p.stderr.strip()}")
    return json.loads(p.stdout)


def related_ids(bin_, index, sid, limit=K, days=None, extra=()):
    argv = [bin_, "related", sid, "--index", index, "--limit", str(limit), "--json"]
    if days is not None:
        argv += ["--days", str(days)]
    argv += list(extra)
    return [h["id"] for h in _run_json(argv)["hits"]]


def title_ids(bin_, index, seed, own, limit=K, window_days=None, extra=()):
    """Title-search baseline: plain title words (partial matches by default), seed and its
    copies left out."""
    argv = [bin_, "search", "--index", index, "--json",
            "--limit", str(limit + 1 + len(own))]
    if window_days is not None:
        d = datetime.date.fromisoformat(seed["date"])
        span = datetime.timedelta(days=window_days)
        argv += ["--from", (d - span).isoformat(), "--to", (d + span).isoformat()]
    argv += list(extra)
    argv += ["--", plain_title(seed["title"])]
    ids = [h["id"] for h in _run_json(argv)["hits"]]
    return [i for i in ids if i != seed["id"] and i not in own][:limit]


def cmd_ids(template, bin_, index, sid, limit=K):
    cmd = template.format(id=shlex.quote(sid), bin=shlex.quote(bin_),
                          index=shlex.quote(index), limit=limit)
    return [h["id"] for h in _run_json(cmd, shell=True)["hits"]]


def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def score_seed(ranked, judged):
    top = ranked[:K]
    gains = [judged.get(d, 0) for d in top]
    ideal = dcg(sorted(judged.values(), reverse=True)[:K])
    return {
        "ndcg": dcg(gains) / ideal if ideal > 0 else None,
        "p10": sum(1 for g in gains if g == 2) / K,
        "story5": 1.0 if any(judged.get(d, 0) == 2 for d in top[:5]) else 0.0,
        "results": len(top),
        "unjudged": [d for d in top if d not in judged],
        "has_story": any(g == 2 for g in judged.values()),
        # The best P@10 any ranking could reach: every judged same-story doc in the top 10.
        "p10_ceiling": min(K, sum(1 for g in judged.values() if g == 2)) / K,
    }


def summarize(rows):
    n = len(rows)
    nd = [r["ndcg"] for r in rows if r["ndcg"] is not None]
    return {
        "seeds": n,
        "ndcg@10": sum(nd) / len(nd) if nd else 0.0,
        "p@10_story": sum(r["p10"] for r in rows) / n if n else 0.0,
        "story_in_top5": sum(r["story5"] for r in rows) / n if n else 0.0,
        "seeds_with_story": sum(1 for r in rows if r["has_story"]),
        "p@10_story_ceiling": sum(r["p10_ceiling"] for r in rows) / n if n else 0.0,
        "story_in_top5_of_seeds_with_story": (
            sum(r["story5"] for r in rows) / max(1, sum(1 for r in rows if r["has_story"]))),
        "seeds_with_relevant": len(nd),
        "mean_results": sum(r["results"] for r in rows) / n if n else 0.0,
        "unjudged": sum(len(r["unjudged"]) for r in rows),
    }


def add_run_args(ap):
    """The options that choose which ranking is scored (shared with unjudged.py)."""
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--index", default=DEFAULT_INDEX)
    ap.add_argument("--limit", type=int, default=K)
    ap.add_argument("--days", type=int)
    ap.add_argument("--baseline", choices=["title", "title7"])
    ap.add_argument("--cmd", help="shell command template instead of `related` ({id} {bin} {index} {limit})")
    ap.add_argument("--split", choices=["tune", "test", "all"], default="all")
    ap.add_argument("--seeds", default=os.path.join(HERE, "seeds.tsv"))
    ap.add_argument("--judgments", default=os.path.join(HERE, "judgments.tsv"))
    ap.add_argument("extra", nargs="*", help="extra arguments for the command (after --)")


def ranked_ids(a, seed, own):
    """The ranking of one seed by the chosen system, without the seed and its copies, and how
    many copies were dropped."""
    sid = seed["id"]
    if a.baseline:
        ids = title_ids(a.bin, a.index, seed, own, a.limit,
                        7 if a.baseline == "title7" else None, a.extra)
    elif a.cmd:
        ids = cmd_ids(a.cmd, a.bin, a.index, sid, a.limit)
    else:
        ids = related_ids(a.bin, a.index, sid, a.limit, a.days, a.extra)
    kept = [i for i in ids if i != sid and i not in own]
    return kept, len(ids) - len(kept)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_run_args(ap)
    ap.add_argument("--per-seed", action="store_true",
                    help="one line per seed: nDCG and the grades of the top 10 (? = unjudged)")
    ap.add_argument("--unjudged", action="store_true",
                    help="list the unjudged returned pairs (unjudged.py prints them with text)")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    a = ap.parse_args()

    seeds = load_seeds(a.seeds)
    qrels = load_judgments(a.judgments)
    reprints = load_reprints()
    splits = ["tune", "test"] if a.split == "all" else [a.split]
    rows = {s: [] for s in splits}
    copies_returned = 0
    for seed in seeds:
        if seed["split"] not in rows:
            continue
        sid = seed["id"]
        kept, dropped = ranked_ids(a, seed, reprints.get(sid, set()))
        copies_returned += dropped
        r = score_seed(kept, qrels.get(sid, {}))
        r["seed"] = sid
        r["ids"] = kept
        rows[seed["split"]].append(r)
        if a.per_seed:
            nd = "  -  " if r["ndcg"] is None else f"{r['ndcg']:.3f}"
            grades = "".join("?" if d not in qrels.get(sid, {}) else str(qrels[sid][d])
                             for d in kept[:K])
            print(f"{seed['split']}\t{sid}\tnDCG={nd}\t{grades:<10}\t{seed['title']}")

    summary = {s: summarize(rows[s]) for s in splits}
    if a.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        def table(columns, cells):
            """One markdown row per split: `cells(m)` gives the row's cells after the split."""
            print("| split | " + " | ".join(columns) + " |")
            print("|---" * (len(columns) + 1) + "|")
            for s in splits:
                print(f"| {s} | " + " | ".join(cells(summary[s])) + " |")

        table(["seeds", "nDCG@10", "P@10 same story", "same story in top 5", "mean results",
               "unjudged"],
              lambda m: [str(m['seeds']), f"{m['ndcg@10']:.3f}", f"{m['p@10_story']:.3f}",
                         f"{m['story_in_top5']:.3f}", f"{m['mean_results']:.1f}",
                         str(m['unjudged'])])
        print()
        table(["P@10 same story / its ceiling", "same story in top 5, seeds that have one"],
              lambda m: [f"{m['p@10_story']:.3f} / {m['p@10_story_ceiling']:.3f}",
                         f"{m['story_in_top5_of_seeds_with_story']:.3f} "
                         f"({m['seeds_with_story']} seeds)"])
        print("(nDCG@10 averages the " + ", ".join(
            f"{summary[s]['seeds_with_relevant']} {s}" for s in splits)
            + " seeds with a judged relevant doc; story@5 and P@10 average all seeds, of which "
            + ", ".join(f"{summary[s]['seeds_with_story']} {s}" for s in splits)
            + " have a judged same-story doc)")
        if copies_returned:
            print(f"(dropped {copies_returned} returned copies of seeds)")
    if a.unjudged:
        for s in splits:
            for r in rows[s]:
                for d in r["unjudged"]:
                    print(f"UNJUDGED\t{r['seed']}\t{d}")


if __name__ == "__main__":
    main()
