import type { Db } from './connect.ts'

/** One template message about to be sent. */
export interface TemplateSendRequest {
  /** Once per dossier change and route: `<code>:<historyIndex>:phone` or `<code>:<historyIndex>:uid:<user>`. */
  key: string
  route: 'uid' | 'phone'
  kind: string
  templateId: string
  code: string
  priceVnd: number
  /** Local (Vietnam) day `YYYY-MM-DD` and month `YYYY-MM` it counts against. */
  day: string
  month: string
  at: number
}

/** Limits a reservation must respect. */
export interface TemplateLimits {
  dailyLimit: number
  monthlyBudgetVnd: number
  /** A reservation older than this whose sender never confirmed nor released it (a crash) may be taken over. */
  staleMs: number
}

/**
 * Outcome of a reservation: `reserved` (counted: send it, then confirm or release), `sent` (this change
 * already went this way), `busy` (another sender holds it right now), `quota` (the day's limit is
 * reached), `budget` (the month's budget would be passed).
 */
export type Reservation = 'reserved' | 'sent' | 'busy' | 'quota' | 'budget'

/** Template messages counted for a month and a day. */
export interface TemplateUsage { month: string, count: number, costVnd: number, day: string, dayCount: number }

/**
 * Counters and send log of ZBS template messages. A reservation is one transaction: the send row is
 * created (unique per change and route), the day's count and the month's count and cost go up only
 * while under the limit and the budget — on PostgreSQL the conditional updates lock the counter rows, so
 * concurrent instances never pass either.
 */
export interface ZaloTemplateStore {
  reserve (request: TemplateSendRequest, limits: TemplateLimits): Promise<Reservation>
  /** The platform accepted the message: it stays counted. */
  confirm (key: string, messageId: string | undefined, at: number): Promise<void>
  /** The platform did not accept it (nothing billed): uncount it and forget the reservation. */
  release (key: string): Promise<void>
  /** Zalo said the OA's daily quota is used up: no more reservations for `day`. */
  exhaustDay (day: string, dailyLimit: number): Promise<void>
  usage (month: string, day: string): Promise<TemplateUsage>
  /** Forgets send rows and day counters of months before `month` (month totals stay); returns rows deleted. */
  prune (month: string): Promise<number>
}

class Refused extends Error {
  constructor (readonly why: 'quota' | 'budget') { super(why) }
}

/** The template counters (`zalo_template_usage`) and send log (`zalo_template_sends`). */
export function createZaloTemplateStore (db: Db): ZaloTemplateStore {
  const k = db.kysely
  const dayKey = (day: string): string => `day:${day}`
  const monthKey = (month: string): string => `month:${month}`
  return {
    async reserve (r, limits) {
      try {
        return await k.transaction().execute(async (tx) => {
          const existing = await tx.selectFrom('zalo_template_sends').select(['status', 'reserved_at']).where('key', '=', r.key).executeTakeFirst()
          if (existing !== undefined) {
            if (existing.status === 'sent') return 'sent' as const
            if (r.at - Number(existing.reserved_at) < limits.staleMs) return 'busy' as const
            // A sender died between reserving and confirming: take its (still counted) reservation over.
            await tx.updateTable('zalo_template_sends').set({ reserved_at: r.at }).where('key', '=', r.key).where('status', '=', 'reserved').execute()
            return 'reserved' as const
          }
          const inserted = await tx.insertInto('zalo_template_sends').values({
            key: r.key,
            status: 'reserved',
            route: r.route,
            kind: r.kind,
            template_id: r.templateId,
            code: r.code,
            price_vnd: r.priceVnd,
            day: r.day,
            month: r.month,
            reserved_at: r.at,
          }).onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst()
          if (inserted === undefined) return 'busy' as const
          await tx.insertInto('zalo_template_usage').values([{ period: dayKey(r.day) }, { period: monthKey(r.month) }])
            .onConflict((oc) => oc.column('period').doNothing()).execute()
          const day = await tx.updateTable('zalo_template_usage').set((eb) => ({ count: eb('count', '+', 1) }))
            .where('period', '=', dayKey(r.day)).where('count', '<', limits.dailyLimit).executeTakeFirst()
          if (Number(day.numUpdatedRows) === 0) throw new Refused('quota')
          const month = await tx.updateTable('zalo_template_usage').set((eb) => ({ count: eb('count', '+', 1), cost_vnd: eb('cost_vnd', '+', r.priceVnd) }))
            .where('period', '=', monthKey(r.month)).where((eb) => eb(eb('cost_vnd', '+', r.priceVnd), '<=', limits.monthlyBudgetVnd)).executeTakeFirst()
          if (Number(month.numUpdatedRows) === 0) throw new Refused('budget')
          return 'reserved' as const
        })
      } catch (err) {
        if (err instanceof Refused) return err.why
        throw err
      }
    },

    async confirm (key, messageId, at) {
      await k.updateTable('zalo_template_sends').set({ status: 'sent', sent_at: at, message_id: messageId ?? null })
        .where('key', '=', key).where('status', '=', 'reserved').execute()
    },

    async release (key) {
      await k.transaction().execute(async (tx) => {
        const r = await tx.deleteFrom('zalo_template_sends').where('key', '=', key).where('status', '=', 'reserved')
          .returning(['day', 'month', 'price_vnd']).executeTakeFirst()
        if (r === undefined) return
        await tx.updateTable('zalo_template_usage').set((eb) => ({ count: eb('count', '-', 1) }))
          .where('period', '=', dayKey(r.day)).where('count', '>', 0).execute()
        await tx.updateTable('zalo_template_usage').set((eb) => ({ count: eb('count', '-', 1), cost_vnd: eb('cost_vnd', '-', Number(r.price_vnd)) }))
          .where('period', '=', monthKey(r.month)).where('count', '>', 0).execute()
      })
    },

    async exhaustDay (day, dailyLimit) {
      await k.insertInto('zalo_template_usage').values({ period: dayKey(day) }).onConflict((oc) => oc.column('period').doNothing()).execute()
      await k.updateTable('zalo_template_usage').set({ count: dailyLimit }).where('period', '=', dayKey(day)).where('count', '<', dailyLimit).execute()
    },

    async usage (month, day) {
      const rows = await k.selectFrom('zalo_template_usage').select(['period', 'count', 'cost_vnd'])
        .where('period', 'in', [monthKey(month), dayKey(day)]).execute()
      const m = rows.find((r) => r.period === monthKey(month))
      const d = rows.find((r) => r.period === dayKey(day))
      return { month, count: Number(m?.count ?? 0), costVnd: Number(m?.cost_vnd ?? 0), day, dayCount: Number(d?.count ?? 0) }
    },

    async prune (month) {
      const sends = await k.deleteFrom('zalo_template_sends').where('month', '<', month).executeTakeFirst()
      const days = await k.deleteFrom('zalo_template_usage').where('period', '<', dayKey(`${month}-01`)).where('period', 'like', 'day:%').executeTakeFirst()
      return Number(sends.numDeletedRows) + Number(days.numDeletedRows)
    },
  }
}
