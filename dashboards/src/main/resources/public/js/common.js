/*
 * Shared code for every Fenghuo page: API access, session, navigation bar, labels and colours,
 * formatting, safe DOM building, chart helpers and the region map.
 *
 * Everything lives on window.fenghuo so that the page scripts (loaded after this file) and the
 * browser tests can reach it without a module system or a build step.
 */
'use strict';

(() => {
  const fh = (window.fenghuo = window.fenghuo || {});

  // ---------------------------------------------------------------------------------------------
  // Vocabulary
  // ---------------------------------------------------------------------------------------------

  // Most severe first; `rank` lets sorting and "highest level" comparisons stay numeric.
  const LEVELS = {
    RED: { label: '红色(Ⅰ级)', short: '红色', color: '#d32f2f', text: '#fff', rank: 4 },
    ORANGE: { label: '橙色(Ⅱ级)', short: '橙色', color: '#f57c00', text: '#fff', rank: 3 },
    YELLOW: { label: '黄色(Ⅲ级)', short: '黄色', color: '#fbc02d', text: '#3b2f00', rank: 2 },
    BLUE: { label: '蓝色(Ⅳ级)', short: '蓝色', color: '#1976d2', text: '#fff', rank: 1 },
  };
  const LEVEL_ORDER = ['RED', 'ORANGE', 'YELLOW', 'BLUE'];

  const STATUSES = {
    NEW: '待签收',
    ACKNOWLEDGED: '已签收',
    DISPATCHED: '已派单',
    RESOLVED: '已办结',
    DISMISSED: '已排除',
  };
  const STATUS_ORDER = ['NEW', 'ACKNOWLEDGED', 'DISPATCHED', 'RESOLVED', 'DISMISSED'];
  const OPEN_STATUSES = new Set(['NEW', 'ACKNOWLEDGED', 'DISPATCHED']);

  const FEEDS = {
    'grid-report': '网格上报',
    'linkage-call': '110联动',
    petition: '信访',
    'labor-inspection': '劳动监察',
  };
  const FEED_ORDER = ['grid-report', 'linkage-call', 'petition', 'labor-inspection'];
  // Deliberately far from the level colours so a feed never reads as a warning level.
  const FEED_COLORS = {
    'grid-report': '#26a69a',
    'linkage-call': '#5c6bc0',
    petition: '#ab47bc',
    'labor-inspection': '#8d6e63',
  };

  const ACTIONS = {
    ACKNOWLEDGE: '签收',
    DISPATCH: '派单',
    RESOLVE: '办结',
    DISMISS: '排除',
    COMMENT: '备注',
    RAISE: '生成告警',
    LEVEL_UP: '告警升级',
    ESCALATE: '逐级上报',
    EVIDENCE: '新增证据',
  };

  const ROLES = { DUTY_OFFICER: '值班员', ANALYST: '研判人员', ADMIN: '管理员' };

  const REGION_LEVELS = { CITY: '全市', DISTRICT: '区县', STREET: '街道', COMMUNITY: '社区', GRID: '网格' };
  const CHILD_LEVEL = { CITY: 'DISTRICT', DISTRICT: 'STREET', STREET: 'COMMUNITY', COMMUNITY: 'GRID' };

  const SUBJECT_TYPES = { ENTERPRISE: '企业', PERSON: '人员', REGION: '区域', PLACE: '场所' };

  // Union of the four feeds' own classifications (feed schemas); unknown values are shown as sent.
  const CATEGORIES = {
    DISPUTE: '矛盾纠纷',
    SAFETY_HAZARD: '安全隐患',
    PUBLIC_ORDER: '治安问题',
    GATHERING: '人员聚集',
    LABOR: '劳资问题',
    PETITION_LEAD: '信访苗头',
    ENVIRONMENT: '环境问题',
    SPECIAL_POPULATION: '特殊人群',
    ASSISTANCE: '求助',
    TRAFFIC: '交通',
    SAFETY: '安全',
    NOISE: '噪声扰民',
    WAGE_ARREARS: '拖欠工资',
    LABOR_CONTRACT: '劳动合同',
    SOCIAL_INSURANCE: '社会保险',
    LAND_REQUISITION: '征地',
    DEMOLITION: '拆迁',
    HOUSING_PROPERTY: '房产物业',
    LAW_ENFORCEMENT: '执法',
    MEDICAL: '医疗',
    EDUCATION: '教育',
    OVERTIME: '超时加班',
    CHILD_LABOR: '童工',
    OTHER: '其他',
    // subcategories: petition channel, labour record kind
    LETTER: '来信',
    VISIT: '来访',
    PHONE: '电话',
    ONLINE: '网上',
    COMPLAINT: '投诉',
    INSPECTION: '检查',
    VIOLATION: '违法',
    CASE_CLOSED: '结案',
  };

  const PERSON_ROLES = { PETITIONER: '信访人', CALLER: '报警人', COMPLAINANT: '投诉人', SUBJECT: '当事人' };

  // Default rules (DESIGN §6); rules added later are shown by id.
  const RULES = {
    'labor.wage-arrears-escalation': '劳资纠纷升级',
    'petition.collective': '集体访',
    'petition.repeat': '重复访',
    'grid.dispute-hotspot': '纠纷热点',
    'linkage.gathering-cluster': '聚集警情',
    'region.baseline-surge': '区域异常激增',
    'entity.risk': '主体风险',
  };

  const label = (table, key) => (key == null || key === '' ? '—' : table[key] || String(key));

  Object.assign(fh, {
    LEVELS,
    LEVEL_ORDER,
    STATUSES,
    STATUS_ORDER,
    OPEN_STATUSES,
    FEEDS,
    FEED_ORDER,
    FEED_COLORS,
    ACTIONS,
    ROLES,
    REGION_LEVELS,
    CHILD_LEVEL,
    SUBJECT_TYPES,
    CATEGORIES,
    PERSON_ROLES,
    RULES,
    levelLabel: (l) => (LEVELS[l] ? LEVELS[l].label : label({}, l)),
    levelColor: (l) => (LEVELS[l] ? LEVELS[l].color : '#90a4ae'),
    levelRank: (l) => (LEVELS[l] ? LEVELS[l].rank : 0),
    statusLabel: (s) => label(STATUSES, s),
    feedLabel: (f) => label(FEEDS, f),
    actionLabel: (a) => label(ACTIONS, a),
    roleLabel: (r) => label(ROLES, r),
    categoryLabel: (c) => label(CATEGORIES, c),
    subjectTypeLabel: (t) => label(SUBJECT_TYPES, t),
    ruleLabel: (r) => label(RULES, r),
    isOpen: (status) => OPEN_STATUSES.has(status),
  });

  // ---------------------------------------------------------------------------------------------
  // Text and DOM: data only ever reaches the page through textContent or escapeHtml.
  // ---------------------------------------------------------------------------------------------

  const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  /** For the few places that need an HTML string (ECharts tooltips render HTML). */
  function escapeHtml(value) {
    return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
  }

  /**
   * el('td', {class: 'x', dataset: {alertId: id}, onclick: fn}, 'text', childNode, ...)
   * Strings become text nodes, so no data is ever parsed as HTML.
   */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value == null || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key === 'style' && typeof value === 'object') {
          for (const [prop, v] of Object.entries(value)) {
            if (v == null) continue;
            if (prop.startsWith('--')) node.style.setProperty(prop, v);
            else node.style[prop] = v;
          }
        }
        else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
        else if (key === 'text') node.textContent = value;
        else if (value === true) node.setAttribute(key, '');
        else node.setAttribute(key, String(value));
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child == null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** replaceChildren that, like el(), skips null/false (the DOM method would print them as "null"). */
  function setChildren(node, ...children) {
    node.replaceChildren();
    return append(node, children);
  }

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  function levelBadge(level, big = false) {
    const info = LEVELS[level];
    return el(
      'span',
      {
        class: 'level-badge' + (big ? ' level-badge-big' : ''),
        dataset: { level: level || '' },
        style: info ? { background: info.color, color: info.text } : null,
      },
      info ? info.label : level || '—'
    );
  }

  function statusBadge(status) {
    return el('span', { class: 'status-badge status-' + String(status || '').toLowerCase(), dataset: { status: status || '' } }, fh.statusLabel(status));
  }

  Object.assign(fh, { escapeHtml, el, append, setChildren, $, $$, levelBadge, statusBadge });

  // ---------------------------------------------------------------------------------------------
  // Formatting
  // ---------------------------------------------------------------------------------------------

  const pad = (n, w = 2) => String(n).padStart(w, '0');

  function toDate(value) {
    if (value == null || value === '') return null;
    const d = value instanceof Date ? value : new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }

  /** Local time, YYYY-MM-DD HH:mm:ss. */
  function fmtTime(value) {
    const d = toDate(value);
    if (!d) return value ? String(value) : '—';
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function fmtShortTime(value, withDate) {
    const d = toDate(value);
    if (!d) return '—';
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    return withDate ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}` : hm;
  }

  /** The value a datetime-local input wants, in local time. */
  function toLocalInput(value) {
    const d = toDate(value);
    if (!d) return '';
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  /** "剩余 12 分钟" / "已超时 3 分钟" for an escalation deadline. */
  function fmtCountdown(value, now = Date.now()) {
    const d = toDate(value);
    if (!d) return '';
    const minutes = Math.round((d.getTime() - now) / 60000);
    if (minutes >= 0) return minutes < 1 ? '不足 1 分钟' : `剩余 ${fmtDuration(minutes)}`;
    return `已超时 ${fmtDuration(-minutes)}`;
  }

  function fmtDuration(minutes) {
    if (minutes < 60) return `${minutes} 分钟`;
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${h} 小时 ${m} 分钟` : `${h} 小时`;
  }

  function fmtNumber(value, digits = 2) {
    if (value == null || value === '') return '—';
    const n = Number(value);
    if (!Number.isFinite(n)) return String(value);
    return Number.isInteger(n) ? n.toLocaleString('zh-CN') : n.toLocaleString('zh-CN', { maximumFractionDigits: digits });
  }

  const isOverdue = (value) => {
    const d = toDate(value);
    return !!d && d.getTime() < Date.now();
  };

  Object.assign(fh, { toDate, fmtTime, fmtShortTime, toLocalInput, fmtCountdown, fmtNumber, isOverdue });

  // ---------------------------------------------------------------------------------------------
  // Region names. Alerts carry only codes; names are learnt from every region file or map
  // statistics the page loads, so the queue can say "清波街道" instead of "339901001".
  // ---------------------------------------------------------------------------------------------

  const regionNames = new Map();
  function learnRegionNames(items) {
    for (const item of items || []) {
      const p = item && item.properties ? item.properties : item;
      if (p && p.code && p.name) regionNames.set(String(p.code), String(p.name));
    }
  }
  const regionName = (code) => (code ? regionNames.get(String(code)) || String(code) : '—');

  /** Deepest known code of an alert/event/signal region object. */
  function regionCode(region) {
    if (!region) return '';
    return region.grid || region.community || region.street || region.district || '';
  }

  /** "凤山区 / 清波街道 / 某社区", falling back to the deepest code when names are unknown. */
  function regionPath(region) {
    if (!region) return '—';
    const parts = [region.district, region.street, region.community, region.grid].filter(Boolean);
    if (!parts.length) return '—';
    const named = parts.filter((c) => regionNames.has(String(c))).map((c) => regionNames.get(String(c)));
    if (!named.length) return String(parts[parts.length - 1]);
    // An unnamed deeper level (e.g. a grid) is still worth showing as its code.
    const last = String(parts[parts.length - 1]);
    if (!regionNames.has(last)) named.push(last);
    return named.join(' / ');
  }

  let regionNamesLoaded = null;
  /** Street and community names for the whole scope: small files, fetched once, never blocking the first render. */
  function loadRegionNames() {
    if (!regionNamesLoaded) {
      regionNamesLoaded = Promise.all(
        ['DISTRICT', 'STREET', 'COMMUNITY'].map((level) =>
          loadGeoJson(`/api/regions?level=${level}`).catch(() => null)
        )
      ).then(() => true);
    }
    return regionNamesLoaded;
  }

  Object.assign(fh, { learnRegionNames, regionName, regionCode, regionPath, loadRegionNames });

  // ---------------------------------------------------------------------------------------------
  // API access and session
  // ---------------------------------------------------------------------------------------------

  // The CSRF token is kept in memory only: a script-readable copy in localStorage would outlive the session.
  let session = null;
  let sessionPromise = null;

  function loginUrl() {
    const here = location.pathname + location.search;
    return '/login.html?next=' + encodeURIComponent(here);
  }

  function redirectToLogin() {
    if (location.pathname === '/login.html') return;
    location.assign(loginUrl());
  }

  class ApiError extends Error {
    constructor(message, status, retryAfter) {
      super(message);
      this.name = 'ApiError';
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  async function errorFrom(response) {
    let message = '';
    try {
      const body = await response.json();
      message = body && body.error ? String(body.error) : '';
    } catch (_) {
      /* not JSON: fall back to the status below */
    }
    if (!message) {
      const generic = { 403: '无权访问', 404: '未找到', 429: '请求过于频繁', 503: '服务暂不可用（数据存储或消息队列不可达）' };
      message = generic[response.status] || `请求失败（HTTP ${response.status}）`;
    }
    return new ApiError(message, response.status, response.headers.get('Retry-After'));
  }

  /**
   * fetch wrapper. opts: {method, body (object → JSON), headers, noRedirect, signal}.
   * Resolves to the parsed JSON (or null for 204); rejects with ApiError whose message is the server's `error`.
   */
  async function api(path, opts = {}) {
    const method = (opts.method || 'GET').toUpperCase();
    const headers = Object.assign({ Accept: 'application/json' }, opts.headers);
    let body = opts.body;
    if (body != null && typeof body !== 'string') {
      body = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    const needsToken = method !== 'GET' && method !== 'HEAD' && !(method === 'POST' && path === '/api/session');
    if (needsToken) {
      const s = await loadSession(false, opts.noRedirect);
      if (s && s.csrfToken) headers['X-CSRF-Token'] = s.csrfToken;
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new ApiError('无法连接服务，请检查网络', 0);
    }
    // A 403 on a write may be a token that changed under us (new login in another tab): refresh once and retry.
    if (response.status === 403 && needsToken && !opts._retried) {
      const before = session && session.csrfToken;
      const fresh = await loadSession(true, opts.noRedirect).catch(() => null);
      if (fresh && fresh.csrfToken && fresh.csrfToken !== before) return api(path, Object.assign({}, opts, { _retried: true }));
    }
    if (response.status === 401 && !opts.noRedirect) {
      session = null;
      redirectToLogin();
      throw new ApiError('未登录或会话已过期', 401);
    }
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return null;
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  /** GET /api/session once per page (force = re-read); 401 sends the user to the login page unless noRedirect. */
  function loadSession(force = false, noRedirect = false) {
    if (!force && session) return Promise.resolve(session);
    if (!force && sessionPromise) return sessionPromise;
    sessionPromise = api('/api/session', { noRedirect })
      .then((s) => {
        session = s;
        fh.session = s;
        return s;
      })
      .finally(() => {
        sessionPromise = null;
      });
    return sessionPromise;
  }

  async function logout() {
    try {
      await api('/api/session', { method: 'DELETE', noRedirect: true });
    } catch (_) {
      // Leaving is what the user asked for; an expired session is already logged out.
    }
    session = null;
    location.assign('/login.html');
  }

  const canAct = (s) => !!s && !!s.user && (s.user.role === 'DUTY_OFFICER' || s.user.role === 'ADMIN');

  Object.assign(fh, { api, ApiError, loadSession, logout, canAct, redirectToLogin, loginUrl });

  // ---------------------------------------------------------------------------------------------
  // Error banner: one visible line per failing source; a later success of the same source clears it,
  // so a passing outage does not leave a stale alarm on the duty officer's screen.
  // ---------------------------------------------------------------------------------------------

  const activeErrors = new Map();

  function bannerElement() {
    let banner = $('.error-banner');
    if (!banner) {
      banner = el('div', { class: 'error-banner', role: 'alert', hidden: true });
      document.body.prepend(banner);
    }
    return banner;
  }

  function renderErrors() {
    const banner = bannerElement();
    banner.replaceChildren();
    if (!activeErrors.size) {
      banner.hidden = true;
      return;
    }
    for (const [key, message] of activeErrors) {
      banner.append(
        el(
          'div',
          { class: 'error-line', dataset: { source: key } },
          el('span', { class: 'error-text' }, message),
          el('button', { type: 'button', class: 'error-close', title: '关闭', 'aria-label': '关闭', onclick: () => clearError(key) }, '×')
        )
      );
    }
    banner.hidden = false;
  }

  function showError(err, key = 'general') {
    if (err && err.name === 'AbortError') return;
    if (err && err.status === 401) return; // already on the way to the login page
    const message = err && err.message ? err.message : String(err);
    activeErrors.set(key, message);
    renderErrors();
    console.error(`[fenghuo] ${key}:`, err);
  }

  function clearError(key = 'general') {
    if (activeErrors.delete(key)) renderErrors();
  }

  Object.assign(fh, { showError, clearError });

  // ---------------------------------------------------------------------------------------------
  // Navigation bar
  // ---------------------------------------------------------------------------------------------

  const NAV_LINKS = [
    { id: 'nav-situation', href: '/', text: '态势', match: ['/', '/index.html', '/alert.html'] },
    { id: 'nav-workbench', href: '/workbench.html', text: '研判', match: ['/workbench.html'] },
    { id: 'nav-bigscreen', href: '/bigscreen.html', text: '大屏', match: ['/bigscreen.html'] },
  ];

  function renderNav(s) {
    const host = $('#topbar');
    if (!host) return;
    const user = (s && s.user) || {};
    const scopeName = user.scopeName || (user.scope ? user.scope : '全市');
    host.replaceChildren(
      el('a', { class: 'brand', href: '/' }, el('img', { src: '/favicon.svg', alt: '', width: 22, height: 22 }), el('span', null, '烽火')),
      el(
        'nav',
        { class: 'nav-links', 'aria-label': '主导航' },
        NAV_LINKS.map((link) =>
          el(
            'a',
            {
              id: link.id,
              href: link.href,
              class: link.match.includes(location.pathname) ? 'active' : null,
              'aria-current': link.match.includes(location.pathname) ? 'page' : null,
            },
            link.text
          )
        )
      ),
      el(
        'div',
        { class: 'nav-user' },
        el('span', { id: 'nav-user-name', class: 'nav-user-name' }, user.name || ''),
        el('span', { id: 'nav-role', class: 'nav-chip' }, fh.roleLabel(user.role)),
        el('span', { id: 'nav-scope', class: 'nav-chip', title: user.scope ? `辖区代码 ${user.scope}` : '全市' }, scopeName),
        el('button', { id: 'logout-button', type: 'button', class: 'btn btn-ghost', onclick: logout }, '退出')
      )
    );
  }

  /** Common page start: session (or login redirect), nav bar. Resolves to the session. */
  async function initPage({ nav = true } = {}) {
    const s = await loadSession();
    if (nav) renderNav(s);
    return s;
  }

  Object.assign(fh, { renderNav, initPage });

  // ---------------------------------------------------------------------------------------------
  // Small utilities
  // ---------------------------------------------------------------------------------------------

  /** Runs fn at most once per `ms`; a call during the quiet time is deferred, never lost. */
  function throttle(fn, ms) {
    let last = 0;
    let timer = null;
    return function throttled() {
      const wait = last + ms - Date.now();
      if (wait <= 0 && !timer) {
        last = Date.now();
        fn();
      } else if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          last = Date.now();
          fn();
        }, Math.max(wait, 0));
      }
    };
  }

  function debounce(fn, ms) {
    let timer = null;
    return function debounced(...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  /** Query string from an object, skipping empty values; arrays become comma lists (API convention). */
  function query(params) {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      if (value == null || value === '') continue;
      if (Array.isArray(value)) {
        if (value.length) q.set(key, value.join(','));
      } else q.set(key, String(value));
    }
    const s = q.toString();
    return s ? '?' + s : '';
  }

  /** Alerts most severe first, then most recently changed. */
  function compareAlerts(a, b) {
    const byLevel = fh.levelRank(b.level) - fh.levelRank(a.level);
    if (byLevel) return byLevel;
    const ta = (toDate(a.updatedAt || a.raisedAt) || new Date(0)).getTime();
    const tb = (toDate(b.updatedAt || b.raisedAt) || new Date(0)).getTime();
    return tb - ta;
  }

  Object.assign(fh, { throttle, debounce, query, compareAlerts });

  // ---------------------------------------------------------------------------------------------
  // Live stream. EventSource reconnects by itself after a dropped connection, but gives up for good
  // when the server answers with an error status (e.g. 401 after the session expired): then we check
  // the session (which redirects to login on 401) and start a new one.
  // ---------------------------------------------------------------------------------------------

  /**
   * openAlertStream({onAlert(alert), onState('open'|'reconnecting'|'connecting'), onReopen()})
   * onReopen fires on every open after the first, so pages can catch up on what they missed.
   */
  function openAlertStream(handlers) {
    let source = null;
    let opened = false;
    let retryTimer = null;
    const state = (s) => handlers.onState && handlers.onState(s);

    function connect() {
      state(opened ? 'reconnecting' : 'connecting');
      source = new EventSource('/api/alerts/stream', { withCredentials: true });
      source.addEventListener('open', () => {
        state('open');
        if (opened && handlers.onReopen) handlers.onReopen();
        opened = true;
      });
      source.addEventListener('alert', (event) => {
        let alert;
        try {
          alert = JSON.parse(event.data);
        } catch (err) {
          console.warn('[fenghuo] unreadable alert event', err);
          return;
        }
        if (alert && alert.alertId) handlers.onAlert(alert);
      });
      source.addEventListener('error', () => {
        if (source.readyState === EventSource.CLOSED) {
          state('reconnecting');
          source.close();
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => {
            loadSession(true)
              .then(connect)
              .catch(() => {
                retryTimer = setTimeout(connect, 10000);
              });
          }, 3000);
        } else {
          state('reconnecting');
        }
      });
    }

    connect();
    return {
      close() {
        clearTimeout(retryTimer);
        if (source) source.close();
      },
    };
  }

  fh.openAlertStream = openAlertStream;

  // ---------------------------------------------------------------------------------------------
  // Charts
  // ---------------------------------------------------------------------------------------------

  const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';

  function chartsAvailable() {
    if (typeof window.echarts !== 'undefined') return true;
    showError(new Error('图表库未能加载（/webjars/echarts），地图和趋势图不可用'), 'echarts');
    return false;
  }

  /** echarts.init with our font, kept in size with its element (tabs, side panels, window). */
  function makeChart(node) {
    if (!node || !chartsAvailable()) return null;
    const existing = echarts.getInstanceByDom(node);
    if (existing) return existing;
    const chart = echarts.init(node, null, { renderer: 'canvas' });
    if (window.ResizeObserver) {
      new ResizeObserver(() => chart.resize()).observe(node);
    } else {
      window.addEventListener('resize', debounce(() => chart.resize(), 150));
    }
    return chart;
  }

  function chartTheme(dark) {
    return dark
      ? { text: '#cfd8e3', muted: '#8796a8', axis: '#3a4a5e', split: '#243244', tooltipBg: 'rgba(12,20,32,0.95)', tooltipText: '#e6edf5' }
      : { text: '#37474f', muted: '#78909c', axis: '#b0bec5', split: '#eceff1', tooltipBg: 'rgba(255,255,255,0.97)', tooltipText: '#263238' };
  }

  const CATEGORY_PALETTE = ['#5c6bc0', '#26a69a', '#ab47bc', '#8d6e63', '#42a5f5', '#66bb6a', '#ec407a', '#78909c', '#26c6da', '#9ccc65', '#7e57c2', '#ffa726'];

  /**
   * Stacked bar chart of time buckets. buckets: [{at|day, counts:{series: n}}]; series: keys in stacking order.
   * Fills or replaces the chart's option.
   */
  function drawStackedBars(chart, { buckets, series, labelOf, colorOf, timeKey = 'at', dark = false, timeFormat }) {
    if (!chart) return;
    const t = chartTheme(dark);
    const fmt = timeFormat || ((v) => String(v));
    const x = (buckets || []).map((b) => fmt(b[timeKey]));
    const keys = series && series.length ? series : collectKeys(buckets);
    chart.setOption(
      {
        textStyle: { fontFamily: FONT },
        color: CATEGORY_PALETTE,
        animationDuration: 300,
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          backgroundColor: t.tooltipBg,
          borderColor: t.axis,
          textStyle: { color: t.tooltipText, fontFamily: FONT },
          formatter: (params) => stackedTooltip(params),
        },
        legend: { type: 'scroll', top: 0, textStyle: { color: t.text }, pageTextStyle: { color: t.text } },
        grid: { left: 8, right: 12, top: 32, bottom: 4, containLabel: true },
        xAxis: {
          type: 'category',
          data: x,
          axisLine: { lineStyle: { color: t.axis } },
          axisLabel: { color: t.muted, hideOverlap: true },
        },
        yAxis: {
          type: 'value',
          minInterval: 1,
          axisLabel: { color: t.muted },
          splitLine: { lineStyle: { color: t.split } },
        },
        series: keys.map((key) => ({
          type: 'bar',
          stack: 'total',
          name: labelOf ? labelOf(key) : key,
          barMaxWidth: 28,
          itemStyle: colorOf && colorOf(key) ? { color: colorOf(key) } : undefined,
          emphasis: { focus: 'series' },
          data: (buckets || []).map((b) => (b.counts && b.counts[key]) || 0),
        })),
      },
      { notMerge: true }
    );
  }

  function collectKeys(buckets) {
    const totals = new Map();
    for (const b of buckets || []) {
      for (const [k, n] of Object.entries(b.counts || {})) totals.set(k, (totals.get(k) || 0) + (Number(n) || 0));
    }
    return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  }

  function stackedTooltip(params) {
    const list = Array.isArray(params) ? params : [params];
    if (!list.length) return '';
    let total = 0;
    const rows = list
      .filter((p) => p.value)
      .map((p) => {
        total += Number(p.value) || 0;
        return `${p.marker}${escapeHtml(p.seriesName)}：<b>${escapeHtml(fmtNumber(p.value))}</b>`;
      });
    return `${escapeHtml(list[0].axisValueLabel || list[0].name)}　合计 <b>${escapeHtml(fmtNumber(total))}</b><br>${rows.join('<br>')}`;
  }

  /** Bucket label format chosen from the bucket spacing: hours for a day, dates for a week. */
  function bucketFormatter(buckets, timeKey = 'at') {
    const times = (buckets || []).map((b) => toDate(b[timeKey])).filter(Boolean);
    const step = times.length > 1 ? times[1] - times[0] : 3600000;
    if (step >= 86400000) return (v) => fmtShortTime(v, true).slice(0, 5);
    const spansDays = times.length && times[times.length - 1] - times[0] >= 86400000;
    return (v) => fmtShortTime(v, spansDays);
  }

  Object.assign(fh, { FONT, makeChart, chartTheme, chartsAvailable, drawStackedBars, bucketFormatter, CATEGORY_PALETTE });

  // ---------------------------------------------------------------------------------------------
  // Region map (situation page, alert detail, big screen). Drawn from the service's own GeoJSON
  // with an ECharts `geo` component: no tiles, nothing from outside the closed network.
  // ---------------------------------------------------------------------------------------------

  const geoCache = new Map();
  function loadGeoJson(url) {
    if (!geoCache.has(url)) {
      const p = api(url).then((geo) => {
        learnRegionNames(geo && geo.features);
        return geo;
      });
      p.catch(() => geoCache.delete(url)); // a failed load must be retried next time, not cached
      geoCache.set(url, p);
    }
    return geoCache.get(url);
  }
  fh.loadGeoJson = loadGeoJson;

  // Areas without open alerts: light to darker grey-blue by events in 24 h.
  const SHADE = {
    light: { from: [236, 241, 246], to: [120, 144, 168], border: '#ffffff', label: '#37474f', point: '#ffffff' },
    dark: { from: [28, 44, 64], to: [62, 98, 138], border: '#0b1420', label: '#cfd8e3', point: '#0b1420' },
  };

  function mix(from, to, t) {
    const c = from.map((v, i) => Math.round(v + (to[i] - v) * t));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  function withAlpha(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
  }

  /**
   * drawRegionMap(el, opts) → controller
   *
   * opts:
   *   root: {code, name, level}   the top the user may see (their scope; code '' = whole city)
   *   mode: 'stats' (default)     colour areas by /api/stats/map; or 'highlight' to mark one area
   *   highlight: {code, level}    for mode 'highlight' (level = alert level, for the colour)
   *   drill: true                 click an area to open its children
   *   breadcrumb: element         where the path back up is drawn
   *   dark: false                 big-screen colours
   *   roam: false                 allow pan and wheel zoom
   *   onNavigate(code)            after the map shows another area
   *   errorKey                    error banner source
   *
   * controller: {chart, current, show(code), refresh(), setAlerts(alerts), setHighlight({code, level}), ready}
   */
  function drawRegionMap(node, opts = {}) {
    const root = Object.assign({ code: '', name: '全市', level: 'CITY' }, opts.root);
    const palette = opts.dark ? SHADE.dark : SHADE.light;
    const theme = chartTheme(opts.dark);
    const errorKey = opts.errorKey || 'map';
    const chart = makeChart(node);
    const ctl = {
      chart,
      current: null,
      path: [],
      features: [],
      stats: new Map(),
      alerts: [],
      show,
      refresh,
      setAlerts,
      setHighlight,
      ready: null,
    };
    let drawn = false;
    let mapName = null;
    let loadSeq = 0;

    if (chart) {
      chart.on('click', (params) => {
        if (params.componentType !== 'geo' || opts.drill === false) return;
        const feature = ctl.features.find((f) => String(f.properties.code) === params.name);
        if (!feature || !CHILD_LEVEL[feature.properties.level]) return; // grids have no children
        navigate(feature.properties.code, feature.properties.name);
      });
    }

    function geoUrlFor(code) {
      return code === '' ? '/api/regions?level=DISTRICT' : `/api/regions?parent=${encodeURIComponent(code)}`;
    }

    async function show(code, name) {
      const seq = ++loadSeq;
      let url = geoUrlFor(code);
      let geo = await loadGeoJson(url);
      // A scope at the lowest level has no children: show the scope's own area instead.
      if ((!geo || !geo.features || !geo.features.length) && code === root.code && root.level && root.level !== 'CITY') {
        url = `/api/regions?level=${encodeURIComponent(root.level)}`;
        geo = await loadGeoJson(url);
      }
      if (seq !== loadSeq) return; // a later navigation won
      const stats = opts.mode === 'highlight' ? null : await fetchStats(code);
      if (seq !== loadSeq) return;

      ctl.features = (geo && geo.features) || [];
      ctl.stats = stats || new Map();
      ctl.current = code;
      updatePath(code, name);
      if (chart && ctl.features.length) {
        mapName = 'fenghuo:' + url;
        echarts.registerMap(mapName, geo);
        render(true);
      } else if (chart) {
        chart.clear();
        chart.setOption({ title: { text: '该辖区没有区域边界数据', left: 'center', top: 'middle', textStyle: { color: theme.muted, fontSize: 14, fontFamily: FONT } } });
      }
      drawn = true;
      renderBreadcrumb();
      if (opts.onNavigate) opts.onNavigate(code);
    }

    /** show() from a click: failures go to the banner instead of an unhandled rejection. */
    function navigate(code, name) {
      return show(code, name).then(
        () => clearError(errorKey + ':area'),
        (err) => showError(err, errorKey + ':area')
      );
    }

    async function fetchStats(code) {
      try {
        const data = await api('/api/stats/map' + query({ parent: code || null }));
        clearError(errorKey);
        const regions = (data && data.regions) || [];
        learnRegionNames(regions);
        return new Map(regions.map((r) => [String(r.code), r]));
      } catch (err) {
        showError(err, errorKey);
        return ctl.stats; // keep the last colours rather than blanking the map
      }
    }

    async function refresh() {
      if (!drawn || opts.mode === 'highlight') return;
      const code = ctl.current;
      const stats = await fetchStats(code);
      if (code !== ctl.current) return;
      ctl.stats = stats;
      render(false);
    }

    function setHighlight(highlight) {
      opts.highlight = highlight;
      if (drawn) render(false);
    }

    function setAlerts(alerts) {
      ctl.alerts = alerts || [];
      if (drawn) render(false);
    }

    function updatePath(code, name) {
      const idx = ctl.path.findIndex((p) => p.code === code);
      if (idx >= 0) ctl.path = ctl.path.slice(0, idx + 1);
      else if (code === root.code) ctl.path = [{ code: root.code, name: root.name }];
      else ctl.path.push({ code, name: name || regionName(code) });
    }

    function renderBreadcrumb() {
      const host = opts.breadcrumb;
      if (!host) return;
      host.replaceChildren(
        ...ctl.path.map((p, i) => {
          const last = i === ctl.path.length - 1;
          return el(
            last ? 'span' : 'button',
            {
              type: last ? null : 'button',
              class: last ? 'crumb crumb-current' : 'crumb',
              dataset: { code: p.code },
              onclick: last ? null : () => navigate(p.code),
            },
            p.name || '全市'
          );
        })
      );
    }

    function areaStyle(code) {
      if (opts.mode === 'highlight') {
        const hl = opts.highlight || {};
        if (hl.code && String(hl.code) === code) {
          const c = fh.levelColor(hl.level);
          return { fill: withAlpha(c, 0.75), label: '#fff', emphasis: c };
        }
        return { fill: mix(palette.from, palette.to, 0.12), label: palette.label, emphasis: mix(palette.from, palette.to, 0.3) };
      }
      const s = ctl.stats.get(code);
      if (s && s.openAlerts > 0 && LEVELS[s.maxLevel]) {
        const info = LEVELS[s.maxLevel];
        return { fill: withAlpha(info.color, 0.82), label: info.text, emphasis: info.color };
      }
      const max = Math.max(1, ...[...ctl.stats.values()].map((r) => Number(r.events24h) || 0));
      const t = s ? Math.sqrt((Number(s.events24h) || 0) / max) : 0; // sqrt: quiet areas stay distinguishable
      return { fill: mix(palette.from, palette.to, 0.08 + 0.72 * t), label: t > 0.6 && !opts.dark ? '#fff' : palette.label, emphasis: mix(palette.from, palette.to, Math.min(1, 0.2 + 0.8 * t)) };
    }

    function alertsInView() {
      const prefix = ctl.current || '';
      return ctl.alerts.filter((a) => {
        if (!a.location || a.location.lat == null || a.location.lon == null) return false;
        if (opts.mode === 'highlight') return true;
        const code = regionCode(a.region);
        return !prefix || String(code).startsWith(prefix);
      });
    }

    function tooltip(params) {
      if (params.componentType === 'geo') {
        const code = params.name;
        const f = ctl.features.find((x) => String(x.properties.code) === code);
        const s = ctl.stats.get(code);
        const name = f ? f.properties.name : regionName(code);
        const lines = [`<b>${escapeHtml(name)}</b>　${escapeHtml(code)}`];
        if (opts.mode !== 'highlight') {
          lines.push(`未结告警：${escapeHtml(fmtNumber(s ? s.openAlerts : 0))}`);
          lines.push(`最高级别：${s && s.openAlerts > 0 && s.maxLevel ? escapeHtml(fh.levelLabel(s.maxLevel)) : '—'}`);
          lines.push(`24小时事件：${escapeHtml(fmtNumber(s ? s.events24h : 0))}`);
        }
        return lines.join('<br>');
      }
      const a = params.data && params.data.alert;
      if (!a) return '';
      return [
        `<b>${escapeHtml(a.title || a.alertId)}</b>`,
        `${escapeHtml(fh.levelLabel(a.level))} · ${escapeHtml(fh.statusLabel(a.status))}`,
        escapeHtml(fmtTime(a.raisedAt)),
      ].join('<br>');
    }

    function render(full) {
      if (!chart || !mapName) return;
      const regions = ctl.features.map((f) => {
        const code = String(f.properties.code);
        const st = areaStyle(code);
        return {
          name: code,
          itemStyle: { areaColor: st.fill },
          label: { color: st.label },
          emphasis: { itemStyle: { areaColor: st.emphasis }, label: { color: st.label } },
        };
      });
      const names = new Map(ctl.features.map((f) => [String(f.properties.code), f.properties.name]));
      const small = node.clientWidth < 420;
      const points = alertsInView()
        .slice()
        .sort((a, b) => fh.levelRank(a.level) - fh.levelRank(b.level)) // severe points drawn last, on top
        .map((a) => ({
          name: a.alertId,
          value: [Number(a.location.lon), Number(a.location.lat), fh.levelRank(a.level)],
          alert: a,
          symbolSize: 6 + fh.levelRank(a.level) * (opts.dark ? 3 : 2.5),
          itemStyle: { color: fh.levelColor(a.level), borderColor: palette.point, borderWidth: 1.5, shadowBlur: 4, shadowColor: 'rgba(0,0,0,0.45)' },
        }));
      chart.setOption(
        {
          textStyle: { fontFamily: FONT },
          tooltip: {
            trigger: 'item',
            backgroundColor: theme.tooltipBg,
            borderColor: theme.axis,
            textStyle: { color: theme.tooltipText, fontFamily: FONT },
            formatter: tooltip,
          },
          geo: {
            map: mapName,
            nameProperty: 'code',
            // No wheel zoom by default: it would steal the page's scrolling; drilling down is the way in.
            roam: opts.roam === true,
            scaleLimit: { min: 0.8, max: 8 },
            selectedMode: false,
            top: 12,
            bottom: 12,
            left: 12,
            right: 12,
            // A component's tooltip never falls back to the global formatter (that one is for series).
            tooltip: { show: true, formatter: tooltip },
            label: {
              show: !small || ctl.features.length <= 12,
              fontSize: opts.dark ? 15 : 12,
              fontFamily: FONT,
              formatter: (p) => names.get(p.name) || p.name,
            },
            itemStyle: { borderColor: palette.border, borderWidth: 1, areaColor: mix(palette.from, palette.to, 0.1) },
            emphasis: { itemStyle: { borderColor: opts.dark ? '#e6edf5' : '#263238', borderWidth: 2 }, label: { show: true } },
            regions,
          },
          series: [
            {
              id: 'alerts',
              name: '告警',
              type: 'scatter',
              coordinateSystem: 'geo',
              geoIndex: 0,
              zlevel: 1,
              data: points,
            },
          ],
        },
        // A new area replaces the view (and its zoom); a colour refresh keeps what the user zoomed to.
        full ? { notMerge: true } : { replaceMerge: ['series'] }
      );
      if (full && opts.onDraw) opts.onDraw();
    }

    ctl.ready = show(opts.start != null ? opts.start : root.code).catch((err) => {
      showError(err, errorKey);
      throw err;
    });
    return ctl;
  }

  fh.drawRegionMap = drawRegionMap;

  // ---------------------------------------------------------------------------------------------
  // Entity keys (ENT:…, PER:…, REG:…) shown as links to the workbench timeline.
  // ---------------------------------------------------------------------------------------------

  function entityLink(key, text, onOpen) {
    if (!key) return el('span', { class: 'muted' }, text || '—');
    return el(
      'a',
      {
        class: 'entity-link',
        href: '/workbench.html' + query({ entity: key }),
        dataset: { entityKey: key },
        title: key,
        onclick: onOpen
          ? (e) => {
              e.preventDefault();
              onOpen(key);
            }
          : null,
      },
      text || key
    );
  }

  fh.entityLink = entityLink;
})();
