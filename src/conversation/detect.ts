import { fold } from '../catalogue/normalize.ts'
import type { Section } from './card.ts'
import { SECTION_CODES } from './card.ts'
import type { ConversationState } from './state.ts'
import { OUT_OF_SCOPE } from './texts.ts'
import { followUpTopic, type FollowUpTopic } from './follow-ups.ts'
import { FACTOR_SHAPE, factorBesideCode } from '../dossiers/code.ts'
import type { TicketReason } from '../handoff/types.ts'

/** The out-of-scope topics' words, folded once (` word `, to match whole words of the folded message). */
const OUT_OF_SCOPE_FOLDED = OUT_OF_SCOPE.map((o) => ({ text: o.text, words: o.words.map((w) => ` ${fold(w)} `) }))

/** Every intent the dialogue knows. Adding one is a type error in the router until it is handled. */
export type Intent =
  | { kind: 'empty' }
  | { kind: 'greeting' }
  | { kind: 'help' }
  | { kind: 'thanks' }
  | { kind: 'bye' }
  | { kind: 'searchPrompt' }
  | { kind: 'dossierPrompt' }
  | { kind: 'dossier', code: string }
  | { kind: 'dossierFactor', code: string, factor: string }
  | { kind: 'dossierSubscribe', code: string, on: boolean }
  | { kind: 'dossierConsent', code: string }
  | { kind: 'dossierStopAll' }
  | { kind: 'dossierDetail', code: string }
  | { kind: 'fields', page: number }
  | { kind: 'field', index: number, page: number }
  | { kind: 'offices' }
  | { kind: 'office', query: string }
  | { kind: 'staff' }
  | { kind: 'handoff', reason: TicketReason }
  | { kind: 'handoffEnd' }
  | { kind: 'vote', id: number, vote: 0 | 1 }
  | { kind: 'voteSkip' }
  | { kind: 'smallTalk' }
  | { kind: 'frustrated' }
  | { kind: 'complaint', text: string }
  | { kind: 'hours' }
  | { kind: 'followUp', topic: FollowUpTopic, text: string }
  | { kind: 'outOfScope', text: string }
  | { kind: 'open', key: string }
  | { kind: 'section', section: Section, key?: string, rest?: string }
  | { kind: 'ordinal', index: number }
  | { kind: 'search', text: string }
  | { kind: 'unknownAction' }

const SECTION_BY_CODE = new Map(Object.entries(SECTION_CODES).map(([s, c]) => [c, s as Section]))

/** Parses a button value (opaque, ≤ 40 bytes) into an intent. */
export function parseAction (action: string): Intent {
  if (action === 'start' || action === 'menu') return { kind: 'greeting' }
  if (action === 'help') return { kind: 'help' }
  if (action === 'm:search') return { kind: 'searchPrompt' }
  if (action === 'm:dossier') return { kind: 'dossierPrompt' }
  if (action === 'm:fields') return { kind: 'fields', page: 0 }
  if (action === 'm:office') return { kind: 'offices' }
  if (action === 'm:staff') return { kind: 'handoff', reason: 'button' }
  if (action === 'h:end') return { kind: 'handoffEnd' }
  if (action === 'fb:skip') return { kind: 'voteSkip' }
  const [head, a = '', b = ''] = action.split(':')
  switch (head) {
    case 'h': return a === 'open' ? { kind: 'handoff', reason: b === 'c' ? 'complaint' : b === 'f' ? 'failures' : 'button' } : { kind: 'unknownAction' }
    case 'fb': return /^\d{1,15}$/.test(a) && (b === '0' || b === '1') ? { kind: 'vote', id: Number(a), vote: b === '1' ? 1 : 0 } : { kind: 'unknownAction' }
    case 'p': return a ? { kind: 'open', key: action.slice(2) } : { kind: 'unknownAction' }
    case 's': {
      const section = SECTION_BY_CODE.get(a)
      return section && b ? { kind: 'section', section, key: b } : { kind: 'unknownAction' }
    }
    case 'fl': return { kind: 'fields', page: Number(a) || 0 }
    case 'f': return Number.isInteger(Number(a)) && a !== '' ? { kind: 'field', index: Number(a), page: Number(b) || 0 } : { kind: 'unknownAction' }
    case 'o': return a ? { kind: 'office', query: a } : { kind: 'unknownAction' }
    case 'd': return a ? { kind: 'dossier', code: action.slice(2) } : { kind: 'unknownAction' }
    case 'ds': return a ? { kind: 'dossierSubscribe', code: action.slice(3), on: true } : { kind: 'unknownAction' }
    case 'du': return a ? { kind: 'dossierSubscribe', code: action.slice(3), on: false } : { kind: 'unknownAction' }
    case 'dv': return a ? { kind: 'dossierDetail', code: action.slice(3) } : { kind: 'unknownAction' }
    case 'dz': return a ? { kind: 'dossierConsent', code: action.slice(3) } : { kind: 'unknownAction' }
    default: return { kind: 'unknownAction' }
  }
}

const GREETINGS = /^(xin )?(chao|hello|hi|hey|alo|a lo|allo|start|bat dau|menu|chao ban|chao em|chao ad|chao admin|chao anh|chao chi)( (ban|em|ad|admin|anh|chi|bot|a|nha|nhe|buoi sang|buoi chieu))*$/
const HELP = /^(help|tro giup|huong dan|giup toi|giup em|giup voi|ban lam duoc gi|bot lam duoc gi|em lam duoc gi|lam duoc gi|chuc nang|\/help)$/
const THANKS = /(^| )(cam on|cam ta|thank|thanks|thank you|tks|thanks you|ok cam on)( |$)/
const BYE = /^(tam biet|bye|bye bye|goodbye|hen gap lai|chao nhe|thoi chao)( (nha|nhe|a|em|ban|ad))*$/
/** Asking to talk to a person: a ticket to the desk (or the desk's contacts where tickets are not available). */
const HANDOFF = /(gap (can bo|nhan vien|nguoi that|nguoi|ai do|truc tiep)|noi chuyen voi (nguoi|can bo|nhan vien|ai)|nguoi that|can bo tiep|(can|muon|cho) (nguoi|can bo|nhan vien) (ho tro|tu van|tra loi|giup)|chuyen (cho|sang) (can bo|nguoi|nhan vien)|nhan (tin )?(cho|voi) can bo|hoi (truc tiep )?can bo)/
/** Asking how to reach the desk by phone: the contacts, with a ticket offered. */
const STAFF = /(tong dai|hotline|duong day nong|lien he can bo|goi dien cho ai|so dien thoai (cua )?(can bo|mot cua|trung tam))/
/** Ending the conversation with an officer («kết thúc»). */
const END = /^(ket thuc|ket thuc (tro chuyen|cuoc tro chuyen|chat|ho tro|yeu cau)|dung (tro chuyen|chat)|huy (yeu cau|gap can bo))( (a|nha|nhe|roi|nhe em|nha em))*$/
/** Short acknowledgements and probes ("dạ", "ok", "test", "alo có ai không"): answered kindly, never searched. */
const SMALL_TALK = /^((da|vang|u|uh|uhm|um|o|ok|oke|okie|okay|k|kk|hihi|hi hi|haha|hehe|hi|test|thu|alo|a lo|allo|co ai (khong|ko|k|hong)|co ai o do (khong|ko|k)?|ai do|roi|duoc roi|biet roi|hieu roi|vay ha|the a|vay a|a|ah|oh|nha|nhe|ne|yes|no|sao|gi|hm|hmm)( |$))+$/
/** Frustration with the bot itself. */
const FRUSTRATED = /(bot (ngu|do|te|vo dung|kem)|ngu (qua|the|vay|ghe)|(hoi|noi) (hoai|mai|hoai ma|mai ma|may lan)( ma)? (khong|ko|k|chang|hong) (hieu|tra loi)|khong hieu gi|chang hieu gi|tra loi (sai|lung tung|vo van|linh tinh)|vo dung|chan (qua|the)|buc (minh|qua)|may (ngu|dien)|tao hoi)/
/** A complaint about a dossier taking too long or about the service: apology, dossier lookup, a person. */
const COMPLAINT = /(tre hen|qua hen|cham tre|lau qua (ma )?(chua|khong)|(\d+|mot|hai|ba|bon|nam|may|may chuc) (tuan|thang|ngay|bua) (roi|nay|nay roi) (ma )?(van )?(chua|khong) (co|xong|duoc|thay|tra|giai quyet)|chua (thay|co) (ket qua|tra loi)|khieu nai (can bo|nhan vien|vi|ve viec (cham|tre))|(muon|se|tui|toi|em) khieu nai|phan anh (can bo|nhan vien|thai do)|thai do (can bo|nhan vien)|hach sach|nhung nhieu|vo trach nhiem)/
/** Questions about opening hours, answered at once for every office. */
const HOURS = /(gio lam viec|may gio (mo|lam|dong|nghi)|lam viec (luc |tu |den )?may gio|gio hanh chinh|gio mo cua|mo cua (luc|may gio|khong|ko)|dong cua (luc|may gio)|(thu (7|bay)|chu nhat|cuoi tuan|buoi trua|trua|buoi toi|ngay le|sang thu (7|bay)) (co )?(lam|mo|nhan|lam viec|tiep|giai quyet)|nghi trua|lam viec (thu|chu nhat|cuoi tuan)|co lam (thu|chu nhat|cuoi tuan)|(thu (7|bay)|chu nhat|cuoi tuan) co .* (khong|ko|k|hong)$)/
/** A short yes/no or wh- question, which right after a card is a follow-up about it. */
const GENERIC_FOLLOW_UP = /^(vay |the |con |thi )?(co can|co phai|co duoc|co bi|co mat|co lay|can|phai|duoc|bao gio|khi nao|ai|lam sao|sao|neu)( |$)/
/** "thuộc xã nào", "giờ là xã gì": where an old unit belongs since 07/2025. */
const BELONGS = /(thuoc (xa|phuong) nao|gio (la|thuoc) (xa|phuong)|sap nhap (vao|voi)|nhap (vao|voi) (xa|phuong) nao|doi ten (thanh|la))/
const OFFICE = /(gio lam viec|may gio (mo|lam|dong)|lam viec (luc|tu) may gio|gio hanh chinh|mo cua|dong cua|thu bay co lam|chu nhat co lam|dia chi (xa|phuong|trung tam|ubnd|uy ban|bo phan|mot cua)|so dien thoai|sdt|trung tam phuc vu|bo phan mot cua|uy ban (xa|phuong)|ubnd|o dau (vay|a)?$)/

/** Aspect words: a follow-up about one section of the current procedure. Longest first. */
const ASPECT_WORDS: Array<[string[], Section]> = [
  [['le phi', 'phi', 'bao nhieu tien', 'ton bao nhieu', 'het bao nhieu', 'mat bao nhieu tien', 'mat tien', 'mat phi', 'mat bao nhieu', 'tien phi', 'tien le phi', 'gia bao nhieu', 'mien phi', 'dong tien', 'chi phi'], 'fee'],
  [['bao lau', 'mat bao lau', 'mat thoi gian bao lau', 'mat khoang bao lau', 'may ngay', 'mat may ngay', 'mat bao nhieu ngay', 'thoi han', 'thoi gian', 'khi nao co', 'khi nao lay', 'khi nao nhan', 'bao gio co', 'bao gio lay', 'bao gio nhan', 'lau khong', 'lau ko', 'may bua', 'bao nhieu ngay'], 'time'],
  [['mau don', 'to khai', 'mau to khai', 'bieu mau', 'mau giay', 'mau so', 'don mau'], 'forms'],
  [['giay to', 'ho so gom', 'ho so can', 'can gi', 'can nhung gi', 'mang theo', 'mang gi', 'chuan bi gi', 'can giay', 'thanh phan ho so', 'ho so', 'can mang'], 'docs'],
  [['nop o dau', 'lam o dau', 'o dau', 'cho nao', 'noi nop', 'nop tai', 'den dau', 'di dau', 'noi lam'], 'where'],
  [['cac buoc', 'trinh tu', 'quy trinh', 'lam the nao', 'lam sao', 'cach lam', 'the nao'], 'steps'],
  [['dieu kien', 'yeu cau gi'], 'cond'],
]
const ASPECTS: Array<[RegExp, Section]> = ASPECT_WORDS.map(([words, section]) => [
  new RegExp(`(?:^| )(?:${[...words].sort((a, b) => b.length - a.length).join('|')})(?= |$)`, 'g'), section,
])
/** "hủy thông báo", "dừng nhận thông báo nhé", "không nhận thông báo nữa" (tone marks folded). */
const STOP_NOTICES = /^(?:(?:xin|cho (?:em|toi|minh|tui)|toi|em|minh|tui) (?:muon )?)?(?:(?:huy|dung|ngung|tat|bo|thoi) (?:nhan |gui )?(?:thong bao|tb)|khong (?:muon )?nhan (?:thong bao|tb) nua)(?: (?:ho so|nua|nhe|nha|a|giup|di|voi|em|ad|luon))*$/

/** True when the text asks to stop notices (the dossier code, if any, removed first). */
export const isStopNotices = (folded: string): boolean => STOP_NOTICES.test(folded.replace(/\s+/g, ' ').trim())

const DOSSIER_PROMPT = /(tra cuu|kiem tra|xem|hoi) (tinh trang |tien do )?ho so( cua (toi|em|minh|tui))?$|ho so (cua )?(toi|em|minh|tui) (toi dau|den dau|sao roi|the nao)|tra cuu ho so|ma ho so|giay hen/

const ORDINAL_WORDS: Record<string, number> = { nhat: 1, dau: 1, 'dau tien': 1, mot: 1, hai: 2, nhi: 2, ba: 3, bon: 4, tu: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10 }

/** "2", "số 3", "cái thứ hai", "thứ 2", "cái đầu tiên", "lựa chọn 1" → 1-based index; null otherwise. */
export function parseOrdinal (folded: string): number | null {
  const m = /^(?:(?:chon|lua chon|so|cai|muc|dong|thu tuc|phuong an)\s+)*(?:thu\s+)?(\d{1,2}|nhat|dau tien|dau|mot|hai|nhi|ba|bon|tu|nam|sau|bay|tam|chin|muoi)(?:\s+(?:a|nha|nhe|di|do))?$/.exec(folded)
  if (m === null) return null
  const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : ORDINAL_WORDS[m[1]!] ?? null
  return n !== null && n >= 1 ? n : null
}

/**
 * Removes the aspect words from a question, leaving what may name a procedure ("phí làm sổ đỏ" → "làm sổ
 * đỏ"). The longest aspect phrase wins across sections ("mất bao nhiêu ngày" is time, not fee).
 */
export function aspectOf (folded: string): { section: Section, rest: string } | null {
  let best: { section: Section, re: RegExp, len: number } | null = null
  for (const [re, section] of ASPECTS) {
    re.lastIndex = 0
    for (const m of folded.matchAll(re)) {
      const len = m[0].trim().length
      if (best === null || len > best.len) best = { section, re, len }
    }
  }
  if (best === null) return null
  best.re.lastIndex = 0
  return { section: best.section, rest: folded.replace(best.re, ' ').replace(/\s+/g, ' ').trim() }
}

/** Words that, beside a place name, still only ask where the office is ("thị trấn Mỹ Xuyên ở đâu vậy"). */
const PLACE_QUESTION = new Set(['o', 'dau', 'cho', 'nao', 'vay', 'a', 'ha', 'nhi', 'oi', 'la', 'gio', 'con', 'the', 'thi', 'khong', 'ko', 'k',
  'hong', 'dia', 'chi', 'nam', 'ben', 'tru', 'so', 'tai', 'em', 'toi', 'minh', 'hoi', 'xin', 'cua', 'uy', 'ban', 'ubnd', 'xa', 'phuong',
  'bo', 'phan', 'mot', 'trung', 'tam', 'dien', 'thoai', 'sdt', 'duong', 'di', 'toi', 'lam', 'viec'])

/**
 * Classifies a typed message. `findDossierCode` recognises a dossier code anywhere in the text: such a
 * message always goes to the dossier intent, never to procedure search. `withoutPlace` takes a commune
 * named in the message out of it (null when none is named): a place with nothing else asked is a question
 * about that place's office, even right after a procedure card.
 */
export function detectText (text: string, state: ConversationState | undefined, findDossierCode: (t: string) => string | null,
  withoutPlace: (t: string) => string | null = () => null): Intent {
  const folded = fold(text)
  if (folded === '') return { kind: 'empty' }
  const code = findDossierCode(text)
  if (code !== null && isStopNotices(fold(text.replace(/\S*\d\S*-\S*\d\S*/g, ' ')))) return { kind: 'dossierSubscribe', code, on: false }
  if (code === null && isStopNotices(folded)) return { kind: 'dossierStopAll' }
  if (code !== null) {
    // "<code> KH2M7A": the lookup code (or last 4 phone digits) typed with the code.
    const factor = factorBesideCode(text, code)
    return factor === null ? { kind: 'dossier', code } : { kind: 'dossierFactor', code, factor }
  }
  const typed = text.trim().replace(/^(ma|mã|ma tra cuu|mã tra cứu|so|số)\s*:?\s*/i, '').replace(/\s+/g, '')
  if (state?.awaitingFactorFor !== undefined && FACTOR_SHAPE.test(typed)) {
    return { kind: 'dossierFactor', code: state.awaitingFactorFor, factor: typed.toUpperCase() }
  }
  // "2", "số 3", "cái thứ hai": a pick from the last list (answered honestly when there is none).
  const n = parseOrdinal(folded)
  if (n !== null && ((state?.choices?.length ?? 0) > 0 || /^(\d{1,2}|(so|cai|chon|lua chon) .+)$/.test(folded))) {
    return { kind: 'ordinal', index: n }
  }
  if (END.test(folded)) return { kind: 'handoffEnd' }
  if (folded === 'start' || folded.startsWith('start ')) return { kind: 'greeting' }
  if (GREETINGS.test(folded)) return { kind: 'greeting' }
  if (HELP.test(folded)) return { kind: 'help' }
  if (BYE.test(folded)) return { kind: 'bye' }
  if (THANKS.test(folded) && folded.split(' ').length <= 6) return { kind: 'thanks' }
  for (const o of OUT_OF_SCOPE_FOLDED) if (o.words.some((w) => ` ${folded} `.includes(w))) return { kind: 'outOfScope', text: o.text }
  if (SMALL_TALK.test(folded)) return { kind: 'smallTalk' }
  if (HANDOFF.test(folded)) return { kind: 'handoff', reason: 'words' }
  if (FRUSTRATED.test(folded)) return { kind: 'frustrated' }
  if (STAFF.test(folded)) return { kind: 'staff' }
  if (COMPLAINT.test(folded)) return { kind: 'complaint', text }
  if (HOURS.test(folded)) return { kind: 'hours' }
  if (BELONGS.test(folded)) return { kind: 'office', query: folded }
  const rest = withoutPlace(text)
  if (rest !== null && rest.split(' ').every((w) => w === '' || PLACE_QUESTION.has(w))) return { kind: 'office', query: folded }
  if (state?.procedureId !== undefined) {
    const topic = followUpTopic(folded)
    if (topic !== null) return { kind: 'followUp', topic, text }
  }
  if (DOSSIER_PROMPT.test(folded)) return { kind: 'dossierPrompt' }
  const aspect = aspectOf(folded)
  if (aspect !== null && (state?.procedureId !== undefined || aspect.rest !== '')) {
    // "ở đâu" alone without a current procedure is a question about the office.
    if (!(aspect.section === 'where' && state?.procedureId === undefined && aspect.rest.split(' ').length <= 2 && OFFICE.test(folded))) {
      return { kind: 'section', section: aspect.section, rest: aspect.rest }
    }
  }
  if (OFFICE.test(folded)) return { kind: 'office', query: folded }
  if (aspect !== null) return { kind: 'section', section: aspect.section, rest: '' }
  // "có cần chụp hình không" right after a card is about that procedure, not a new search.
  if (state?.procedureId !== undefined && GENERIC_FOLLOW_UP.test(folded) && folded.split(' ').length <= 8) {
    return { kind: 'followUp', topic: 'other', text }
  }
  return { kind: 'search', text }
}
