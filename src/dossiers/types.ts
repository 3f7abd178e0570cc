import type { ChannelName } from '../conversation/types.ts'

/** National status codes reported to the national portal (see docs/DOMAIN.md §4). */
export type StatusCode = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10

/** One public step of a dossier's history. `note` is addressed to the citizen (shown after verification). */
export interface HistoryEntry {
  /** ISO 8601 with +07:00. */
  at: string
  status: StatusCode
  /** Local software's finer status (e.g. "Chờ ký duyệt"), mapped onto `status`. */
  label?: string
  note?: string
}

/**
 * A chat user who asked to be told about changes. `verified`: passed the second factor first.
 * `templateConsent` (Zalo only): when the user agreed to Zalo template messages (billed to the office)
 * once Zalo's 7-day window is closed — to this account, and, for a verified user, to the dossier's phone.
 */
export interface Subscriber {
  channel: ChannelName
  userId: string
  verified?: boolean
  templateConsent?: string
}

/** The citizen agreed at the desk to notices by Zalo template message at the registered phone. */
export interface DeskConsent {
  /** ISO 8601 with +07:00. */
  at: string
  /** Staff member who recorded it. */
  staff: string
}

/** Apology for a late dossier (Phiếu xin lỗi và hẹn lại ngày trả kết quả). */
export interface Apology {
  reason: string
  /** ISO 8601 with +07:00. */
  newDueAt: string
}

/**
 * A dossier as stored. Contains personal data (name, phone): it never leaves the service as is;
 * views mask the name and never include the phone.
 */
export interface Dossier {
  code: string
  procedureId: string
  applicantName: string
  /** Digits only, e.g. `0912345678`. */
  phone: string
  receivedAt: string
  dueAt: string
  status: StatusCode
  statusLabel?: string
  history: HistoryEntry[]
  /** Documents to add (status 5). */
  missingDocuments: string[]
  /** Deadline for the citizen to add documents or pay (statuses 5, 6), if staff gave one. */
  respondBy?: string
  apology?: Apology
  /** Second factor printed on the receipt: short, from an unambiguous alphabet. */
  lookupCode: string
  subscribers: Subscriber[]
  deskConsent?: DeskConsent
  updatedAt: string
}

/** Statuses after which nothing more happens to the dossier. */
export const CLOSED_STATUSES: ReadonlySet<StatusCode> = new Set([3, 7, 8, 9, 10])
/** Statuses where the citizen must act and the clock is paused. */
export const WAITING_STATUSES: ReadonlySet<StatusCode> = new Set([5, 6])

/** National labels of the status codes. */
export const STATUS_LABELS: Readonly<Record<StatusCode, string>> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
}

/** True for a national status code 1–10. */
export const isStatusCode = (n: unknown): n is StatusCode =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 10

/** Anonymous view: no personal data beyond a masked name. Dates are ISO 8601 with +07:00. */
export interface PublicView {
  code: string
  procedure: { id: string, title: string }
  receivedAt: string
  /** The promised date, moved by the office time spent waiting for the citizen (statuses 5, 6). */
  dueAt: string
  status: StatusCode
  statusLabel: string
  overdue: boolean
  dueSoon: boolean
  nextStep: string
  applicant: string
  apology?: { newDueAt: string }
}

/** View after the second factor: adds history, missing documents, the apology's reason and the full name. */
export interface DetailView extends PublicView {
  applicantName: string
  history: HistoryEntry[]
  missingDocuments: string[]
  respondBy?: string
  apology?: { newDueAt: string, reason: string }
}

/** Outcome of a second-factor check. */
export type VerifyResult =
  /** `session`: a short-lived signed token; presented again, its holder is never delayed by others' failures. */
  | { result: 'ok', view: DetailView, session: string }
  | { result: 'wrong', attemptsLeft: number }
  /** This client must wait (progressive delay after its wrong factors); never a lock on the code for everyone. */
  | { result: 'locked', retryAfterSeconds: number }
  | { result: 'not_found' }
