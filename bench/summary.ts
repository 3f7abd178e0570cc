// The one summary table `npm run bench` prints at the end of a run.

/** One measured number against its target. */
export interface SummaryRow {
  metric: string
  value: string
  target: string
  ok: boolean
  /** 1-minute load average when it was measured. */
  load: number
}

/** A benchmark section: its markdown for docs/BENCHMARKS.md and its rows of the summary table. */
export interface Section { markdown: string, summary: SummaryRow[] }

/** A section from what a benchmark returned: markdown alone (no summary rows) or a {@link Section}. */
export const asSection = (out: string | Section): Section => typeof out === 'string' ? { markdown: out, summary: [] } : out

/** The summary table (markdown). */
export function summaryTable (rows: readonly SummaryRow[]): string {
  return [
    '| metric | measured | target | met | load avg |',
    '|---|---:|---:|:---:|---:|',
    ...rows.map((r) => `| ${r.metric} | ${r.value} | ${r.target} | ${r.ok ? 'yes' : '**no**'} | ${r.load.toFixed(1)} |`),
  ].join('\n')
}
