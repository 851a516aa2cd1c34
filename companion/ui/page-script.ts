/**
 * The web UI's browser script, kept as a string so the companion bundle serves it without a build step of its own.
 * Everything scraped (titles, authors) is put on the page with textContent, never as HTML.
 */
export const pageScript = String.raw`
const $ = (sel) => document.querySelector(sel);
const state = { csrf: '', items: new Map(), prefix: location.pathname.startsWith('/request') ? '/request/api' : '/api' };

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

async function api(path, init = {}) {
  const headers = { 'X-Bookrelay-Protocol': '1', ...(init.headers || {}) };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (state.csrf && init.method && init.method !== 'GET') headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(state.prefix + path, { credentials: 'same-origin', ...init, headers });
  if (res.status === 401) { showLogin(); throw new Error('Please sign in'); }
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : undefined;
  if (!res.ok) throw new Error(body?.error || res.statusText);
  return body;
}

function notify(message, isError = false) {
  const box = $('#message');
  box.textContent = message;
  box.className = isError ? 'message error' : 'message';
}

// A problem the service reports in /health (a full disk) stays on screen until it is gone.
async function checkHealth() {
  try {
    const res = await fetch(state.prefix + '/health', { credentials: 'same-origin' });
    const problems = (await res.json()).problems || [];
    $('#health').textContent = problems.map((p) => p.message).join(' ');
    $('#health').hidden = problems.length === 0;
  } catch {}
}

function showLogin() {
  $('#login').hidden = false;
  $('#app').hidden = true;
}

async function boot() {
  try {
    const check = await api('/auth/check');
    state.csrf = check.csrfToken || '';
    $('#login').hidden = true;
    $('#app').hidden = false;
    $('#logout').hidden = !check.auth_required;
    $('#account').hidden = !check.csrfToken;
    connectEvents();
    checkHealth();
    setInterval(checkHealth, 10000);
    loadTokens();
    loadSites();
  } catch {}
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const res = await fetch(state.prefix + '/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: $('#username').value, password: $('#password').value }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error);
    $('#password').value = '';
    await boot();
  } catch (err) { $('#login-error').textContent = err.message; }
});

$('#logout').addEventListener('click', async () => {
  await api('/auth/logout', { method: 'POST', body: '{}' }).catch(() => {});
  location.reload();
});

$('#search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const list = $('#results');
  list.replaceChildren(el('li', { class: 'muted' }, 'Searching…'));
  try {
    const books = await api('/search?query=' + encodeURIComponent($('#query').value));
    list.replaceChildren(...(books.length ? books.map(resultRow) : [el('li', { class: 'muted' }, 'No books found.')]));
  } catch (err) { list.replaceChildren(el('li', { class: 'error' }, err.message)); }
});

function resultRow(book) {
  const meta = [book.author, book.year, book.language, (book.format || '').toUpperCase(), book.size].filter(Boolean).join(' · ');
  const button = el('button', { onclick: async () => {
    button.disabled = true;
    try { await api('/download?id=' + book.id); notify('Queued: ' + book.title); }
    catch (err) { notify(err.message, true); button.disabled = false; }
  } }, 'Send to library');
  return el('li', { class: 'row' }, el('div', {}, el('strong', {}, book.title), el('div', { class: 'muted' }, meta)), button);
}

function connectEvents() {
  const source = new EventSource(state.prefix + '/events');
  const apply = (item) => { state.items.set(item.id, item); renderQueue(); };
  source.addEventListener('snapshot', (e) => { state.items = new Map(JSON.parse(e.data).items.map((i) => [i.id, i])); renderQueue(); });
  source.addEventListener('item', (e) => apply(JSON.parse(e.data).item));
  source.addEventListener('removed', (e) => { for (const id of JSON.parse(e.data).ids) state.items.delete(id); renderQueue(); });
  source.addEventListener('progress', (e) => {
    const p = JSON.parse(e.data);
    const item = state.items.get(p.id);
    if (item) apply({ ...item, progress: p.progress, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal });
  });
  source.onerror = () => notify('Lost the connection to the companion; retrying…', true);
  source.onopen = () => notify('');
}

function renderQueue() {
  const rows = [...state.items.values()].sort((a, b) => a.priority - b.priority || a.addedAtMs - b.addedAtMs);
  $('#queue').replaceChildren(...(rows.length ? rows.map(queueRow) : [el('li', { class: 'muted' }, 'Nothing queued.')]));
}

function queueRow(item) {
  const pct = item.progress == null ? '' : Math.floor(item.progress) + '%';
  const detail = item.error || item.statusMessage || '';
  const actions = [];
  if (item.status === 'queued' || item.status === 'downloading') {
    actions.push(el('button', { onclick: () => api('/download/' + item.id + '/cancel', { method: 'DELETE' }).catch((e) => notify(e.message, true)) }, 'Cancel'));
  }
  if (item.status === 'available') actions.push(el('a', { href: state.prefix + '/localdownload?id=' + item.id }, 'Download file'));
  return el('li', { class: 'row status-' + item.status },
    el('div', {}, el('strong', {}, item.title), el('div', { class: 'muted' }, item.status + (pct ? ' · ' + pct : '') + (detail ? ' · ' + detail : '')),
      el('progress', { max: '100', value: String(item.progress ?? 0) })),
    el('div', {}, ...actions));
}

async function loadSites() {
  try {
    const { sites } = await api('/clearance');
    const when = (ms) => (ms ? new Date(ms).toLocaleString() : 'never');
    $('#sites').replaceChildren(...(sites.length ? sites.map((s) => el('li', { class: 'row' },
      el('div', {}, el('strong', {}, s.site), el('div', { class: 'muted' },
        (s.hasClearance ? 'clearance from ' + s.source + ', expires ' + when(s.expiresAtMs) : 'no clearance') +
        ' · last solved by ' + (s.lastPath || 'nothing yet') + ' (' + when(s.lastSuccessAtMs) + ')' +
        (s.lastPurgeReason ? ' · last dropped: ' + s.lastPurgeReason : ''))))) : [el('li', { class: 'muted' }, 'No site has challenged the companion yet.')]));
  } catch (err) { notify(err.message, true); }
}

async function loadTokens() {
  try {
    const { tokens } = await api('/auth/tokens');
    $('#tokens').replaceChildren(...tokens.map((t) => el('li', { class: 'row' },
      el('div', {}, el('strong', {}, t.name), el('div', { class: 'muted' }, t.kind + ' · …' + t.hint + (t.lastUsedAtMs ? ' · last used ' + new Date(t.lastUsedAtMs).toLocaleString() : ''))),
      el('button', { onclick: async () => { await api('/auth/tokens/' + t.id, { method: 'DELETE' }); loadTokens(); } }, 'Revoke'))));
  } catch (err) { notify(err.message, true); }
}

$('#token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const created = await api('/auth/tokens', { method: 'POST', body: JSON.stringify({ name: $('#token-name').value }) });
    $('#new-token').textContent = 'New token (shown once): ' + created.token;
    $('#token-name').value = '';
    loadTokens();
  } catch (err) { notify(err.message, true); }
});

$('#password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const answer = await api('/auth/password', {
      method: 'POST',
      body: JSON.stringify({ currentPassword: $('#current-password').value, newPassword: $('#new-password').value }),
    });
    if (answer.csrfToken) state.csrf = answer.csrfToken;
    $('#current-password').value = '';
    $('#new-password').value = '';
    notify('Password changed; other sessions were signed out.');
  } catch (err) { notify(err.message, true); }
});

$('#pair').addEventListener('click', async () => {
  try {
    const { code, expiresAtMs } = await api('/auth/pairing-codes', { method: 'POST', body: '{}' });
    $('#pair-code').textContent = code + ' (valid until ' + new Date(expiresAtMs).toLocaleTimeString() + ')';
  } catch (err) { notify(err.message, true); }
});

boot();
`;
