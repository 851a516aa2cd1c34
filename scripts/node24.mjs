// Runs the project on Node 24 LTS whatever Node started npm (any Node >= 20 can run `npm install && npm start`).
//
//   node scripts/node24.mjs setup              postinstall: better-sqlite3 built for Node 24's ABI, then `wxt prepare`
//   node scripts/node24.mjs <file.mjs> [args]  runs a script on Node 24
//   node scripts/node24.mjs <command> [args]   runs a command (a node_modules/.bin tool, npm) with Node 24 first on PATH
//   node scripts/node24.mjs --bin-dir          prints the folder of Node 24's `node`, for `PATH=...:$PATH`
//
// Which Node: the one running this script when it is 24 or newer (the Docker image, a machine with Node 24);
// otherwise the `node-<platform>-<arch>` package that npm installed from the registry (optionalDependencies).
// better-sqlite3 13 ships Node-API prebuilds for Node >= 22 (Node 20 crashes loading them): setup checks that it
// loads on the chosen Node, and only if not compiles it against that Node's own headers (`--nodedir`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN_MAJOR = 24;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  process.stderr.write(`Bookrelay: ${message}\n`);
  process.exit(1);
}

/** The Node binary the project runs on, or undefined. */
export function findNode() {
  if (Number(process.versions.node.split('.')[0]) >= MIN_MAJOR) return process.execPath;
  // Not there when the registry has no package for this platform or optional dependencies were omitted.
  const binary = path.join(root, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node');
  return existsSync(binary) ? binary : undefined;
}

function requireNode() {
  const node = findNode();
  if (node) return node;
  return fail(
    `Node ${MIN_MAJOR} or newer is needed (this is Node ${process.versions.node}) and npm installed no ` +
      `node-${process.platform}-${process.arch} package for this machine. Install Node ${MIN_MAJOR} LTS and run npm install again.`,
  );
}

/** Node's headers sit beside its binary (<prefix>/bin/node, <prefix>/include/node); node-gyp compiles against them. */
function nodeDirOf(node) {
  const prefix = path.resolve(path.dirname(node), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function envFor(node) {
  const dirs = [path.dirname(node), path.join(root, 'node_modules', '.bin'), process.env.PATH ?? ''];
  const env = { ...process.env, PATH: dirs.join(path.delimiter) };
  const nodeDir = nodeDirOf(node);
  if (nodeDir) env.npm_config_nodedir = nodeDir;
  return env;
}

function sqliteLoads(node) {
  const probe = "const D=require('better-sqlite3');new D(':memory:').prepare('select 1').get()";
  return spawnSync(node, ['-e', probe], { cwd: root, stdio: 'ignore' }).status === 0;
}

function nodeGypScript() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) {
    candidates.push(path.resolve(path.dirname(process.env.npm_execpath), '../node_modules/node-gyp/bin/node-gyp.js'));
  }
  candidates.push(path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((file) => file && existsSync(file));
}

function buildSqlite(node) {
  const pkgDir = path.join(root, 'node_modules', 'better-sqlite3');
  if (!existsSync(pkgDir)) return; // not installed (nothing to build)
  if (sqliteLoads(node)) return;
  const gyp = nodeGypScript();
  if (!gyp) fail('cannot find node-gyp to build better-sqlite3 (run this through npm: npm install).');
  const nodeDir = nodeDirOf(node);
  process.stdout.write(`Bookrelay: building better-sqlite3 for Node ${nodeVersion(node)} (a minute or two)…\n`);
  const args = [gyp, 'rebuild', '--release', ...(nodeDir ? [`--nodedir=${nodeDir}`] : [])];
  const result = spawnSync(node, args, { cwd: pkgDir, env: envFor(node), stdio: 'inherit' });
  if (result.status !== 0 || !sqliteLoads(node)) fail(`better-sqlite3 did not build for Node ${nodeVersion(node)}.`);
}

function nodeVersion(node) {
  if (node === process.execPath) return process.versions.node;
  return spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
}

function setup() {
  const node = requireNode();
  buildSqlite(node);
  const wxt = path.join(root, 'node_modules', 'wxt', 'bin', 'wxt.mjs');
  if (!existsSync(wxt)) return; // a production install (--omit=dev) has no wxt and needs no .wxt/
  const result = spawnSync(node, [wxt, 'prepare'], { cwd: root, env: envFor(node), stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function run(args) {
  const node = requireNode();
  const isScript = /\.(m|c)?js$/.test(args[0]);
  const [command, commandArgs] = isScript ? [node, args] : [args[0], args.slice(1)];
  const child = spawn(command, commandArgs, { env: envFor(node), stdio: 'inherit' });
  // The child gets its own copy of Ctrl-C from the terminal; a signal sent to this process alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (err) => fail(`cannot run ${command}: ${err.message}`));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
}

const [first, ...rest] = process.argv.slice(2);
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!first) fail('usage: node scripts/node24.mjs setup | --bin-dir | <script.mjs|command> [args…]');
  else if (first === 'setup') setup();
  else if (first === '--bin-dir') process.stdout.write(`${path.dirname(requireNode())}\n`);
  else run([first, ...rest]);
}
