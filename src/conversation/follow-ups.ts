import { fold } from '../catalogue/normalize.ts'
import type { Procedure } from '../catalogue/schema.ts'

/**
 * Follow-up questions about the procedure the citizen is looking at, beyond the card's sections:
 * copies or originals, online submission, late registration, who may go on one's behalf. Each is
 * answered from the record's own text, or honestly not at all — never by a new, unrelated search.
 */
export type FollowUpTopic = 'copies' | 'online' | 'late' | 'proxy' | 'other'

const TOPICS: Array<[FollowUpTopic, RegExp]> = [
  ['online', /(online|truc tuyen|qua mang|tren mang|dich vu cong|vneid|qua app|ung dung|qua dien thoai|nop mang|buu dien|buu chinh|qua zalo)/],
  ['copies', /(photo|ban sao|ban chinh|sao y|cong chung|chung thuc|ban goc|giay goc)/],
  ['late', /(tre han|qua han|de tre|lam tre|bi phat|phat (khong|ko|k|tien|bao nhieu)|lam muon|dang ky muon|qua (60|30) ngay|qua thoi han)/],
  ['proxy', /(uy quyen|lam dum|lam dum|lam ho|lam giup|lam thay|di thay|di dum|di ho|nop dum|nop ho|nop thay|nho (nguoi|ai|ong|ba|anh|chi|em|con)|nguoi khac|nguoi nha|nguoi than|khong (di|toi|den) duoc|mot minh (em|toi|tui|minh)? ?(di|lam)|ai (di|lam|dung ra|dung ten|khai) (cung|duoc|thay)|co can (ca|hai|2) (vo chong|nguoi)|ca (hai|2) (vo chong|nguoi) (phai|co phai))/],
]

/** The follow-up topic a folded question is about, or null. */
export function followUpTopic (folded: string): FollowUpTopic | null {
  for (const [topic, re] of TOPICS) if (re.test(folded)) return topic
  return null
}

const MENTIONS: Record<Exclude<FollowUpTopic, 'other'>, RegExp> = {
  online: /(trực tuyến|dịch vụ công|VNeID|bưu chính|bưu điện|online)/i,
  copies: /(bản sao|bản chính|chứng thực|đối chiếu|photo|sao y)/i,
  late: /(quá hạn|trễ hạn|muộn|quá thời hạn|phạt|hết thời hạn|60 ngày|đúng hạn)/i,
  proxy: /(ủy quyền|người khác|thay mặt|đại diện|người thân|thân thích|người đi đăng ký|người yêu cầu|có mặt)/i,
}

/** Lines of the record that speak to a topic (conditions, notes, exemptions, applicants, documents). */
function mentions (p: Procedure, topic: Exclude<FollowUpTopic, 'other'>): string[] {
  const re = MENTIONS[topic]
  const lines = [
    ...(p.applicants !== undefined ? [`Người thực hiện: ${p.applicants}`] : []),
    ...p.conditions, ...p.notes, ...p.exemptions,
    ...[...p.documents.submit, ...p.documents.show].flatMap((d) => (d.note !== undefined ? [`${d.name}: ${d.note}`] : [])),
    ...Object.values(p.channels).flatMap((c) => [c.fee.text, c.time.note ?? '']),
  ]
  return distinct(lines.filter((l) => l !== '' && re.test(l)))
}

/**
 * The lines without those another line already says (the channels' fee texts often repeat an exemption
 * in fewer words: "Miễn lệ phí khi đăng ký đúng hạn" beside "Miễn lệ phí đăng ký khai sinh đúng hạn (trong
 * 60 ngày …)"), in their first order.
 */
function distinct (lines: string[]): string[] {
  const key = (l: string): string => fold(l.replace(/\([^)]*\)/g, ' ')).replace(/[^a-z0-9 ]/g, ' ').replace(/\b(khi|cho|cua|thi|la)\b/g, ' ').replace(/\s+/g, ' ').trim()
  const unique = [...new Set(lines)]
  // Each line's words, folded once (every pair of lines is compared).
  const wordsOf = new Map(unique.map((l) => [l, key(l).split(' ')]))
  const setOf = new Map(unique.map((l) => [l, new Set(wordsOf.get(l))]))
  const covers = (big: string, small: string): boolean => {
    const b = setOf.get(big)!
    return wordsOf.get(small)!.every((w) => b.has(w))
  }
  return unique.filter((l, i) => !unique.some((o, j) => j !== i && covers(o, l) && (!covers(l, o) || j < i)))
}

/** The answer to a follow-up from the record, or null when the record says nothing about it. */
export function followUpText (p: Procedure, topic: FollowUpTopic): string | null {
  if (topic === 'other') return null
  const lines = mentions(p, topic)
  switch (topic) {
    case 'online': {
      const head = p.online === 'toan-trinh'
        ? '🌐 Dạ được ạ. Thủ tục này nộp trực tuyến toàn trình trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn), đăng nhập bằng tài khoản VNeID.'
        : p.online === 'mot-phan'
          ? '🌐 Thủ tục này nộp trực tuyến một phần trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn): Anh/Chị nộp hồ sơ qua mạng, nhưng vẫn cần đến nơi tiếp nhận để nộp bản giấy hoặc nhận kết quả.'
          : '🏛 Dạ, thủ tục này hiện chưa nộp trực tuyến được. Anh/Chị nộp trực tiếp tại nơi tiếp nhận.'
      return [head, ...lines.map((l) => `• ${l}`)].join('\n')
    }
    case 'copies': {
      const counted = [...p.documents.submit, ...p.documents.show].filter((d) => d.originals !== undefined || d.copies !== undefined)
      if (counted.length === 0 && lines.length === 0) return null
      const out = ['📄 Bản chính, bản sao:']
      for (const d of counted) {
        const parts = [d.originals ? `${d.originals} bản chính` : '', d.copies ? `${d.copies} bản sao` : ''].filter(Boolean).join(', ')
        out.push(`• ${d.name}: ${parts}`)
      }
      if (p.documents.show.length > 0) out.push(`• Giấy tờ xuất trình (mang bản chính để cán bộ xem): ${p.documents.show.map((d) => d.name).join('; ')}`)
      out.push(...lines.map((l) => `• ${l}`))
      return out.join('\n')
    }
    case 'late':
    case 'proxy': {
      if (lines.length === 0) return null
      return [topic === 'late' ? '⏰ Về việc đăng ký trễ hạn:' : '👥 Ai có thể đi làm:', ...lines.map((l) => `• ${l}`)].join('\n')
    }
  }
}
