import type { BuildOptions } from 'esbuild';

export function pageBuildOptions(root: string): BuildOptions & { metafile: true; entryNames: string };
