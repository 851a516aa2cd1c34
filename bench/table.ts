// The one table `npm run bench` prints, and bench/results/latest.json. A figure with a goal is `met` or `missed`
// against that goal as the issue states it; a figure without one (context) leaves both columns empty.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchRow {
  figure: string;
  ours: string;
  baseline: string;
  ratio: string;
  goal: string;
  verdict: '' | 'met' | 'missed';
  /** Raw numbers for the JSON file. */
  values?: Record<string, number>;
}

export type AddRow = (row: Omit<BenchRow, 'verdict'> & { met?: boolean }) => void;

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export function createTable() {
  const rows: BenchRow[] = [];
  const add: AddRow = ({ met, ...row }) =>
    rows.push({ ...row, verdict: met === undefined ? '' : met ? 'met' : 'missed' });
  return {
    rows,
    add,
    print(write: (line: string) => void = console.log) {
      const head = ['figure', 'ours', 'baseline', 'ratio', 'goal', 'met/missed'];
      const cells = rows.map((r) => [r.figure, r.ours, r.baseline, r.ratio, r.goal, r.verdict]);
      const widths = head.map((_, i) => Math.max(...[head, ...cells].map((c) => (c[i] ?? '').length)));
      for (const line of [head, ...cells]) write(line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
    },
    save(file = 'bench/results/latest.json') {
      mkdirSync(path.dirname(file), { recursive: true });
      const machine = {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryMiB: Math.round(os.totalmem() / 1024 / 1024),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        loadAverage: os
          .loadavg()
          .map((n) => n.toFixed(2))
          .join(' '),
      };
      writeFileSync(file, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, rows }, null, 2)}\n`);
    },
  };
}
