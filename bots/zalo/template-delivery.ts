import type { FastifyBaseLogger } from 'fastify'
import type { ZaloTemplateConfig } from '../../src/config.ts'
import type { ZaloTemplateStore } from '../../src/db/zalo-template-store.ts'
import { localDateKey, localInstant, localParts, startOfLocalDay } from '../../src/dossiers/time.ts'
import type { NoticeMeta, NoticeRecipients, TemplateUsageView } from '../../src/outbox/notice.ts'
import type { SendResult } from '../../src/outbox/types.ts'
import { templateFor, type ZaloTemplates } from '../../src/template-config.ts'
import { classifyTemplateResult, type ZaloTemplateClient } from './template-client.ts'
import { ZaloTokenError } from './tokens.ts'

/** Sends a dossier notice as a ZBS template message, within the daily limit and the monthly budget. */
export interface ZaloTemplateDelivery {
  /**
   * Tries the routes the citizen agreed to — by Zalo user id first (when the template allows it), then
   * by the dossier's phone — once per change and route; answers in the outbox's vocabulary.
   */
  deliver (notice: NoticeMeta, userId: string, recipients: NoticeRecipients, trackingId: string): Promise<SendResult>
  /** This month's count and cost, today's count, the limits, and Zalo's own quota figures when readable. */
  usage (): Promise<TemplateUsageView>
}

/** Options of createZaloTemplateDelivery. */
export interface ZaloTemplateDeliveryOptions {
  config: Omit<ZaloTemplateConfig, 'kinds' | 'file'>
  /** Templates per kind (file and variables merged, validated). */
  templates: ZaloTemplates
  client: ZaloTemplateClient
  store: ZaloTemplateStore
  logger: FastifyBaseLogger
  now?: () => number
}

const MINUTE = 60_000
/** A reservation left by a sender that died is taken over after this long. */
const STALE_MS = 5 * MINUTE
/** Deferred sends start a little after midnight / 06:00, not all at the same instant. */
const AFTER_START_MS = 5 * MINUTE
/** How long Zalo's quota figures are reused. */
const QUOTA_CACHE_MS = 60_000

/** `YYYY-MM` of the local (Vietnam) month of `t`. */
const monthKey = (t: number): string => localDateKey(new Date(t)).slice(0, 7)

/** Builds the template delivery over its store and the API client. Logs ids, routes and prices — never phones. */
export function createZaloTemplateDelivery (options: ZaloTemplateDeliveryOptions): ZaloTemplateDelivery {
  const { config, templates, client, store } = options
  const now = options.now ?? Date.now
  const log = options.logger.child({ channel: 'zalo', feature: 'templates' })
  const limits = { dailyLimit: config.dailyLimit, monthlyBudgetVnd: config.monthlyBudgetVnd, staleMs: STALE_MS }
  let lastPrune = 0
  let quota: { at: number, value: Awaited<ReturnType<ZaloTemplateClient['quota']>> } | undefined

  const untilNextDay = (t: number): number => startOfLocalDay(new Date(t), 1).getTime() - t + AFTER_START_MS
  const untilMorning = (t: number): number => {
    const p = localParts(new Date(t))
    const six = localInstant(p.year, p.month, p.day, 6 * 60).getTime()
    return (t < six ? six : six + 24 * 60 * MINUTE) - t + AFTER_START_MS
  }

  async function pruneMonthly (t: number): Promise<void> {
    if (t - lastPrune < 24 * 60 * MINUTE) return
    lastPrune = t
    // Send rows are kept about 13 months for accounting; month totals stay.
    const d = new Date(t)
    const cutoff = monthKey(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), 1))
    await store.prune(cutoff).catch((err: unknown) => log.warn({ err }, 'template send log not pruned'))
  }

  return {
    async deliver (notice, userId, recipients, trackingId) {
      const template = templateFor(templates, notice.kind)
      if (template === undefined) return { ok: false, retry: false, reason: 'no-template-configured' }
      const routes: Array<{ route: 'uid' | 'phone', to: string }> = []
      if (recipients.templateUserId !== undefined && template.uid) routes.push({ route: 'uid', to: recipients.templateUserId })
      if (recipients.templatePhone !== undefined) routes.push({ route: 'phone', to: recipients.templatePhone })
      if (routes.length === 0) return { ok: false, retry: false, reason: 'no-template-consent' }
      const data = Object.fromEntries(Object.entries(template.params).map(([param, field]) => [param, notice.fields[field]]))
      let refused: string | undefined
      for (const { route, to } of routes) {
        const t = now()
        await pruneMonthly(t)
        const day = localDateKey(new Date(t))
        const key = route === 'phone' ? `${notice.code}:${notice.historyIndex}:phone` : `${notice.code}:${notice.historyIndex}:uid:${to}`
        const priceVnd = route === 'phone' ? template.priceVnd ?? config.unitPriceVnd : template.uidPriceVnd ?? config.uidUnitPriceVnd
        const ids = { code: notice.code, kind: notice.kind, route, templateId: template.templateId }
        const reserved = await store.reserve({ key, route, kind: notice.kind, templateId: template.templateId, code: notice.code, priceVnd, day, month: day.slice(0, 7), at: t }, limits)
        if (reserved === 'sent') return { ok: true }
        if (reserved === 'busy') return { ok: false, retry: true, afterMs: STALE_MS, reason: 'template-in-flight' }
        if (reserved === 'quota') {
          log.info(ids, 'template over the daily limit: queued for the next day')
          return { ok: false, retry: true, defer: true, afterMs: untilNextDay(t), reason: 'template-quota-exceeded' }
        }
        if (reserved === 'budget') {
          log.warn({ ...ids, priceVnd, budgetVnd: config.monthlyBudgetVnd }, 'template not sent: monthly budget reached')
          return { ok: false, retry: false, reason: 'template-budget-reached' }
        }
        let result
        try {
          result = route === 'uid'
            ? await client.sendByUserId(to, template.templateId, data)
            : await client.sendByPhone(to, template.templateId, data, trackingId)
        } catch (err) {
          await store.release(key)
          const reason = err instanceof ZaloTokenError ? 'token-refresh-failed' : 'network-error'
          log.warn({ ...ids, err, reason }, 'template send failed')
          return { ok: false, retry: true, reason }
        }
        const outcome = classifyTemplateResult(result, route)
        if (outcome.kind === 'ok') {
          await store.confirm(key, outcome.messageId, now())
          log.info({ ...ids, priceVnd }, 'template sent')
          return { ok: true }
        }
        await store.release(key)
        log.warn({ ...ids, error: result.error, reason: outcome.reason }, 'template refused')
        switch (outcome.kind) {
          case 'retry': return { ok: false, retry: true, reason: outcome.reason }
          case 'next-day':
            await store.exhaustDay(day, config.dailyLimit)
            return { ok: false, retry: true, defer: true, afterMs: untilNextDay(t), reason: outcome.reason }
          case 'night': return { ok: false, retry: true, defer: true, afterMs: untilMorning(t), reason: outcome.reason }
          case 'stop': return { ok: false, retry: false, reason: outcome.reason }
          case 'recipient': refused = outcome.reason; continue
        }
      }
      return { ok: false, retry: false, reason: refused ?? 'no-template-consent' }
    },

    async usage () {
      const t = now()
      const day = localDateKey(new Date(t))
      const u = await store.usage(day.slice(0, 7), day)
      if (quota === undefined || t - quota.at > QUOTA_CACHE_MS) quota = { at: t, value: await client.quota() }
      return {
        month: u.month,
        count: u.count,
        costVnd: u.costVnd,
        budgetVnd: config.monthlyBudgetVnd,
        day: u.day,
        dayCount: u.dayCount,
        dailyLimit: config.dailyLimit,
        unitPriceVnd: config.unitPriceVnd,
        uidUnitPriceVnd: config.uidUnitPriceVnd,
        ...(quota.value !== undefined ? { zalo: quota.value } : {}),
      }
    },
  }
}
