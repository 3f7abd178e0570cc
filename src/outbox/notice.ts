/**
 * The contract between the dossier feature (which produces status-change notices) and the channels
 * (which deliver them): what a notice is about, so a channel can re-route it — Zalo sends a ZBS template
 * message once its 7-day window is closed — and check, when it sends, that the citizen still wants it.
 */

/** Kinds of status-change notice; each can have its own approved Zalo template (`ZALO_TEMPLATE_<KIND>`). */
export const NOTICE_KINDS = ['result', 'returned', 'apology', 'documents', 'payment', 'update'] as const
export type NoticeKind = typeof NOTICE_KINDS[number]

/** Values a template parameter can be filled with. */
export const NOTICE_FIELDS = ['code', 'procedure', 'status', 'due_date', 'received_at', 'next_step'] as const
export type NoticeField = typeof NOTICE_FIELDS[number]

/**
 * A dossier status-change notice, stored with its outbox item. `fields` are already rendered in formal
 * wording fit for a template (no "Anh/Chị", no links, no phone numbers, nothing personal).
 */
export interface NoticeMeta {
  code: string
  /** The history entry that caused the notice: one notice per change and recipient. */
  historyIndex: number
  kind: NoticeKind
  fields: Record<NoticeField, string>
  /**
   * `subscriber`: the chat user the item is addressed to; `desk`: nobody in a chat — the citizen agreed at
   * the desk to template messages at the phone registered with the dossier.
   */
  audience: 'subscriber' | 'desk'
}

/** Where a notice may still go by template, looked up when it is sent. */
export interface NoticeRecipients {
  /** The Zalo user id that agreed to template messages (the item's own user). */
  templateUserId?: string
  /** The phone registered with the dossier (digits), when its use for template messages was agreed to. */
  templatePhone?: string
}

/**
 * Looks up, at send time, whether a notice is still wanted and where templates may go: subscriptions
 * and consent can change while a notice waits in the outbox. Implemented by the dossier feature.
 */
export interface NoticeAudience {
  /** `null`: the citizen unsubscribed (or withdrew consent at the desk): the notice is dropped. */
  resolve (notice: NoticeMeta, channel: string, userId: string): Promise<NoticeRecipients | null>
}

/** Outbox user id of a notice to the phone consented at the desk (no chat user): `desk:<code>`. */
export const deskUserId = (code: string): string => `desk:${code}`

/** Dossier code of a notice's outbox key (`<code>:<historyIndex>:<channel>:<user>`); codes contain no `:`. */
export const noticeCodeOfKey = (dedupeKey: string | undefined): string | undefined => {
  if (dedupeKey === undefined) return undefined
  const i = dedupeKey.indexOf(':')
  return i > 0 ? dedupeKey.slice(0, i) : undefined
}

/** Template messages of the month and the day, for staff (count, cost, limits, Zalo's own quota figures). */
export interface TemplateUsageView {
  /** `YYYY-MM` (Vietnam time). */
  month: string
  count: number
  costVnd: number
  budgetVnd: number
  /** `YYYY-MM-DD` (Vietnam time). */
  day: string
  dayCount: number
  dailyLimit: number
  unitPriceVnd: number
  uidUnitPriceVnd: number
  /** What Zalo reports for today, when it could be read. */
  zalo?: { dailyQuota: number, remainingQuota: number }
}
