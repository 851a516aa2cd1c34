import { APP_VERSION } from '../../shared/version.js';

const styles = `
  :root { font-family: system-ui, sans-serif; color-scheme: light dark; }
  body { max-width: 60rem; margin: 0 auto; padding: 1rem; }
  header { display: flex; justify-content: space-between; align-items: center; }
  ul { list-style: none; padding: 0; }
  .row { display: flex; justify-content: space-between; gap: 1rem; align-items: center; padding: .5rem 0; border-bottom: 1px solid #8884; }
  .muted { opacity: .7; font-size: .9em; }
  .error, .message.error { color: #c0392b; }
  progress { width: 100%; }
  .row > div:first-child { flex: 1; min-width: 0; }
  section { margin-top: 1.5rem; }
  input { padding: .3rem; }
  code, #pair-code, #new-token { font-family: ui-monospace, monospace; word-break: break-all; }
`;

/** The companion's small web UI: search, queue with live progress, API tokens and extension pairing. */
export function renderPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bookrelay</title>
<style>${styles}</style>
</head>
<body>
<header><h1>Bookrelay</h1><button id="logout" hidden>Sign out</button></header>
<p id="message" class="message" role="status"></p>
<p id="health" class="message error" role="alert" hidden></p>
<section id="login" hidden>
  <h2>Sign in</h2>
  <form id="login-form">
    <input id="username" autocomplete="username" placeholder="User" required>
    <input id="password" type="password" autocomplete="current-password" placeholder="Password" required>
    <button>Sign in</button>
  </form>
  <p id="login-error" class="error"></p>
</section>
<main id="app" hidden>
  <section>
    <h2>Search Anna’s Archive</h2>
    <form id="search-form"><input id="query" type="search" placeholder="Title, author or ISBN" required size="40"> <button>Search</button></form>
    <ul id="results"></ul>
  </section>
  <section><h2>Queue</h2><ul id="queue"></ul></section>
  <section>
    <h2>Browser extension</h2>
    <p>Pair the extension with a one-time code: <button id="pair">Show a pairing code</button> <strong id="pair-code"></strong></p>
  </section>
  <section>
    <h2>Protected sites</h2>
    <p class="muted">How the companion last got past each site's bot wall (cookie values are never shown).</p>
    <ul id="sites"></ul>
  </section>
  <section id="account">
    <h2>Password</h2>
    <form id="password-form">
      <input id="current-password" type="password" autocomplete="current-password" placeholder="Current password" required>
      <input id="new-password" type="password" autocomplete="new-password" placeholder="New password (8+ characters)" minlength="8" required>
      <button>Change password</button>
    </form>
  </section>
  <section>
    <h2>API tokens</h2>
    <form id="token-form"><input id="token-name" placeholder="Token name, e.g. cron" required> <button>Create token</button></form>
    <p id="new-token"></p>
    <ul id="tokens"></ul>
  </section>
</main>
<footer class="muted">Bookrelay ${APP_VERSION}</footer>
<script type="module" src="ui.js"></script>
</body>
</html>`;
}
