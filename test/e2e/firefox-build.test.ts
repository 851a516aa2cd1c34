import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { assertBuilt, chromeBuildDir, firefoxBuildDir, repoRoot } from '../helpers/launch-extension.js';

interface Manifest {
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  icons?: Record<string, string>;
  action?: { default_title?: string; default_icon?: Record<string, string> };
  content_security_policy?: { extension_pages?: string };
  content_scripts?: { matches?: string[] }[];
  browser_specific_settings?: { gecko?: { id?: string; data_collection_permissions?: { required?: string[] } } };
}

interface LintMessage {
  code: string;
  message: string;
  file?: string;
}

interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
}

const readManifest = (dir: string): Manifest => {
  assertBuilt(dir);
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
};

/** Width and height from a PNG's IHDR chunk (bytes 16–23). */
function readPngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const BROAD_PATTERNS = ['<all_urls>', '*://*/*', 'http://*/*', 'https://*/*'];

describe('Firefox MV3 build', () => {
  it('passes web-ext lint with no errors', async () => {
    assertBuilt(firefoxBuildDir);
    const webExt = path.join(repoRoot, 'node_modules/web-ext/bin/web-ext.js');
    // web-ext exits non-zero when it finds errors; the JSON report is on stdout either way.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [webExt, 'lint', '--source-dir', firefoxBuildDir, '--output', 'json', '--no-config-discovery'],
      { cwd: repoRoot, maxBuffer: 10 * 1024 * 1024, env: { ...process.env, WEB_EXT_NO_UPDATE_CHECK: 'true' } },
    ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(stdout) as LintReport;
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
    // Nothing about the manifest itself (the one known warning is Preact's innerHTML support in its runtime chunk).
    expect(report.warnings.filter((w) => w.file === 'manifest.json')).toEqual([]);
  });

  it('has a gecko id, declares no data collection and keeps http:// companion calls as they are', () => {
    const manifest = readManifest(firefoxBuildDir);
    expect(manifest.browser_specific_settings?.gecko?.id).toBe('bookrelay@bookrelay.invalid');
    expect(manifest.browser_specific_settings?.gecko?.data_collection_permissions).toEqual({ required: ['none'] });
    const csp = manifest.content_security_policy?.extension_pages ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/upgrade-insecure-requests/i);
  });
});

describe('least-privilege manifests', () => {
  it.each([
    ['Chrome', chromeBuildDir],
    ['Firefox', firefoxBuildDir],
  ])('%s: loopback host access at install, everything else optional and asked at run time', (_name, dir) => {
    const manifest = readManifest(dir);
    expect(manifest.host_permissions).toEqual(expect.arrayContaining(['http://127.0.0.1/*', 'http://localhost/*']));
    // Book-site hosts may be added by content scripts; nothing as broad as "all your data on all websites".
    for (const pattern of manifest.host_permissions ?? []) expect(BROAD_PATTERNS).not.toContain(pattern);
    expect(manifest.optional_host_permissions).toEqual(['*://*/*']);
    expect(manifest.permissions).not.toEqual(expect.arrayContaining(['<all_urls>']));
    // Content scripts only run on the book sites they name.
    for (const script of manifest.content_scripts ?? []) {
      for (const pattern of script.matches ?? []) expect(BROAD_PATTERNS).not.toContain(pattern);
    }
  });

  it('the Chrome build carries no Firefox-only keys', () => {
    const manifest = readManifest(chromeBuildDir);
    expect(manifest.browser_specific_settings).toBeUndefined();
    expect(manifest.content_security_policy).toBeUndefined();
  });

  it.each([
    ['Chrome', chromeBuildDir],
    ['Firefox', firefoxBuildDir],
  ])('%s: icons at 16, 32, 48, 96 and 128 px, each the size it claims', (_name, dir) => {
    const manifest = readManifest(dir);
    expect(manifest.action?.default_title).toBe('Bookrelay');
    expect(Object.keys(manifest.icons ?? {}).map(Number)).toEqual([16, 32, 48, 96, 128]);
    const icons = { ...manifest.icons, ...manifest.action?.default_icon };
    for (const [size, file] of Object.entries(icons)) {
      expect(readPngSize(path.join(dir, file))).toEqual({ width: Number(size), height: Number(size) });
    }
  });
});
