// `npm test`: builds the companion and both extension builds, then runs every vitest project (companion, extension,
// e2e in Chromium) and ends with the plain line "N passed, N failed" that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  process.stderr.write(
    `Chromium not found at ${chromium}. The extension and bypass tests need it: install Debian's "chromium" package ` +
      '(apt-get install -y chromium) or set CHROMIUM_PATH.\n',
  );
  process.exit(1);
}
const firefox = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
if (!existsSync(firefox)) {
  process.stderr.write(
    `Firefox not found at ${firefox}. The Firefox build's e2e test needs it: install Debian's "firefox-esr" package ` +
      '(apt-get install -y firefox-esr) or set FIREFOX_PATH.\n',
  );
  process.exit(1);
}

// `npm test` runs this through scripts/node24.mjs: say which Node that was, so a CI log shows it.
process.stdout.write(`Tests run on Node ${process.versions.node} (${process.execPath})\n`);

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

for (const script of ['build:companion', 'build:ext', 'build:ext:firefox']) {
  if (run('npm', ['run', '--silent', script]) !== 0) process.exit(1);
}

const report = '.vitest-report.json';
rmSync(report, { force: true });
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);
if (!existsSync(report)) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(status || 1);
}
const r = JSON.parse(readFileSync(report, 'utf8'));
// A suite that fails to load counts as a failure even though none of its tests ran.
const failed = r.numFailedTests > 0 ? r.numFailedTests : status === 0 ? 0 : Math.max(1, r.numFailedTestSuites ?? 0);
process.stdout.write(`${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped\n`);
process.exit(status);
