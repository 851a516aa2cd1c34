import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs script without type declarations
import { containerOf, readDockerfile, stageChain } from '../../scripts/dockerfile.mjs';

// No Docker engine here: these are the Dockerfile's and the compose files' promises, read from the files themselves.
interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}
const dockerfile = readDockerfile('Dockerfile') as { args: Record<string, string>; stages: Stage[] };
const stage = (name: string) => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
const runs = (name: string) =>
  stage(name)
    .instructions.filter((i) => i.keyword === 'RUN')
    .map((i) => i.args)
    .join('\n');
const chainRuns = (target: string) => (stageChain(dockerfile, target) as Stage[]).map((s) => runs(s.name)).join('\n');
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

describe('Dockerfile', () => {
  it('builds on Node 24 slim, in stages: build, lite, full, tor, and full as the default (last) image', () => {
    expect(dockerfile.args.NODE_IMAGE).toMatch(/^node:24-[a-z]+-slim$/);
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'lite', 'full', 'tor', 'default']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile / shell syntax, not a template
    expect(stage('build').from).toBe('${NODE_IMAGE}');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile / shell syntax, not a template
    expect(stage('lite').from).toBe('${NODE_IMAGE}');
    expect(stage('full').from).toBe('lite');
    expect(stage('tor').from).toBe('full');
    expect(stage('default').from).toBe('full');
  });

  it('runs the same install and build commands as CI, and `npm run build` covers what `npm test` builds', () => {
    const ci = readFileSync('.ci/run', 'utf8');
    const ciInstall = /^npm ci.*$/m.exec(ci)?.[0];
    expect(ciInstall).toBeDefined();
    expect(runs('build')).toContain(ciInstall);
    expect(runs('build')).toMatch(/^npm run build$/m);
    const testBuilds = [...readFileSync('scripts/run-tests.mjs', 'utf8').matchAll(/'(build:[a-z:]+)'/g)].map(
      (m) => m[1],
    );
    expect(testBuilds.length).toBeGreaterThan(0);
    expect(packageJson.scripts.build).toBe(testBuilds.map((script) => `npm run ${script}`).join(' && '));
    expect(runs('build')).toContain('npm run zip');
  });

  it('ships only production modules and built output in the runtime stages, and no registry Node', () => {
    expect(runs('build')).toMatch(/npm prune --omit=dev/);
    expect(runs('build')).toMatch(/rm -rf node_modules\/node-linux-\*/);
    const copies = stage('lite').instructions.filter((i) => i.keyword === 'COPY');
    for (const copy of copies) {
      expect(copy.args, 'runtime copies come from the build stage or docker/').toMatch(/^--from=build |^docker\//);
    }
    const fromBuild = copies.filter((c) => c.args.startsWith('--from=build')).map((c) => c.args);
    expect(fromBuild.join('\n')).toMatch(/\/app\/node_modules/);
    expect(fromBuild.join('\n')).toMatch(/\/app\/dist/);
    expect(fromBuild.join('\n')).toMatch(/\/app\/\.output/);
    expect(fromBuild.join('\n')).not.toMatch(/\/app\/(companion|extension|test|shared)\b/);
  });

  it('the bundle leaves out only packages a production install keeps (npm prune --omit=dev)', () => {
    const externals = /external: \[([^\]]*)\]/.exec(readFileSync('scripts/build-companion.mjs', 'utf8'))?.[1] ?? '';
    const names = [...externals.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
    expect(names).toContain('better-sqlite3');
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
    };
    for (const name of names) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, name).toBeDefined();
      expect(entry?.dev ?? false, `${name} is dev-only`).toBe(false);
    }
  });

  it('has Chromium in the default image, none in lite, and tor only in the tor target', () => {
    expect(runs('lite')).not.toMatch(/chromium/);
    expect(chainRuns('default')).toMatch(/\bchromium\b/);
    expect(chainRuns('default')).not.toMatch(/\btor\b/);
    expect(runs('tor')).toMatch(/install [^\n]*\btor\b/);
    expect(containerOf(dockerfile, 'tor').env.USING_TOR).toBe('true');
    expect(containerOf(dockerfile, 'lite').env.USE_CF_BYPASS).toBe('false');
    expect(containerOf(dockerfile, 'default').env.CHROMIUM_PATH).toBe('/usr/bin/chromium');
  });

  it('fetches nothing arch-specific (amd64 and arm64 build from the same file)', () => {
    // The instructions only: the header comment names the two platforms.
    const text = dockerfile.stages.flatMap((s) => s.instructions.map((i) => `${i.keyword} ${i.args}`)).join('\n');
    expect(text).not.toMatch(/\b(curl|wget)\b/);
    expect(text).not.toMatch(/amd64|x86_64|aarch64|arm64\.|linux-x64|linux-arm64/);
  });

  it('starts through tini and the entrypoint, which drops root for PUID/PGID; no HOST/PORT to shadow FLASK_*', () => {
    for (const target of ['lite', 'default', 'tor']) {
      const container = containerOf(dockerfile, target);
      expect(container.entrypoint).toEqual(['/usr/bin/tini', '--', '/usr/local/bin/bookrelay-entrypoint']);
      expect(container.cmd).toEqual(['node', 'dist/server.js']);
      expect(container.env.PORT).toBeUndefined();
      expect(container.env.HOST).toBeUndefined();
      expect(container.env.DATA_DIR).toBeUndefined(); // the entrypoint picks /config, or an older image's /data
    }
    // No USER: the entrypoint needs root for one thing, fixing the volumes' owner, then switches.
    expect(dockerfile.stages.flatMap((s) => s.instructions).some((i) => i.keyword === 'USER')).toBe(false);
    const entrypoint = readFileSync('docker/entrypoint.sh', 'utf8');
    expect(entrypoint.split('\n')[0]).toBe('#!/bin/sh');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile / shell syntax, not a template
    expect(entrypoint).toContain('PUID="${PUID:-${UID:-1000}}"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile / shell syntax, not a template
    expect(entrypoint).toContain('PGID="${PGID:-${GID:-1000}}"');
    expect(entrypoint).toMatch(/exec setpriv --reuid="\$PUID" --regid="\$PGID" --clear-groups -- "\$@"/);
  });

  it('declares the volumes, the port, a HEALTHCHECK through the shipped script, and SIGTERM', () => {
    const lite = stage('lite').instructions;
    const find = (keyword: string) => lite.find((i) => i.keyword === keyword)?.args;
    expect(JSON.parse(find('VOLUME') ?? '[]')).toEqual(['/config', '/cwa-book-ingest']);
    expect(find('EXPOSE')).toBe('8084');
    expect(find('HEALTHCHECK')).toMatch(/CMD \["node", "\/usr\/local\/lib\/bookrelay\/healthcheck\.mjs"\]$/);
    expect(find('STOPSIGNAL')).toBe('SIGTERM');
    const copies = lite.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toContain('docker/healthcheck.mjs /usr/local/lib/bookrelay/healthcheck.mjs');
    expect(copies).toContain('docker/entrypoint.sh /usr/local/bin/bookrelay-entrypoint');
  });
});

describe('compose files', () => {
  const compose = readFileSync('docker-compose.yml', 'utf8');
  const flaresolverr = readFileSync('docker-compose.flaresolverr.yml', 'utf8');

  it("keep CWA-BD's service name, port and volumes, so a switch is changing the image line", () => {
    for (const file of [compose, flaresolverr]) {
      expect(file).toMatch(/^services:\n {2}calibre-web-automated-book-downloader:\n/m);
      expect(file).toMatch(/^ {4}container_name: calibre-web-automated-book-downloader$/m);
      expect(file).toMatch(/^ {6}- 8084:8084$/m);
      expect(file).toMatch(/^ {6}- \.\/ingest:\/cwa-book-ingest\b/m);
      expect(file).toMatch(/^ {6}- \.\/config:\/config\b/m);
      expect(file).toMatch(/^ {6}PUID: 1000$/m);
      expect(file).toMatch(/^ {4}stop_grace_period: 30s$/m);
    }
  });

  it('the FlareSolverr variant builds the lite target and points the external bypasser at its service', () => {
    expect(flaresolverr).toMatch(/^ {6}target: lite$/m);
    expect(flaresolverr).toMatch(/^ {6}USING_EXTERNAL_BYPASSER: true$/m);
    expect(flaresolverr).toMatch(/^ {6}EXT_BYPASSER_URL: http:\/\/flaresolverr:8191$/m);
    expect(flaresolverr).toMatch(/^ {2}flaresolverr:\n {4}image: ghcr\.io\/flaresolverr\/flaresolverr:/m);
    expect(flaresolverr).toMatch(/byparr/i);
  });
});
