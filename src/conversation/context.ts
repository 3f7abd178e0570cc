import type { Catalogue } from '../catalogue/load.ts'
import type { Procedure } from '../catalogue/schema.ts'
import type { ProcedureSearch } from '../catalogue/types.ts'
import type { ConversationState, StateStore } from './state.ts'
import type { UnansweredLog } from './unanswered.ts'
import type { ChannelName, InboundMessage, Reply } from './types.ts'
import type { ContactDirectory, OfficeContact } from '../catalogue/contacts.ts'
import type { FeedbackSubject, NewTicket, Ticket } from '../handoff/types.ts'
import { procedureKey } from './keys.ts'

/** Who is asking, as the dossier feature needs it (subscriptions, rate limits). */
export interface Requester {
  channel: InboundMessage['channel']
  userId: string
  /** See InboundMessage.clientAddress. */
  clientAddress?: string
}

/**
 * What the dialogue needs from the dossier feature. Implemented in src/dossiers; absent until that
 * feature is wired, in which case the bot says honestly that dossier lookup is not available.
 */
export interface DossierPort {
  /** A normalised dossier code found anywhere in the text, or null. */
  findCode (text: string): string | null
  lookup (code: string, who: Requester, state: ConversationState): Promise<Reply[]>
  askFactor (code: string, state: ConversationState): Promise<Reply[]>
  verify (code: string, factor: string, who: Requester, state: ConversationState): Promise<Reply[]>
  subscribe (code: string, who: Requester, on: boolean): Promise<Reply[]>
  /** Agreement to Zalo template messages after the 7-day window (button `dz:<code>`). */
  consent (code: string, who: Requester): Promise<Reply[]>
  /** "hủy thông báo" without a code: stops every subscription of the user (and the dossier in view). */
  unsubscribeAll (who: Requester, state: ConversationState): Promise<Reply[]>
}

/** When an officer is expected to answer a request made now (office hours and the working-day calendar). */
export interface AnswerEta {
  /** Now is within office hours of a working day. */
  inHours: boolean
  /** Epoch ms, rounded up to the half hour. */
  expectedAt: number
  /** The public holiday of today, if any. */
  holiday?: string
  /** Today is a Saturday or Sunday that is not worked. */
  weekend: boolean
  /** Now is the lunch break of a working day. */
  lunchBreak: boolean
}

/**
 * What the dialogue needs from the handoff feature (src/handoff): tickets to the desk. Absent (tests,
 * terminal chat) the bot gives the desk's contacts instead of opening a ticket.
 */
export interface HandoffPort {
  /** The chat's ticket that is not closed, if any. */
  active (channel: ChannelName, userId: string): Promise<Ticket | undefined>
  /** Opens a ticket with the transcript and the procedure/dossier in view (or returns the open one). */
  open (request: Omit<NewTicket, 'openedAt' | 'expectedAt'>): Promise<{ ticket: Ticket, created: boolean }>
  /** Adds a line to the ticket (citizen lines already redacted); `context` updates what is shown beside it. */
  note (ticketId: number, author: 'citizen' | 'bot', text: string, context?: { procedureId?: string, dossierCode?: string }): Promise<void>
  /** Closes the ticket at the citizen's request; false when it was closed already. */
  end (ticketId: number): Promise<boolean>
  eta (): AnswerEta
}

/** Satisfaction questions and question counts (src/handoff/feedback.ts). Absent: nothing is asked or counted. */
export interface FeedbackPort {
  /** Records that the question is asked now; returns the id its buttons carry. */
  ask (who: { channel: ChannelName, userId: string }, subject: FeedbackSubject, more?: { procedureId?: string, ticketId?: number }): Promise<number>
  /** Records 👍 (1) / 👎 (0) once, only from the chat it was asked in. */
  vote (id: number, who: { channel: ChannelName, userId: string }, vote: 0 | 1): Promise<boolean>
  comment (id: number, who: { channel: ChannelName, userId: string }, text: string): Promise<boolean>
  /** Counts a typed question in the weekly statistics. */
  count (channel: ChannelName, answered: boolean): void
}

/** Long-lived dependencies of the conversation core. */
export interface CoreDeps {
  catalogue: Catalogue
  search: ProcedureSearch
  states: StateStore
  unanswered: UnansweredLog
  dossiers?: DossierPort
  handoff?: HandoffPort
  feedback?: FeedbackPort
  /** Desk phones, hotlines and hours (offices.json + staff overlay); default: offices.json alone. */
  contacts?: ContactDirectory
  now?: () => number
}

/** What one message led to, for what follows it (the satisfaction question, the misses count). */
export type Outcome =
  | { kind: 'card', procedureId: string }
  | { kind: 'dossier' }
  | { kind: 'ticket', ticketId: number, procedureId?: string }

/** Everything one handler sees for one message; handlers may change `state`. */
export interface Ctx {
  msg: InboundMessage
  state: ConversationState
  deps: CoreDeps
  byKey: ReadonlyMap<string, Procedure>
  /** The offices' contacts as of this message. */
  contacts: readonly OfficeContact[]
  /** Set by handlers: a card shown, a dossier answered, a ticket ended. */
  outcome?: Outcome
  /** Set when the message was logged as unanswered. */
  missed?: boolean
}

/** Index of procedures by their button key (and id), built once per core. */
export function keyIndex (procedures: readonly Procedure[]): Map<string, Procedure> {
  const m = new Map<string, Procedure>()
  for (const p of procedures) { m.set(p.id, p); m.set(procedureKey(p.id), p) }
  return m
}
