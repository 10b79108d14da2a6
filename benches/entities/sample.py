#!/usr/bin/env python3
"""Draws the 100 sentences of the entity-finder precision set (benches/entities) and writes
sentences.jsonl beside this script: the finder's output for each, in draw order.

    python3 benches/entities/sample.py [FINDER]          # from the project root

FINDER is the built entity tool (`cargo build --release --example entities`, then
target/release/examples/entities); default $ENTITIES_BIN or /tmp/zw/entities-bin.

Draw (random.Random(SEED)): the 76,516 articles of ../shared/data/news-text in a shuffled
order; for each, its body split into sentences at 。！？ (and at line breaks, which end
paragraphs), the opening "央视网消息（新闻联播）：" (or a variant) stripped, whitespace
trimmed, and only sentences of 15-150 characters kept; one of them is chosen at random
(articles with none are passed over). The finder then runs on every drawn sentence and the
first 100 with at least one entity are kept, so the 100 come from 100 different articles.
The sentences skipped for having no entity go to skipped.jsonl (numbered s1, s2, ...: they
were read for misses too, see misses.tsv); the counts of articles passed over and of sentences
skipped are printed to stderr.

    python3 benches/entities/sample.py --retag [FINDER] > /tmp/new.jsonl
    python3 benches/entities/score.py /tmp/new.jsonl

runs a (changed) finder on the same sentences instead (the 100 of sentences.jsonl, then the
skipped ones of skipped.jsonl), for rescoring after a fix: the set stays fixed rather than being
redrawn through the new finder's filter, and score.py lists any output nobody has judged yet.
"""
import io, json, os, random, re, subprocess, sys

SEED = 20261206
N = 100
MIN_LEN, MAX_LEN = 15, 150
# The opening "央视网消息（新闻联播）：" and its variants (half-width brackets or colon in about
# 19,000 articles; 央视网消息：, 央视网(新闻联播)：, 央视网消息（焦点访谈）：).
BOILERPLATE = re.compile(r"^央视网(?:消息)?\s*(?:[（(][^）)]{1,8}[）)])?\s*[：:]")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SRC = os.path.join(ROOT, "..", "shared", "data", "news-text", "xwlb-2012-2026.jsonl.zst")
OUT = os.path.join(HERE, "sentences.jsonl")
SKIPPED = os.path.join(HERE, "skipped.jsonl")


def finder(args):
    return args[0] if args else os.environ.get("ENTITIES_BIN", "/tmp/zw/entities-bin")


def tag(binary, sentences):
    """The finder's output for each sentence, in order."""
    out = subprocess.run([binary], input="".join(s + "\n" for s in sentences),
                         capture_output=True, text=True, check=True).stdout
    rows = [json.loads(l) for l in out.splitlines()]
    assert len(rows) == len(sentences), (len(rows), len(sentences))
    return rows


def sentences_of(body):
    out = []
    for s in re.split(r"[。！？\n]", body):
        s = s.strip()
        s = BOILERPLATE.sub("", s).strip()
        if MIN_LEN <= len(s) <= MAX_LEN:
            out.append(s)
    return out


def draw(binary):
    raw = subprocess.run(["zstd", "-dc", "--long=27", SRC], check=True,
                         capture_output=True).stdout
    articles = [json.loads(l) for l in io.StringIO(raw.decode("utf-8"))]
    assert len(articles) == 76516, len(articles)
    rng = random.Random(SEED)
    order = list(range(len(articles)))
    rng.shuffle(order)
    kept, skipped, passed_over, drawn, pos = [], [], 0, 0, 0
    while len(kept) < N:
        batch = []  # (article, sentence), drawn in the same order whatever the batch size
        while len(batch) < 2 * N and pos < len(order):
            a = articles[order[pos]]
            pos += 1
            candidates = sentences_of(a.get("body") or "")
            if not candidates:
                passed_over += 1
                continue
            batch.append((a, rng.choice(candidates)))
        assert batch, "corpus exhausted"
        for (a, s), row in zip(batch, tag(binary, [s for _, s in batch])):
            if len(kept) == N:
                break
            drawn += 1
            if not (row["person"] or row["place"] or row["org"]):
                skipped.append({"no": f"s{len(skipped) + 1}", "id": a["id"], "date": a["date"],
                                "text": s})
                continue
            kept.append({"no": len(kept) + 1, "id": a["id"], "date": a["date"],
                         "text": s, "person": row["person"], "place": row["place"],
                         "org": row["org"]})
    with open(OUT, "w", encoding="utf-8") as f:
        for r in kept:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(SKIPPED, "w", encoding="utf-8") as f:
        for r in skipped:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{drawn} sentences drawn from {drawn} articles ({passed_over} articles passed over:"
          f" no sentence of {MIN_LEN}-{MAX_LEN} characters); {len(skipped)} skipped for having no"
          f" entity (-> skipped.jsonl); {len(kept)} kept -> sentences.jsonl", file=sys.stderr)


def retag(binary):
    rows = [json.loads(l) for f in (OUT, SKIPPED) for l in open(f, encoding="utf-8")]
    for r, t in zip(rows, tag(binary, [r["text"] for r in rows])):
        r.update(person=t["person"], place=t["place"], org=t["org"])
        print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--retag"]:
        retag(finder(args[1:]))
    else:
        draw(finder(args))
