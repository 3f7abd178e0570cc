import { formatVnDateTime } from './time.ts'
import type { StatusCode } from './types.ts'

/** Where and when the citizen deals with the office for this dossier. */
export interface Office {
  /** Where to go, in words ("Trung tâm Phục vụ hành chính công nơi Anh/Chị đã nộp hồ sơ"). */
  place: string
  /** Office hours, short ("Thứ Hai – Thứ Sáu: sáng 7:00–11:00, chiều 13:00–17:00"). */
  hours?: string
  /** What the procedure costs, as the catalogue says it. */
  fee?: string
}

/** What the next-step text depends on. `missingDocuments` only when the requester passed the second factor. */
export interface StepInput {
  status: StatusCode
  dueAt: string
  overdue: boolean
  apology?: { newDueAt: string }
  respondBy?: string
  missingDocuments?: string[]
}

const when = (iso: string): string => formatVnDateTime(new Date(iso))

/** The apology sentence for a late dossier (empty when not late and no new date was given). */
export function apologyText (s: Pick<StepInput, 'overdue' | 'apology'>): string {
  if (s.apology !== undefined) {
    return `Chúng tôi thành thật xin lỗi vì hồ sơ chưa được giải quyết đúng hẹn. Ngày hẹn trả mới: ${when(s.apology.newDueAt)}.`
  }
  if (s.overdue) return 'Chúng tôi thành thật xin lỗi vì hồ sơ đã quá hẹn trả. Cán bộ sẽ sớm báo ngày hẹn mới cho Anh/Chị.'
  return ''
}

/**
 * What the citizen should do now, in plain polite Vietnamese: one or two short sentences per status,
 * prefixed by an apology when the dossier is late.
 */
export function nextStepText (s: StepInput, office: Office): string {
  const by = s.respondBy !== undefined ? ` trước ${when(s.respondBy)}` : ''
  // A late dossier's date is said once, in the apology.
  const onTime = s.apology === undefined && !s.overdue
  const hours = office.hours !== undefined ? ` (giờ làm việc: ${office.hours})` : ''
  let step: string
  switch (s.status) {
    case 1: step = 'Hồ sơ đã được ghi nhận, đang chờ cán bộ kiểm tra và tiếp nhận. Anh/Chị chưa cần làm gì thêm.'; break
    case 2: step = onTime ? `Hồ sơ đã được tiếp nhận. Anh/Chị vui lòng chờ đến ngày hẹn trả kết quả: ${when(s.dueAt)}.` : 'Hồ sơ đã được tiếp nhận và đang được xem xét.'; break
    case 3: step = `Hồ sơ chưa đủ điều kiện để tiếp nhận. Anh/Chị vui lòng liên hệ ${office.place} để được hướng dẫn.`; break
    case 4: step = `Hồ sơ đang được giải quyết, Anh/Chị chưa cần làm gì thêm.${onTime ? ` Dự kiến có kết quả: ${when(s.dueAt)}.` : ''}`; break
    case 5: {
      const docs = s.missingDocuments !== undefined && s.missingDocuments.length > 0
        ? `Anh/Chị cần bổ sung: ${s.missingDocuments.join('; ')}.`
        : 'Anh/Chị cần bổ sung giấy tờ cho hồ sơ; bấm «Xem chi tiết» để biết cần bổ sung gì.'
      step = `${docs} Vui lòng mang đến ${office.place}${by}. Thời hạn giải quyết tạm dừng cho đến khi nhận đủ giấy tờ.`
      break
    }
    case 6: {
      const fee = office.fee !== undefined ? ` Mức thu của thủ tục: ${office.fee}.` : ''
      step = `Anh/Chị cần nộp phí, lệ phí hoặc nghĩa vụ tài chính của hồ sơ${by}, tại ${office.place} hoặc qua Cổng Dịch vụ công, nhớ mang theo giấy tiếp nhận hồ sơ.${fee}`
      break
    }
    case 7: step = `Hồ sơ đã được rút theo đề nghị của Anh/Chị. Anh/Chị có thể nhận lại giấy tờ đã nộp tại ${office.place}.`; break
    case 8: step = `Hồ sơ đã dừng xử lý. Anh/Chị vui lòng liên hệ ${office.place} để biết lý do và cách làm tiếp.`; break
    case 9: step = `Kết quả đã sẵn sàng. Mời Anh/Chị mang giấy tiếp nhận hồ sơ và căn cước đến ${office.place} để nhận${hours}.`; break
    case 10: step = 'Hồ sơ đã hoàn tất, kết quả đã được trả. Cảm ơn Anh/Chị.'; break
  }
  const open = s.status === 1 || s.status === 2 || s.status === 4
  const sorry = open ? apologyText(s) : ''
  return sorry === '' ? step : `${sorry} ${step}`
}
