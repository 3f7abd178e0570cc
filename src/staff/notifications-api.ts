import type { FastifyInstance } from 'fastify'
import type { Catalogue } from '../catalogue/load.ts'
import type { DossierStore } from '../dossiers/store.ts'
import { toVnIso } from '../dossiers/time.ts'
import { STATUS_LABELS, type Dossier } from '../dossiers/types.ts'
import { noticeCodeOfKey, type TemplateUsageView } from '../outbox/notice.ts'
import type { Outbox, OutboxView } from '../outbox/types.ts'
import type { PluginOptions } from '../services.ts'

/** What the notifications page reads. */
export interface StaffNotificationDeps {
  outbox: Outbox
  store: DossierStore
  catalogue: Catalogue
  /** Zalo template messages of the month, when they are configured. */
  templateUsage?: () => Promise<TemplateUsageView>
}

/** Why a notice did not arrive (or waits), for the desk, in Vietnamese. */
const REASONS: Record<string, string> = {
  'outside-zalo-window': 'Quá 7 ngày công dân không nhắn Zalo; Zalo không cho gửi tin thường',
  'no-template-consent': 'Quá 7 ngày không nhắn Zalo và công dân chưa đồng ý nhận tin mẫu Zalo',
  'no-template-configured': 'Chưa cấu hình mẫu tin Zalo cho loại thông báo này',
  'template-budget-reached': 'Đã hết ngân sách tin mẫu Zalo của tháng',
  'template-quota-exceeded': 'Vượt hạn mức tin mẫu Zalo trong ngày; sẽ tự gửi lại ngày mai',
  'template-night-hours': 'Zalo không cho gửi mẫu này ban đêm; sẽ tự gửi lại sau 6 giờ sáng',
  'template-in-flight': 'Đang gửi tin mẫu Zalo',
  'template-not-approved': 'Mẫu tin Zalo chưa được duyệt, bị khóa hoặc sai mã mẫu',
  'template-params-invalid': 'Zalo từ chối tham số của mẫu tin',
  'template-balance-exhausted': 'Tài khoản ZBS không đủ số dư',
  'phone-not-on-zalo': 'Số điện thoại chưa dùng Zalo',
  'phone-invalid': 'Zalo không nhận số điện thoại này',
  'template-refused-by-user': 'Công dân đã chặn hoặc không nhận được tin mẫu Zalo',
  'user-id-not-allowed': 'Không gửi được tin mẫu tới tài khoản Zalo này',
  'zalo-app-outdated': 'Ứng dụng Zalo của công dân quá cũ',
  'blocked-by-user': 'Công dân đã chặn kênh nhắn tin',
  'user-deactivated': 'Tài khoản nhắn tin của công dân không còn hoạt động',
  'chat-not-found': 'Không tìm thấy cuộc trò chuyện',
  'invalid-request': 'Nền tảng từ chối tin nhắn',
  'parameter-too-long': 'Nền tảng từ chối tin nhắn (quá dài)',
  'token-refresh-failed': 'Mất quyền truy cập Zalo OA (cần quản trị viên cấp lại)',
}

/** The Vietnamese explanation of a reason code (transient network and server errors read alike). */
export function reasonText (reason: string | undefined, status: OutboxView['status']): string {
  if (reason === undefined) return status === 'failed' ? 'Đã thử lại nhiều lần không được' : ''
  const known = REASONS[reason]
  if (known !== undefined) return known
  if (/^(network-error|rate-limited|sender-threw|zalo-http-\d+|telegram-5\d\d|zalo-error:|zalo-unknown-error)/.test(reason)) {
    return status === 'pending' ? 'Lỗi kết nối; đang thử lại' : 'Lỗi kết nối; đã thử lại nhiều lần không được'
  }
  if (reason.startsWith('zalo-template-error:')) return `Zalo từ chối tin mẫu (mã ${reason.slice(20)})`
  return reason
}

/**
 * `GET /api/staff/notifications?status=undeliverable|queued` (staff): dossier notifications that could
 * not be delivered by any route (`undeliverable`, the default: refused, given up) or that wait
 * (`queued`: over the daily template limit, retrying), newest first, with the reason and what the desk
 * needs to phone the citizen; plus `templates`, the month's count and cost of Zalo template messages
 * (null when templates are not configured).
 */
export function staffNotificationRoutes (deps: StaffNotificationDeps) {
  const { outbox, store, catalogue } = deps
  return async function register (app: FastifyInstance, opts: PluginOptions): Promise<void> {
    app.get<{ Querystring: { status?: string } }>('/api/staff/notifications', { preHandler: opts.staffAuth }, async (request, reply) => {
      const status = request.query.status ?? 'undeliverable'
      if (status !== 'undeliverable' && status !== 'queued') {
        return reply.code(400).send({ error: 'validation', field: 'status', message: 'status is undeliverable or queued' })
      }
      const rows = (status === 'undeliverable' ? await outbox.problems() : await outbox.waiting()).filter((r) => r.kind === 'notification')
      const dossiers = new Map<string, Dossier | undefined>()
      const items = []
      for (const r of [...rows].sort((a, b) => b.updatedAt - a.updatedAt)) {
        const code = r.notice?.code ?? noticeCodeOfKey(r.dedupeKey)
        if (code !== undefined && !dossiers.has(code)) dossiers.set(code, await store.get(code))
        const d = code === undefined ? undefined : dossiers.get(code)
        items.push({
          id: r.id,
          code: code ?? null,
          to: r.channel === 'zalo' && r.userId.startsWith('desk:') ? 'zalo-phone' : r.channel,
          status: r.status,
          reason: r.reason ?? null,
          reasonText: reasonText(r.reason, r.status),
          kind: r.notice?.kind ?? null,
          createdAt: toVnIso(new Date(r.createdAt)),
          at: toVnIso(new Date(r.updatedAt)),
          ...(r.status === 'pending' ? { nextAttemptAt: toVnIso(new Date(r.nextAttemptAt)) } : {}),
          ...(d !== undefined
            ? {
                applicantName: d.applicantName,
                phone: d.phone,
                procedure: catalogue.byId.get(d.procedureId)?.title ?? d.procedureId,
                statusLabel: d.statusLabel ?? STATUS_LABELS[d.status],
              }
            : {}),
        })
      }
      return { status, items, templates: deps.templateUsage === undefined ? null : await deps.templateUsage() }
    })
  }
}
