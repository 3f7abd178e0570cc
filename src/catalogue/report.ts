import type { FastifyInstance } from 'fastify'
import type { FeaturePlugin, PluginOptions } from '../services.ts'
import { auditRecord } from './audit.ts'
import type { Catalogue } from './load.ts'
import { addDays, rulesChangingWithin, vnDate } from './rules.ts'
import type { SourceCover } from './schema.ts'

/** Sources older than this (by `publishedAt`, else `retrievedAt`) are due for re-checking. */
export const STALE_SOURCE_DAYS = 180
/** Rules starting or ending within this many days are listed. */
export const RULE_HORIZON_DAYS = 60

/** The facts a desk officer expects every record to have a source for. */
const EXPECTED_COVERS: readonly SourceCover[] = ['fee', 'time', 'documents', 'legalBasis']

/** One line of work for the desk officer. */
export interface ReportItem {
  id: string
  title: string
  detail: string
}

/**
 * The monthly freshness report (issue 9): what a desk officer works through, newest concerns first.
 * JSON shape of `GET /api/staff/catalogue/report` and of `npm run catalogue:report -- --json`.
 */
export interface CatalogueReport {
  date: string
  procedures: number
  summary: { ok: number, corrected: number, unverifiable: number, notReviewed: number }
  /** Records without any source, and records whose fee/time/documents/legal basis have no source. */
  missingSources: ReportItem[]
  /** Sources last dated more than STALE_SOURCE_DAYS days ago. */
  staleSources: ReportItem[]
  /** Dated rules starting or ending within RULE_HORIZON_DAYS days. */
  upcomingRules: ReportItem[]
  /** Records marked unverifiable, with their review notes (conflicts, what could not be found). */
  conflicts: ReportItem[]
  /** Failing acceptance checks (hedges in citizen text, overlapping rules, …). */
  problems: ReportItem[]
}

const vi = (d: string): string => d.split('-').reverse().join('/')

/** Builds the report for `date` (a Vietnam date, YYYY-MM-DD). Pure. */
export function buildCatalogueReport (catalogue: Catalogue, date: string): CatalogueReport {
  const report: CatalogueReport = {
    date,
    procedures: catalogue.procedures.length,
    summary: { ok: 0, corrected: 0, unverifiable: 0, notReviewed: 0 },
    missingSources: [],
    staleSources: [],
    upcomingRules: [],
    conflicts: [],
    problems: [],
  }
  const staleBefore = addDays(date, -STALE_SOURCE_DAYS)
  for (const p of catalogue.procedures) {
    const item = (detail: string): ReportItem => ({ id: p.id, title: p.title, detail })
    const status = p.review?.status
    if (status === undefined) report.summary.notReviewed++
    else report.summary[status]++

    if (p.sources.length === 0) report.missingSources.push(item('không có nguồn nào'))
    else {
      const covered = new Set(p.sources.flatMap((s) => s.covers))
      const missing = EXPECTED_COVERS.filter((c) => !covered.has(c))
      if (missing.length > 0) report.missingSources.push(item(`chưa có nguồn cho: ${missing.join(', ')}`))
    }
    for (const s of p.sources) {
      const dated = s.publishedAt ?? s.retrievedAt
      if (dated < staleBefore) report.staleSources.push(item(`${s.title} (${s.url}) — ngày ${vi(dated)}, quá ${STALE_SOURCE_DAYS} ngày`))
    }
    for (const c of rulesChangingWithin(p, date, RULE_HORIZON_DAYS)) {
      const what = c.edge === 'from' ? 'bắt đầu áp dụng' : 'hết hiệu lực sau'
      report.upcomingRules.push(item(`${c.rule.id} (${c.rule.kind}${c.rule.channel ? `, ${c.rule.channel}` : ''}): ${what} ngày ${vi(c.date)}`))
    }
    if (status === 'unverifiable') report.conflicts.push(item(p.review!.notes.join(' | ') || 'không xác minh được (chưa có ghi chú)'))
    for (const x of auditRecord(p)) {
      if (x.field === 'sources' || x.field === 'review') continue // already listed above
      report.problems.push(item(`${x.field}: ${x.message}`))
    }
  }
  report.upcomingRules.sort((a, b) => a.detail.localeCompare(b.detail))
  return report
}

const section = (title: string, items: ReportItem[]): string[] =>
  ['', `## ${title} (${items.length})`, ...(items.length === 0 ? ['(không có)'] : items.map((i) => `- ${i.id} — ${i.title}: ${i.detail}`))]

/** Plain-text rendering for the terminal (Vietnamese, for desk officers). */
export function formatCatalogueReport (r: CatalogueReport): string {
  const s = r.summary
  return [
    `# Báo cáo độ mới của danh mục thủ tục — ${vi(r.date)}`,
    `${r.procedures} thủ tục: ${s.ok} đúng, ${s.corrected} đã sửa, ${s.unverifiable} chưa xác minh được, ${s.notReviewed} chưa rà soát.`,
    ...section('Thiếu nguồn', r.missingSources),
    ...section(`Nguồn cũ hơn ${STALE_SOURCE_DAYS} ngày`, r.staleSources),
    ...section(`Quy định có ngày bắt đầu/kết thúc trong ${RULE_HORIZON_DAYS} ngày tới`, r.upcomingRules),
    ...section('Xung đột, chưa xác minh được', r.conflicts),
    ...section('Lỗi khác (lời lẽ nội bộ trong thẻ, quy định chồng lấn)', r.problems),
  ].join('\n')
}

/** `GET /api/staff/catalogue/report` behind the staff token: the report for today (Vietnam date). */
export function createCatalogueReportPlugin (now: () => number = Date.now): FeaturePlugin {
  return {
    name: 'catalogue-report',
    async register (app: FastifyInstance, opts: PluginOptions) {
      app.get('/api/staff/catalogue/report', { preHandler: opts.staffAuth }, async () =>
        buildCatalogueReport(opts.services.catalogue, vnDate(now())))
    },
  }
}
