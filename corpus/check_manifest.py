#!/usr/bin/env python3
"""Sanity-check corpus/manifest.json against the HTML files.

Decodes every page with the charset recorded in the manifest (the real byte
encoding, not necessarily what the page declares) and checks that title,
body_first/body_last, author, source, editor, url, published date and
keywords really occur in the page.  Also pulls the article body out with a
per-site rule to check body_first/body_last against the first/last paragraph
and to report body sizes.  Exit status 1 on any failure.

Usage: python3 corpus/check_manifest.py
"""
import datetime as dt
import html
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
CODEC = {"utf-8": "utf-8", "gbk": "gbk", "big5": "big5"}
SITE_NAMES = {"huaxia": "华夏网", "jianghuai": "江淮新闻网", "beifang": "北方信息港",
              "linjiang": "临江晚报网", "huasheng": "華聲新聞網", "jinguan": "金融观察网",
              "qianyan": "数码前沿"}
HAN = re.compile(r"[\u4e00-\u9fff]")

# per-site: (regex for the body container, regex for one paragraph in it)
BODY_RULES = {
    "huaxia": (r'<div class="article-content">(.*?)</div>', r"<p>(.*?)</p>"),
    "jianghuai": (r'<div id="content">(.*?)</div>', r"<p>(.*?)</p>"),
    "beifang": (r'<td class="content"><font[^>]*>(.*?)</font></td>', None),
    "linjiang": (r'<div class="article-body">(.*?)</div>\s*<div class="more">', r"<p>(.*?)</p>"),
    "huasheng": (r'<div class="story-body">(.*?)</div>', r"<p>(.*?)</p>"),
    "jinguan": (r'<div class="rm_txt_con">(.*?)<div class="relate">', r'<p style="text-indent: 2em;">(.*?)</p>'),
    "qianyan": (r'<div class="post-content">(.*?)</div>', r"<p>(.*?)</p>"),
}

TOPICS = ["援疆", "教育", "脱贫攻坚", "中国人民银行", "臺灣經濟", "台湾经济", "垃圾分类",
          "新能源汽车", "疫苗", "COVID-19", "5G", "基站", "长江", "生态保护", "乡村振兴",
          "高考", "冬奥会", "地铁", "暴雨", "法院"]


def clean(s):
    s = html.unescape(re.sub(r"<[^>]+>", "", s))
    return s.strip().strip("\u3000").strip()


def paragraphs(site, text):
    box_re, p_re = BODY_RULES[site]
    m = re.search(box_re, text, re.S)
    assert m, "body container not found"
    box = m.group(1)
    if p_re is None:
        parts = re.split(r"<br>\s*<br>", box)
    else:
        parts = re.findall(p_re, box, re.S)
    return [c for c in (clean(p) for p in parts) if c]


def main():
    with open(os.path.join(ROOT, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    errors, total_bytes, stats, groups = [], 0, [], {}
    topic_pages = {t: 0 for t in TOPICS}
    per_site = {}
    files_on_disk = {os.path.relpath(os.path.join(dp, fn), ROOT)
                     for dp, _, fns in os.walk(ROOT) for fn in fns
                     if fn.endswith((".html", ".htm", ".shtml"))}
    listed = {m["file"] for m in manifest}
    if files_on_disk != listed:
        errors.append(f"manifest/file mismatch: {sorted(files_on_disk ^ listed)}")

    for m in manifest:
        path = os.path.join(ROOT, m["file"])
        site = m["file"].split("/")[0]
        per_site.setdefault((site, m["charset"]), 0)
        per_site[(site, m["charset"])] += 1
        raw = open(path, "rb").read()
        total_bytes += len(raw)

        def fail(msg):
            errors.append(f"{m['file']}: {msg}")
        try:
            text = raw.decode(CODEC[m["charset"]])
        except UnicodeDecodeError as e:
            fail(f"does not decode as {m['charset']}: {e}")
            continue
        if m["charset"] != "utf-8":
            try:
                raw.decode("utf-8")
                fail("non-utf-8 page is valid UTF-8 (bytes not really legacy?)")
            except UnicodeDecodeError:
                pass
        # title
        if f">{html.escape(m['title'], quote=False)}<" not in text:
            fail("title not found as element text")
        t = re.search(r"<title>(.*?)</title>", text, re.S)
        if not t or not html.unescape(t.group(1)).startswith(m["title"]) or html.unescape(t.group(1)) == m["title"]:
            fail("<title> is not headline + site suffix")
        # body first/last
        for key in ("body_first", "body_last"):
            if len(m[key]) != 15 or m[key] not in text:
                fail(f"{key} {m[key]!r} not in page")
        if text.find(m["body_first"]) > text.rfind(m["body_last"]):
            fail("body_first occurs after body_last")
        try:
            paras = paragraphs(site, text)
            if paras[0][:15] != m["body_first"]:
                fail(f"first paragraph starts {paras[0][:15]!r}")
            last = [p for p in paras if not p.startswith("图为") and "责任编辑" not in p]
            if last[-1][-15:] != m["body_last"]:
                fail(f"last paragraph ends {last[-1][-15:]!r}")
            body = "".join(p for p in paras if not p.startswith("图为") and "责任编辑" not in p)
            nhan = len(HAN.findall(body))
            stats.append((nhan, m["file"]))
            if not 120 <= nhan <= 1500:
                fail(f"body has {nhan} Han characters")
            for tpc in TOPICS:
                if tpc in body:
                    topic_pages[tpc] += 1
        except (AssertionError, IndexError) as e:
            fail(f"body extraction failed: {e!r}")
        # people / source
        for key in ("author", "source", "editor"):
            if m[key] is not None:
                for name in m[key].split():
                    if name not in text:
                        fail(f"{key} {name!r} not in page")
        if m["author"] and m["editor"] and m["editor"] in m["author"].split():
            fail("editor listed as author")
        # canonical
        canon = re.findall(r'<link rel="canonical" href="([^"]+)"', text)
        if m["url"] is None:
            if canon:
                fail("manifest url null but page has canonical")
        elif canon != [m["url"]]:
            fail(f"canonical {canon} != {m['url']}")
        # published
        pub = m["published"]
        if len(pub) == 16:
            d = dt.datetime.strptime(pub, "%Y-%m-%d %H:%M")
            forms = [d.strftime("%Y-%m-%d %H:%M"), f"{d.year}年{d:%m}月{d:%d}日 {d:%H:%M}"]
        else:
            d = dt.datetime.strptime(pub, "%Y-%m-%d")
            forms = [d.strftime("%Y/%m/%d")]
            if m["url"]:
                forms.append(d.strftime("/%Y/%m%d/"))
        if not any(f in text for f in forms):
            fail(f"published {pub} not shown in page")
        # keywords
        kw = re.search(r'<meta name="keywords" content="([^"]*)"', text)
        if m["keywords"]:
            if not kw or html.unescape(kw.group(1)).split(",") != m["keywords"]:
                fail("meta keywords differ")
        elif kw:
            fail("page has meta keywords but manifest lists none")
        if m["reprint_group"]:
            groups.setdefault(m["reprint_group"], []).append((d, m))

    # reprint groups: one original, copies 1 hour .. 2 days later, different sites
    for g, members in sorted(groups.items()):
        members.sort(key=lambda x: x[0])
        orig_d, orig = members[0]
        sites = {x[1]["file"].split("/")[0] for x in members}
        if len(members) < 2 or len(sites) != len(members):
            errors.append(f"group {g}: needs >=2 copies on distinct sites")
        for d, m in members[1:]:
            delta = d - orig_d
            if not dt.timedelta(hours=1) <= delta <= dt.timedelta(days=2):
                errors.append(f"group {g}: {m['file']} published {delta} after original")
            own = SITE_NAMES[m["file"].split("/")[0]]
            if m["source"] is None or own.startswith(m["source"]) or m["source"] != orig["source"]:
                errors.append(f"group {g}: {m['file']} should credit the original ({orig['source']})")
            if m["editor"] == orig["editor"]:
                errors.append(f"group {g}: {m['file']} has the same editor as the original")

    print(f"{len(manifest)} pages, {total_bytes / 1024:.0f} KiB")
    for (site, cs), n in sorted(per_site.items()):
        print(f"  {site:10s} {cs:6s} {n}")
    if stats:
        stats.sort()
        print("body Han chars per page:", " ".join(str(s) for s, _ in stats))
        print(f"body Han chars: min {stats[0][0]} ({stats[0][1]}), max {stats[-1][0]} ({stats[-1][1]}),"
              f" total {sum(s for s, _ in stats)}")
    print("reprint groups:")
    for g, members in sorted(groups.items()):
        print(f"  {g}: " + ", ".join(f"{m['file']} [{m['published']}]" for _, m in members))
    years = {}
    for m in manifest:
        years[m["published"][:4]] = years.get(m["published"][:4], 0) + 1
    print("pages per year:", dict(sorted(years.items())))
    print("pages whose body contains:", ", ".join(f"{t} {n}" for t, n in topic_pages.items()))
    if total_bytes > 3 * 1024 * 1024:
        errors.append("corpus larger than 3 MB")
    if errors:
        print("\nFAILED:")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
