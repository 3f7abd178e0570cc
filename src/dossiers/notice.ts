import type { NoticeField, NoticeKind } from '../outbox/notice.ts'
import type { Transition } from './records.ts'
import { localParts } from './time.ts'
import type { PublicView, StatusCode } from './types.ts'

/**
 * Values of template parameters for a status-change notice. Zalo reviews template messages as formal
 * notices from an office: no "Anh/Chị", no bare links or phone numbers (calls and links are CTA buttons of
 * the approved template), nothing personal (no name, no phone). Each value is at most 200 characters, the
 * longest parameter Zalo's template types accept.
 */

/** `dd/mm/yyyy` in Vietnam time (the date format of template parameters). */
export function dmy (iso: string): string {
  const p = localParts(new Date(iso))
  return `${String(p.day).padStart(2, '0')}/${String(p.month).padStart(2, '0')}/${p.year}`
}

/** Longest value of one parameter. */
export const FIELD_MAX_CHARS = 200

/** The template kind of a change: result ready, returned, apology with a new date, documents, payment, other. */
export function noticeKind (status: StatusCode, t: Pick<Transition, 'apologyGiven'>): NoticeKind {
  if (status === 9) return 'result'
  if (status === 10) return 'returned'
  if (t.apologyGiven) return 'apology'
  if (status === 5) return 'documents'
  if (status === 6) return 'payment'
  return 'update'
}

const STEPS: Record<StatusCode, string> = {
  1: 'Hồ sơ đã được ghi nhận, đang chờ kiểm tra và tiếp nhận.',
  2: 'Hồ sơ đã được tiếp nhận. Đề nghị chờ đến ngày hẹn trả kết quả.',
  3: 'Hồ sơ chưa đủ điều kiện tiếp nhận. Đề nghị liên hệ nơi nộp hồ sơ để được hướng dẫn.',
  4: 'Hồ sơ đang được giải quyết, chưa cần bổ sung gì thêm.',
  5: 'Đề nghị bổ sung giấy tờ tại nơi nộp hồ sơ; danh sách giấy tờ có khi tra cứu hồ sơ bằng mã tra cứu.',
  6: 'Đề nghị nộp phí, lệ phí hoặc nghĩa vụ tài chính tại nơi nộp hồ sơ hoặc qua Cổng Dịch vụ công.',
  7: 'Hồ sơ đã được rút theo đề nghị. Giấy tờ đã nộp được nhận lại tại nơi nộp hồ sơ.',
  8: 'Hồ sơ đã dừng xử lý. Đề nghị liên hệ nơi nộp hồ sơ để biết lý do.',
  9: 'Kết quả đã sẵn sàng. Đề nghị mang giấy tiếp nhận hồ sơ và căn cước đến nơi nộp hồ sơ để nhận.',
  10: 'Hồ sơ đã hoàn tất, kết quả đã được trả. Trân trọng cảm ơn.',
}

/** The formal next step of a status (an apology with the new date first, when one was just given). */
export function formalNextStep (status: StatusCode, apology?: { newDueAt: string }): string {
  const sorry = apology !== undefined
    ? `Cơ quan giải quyết thành thật xin lỗi vì hồ sơ chưa được giải quyết đúng hẹn; ngày hẹn trả mới: ${dmy(apology.newDueAt)}. `
    : ''
  return `${sorry}${STEPS[status]}`
}

/** Cuts a value to {@link FIELD_MAX_CHARS} at a word boundary, with an ellipsis. */
export function fitField (s: string): string {
  const t = s.replace(/\s+/g, ' ').trim()
  if (t.length <= FIELD_MAX_CHARS) return t
  const cut = t.slice(0, FIELD_MAX_CHARS - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > FIELD_MAX_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`
}

/**
 * The parameter values of a notice about the dossier as `view` shows it. `due_date` is the current
 * promise (the apology's new date when there is one); dates are `dd/mm/yyyy` in Vietnam time.
 */
export function noticeFields (view: PublicView, apologyGiven: boolean): Record<NoticeField, string> {
  const promise = view.apology?.newDueAt ?? view.dueAt
  return {
    code: view.code,
    procedure: fitField(view.procedure.title),
    status: fitField(view.statusLabel),
    due_date: dmy(promise),
    received_at: dmy(view.receivedAt),
    next_step: fitField(formalNextStep(view.status, apologyGiven ? view.apology : undefined)),
  }
}
