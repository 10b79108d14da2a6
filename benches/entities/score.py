#!/usr/bin/env python3
"""Precision (and a rough recall) of the entity finder on the judged sentences.

    python3 benches/entities/score.py                  # the judged output (judgments.tsv)
    python3 benches/entities/score.py /tmp/new.jsonl   # a retagged run (sample.py --retag)

Units are mentions: (sentence, kind, value) triples; the finder lists a value once per kind
per sentence. Precision = correct / judged, micro over mentions, overall and per kind.
"strict" also counts as wrong the values judged correct but noted [nested] (a real name of
that kind read inside a longer name, e.g. 俄亥俄 in 俄亥俄州立大学).

Recall (rough): the gold mentions of a sentence are the outputs judged correct plus the misses
a reader noted (misses.tsv), so recall = found gold / gold. It is given over the 100 sentences
and, lower and closer to the truth, with the skipped sentences (no entity found; s1, s2, ...)
added.

With a retagged file: outputs judged in judgments.tsv keep their verdict, outputs listed in
misses.tsv count as correct, and any other output is listed as unjudged (judge it, add it to
judgments.tsv) and left out of precision.
"""
import collections, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ("person", "place", "org")


def read_tsv(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    return rows[1:]  # header


judged = {}  # (no, kind, value) -> (verdict, note)
for no, kind, value, verdict, note in read_tsv("judgments.tsv"):
    judged[(no, kind, value)] = (int(verdict), note)
misses = {(r[0], r[1], r[2]) for r in read_tsv("misses.tsv")}

if len(sys.argv) > 1:
    outputs = set()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            outputs |= {(str(r["no"]), k, v) for k in KINDS for v in r[k]}
else:
    outputs = set(judged)

scored, unjudged = {}, []
for t in sorted(outputs):
    if t in judged:
        scored[t] = judged[t]
    elif t in misses:
        scored[t] = (1, "[was a miss]")
    else:
        unjudged.append(t)

gold = {t for t, (v, _) in judged.items() if v} | misses


def wilson(a, b, z=1.96):
    """95% Wilson interval of a/b, in percent (mentions treated as independent)."""
    if not b:
        return "-"
    p = a / b
    centre = (p + z * z / (2 * b)) / (1 + z * z / b)
    half = z * ((p * (1 - p) / b + z * z / (4 * b * b)) ** 0.5) / (1 + z * z / b)
    return f"{100 * (centre - half):.0f}-{100 * (centre + half):.0f}%"


def pct(a, b):
    return f"{100 * a / b:5.1f}%" if b else "    -"


print("Precision, micro over mentions (correct / judged)")
print(f"{'kind':<8} {'judged':>6} {'correct':>7} {'precision':>9} {'95% CI':>8}   strict (nested = wrong)")
for kind in KINDS + ("all",):
    rows = [(v, n) for (no, k, _), (v, n) in scored.items() if kind in ("all", k)]
    c = sum(v for v, _ in rows)
    strict = sum(v for v, n in rows if "[nested]" not in n)
    print(f"{kind:<8} {len(rows):>6} {c:>7} {pct(c, len(rows)):>9} {wilson(c, len(rows)):>8}"
          f"   {pct(strict, len(rows))} ({strict})")

errors = collections.defaultdict(list)
for (no, kind, value), (v, note) in sorted(scored.items(), key=lambda kv: (
        int(kv[0][0]) if kv[0][0].isdigit() else 1000, kv[0])):
    if not v:
        m = re.match(r"\[([^\]]+)\]", note)
        errors[m.group(1) if m else "other"].append(f"{value} ({kind}, #{no})")
print("\nErrors by type")
for typ, items in sorted(errors.items(), key=lambda kv: -len(kv[1])):
    print(f"{len(items):>3} {typ:<12} {', '.join(items)}")

print("\nRecall (rough): found gold / gold, gold = judged correct + noted misses")
print(f"{'kind':<8} {'100 sentences':>22} {'+ skipped sentences':>24}")
for kind in KINDS + ("all",):
    cells = []
    for with_skipped in (False, True):
        g = {t for t in gold if kind in ("all", t[1]) and (with_skipped or t[0].isdigit())}
        found = sum(1 for t in g if t in scored and scored[t][0])
        cells.append(f"{found}/{len(g)} = {pct(found, len(g)).strip()}")
    print(f"{kind:<8} {cells[0]:>22} {cells[1]:>24}")

if unjudged:
    print(f"\n{len(unjudged)} output(s) not judged yet (left out of precision):")
    for no, kind, value in unjudged:
        print(f"{no}\t{kind}\t{value}")
