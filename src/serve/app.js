(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var E = {
    q: $('q'), btn: $('search-btn'), from: $('from'), to: $('to'), source: $('source'), sort: $('sort'),
    clear: $('clear-filters'), stats: $('stats'), error: $('error'), loading: $('loading'),
    searchView: $('search-view'), articleView: $('article-view'), layout: $('layout'), facets: $('facets'),
    trend: $('trend'), trendChart: $('trend-chart'), trendNorm: $('trend-normalize'), total: $('total'),
    interp: $('interp'), warnings: $('warnings'), hint: $('hint'), empty: $('empty'),
    results: $('results'), pager: $('pager'), prev: $('prev'), next: $('next'), article: $('article'), related: $('related')
  };
  var state = { seq: 0, trendSeq: 0, trendKey: null, key: null, pages: [''], idx: 0, next: null, query: null,
    lastSearch: '#/search', renderedHash: null, scrollY: 0, view: 'search', stats: null, statsP: null, copiesSeq: 0 };

  // ---------- helpers ----------
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v == null || v === false) return;
      if (k === 'class') el.className = v; else if (k === 'text') el.textContent = v; else el.setAttribute(k, String(v));
    });
    [].concat(children == null ? [] : children).forEach(function (c) {
      if (c == null || c === false || c === '') return;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return el;
  }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function s(tag, attrs, text) {
    var el = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    if (text != null) el.textContent = String(text);
    return el;
  }
  function fmtDateTime(v) {
    if (!v) return '';
    var m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(String(v));
    return m ? (m[2] ? m[1] + ' ' + m[2] + ':' + m[3] : m[1]) : String(v);
  }
  function fmtDate(v) { var m = /^\d{4}-\d{2}-\d{2}/.exec(v || ''); return m ? m[0] : ''; }
  function fmtNum(n) { return typeof n === 'number' ? n.toLocaleString('zh-CN') : String(n == null ? '' : n); }
  function fmtPct(x) { return (x * 100).toLocaleString('zh-CN', { maximumFractionDigits: x * 100 < 10 ? 2 : 1 }) + '%'; }
  function safeUrl(u) {
    if (!u) return null;
    try { var x = new URL(String(u), location.href); return (x.protocol === 'http:' || x.protocol === 'https:') ? x.href : null; }
    catch (e) { return null; }
  }
  function squash(str) { return String(str || '').replace(/\s+/g, ' ').trim(); }
  var ENT = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  function decodeEntities(str) {
    return str.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, function (m, e) {
      if (e.charAt(0) === '#') {
        var cp = (e.charAt(1) === 'x' || e.charAt(1) === 'X') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        try { return String.fromCodePoint(cp); } catch (err) { return m; }
      }
      var k = e.toLowerCase();
      return Object.prototype.hasOwnProperty.call(ENT, k) ? ENT[k] : m;
    });
  }
  // Snippet: the server sends escaped text with <em>…</em>. Built with DOM nodes only: everything except the
  // literal <em>/</em> tags becomes a text node (entities decoded once), so any other markup shows as text.
  function renderSnippet(container, html) {
    var parts = String(html || '').split(/(<\/?em\s*>)/i), cur = container, depth = 0;
    parts.forEach(function (part) {
      if (/^<em\s*>$/i.test(part)) { var em = document.createElement('em'); cur.appendChild(em); cur = em; depth++; }
      else if (/^<\/em\s*>$/i.test(part)) { if (depth > 0) { cur = cur.parentNode; depth--; } }
      else if (part) cur.appendChild(document.createTextNode(decodeEntities(part)));
    });
    return container;
  }

  // ---------- access token ----------
  // A server started with --token wants it on every API call. It comes in the page's own URL
  // (?access_token= or #…access_token=) and is kept for this tab, so a reload or a link inside
  // the page that drops it from the URL keeps working.
  var TOKEN_KEY = 'zhnews.access_token';
  function hashQuery(hash) {
    var i = hash.indexOf('?');
    if (i >= 0) return hash.slice(i + 1);
    return /^#[^/]/.test(hash) ? hash.slice(1) : '';
  }
  function readToken() {
    var t = new URLSearchParams(location.search).get('access_token') ||
      new URLSearchParams(hashQuery(location.hash || '')).get('access_token') || '';
    try {
      if (t) sessionStorage.setItem(TOKEN_KEY, t); else t = sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) { /* storage refused (private mode): the URL's token still serves this load */ }
    return t;
  }
  var token = readToken();

  // ---------- API and its errors ----------
  // The API's messages are English and meant for developers; the page says what happened in
  // Chinese and keeps the server's words as a secondary line.
  var ERRORS = {
    bad_query: '查询语句无法解析，请检查引号、括号和字段名是否成对、正确。',
    bad_request: '请求参数有误，请检查日期、来源、每页条数等条件。',
    not_found: '没有找到所请求的内容。',
    timeout: '查询超时：请缩小日期范围或简化查询后重试。',
    busy: '服务器正忙，请稍后重试。',
    index_unavailable: '索引暂时无法读取，请稍后重试。',
    internal: '服务器内部错误，请稍后重试。',
    unauthorized: '需要访问令牌：请使用带有 access_token 参数的链接打开本页。',
    uri_too_long: '请求过长，请缩短查询。',
    headers_too_large: '请求头过大，无法处理。',
    method_not_allowed: '服务器不支持该请求方式。',
    network: '网络错误：无法连接服务器，请检查网络后重试。',
    bad_response: '服务器返回了无法解析的数据。'
  };
  function codeForStatus(status) {
    if (status === 400) return 'bad_request';
    if (status === 401) return 'unauthorized';
    if (status === 404) return 'not_found';
    if (status === 503) return 'busy';
    if (status >= 500) return 'internal';
    return null;
  }
  function apiError(code, status, detail) {
    var msg = ERRORS[code] || ('请求失败（HTTP ' + status + '）');
    var err = new Error(msg);
    err.code = code; err.status = status;
    // "internal error" and the like say nothing more than the Chinese line.
    err.detail = detail && !/^(internal error|the index cannot be read now)$/i.test(detail) ? String(detail) : '';
    return err;
  }
  function api(path) {
    var headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(path, { headers: headers }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var info = data && data.error ? data.error : {};
          var code = info.code && ERRORS[info.code] ? info.code : codeForStatus(res.status);
          throw apiError(code, res.status, info.message);
        }
        if (data === null) throw apiError('bad_response', res.status, '');
        return data;
      });
    }, function () { throw apiError('network', 0, ''); });
  }
  function showError(err) {
    var msg = typeof err === 'string' ? err : err.message;
    E.error.replaceChildren(h('div', { class: 'error-main', text: msg }),
      err && err.detail ? h('div', { class: 'error-detail', text: '服务器信息：' + err.detail }) : null);
    if (err && err.code) E.error.setAttribute('data-code', err.code); else E.error.removeAttribute('data-code');
    E.error.hidden = false;
  }
  function clearError() { E.error.replaceChildren(); E.error.removeAttribute('data-code'); E.error.hidden = true; }
  function loading(on) { E.loading.hidden = !on; }
  function setView(v) {
    if (state.view === 'search' && v !== 'search') state.scrollY = window.scrollY;
    state.view = v;
    E.searchView.hidden = v !== 'search';
    E.articleView.hidden = v !== 'article';
  }

  // ---------- what lenient reading repaired, in Chinese ----------
  var WARNINGS = [
    [/^unbalanced quote: a " is never closed$/, function () { return '引号没有闭合'; }],
    [/^unbalanced \(: NEAR\/n\( is never closed$/, function () { return 'NEAR/n( 的括号没有闭合'; }],
    [/^unbalanced \(: no \) closes it$/, function () { return '左括号“(”没有对应的右括号'; }],
    [/^unbalanced \): no \( before it$/, function () { return '右括号“)”前没有对应的左括号'; }],
    [/^unbalanced \[: a date range needs a closing \]$/, function () { return '日期范围缺少右方括号“]”'; }],
    [/^(\w+) is not a field \(fields: (.*)\)$/, function (m) { return '“' + m[1] + '”不是可搜索的字段（可用字段：' + m[2].split(', ').join('、') + '）'; }],
    [/^(\w+): needs a word or a "quoted string" after it$/, function (m) { return '字段“' + m[1] + ':”后面需要一个词或带引号的短语'; }],
    [/^(?:NEAR distance|proximity) is at most (\d+) characters$/, function (m) { return '邻近距离最多为 ' + m[1] + ' 个字'; }],
    [/^more than (\d+) - or NOT in a row$/, function (m) { return '连续的“-”或 NOT 超过 ' + m[1] + ' 个'; }],
    [/^parentheses nested deeper than (\d+)$/, function (m) { return '括号嵌套超过 ' + m[1] + ' 层'; }],
    [/^expected a term$/, function () { return '此处缺少检索词'; }],
    [/^a \[range\] needs a field/, function () { return '日期范围前需要字段名，例如 published:[2020-01-01 TO 2020-12-31]'; }],
    [/^inside NEAR\/n\(…\) only words or quoted strings may stand$/, function () { return 'NEAR/n(…) 中只能包含词语或带引号的短语'; }],
    [/^a quoted string needs at least one letter, digit or character$/, function () { return '引号内至少需要一个字、字母或数字'; }],
    [/^query cut to its first (\d+) bytes$/, function (m) { return '查询过长，只使用了前 ' + m[1] + ' 字节'; }],
    [/^too many clauses \((\d+); at most (\d+)\); the words were searched as plain text$/, function (m) {
      return '查询条件过多（' + m[1] + ' 个，最多 ' + m[2] + ' 个），已按普通文字搜索';
    }],
    [/^no article has the source "(.*)"; the most frequent sources are: (.*)$/, function (m) {
      return '没有来源为“' + m[1] + '”的文章；最常见的来源有：' + m[2].split(', ').join('、');
    }],
    [/^question words not required: (.*)$/, function (m) {
      return '疑问词不要求出现：' + m[1].split(' ').join('、');
    }]
  ];
  function warningText(w) {
    var rest = String(w), tail = '';
    var at = / \(at character (\d+)\); read as text$/.exec(rest);
    if (at) { rest = rest.slice(0, at.index); tail = '（第 ' + at[1] + ' 个字符处），已按普通文字处理'; }
    for (var i = 0; i < WARNINGS.length; i++) {
      var m = WARNINGS[i][0].exec(rest);
      if (m) return WARNINGS[i][1](m) + tail;
    }
    return String(w);
  }

  // ---------- dates ----------
  // Typed, not a browser date control, whose format follows the browser's language rather than
  // the page's: 2020-03-15, 2020/3/15, 2020年3月15日, 20200315, or only a year or a month
  // (2020, 2020-03, 2020年3月), which starts (from) or ends (to) the period. '' for an empty
  // field, null for one that is no date.
  function parseDay(text, end) {
    var t = String(text || '').trim();
    if (!t) return '';
    if (!/^[\d\s\-/.年月日号]+$/.test(t)) return null;
    var n = /^\d{8}$/.test(t) ? [t.slice(0, 4), t.slice(4, 6), t.slice(6)] : t.match(/\d+/g);
    if (!n || n.length > 3 || n[0].length !== 4) return null;
    var y = Number(n[0]), m = n.length > 1 ? Number(n[1]) : (end ? 12 : 1);
    if (m < 1 || m > 12) return null;
    var last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    var d = n.length > 2 ? Number(n[2]) : (end ? last : 1);
    if (d < 1 || d > last) return null;
    var pad = function (x) { return (x < 10 ? '0' : '') + x; };
    return n[0] + '-' + pad(m) + '-' + pad(d);
  }

  // ---------- routing ----------
  // What the search bar asks for, or null (with the reason shown) when a date is no date.
  function readInputs() {
    var from = parseDay(E.from.value, false), to = parseDay(E.to.value, true);
    if (from === null || to === null) {
      showError('日期格式有误：请按“年-月-日”填写，例如 2020-03-15；也可以只填年份（2020）或年月（2020-03）。');
      (from === null ? E.from : E.to).focus();
      return null;
    }
    return { q: E.q.value.trim(), from: from, to: to, source: E.source.value.trim(),
      sort: E.sort.value === 'date' ? 'date' : 'relevance', cursor: '', syntax: '', limit: '' };
  }
  function searchHash(p) {
    var u = new URLSearchParams();
    if (p.q) u.set('q', p.q);
    if (p.from) u.set('from', p.from);
    if (p.to) u.set('to', p.to);
    if (p.source) u.set('source', p.source);
    if (p.sort === 'date') u.set('sort', 'date');
    if (p.syntax) u.set('syntax', p.syntax);
    if (p.limit) u.set('limit', p.limit);
    if (p.cursor) u.set('cursor', p.cursor);
    var qs = u.toString();
    return '#/search' + (qs ? '?' + qs : '');
  }
  function articleHash(id) { return '#/article/' + encodeURIComponent(String(id)); }
  function navigate(hash, force) {
    if (location.hash === hash) route(force); else location.hash = hash;
  }
  function submit() {
    var p = readInputs();
    if (p) navigate(searchHash(p), true);
  }
  function hasFilters(p) { return !!(p.from || p.to || p.source); }
  function isListing(p) { return !p.q || p.q === '*'; }
  function route(force) {
    var hash = location.hash || '';
    var m = /^#\/article\/([^?]+)/.exec(hash);
    if (m) {
      var id;
      try { id = decodeURIComponent(m[1]); } catch (e) { id = m[1]; }
      showArticle(id);
      return;
    }
    var u = new URLSearchParams(hashQuery(hash));
    // syntax and limit come only from a URL (a shared link, a test), never from the box: what
    // the user types is read leniently and never fails.
    var p = { q: (u.get('q') || '').trim(), from: u.get('from') || '', to: u.get('to') || '', source: u.get('source') || '',
      sort: u.get('sort') === 'date' ? 'date' : 'relevance', cursor: u.get('cursor') || '',
      syntax: u.get('syntax') || '', limit: u.get('limit') || '' };
    var returning = state.view !== 'search';
    setView('search');
    state.lastSearch = hash || '#/search';
    E.q.value = p.q; E.from.value = p.from; E.to.value = p.to; E.source.value = p.source; E.sort.value = p.sort;
    if (!force && state.renderedHash === hash && hash) {
      ++state.seq; loading(false); clearError();
      document.title = pageTitle(p);
      if (returning) window.scrollTo(0, state.scrollY);
      return;
    }
    if (!p.q && !hasFilters(p)) {
      resetResults(); state.query = p; E.hint.hidden = false; document.title = 'zhnews · 中文新闻搜索';
      if (E.trend.open) loadTrend();
      return;
    }
    runSearch(p, hash);
  }
  function pageTitle(p) { return (isListing(p) ? '最新文章' : p.q) + ' - zhnews'; }

  // ---------- search ----------
  function resetResults() {
    ++state.seq; loading(false); clearError();
    E.results.replaceChildren(); E.facets.replaceChildren(); E.facets.hidden = true; E.layout.classList.remove('has-facets');
    E.total.hidden = true; E.interp.hidden = true; E.warnings.hidden = true; E.warnings.replaceChildren();
    E.empty.hidden = true; E.pager.hidden = true; state.renderedHash = null;
  }
  function runSearch(p, hash) {
    var key = [p.q, p.from, p.to, p.source, p.sort, p.syntax, p.limit].join('\u0001');
    if (key !== state.key) { state.key = key; state.pages = ['']; }
    var idx = state.pages.indexOf(p.cursor);
    if (idx < 0) { state.pages = p.cursor ? ['', p.cursor] : ['']; idx = state.pages.length - 1; }
    state.idx = idx;
    var my = ++state.seq;
    clearError(); E.hint.hidden = true; E.empty.hidden = true;
    document.title = pageTitle(p);
    if (p.from && p.to && p.from > p.to) {
      resetResults(); state.query = p;
      showError('开始日期（' + p.from + '）晚于结束日期（' + p.to + '），请调整日期范围。');
      return;
    }
    loading(true);
    var u = new URLSearchParams({ q: p.q || '*', limit: p.limit || '10', facets: 'true', sort: p.sort });
    if (p.syntax) u.set('syntax', p.syntax);
    if (p.cursor) u.set('cursor', p.cursor);
    if (p.from) u.set('from', p.from);
    if (p.to) u.set('to', p.to);
    if (p.source) u.set('source', p.source);
    api('/api/search?' + u.toString()).then(function (data) {
      if (my !== state.seq) return;
      loading(false);
      state.query = p; state.next = data.next_cursor || null; state.renderedHash = hash;
      renderQueryInfo(data, p);
      renderHits(data, p);
      renderFacets(data.facets, p);
      E.prev.disabled = state.idx === 0;
      E.next.disabled = !state.next;
      E.pager.hidden = state.idx === 0 && !state.next;
      if (E.trend.open) loadTrend();
    }, function (err) {
      if (my !== state.seq) return;
      resetResults();
      state.query = p;
      showError(err);
    });
  }
  function renderQueryInfo(data, p) {
    var read = squash(data.interpreted_as);
    var shown = !isListing(p) && read !== '' && read !== squash(p.q);
    E.interp.replaceChildren('按以下方式理解：', h('code', { text: read }));
    E.interp.hidden = !shown;
    var ws = Array.isArray(data.warnings) ? data.warnings : [];
    E.warnings.replaceChildren.apply(E.warnings, ws.map(function (w) {
      return h('li', { class: 'warning', title: String(w), text: warningText(w) });
    }));
    E.warnings.hidden = !ws.length;
  }
  function renderHits(data, p) {
    var hits = Array.isArray(data.hits) ? data.hits : [];
    var total = data.total || 0, groups = typeof data.groups === 'number' ? data.groups : null;
    var anyPartial = hits.some(function (x) { return x.partial; });
    var line;
    if (isListing(p)) line = '共 ' + fmtNum(total) + ' 篇文章' + (groups != null ? '，' + fmtNum(groups) + ' 个报道' : '') + '，按时间从新到旧排列';
    else if (total === 0 && anyPartial) line = '没有文章匹配全部词语；以下是只匹配部分词语的结果';
    else line = '共 ' + fmtNum(total) + ' 篇文章匹配全部词语' + (groups != null ? '，' + fmtNum(groups) + ' 个报道' : '');
    E.total.textContent = line;
    E.total.setAttribute('data-total', String(total));
    if (groups != null) E.total.setAttribute('data-groups', String(groups)); else E.total.removeAttribute('data-groups');
    E.total.hidden = false;
    E.empty.hidden = hits.length > 0;
    var items = [];
    hits.forEach(function (hit, i) {
      // Partial hits come after every-word hits: one divider where they start.
      if (hit.partial && (i === 0 || !hits[i - 1].partial)) {
        items.push(h('li', { class: 'partial-divider', role: 'separator', text: '以下结果只匹配部分词语' }));
      }
      items.push(renderHit(hit));
    });
    E.results.replaceChildren.apply(E.results, items);
  }
  function sourcesOf(articles) {
    var seen = {};
    return articles.map(function (a) { return a.source; }).filter(function (x) {
      if (!x || seen[x]) return false; seen[x] = true; return true;
    });
  }
  // The "N 篇转载" badge and, under it, the copies it opens: title (to the article view), source, date.
  function copiesOf(copies) {
    if (!copies || !(copies.count > 0)) return null;
    var arts = Array.isArray(copies.articles) ? copies.articles : [];
    var srcs = sourcesOf(arts);
    var label = copies.count + ' 篇转载' + (srcs.length ? '：' + srcs.slice(0, 3).join('、') + (srcs.length > 3 ? '等' : '') : '');
    var id = 'copies-' + (++state.copiesSeq);
    var list = h('ul', { class: 'copies-list', id: id, hidden: true }, arts.map(function (a) {
      return h('li', { class: 'copy', 'data-id': String(a.id) }, [
        h('a', { href: articleHash(a.id), text: a.title || '（无标题）' }),
        a.source ? h('span', { class: 'copy-source', text: a.source }) : null,
        a.published ? h('span', { class: 'copy-date', text: fmtDateTime(a.published) }) : null
      ]);
    }).concat(copies.count > arts.length ? [h('li', { class: 'muted', text: '另有 ' + (copies.count - arts.length) + ' 篇未列出' })] : []));
    var badge = h('button', { type: 'button', class: 'copies', 'aria-expanded': 'false', 'aria-controls': id,
      title: arts.length ? '展开或收起转载列表' : null, text: label });
    if (arts.length) {
      badge.addEventListener('click', function () {
        var open = list.hidden;
        list.hidden = !open;
        badge.setAttribute('aria-expanded', String(open));
      });
    } else badge.disabled = true;
    return { badge: badge, list: arts.length ? list : null };
  }
  function renderHit(hit) {
    var url = safeUrl(hit.url);
    var copies = copiesOf(hit.copies);
    return h('li', { class: 'hit' + (hit.partial ? ' partial' : ''), 'data-id': String(hit.id) }, [
      h('h3', { class: 'hit-title' }, [
        hit.partial ? h('span', { class: 'partial-badge', title: '只匹配部分查询词', text: '部分匹配' }) : null,
        h('a', { href: articleHash(hit.id), text: hit.title || '（无标题）' })
      ]),
      h('div', { class: 'meta' }, [
        hit.published ? h('span', { class: 'hit-date', text: fmtDateTime(hit.published) }) : null,
        hit.source ? h('span', { class: 'hit-source', text: hit.source }) : null,
        hit.author ? h('span', { class: 'hit-author', text: '作者：' + hit.author }) : null
      ]),
      renderSnippet(h('p', { class: 'snippet' }), hit.snippet),
      h('div', null, [
        copies ? copies.badge : null,
        url ? h('a', { class: 'hit-url', href: url, target: '_blank', rel: 'noopener noreferrer', text: hit.url }) : null
      ]),
      copies ? copies.list : null
    ]);
  }

  // ---------- facets ----------
  // Every facet list the response has, known ones first. Source and year set the filters; any
  // other (person, place, org, …) adds or removes `key:VALUE` in the query.
  var FACET_NAMES = { source: '来源', year: '年份', person: '人物', place: '地点', org: '机构' };
  var FACET_ORDER = ['source', 'year', 'person', 'place', 'org'];
  function fieldTerm(key, value) {
    var v = String(value);
    return key + ':' + (/[\s"“”()[\]:：]/.test(v) || /^[-+]/.test(v) ? '"' + v.replace(/["“”]/g, ' ').trim() + '"' : v);
  }
  function hasTerm(q, term) { return (' ' + q + ' ').indexOf(' ' + term + ' ') >= 0; }
  function toggleTerm(q, term) {
    if (hasTerm(q, term)) return squash((' ' + q + ' ').replace(' ' + term + ' ', ' '));
    return squash(q + ' ' + term);
  }
  function facetList(key, items, isActive, onPick) {
    if (!Array.isArray(items) || !items.length) return null;
    return h('section', { class: 'facet', 'data-facet': key }, [h('h4', { text: FACET_NAMES[key] || key }), h('ul', null, items.map(function (it) {
      var b = h('button', { type: 'button', class: 'facet-' + key + (isActive(it) ? ' active' : ''), 'data-value': String(it.value) },
        [h('span', { text: String(it.value) }), h('span', { class: 'count', text: fmtNum(it.count) })]);
      b.addEventListener('click', function () { onPick(it); });
      return h('li', null, b);
    }))]);
  }
  function renderFacets(f, p) {
    var nodes = [];
    if (f && typeof f === 'object') {
      var keys = FACET_ORDER.filter(function (k) { return k in f; })
        .concat(Object.keys(f).filter(function (k) { return FACET_ORDER.indexOf(k) < 0; }).sort());
      keys.forEach(function (key) {
        var node;
        if (key === 'source') {
          node = facetList(key, f[key], function (it) { return String(it.value) === p.source; }, function (it) {
            E.source.value = String(it.value) === p.source ? '' : String(it.value); submit();
          });
        } else if (key === 'year') {
          node = facetList(key, f[key], function (it) {
            var y = String(it.value).slice(0, 4); return p.from === y + '-01-01' && p.to === y + '-12-31';
          }, function (it) {
            var y = String(it.value).slice(0, 4), on = p.from === y + '-01-01' && p.to === y + '-12-31';
            E.from.value = on ? '' : y + '-01-01'; E.to.value = on ? '' : y + '-12-31'; submit();
          });
        } else {
          node = facetList(key, f[key], function (it) { return hasTerm(p.q, fieldTerm(key, it.value)); }, function (it) {
            E.q.value = toggleTerm(isListing(p) ? '' : p.q, fieldTerm(key, it.value)); submit();
          });
        }
        if (node) nodes.push(node);
      });
    }
    if (nodes.length && hasFilters(p)) {
      var c = h('button', { type: 'button', class: 'linkbtn', text: '清除筛选' });
      c.addEventListener('click', clearFilters);
      nodes.push(c);
    }
    E.facets.replaceChildren.apply(E.facets, nodes);
    E.facets.hidden = !nodes.length;
    E.layout.classList.toggle('has-facets', nodes.length > 0);
  }
  function clearFilters() {
    E.from.value = ''; E.to.value = ''; E.source.value = ''; E.sort.value = 'relevance';
    submit();
  }

  // ---------- trend ----------
  function chooseInterval(p) {
    var st = state.stats || {};
    var a = p.from || fmtDate(st.earliest), b = p.to || fmtDate(st.latest) || new Date().toISOString().slice(0, 10);
    var days = (Date.parse(b) - Date.parse(a)) / 864e5;
    return days > 3 * 365.25 ? 'year' : 'month';
  }
  function inRange(start, interval, from, to) {
    var cut = function (x) { return interval === 'year' ? x.slice(0, 4) : interval === 'month' ? x.slice(0, 7) : x.slice(0, 10); };
    if (to && cut(start) > cut(to)) return false;
    if (from) {
      if (interval === 'week') {
        var t = Date.parse(from) - 6 * 864e5;
        if (!isNaN(t) && start < new Date(t).toISOString().slice(0, 10)) return false;
      } else if (cut(start) < cut(from)) return false;
    }
    return true;
  }
  // The query as a chart title: its own straight quotes become Chinese ones, and only a query
  // without any gets a pair around it, so `"援疆"` reads “援疆”, never “"援疆"”.
  function queryLabel(q) {
    var open = true;
    var t = squash(q).replace(/"/g, function () { var c = open ? '“' : '”'; open = !open; return c; });
    return /[“”「」『』]/.test(t) ? t : '“' + t + '”';
  }
  function bucketLabel(start, interval) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(start);
    if (!m) return start;
    if (interval === 'year') return m[1] + '年';
    if (interval === 'month') return m[1] + '年' + Number(m[2]) + '月';
    return m[1] + '年' + Number(m[2]) + '月' + Number(m[3]) + '日';
  }
  function loadTrend() {
    var p = state.query;
    if (!p || isListing(p)) { E.trendChart.replaceChildren(h('p', { class: 'muted', text: '请输入关键词后查看趋势' })); state.trendKey = null; return; }
    var my = ++state.trendSeq;
    (state.statsP || Promise.resolve(null)).then(function () {
      if (my !== state.trendSeq) return;
      var interval = chooseInterval(p), norm = E.trendNorm.checked;
      var key = [p.q, p.from, p.to, p.source, p.syntax, interval, norm].join('\u0001');
      if (key === state.trendKey) return;
      E.trendChart.replaceChildren(h('p', { class: 'muted', text: '趋势加载中…' }));
      var u = new URLSearchParams({ q: p.q, interval: interval, normalize: String(norm) });
      if (p.source) u.set('source', p.source);
      if (p.syntax) u.set('syntax', p.syntax);
      api('/api/trend?' + u.toString()).then(function (data) {
        if (my !== state.trendSeq) return;
        state.trendKey = key;
        var series = (data.series && data.series[0]) || { buckets: [] };
        var iv = data.interval || interval;
        var buckets = (series.buckets || []).filter(function (b) { return inRange(String(b.start), iv, p.from, p.to); });
        drawTrend(p.q, buckets, iv, !!data.normalized);
      }, function (err) {
        if (my !== state.trendSeq) return;
        state.trendKey = null;
        E.trendChart.replaceChildren(h('p', { class: 'muted', text: '趋势加载失败：' + err.message }));
      });
    });
  }
  function niceCeil(v) {
    var pow = Math.pow(10, Math.floor(Math.log10(v))), steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * pow >= v) return steps[i] * pow;
    return 10 * pow;
  }
  function drawTrend(q, buckets, interval, normalized) {
    var unit = { year: '年', month: '月', week: '周', day: '日' }[interval] || interval;
    if (!buckets.length) { E.trendChart.replaceChildren(h('p', { class: 'muted', text: '暂无趋势数据' })); return; }
    var shareOf = function (b) {
      if (typeof b.share === 'number') return b.share;
      return b.total ? (b.count || 0) / b.total : 0;
    };
    var value = normalized ? shareOf : function (b) { return b.count || 0; };
    var tickText = normalized ? fmtPct : function (v) { return fmtNum(Math.round(v)); };
    var sum = buckets.reduce(function (a, b) { return a + (b.count || 0); }, 0);
    var W = 760, H = 260, ml = 56, mr = 12, mt = 14, mb = 48, pw = W - ml - mr, ph = H - mt - mb;
    var max = Math.max.apply(null, buckets.map(value));
    if (!(max > 0)) max = normalized ? 0.01 : 1;
    var top = normalized ? niceCeil(max) : niceCeil(Math.max(1, max));
    var ticks = normalized ? 4 : ([5, 4, 2, 1].filter(function (n) { return top % n === 0; })[0] || 4);
    var title = queryLabel(q);
    var svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title + (normalized ? ' 报道占比趋势图' : ' 报道数量趋势图') });
    for (var t = 0; t <= ticks; t++) {
      var val = top * t / ticks, y = mt + ph - ph * t / ticks;
      svg.appendChild(s('line', { class: 'grid', x1: ml, x2: W - mr, y1: y, y2: y }));
      svg.appendChild(s('text', { class: 'tick', x: ml - 6, y: y + 4, 'text-anchor': 'end' }, tickText(val)));
    }
    var bw = pw / buckets.length, step = Math.ceil(buckets.length / 8);
    buckets.forEach(function (b, i) {
      var c = b.count || 0, v = value(b), bh = ph * v / top, x = ml + i * bw, label = bucketLabel(String(b.start), interval);
      var r = s('rect', { class: 'bar', x: x + bw * 0.1, y: mt + ph - bh, width: Math.max(1, bw * 0.8), height: Math.max(0, bh) });
      var tip = label + '：' + fmtNum(c) + ' 篇';
      if (normalized) tip += ' / 共 ' + fmtNum(b.total || 0) + ' 篇（' + fmtPct(v) + '）';
      r.appendChild(s('title', {}, tip));
      svg.appendChild(r);
      if (i % step === 0) svg.appendChild(s('text', { class: 'label', x: x + bw / 2, y: mt + ph + 16, 'text-anchor': 'middle' }, label));
    });
    svg.appendChild(s('line', { class: 'axis', x1: ml, x2: W - mr, y1: mt + ph, y2: mt + ph }));
    svg.appendChild(s('line', { class: 'axis', x1: ml, x2: ml, y1: mt, y2: mt + ph }));
    svg.appendChild(s('text', { class: 'axis-title', x: 12, y: mt + ph / 2, 'text-anchor': 'middle', transform: 'rotate(-90 12 ' + (mt + ph / 2) + ')' },
      normalized ? '占全部报道的比例' : '报道篇数'));
    svg.appendChild(s('text', { class: 'axis-title', x: ml + pw / 2, y: H - 6, 'text-anchor': 'middle' }, '发布时间（按' + unit + '）'));
    E.trendChart.replaceChildren(h('div', { class: 'caption', text: title + (normalized ? ' 报道占比' : ' 报道数量') + '（按' + unit + '）· 合计 ' + fmtNum(sum) + ' 篇' }), svg);
  }

  // ---------- article ----------
  function showArticle(id) {
    setView('article');
    var my = ++state.seq;
    clearError(); loading(true);
    E.article.replaceChildren(); E.related.replaceChildren(); E.related.hidden = true;
    window.scrollTo(0, 0);
    var enc = encodeURIComponent(id);
    // No time window: the same list as `zhnews related ID`.
    var relP = api('/api/articles/' + enc + '/related').then(null, function (e) { return { error: e }; });
    api('/api/articles/' + enc).then(function (a) {
      if (my !== state.seq) return;
      loading(false);
      renderArticle(a);
      E.related.hidden = false;
      E.related.replaceChildren(h('h3', { text: '相关报道' }), h('p', { class: 'muted', text: '加载中…' }));
      return relP.then(function (rel) { if (my === state.seq) renderRelated(rel); });
    }, function (err) {
      if (my !== state.seq) return;
      loading(false);
      E.article.replaceChildren(h('a', { id: 'back', href: state.lastSearch, text: '← 返回搜索' }));
      if (err.code === 'not_found') err.message = '没有找到这篇文章（编号：' + id + '）。';
      showError(err);
    });
  }
  function renderArticle(a) {
    document.title = (a.title || '文章') + ' - zhnews';
    var url = safeUrl(a.url);
    var paras = String(a.body || '').split('\n').map(function (x) { return x.trim(); }).filter(Boolean);
    var kws = Array.isArray(a.keywords) ? a.keywords : [];
    E.article.replaceChildren(
      h('a', { id: 'back', href: state.lastSearch, text: '← 返回搜索结果' }),
      h('h2', { id: 'article-title', text: a.title || '（无标题）' }),
      h('div', { class: 'meta' }, [
        a.published ? h('span', { text: fmtDateTime(a.published) }) : null,
        a.source ? h('span', { text: '来源：' + a.source }) : null,
        a.author ? h('span', { text: '作者：' + a.author }) : null,
        a.section ? h('span', { text: '栏目：' + a.section }) : null
      ]),
      kws.length ? h('div', { class: 'chips keywords' }, kws.map(function (k) {
        return h('a', { class: 'chip', href: searchHash({ q: String(k) }), text: String(k) });
      })) : null,
      h('div', { class: 'body' }, paras.map(function (t) { return h('p', { text: t }); })),
      url ? h('p', { class: 'muted' }, ['原文链接：', h('a', { class: 'orig', href: url, target: '_blank', rel: 'noopener noreferrer', text: a.url })]) : null
    );
  }
  function renderRelated(rel) {
    var head = h('h3', { text: '相关报道' });
    if (rel && rel.reprints > 0) head.appendChild(h('span', { class: 'reprints', text: '本文另有 ' + rel.reprints + ' 篇转载' }));
    if (!rel || rel.error) {
      E.related.replaceChildren(head, h('p', { class: 'muted related-error', text: '相关报道加载失败' + (rel && rel.error ? '：' + rel.error.message : '') }));
      return;
    }
    var hits = Array.isArray(rel.hits) ? rel.hits : [];
    if (!hits.length) { E.related.replaceChildren(head, h('p', { class: 'muted related-empty', text: '没有找到相关报道' })); return; }
    E.related.replaceChildren(head, h('ul', null, hits.map(function (hit) {
      var reason = Array.isArray(hit.reason) ? hit.reason : [];
      var copies = copiesOf(hit.copies);
      return h('li', { class: 'related-hit', 'data-id': String(hit.id) }, [
        h('a', { href: articleHash(hit.id), text: hit.title || '（无标题）' }),
        h('div', { class: 'meta' }, [
          hit.published ? h('span', { text: fmtDateTime(hit.published) }) : null,
          hit.source ? h('span', { text: hit.source }) : null,
          copies ? copies.badge : null
        ]),
        copies ? copies.list : null,
        reason.length ? h('div', { class: 'chips reason' }, [h('span', { class: 'muted', text: '共同关键词：' })].concat(
          reason.map(function (r) { return h('span', { class: 'chip', text: String(r) }); }))) : null
      ]);
    })));
  }

  // ---------- events ----------
  function bindEnter(el) {
    var composing = false;
    el.addEventListener('compositionstart', function () { composing = true; });
    el.addEventListener('compositionend', function () { composing = false; });
    el.addEventListener('keydown', function (e) {
      if (e.key !== 'Enter' && e.keyCode !== 13) return;
      // IME candidate confirmation: never submit (Safari sends keyCode 229 after compositionend).
      if (composing || e.isComposing || e.keyCode === 229) return;
      e.preventDefault();
      submit();
    });
  }
  bindEnter(E.q); bindEnter(E.source); bindEnter(E.from); bindEnter(E.to);
  E.btn.addEventListener('click', submit);
  E.sort.addEventListener('change', function () { if (E.q.value.trim() || state.renderedHash) submit(); });
  E.clear.addEventListener('click', clearFilters);
  E.next.addEventListener('click', function () {
    if (!state.next || !state.query) return;
    state.pages = state.pages.slice(0, state.idx + 1).concat([state.next]);
    navigate(searchHash(Object.assign({}, state.query, { cursor: state.next })));
    window.scrollTo(0, 0);
  });
  E.prev.addEventListener('click', function () {
    if (state.idx <= 0 || !state.query) return;
    navigate(searchHash(Object.assign({}, state.query, { cursor: state.pages[state.idx - 1] })));
    window.scrollTo(0, 0);
  });
  E.trend.addEventListener('toggle', function () { if (E.trend.open) loadTrend(); });
  E.trendNorm.addEventListener('change', function () { if (E.trend.open) loadTrend(); });
  window.addEventListener('hashchange', function () { token = readToken(); route(false); });

  state.statsP = api('/api/stats').then(function (st) {
    state.stats = st;
    var parts = ['文档数 ' + fmtNum(st.documents)];
    if (st.sources != null) parts.push('来源 ' + fmtNum(st.sources));
    if (st.earliest || st.latest) parts.push(fmtDate(st.earliest) + ' 至 ' + fmtDate(st.latest));
    E.stats.textContent = parts.join(' · ');
  }, function (err) { E.stats.textContent = err.code === 'unauthorized' ? '需要访问令牌' : ''; });
  route(false);
  E.q.focus();
})();
