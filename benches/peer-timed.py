#!/usr/bin/env python3
"""Runs one peer script from ../shared/tools/peers unchanged and adds to its SUMMARY line what
the shared harness leaves out: latency percentiles per query set, p99 included, computed the
way `zhnews batch` computes them (the value at rank round((n - 1) * p) of the sorted times).

    ZHNEWS_SETS="headline=Q1.tsv;two_word=Q2.tsv" peer-timed.py PEER.py [peer arguments]

The peer gets the queries of every set in one file (its --queries); each query id is put in
the set whose file lists it. The SUMMARY gains {"sets": {name: {"queries", "p50_ms",
"p95_ms", "p99_ms"}}}.
"""
import os
import runpy
import sys


def percentiles(times):
    times = sorted(times)
    at = lambda p: round(times[int((len(times) - 1) * p + 0.5)], 3) if times else None
    return {"queries": len(times), "p50_ms": at(0.5), "p95_ms": at(0.95), "p99_ms": at(0.99)}


def main():
    peer = os.path.abspath(sys.argv[1])
    sys.argv = [peer] + sys.argv[2:]
    sys.path.insert(0, os.path.dirname(peer))
    import common

    set_of = {}
    for spec in filter(None, os.environ.get("ZHNEWS_SETS", "").split(";")):
        name, path = spec.split("=", 1)
        for qid, _ in common.load_queries(path):
            set_of[qid] = name
    timed = {}
    time_queries, report = common.time_queries, common.report

    def time_queries_by_id(search, queries, k, warmup=3):
        results, lat = time_queries(search, queries, k, warmup)
        for (qid, _), ms in zip(queries, lat):
            timed.setdefault(set_of.get(qid, "all"), []).append(ms)
        return results, lat

    def report_with_sets(args, name, n_docs, index_s, index_bytes, results, lat, extra=None):
        extra = dict(extra or {})
        extra["sets"] = {set_name: percentiles(times) for set_name, times in timed.items()}
        return report(args, name, n_docs, index_s, index_bytes, results, lat, extra)

    # The peers take these names with `from common import *` when they start, below.
    common.time_queries = time_queries_by_id
    common.report = report_with_sets
    runpy.run_path(peer, run_name="__main__")


if __name__ == "__main__":
    main()
