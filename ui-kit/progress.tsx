/** A labelled progress bar; `value` null means "working, amount unknown". */
export function Progress({ value, label }: { value: number | null; label: string }) {
  return value === null ? (
    <progress class="progress" aria-label={label} />
  ) : (
    <progress class="progress" aria-label={label} max={100} value={Math.max(0, Math.min(100, value))} />
  );
}
