#!/usr/bin/env python3
"""Generate the zhnews demo corpus (HTML pages + manifest.json).

All article text lives in articles_*.py next to this file and was written
for this project.  Run:  python3 corpus/tools/gen_corpus.py
"""
import datetime as _dt
import html
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from articles_a import ARTICLES as A1  # noqa: E402
from articles_b import ARTICLES as A2  # noqa: E402
from articles_c import ARTICLES as A3  # noqa: E402
from pools import POOLS  # noqa: E402

ALL = A1 + A2 + A3
BY_ID = {a["id"]: a for a in ALL}

SITES = {
    "huaxia": dict(name="华夏网", charset="utf-8", show_time=True),
    "jianghuai": dict(name="江淮新闻网", charset="gbk", show_time=True),
    "beifang": dict(name="北方信息港", charset="gbk", show_time=False),
    "linjiang": dict(name="临江晚报网", charset="utf-8", show_time=True),
    "huasheng": dict(name="華聲新聞網", charset="big5", show_time=True),
    "jinguan": dict(name="金融观察网", charset="utf-8", show_time=False),
    "qianyan": dict(name="数码前沿", charset="utf-8", show_time=True),
}


def esc(s):
    return html.escape(s, quote=True)


def parse_body(text):
    """Paragraph per line; a line starting with [图] is a photo caption
    attached after the preceding paragraph."""
    paras, caps = [], {}
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("[图]"):
            caps[len(paras) - 1] = line[3:].strip()
        else:
            paras.append(line)
    return paras, caps


def resolve(a):
    """Fill a reprint from its original; return a full article dict."""
    a = dict(a)
    if "of" in a:
        o = BY_ID[a["of"]]
        for k in ("title", "author", "body"):
            a.setdefault(k, o[k])
        a.setdefault("keywords", o.get("keywords", []))
        paras, _caps = parse_body(a["body"])  # reprints drop photos
        for old, new in a.get("edits", []):
            hits = [i for i, p in enumerate(paras) if old in p]
            assert len(hits) == 1, (a["id"], old, hits)
            i = hits[0]
            assert paras[i].count(old) == 1, (a["id"], old)
            paras[i] = paras[i].replace(old, new)
        if a.get("drop_first"):
            paras = paras[1:]
        if a.get("note"):
            paras = [a["note"]] + paras
        a["paras"], a["caps"] = paras, {}
        a["group"] = o["group"]
    else:
        a["paras"], a["caps"] = parse_body(a["body"])
    a.setdefault("keywords", [])
    a.setdefault("group", None)
    dt = a["dt"]
    fmt = {10: "%Y-%m-%d", 16: "%Y-%m-%d %H:%M", 19: "%Y-%m-%d %H:%M:%S"}[len(dt)]
    a["dto"] = _dt.datetime.strptime(dt, fmt)
    return a


def pool_items(a, key, n, min_days=0, max_days=40):
    rnd = random.Random(a["id"] + key)
    heads = rnd.sample(POOLS[key], n)
    out = []
    for h in heads:
        d = a["dto"] - _dt.timedelta(days=rnd.randint(min_days, max_days),
                                     minutes=rnd.randint(0, 1400))
        out.append((h, d, rnd.randint(100000, 999999)))
    out.sort(key=lambda x: x[1], reverse=True)
    return out


def iso(d):
    return d.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"


# --------------------------------------------------------------------------
# site 1: modern national portal, UTF-8
# --------------------------------------------------------------------------
def render_huaxia(a):
    d = a["dto"]
    kw = ",".join(a["keywords"])
    desc = a["paras"][0][:60]
    byline = [f'<span class="time">{d:%Y-%m-%d %H:%M:%S}</span>']
    if a.get("source"):
        byline.append(f'<span class="source">来源：<a href="javascript:;">{esc(a["source"])}</a></span>')
    if a.get("author"):
        byline.append(f'<span class="author">作者：{esc(a["author"])}</span>')
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in a["paras"])
    editor = f'\n<p class="editor">（责任编辑：{esc(a["editor"])}）</p>' if a.get("editor") else ""
    rel = "\n".join(
        f'<li><a href="https://news.huaxia.example.cn/gn/{x:%Y-%m}/{x:%d}/c_{n}.htm" target="_blank">{esc(h)}</a><span class="date">{x:%Y-%m-%d}</span></li>'
        for h, x, n in pool_items(a, "cn", 5))
    rec = "\n".join(
        f'<li><a href="https://news.huaxia.example.cn/tj/{x:%Y%m%d}/{n}.htm"><img src="//img.huaxia.example.cn/thumb/{n}.jpg" alt=""><span>{esc(h)}</span></a></li>'
        for h, x, n in pool_items(a, "cn2", 4))
    hot = "\n".join(f'<li><em>{i}</em><a href="https://news.huaxia.example.cn/hot/{n}.htm">{esc(h)}</a></li>'
                    for i, (h, x, n) in enumerate(pool_items(a, "cn3", 8), 1))
    sec = a["section"]
    sec_path = {"国内新闻": "gn", "财经频道": "cj", "体育": "ty"}.get(sec, "gn")
    aid = a["url"].rsplit("_", 1)[-1].split(".")[0]
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(a["title"])}_华夏网</title>
<meta name="keywords" content="{esc(kw)}">
<meta name="description" content="{esc(desc)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="华夏网">
<meta property="og:title" content="{esc(a["title"])}">
<meta property="og:url" content="{a["url"]}">
<meta property="og:image" content="https://img.huaxia.example.cn/share/logo_600.png">
<meta property="article:published_time" content="{iso(d)}">
<meta name="apple-itunes-app" content="app-id=1000000001">
<link rel="canonical" href="{a["url"]}">
<link rel="shortcut icon" href="//static.huaxia.example.cn/favicon.ico">
<link rel="stylesheet" href="//static.huaxia.example.cn/css/article.v3.2.css">
<style>
body{{margin:0;font:14px/1.6 "PingFang SC","Microsoft YaHei",sans-serif;color:#333;background:#f5f5f5}}
a{{color:#333;text-decoration:none}}a:hover{{color:#c00}}
.w1200{{width:1200px;margin:0 auto}}
.topbar{{height:32px;line-height:32px;background:#222;color:#aaa;font-size:12px}}
.nav{{background:#c00}}.nav li{{display:inline-block;padding:0 18px;line-height:44px}}.nav a{{color:#fff;font-size:16px}}
.left{{float:left;width:860px;background:#fff;padding:20px 30px}}.right{{float:right;width:300px}}
.article-title{{font-size:30px;line-height:42px;margin:18px 0}}
.article-info{{color:#888;border-bottom:1px solid #eee;padding-bottom:12px}}
.article-content p{{font-size:18px;line-height:32px;text-indent:2em;margin:0 0 20px}}
.article-content .editor{{text-align:right;color:#999;font-size:14px}}
.related li span.date{{float:right;color:#999}}
.footer{{clear:both;text-align:center;color:#999;padding:30px 0;font-size:12px}}
</style>
<script>
var ARTICLE_INFO = {{"id":"{aid}","channel":"{sec_path}","title":{json.dumps(a["title"], ensure_ascii=False)},"pubtime":"{d:%Y-%m-%d %H:%M:%S}"}};
window.dataLayer = window.dataLayer || [];
</script>
</head>
<body>
<div class="topbar"><div class="w1200"><span class="welcome">欢迎访问华夏网！</span>
<div class="fr"><a href="https://passport.huaxia.example.cn/login" rel="nofollow">登录</a> | <a href="https://passport.huaxia.example.cn/register" rel="nofollow">注册</a> | <a href="https://m.huaxia.example.cn/">手机版</a> | <a href="https://app.huaxia.example.cn/">客户端</a></div></div></div>
<div class="header w1200">
<a class="logo" href="https://www.huaxia.example.cn/"><img src="//static.huaxia.example.cn/img/logo.png" alt="华夏网"></a>
<form class="search" action="https://search.huaxia.example.cn/s" method="get"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form>
</div>
<div class="nav"><ul class="w1200">
<li><a href="https://www.huaxia.example.cn/">首页</a></li><li><a href="https://news.huaxia.example.cn/gn/">国内</a></li><li><a href="https://news.huaxia.example.cn/gj/">国际</a></li><li><a href="https://news.huaxia.example.cn/cj/">财经</a></li><li><a href="https://news.huaxia.example.cn/ty/">体育</a></li><li><a href="https://news.huaxia.example.cn/kj/">科技</a></li><li><a href="https://news.huaxia.example.cn/js/">军事</a></li><li><a href="https://photo.huaxia.example.cn/">图片</a></li><li><a href="https://v.huaxia.example.cn/">视频</a></li><li><a href="https://news.huaxia.example.cn/pl/">评论</a></li>
</ul></div>
<div class="main w1200">
<div class="left">
<div class="crumb">您当前的位置：<a href="https://www.huaxia.example.cn/">首页</a> &gt; <a href="https://news.huaxia.example.cn/{sec_path}/">{esc(sec)}</a> &gt; 正文</div>
<h1 class="article-title">{esc(a["title"])}</h1>
<div class="article-info">{"　".join(byline)}</div>
<div class="share-bar">分享到：<a class="share-weixin" href="javascript:;">微信</a><a class="share-weibo" href="javascript:;">微博</a><a class="share-qzone" href="javascript:;">QQ空间</a>
<span class="font-size">字号：<a href="javascript:;" data-size="20">大</a> <a href="javascript:;" data-size="18">中</a> <a href="javascript:;" data-size="16">小</a></span></div>
<div class="article-content">
{paras}{editor}
</div>
<div class="article-tools"><a href="javascript:window.print();">打印</a> <a href="https://www.huaxia.example.cn/jiucuo/">纠错</a> <a href="javascript:;" class="collect">收藏</a></div>
<div class="related"><h3>相关新闻</h3><ul>
{rel}
</ul></div>
<div class="recommend"><h3>推荐阅读</h3><ul>
{rec}
</ul></div>
<div class="comment"><h3>网友评论</h3><textarea placeholder="文明上网，理性发言"></textarea><p><a href="https://passport.huaxia.example.cn/login">登录</a>后发表评论</p></div>
</div>
<div class="right">
<div class="hot"><h3>24小时热点</h3><ol>
{hot}
</ol></div>
<div class="ad" id="ad_r1"><!-- 广告位 r1 --></div>
<div class="qrcode"><img src="//static.huaxia.example.cn/img/qr_app.png" alt=""><p>扫码下载华夏网客户端</p></div>
</div>
</div>
<div class="footer">
<p><a href="https://www.huaxia.example.cn/about/">关于我们</a> | <a href="https://www.huaxia.example.cn/contact/">联系我们</a> | <a href="https://www.huaxia.example.cn/ad/">广告服务</a> | <a href="https://www.huaxia.example.cn/law/">法律声明</a> | <a href="https://www.huaxia.example.cn/jobs/">招聘信息</a></p>
<p>Copyright © 2008-2024 华夏网 版权所有</p>
<p>京ICP备08012345号-1　京公网安备11010502030123号　互联网新闻信息服务许可证：11120170001</p>
<p>违法和不良信息举报电话：010-00000000</p>
</div>
<script src="//static.huaxia.example.cn/js/jquery-3.6.0.min.js"></script>
<script src="//static.huaxia.example.cn/js/share.js"></script>
<script>
(function(){{
  var s = document.createElement("script");
  s.src = "//stat.huaxia.example.cn/hx.js?id=" + ARTICLE_INFO.id;
  document.body.appendChild(s);
  $(".font-size a").on("click", function(){{ $(".article-content p").css("font-size", $(this).data("size") + "px"); }});
}})();
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------
# site 2: provincial portal, GBK bytes, declares gb2312, no meta date
# --------------------------------------------------------------------------
def render_jianghuai(a):
    d = a["dto"]
    info = [f"{d.year}年{d:%m}月{d:%d}日 {d:%H:%M}"]
    if a.get("source"):
        info.append(f"来源：{esc(a['source'])}")
    if a.get("author"):
        info.append(f"作者：{esc(a['author'])}")
    if a.get("editor"):
        info.append(f"编辑：{esc(a['editor'])}")
    paras = "\n".join(f"<p>　　{esc(p)}</p>" for p in a["paras"])
    rel = "\n".join(
        f'<li>·<a href="http://www.jianghuai.example.cn/news/system/{x:%Y/%m/%d}/0{n}.shtml" target="_blank">{esc(h)}</a> <span>({x:%m-%d})</span></li>'
        for h, x, n in pool_items(a, "cn", 6))
    hot = "\n".join(f'<li><span class="num">{i}</span><a href="http://www.jianghuai.example.cn/news/system/{x:%Y/%m/%d}/0{n}.shtml">{esc(h)}</a></li>'
                    for i, (h, x, n) in enumerate(pool_items(a, "cn3", 10), 1))
    pic = "\n".join(f'<li><a href="http://photo.jianghuai.example.cn/{x:%Y%m}/{n}.shtml"><img src="http://img.jianghuai.example.cn/{x:%Y%m}/{n}_s.jpg" width="120" height="80" alt="" /><br />{esc(h)}</a></li>'
                    for h, x, n in pool_items(a, "cn2", 2))
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{esc(a["title"])} - 江淮新闻网</title>
<meta name="keywords" content="{esc(",".join(a["keywords"]))}" />
<meta name="description" content="{esc(a["paras"][0][:50])}" />
<link rel="canonical" href="{a["url"]}" />
<link href="http://www.jianghuai.example.cn/css/style2010.css" rel="stylesheet" type="text/css" />
<style type="text/css">
body{{margin:0;padding:0;font-size:12px;font-family:"宋体";}}
#top{{width:960px;margin:0 auto;height:28px;line-height:28px;}}
#nav{{width:960px;margin:0 auto;background:#0a4d92;height:34px;line-height:34px;}}
#nav a{{color:#fff;font-size:14px;font-weight:bold;padding:0 9px;}}
#main{{width:960px;margin:0 auto;}}
#left{{float:left;width:680px;}}#right{{float:right;width:260px;}}
h1#title{{font-size:24px;text-align:center;color:#03c;margin:20px 0 10px;}}
.info{{text-align:center;color:#666;border-bottom:1px dashed #ccc;padding-bottom:8px;}}
#content p{{font-size:14px;line-height:26px;margin:10px 0;}}
#footer{{clear:both;width:960px;margin:0 auto;text-align:center;line-height:22px;border-top:2px solid #0a4d92;}}
</style>
<script type="text/javascript" src="http://www.jianghuai.example.cn/js/jquery-1.4.2.min.js"></script>
<script type="text/javascript">
function doZoom(size){{ document.getElementById('content').style.fontSize = size + 'px'; }}
function addFav(){{ try{{ window.external.addFavorite(location.href, document.title); }}catch(e){{ alert("请使用Ctrl+D加入收藏"); }} }}
</script>
</head>
<body>
<div id="top"><a href="javascript:;" onclick="this.style.behavior='url(#default#homepage)';this.setHomePage('http://www.jianghuai.example.cn/');">设为首页</a> | <a href="javascript:addFav();">加入收藏</a>
<form action="http://bbs.jianghuai.example.cn/login.php" method="post" style="display:inline;">用户名：<input type="text" name="username" size="10" /> 密码：<input type="password" name="password" size="10" /> <input type="submit" value="登录" /> <a href="http://bbs.jianghuai.example.cn/register.php">注册</a></form></div>
<div id="banner"><a href="http://www.jianghuai.example.cn/"><img src="http://www.jianghuai.example.cn/images/logo2010.gif" alt="江淮新闻网" width="300" height="70" /></a></div>
<div id="nav"><a href="http://www.jianghuai.example.cn/">首页</a>|<a href="http://www.jianghuai.example.cn/news/bsyw/">本省要闻</a>|<a href="http://www.jianghuai.example.cn/news/gn/">国内</a>|<a href="http://www.jianghuai.example.cn/news/gj/">国际</a>|<a href="http://www.jianghuai.example.cn/finance/">财经</a>|<a href="http://www.jianghuai.example.cn/society/">社会</a>|<a href="http://www.jianghuai.example.cn/culture/">文化</a>|<a href="http://photo.jianghuai.example.cn/">图片</a>|<a href="http://v.jianghuai.example.cn/">视频</a>|<a href="http://bbs.jianghuai.example.cn/">论坛</a></div>
<div id="main">
<div id="position">当前位置：<a href="http://www.jianghuai.example.cn/">江淮新闻网</a> &gt;&gt; <a href="http://www.jianghuai.example.cn/news/bsyw/">{esc(a["section"])}</a> &gt;&gt; 正文</div>
<div id="left">
<h1 id="title">{esc(a["title"])}</h1>
<div class="info">{"　".join(info)}</div>
<div class="zoom">【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</div>
<div id="content">
{paras}
</div>
<div class="page_nav">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="xgxw"><h3>相关新闻</h3><ul>
{rel}
</ul></div>
</div>
<div id="right">
<div class="box"><h3>点击排行</h3><ul>
{hot}
</ul></div>
<div class="box"><h3>图片新闻</h3><ul class="pic">
{pic}
</ul></div>
</div>
</div>
<div id="footer">
<a href="http://www.jianghuai.example.cn/about.shtml">关于我们</a> | <a href="http://www.jianghuai.example.cn/contact.shtml">联系方式</a> | <a href="http://www.jianghuai.example.cn/ad.shtml">广告服务</a> | <a href="http://www.jianghuai.example.cn/map.shtml">网站地图</a><br />
主办：江淮日报社　承办：江淮新闻网<br />
Copyright &copy; 2003-2023 www.jianghuai.example.cn All Rights Reserved<br />
皖ICP备05001234号　新闻热线：0551-00000000
</div>
<script type="text/javascript">
var _bdhmProtocol = (("https:" == document.location.protocol) ? " https://" : " http://");
document.write(unescape("%3Cscript src='" + _bdhmProtocol + "stat.jianghuai.example.cn/c.js' type='text/javascript'%3E%3C/script%3E"));
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------
# site 3: 2004-era table layout, GBK bytes declared gb2312
# --------------------------------------------------------------------------
def render_beifang(a):
    d = a["dto"]
    info = [f"{d:%Y/%m/%d}"]
    if a.get("source"):
        info.append(f"来源：{esc(a['source'])}")
    if a.get("author"):
        info.append(f"作者：{esc(a['author'])}")
    body = "<br>\n<br>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{esc(p)}" for p in a["paras"])
    canon = f'<link rel="canonical" href="{a["url"]}">\n' if a.get("url") else ""
    editor = (f'<tr><td align="right"><font color="#666666">（责任编辑：{esc(a["editor"])}）</font></td></tr>\n'
              if a.get("editor") else "")
    recent = "\n".join(
        f'<tr><td height="20">·<a href="/news/{x:%Y-%m}/{x:%d}/content_{n}.htm" target="_blank">{esc(h)}</a> <font color="#999999">{x:%Y/%m/%d}</font></td></tr>'
        for h, x, n in pool_items(a, "old", 7, 1, 20))
    hot = "\n".join(f'<tr><td height="20">{i}.<a href="/news/{x:%Y-%m}/{x:%d}/content_{n}.htm">{esc(h)}</a></td></tr>'
                    for i, (h, x, n) in enumerate(pool_items(a, "old2", 5, 1, 60), 1))
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{esc(a["title"])}--北方信息港</title>
{canon}<style type="text/css">
<!--
td {{ font-size: 12px; line-height: 150% }}
.title {{ font-size: 20px; line-height: 150% }}
.content {{ font-size: 14px; line-height: 180% }}
a:link {{ color: #000066; text-decoration: none }}
a:visited {{ color: #333333; text-decoration: none }}
a:hover {{ color: #FF0000; text-decoration: underline }}
-->
</style>
<script language="JavaScript">
<!--
function MM_openBrWindow(theURL,winName,features) {{ window.open(theURL,winName,features); }}
//-->
</script>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">
<table width="778" border="0" align="center" cellpadding="0" cellspacing="0">
<tr>
<td width="200"><a href="http://www.beifang-info.example.cn/"><img src="/images/logo.gif" width="200" height="60" border="0"></a></td>
<td width="400"><img src="/images/banner_468.gif" width="400" height="60" border="0"></td>
<td align="right"><script language="JavaScript">
var today = new Date();
var week = new Array("星期日","星期一","星期二","星期三","星期四","星期五","星期六");
document.write("今天是" + today.getFullYear() + "年" + (today.getMonth()+1) + "月" + today.getDate() + "日 " + week[today.getDay()]);
</script><br><a href="#" onClick="this.style.behavior='url(#default#homepage)';this.setHomePage('http://www.beifang-info.example.cn');">设为首页</a> | <a href="/bbs/login.asp">会员登录</a></td>
</tr>
</table>
<table width="778" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="#CC0000">
<tr><td height="26" align="center"><font color="#FFFFFF">| <a href="/"><font color="#FFFFFF">首 页</font></a> | <a href="/news/"><font color="#FFFFFF">新闻中心</font></a> | <a href="/news/local/"><font color="#FFFFFF">本地新闻</font></a> | <a href="/sports/"><font color="#FFFFFF">体 育</font></a> | <a href="/ent/"><font color="#FFFFFF">娱 乐</font></a> | <a href="/house/"><font color="#FFFFFF">房 产</font></a> | <a href="/auto/"><font color="#FFFFFF">汽 车</font></a> | <a href="/bbs/"><font color="#FFFFFF">论 坛</font></a> | <a href="/chat/"><font color="#FFFFFF">聊天室</font></a> |</font></td></tr>
</table>
<table width="778" border="0" align="center" cellpadding="0" cellspacing="0">
<tr>
<td width="580" valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="4">
<tr><td height="24" bgcolor="#F0F0F0">您现在的位置：<a href="/">北方信息港</a> &gt;&gt; <a href="/news/">新闻中心</a> &gt;&gt; <a href="/news/local/">{esc(a["section"])}</a></td></tr>
</table>
<table width="95%" border="0" align="center" cellpadding="4" cellspacing="0">
<tr><td align="center" class="title"><b><font size="4" color="#000066">{esc(a["title"])}</font></b></td></tr>
<tr><td align="center"><font color="#666666">{"　".join(info)}</font></td></tr>
<tr><td><hr size="1" noshade color="#CCCCCC"></td></tr>
<tr><td class="content"><font style="font-size:14px; line-height:180%">
{body}
</font></td></tr>
{editor}<tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table>
</td>
<td width="10">&nbsp;</td>
<td width="188" valign="top">
<table width="100%" border="0" cellspacing="1" cellpadding="2" bgcolor="#CCCCCC">
<tr><td bgcolor="#EEEEEE"><b><font color="#CC0000">最近更新</font></b></td></tr>
<tr><td bgcolor="#FFFFFF"><table width="100%" border="0" cellspacing="0" cellpadding="0">
{recent}
</table></td></tr>
</table>
<br>
<table width="100%" border="0" cellspacing="1" cellpadding="2" bgcolor="#CCCCCC">
<tr><td bgcolor="#EEEEEE"><b><font color="#CC0000">热点排行</font></b></td></tr>
<tr><td bgcolor="#FFFFFF"><table width="100%" border="0" cellspacing="0" cellpadding="0">
{hot}
</table></td></tr>
</table>
</td>
</tr>
</table>
<table width="778" border="0" align="center" cellpadding="4" cellspacing="0">
<tr><td align="center"><hr size="1" noshade color="#CC0000">
<a href="/about.htm">关于我们</a> | <a href="/ad.htm">广告服务</a> | <a href="/contact.htm">联系方式</a> | <a href="/job.htm">诚聘英才</a><br>
Copyright &copy; 2000-{d.year} 北方信息港 All Rights Reserved<br>
辽ICP备05000123号　建议使用IE5.0以上版本、800*600分辨率浏览</td></tr>
</table>
</body>
</html>
"""


# --------------------------------------------------------------------------
# site 4: city evening paper, UTF-8, <time>, JSON-LD, photo captions
# --------------------------------------------------------------------------
def render_linjiang(a):
    d = a["dto"]
    mod = d + _dt.timedelta(minutes=random.Random(a["id"]).randint(20, 300))
    parts = []
    for i, p in enumerate(a["paras"]):
        parts.append(f"<p>{esc(p)}</p>")
        if i in a["caps"]:
            n = random.Random(a["id"] + str(i)).randint(100000, 999999)
            parts.append(f'<figure class="photo"><img src="https://img.linjiangwb.example.cn/{d:%Y%m}/{d:%d}/{n}.jpg" alt="" loading="lazy">'
                         f'\n<p class="pic-desc">{esc(a["caps"][i])}</p></figure>')
    if a.get("editor"):
        parts.append(f'<p class="editor">责任编辑：{esc(a["editor"])}</p>')
    body = "\n".join(parts)
    label = a.get("author_label", "记者 ")
    meta = [f'<time datetime="{iso(d)}">{d:%Y-%m-%d %H:%M}</time>']
    if a.get("source"):
        meta.append(f'<span class="source">来源：{esc(a["source"])}</span>')
    if a.get("author"):
        meta.append(f'<span class="author">{label}{esc(a["author"])}</span>')
    if a.get("author"):
        authors = [{"@type": "Person", "name": n} for n in a["author"].split()]
        author_ld = authors[0] if len(authors) == 1 else authors
    else:
        author_ld = {"@type": "Organization", "name": "临江晚报"}
    imgs = [f"https://img.linjiangwb.example.cn/{d:%Y%m}/{d:%d}/cover_{a['id']}.jpg"] if a["caps"] else []
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": a["url"],
        "headline": a["title"],
        "datePublished": iso(d),
        "dateModified": iso(mod),
        "author": author_ld,
        "publisher": {"@type": "Organization", "name": "临江晚报",
                      "logo": {"@type": "ImageObject", "url": "https://www.linjiangwb.example.cn/static/logo.png"}},
    }
    if imgs:
        ld["image"] = imgs
    hot = "\n".join(f'<li><a href="https://www.linjiangwb.example.cn/html/{x:%Y-%m}/{x:%d}/content_{n}.html">{esc(h)}</a></li>'
                    for h, x, n in pool_items(a, "city", 6, 0, 5))
    more = "\n".join(f'<li><a href="https://www.linjiangwb.example.cn/html/{x:%Y-%m}/{x:%d}/content_{n}.html">{esc(h)}</a><time datetime="{x:%Y-%m-%d}">{x:%m-%d}</time></li>'
                     for h, x, n in pool_items(a, "city2", 4, 1, 30))
    return f"""<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(a["title"])} - 临江晚报网</title>
<meta name="keywords" content="{esc(",".join(a["keywords"]))}">
<meta name="description" content="{esc(a["paras"][0][:70])}">
<link rel="canonical" href="{a["url"]}">
<meta property="og:title" content="{esc(a["title"])}">
<meta property="og:type" content="article">
<script type="application/ld+json">
{json.dumps(ld, ensure_ascii=False, indent=2)}
</script>
<style>
:root{{--brand:#0b6e4f}}
body{{margin:0;font-family:-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif;color:#222}}
.site-header{{border-bottom:3px solid var(--brand)}}.site-header nav a{{margin:0 12px;color:#222}}
.wrap{{max-width:1100px;margin:0 auto;display:flex;gap:40px}}
article.news{{flex:1}}article h1{{font-size:32px;line-height:1.35}}
.meta{{color:#777;font-size:14px}}.meta>*{{margin-right:16px}}
.article-body p{{font-size:18px;line-height:1.9;margin:0 0 1.1em}}
figure.photo{{margin:1.5em 0;text-align:center}}figure.photo img{{max-width:100%}}
.pic-desc{{font-size:14px!important;color:#666;text-align:center}}
.editor{{text-align:right;color:#999;font-size:14px!important}}
aside{{width:300px}}
footer{{background:#1d1d1d;color:#999;font-size:12px;text-align:center;padding:24px 0}}
</style>
</head>
<body>
<header class="site-header">
<div class="bar"><a class="logo" href="https://www.linjiangwb.example.cn/">临江晚报</a>
<span class="links"><a href="https://epaper.linjiangwb.example.cn/">数字报</a> <a href="https://www.linjiangwb.example.cn/user/login">登录</a> <a href="https://www.linjiangwb.example.cn/user/register">注册</a> <a href="https://www.linjiangwb.example.cn/baoliao">新闻报料</a></span></div>
<nav><a href="https://www.linjiangwb.example.cn/">首页</a><a href="https://www.linjiangwb.example.cn/local/">本地</a><a href="https://www.linjiangwb.example.cn/minsheng/">民生</a><a href="https://www.linjiangwb.example.cn/fazhi/">法治</a><a href="https://www.linjiangwb.example.cn/wenyu/">文娱</a><a href="https://www.linjiangwb.example.cn/sports/">体育</a><a href="https://www.linjiangwb.example.cn/photo/">视觉</a></nav>
</header>
<div class="wrap">
<article class="news">
<nav class="breadcrumb"><a href="https://www.linjiangwb.example.cn/">首页</a> / <a href="https://www.linjiangwb.example.cn/local/">{esc(a["section"])}</a> / 正文</nav>
<h1>{esc(a["title"])}</h1>
<div class="meta">{"".join(meta)}</div>
<div class="article-body">
{body}
</div>
<div class="more"><h3>更多报道</h3><ul>
{more}
</ul></div>
</article>
<aside>
<section class="rank"><h3>热门排行</h3><ol>
{hot}
</ol></section>
<section class="epaper"><h3>今日晚报</h3><a href="https://epaper.linjiangwb.example.cn/"><img src="https://epaper.linjiangwb.example.cn/latest/A01_s.jpg" alt="今日版面"></a></section>
</aside>
</div>
<footer>
<p>临江晚报社主办　地址：临江市滨江大道188号　新闻热线：96000</p>
<p>Copyright © 2015-2024 临江晚报网 All Rights Reserved　苏ICP备15000321号</p>
</footer>
<script src="https://static.linjiangwb.example.cn/js/app.min.js" defer></script>
<script>
document.addEventListener("DOMContentLoaded", function () {{
  var imgs = document.querySelectorAll("figure.photo img");
  for (var i = 0; i < imgs.length; i++) imgs[i].addEventListener("click", function () {{ this.classList.toggle("zoom"); }});
}});
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------
# site 5: Taiwan/HK style, Big5 bytes, traditional characters
# --------------------------------------------------------------------------
def render_huasheng(a):
    d = a["dto"]
    by = [f'<span class="date">{d:%Y-%m-%d %H:%M}</span>']
    if a.get("author"):
        by.append(f'<span class="reporter">記者{esc(a["author"])}/{esc(a["place"])}報導</span>')
    if a.get("source"):
        by.append(f'<span class="source">來源：{esc(a["source"])}</span>')
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in a["paras"])
    editor = f'<p class="editor">責任編輯：{esc(a["editor"])}</p>\n' if a.get("editor") else ""
    ext = "\n".join(f'<li><a href="https://www.huasheng.example.cn/news/{x:%Y%m%d}/a{n}.html">{esc(h)}</a> <span class="time">{x:%Y-%m-%d}</span></li>'
                    for h, x, n in pool_items(a, "tw", 4, 1, 20))
    hot = "\n".join(f'<li><a href="https://www.huasheng.example.cn/news/{x:%Y%m%d}/a{n}.html">{esc(h)}</a></li>'
                    for h, x, n in pool_items(a, "tw2", 5, 0, 3))
    return f"""<!DOCTYPE html>
<html lang="zh-Hant">
<head>
<meta charset="big5">
<title>{esc(a["title"])} - 華聲新聞網</title>
<meta name="keywords" content="{esc(",".join(a["keywords"]))}">
<meta name="description" content="{esc(a["paras"][0][:60])}">
<link rel="canonical" href="{a["url"]}">
<meta property="og:title" content="{esc(a["title"])}">
<meta property="og:site_name" content="華聲新聞網 Huasheng News">
<style>
body{{margin:0;font-family:"Microsoft JhengHei","PingFang TC",sans-serif;background:#fafafa}}
header{{background:#8b0000;color:#fff}}header nav a{{color:#fff;margin:0 10px}}
.container{{width:1000px;margin:0 auto;background:#fff;padding:20px}}
.story h1{{font-size:28px}}.byline span{{margin-right:12px;color:#666}}
.story-body p{{font-size:17px;line-height:1.9}}
.editor{{color:#999;text-align:right}}
footer{{text-align:center;color:#888;font-size:12px;padding:20px}}
</style>
<script>
var hsConfig = {{ section: "{a["section_code"]}", adUnit: "/hs/article", lang: "zh-TW" }};
</script>
</head>
<body>
<header>
<div class="top"><a href="https://www.huasheng.example.cn/">華聲新聞網</a> HUASHENG NEWS
<span class="member"><a href="https://member.huasheng.example.cn/login">會員登入</a>｜<a href="https://member.huasheng.example.cn/join">加入會員</a>｜<a href="https://www.huasheng.example.cn/epaper">訂閱電子報</a></span></div>
<nav><a href="https://www.huasheng.example.cn/">首頁</a><a href="https://www.huasheng.example.cn/realtime/">即時</a><a href="https://www.huasheng.example.cn/politics/">政治</a><a href="https://www.huasheng.example.cn/finance/">財經</a><a href="https://www.huasheng.example.cn/society/">社會</a><a href="https://www.huasheng.example.cn/world/">國際</a><a href="https://www.huasheng.example.cn/cross/">兩岸港澳</a><a href="https://www.huasheng.example.cn/life/">生活</a><a href="https://www.huasheng.example.cn/ent/">娛樂</a><a href="https://www.huasheng.example.cn/sports/">體育</a></nav>
</header>
<div class="container">
<div class="breadcrumb"><a href="https://www.huasheng.example.cn/">首頁</a> &gt; <a href="https://www.huasheng.example.cn/{a["section_code"]}/">{esc(a["section"])}</a></div>
<div class="story">
<h1>{esc(a["title"])}</h1>
<div class="byline">{"".join(by)}</div>
<div class="share"><a href="javascript:;">分享</a> <a href="javascript:;">列印</a> <a href="javascript:;">字級</a></div>
<div class="story-body">
{paras}
</div>
{editor}<div class="ext"><h3>延伸閱讀</h3><ul>
{ext}
</ul></div>
</div>
<div class="side"><h3>熱門新聞</h3><ol>
{hot}
</ol></div>
</div>
<footer>
<p><a href="https://www.huasheng.example.cn/about">關於我們</a>｜<a href="https://www.huasheng.example.cn/privacy">隱私權政策</a>｜<a href="https://www.huasheng.example.cn/contact">聯絡我們</a></p>
<p>Copyright &copy; Huasheng News. All Rights Reserved. 本網站內容未經授權不得轉載</p>
</footer>
<script src="https://static.huasheng.example.cn/js/main.js"></script>
</body>
</html>
"""


# --------------------------------------------------------------------------
# site 6: finance site, UTF-8, date only in URL (one page lies: gb2312)
# --------------------------------------------------------------------------
def render_jinguan(a):
    meta_cs = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
               if a.get("lie_gb2312") else '<meta charset="utf-8">')
    by = []
    if a.get("source"):
        by.append(f'来源：<a href="https://finance.jinguan.example.cn/" target="_blank">{esc(a["source"])}</a>')
    if a.get("author"):
        by.append(f"作者：{esc(a['author'])}")
    paras = "\n".join(f'<p style="text-indent: 2em;">{esc(p)}</p>' for p in a["paras"])
    editor = f'\n<div class="edit">（责任编辑：{esc(a["editor"])}）</div>' if a.get("editor") else ""
    rel = "\n".join(f'<li><a href="https://finance.jinguan.example.cn/{x:%Y/%m%d}/c1004-{n % 9000}.html" target="_blank">{esc(h)}</a><span>{x:%Y-%m-%d %H:%M}</span></li>'
                    for h, x, n in pool_items(a, "fin", 5, 1, 30))
    hot = "\n".join(f'<li><a href="https://finance.jinguan.example.cn/hot/{n}.html">{esc(h)}</a></li>'
                    for h, x, n in pool_items(a, "fin2", 6, 0, 2))
    sec_code = {"宏观": "macro", "金融": "bank", "证券": "stock", "产经": "industry"}[a["section"]]
    return f"""<!DOCTYPE html>
<html>
<head>
{meta_cs}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(a["title"])}--金融观察网</title>
<link rel="canonical" href="{a["url"]}">
<link rel="stylesheet" href="https://static.jinguan.example.cn/css/finance_article.css">
<style>
body{{margin:0;font:14px/1.5 "Microsoft YaHei",Arial;color:#222}}
.top{{background:#f2f2f2;height:30px;line-height:30px}}.nav{{background:#003a70}}.nav a{{color:#fff;padding:0 14px;line-height:40px}}
.ticker{{font-size:12px;color:#666}}.ticker .up{{color:#e00}}.ticker .down{{color:#090}}
.w1000{{width:1000px;margin:0 auto}}.col-1{{float:left;width:680px}}.col-2{{float:right;width:290px}}
h1{{font-size:26px;line-height:38px}}.box01{{overflow:hidden;border-bottom:1px solid #ddd;color:#666}}
.rm_txt_con p{{font-size:16px;line-height:30px}}.edit{{text-align:right;color:#999}}
.relate li span{{float:right;color:#999}}
.footer{{clear:both;text-align:center;color:#888;font-size:12px;padding:20px 0}}
</style>
</head>
<body>
<div class="top"><div class="w1000"><a href="https://www.jinguan.example.cn/">金融观察网</a> | <a href="https://quote.jinguan.example.cn/">行情中心</a> | <a href="https://m.jinguan.example.cn/">手机版</a>
<span class="fr"><a href="https://i.jinguan.example.cn/login">登录</a> <a href="https://i.jinguan.example.cn/reg">注册</a></span></div></div>
<div class="nav"><div class="w1000"><a href="https://www.jinguan.example.cn/">首页</a><a href="https://finance.jinguan.example.cn/macro/">宏观</a><a href="https://finance.jinguan.example.cn/bank/">金融</a><a href="https://finance.jinguan.example.cn/stock/">证券</a><a href="https://finance.jinguan.example.cn/industry/">产经</a><a href="https://finance.jinguan.example.cn/company/">公司</a><a href="https://finance.jinguan.example.cn/money/">理财</a><a href="https://data.jinguan.example.cn/">数据</a></div></div>
<div class="ticker w1000" id="ticker">上证指数 <b id="sh">--</b> <span class="up" id="shp">--</span>　深证成指 <b id="sz">--</b> <span class="down" id="szp">--</span>　创业板指 <b id="cy">--</b></div>
<div class="w1000">
<div class="col-1">
<div class="path"><a href="https://www.jinguan.example.cn/">金融观察网</a>&gt;&gt;<a href="https://finance.jinguan.example.cn/{sec_code}/">{esc(a["section"])}</a></div>
<h1>{esc(a["title"])}</h1>
<div class="box01"><div class="fl">{"　".join(by)}</div><div class="fr">分享到：<a href="javascript:;" class="wx">微信</a> <a href="javascript:;" class="wb">微博</a></div></div>
<div class="rm_txt_con">
{paras}{editor}
</div>
<div class="relate"><h2>相关阅读</h2><ul>
{rel}
</ul></div>
</div>
<div class="col-2">
<div class="hot"><h2>热门排行</h2><ul>
{hot}
</ul></div>
<div class="ad"><a href="https://ad.jinguan.example.cn/c?id=88"><img src="https://ad.jinguan.example.cn/img/300x250.jpg" alt="广告"></a></div>
</div>
</div>
<div class="footer">
<p><a href="https://www.jinguan.example.cn/about/">关于本站</a> | <a href="https://www.jinguan.example.cn/contact/">联系我们</a> | <a href="https://www.jinguan.example.cn/disclaimer/">免责声明</a></p>
<p>金融观察网版权所有，未经书面授权禁止使用　京ICP备12003456号</p>
<p>投资有风险，入市需谨慎。本站内容仅供参考，不构成投资建议。</p>
</div>
<script src="https://static.jinguan.example.cn/js/jquery.min.js"></script>
<script>
$(function () {{
  $.getJSON("https://quote.jinguan.example.cn/api/index?codes=sh000001,sz399001,sz399006", function (r) {{
    $("#sh").text(r.sh.price); $("#shp").text(r.sh.pct + "%"); $("#sz").text(r.sz.price); $("#szp").text(r.sz.pct + "%"); $("#cy").text(r.cy.price);
  }});
}});
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------
# site 7: tech site, UTF-8, mixed Latin/Han, tags
# --------------------------------------------------------------------------
def render_qianyan(a):
    d = a["dto"]
    ts = int((d - _dt.timedelta(hours=8) - _dt.datetime(1970, 1, 1)).total_seconds())
    meta = []
    if a.get("author"):
        meta.append(f'<span class="author">作者：{esc(a["author"])}</span>')
    meta.append(f'<span class="date">{d:%Y-%m-%d %H:%M}</span>')
    if a.get("source"):
        meta.append(f'<span class="source">来源：{esc(a["source"])}</span>')
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in a["paras"])
    editor = f'<p class="post-editor">责任编辑：{esc(a["editor"])}</p>\n' if a.get("editor") else ""
    tags = "".join(f'<a href="https://tech.qianyan.example.cn/tag/{esc(t)}" rel="tag">{esc(t)}</a>' for t in a["keywords"])
    aid = a["url"].rsplit("/", 1)[-1].split(".")[0]
    more = "\n".join(f'<li><a href="https://tech.qianyan.example.cn/a/{x:%Y%m%d}/{n}.shtml">{esc(h)}</a></li>'
                     for h, x, n in pool_items(a, "tech", 4, 1, 20))
    hot = "\n".join(f'<li><span>{i}</span><a href="https://tech.qianyan.example.cn/a/{x:%Y%m%d}/{n}.shtml">{esc(h)}</a></li>'
                    for i, (h, x, n) in enumerate(pool_items(a, "tech2", 6, 0, 3), 1))
    state = {"articleId": int(aid), "channel": a.get("channel", "news"), "publishTs": ts,
             "tags": a["keywords"], "commentCount": random.Random(a["id"]).randint(3, 480)}
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(a["title"])}｜数码前沿</title>
<meta name="keywords" content="{esc(",".join(a["keywords"]))}">
<meta name="description" content="{esc(a["paras"][0][:80])}">
<link rel="canonical" href="{a["url"]}">
<meta name="twitter:card" content="summary_large_image">
<meta property="og:title" content="{esc(a["title"])}">
<link rel="preconnect" href="https://cdn.qianyan.example.cn">
<style>
*{{box-sizing:border-box}}body{{margin:0;font-family:Inter,"PingFang SC","Microsoft YaHei",sans-serif;background:#0f1115;color:#e6e6e6}}
a{{color:#4fc3f7}}.site-header{{display:flex;align-items:center;justify-content:space-between;padding:0 32px;height:60px;background:#151922}}
main{{max-width:1180px;margin:0 auto;display:grid;grid-template-columns:1fr 320px;gap:32px;padding:24px}}
.post-title{{font-size:30px;line-height:1.4}}.post-meta span{{margin-right:14px;color:#9aa0a6;font-size:13px}}
.post-content p{{font-size:17px;line-height:1.85}}.post-editor{{color:#777;font-size:13px}}
.post-tags a{{display:inline-block;padding:2px 10px;margin:0 6px 6px 0;border:1px solid #333;border-radius:12px;font-size:13px}}
footer{{text-align:center;color:#666;font-size:12px;padding:30px}}
</style>
<script>window.__INITIAL_STATE__ = {json.dumps(state, ensure_ascii=False)};</script>
</head>
<body>
<header class="site-header">
<a class="logo" href="https://tech.qianyan.example.cn/">数码前沿 <small>QIANYAN TECH</small></a>
<nav><a href="https://tech.qianyan.example.cn/mobile/">手机</a> <a href="https://tech.qianyan.example.cn/pc/">电脑</a> <a href="https://tech.qianyan.example.cn/telecom/">通信</a> <a href="https://tech.qianyan.example.cn/ai/">AI</a> <a href="https://tech.qianyan.example.cn/auto/">汽车</a> <a href="https://tech.qianyan.example.cn/review/">评测</a></nav>
<div class="user"><a href="https://tech.qianyan.example.cn/login">登录/注册</a> <a href="https://tech.qianyan.example.cn/contribute">投稿</a> <a href="https://tech.qianyan.example.cn/app">App</a></div>
</header>
<main>
<article>
<h1 class="post-title">{esc(a["title"])}</h1>
<div class="post-meta">{"".join(meta)}</div>
<div class="post-content">
{paras}
</div>
{editor}<div class="post-tags">标签：{tags}</div>
<div class="post-actions"><button class="like">点赞</button> <button class="fav">收藏</button> <button class="share">分享</button></div>
<section class="more"><h3>猜你喜欢</h3><ul>
{more}
</ul></section>
<section id="comments"><h3>评论</h3><p>请<a href="https://tech.qianyan.example.cn/login">登录</a>后参与讨论</p></section>
</article>
<aside>
<section class="rank"><h3>24小时热文</h3><ol>
{hot}
</ol></section>
<section class="newsletter"><h3>订阅数码前沿早报</h3><form><input type="email" placeholder="you@example.com"><button>订阅</button></form></section>
</aside>
</main>
<footer>© 2014-2024 数码前沿 tech.qianyan.example.cn　粤ICP备14000987号-2　商务合作：bd@qianyan.example.cn</footer>
<script src="https://cdn.qianyan.example.cn/assets/app.4f9c2e.js" async></script>
</body>
</html>
"""


RENDER = {
    "huaxia": render_huaxia, "jianghuai": render_jianghuai, "beifang": render_beifang,
    "linjiang": render_linjiang, "huasheng": render_huasheng, "jinguan": render_jinguan,
    "qianyan": render_qianyan,
}


def main():
    manifest = []
    seen = set()
    for raw in ALL:
        a = resolve(raw)
        site = SITES[a["site"]]
        rel = f"{a['site']}/{a['file']}"
        assert rel not in seen, rel
        seen.add(rel)
        page = RENDER[a["site"]](a)
        data = page.encode(site["charset"])  # strict: fails on unencodable chars
        path = os.path.join(ROOT, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        d = a["dto"]
        published = d.strftime("%Y-%m-%d %H:%M") if site["show_time"] else d.strftime("%Y-%m-%d")
        site_kw = a["site"] not in ("beifang", "jinguan")
        manifest.append({
            "file": rel,
            "charset": site["charset"],
            "url": a.get("url"),
            "title": a["title"],
            "published": published,
            "source": a.get("source"),
            "author": a.get("author"),
            "editor": a.get("editor"),
            "section": a.get("section"),
            "keywords": list(a["keywords"]) if site_kw else [],
            "reprint_group": a["group"],
            "body_first": a["paras"][0][:15],
            "body_last": a["paras"][-1][-15:],
        })
    with open(os.path.join(ROOT, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"wrote {len(manifest)} pages")


if __name__ == "__main__":
    main()
