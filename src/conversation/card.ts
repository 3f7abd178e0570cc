import type { Procedure, Channel, TimeUnit } from '../catalogue/schema.ts'
import type { Button, Reply } from './types.ts'
import { procedureKey } from './keys.ts'
import { splitText as splitAt } from '../text/split-text.ts'

/** Longest single message; longer answers are split at paragraph boundaries. */
export const MAX_REPLY_CHARS = 3500

export type Section = 'docs' | 'fee' | 'time' | 'where' | 'forms' | 'steps' | 'cond'
export const SECTION_CODES: Record<Section, string> = { docs: 'h', fee: 'l', time: 't', where: 'n', forms: 'm', steps: 'b', cond: 'k' }

const CHANNEL_LABEL: Record<Channel, string> = { direct: 'Nộp trực tiếp', online: 'Nộp trực tuyến', postal: 'Qua bưu chính' }
const CHANNELS: Channel[] = ['direct', 'online', 'postal']

const money = (n: number): string => `${n.toLocaleString('vi-VN')} đồng`

/** "7 ngày làm việc", "Trong ngày (nhận sau 15:00 thì trả ngày làm việc tiếp theo)". */
export function formatTime (t: { value: number, unit: TimeUnit, cutoff?: string }): string {
  switch (t.unit) {
    case 'same-day': return t.cutoff !== undefined
      ? `Trong ngày (hồ sơ nhận sau ${t.cutoff} thì trả trong ngày làm việc tiếp theo)`
      : 'Trong ngày'
    case 'hours': return `${t.value} giờ làm việc`
    case 'working-days': return `${t.value} ngày làm việc`
    case 'days': return `${t.value} ngày`
    case 'months': return `${t.value} tháng`
  }
}

export function documentsText (p: Procedure): string {
  const line = (d: Procedure['documents']['submit'][number]): string => {
    const counts = [d.originals ? `${d.originals} bản chính` : '', d.copies ? `${d.copies} bản sao` : ''].filter(Boolean).join(', ')
    return `☐ ${d.name}${d.form && !d.name.includes(d.form) ? ` — mẫu: ${d.form}` : ''}${counts ? ` (${counts})` : ''}`
  }
  const parts = ['📄 Giấy tờ cần nộp:', ...p.documents.submit.map(line)]
  if (p.documents.show.length > 0) parts.push('', '🪪 Giấy tờ mang theo để xuất trình:', ...p.documents.show.map(line))
  return parts.join('\n')
}

export function feeText (p: Procedure): string {
  const lines = ['💰 Phí, lệ phí:']
  for (const c of CHANNELS) {
    const ch = p.channels[c]
    if (ch === undefined) continue
    const a = ch.fee.amount
    const shown = a === null || (a === 0 && /miễn|không thu/i.test(ch.fee.text)) || ch.fee.text.replace(/\D/g, '').includes(String(a))
    const amount = shown ? '' : ` — ${a === 0 ? 'miễn phí' : money(a)}`
    lines.push(`• ${CHANNEL_LABEL[c]}: ${ch.fee.text}${amount}${ch.fee.setByProvince ? ' (mức do HĐND thành phố quy định)' : ''}`)
  }
  if (p.exemptions.length > 0) lines.push('Miễn, giảm:', ...p.exemptions.map((e) => `• ${e}`))
  return lines.join('\n')
}

export function timeText (p: Procedure): string {
  const lines = ['⏱ Thời hạn giải quyết:']
  for (const c of CHANNELS) {
    const ch = p.channels[c]
    if (ch === undefined) continue
    const base = ch.time.note !== undefined && ch.time.unit === 'same-day' ? 'Trong ngày' : formatTime(ch.time)
    lines.push(`• ${CHANNEL_LABEL[c]}: ${base}${ch.time.note ? `. ${ch.time.note}` : ''}`)
  }
  return lines.join('\n')
}

export function whereText (p: Procedure, officeLine?: string): string {
  const lines = [`🏛 Nơi nộp: ${p.receivingOffice}`, `Cơ quan giải quyết: ${p.agency} (${p.levels.join(', ')})`]
  if (officeLine) lines.push(officeLine)
  if (p.online !== 'none') lines.push(`🌐 Nộp trực tuyến (${p.online === 'toan-trinh' ? 'toàn trình' : 'một phần'}): Cổng Dịch vụ công quốc gia dichvucong.gov.vn`)
  return lines.join('\n')
}

export function formsText (p: Procedure): string {
  const forms = p.forms.length > 0 ? p.forms : p.documents.submit.flatMap((d) => (d.form ? [d.form] : []))
  if (forms.length === 0) return '📝 Thủ tục này không có mẫu đơn, tờ khai riêng.'
  return ['📝 Mẫu đơn, tờ khai:', ...forms.map((f) => `• ${f}`), 'Anh/Chị có thể xin mẫu tại bộ phận một cửa hoặc điền trên Cổng Dịch vụ công.'].join('\n')
}

export function stepsText (p: Procedure): string {
  return ['🧭 Các bước:', ...p.steps.map((s) => `• ${s}`)].join('\n')
}

export function conditionsText (p: Procedure): string {
  if (p.conditions.length === 0) return 'ℹ️ Thủ tục này không có điều kiện đặc biệt ngoài hồ sơ hợp lệ.'
  return ['ℹ️ Điều kiện:', ...p.conditions.map((c) => `• ${c}`)].join('\n')
}

export function sourceText (p: Procedure): string {
  const [y, m, d] = p.verifiedAt.split('-')
  return `Nguồn: ${p.source}${p.code ? ` — mã thủ tục ${p.code}` : ''} (cập nhật ${d}/${m}/${y}).`
}

/** Buttons under a card or a section: one per section, ≤ 40-byte opaque values. */
export function sectionButtons (p: Procedure): Button[] {
  const k = procedureKey(p.id)
  return [
    { label: 'Hồ sơ', value: `s:${SECTION_CODES.docs}:${k}` },
    { label: 'Lệ phí', value: `s:${SECTION_CODES.fee}:${k}` },
    { label: 'Thời hạn', value: `s:${SECTION_CODES.time}:${k}` },
    { label: 'Nơi nộp', value: `s:${SECTION_CODES.where}:${k}` },
    { label: 'Mẫu đơn', value: `s:${SECTION_CODES.forms}:${k}` },
  ]
}

/** Splits an answer into messages of at most `max` characters, at paragraph boundaries where possible. */
export const splitText = (text: string, max = MAX_REPLY_CHARS): string[] => splitAt(text, max)

/** The full procedure card, split into messages; section buttons on the last one. */
export function renderCard (p: Procedure, officeLine?: string): Reply[] {
  const text = [
    `📌 ${p.title.toUpperCase()}`,
    whereText(p, officeLine),
    documentsText(p),
    timeText(p),
    feeText(p),
    stepsText(p),
    ...(p.notes.length > 0 ? [['💡 Lưu ý:', ...p.notes.map((n) => `• ${n}`)].join('\n')] : []),
    sourceText(p),
  ].join('\n\n')
  const parts = splitText(text)
  return parts.map((t, i) => (i === parts.length - 1 ? { text: t, buttons: sectionButtons(p) } : { text: t }))
}
