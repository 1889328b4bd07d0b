/*
 * 研判工作台 — the analyst's search over events, signals and alerts, with aggregations, CSV export
 * and an entity's full timeline. The URL holds the tab, the filters and the entity, so a search can be
 * bookmarked or sent to a colleague.
 */
'use strict';

(() => {
  const fh = window.fenghuo;
  const { el, $, $$ } = fh;

  const TABS = ['events', 'signals', 'alerts'];
  const SIGNAL_KINDS = { THRESHOLD: '阈值', BASELINE: '基线', CORRELATION: '多源关联', RISK_SCORE: '风险评分' };
  const FLAGS = {
    UNVERIFIED_ID_NUMBER: '身份证号未核验',
    UNVERIFIED_CREDIT_CODE: '信用代码未核验',
    LOCATION_FROM_REGION: '位置取自区域',
    LOCATION_OUTSIDE_REGION: '位置超出区域',
    GRID_FROM_LOCATION: '网格由位置推定',
    GRID_OUTSIDE_DISTRICT: '网格与区县不符',
  };
  const KINDS = { EVENT: '事件', SIGNAL: '信号', ALERT: '告警' };
  const ENTITY_TYPES = { ENT: '企业', PER: '人员', REG: '区域' };

  // Which filters each index understands; the others are hidden and not sent.
  const FILTERS_BY_TAB = {
    events: ['region', 'feed', 'category', 'from', 'to', 'q', 'minSeverity'],
    signals: ['region', 'feed', 'category', 'level', 'ruleId', 'subject', 'from', 'to', 'q'],
    alerts: ['region', 'feed', 'category', 'level', 'status', 'ruleId', 'from', 'to', 'q'],
  };

  const state = { tab: 'events', filters: {}, page: 0, size: 50, entity: '', charts: {}, searchSeq: 0 };
  fh.workbench = state;

  // -------------------------------------------------------------------------------------------
  // Form ⇄ state ⇄ URL
  // -------------------------------------------------------------------------------------------

  function buildChecks() {
    const check = (name, value, text) =>
      el('label', null, el('input', { type: 'checkbox', name, value, id: `f-${name}-${value}` }), text);
    fh.setChildren($('#f-feeds'), fh.FEED_ORDER.map((f) => check('feed', f, fh.feedLabel(f))));
    fh.setChildren($('#f-levels'), fh.LEVEL_ORDER.map((l) => check('level', l, fh.LEVELS[l].short)));
    fh.setChildren($('#f-statuses'), fh.STATUS_ORDER.map((s) => check('status', s, fh.statusLabel(s))));
    fh.setChildren($('#f-rule-options'), Object.entries(fh.RULES).map(([id, name]) => el('option', { value: id }, name)));
  }

  const checked = (name) => $$(`#filter-form input[name="${name}"]:checked`).map((i) => i.value);
  const commaList = (text) =>
    String(text || '')
      .split(/[,，\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);

  /** datetime-local is local wall time; the API wants an instant. */
  function instantOf(localValue) {
    if (!localValue) return '';
    const d = new Date(localValue);
    return Number.isNaN(d.getTime()) ? '' : d.toISOString();
  }

  function readForm() {
    return {
      region: $('#f-region').value.trim(),
      feed: checked('feed'),
      category: commaList($('#f-category').value).map((c) => c.toUpperCase()),
      level: checked('level'),
      status: checked('status'),
      ruleId: commaList($('#f-rule').value),
      subject: $('#f-subject').value.trim(),
      minSeverity: $('#f-min-severity').value,
      from: instantOf($('#f-from').value),
      to: instantOf($('#f-to').value),
      q: $('#f-q').value.trim(),
    };
  }

  function writeForm(filters) {
    $('#f-region').value = filters.region || '';
    $('#f-category').value = (filters.category || []).join(',');
    $('#f-rule').value = (filters.ruleId || []).join(',');
    $('#f-subject').value = filters.subject || '';
    $('#f-min-severity').value = filters.minSeverity || '';
    $('#f-from').value = fh.toLocalInput(filters.from);
    $('#f-to').value = fh.toLocalInput(filters.to);
    $('#f-q').value = filters.q || '';
    $('#f-size').value = String(state.size);
    for (const name of ['feed', 'level', 'status']) {
      const values = new Set(filters[name] || []);
      for (const input of $$(`#filter-form input[name="${name}"]`)) input.checked = values.has(input.value);
    }
  }

  /** Only the filters this tab understands, without empty ones. */
  function activeFilters(tab = state.tab, filters = state.filters) {
    const out = {};
    for (const key of FILTERS_BY_TAB[tab]) {
      const v = filters[key];
      if (v != null && v !== '' && !(Array.isArray(v) && !v.length)) out[key] = v;
    }
    return out;
  }

  function readUrl() {
    const p = new URLSearchParams(location.search);
    const list = (key) => commaList(p.get(key));
    state.tab = TABS.includes(p.get('tab')) ? p.get('tab') : 'events';
    state.page = Math.max(0, parseInt(p.get('page'), 10) || 0);
    const size = parseInt(p.get('size'), 10);
    state.size = [20, 50, 100, 200].includes(size) ? size : 50;
    state.entity = p.get('entity') || '';
    state.filters = {
      region: p.get('region') || '',
      feed: list('feed'),
      category: list('category'),
      level: list('level'),
      status: list('status'),
      ruleId: list('ruleId'),
      subject: p.get('subject') || '',
      minSeverity: p.get('minSeverity') || '',
      from: p.get('from') || '',
      to: p.get('to') || '',
      q: p.get('q') || '',
    };
  }

  function writeUrl(push) {
    const params = Object.assign({ tab: state.tab }, activeFilters());
    if (state.page) params.page = state.page;
    if (state.size !== 50) params.size = state.size;
    if (state.entity) params.entity = state.entity;
    const url = location.pathname + fh.query(params);
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  function showTab(tab) {
    for (const button of $$('.tab')) button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    for (const field of $$('#filter-form [data-tabs]')) field.hidden = !field.dataset.tabs.split(' ').includes(tab);
    $('#results-title').textContent = { events: '事件', signals: '信号', alerts: '告警' }[tab] + '查询结果';
    $('#agg-day-title').textContent = tab === 'events' ? '按日分布（按类别）' : '按日分布（按规则）';
  }

  // -------------------------------------------------------------------------------------------
  // Search
  // -------------------------------------------------------------------------------------------

  async function search() {
    const seq = ++state.searchSeq;
    const tab = state.tab;
    const filters = activeFilters();
    if (filters.from && filters.to && filters.from > filters.to) {
      fh.showError(new Error('开始时间晚于结束时间'), 'search');
      return;
    }
    $('#search-button').disabled = true;
    $('#result-total').textContent = '…';
    const listing = fh
      .api(`/api/${tab}` + fh.query(Object.assign({}, filters, { page: state.page, size: state.size })))
      .then((data) => {
        if (seq !== state.searchSeq) return;
        fh.clearError('search');
        renderResults(tab, data);
      })
      .catch((err) => {
        if (seq !== state.searchSeq) return;
        fh.showError(err, 'search');
        $('#result-total').textContent = '—';
        fh.setChildren($('#results tbody'), el('tr', null, el('td', { class: 'empty', colspan: 12 }, '查询失败')));
      });
    const aggregations = fh
      .api('/api/stats/aggregations' + fh.query(Object.assign({ index: tab }, filters)))
      .then((data) => {
        if (seq !== state.searchSeq) return;
        fh.clearError('aggregations');
        renderAggregations(tab, data);
      })
      .catch((err) => {
        if (seq === state.searchSeq) fh.showError(err, 'aggregations');
      });
    await Promise.allSettled([listing, aggregations]);
    if (seq === state.searchSeq) {
      $('#search-button').disabled = false;
      document.body.dataset.ready = 'true';
    }
  }

  // --- result tables --------------------------------------------------------------------------

  const td = (content, cls) => el('td', { class: cls || null }, content == null || content === '' ? '—' : content);
  const sub = (text) => (text ? el('span', { class: 'cell-sub' }, text) : null);

  function entityText(key) {
    const [prefix, ...rest] = String(key).split(':');
    const value = rest.join(':');
    if (prefix === 'REG') return `区域 ${fh.regionName(value)}`;
    return `${ENTITY_TYPES[prefix] || prefix} ${value}`;
  }

  const link = (key, text) => fh.entityLink(key, text, openTimeline);

  const COLUMNS = {
    events: [
      ['发生时间', (e) => td(fh.fmtTime(e.occurredAt), 'nowrap')],
      ['来源', (e) => td(fh.feedLabel(e.feed), 'nowrap')],
      ['类别', (e) => td([fh.categoryLabel(e.category), sub(e.subcategory && fh.categoryLabel(e.subcategory))])],
      ['严重度', (e) => td(e.severity != null ? String(e.severity) : '', 'num')],
      ['人数', (e) => td(e.peopleCount != null ? fh.fmtNumber(e.peopleCount) : '', 'num')],
      ['内容', (e) => td([el('b', null, e.title || '—'), sub(e.summary)])],
      ['区域', (e) => td(fh.regionPath(e.region))],
      ['地址', (e) => td(e.address)],
      ['关联主体', (e) => td((e.entities || []).map((k) => link(k, entityText(k))))],
      ['标记', (e) => td((e.flags || []).map((f) => el('span', { class: 'flag', title: f }, FLAGS[f] || f)))],
    ],
    signals: [
      ['触发时间', (s) => td(fh.fmtTime(s.triggeredAt || s.raisedAt), 'nowrap')],
      ['级别', (s) => td(s.level ? fh.levelBadge(s.level) : '')],
      ['规则', (s) => td([fh.ruleLabel(s.ruleId), sub(s.ruleId)])],
      ['类型', (s) => td(SIGNAL_KINDS[s.kind] || s.kind, 'nowrap')],
      ['标题', (s) => td(s.title)],
      ['主体', (s) => td(s.subject && s.subject.key ? link(s.subject.key, s.subject.display || s.subject.key) : s.subject && s.subject.display)],
      ['区域', (s) => td(fh.regionPath(s.region))],
      ['观测 / 期望', (s) => td(`${fh.fmtNumber(s.observed)} / ${fh.fmtNumber(s.expected)}`, 'num')],
      ['分值', (s) => td(s.score != null ? [fh.fmtNumber(s.score), sub(s.delta != null ? `${s.delta >= 0 ? '+' : ''}${fh.fmtNumber(s.delta)}` : '')] : '', 'num')],
    ],
    alerts: [
      ['发起时间', (a) => td(fh.fmtTime(a.raisedAt), 'nowrap')],
      ['级别', (a) => td(fh.levelBadge(a.level))],
      ['状态', (a) => td(fh.statusBadge(a.status))],
      ['标题', (a) => td(el('a', { href: '/alert.html?id=' + encodeURIComponent(a.alertId), class: 'alert-link', dataset: { alertId: a.alertId } }, a.title || a.alertId))],
      ['规则', (a) => td([a.ruleTitle || fh.ruleLabel(a.ruleId), sub(a.ruleId)])],
      ['主体', (a) => td(a.subject && a.subject.key ? link(a.subject.key, a.subject.display || a.subject.key) : a.subject && a.subject.display)],
      ['区域', (a) => td(fh.regionPath(a.region))],
      ['证据', (a) => td(fh.fmtNumber(a.evidenceCount != null ? a.evidenceCount : (a.evidence || []).length), 'num')],
      ['更新时间', (a) => td(fh.fmtTime(a.updatedAt), 'nowrap')],
    ],
  };

  const ID_OF = { events: (e) => e.eventId, signals: (s) => s.signalId, alerts: (a) => a.alertId };

  function renderResults(tab, data) {
    state.lastResult = { tab, data };
    const columns = COLUMNS[tab];
    const items = (data && data.items) || [];
    const total = Number((data && data.total) || 0);
    fh.setChildren($('#results thead'), el('tr', null, columns.map(([title]) => el('th', null, title))));
    fh.setChildren(
      $('#results tbody'),
      items.length
        ? items.map((item) => el('tr', { class: 'result-row', dataset: { id: ID_OF[tab](item) || '' } }, columns.map(([, cell]) => cell(item))))
        : el('tr', null, el('td', { class: 'empty', colspan: columns.length }, '没有符合条件的记录'))
    );
    $('#results').dataset.tab = tab;
    $('#result-total').textContent = fh.fmtNumber(total);
    const pages = Math.max(1, Math.ceil(total / state.size));
    $('#page-info').textContent = `第 ${state.page + 1} / ${fh.fmtNumber(pages)} 页`;
    $('#page-prev').disabled = state.page <= 0;
    $('#page-next').disabled = state.page + 1 >= pages;
  }

  // --- aggregations ---------------------------------------------------------------------------

  function renderAggregations(tab, data) {
    const d = data || {};
    $('#agg-total').textContent = d.total != null ? `合计 ${fh.fmtNumber(d.total)}` : '';
    const labelOf = tab === 'events' ? fh.categoryLabel : fh.ruleLabel;
    fh.drawStackedBars(state.charts.byDay, { buckets: d.byDay || [], timeKey: 'day', labelOf, timeFormat: (day) => String(day).slice(5) });

    const regions = (d.topRegions || []).slice(0, 15).reverse(); // largest on top of a horizontal bar chart
    fh.learnRegionNames(regions);
    const chart = state.charts.topRegions;
    if (!chart) return;
    const t = fh.chartTheme(false);
    chart.setOption(
      {
        textStyle: { fontFamily: fh.FONT },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (params) => {
            const p = params[0];
            const r = regions[p.dataIndex];
            return `${fh.escapeHtml(r.name || r.code)}　${fh.escapeHtml(r.code)}<br>数量：<b>${fh.escapeHtml(fh.fmtNumber(r.count))}</b>`;
          },
        },
        grid: { left: 8, right: 40, top: 8, bottom: 4, containLabel: true },
        xAxis: { type: 'value', minInterval: 1, axisLabel: { color: t.muted }, splitLine: { lineStyle: { color: t.split } } },
        yAxis: { type: 'category', data: regions.map((r) => r.name || r.code), axisLabel: { color: t.text, width: 120, overflow: 'truncate' } },
        series: [
          {
            type: 'bar',
            data: regions.map((r) => r.count),
            barMaxWidth: 18,
            itemStyle: { color: '#1f5f99', borderRadius: [0, 3, 3, 0] },
            label: { show: true, position: 'right', color: t.muted },
          },
        ],
      },
      { notMerge: true }
    );
    // Clicking a region narrows the search to it: the natural next step of an analysis.
    chart.off('click');
    chart.on('click', (p) => {
      const r = regions[p.dataIndex];
      if (!r) return;
      state.filters.region = r.code;
      state.page = 0;
      writeForm(state.filters);
      writeUrl(true);
      search();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Entity timeline
  // -------------------------------------------------------------------------------------------

  function openTimeline(key) {
    state.entity = key;
    $('#entity-key').value = key;
    writeUrl(true);
    loadTimeline(key);
    $('#timeline-view').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  let timelineSeq = 0;
  async function loadTimeline(key) {
    const seq = ++timelineSeq;
    const list = $('#entity-timeline');
    if (!key) return;
    if (!/^(ENT|PER|REG):.+/.test(key)) {
      fh.showError(new Error('主体标识格式应为 ENT:…、PER:… 或 REG:…'), 'timeline');
      return;
    }
    fh.setChildren(list, el('li', { class: 'muted' }, '加载中…'));
    try {
      const data = await fh.api(`/api/entities/${encodeURIComponent(key)}/timeline` + fh.query({ size: 500 }));
      if (seq !== timelineSeq) return;
      fh.clearError('timeline');
      renderTimeline(data || {});
    } catch (err) {
      if (seq !== timelineSeq) return;
      fh.showError(err, 'timeline');
      fh.setChildren(list, el('li', { class: 'muted' }, '时间线加载失败'));
    }
  }

  function renderTimeline(data) {
    const items = (data.items || []).slice().sort((a, b) => (fh.toDate(a.at) || 0) - (fh.toDate(b.at) || 0));
    const [prefix] = String(data.key || '').split(':');
    $('#entity-display').textContent = [ENTITY_TYPES[data.type] || ENTITY_TYPES[prefix] || data.type || '', data.display || '', data.key ? `（${data.key}）` : '', `共 ${items.length} 条`]
      .filter(Boolean)
      .join(' ');
    const list = $('#entity-timeline');
    list.dataset.entityKey = data.key || '';
    fh.setChildren(list, items.length ? items.map(timelineItem) : el('li', { class: 'muted' }, '该主体在所选时间内没有记录'));
    renderScoreChart(items);
  }

  function timelineItem(item) {
    const title =
      item.kind === 'ALERT' && item.id
        ? el('a', { href: '/alert.html?id=' + encodeURIComponent(item.id) }, item.title || item.id)
        : el('span', null, item.title || item.id || '—');
    const score =
      item.score != null
        ? `分值 ${fh.fmtNumber(item.score)}${item.delta != null ? `（${item.delta >= 0 ? '+' : ''}${fh.fmtNumber(item.delta)}）` : ''}`
        : null;
    return el(
      'li',
      { class: 'timeline-item', dataset: { kind: item.kind || '', id: item.id || '' }, style: { '--dot': item.level ? fh.levelColor(item.level) : '#90a4ae' } },
      el(
        'div',
        { class: 'tl-head' },
        el('span', { class: 'kind-chip', dataset: { kind: item.kind || '' } }, KINDS[item.kind] || item.kind || '—'),
        el('span', { class: 'tl-time' }, fh.fmtTime(item.at)),
        item.level ? fh.levelBadge(item.level) : null,
        item.feed ? el('span', { class: 'muted' }, fh.feedLabel(item.feed)) : null,
        item.category ? el('span', { class: 'muted' }, fh.categoryLabel(item.category)) : null,
        score ? el('span', { class: 'muted' }, score) : null
      ),
      el('div', null, title)
    );
  }

  function renderScoreChart(items) {
    const points = items.filter((i) => i.kind === 'SIGNAL' && i.score != null && fh.toDate(i.at));
    const node = $('#entity-score-chart');
    node.hidden = !points.length;
    if (!points.length) return;
    const chart = state.charts.score || (state.charts.score = fh.makeChart(node));
    if (!chart) return;
    const t = fh.chartTheme(false);
    chart.setOption(
      {
        textStyle: { fontFamily: fh.FONT },
        tooltip: {
          trigger: 'axis',
          formatter: (params) => {
            const p = params[0];
            return `${fh.escapeHtml(fh.fmtTime(p.value[0]))}<br>风险分：<b>${fh.escapeHtml(fh.fmtNumber(p.value[1]))}</b>`;
          },
        },
        grid: { left: 8, right: 16, top: 24, bottom: 4, containLabel: true },
        xAxis: { type: 'time', axisLabel: { color: t.muted, hideOverlap: true, formatter: '{MM}-{dd}' }, axisLine: { lineStyle: { color: t.axis } } },
        yAxis: { type: 'value', name: '风险分', nameTextStyle: { color: t.muted }, axisLabel: { color: t.muted }, splitLine: { lineStyle: { color: t.split } } },
        series: [
          {
            type: 'line',
            step: false,
            symbolSize: 6,
            lineStyle: { color: '#c62828', width: 2 },
            itemStyle: { color: '#c62828' },
            areaStyle: { color: 'rgba(198,40,40,0.08)' },
            data: points.map((p) => [fh.toDate(p.at).getTime(), Number(p.score)]),
          },
        ],
      },
      { notMerge: true }
    );
  }

  // -------------------------------------------------------------------------------------------
  // Wiring
  // -------------------------------------------------------------------------------------------

  function applyUrl() {
    readUrl();
    writeForm(state.filters);
    showTab(state.tab);
    $('#entity-key').value = state.entity;
    search();
    if (state.entity) loadTimeline(state.entity);
  }

  function setup() {
    buildChecks();
    state.charts.byDay = fh.makeChart($('#agg-by-day'));
    state.charts.topRegions = fh.makeChart($('#agg-top-regions'));

    for (const button of $$('.tab')) {
      button.addEventListener('click', () => {
        if (state.tab === button.dataset.tab) return;
        state.filters = readForm();
        state.tab = button.dataset.tab;
        state.page = 0;
        showTab(state.tab);
        writeUrl(true);
        search();
      });
    }

    $('#filter-form').addEventListener('submit', (e) => {
      e.preventDefault();
      state.filters = readForm();
      state.size = parseInt($('#f-size').value, 10) || 50;
      state.page = 0;
      writeUrl(true);
      search();
    });

    $('#reset-button').addEventListener('click', () => {
      state.filters = {};
      state.page = 0;
      writeForm(state.filters);
      writeUrl(true);
      search();
    });

    $('#page-prev').addEventListener('click', () => {
      if (state.page <= 0) return;
      state.page -= 1;
      writeUrl(true);
      search();
    });
    $('#page-next').addEventListener('click', () => {
      state.page += 1;
      writeUrl(true);
      search();
    });

    $('#export-csv').addEventListener('click', () => {
      // The form as it is now, even if not searched yet: what the analyst sees in the fields is what is exported.
      const filters = activeFilters(state.tab, readForm());
      location.assign(`/api/${state.tab}.csv` + fh.query(filters));
    });

    $('#entity-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const key = $('#entity-key').value.trim();
      if (!key) return;
      openTimeline(key);
    });

    window.addEventListener('popstate', applyUrl);
  }

  async function main() {
    try {
      await fh.initPage();
    } catch (err) {
      fh.showError(err, 'session');
      return;
    }
    setup();
    applyUrl();
    // Region names make the region column readable; redraw the current page once they are known.
    fh.loadRegionNames().then(() => {
      if (state.lastResult) renderResults(state.lastResult.tab, state.lastResult.data);
    });
  }

  main();
})();
