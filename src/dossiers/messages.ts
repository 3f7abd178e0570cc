import type { Button, ChannelName, Reply } from '../conversation/types.ts'
import { apologyText } from './next-step.ts'
import { formatVnDateTime, localParts } from './time.ts'
import { STATUS_LABELS, type DetailView, type PublicView } from './types.ts'

/**
 * Vietnamese texts of the dossier feature: pure functions returning Reply. Polite ("Anh/Chị"), short
 * for phone screens. They never contain a phone number, ID number, address or internal note: views
 * do not carry them.
 */

/** Button values (opaque, ≤ 40 bytes since codes are ≤ 37 characters). */
export const dossierActions = {
  subscribe: (code: string): string => `ds:${code}`,
  unsubscribe: (code: string): string => `du:${code}`,
  detail: (code: string): string => `dv:${code}`,
  /** Zalo: agree to template messages after the 7-day window. */
  templates: (code: string): string => `dz:${code}`,
}

/** How to stop, said with every subscription. */
const HOW_TO_STOP = 'Gõ «hủy thông báo» để dừng.'

const when = (iso: string): string => formatVnDateTime(new Date(iso))
const short = (iso: string): string => {
  const p = localParts(new Date(iso))
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${pad(Math.floor(p.minutes / 60))}:${pad(p.minutes % 60)} ${pad(p.day)}/${pad(p.month)}/${p.year}`
}

function subscribeButton (code: string, subscribed: boolean): Button {
  return subscribed
    ? { label: 'Hủy nhận thông báo', value: dossierActions.unsubscribe(code) }
    : { label: 'Nhận thông báo khi có thay đổi', value: dossierActions.subscribe(code) }
}

function summary (v: PublicView, name: string): string[] {
  const lines = [
    `Hồ sơ ${v.code}`,
    `Thủ tục: ${v.procedure.title}`,
    `Người nộp: ${name}`,
    `Nhận lúc: ${when(v.receivedAt)}`,
    `Hẹn trả: ${when(v.dueAt)}`,
  ]
  if (v.apology !== undefined) lines.push(`Hẹn trả mới: ${when(v.apology.newDueAt)}`)
  lines.push(`Tình trạng: ${v.statusLabel}${v.overdue ? ' — trễ hẹn' : v.dueSoon ? ' — sắp đến hẹn trả' : ''}`)
  return lines
}

/** Answer to an anonymous lookup, with «Nhận thông báo…»/«Hủy nhận thông báo» and «Xem chi tiết». */
export function renderPublicView (v: PublicView, options: { subscribed?: boolean } = {}): Reply {
  return {
    text: [...summary(v, v.applicant), '', v.nextStep].join('\n'),
    buttons: [subscribeButton(v.code, options.subscribed === true), { label: 'Xem chi tiết', value: dossierActions.detail(v.code) }],
  }
}

/** Answer after the second factor: full name, documents to add, deadline and the public history. */
export function renderDetail (v: DetailView, options: { subscribed?: boolean } = {}): Reply {
  const lines = summary(v, v.applicantName)
  if (v.missingDocuments.length > 0) lines.push('', 'Giấy tờ cần bổ sung:', ...v.missingDocuments.map((d) => `• ${d}`))
  if (v.respondBy !== undefined) lines.push(`Hạn bổ sung/nộp: ${when(v.respondBy)}`)
  if (v.apology !== undefined && v.apology.reason !== '') lines.push(`Lý do chậm: ${v.apology.reason}`)
  lines.push('', v.nextStep, '', 'Quá trình xử lý:')
  for (const h of v.history) lines.push(`• ${short(h.at)}: ${h.label ?? STATUS_LABELS[h.status]}${h.note !== undefined ? ` — ${h.note}` : ''}`)
  return { text: lines.join('\n'), buttons: [subscribeButton(v.code, options.subscribed === true)] }
}

/**
 * A notification to a subscriber after a change: a warm congratulation when the result is ready (9)
 * or handed over (10), an apology with the new date when a new date was given, else the new status.
 * Verified subscribers get the detail view (documents to add); others are invited to «Xem chi tiết».
 */
export function renderNotification (v: PublicView | DetailView, options: { apologyGiven?: boolean } = {}): Reply {
  const detail = 'history' in v
  let head: string
  if (v.status === 9) head = `Chúc mừng Anh/Chị! Hồ sơ ${v.code} (${v.procedure.title}) đã có kết quả.`
  else if (v.status === 10) head = `Chúc mừng Anh/Chị đã nhận kết quả hồ sơ ${v.code} (${v.procedure.title}). Cảm ơn Anh/Chị đã tin tưởng.`
  else if (options.apologyGiven === true && v.apology !== undefined) head = `Hồ sơ ${v.code} (${v.procedure.title}): ${apologyText(v)}`
  else head = `Hồ sơ ${v.code} (${v.procedure.title}) vừa được cập nhật: ${v.statusLabel}.`
  let step = v.status === 10 ? '' : v.nextStep
  if (options.apologyGiven === true) step = step.replace(apologyText(v), '').trim()
  const buttons: Button[] = detail ? [] : [{ label: 'Xem chi tiết', value: dossierActions.detail(v.code) }]
  buttons.push(subscribeButton(v.code, true))
  return { text: step === '' ? head : `${head}\n${step}`, buttons }
}

/** Asks for the second factor printed on the receipt. */
export function renderAskFactor (code: string): Reply {
  return { text: `Để xem chi tiết hồ sơ ${code}, Anh/Chị vui lòng nhập mã tra cứu in trên giấy tiếp nhận hồ sơ (6 ký tự) hoặc 4 số cuối điện thoại đã đăng ký.` }
}

/** Wrong second factor; `attemptsLeft` tries remain before the detail view is locked. */
export function renderWrongFactor (attemptsLeft: number): Reply {
  return { text: `Mã tra cứu chưa đúng. Anh/Chị vui lòng kiểm tra lại giấy tiếp nhận hồ sơ và nhập lại (còn ${attemptsLeft} lần thử).` }
}

/** Too many wrong factors from this citizen: a delay before the next try (never a lock for everyone). */
export function renderLocked (retryAfterSeconds: number): Reply {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
  return { text: `Để bảo vệ thông tin của người nộp hồ sơ, em chưa kiểm tra thêm mã tra cứu lúc này vì đã nhập sai nhiều lần. Anh/Chị vui lòng thử lại sau ${minutes} phút ạ, hoặc hỏi trực tiếp tại bộ phận một cửa.` }
}

/** No dossier with this code. */
export function renderNotFound (code: string): Reply {
  return { text: `Em chưa tìm thấy hồ sơ ${code}. Anh/Chị vui lòng kiểm tra lại mã trên giấy tiếp nhận hồ sơ; hồ sơ vừa nộp có thể cần vài giờ để cập nhật.` }
}

/** A code typed without its agency id that several agencies' dossiers end with. */
export function renderAmbiguousCode (code: string): Reply {
  return { text: `Có nhiều hồ sơ mang số ${code} ở các cơ quan khác nhau. Anh/Chị vui lòng gõ đủ mã trên giấy tiếp nhận, cả phần đầu (ví dụ 000.00.04.H51-${code}) ạ.` }
}

/**
 * Confirms a subscription and says how notices will arrive on this channel. On Zalo, messages are only
 * possible for 7 days after the citizen's last message: with template messages configured the citizen
 * is asked to agree to them («Đồng ý nhận tin mẫu Zalo»), otherwise told of the limit.
 */
export function renderSubscribed (code: string, channel: ChannelName = 'web', options: { templates?: boolean, consented?: boolean } = {}): Reply {
  const stop = subscribeButton(code, true)
  if (channel === 'telegram') return { text: `Em sẽ nhắn Anh/Chị qua Telegram khi hồ sơ ${code} có thay đổi. ${HOW_TO_STOP}`, buttons: [stop] }
  if (channel !== 'zalo') return { text: `Em sẽ nhắn Anh/Chị ngay trên trang trò chuyện này khi hồ sơ ${code} có thay đổi (mở lại trang này để xem). ${HOW_TO_STOP}`, buttons: [stop] }
  if (options.templates !== true) {
    return { text: `Em sẽ nhắn Anh/Chị qua Zalo khi hồ sơ ${code} có thay đổi, trong 7 ngày kể từ lần cuối Anh/Chị nhắn cho em (Zalo không cho nhắn sau đó). Nếu lâu chưa có tin, Anh/Chị gửi lại mã hồ sơ để em tra cứu. ${HOW_TO_STOP}`, buttons: [stop] }
  }
  if (options.consented === true) {
    return { text: `Em sẽ nhắn Anh/Chị qua Zalo khi hồ sơ ${code} có thay đổi; quá 7 ngày Anh/Chị chưa nhắn cho em thì thông báo đến bằng tin mẫu Zalo. ${HOW_TO_STOP}`, buttons: [stop] }
  }
  return {
    text: `Em sẽ nhắn Anh/Chị qua Zalo khi hồ sơ ${code} có thay đổi. Zalo chỉ cho em nhắn trong 7 ngày kể từ lần cuối Anh/Chị nhắn cho em; sau đó em chỉ gửi được tin mẫu Zalo. Nếu Anh/Chị đồng ý nhận tin mẫu, mời bấm nút bên dưới. ${HOW_TO_STOP}`,
    buttons: [{ label: 'Đồng ý nhận tin mẫu Zalo', value: dossierActions.templates(code) }, stop],
  }
}

/** Confirms the agreement to Zalo template messages; `phone`: it also covers the dossier's registered phone. */
export function renderTemplateConsent (code: string, phone: boolean): Reply {
  const where = phone ? ' (tới tài khoản Zalo này, hoặc tới số điện thoại đã đăng ký với hồ sơ)' : ' tới tài khoản Zalo này'
  return { text: `Cảm ơn Anh/Chị. Quá 7 ngày Anh/Chị chưa nhắn cho em thì thông báo về hồ sơ ${code} sẽ đến bằng tin mẫu Zalo${where}. ${HOW_TO_STOP}`, buttons: [subscribeButton(code, true)] }
}

/** Template messages cannot be agreed to here (not Zalo, or not configured). */
export function renderTemplatesUnavailable (code: string): Reply {
  return { text: `Hiện em chưa gửi được tin mẫu Zalo. Em vẫn nhắn Anh/Chị khi hồ sơ ${code} có thay đổi. ${HOW_TO_STOP}`, buttons: [subscribeButton(code, true)] }
}

/**
 * Confirms that notices stopped (chat messages and template messages). `deskPhone`: template messages to
 * the phone consented at the desk go on until the citizen proves to own the dossier.
 */
export function renderUnsubscribed (code: string, options: { deskPhone?: boolean } = {}): Reply {
  const desk = options.deskPhone === true
    ? ' Tin mẫu Zalo tới số điện thoại đăng ký tại quầy chỉ dừng được sau khi Anh/Chị nhập mã tra cứu in trên giấy tiếp nhận hồ sơ rồi gõ lại «hủy thông báo».'
    : ''
  return { text: `Em đã dừng gửi mọi thông báo về hồ sơ ${code}, cả tin nhắn và tin mẫu Zalo.${desk}`, buttons: [subscribeButton(code, false)] }
}

/** Answer to "hủy thông báo" without a dossier: which subscriptions stopped (or that there were none). */
export function renderUnsubscribedAll (codes: readonly string[]): Reply {
  if (codes.length === 0) {
    return { text: 'Anh/Chị chưa đăng ký nhận thông báo hồ sơ nào. Nếu Anh/Chị nhận tin mẫu Zalo qua số điện thoại đăng ký tại quầy, mời gửi mã hồ sơ rồi nhập mã tra cứu, sau đó gõ lại «hủy thông báo».' }
  }
  return { text: `Em đã dừng gửi mọi thông báo về hồ sơ ${codes.join(', ')}, cả tin nhắn và tin mẫu Zalo.` }
}

/** Too many subscribers on one dossier (abuse guard). */
export function renderSubscriptionFull (code: string): Reply {
  return { text: `Hồ sơ ${code} đã có nhiều người đăng ký nhận thông báo. Anh/Chị vui lòng tra cứu lại mã hồ sơ khi cần.` }
}
