(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var E = {
    q: $('q'), btn: $('search-btn'), from: $('from'), to: $('to'), source: $('source'), sort: $('sort'),
    clear: $('clear-filters'), stats: $('stats'), error: $('error'), loading: $('loading'),
    searchView: $('search-view'), articleView: $('article-view'), layout: $('layout'), facets: $('facets'),
    trend: $('trend'), trendChart: $('trend-chart'), total: $('total'), hint: $('hint'), empty: $('empty'),
    results: $('results'), pager: $('pager'), prev: $('prev'), next: $('next'), article: $('article'), related: $('related')
  };
  var state = { seq: 0, trendSeq: 0, trendKey: null, key: null, pages: [''], idx: 0, next: null, query: null,
    lastSearch: '#/search', renderedHash: null, scrollY: 0, view: 'search', stats: null, statsP: null };

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
  function safeUrl(u) {
    if (!u) return null;
    try { var x = new URL(String(u), location.href); return (x.protocol === 'http:' || x.protocol === 'https:') ? x.href : null; }
    catch (e) { return null; }
  }
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
  function api(path) {
    return fetch(path, { headers: { Accept: 'application/json' } }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var info = data && data.error ? data.error : {};
          var err = new Error(info.message || ('请求失败（HTTP ' + res.status + '）'));
          err.code = info.code; err.status = res.status;
          throw err;
        }
        if (data === null) throw new Error('服务器返回了无法解析的数据');
        return data;
      });
    }, function () { throw new Error('网络错误：无法连接服务器'); });
  }
  function showError(msg) { E.error.textContent = msg; E.error.hidden = false; }
  function clearError() { E.error.textContent = ''; E.error.hidden = true; }
  function loading(on) { E.loading.hidden = !on; }
  function setView(v) {
    if (state.view === 'search' && v !== 'search') state.scrollY = window.scrollY;
    state.view = v;
    E.searchView.hidden = v !== 'search';
    E.articleView.hidden = v !== 'article';
  }

  // ---------- routing ----------
  function readInputs() {
    return { q: E.q.value.trim(), from: E.from.value, to: E.to.value, source: E.source.value.trim(),
      sort: E.sort.value === 'date' ? 'date' : 'relevance', cursor: '' };
  }
  function searchHash(p) {
    var u = new URLSearchParams();
    if (p.q) u.set('q', p.q);
    if (p.from) u.set('from', p.from);
    if (p.to) u.set('to', p.to);
    if (p.source) u.set('source', p.source);
    if (p.sort === 'date') u.set('sort', 'date');
    if (p.cursor) u.set('cursor', p.cursor);
    var qs = u.toString();
    return '#/search' + (qs ? '?' + qs : '');
  }
  function articleHash(id) { return '#/article/' + encodeURIComponent(String(id)); }
  function navigate(hash, force) {
    if (location.hash === hash) route(force); else location.hash = hash;
  }
  function submit() { navigate(searchHash(readInputs()), true); }
  function route(force) {
    var hash = location.hash || '';
    var m = /^#\/article\/(.+)$/.exec(hash);
    if (m) {
      var id;
      try { id = decodeURIComponent(m[1]); } catch (e) { id = m[1]; }
      showArticle(id);
      return;
    }
    var i = hash.indexOf('?');
    var u = new URLSearchParams(i >= 0 ? hash.slice(i + 1) : '');
    var p = { q: (u.get('q') || '').trim(), from: u.get('from') || '', to: u.get('to') || '', source: u.get('source') || '',
      sort: u.get('sort') === 'date' ? 'date' : 'relevance', cursor: u.get('cursor') || '' };
    var returning = state.view !== 'search';
    setView('search');
    state.lastSearch = hash || '#/search';
    E.q.value = p.q; E.from.value = p.from; E.to.value = p.to; E.source.value = p.source; E.sort.value = p.sort;
    if (!force && state.renderedHash === hash && hash) {
      ++state.seq; loading(false); clearError();
      document.title = p.q + ' - zhnews';
      if (returning) window.scrollTo(0, state.scrollY);
      return;
    }
    if (!p.q) { resetResults(); state.query = p; E.hint.hidden = false; document.title = 'zhnews · 中文新闻搜索'; if (E.trend.open) loadTrend(); return; }
    runSearch(p, hash);
  }

  // ---------- search ----------
  function resetResults() {
    ++state.seq; loading(false); clearError();
    E.results.replaceChildren(); E.facets.replaceChildren(); E.facets.hidden = true; E.layout.classList.remove('has-facets');
    E.total.hidden = true; E.empty.hidden = true; E.pager.hidden = true; state.renderedHash = null;
  }
  function runSearch(p, hash) {
    var my = ++state.seq;
    var key = [p.q, p.from, p.to, p.source, p.sort].join('\u0001');
    if (key !== state.key) { state.key = key; state.pages = ['']; }
    var idx = state.pages.indexOf(p.cursor);
    if (idx < 0) { state.pages = p.cursor ? ['', p.cursor] : ['']; idx = state.pages.length - 1; }
    state.idx = idx;
    clearError(); loading(true); E.hint.hidden = true; E.empty.hidden = true;
    document.title = p.q + ' - zhnews';
    var u = new URLSearchParams({ q: p.q, limit: '10', facets: 'true', sort: p.sort });
    if (p.cursor) u.set('cursor', p.cursor);
    if (p.from) u.set('from', p.from);
    if (p.to) u.set('to', p.to);
    if (p.source) u.set('source', p.source);
    api('/api/search?' + u.toString()).then(function (data) {
      if (my !== state.seq) return;
      loading(false);
      state.query = p; state.next = data.next_cursor || null; state.renderedHash = hash;
      renderHits(data);
      renderFacets(data.facets, p);
      E.prev.disabled = state.idx === 0;
      E.next.disabled = !state.next;
      E.pager.hidden = state.idx === 0 && !state.next;
      if (E.trend.open) loadTrend();
    }, function (err) {
      if (my !== state.seq) return;
      resetResults();
      showError(err.message);
    });
  }
  function renderHits(data) {
    var hits = Array.isArray(data.hits) ? data.hits : [];
    E.total.textContent = '共 ' + (data.total || 0) + ' 条结果';
    E.total.setAttribute('data-total', String(data.total || 0));
    E.total.hidden = false;
    E.empty.hidden = hits.length > 0;
    E.results.replaceChildren.apply(E.results, hits.map(renderHit));
  }
  function renderHit(hit) {
    var url = safeUrl(hit.url);
    var copies = hit.copies && hit.copies.count > 0 ? hit.copies : null;
    return h('li', { class: 'hit', 'data-id': String(hit.id) }, [
      h('h3', { class: 'hit-title' }, h('a', { href: articleHash(hit.id), text: hit.title || '（无标题）' })),
      h('div', { class: 'meta' }, [
        hit.published ? h('span', { class: 'hit-date', text: fmtDateTime(hit.published) }) : null,
        hit.source ? h('span', { class: 'hit-source', text: hit.source }) : null,
        hit.author ? h('span', { class: 'hit-author', text: '作者：' + hit.author }) : null
      ]),
      renderSnippet(h('p', { class: 'snippet' }), hit.snippet),
      h('div', null, [
        copies ? h('span', { class: 'copies', title: (copies.sources || []).join('、'),
          text: copies.count + ' 篇转载' + (copies.sources && copies.sources.length ? ': ' + copies.sources.join('、') : '') }) : null,
        url ? h('a', { class: 'hit-url', href: url, target: '_blank', rel: 'noopener noreferrer', text: hit.url }) : null
      ])
    ]);
  }
  function facetList(title, items, isActive, onPick, cls) {
    if (!items || !items.length) return [];
    return [h('h4', { text: title }), h('ul', null, items.map(function (it) {
      var b = h('button', { type: 'button', class: cls + (isActive(it) ? ' active' : ''), 'data-value': String(it.value) },
        [h('span', { text: String(it.value) }), h('span', { class: 'count', text: fmtNum(it.count) })]);
      b.addEventListener('click', function () { onPick(it); });
      return h('li', null, b);
    }))];
  }
  function renderFacets(f, p) {
    var nodes = [];
    if (f) {
      nodes = nodes.concat(facetList('来源', f.source, function (it) { return String(it.value) === p.source; }, function (it) {
        E.source.value = String(it.value) === p.source ? '' : String(it.value); submit();
      }, 'facet-source'));
      nodes = nodes.concat(facetList('年份', f.year, function (it) {
        var y = String(it.value).slice(0, 4); return p.from === y + '-01-01' && p.to === y + '-12-31';
      }, function (it) {
        var y = String(it.value).slice(0, 4); E.from.value = y + '-01-01'; E.to.value = y + '-12-31'; submit();
      }, 'facet-year'));
    }
    if (nodes.length && (p.source || p.from || p.to)) {
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
    if (E.q.value.trim()) submit();
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
  function loadTrend() {
    var p = state.query;
    if (!p || !p.q) { E.trendChart.replaceChildren(h('p', { class: 'muted', text: '请输入关键词后查看趋势' })); state.trendKey = null; return; }
    var my = ++state.trendSeq;
    (state.statsP || Promise.resolve(null)).then(function () {
      if (my !== state.trendSeq) return;
      var interval = chooseInterval(p);
      var key = [p.q, p.from, p.to, interval].join('\u0001');
      if (key === state.trendKey) return;
      E.trendChart.replaceChildren(h('p', { class: 'muted', text: '趋势加载中…' }));
      var u = new URLSearchParams({ q: p.q, interval: interval, normalize: 'false' });
      api('/api/trend?' + u.toString()).then(function (data) {
        if (my !== state.trendSeq) return;
        state.trendKey = key;
        var series = (data.series && data.series[0]) || { buckets: [] };
        var buckets = (series.buckets || []).filter(function (b) { return inRange(String(b.start), data.interval || interval, p.from, p.to); });
        drawTrend(p.q, buckets, data.interval || interval);
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
  function drawTrend(q, buckets, interval) {
    var unit = { year: '年', month: '月', week: '周', day: '日' }[interval] || interval;
    if (!buckets.length) { E.trendChart.replaceChildren(h('p', { class: 'muted', text: '暂无趋势数据' })); return; }
    var sum = buckets.reduce(function (a, b) { return a + (b.count || 0); }, 0);
    var W = 760, H = 260, ml = 52, mr = 12, mt = 14, mb = 48, pw = W - ml - mr, ph = H - mt - mb;
    var max = Math.max(1, Math.max.apply(null, buckets.map(function (b) { return b.count || 0; })));
    var top = niceCeil(max), ticks = [5, 4, 2, 1].filter(function (n) { return top % n === 0; })[0] || 4;
    var svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': q + ' 趋势图' });
    for (var t = 0; t <= ticks; t++) {
      var val = top * t / ticks, y = mt + ph - ph * t / ticks;
      svg.appendChild(s('line', { class: 'grid', x1: ml, x2: W - mr, y1: y, y2: y }));
      svg.appendChild(s('text', { x: ml - 6, y: y + 4, 'text-anchor': 'end' }, fmtNum(Math.round(val))));
    }
    var bw = pw / buckets.length, step = Math.ceil(buckets.length / 8);
    var label = function (st) { return interval === 'year' ? st.slice(0, 4) : interval === 'month' ? st.slice(0, 7) : st.slice(0, 10); };
    buckets.forEach(function (b, i) {
      var c = b.count || 0, bh = ph * c / top, x = ml + i * bw;
      var r = s('rect', { class: 'bar', x: x + bw * 0.1, y: mt + ph - bh, width: Math.max(1, bw * 0.8), height: Math.max(0, bh) });
      r.appendChild(s('title', {}, label(String(b.start)) + '：' + fmtNum(c) + ' 篇' + (b.total != null ? ' / 共 ' + fmtNum(b.total) : '')));
      svg.appendChild(r);
      if (i % step === 0) svg.appendChild(s('text', { x: x + bw / 2, y: mt + ph + 16, 'text-anchor': 'middle' }, label(String(b.start))));
    });
    svg.appendChild(s('line', { class: 'axis', x1: ml, x2: W - mr, y1: mt + ph, y2: mt + ph }));
    svg.appendChild(s('line', { class: 'axis', x1: ml, x2: ml, y1: mt, y2: mt + ph }));
    svg.appendChild(s('text', { x: 12, y: mt + ph / 2, 'text-anchor': 'middle', transform: 'rotate(-90 12 ' + (mt + ph / 2) + ')' }, '篇数'));
    svg.appendChild(s('text', { x: ml + pw / 2, y: H - 6, 'text-anchor': 'middle' }, '日期（按' + unit + '）'));
    E.trendChart.replaceChildren(h('div', { class: 'caption', text: '“' + q + '” 报道数量（按' + unit + '）· 合计 ' + fmtNum(sum) + ' 篇' }), svg);
  }

  // ---------- article ----------
  function showArticle(id) {
    setView('article');
    var my = ++state.seq;
    clearError(); loading(true);
    E.article.replaceChildren(); E.related.replaceChildren(); E.related.hidden = true;
    window.scrollTo(0, 0);
    var enc = encodeURIComponent(id);
    var relP = api('/api/articles/' + enc + '/related?days=30').then(null, function (e) { return { error: e }; });
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
      showError(err.status === 404 ? '文章不存在：' + err.message : err.message);
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
    if (rel && rel.reprints > 0) head.appendChild(h('span', { class: 'reprints', text: '转载 ' + rel.reprints + ' 篇' }));
    if (!rel || rel.error) {
      E.related.replaceChildren(head, h('p', { class: 'muted', text: '相关报道加载失败' + (rel && rel.error ? '：' + rel.error.message : '') }));
      return;
    }
    var hits = Array.isArray(rel.hits) ? rel.hits : [];
    if (!hits.length) { E.related.replaceChildren(head, h('p', { class: 'muted', text: '暂无相关报道' })); return; }
    E.related.replaceChildren(head, h('ul', null, hits.map(function (hit) {
      var reason = Array.isArray(hit.reason) ? hit.reason : [];
      return h('li', { class: 'related-hit', 'data-id': String(hit.id) }, [
        h('a', { href: articleHash(hit.id), text: hit.title || '（无标题）' }),
        h('div', { class: 'meta' }, [
          hit.published ? h('span', { text: fmtDateTime(hit.published) }) : null,
          hit.source ? h('span', { text: hit.source }) : null,
          hit.copies && hit.copies.count > 0 ? h('span', { class: 'copies', text: hit.copies.count + ' 篇转载' }) : null
        ]),
        reason.length ? h('div', { class: 'chips reason' }, [h('span', { class: 'muted', text: '相关词：' })].concat(
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
  bindEnter(E.q); bindEnter(E.source);
  E.btn.addEventListener('click', submit);
  E.sort.addEventListener('change', function () { if (E.q.value.trim()) submit(); });
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
  window.addEventListener('hashchange', function () { route(false); });

  state.statsP = api('/api/stats').then(function (st) {
    state.stats = st;
    var parts = ['文档数 ' + fmtNum(st.documents)];
    if (st.sources != null) parts.push('来源 ' + fmtNum(st.sources));
    if (st.earliest || st.latest) parts.push(fmtDate(st.earliest) + ' 至 ' + fmtDate(st.latest));
    E.stats.textContent = parts.join(' · ');
  }, function () { E.stats.textContent = ''; });
  route(false);
  E.q.focus();
})();
