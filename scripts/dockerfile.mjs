// A small reader for this project's Dockerfile: stages with their instructions, and the environment a target's
// container starts with. Used by scripts/try-container.mjs and the Dockerfile's invariants test.
import { readFileSync } from 'node:fs';

/** @typedef {{ keyword: string, args: string }} Instruction */
/** @typedef {{ name: string, from: string, instructions: Instruction[] }} Stage */

/** Joins `\` continuations, drops comments and the parser directive, splits into instructions. */
export function parseInstructions(text) {
  const lines = text.split('\n');
  /** @type {Instruction[]} */
  const out = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (!current && (line.trim().startsWith('#') || !line.trim())) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    current += line.trim();
    const [keyword, ...rest] = current.split(/\s+/);
    out.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
    current = '';
  }
  return out;
}

/** @returns {{ args: Record<string, string>, stages: Stage[] }} */
export function parseDockerfile(text) {
  const args = {};
  /** @type {Stage[]} */
  const stages = [];
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name, value = ''] = instruction.args.split('=');
      args[name] = value;
    } else if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`Cannot read FROM ${instruction.args}`);
      stages.push({ name: match[2] ?? String(stages.length), from: match[1], instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1).instructions.push(instruction);
    }
  }
  return { args, stages };
}

export function readDockerfile(file = 'Dockerfile') {
  return parseDockerfile(readFileSync(file, 'utf8'));
}

/** The chain of stages a target is built on, base first (`default` → full → lite). */
export function stageChain(dockerfile, target) {
  const chain = [];
  let stage = dockerfile.stages.find((s) => s.name === target);
  while (stage) {
    chain.unshift(stage);
    stage = dockerfile.stages.find((s) => s.name === stage.from);
  }
  if (chain.length === 0) throw new Error(`No stage ${target} in the Dockerfile`);
  return chain;
}

/** `ENV A=1 B="two words"` → { A: '1', B: 'two words' }. */
function parseEnvArgs(args) {
  const env = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) {
    env[match[1]] = match[3] ?? match[2];
  }
  return env;
}

/** What a target's container starts with: its environment (ENV of every stage in the chain), entrypoint and command. */
export function containerOf(dockerfile, target) {
  const env = {};
  let entrypoint = [];
  let cmd = [];
  let workdir = '/';
  for (const stage of stageChain(dockerfile, target)) {
    for (const { keyword, args } of stage.instructions) {
      if (keyword === 'ENV') Object.assign(env, parseEnvArgs(args));
      if (keyword === 'ENTRYPOINT') entrypoint = JSON.parse(args);
      if (keyword === 'CMD') cmd = JSON.parse(args);
      if (keyword === 'WORKDIR') workdir = args;
    }
  }
  return { env, entrypoint, cmd, workdir };
}
