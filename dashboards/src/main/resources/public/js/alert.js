/*
 * 告警详情 — everything a duty officer needs to decide: why the alert fired, its evidence,
 * its history, where it is, and the buttons to act on it.
 */
'use strict';

(() => {
  const fh = window.fenghuo;
  const { el, $ } = fh;

  const alertId = new URLSearchParams(location.search).get('id') || '';
  const apiPath = '/api/alerts/' + encodeURIComponent(alertId);

  const POLL_MS = 1000;
  const POLL_LIMIT_MS = 15000;
  // System entries in the action log and in levelHistory/escalations describe the same moment;
  // within this distance they are shown as one entry.
  const SAME_MOMENT_MS = 120000;

  const state = { session: null, detail: null, map: null, busy: false };
  fh.alertDetail = state;

  // -------------------------------------------------------------------------------------------
  // Loading
  // -------------------------------------------------------------------------------------------

  let loading = null;
  /** One request at a time: the poll loop and the live stream may both ask for a reload. */
  function load() {
    if (!loading) {
      loading = fh
        .api(apiPath)
        .then((detail) => {
          fh.clearError('detail');
          state.detail = detail;
          render(detail);
          return detail;
        })
        .catch((err) => {
          fh.showError(err, 'detail');
          if (!state.detail) {
            $('#alert-title').textContent = err.status === 404 ? '告警不存在或不在您的辖区内' : '告警加载失败';
          }
          return null;
        })
        .finally(() => {
          loading = null;
        });
    }
    return loading;
  }

  // -------------------------------------------------------------------------------------------
  // Rendering
  // -------------------------------------------------------------------------------------------

  function render(detail) {
    const a = detail.alert || {};
    document.title = `${a.title || '告警详情'} · 烽火`;
    $('#alert-level').replaceChildren(fh.levelBadge(a.level, true));
    $('#alert-title').textContent = a.title || a.alertId || '';
    $('#alert-status').replaceChildren(fh.statusBadge(a.status));
    $('#alert-id').textContent = a.alertId || '';
    $('#alert-content').hidden = false;

    renderFacts(a);
    renderExplanation(a);
    renderEvidence(a, detail.evidenceEvents || []);
    renderTimeline(a, detail.actions || []);
    renderActions(a);
    renderMap(a);
  }

  function regionLine(region) {
    if (!region) return '—';
    const parts = [
      ['区县', region.district],
      ['街道', region.street],
      ['社区', region.community],
      ['网格', region.grid],
    ].filter(([, code]) => code);
    if (!parts.length) return '—';
    return el(
      'span',
      null,
      parts.map(([levelName, code], i) => [
        i ? ' / ' : '',
        el('span', { title: `${levelName} ${code}` }, fh.regionName(code) === String(code) ? String(code) : `${fh.regionName(code)}（${code}）`),
      ])
    );
  }

  function fact(id, labelText, value) {
    return el('div', null, el('dt', null, labelText), el('dd', { id }, value == null || value === '' ? '—' : value));
  }

  function renderFacts(a) {
    const subject = a.subject || {};
    const due = a.escalationDueAt
      ? [fh.fmtTime(a.escalationDueAt), a.status === 'NEW' ? `（${fh.fmtCountdown(a.escalationDueAt)}）` : '']
      : null;
    const responsible = a.responsibleLevel || a.responsibleRegion
      ? `${fh.REGION_LEVELS[a.responsibleLevel] || a.responsibleLevel || ''} ${a.responsibleRegion ? fh.regionName(a.responsibleRegion) : ''}`.trim()
      : null;
    fh.setChildren(
      $('#alert-facts'),
      fact('alert-rule', '规则', el('span', null, a.ruleTitle || fh.ruleLabel(a.ruleId), ' ', el('span', { class: 'muted mono' }, a.ruleId || ''))),
      fact(
        'alert-subject',
        '主体',
        el(
          'span',
          null,
          subject.key ? fh.entityLink(subject.key, subject.display || subject.key) : subject.display || '—',
          ' ',
          el('span', { class: 'muted' }, fh.subjectTypeLabel(subject.type))
        )
      ),
      fact('alert-region', '区域', regionLine(a.region)),
      fact('alert-triggered', '触发时间（事件时间）', fh.fmtTime(a.triggeredAt)),
      fact('alert-raised', '发起时间', fh.fmtTime(a.raisedAt)),
      fact('alert-updated', '更新时间', fh.fmtTime(a.updatedAt)),
      fact('alert-last-event', '最近证据时间', a.lastEventAt ? fh.fmtTime(a.lastEventAt) : null),
      fact('alert-escalation-due', '升级时限', due ? el('span', { class: a.status === 'NEW' && fh.isOverdue(a.escalationDueAt) ? 'row-due overdue' : '' }, due) : null),
      fact('alert-responsible', '责任层级', responsible),
      fact('alert-acknowledged-by', '签收人', a.acknowledgedBy ? `${a.acknowledgedBy}${a.acknowledgedAt ? '（' + fh.fmtTime(a.acknowledgedAt) + '）' : ''}` : null),
      fact('alert-dispatched-to', '派往单位', a.dispatchedTo),
      fact('alert-sources', '来源', (a.sources || []).map(fh.feedLabel).join('、')),
      a.resolvedAt ? fact('alert-resolved', '办结时间', fh.fmtTime(a.resolvedAt)) : null,
      a.closedAt ? fact('alert-closed', '关闭时间', fh.fmtTime(a.closedAt)) : null
    );
  }

  function numberTile(id, labelText, value) {
    return el(
      'div',
      { id, class: 'count-tile' },
      el('div', { class: 'count-label' }, labelText),
      el('div', { class: 'count-value' }, value == null ? '—' : fh.fmtNumber(value))
    );
  }

  function renderExplanation(a) {
    // pre-wrap in CSS keeps the server's line breaks; textContent keeps it text.
    $('#explanation').textContent = a.explanation || '（无说明）';
    $('#alert-numbers').replaceChildren(
      numberTile('alert-observed', '观测值', a.observed),
      numberTile('alert-expected', '期望值', a.expected),
      numberTile('alert-limit', '阈值', a.limit)
    );
  }

  function personLine(p) {
    const parts = [p.name || '—'];
    if (p.role) parts.push(`（${fh.PERSON_ROLES[p.role] || p.role}）`);
    if (p.phone) parts.push(' ' + p.phone);
    if (p.idNumber) parts.push(' ' + p.idNumber);
    return el('li', null, parts.join(''), p.verified === false ? el('span', { class: 'flag' }, '未核验') : null);
  }

  function renderEvidence(a, events) {
    const byRecord = new Map(events.map((e) => [`${e.feed}\u0000${e.recordId}`, e]));
    const evidence = (a.evidence || []).slice().sort((x, y) => String(x.occurredAt).localeCompare(String(y.occurredAt)));
    const total = a.evidenceCount != null ? a.evidenceCount : evidence.length;
    $('#evidence-count').textContent = total > evidence.length ? `共 ${total} 条，显示 ${evidence.length} 条` : `共 ${evidence.length} 条`;
    const body = $('#evidence tbody');
    if (!evidence.length) {
      body.replaceChildren(el('tr', null, el('td', { colspan: 9, class: 'empty' }, '没有证据记录')));
      return;
    }
    body.replaceChildren(
      ...evidence.map((ev) => {
        const e = byRecord.get(`${ev.feed}\u0000${ev.recordId}`) || {};
        const persons = e.persons || [];
        const enterprises = e.enterprises || [];
        return el(
          'tr',
          { class: 'evidence-row', dataset: { feed: ev.feed || '', recordId: ev.recordId || '' } },
          el('td', { class: 'nowrap' }, fh.feedLabel(ev.feed)),
          el('td', { class: 'mono' }, ev.recordId || '—'),
          el('td', { class: 'nowrap' }, fh.fmtTime(ev.occurredAt || e.occurredAt)),
          el('td', null, fh.categoryLabel(ev.category || e.category), e.subcategory ? el('span', { class: 'cell-sub' }, fh.categoryLabel(e.subcategory)) : null),
          el('td', { class: 'num' }, ev.step != null ? String(ev.step) : '—'),
          el('td', { class: 'num' }, ev.points != null ? fh.fmtNumber(ev.points) : '—'),
          el('td', null, el('b', null, e.title || ev.title || '—'), e.summary ? el('span', { class: 'cell-sub' }, e.summary) : null),
          el('td', null, e.address || '—'),
          el(
            'td',
            null,
            persons.length ? el('ul', { class: 'persons' }, persons.map(personLine)) : null,
            enterprises.map((ent) => fh.entityLink(ent.key, ent.name || ent.creditCode || ent.key)),
            !persons.length && !enterprises.length ? '—' : null
          )
        );
      })
    );
  }

  // --- timeline -------------------------------------------------------------------------------

  const PEOPLE_ACTIONS = new Set(['ACKNOWLEDGE', 'DISPATCH', 'RESOLVE', 'DISMISS', 'COMMENT']);
  const timeOf = (v) => {
    const d = fh.toDate(v);
    return d ? d.getTime() : 0;
  };

  function regionLevelName(level) {
    return fh.REGION_LEVELS[level] || level || '';
  }

  function escalationText(e) {
    const route = [regionLevelName(e.from), regionLevelName(e.to)].filter(Boolean).join(' → ');
    const where = e.regionCode ? fh.regionName(e.regionCode) : '';
    return [route, where ? `（${where}）` : '', e.reason ? ' ' + e.reason : ''].join('');
  }

  function renderTimeline(a, actions) {
    const items = actions.map((act) => ({ at: timeOf(act.at), act, extra: [] }));
    const unmatched = [];

    // Fold levelHistory and escalations into the system action of the same moment, else show them on their own.
    const claim = (types, at, predicate) =>
      items.find((it) => types.includes(it.act.action) && !it.claimed && Math.abs(it.at - at) <= SAME_MOMENT_MS && predicate(it.act));
    for (const h of a.levelHistory || []) {
      const at = timeOf(h.at || h.eventTime);
      const match = claim(['RAISE', 'LEVEL_UP'], at, (act) => !act.level || act.level === h.level);
      if (match) {
        match.claimed = true;
        match.level = match.level || h.level;
        if (h.reason && h.reason !== match.act.note) match.extra.push(h.reason);
      } else unmatched.push({ at, levelEntry: h });
    }
    for (const e of a.escalations || []) {
      const at = timeOf(e.at);
      const match = claim(['ESCALATE'], at, () => true);
      if (match) {
        match.claimed = true;
        match.extra.push(escalationText(e));
      } else unmatched.push({ at, escalation: e });
    }

    const all = items.concat(unmatched).sort((x, y) => x.at - y.at);
    const list = $('#timeline');
    if (!all.length) {
      list.replaceChildren(el('li', { class: 'muted' }, '暂无记录'));
      return;
    }
    list.replaceChildren(...all.map(timelineItem));
  }

  function timelineItem(item) {
    if (item.levelEntry) {
      const h = item.levelEntry;
      return el(
        'li',
        { class: 'level-entry tl-system', style: { '--dot': fh.levelColor(h.level) } },
        el('div', { class: 'tl-head' }, el('span', { class: 'tl-kind' }, '级别'), fh.levelBadge(h.level), el('span', { class: 'tl-time' }, fh.fmtTime(h.at || h.eventTime))),
        h.reason ? el('div', { class: 'tl-body' }, h.reason) : null
      );
    }
    if (item.escalation) {
      const e = item.escalation;
      return el(
        'li',
        { class: 'escalation-entry tl-system', style: { '--dot': '#6d4c41' } },
        el('div', { class: 'tl-head' }, el('span', { class: 'tl-kind' }, '逐级上报'), el('span', { class: 'tl-time' }, fh.fmtTime(e.at))),
        el('div', { class: 'tl-body' }, escalationText(e))
      );
    }
    const act = item.act;
    const people = PEOPLE_ACTIONS.has(act.action);
    const level = act.level || item.level;
    const details = [];
    if (act.unit) details.push(`派往：${act.unit}`);
    if (act.note) details.push(act.note);
    // The job records APPLIED, or why it could not apply the action (e.g. the alert was already closed).
    if (act.outcome && act.outcome !== 'APPLIED') details.push(`未生效：${act.outcome}`);
    details.push(...item.extra);
    return el(
      'li',
      {
        class: 'action-entry' + (people ? '' : ' tl-system'),
        dataset: { action: act.action || '', actionId: act.actionId || '' },
        style: { '--dot': people ? '#1f5f99' : level ? fh.levelColor(level) : '#90a4ae' },
      },
      el(
        'div',
        { class: 'tl-head' },
        el('span', { class: 'tl-kind' }, fh.actionLabel(act.action)),
        level && !people ? fh.levelBadge(level) : null,
        act.status && people ? fh.statusBadge(act.status) : null,
        el('span', { class: 'tl-actor' }, people ? `${act.actor || '—'}${act.actorRole ? '（' + fh.roleLabel(act.actorRole) + '）' : ''}` : '系统'),
        el('span', { class: 'tl-time' }, fh.fmtTime(act.at))
      ),
      details.length ? el('div', { class: 'tl-body' }, details.join('\n')) : null
    );
  }

  // --- actions --------------------------------------------------------------------------------

  function renderActions(a) {
    const card = $('#action-card');
    const allowed = fh.canAct(state.session) && fh.isOpen(a.status);
    card.hidden = !allowed;
    if (!allowed) return;
    const ack = $('#action-ACKNOWLEDGE');
    ack.disabled = state.busy || a.status !== 'NEW';
    ack.title = a.status !== 'NEW' ? '已签收' : '';
    for (const id of ['#action-DISPATCH', '#action-RESOLVE', '#action-DISMISS', '#action-COMMENT']) $(id).disabled = state.busy;
  }

  function setStatus(text, s) {
    const node = $('#action-status');
    node.textContent = text;
    node.dataset.state = s || '';
  }

  function invalid(message, field) {
    setStatus(message, 'invalid');
    if (field) $(field).focus();
  }

  function buildRequest(action) {
    const note = $('#action-note').value.trim();
    if (action === 'COMMENT') {
      const comment = $('#comment-note').value.trim();
      if (!comment) return invalid('请填写备注内容', '#comment-note');
      if (comment.length > 500) return invalid('备注不能超过 500 字', '#comment-note');
      return { action, note: comment };
    }
    if (note.length > 500) return invalid('处置说明不能超过 500 字', '#action-note');
    if (action === 'DISMISS' && !note) return invalid('排除告警需要填写说明', '#action-note');
    const body = { action };
    if (note) body.note = note;
    if (action === 'DISPATCH') {
      const unit = $('#dispatch-unit').value.trim();
      if (!unit) return invalid('请填写派往单位', '#dispatch-unit');
      body.unit = unit;
    }
    return body;
  }

  function setBusy(busy) {
    state.busy = busy;
    if (state.detail) renderActions(state.detail.alert || {});
  }

  async function submit(action) {
    if (state.busy) return;
    const body = buildRequest(action);
    if (!body) return;
    setBusy(true);
    setStatus(`正在提交${fh.actionLabel(action)}…`, 'pending');
    try {
      const accepted = await fh.api(apiPath + '/actions', { method: 'POST', body });
      fh.clearError('action');
      setStatus('已提交', 'pending');
      if (action === 'COMMENT') $('#comment-note').value = '';
      else $('#action-note').value = '';
      await waitUntilApplied(accepted && accepted.actionId, action);
    } catch (err) {
      fh.showError(err, 'action');
      setStatus(`${fh.actionLabel(action)}失败：${err.message}`, 'invalid');
    } finally {
      setBusy(false);
    }
  }

  /** The action travels through Kafka before the alert shows it; poll until it does, so the page is never stale. */
  async function waitUntilApplied(actionId, action) {
    const deadline = Date.now() + POLL_LIMIT_MS;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const detail = await load();
      if (detail && actionId && (detail.actions || []).some((x) => x.actionId === actionId)) {
        setStatus(`已提交 · ${fh.actionLabel(action)}已生效`, 'done');
        return;
      }
    }
    setStatus('已提交 · 处理结果将在生效后自动刷新', 'pending');
  }

  function setupActions() {
    for (const button of document.querySelectorAll('#action-card button[data-action]')) {
      button.addEventListener('click', () => submit(button.dataset.action));
    }
    // One click on a usual unit fills the field: faster than typing at 3 a.m.
    const chips = Array.from(document.querySelectorAll('#dispatch-unit-options option')).map((o) =>
      el('button', { type: 'button', class: 'btn btn-small unit-chip', onclick: () => ($('#dispatch-unit').value = o.value) }, o.value)
    );
    $('#dispatch-suggestions').replaceChildren(...chips);
    $('#comment-note').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit('COMMENT');
    });
  }

  // --- map ------------------------------------------------------------------------------------

  /** The alert's own area among its siblings: a grid within its community, else a community within its street… */
  function mapTarget(region) {
    const r = region || {};
    if (r.grid && r.community) return { parent: r.community, code: r.grid };
    if (r.community && r.street) return { parent: r.street, code: r.community };
    if (r.street && r.district) return { parent: r.district, code: r.street };
    if (r.district) return { parent: '', code: r.district };
    return null;
  }

  function renderMap(a) {
    const target = mapTarget(a.region);
    const node = $('#detail-map');
    if (!target) {
      node.replaceChildren(el('div', { class: 'empty' }, '告警没有区域信息'));
      return;
    }
    const highlight = { code: target.code, level: a.level };
    const points = a.location ? [a] : [];
    if (state.map && state.map.target === target.code) {
      state.map.setHighlight(highlight);
      state.map.setAlerts(points);
      return;
    }
    state.map = fh.drawRegionMap(node, {
      root: { code: target.parent, name: fh.regionName(target.parent) },
      mode: 'highlight',
      highlight,
      drill: false,
      errorKey: 'detail-map',
    });
    state.map.target = target.code;
    state.map.ready.then(
      () => {
        state.map.setAlerts(points);
        $('#detail-map-caption').textContent = `${fh.regionName(target.code)}${a.location ? ' · 圆点为告警位置' : ''}`;
      },
      () => {}
    );
  }

  // -------------------------------------------------------------------------------------------
  // Start
  // -------------------------------------------------------------------------------------------

  function setLiveState(s) {
    const node = $('#live-status');
    node.dataset.state = s;
    node.textContent = s === 'open' ? '实时更新' : s === 'reconnecting' ? '重连中…' : '连接中…';
    if (s === 'open') document.body.dataset.live = 'true';
  }

  async function main() {
    if (!alertId) {
      fh.showError(new Error('缺少告警编号（alert.html?id=…）'), 'detail');
      $('#alert-title').textContent = '未指定告警';
      return;
    }
    try {
      state.session = await fh.initPage();
    } catch (err) {
      fh.showError(err, 'session');
      return;
    }
    setupActions();
    const reloadSoon = fh.debounce(load, 300);
    fh.openAlertStream({
      onAlert: (a) => {
        if (a.alertId === alertId) reloadSoon();
      },
      onState: setLiveState,
      onReopen: reloadSoon,
    });
    await load();
    document.body.dataset.ready = 'true';
    // Names make the region line readable; re-render once they are known.
    fh.loadRegionNames().then(() => state.detail && render(state.detail));
  }

  main();
})();
