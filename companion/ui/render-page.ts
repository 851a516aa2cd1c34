import { APP_VERSION } from '../../shared/version.js';

/** The web UI's HTML shell: the Preact app (companion/ui/app) renders into #root. No inline script or style. */
export function renderPage({ script, style }: { script: string; style: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Bookrelay</title>
<link rel="stylesheet" href="${style}">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="root"><noscript>Bookrelay's web UI needs JavaScript.</noscript></div>
<footer class="app-footer">Bookrelay ${APP_VERSION}</footer>
</body>
</html>`;
}
