// The image's HEALTHCHECK: healthy only on a 2xx from /api/health within 4 s. A 401, a 500, a refused connection or
// a timeout all exit 1 (CWA-BD's `curl -s` counted any answer as healthy). Same port rule as the companion:
// PORT, else CWA-BD's FLASK_PORT, else 8084; a wildcard listen address is checked on loopback.
const port = process.env.PORT?.trim() || process.env.FLASK_PORT?.trim() || '8084';
const listen = process.env.HOST?.trim() || process.env.FLASK_HOST?.trim() || '0.0.0.0';
const host = ['0.0.0.0', '::', '[::]', ''].includes(listen)
  ? '127.0.0.1'
  : listen.includes(':')
    ? `[${listen}]`
    : listen;
const url = `http://${host}:${port}/api/health`;

try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (res.status >= 200 && res.status < 300) process.exit(0);
  process.stderr.write(`unhealthy: ${url} answered ${res.status}\n`);
} catch (err) {
  process.stderr.write(`unhealthy: ${url}: ${err instanceof Error ? err.message : String(err)}\n`);
}
process.exit(1);
