import { factsOn, vnDate, viDate, type ChannelOn, type Fee, type FactsOn, type TimeLimit } from '../catalogue/rules.ts'
import type { Procedure, Channel, TimeUnit } from '../catalogue/schema.ts'
import type { Button, Reply } from './types.ts'
import { procedureKey } from './keys.ts'
import { splitText as splitAt } from '../text/split-text.ts'

/** Longest single message; longer answers are split at paragraph boundaries. */
export const MAX_REPLY_CHARS = 3500

export type Section = 'docs' | 'fee' | 'time' | 'where' | 'forms' | 'steps' | 'cond'
export const SECTION_CODES: Record<Section, string> = { docs: 'h', fee: 'l', time: 't', where: 'n', forms: 'm', steps: 'b', cond: 'k' }

const CHANNEL_LABEL: Record<Channel, string> = { direct: 'Nộp trực tiếp', online: 'Nộp trực tuyến', postal: 'Qua bưu chính' }

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

/** Options for the fee and time sections. */
export interface FactOptions {
  /** The Vietnam date the citizen asks on (YYYY-MM-DD); defaults to today. */
  today?: string
  /** How to reach the desk, e.g. "Trung tâm Phục vụ hành chính công xã Hòa Tú, ĐT 0299…". */
  desk?: string
}

const DESKS: Record<Procedure['office'], string> = {
  'commune-centre': 'bộ phận một cửa, Trung tâm Phục vụ hành chính công xã/phường',
  'commune-police': 'Công an xã/phường',
  'city-centre': 'Trung tâm Phục vụ hành chính công thành phố',
}

/** "Anh/Chị hỏi cán bộ một cửa để biết mức hiện hành (…)": printed once per card. */
export function askDesk (p: Procedure, what: string, desk?: string): string {
  return `Anh/Chị hỏi cán bộ một cửa để biết ${what} hiện hành (${desk ?? DESKS[p.office]}).`
}

const KIND_WORD = { fee: 'lệ phí', time: 'thời hạn' } as const

/** The source a fact of an unverifiable record is shown with, or undefined when no source covers it. */
function sourceFor (p: Procedure, cover: 'fee' | 'time'): string | undefined {
  const s = p.sources.find((x) => x.covers.includes(cover))
  if (s === undefined) return undefined
  return `theo ${s.title}, ${s.publishedAt !== undefined ? viDate(s.publishedAt) : `truy cập ${viDate(s.retrievedAt)}`}`
}

function feeLine (fee: Fee): string {
  const a = fee.amount
  const shown = a === null || (a === 0 && /miễn|không thu/i.test(fee.text)) || fee.text.replace(/\D/g, '').includes(String(a))
  const amount = shown ? '' : ` — ${a === 0 ? 'miễn phí' : money(a)}`
  const province = fee.setByProvince && !/HĐND|Hội đồng nhân dân/.test(fee.text) ? ' (mức do HĐND thành phố quy định)' : ''
  return `${fee.text}${amount}${province}`
}

function timeLine (t: TimeLimit): string {
  const base = t.note !== undefined && t.unit === 'same-day' ? 'Trong ngày' : formatTime(t)
  return `${base}${t.note ? `. ${t.note}` : ''}`
}

/** One line per channel, or one line for all channels when they agree. */
function perChannel (facts: FactsOn, line: (c: ChannelOn) => string): string[] {
  const lines = facts.channels.map((c) => ({ c: c.channel, text: line(c) }))
  if (lines.length > 1 && lines.every((l) => l.text === lines[0]!.text)) return [`• Mọi hình thức nộp: ${lines[0]!.text}`]
  return lines.map((l) => `• ${CHANNEL_LABEL[l.c]}: ${l.text}`)
}

/** Extra lines (conditional rules) and announcements of changes within 30 days, without repeats. */
function datedLines (facts: FactsOn, kind: 'fee' | 'time'): string[] {
  const out: string[] = []
  const all = facts.channels.length
  const label = (channels: Channel[]): string => (channels.length === all ? '' : ` (${channels.map((c) => CHANNEL_LABEL[c].toLowerCase()).join(', ')})`)
  const extras = new Map<string, { text: string, channels: Channel[] }>()
  for (const c of facts.channels) {
    for (const e of c.extras.filter((x) => x.rule.kind === kind)) {
      const until = e.rule.to !== undefined ? ` (đến hết ${viDate(e.rule.to)})` : ''
      const text = `${e.condition}: ${e.text}${until}`
      const x = extras.get(text) ?? { text, channels: [] }
      x.channels.push(c.channel)
      extras.set(text, x)
    }
  }
  for (const x of extras.values()) out.push(`• ${x.text}${label(x.channels)}`)
  const coming = new Map<string, { text: string, channels: Channel[] }>()
  for (const c of facts.channels) {
    for (const u of c.upcoming.filter((x) => x.kind === kind)) {
      const when = `Từ ${viDate(u.date)}`
      const value = u.fee !== undefined ? feeLine(u.fee) : u.time !== undefined ? timeLine(u.time) : ''
      const text = u.condition === undefined
        ? `${when}, ${KIND_WORD[kind]} là ${lowerFirst(value)}.`
        : u.change === 'end'
          ? `${when}, ưu đãi cho ${lowerFirst(u.condition)} không còn áp dụng.`
          : `${when}, ${lowerFirst(u.condition)}: ${value}.`
      const x = coming.get(text) ?? { text, channels: [] }
      x.channels.push(c.channel)
      coming.set(text, x)
    }
  }
  for (const x of coming.values()) out.push(`📅 ${x.text}${label(x.channels)}`)
  return out
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1)

function todayOf (opts?: FactOptions): string {
  return opts?.today ?? vnDate(Date.now())
}

/**
 * A dated fact section (fee, time) as it applies on `opts.today`: an unverifiable fact with no source
 * sends the citizen to the desk; otherwise the lines, then the source when the fact is unverifiable.
 */
function factSection (p: Procedure, key: 'fee' | 'time', head: string, what: string, opts: FactOptions | undefined,
  body: (facts: ReturnType<typeof factsOn>) => string[]): string {
  const lines = [head]
  const unverified = p.review?.status === 'unverifiable'
  const source = unverified ? sourceFor(p, key) : undefined
  if (unverified && source === undefined) {
    lines.push(askDesk(p, what, opts?.desk))
    return lines.join('\n')
  }
  lines.push(...body(factsOn(p, todayOf(opts))))
  if (source !== undefined) lines.push(`(${source})`)
  return lines.join('\n')
}

/** The fee section as it applies on `opts.today`. */
export function feeText (p: Procedure, opts?: FactOptions): string {
  return factSection(p, 'fee', '💰 Phí, lệ phí:', 'mức phí, lệ phí', opts, (facts) => [
    ...perChannel(facts, (c) => feeLine(c.fee)),
    ...datedLines(facts, 'fee'),
    ...(p.exemptions.length > 0 ? ['Miễn, giảm:', ...p.exemptions.map((e) => `• ${e}`)] : []),
    // The desk line once, and not when the fee text already sends the citizen to the desk.
    ...(facts.channels.some((c) => c.fee.setByProvince) && !facts.channels.some((c) => /\bhỏi\b/i.test(c.fee.text))
      ? [askDesk(p, 'mức thu', opts?.desk)]
      : []),
  ])
}

/** The time-limit section as it applies on `opts.today`. */
export function timeText (p: Procedure, opts?: FactOptions): string {
  return factSection(p, 'time', '⏱ Thời hạn giải quyết:', 'thời hạn giải quyết', opts, (facts) => [
    ...perChannel(facts, (c) => timeLine(c.time)),
    ...datedLines(facts, 'time'),
  ])
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

const squash = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()

/**
 * Drops repeated text from a card: a line identical to an earlier one (the same caveat twice), and a
 * bullet whose words already appear, in order, in an earlier line (a note restating the fee).
 */
export function dropRepeats (text: string): string {
  const seen = new Set<string>()
  const before: string[] = []
  const out: string[] = []
  for (const line of text.split('\n')) {
    const key = line.trim()
    if (key === '') { out.push(line); continue }
    if (seen.has(key)) continue
    const body = squash(key.replace(/^•\s*/, ''))
    if (key.startsWith('•') && body.length >= 12 && before.some((b) => b.includes(body))) continue
    seen.add(key)
    before.push(squash(key))
    out.push(line)
  }
  // A heading whose items were all dropped goes too.
  const kept = out.filter((line, i) => !(line.trim().endsWith(':') && (out[i + 1] ?? '').trim() === ''))
  return kept.join('\n').replace(/\n{3,}/g, '\n\n').trim()
}

/**
 * Rendered cards per procedure record, keyed by office line, day and desk (a card changes only with those):
 * opening a card is the commonest answer, and building one (dated rules, repeat removal) costs far more
 * than copying it. Keyed by the record object, so a replaced catalogue never serves an old card.
 */
const cards = new WeakMap<Procedure, Map<string, Reply[]>>()
/** Cards kept per record: the day changes at midnight, and at most a few office lines and desks exist. */
const CARDS_PER_RECORD = 8

const copyReplies = (replies: readonly Reply[]): Reply[] =>
  replies.map((r) => (r.buttons === undefined ? { text: r.text } : { text: r.text, buttons: r.buttons.map((b) => ({ ...b })) }))

/** The full procedure card as it applies on `opts.today`, split into messages; section buttons on the last one. */
export function renderCard (p: Procedure, officeLine?: string, opts?: FactOptions): Reply[] {
  const key = `${officeLine ?? ''}\u0000${todayOf(opts)}\u0000${opts?.desk ?? ''}`
  let perRecord = cards.get(p)
  const hit = perRecord?.get(key)
  if (hit !== undefined) return copyReplies(hit)
  const card = buildCard(p, officeLine, { ...opts, today: todayOf(opts) })
  if (perRecord === undefined) cards.set(p, perRecord = new Map())
  if (perRecord.size >= CARDS_PER_RECORD) perRecord.clear()
  perRecord.set(key, card)
  return copyReplies(card)
}

function buildCard (p: Procedure, officeLine: string | undefined, opts: FactOptions): Reply[] {
  const text = dropRepeats([
    `📌 ${p.title.toUpperCase()}`,
    whereText(p, officeLine),
    documentsText(p),
    timeText(p, opts),
    feeText(p, opts),
    stepsText(p),
    ...(p.notes.length > 0 ? [['💡 Lưu ý:', ...p.notes.map((n) => `• ${n}`)].join('\n')] : []),
    sourceText(p),
  ].join('\n\n'))
  const parts = splitText(text)
  return parts.map((t, i) => (i === parts.length - 1 ? { text: t, buttons: sectionButtons(p) } : { text: t }))
}
