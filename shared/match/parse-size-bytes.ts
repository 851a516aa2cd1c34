const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/**
 * AA's size text ("49.4MB", "0.7MB", "<1MB", "850KB") as a byte range: the value is rounded to one decimal, so
 * "0.1MB" is 50–150 kB, and "<1MB" is 0–1 MB. Undefined when there is no size or it does not parse.
 */
export function parseSizeBytes(text: string | null | undefined): { minBytes: number; maxBytes: number } | undefined {
  const match = /^\s*(<)?\s*(\d+(?:[.,]\d+)?)\s*([kmgt]?b)\s*$/i.exec(text ?? '');
  if (!match) return undefined;
  const [, below, number = '', unit = ''] = match;
  const scale = UNITS[unit.toLowerCase()] ?? 1;
  const value = Number(number.replace(',', '.')) * scale;
  if (below) return { minBytes: 0, maxBytes: value };
  const decimals = number.split(/[.,]/)[1]?.length ?? 0;
  const half = (0.5 * scale) / 10 ** decimals;
  return { minBytes: Math.max(0, value - half), maxBytes: value + half };
}
