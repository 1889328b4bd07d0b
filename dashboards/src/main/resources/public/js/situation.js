/*
 * 态势 — the duty officer's live page: region map, open-alert queue, counts, trends, and a push
 * (row flash, banner, beep) the moment a RED or ORANGE alert fires.
 */
'use strict';

(() => {
  const fh = window.fenghuo;
  const { el, $ } = fh;

  fh.alertSeenAt = fh.alertSeenAt || {};

  const REFRESH_MS = 30000;
  const FLASH_MS = 60000;
  const QUEUE_SIZE = 100;

  const state = {
    session: null,
    alerts: new Map(), // alertId → open alert
    streamReceivedAt: new Map(), // alertId → when the stream last delivered it (a list fetched earlier is staler)
    rows: new Map(), // alertId → {alert, el}: an unchanged alert keeps its element (and its animation)
    notifiedRank: new Map(), // alertId → highest level rank already announced
    flashUntil: new Map(),
    map: null,
    range: '24h',
    trendCharts: null,
  };
  fh.situation = state;

  // -------------------------------------------------------------------------------------------
  // Queue
  // -------------------------------------------------------------------------------------------

  function subjectText(subject) {
    if (!subject) return '—';
    const type = subject.type ? fh.subjectTypeLabel(subject.type) + '：' : '';
    return type + (subject.display || subject.key || '—');
  }

  function buildRow(alert) {
    const id = alert.alertId;
    const flashing = (state.flashUntil.get(id) || 0) > Date.now();
    const due = alert.escalationDueAt && fh.isOpen(alert.status);
    const waiting = alert.status === 'NEW';
    return el(
      'a',
      {
        class: 'alert-row' + (flashing ? ' new-alert' : ''),
        href: '/alert.html?id=' + encodeURIComponent(id),
        dataset: { alertId: id, level: alert.level || '', status: alert.status || '' },
      },
      fh.levelBadge(alert.level),
      el('div', { class: 'row-title', title: alert.title || '' }, alert.title || alert.ruleTitle || id),
      el('div', { class: 'row-side' }, fh.statusBadge(alert.status)),
      el(
        'div',
        { class: 'row-meta' },
        el('span', { class: 'row-subject' }, subjectText(alert.subject)),
        el('span', { class: 'row-region' }, fh.regionPath(alert.region)),
        el('span', { class: 'row-raised' }, '发起 ', fh.fmtTime(alert.raisedAt)),
        due
          ? el(
              'span',
              { class: 'row-due' + (waiting && fh.isOverdue(alert.escalationDueAt) ? ' overdue' : '') },
              '升级时限 ',
              fh.fmtTime(alert.escalationDueAt),
              waiting ? `（${fh.fmtCountdown(alert.escalationDueAt)}）` : ''
            )
          : null
      )
    );
  }

  function rowFor(alert) {
    const cached = state.rows.get(alert.alertId);
    if (cached && cached.alert === alert) return cached.el;
    const row = buildRow(alert);
    state.rows.set(alert.alertId, { alert, el: row });
    return row;
  }

  function sortedAlerts() {
    return [...state.alerts.values()].sort(fh.compareAlerts);
  }

  /** Moves only rows that are out of place, so a row that is flashing is not re-inserted on every update. */
  function renderQueue() {
    const queue = $('#alert-queue');
    const list = sortedAlerts();
    for (const id of state.rows.keys()) if (!state.alerts.has(id)) state.rows.delete(id);

    if (!list.length) {
      queue.replaceChildren(el('div', { class: 'empty' }, '当前没有未结告警'));
    } else {
      let cursor = queue.firstChild;
      for (const alert of list) {
        const row = rowFor(alert);
        if (row === cursor) {
          cursor = cursor.nextSibling;
        } else {
          queue.insertBefore(row, cursor);
        }
      }
      while (cursor) {
        const next = cursor.nextSibling;
        cursor.remove();
        cursor = next;
      }
    }
    $('#queue-count').textContent = `未结 ${list.length} 条`;
    updateTitle(list);
  }

  /** The tab title shows the unacknowledged RED/ORANGE count, visible even when the tab is in the background. */
  function updateTitle(list) {
    const urgent = list.filter((a) => a.status === 'NEW' && fh.levelRank(a.level) >= 3).length;
    document.title = (urgent ? `(${urgent}) ` : '') + '态势 · 烽火';
  }

  /**
   * rebuild: build every row anew (the escalation countdowns have moved on).
   * initial: the page's first list, which is the starting point rather than news.
   */
  async function loadQueue({ rebuild = false, initial = false } = {}) {
    const requestedAt = Date.now();
    try {
      const data = await fh.api('/api/alerts' + fh.query({ open: 'true', sort: 'severity', size: QUEUE_SIZE }));
      fh.clearError('queue');
      // The list is authoritative except for what the stream delivered while the request was under way.
      const streamedSince = (id) => (state.streamReceivedAt.get(id) || 0) >= requestedAt;
      const fresh = new Map();
      const discovered = [];
      for (const alert of (data && data.items) || []) {
        const id = alert.alertId;
        if (streamedSince(id) || !fh.isOpen(alert.status)) continue;
        fresh.set(id, alert);
        if (!initial && !state.alerts.has(id)) discovered.push(alert);
      }
      for (const [id, alert] of state.alerts) {
        if (streamedSince(id)) fresh.set(id, alert);
      }

      // An alert first seen by a poll (raised while the stream was reconnecting, say) is as much news as a streamed one.
      const urgent = discovered.filter((a) => shouldAnnounce(undefined, a)).sort(fh.compareAlerts);
      urgent.forEach(markAnnounced);
      for (const alert of fresh.values()) remember(alert);

      state.alerts = fresh;
      if (rebuild) state.rows.clear();
      renderQueue();
      discovered.forEach((a) => recordSeen(a.alertId));
      if (urgent.length) {
        showBanner(urgent[0]);
        beep(urgent[0].level);
      }
    } catch (err) {
      fh.showError(err, 'queue');
      if (!state.alerts.size) $('#alert-queue').replaceChildren(el('div', { class: 'empty' }, '告警队列加载失败'));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Live stream
  // -------------------------------------------------------------------------------------------

  function onLiveAlert(alert) {
    const id = alert.alertId;
    const previous = state.alerts.get(id);
    state.streamReceivedAt.set(id, Date.now());

    let announce = false;
    if (fh.isOpen(alert.status)) {
      state.alerts.set(id, alert);
      announce = shouldAnnounce(previous, alert);
      if (announce) markAnnounced(alert);
      else remember(alert);
    } else {
      state.alerts.delete(id);
    }

    renderQueue();
    recordSeen(id);
    if (announce) {
      showBanner(alert);
      beep(alert.level);
    }
    scheduleSummary();
    refreshMapSoon();
  }

  /** RED/ORANGE that is new to this page, or an open alert that has just been raised to RED/ORANGE. */
  function shouldAnnounce(previous, alert) {
    const rank = fh.levelRank(alert.level);
    if (rank < fh.levelRank('ORANGE')) return false;
    if (!previous && !state.notifiedRank.has(alert.alertId)) return alert.status === 'NEW';
    return rank > (state.notifiedRank.get(alert.alertId) || 0);
  }

  function markAnnounced(alert) {
    const id = alert.alertId;
    state.notifiedRank.set(id, fh.levelRank(alert.level));
    state.flashUntil.set(id, Date.now() + FLASH_MS);
    setTimeout(() => unflash(id), FLASH_MS + 50);
  }

  /** Known from now on: only a later rise in level is news. */
  function remember(alert) {
    if (!state.notifiedRank.has(alert.alertId)) state.notifiedRank.set(alert.alertId, fh.levelRank(alert.level));
  }

  /** Test hook: when an alert first reached the screen after the page had started. */
  function recordSeen(id) {
    const row = state.rows.get(id);
    if (row && row.el.isConnected && !(id in fh.alertSeenAt)) fh.alertSeenAt[id] = Date.now();
  }

  function unflash(id) {
    if ((state.flashUntil.get(id) || 0) > Date.now()) return;
    state.flashUntil.delete(id);
    const row = state.rows.get(id);
    if (row) row.el.classList.remove('new-alert');
  }

  function showBanner(alert) {
    const banner = $('#new-alert-banner');
    const info = fh.LEVELS[alert.level];
    banner.dataset.level = alert.level;
    banner.dataset.alertId = alert.alertId;
    banner.replaceChildren(
      el('span', { class: 'banner-kicker' }, `${info ? info.short : ''}告警`),
      el('span', { class: 'banner-title', title: alert.title || '' }, alert.title || alert.alertId),
      el('a', { href: '/alert.html?id=' + encodeURIComponent(alert.alertId) }, '立即处置'),
      el('button', { type: 'button', onclick: () => (banner.hidden = true) }, '关闭')
    );
    banner.hidden = false;
  }

  function setLiveState(s) {
    const node = $('#live-status');
    node.dataset.state = s;
    node.textContent = s === 'open' ? '已连接' : s === 'reconnecting' ? '重连中…' : '连接中…';
    if (s === 'open') document.body.dataset.live = 'true';
  }

  function startStream() {
    fh.openAlertStream({
      onAlert: onLiveAlert,
      onState: setLiveState,
      // Whatever happened while the connection was down is only in the list: catch up.
      onReopen: () => {
        loadQueue();
        loadSummary();
        refreshMapSoon();
      },
    });
  }

  // -------------------------------------------------------------------------------------------
  // Sound. Browsers keep audio suspended until the user interacts with the page; the toggle says so
  // instead of failing silently, and any click on the page unlocks it.
  // -------------------------------------------------------------------------------------------

  const sound = { ctx: null, enabled: true };
  fh.beepCount = 0;

  function audioContext() {
    if (sound.ctx) return sound.ctx;
    const Ctor = window.AudioContext || window.webkitAudioContext;
    if (!Ctor) return null;
    try {
      sound.ctx = new Ctor();
      sound.ctx.addEventListener('statechange', updateSoundToggle);
    } catch (err) {
      console.warn('[fenghuo] audio unavailable', err);
      sound.ctx = null;
    }
    return sound.ctx;
  }

  function updateSoundToggle() {
    const button = $('#sound-toggle');
    const ctx = sound.ctx;
    let s;
    if (!sound.enabled) s = 'off';
    else if (!ctx) s = 'unsupported';
    else s = ctx.state === 'running' ? 'on' : 'blocked';
    button.dataset.state = s;
    button.textContent = { off: '声音提示：关', on: '声音提示：开', blocked: '点击启用声音提示', unsupported: '浏览器不支持声音提示' }[s];
    button.disabled = s === 'unsupported';
  }

  function unlockAudio() {
    const ctx = audioContext();
    if (ctx && ctx.state !== 'running') ctx.resume().then(updateSoundToggle, updateSoundToggle);
  }

  function setupSound() {
    audioContext();
    updateSoundToggle();
    $('#sound-toggle').addEventListener('click', () => {
      const ctx = audioContext();
      if (sound.enabled && ctx && ctx.state !== 'running') {
        unlockAudio();
        return;
      }
      sound.enabled = !sound.enabled;
      if (sound.enabled) unlockAudio();
      updateSoundToggle();
    });
    const unlockOnce = () => {
      if (sound.enabled) unlockAudio();
    };
    document.addEventListener('pointerdown', unlockOnce, { once: true });
    document.addEventListener('keydown', unlockOnce, { once: true });
  }

  /** RED: three tones high-low-high; ORANGE: two equal tones. Short, synthesised, no audio files. */
  function beep(level) {
    fh.beepCount += 1;
    fh.lastBeep = { level, at: Date.now() };
    if (!sound.enabled) return;
    try {
      const ctx = audioContext();
      if (!ctx) return;
      if (ctx.state !== 'running') {
        ctx.resume().catch(() => {});
        updateSoundToggle();
      }
      const tones = level === 'RED' ? [[988, 0], [740, 0.2], [988, 0.4]] : [[784, 0], [784, 0.25]];
      const t0 = ctx.currentTime + 0.02;
      for (const [freq, offset] of tones) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t0 + offset);
        gain.gain.exponentialRampToValueAtTime(0.3, t0 + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + offset + 0.17);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t0 + offset);
        osc.stop(t0 + offset + 0.18);
      }
    } catch (err) {
      console.warn('[fenghuo] beep failed', err);
      updateSoundToggle();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Counts
  // -------------------------------------------------------------------------------------------

  function tile(id, labelText, value, color, extra) {
    const n = Number(value) || 0;
    return el(
      'div',
      { id, class: 'count-tile' + (n === 0 ? ' is-zero' : ''), style: color ? { '--tile-color': color } : null, ...extra },
      el('div', { class: 'count-label' }, labelText),
      el('div', { class: 'count-value' }, fh.fmtNumber(n))
    );
  }

  async function loadSummary() {
    try {
      const s = await fh.api('/api/stats/summary');
      fh.clearError('summary');
      const byLevel = (s && s.openByLevel) || {};
      const byStatus = (s && s.byStatus) || {};
      $('#level-counts').replaceChildren(
        ...fh.LEVEL_ORDER.map((level) =>
          tile(`count-${level}`, fh.levelLabel(level), byLevel[level], fh.levelColor(level), { dataset: { level, count: String(byLevel[level] || 0) } })
        )
      );
      $('#status-counts').replaceChildren(
        ...fh.STATUS_ORDER.filter((st) => st in byStatus || fh.isOpen(st)).map((st) =>
          tile(`count-status-${st}`, fh.statusLabel(st), byStatus[st], null, { dataset: { status: st, count: String(byStatus[st] || 0) } })
        ),
        tile('count-events24h', '24小时事件', s && s.events24h, null, { dataset: { count: String((s && s.events24h) || 0) } })
      );
    } catch (err) {
      fh.showError(err, 'summary');
    }
  }

  const scheduleSummary = fh.debounce(loadSummary, 1000);

  // -------------------------------------------------------------------------------------------
  // Map
  // -------------------------------------------------------------------------------------------

  function startMap(user) {
    state.map = fh.drawRegionMap($('#situation-map'), {
      root: { code: user.scope || '', name: user.scopeName || (user.scope ? user.scope : '全市'), level: user.scopeLevel || 'CITY' },
      breadcrumb: $('#map-breadcrumb'),
      errorKey: 'map',
      onNavigate: () => state.map && state.map.setAlerts([...state.alerts.values()]),
    });
    return state.map.ready;
  }

  // Live alerts can come in bursts; the map's statistics query is the expensive part, so at most every 5 s.
  const refreshMapSoon = fh.throttle(() => {
    if (!state.map) return;
    state.map.setAlerts([...state.alerts.values()]);
    state.map.refresh();
  }, 5000);

  // -------------------------------------------------------------------------------------------
  // Trends
  // -------------------------------------------------------------------------------------------

  async function loadTrends() {
    if (!state.trendCharts) {
      state.trendCharts = { feed: fh.makeChart($('#trend-feed')), category: fh.makeChart($('#trend-category')) };
    }
    const range = state.range;
    try {
      const [byFeed, byCategory] = await Promise.all([
        fh.api(`/api/stats/trend?range=${range}&by=feed`),
        fh.api(`/api/stats/trend?range=${range}&by=category`),
      ]);
      if (range !== state.range) return;
      fh.clearError('trend');
      fh.drawStackedBars(state.trendCharts.feed, {
        buckets: byFeed.buckets,
        series: byFeed.series,
        labelOf: fh.feedLabel,
        colorOf: (f) => fh.FEED_COLORS[f],
        timeFormat: fh.bucketFormatter(byFeed.buckets),
      });
      fh.drawStackedBars(state.trendCharts.category, {
        buckets: byCategory.buckets,
        series: byCategory.series,
        labelOf: fh.categoryLabel,
        timeFormat: fh.bucketFormatter(byCategory.buckets),
      });
    } catch (err) {
      fh.showError(err, 'trend');
    }
  }

  function setupTrendToggle() {
    for (const button of document.querySelectorAll('#trend-range button')) {
      button.addEventListener('click', () => {
        state.range = button.dataset.range;
        for (const b of document.querySelectorAll('#trend-range button')) b.setAttribute('aria-pressed', String(b === button));
        loadTrends();
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Start
  // -------------------------------------------------------------------------------------------

  async function main() {
    let session;
    try {
      session = await fh.initPage();
    } catch (err) {
      fh.showError(err, 'session');
      return;
    }
    state.session = session;
    const user = session.user || {};

    setupSound();
    setupTrendToggle();

    const queueReady = loadQueue({ initial: true });
    startStream();
    const mapReady = startMap(user).then(() => state.map.setAlerts([...state.alerts.values()]));
    loadSummary();
    loadTrends();

    // Ready once both first draws have settled: a failed part shows its error banner instead of blocking the page.
    Promise.allSettled([mapReady, queueReady]).then(() => {
      if (state.map) state.map.setAlerts([...state.alerts.values()]);
      if (fh.firstRenderMs == null) fh.firstRenderMs = performance.now();
      document.body.dataset.ready = 'true';
      // Names for the queue's region column, after the first render so they never delay it.
      fh.loadRegionNames().then(() => {
        state.rows.clear();
        renderQueue();
      });
    });

    setInterval(() => {
      loadSummary();
      loadQueue({ rebuild: true });
      if (state.map) state.map.refresh();
    }, REFRESH_MS);
    setInterval(loadTrends, 2 * REFRESH_MS);
  }

  main();
})();
