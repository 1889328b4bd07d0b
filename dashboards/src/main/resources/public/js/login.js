/* 登录: POST /api/session, then back to where the user was sent from. */
'use strict';

(() => {
  const fh = window.fenghuo;
  const form = fh.$('#login-form');
  const button = fh.$('#login-button');
  const message = fh.$('#login-error');

  /** Only a same-origin path may be a target: `next` comes from the URL and must not send the user elsewhere. */
  function nextTarget() {
    const next = new URLSearchParams(location.search).get('next');
    if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
    try {
      const url = new URL(next, location.origin);
      if (url.origin !== location.origin || url.pathname === '/login.html') return '/';
      return url.pathname + url.search + url.hash;
    } catch (_) {
      return '/';
    }
  }

  function showMessage(text) {
    message.textContent = text;
  }

  let retryTimer = null;
  /** After 429 the button stays disabled for Retry-After seconds, counting down, so nobody hammers it. */
  function lockFor(seconds, text) {
    clearInterval(retryTimer);
    let left = Math.max(1, Math.ceil(seconds));
    button.disabled = true;
    const tick = () => {
      if (left <= 0) {
        clearInterval(retryTimer);
        button.disabled = false;
        button.textContent = '登录';
        return;
      }
      button.textContent = `请 ${left} 秒后重试`;
      left -= 1;
    };
    showMessage(text);
    tick();
    retryTimer = setInterval(tick, 1000);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = fh.$('#username').value.trim();
    const password = fh.$('#password').value;
    if (!username || !password) {
      showMessage('请输入用户名和密码');
      return;
    }
    showMessage('');
    button.disabled = true;
    button.textContent = '登录中…';
    try {
      await fh.api('/api/session', { method: 'POST', body: { username, password }, noRedirect: true });
      location.assign(nextTarget());
    } catch (err) {
      button.disabled = false;
      button.textContent = '登录';
      const text = err.message || '登录失败';
      if (err.status === 429 && err.retryAfter && Number(err.retryAfter) > 0) {
        lockFor(Number(err.retryAfter), text);
      } else {
        showMessage(text);
      }
      fh.$('#password').select();
    }
  });
})();
