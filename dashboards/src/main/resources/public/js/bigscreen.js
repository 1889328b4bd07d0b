/*
 * 大屏 — the leadership wall screen: the map of the whole scope, counts by level, 24-hour trends and
 * the latest alerts. Nobody operates it, so it refreshes itself and follows the live stream; it never beeps.
 */
'use strict';

(() => {
  const fh = window.fenghuo;
  const { el, $ } = fh;

  const REFRESH_MS = 30000;
  const TICKER_SIZE = 10;
  const OPEN_POINTS = 200;
  const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

  const state = { map: null, open: new Map(), latest: [], flash: new Set(), charts: {} };
  fh.bigscreen = state;

  // -------------------------------------------------------------------------------------------
  // Header
  // -------------------------------------------------------------------------------------------

  function tickClock() {
    const now = new Date();
    $('#bs-clock').textContent = `${fh.fmtTime(now)} 星期${WEEKDAYS[now.getDay()]}`;
  }

  function setupFullscreen() {
    const button = $('#fullscreen-button');
    const sync = () => {
      button.textContent = document.fullscreenElement ? '退出全屏' : '全屏';
    };
    button.addEventListener('click', () => {
      const request = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
      Promise.resolve(request).catch((err) => fh.showError(new Error(`无法切换全屏：${err.message}`), 'fullscreen'));
    });
    document.addEventListener('fullscreenchange', sync);
    sync();
  }

  function setLiveState(s) {
    const node = $('#live-status');
    node.dataset.state = s;
    node.textContent = s === 'open' ? '实时' : s === 'reconnecting' ? '重连中…' : '连接中…';
    if (s === 'open') document.body.dataset.live = 'true';
  }

  // -------------------------------------------------------------------------------------------
  // Counts
  // -------------------------------------------------------------------------------------------

  async function loadSummary() {
    try {
      const s = (await fh.api('/api/stats/summary')) || {};
      fh.clearError('summary');
      const byLevel = s.openByLevel || {};
      const byStatus = s.byStatus || {};
      fh.setChildren(
        $('#bs-level-counts'),
        fh.LEVEL_ORDER.map((level) =>
          el(
            'div',
            { id: `bs-count-${level}`, class: 'bs-level', dataset: { level, count: String(byLevel[level] || 0) }, style: { '--tile-color': fh.levelColor(level) } },
            el('div', { class: 'count-label' }, fh.levelLabel(level)),
            el('div', { class: 'count-value' }, fh.fmtNumber(byLevel[level] || 0))
          )
        )
      );
      const line = (id, text, value) => el('div', { id, class: 'bs-stat-line' }, el('span', null, text), el('b', null, fh.fmtNumber(value || 0)));
      fh.setChildren(
        $('#bs-status-counts'),
        ['NEW', 'ACKNOWLEDGED', 'DISPATCHED'].map((st) => line(`bs-status-${st}`, fh.statusLabel(st), byStatus[st])),
        line('bs-events24h', '24小时事件', s.events24h)
      );
    } catch (err) {
      fh.showError(err, 'summary');
    }
  }

  const scheduleSummary = fh.debounce(loadSummary, 1500);

  // -------------------------------------------------------------------------------------------
  // Latest alerts
  // -------------------------------------------------------------------------------------------

  function renderTicker() {
    const list = $('#bs-ticker');
    if (!state.latest.length) {
      fh.setChildren(list, el('li', { class: 'muted' }, '暂无告警'));
      return;
    }
    fh.setChildren(
      list,
      state.latest.map((a) =>
        el(
          'li',
          { class: 'ticker-item' + (state.flash.has(a.alertId) ? ' new-alert' : ''), dataset: { alertId: a.alertId, level: a.level || '' } },
          fh.levelBadge(a.level),
          el('span', { class: 'tk-title', title: a.title || '' }, a.title || a.alertId),
          el('span', { class: 'tk-meta' }, `${fh.fmtTime(a.raisedAt)} · ${fh.regionPath(a.region)} · ${fh.statusLabel(a.status)}`)
        )
      )
    );
  }

  async function loadLatest() {
    try {
      const data = await fh.api('/api/alerts' + fh.query({ sort: 'newest', size: TICKER_SIZE }));
      fh.clearError('latest');
      state.latest = (data && data.items) || [];
      renderTicker();
    } catch (err) {
      fh.showError(err, 'latest');
    }
  }

  async function loadOpen() {
    try {
      const data = await fh.api('/api/alerts' + fh.query({ open: 'true', sort: 'severity', size: OPEN_POINTS }));
      fh.clearError('open');
      state.open = new Map(((data && data.items) || []).map((a) => [a.alertId, a]));
      if (state.map) state.map.setAlerts([...state.open.values()]);
    } catch (err) {
      fh.showError(err, 'open');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Live
  // -------------------------------------------------------------------------------------------

  function onLiveAlert(alert) {
    const id = alert.alertId;
    const known = state.latest.some((a) => a.alertId === id) || state.open.has(id);
    if (fh.isOpen(alert.status)) state.open.set(id, alert);
    else state.open.delete(id);

    // Newest raised first, like the list the server gives; a change to a listed alert updates it in place.
    const rest = state.latest.filter((a) => a.alertId !== id);
    state.latest = [alert, ...rest]
      .sort((a, b) => (fh.toDate(b.raisedAt) || 0) - (fh.toDate(a.raisedAt) || 0))
      .slice(0, TICKER_SIZE);
    if (!known && fh.levelRank(alert.level) >= fh.levelRank('ORANGE')) {
      state.flash.add(id);
      setTimeout(() => {
        state.flash.delete(id);
        renderTicker();
      }, 60000);
    }
    renderTicker();
    scheduleSummary();
    refreshMapSoon();
  }

  const refreshMapSoon = fh.throttle(() => {
    if (!state.map) return;
    state.map.setAlerts([...state.open.values()]);
    state.map.refresh();
  }, 5000);

  // -------------------------------------------------------------------------------------------
  // Trends
  // -------------------------------------------------------------------------------------------

  async function loadTrends() {
    try {
      const [byFeed, byCategory] = await Promise.all([
        fh.api('/api/stats/trend?range=24h&by=feed'),
        fh.api('/api/stats/trend?range=24h&by=category'),
      ]);
      fh.clearError('trend');
      fh.drawStackedBars(state.charts.feed, {
        buckets: byFeed.buckets,
        series: byFeed.series,
        labelOf: fh.feedLabel,
        colorOf: (f) => fh.FEED_COLORS[f],
        dark: true,
        timeFormat: fh.bucketFormatter(byFeed.buckets),
      });
      fh.drawStackedBars(state.charts.category, {
        buckets: byCategory.buckets,
        series: byCategory.series,
        labelOf: fh.categoryLabel,
        dark: true,
        timeFormat: fh.bucketFormatter(byCategory.buckets),
      });
    } catch (err) {
      fh.showError(err, 'trend');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Start
  // -------------------------------------------------------------------------------------------

  async function main() {
    tickClock();
    setInterval(tickClock, 1000);
    setupFullscreen();

    let session;
    try {
      session = await fh.initPage({ nav: false });
    } catch (err) {
      fh.showError(err, 'session');
      return;
    }
    const user = session.user || {};
    const scopeName = user.scopeName || (user.scope ? user.scope : '全市');
    $('#bs-scope').textContent = scopeName;
    $('#bs-subtitle').textContent = `${scopeName} · 社会治理风险监测预警`;

    state.charts.feed = fh.makeChart($('#bs-trend'));
    state.charts.category = fh.makeChart($('#bs-trend-category'));
    state.map = fh.drawRegionMap($('#bs-map'), {
      root: { code: user.scope || '', name: scopeName, level: user.scopeLevel || 'CITY' },
      breadcrumb: $('#bs-map-breadcrumb'),
      dark: true,
      errorKey: 'map',
      onNavigate: () => state.map && state.map.setAlerts([...state.open.values()]),
    });

    const first = [state.map.ready, loadOpen(), loadLatest()];
    loadSummary();
    loadTrends();
    fh.openAlertStream({
      onAlert: onLiveAlert,
      onState: setLiveState,
      onReopen: () => {
        loadLatest();
        loadOpen();
        loadSummary();
      },
    });

    Promise.allSettled(first).then(() => {
      state.map.setAlerts([...state.open.values()]);
      if (fh.firstRenderMs == null) fh.firstRenderMs = performance.now();
      document.body.dataset.ready = 'true';
      fh.loadRegionNames().then(renderTicker);
    });

    setInterval(() => {
      loadSummary();
      loadLatest();
      loadOpen().then(() => state.map.refresh());
      loadTrends();
    }, REFRESH_MS);
  }

  main();
})();
