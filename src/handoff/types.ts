import type { ChannelName } from '../conversation/types.ts'

/**
 * A request of a citizen to talk to a person at the desk. `open`: waiting for an officer; `claimed`: one
 * officer answers it (nobody else may); `closed`: ended by the citizen («kết thúc») or by staff.
 */
export type TicketStatus = 'open' | 'claimed' | 'closed'

/** How the citizen asked: the menu button, typed words, after repeated misses, or after a complaint. */
export type TicketReason = 'button' | 'words' | 'failures' | 'complaint'

/** Who wrote a line of a ticket: the citizen (redacted), the bot (what it answered meanwhile), an officer, or the system. */
export type TicketAuthor = 'citizen' | 'bot' | 'staff' | 'system'

/** One ticket as stored. Times are epoch milliseconds. */
export interface Ticket {
  id: number
  channel: ChannelName
  userId: string
  status: TicketStatus
  reason: TicketReason
  /** The procedure the citizen was looking at when asking (card beside the conversation). */
  procedureId?: string
  /** The dossier the citizen looked up (status beside the conversation). */
  dossierCode?: string
  openedAt: number
  /** When the citizen was told an officer would answer by (office hours and working days). */
  expectedAt: number
  claimedBy?: string
  claimedAt?: number
  /** First officer reply: the end of the citizen's wait. */
  firstReplyAt?: number
  closedAt?: number
  /** `citizen`, or the officer's name. */
  closedBy?: string
  updatedAt: number
}

/** One line of a ticket's conversation. Citizens' lines are redacted like the unanswered log. */
export interface TicketMessage {
  id: number
  ticketId: number
  at: number
  author: TicketAuthor
  /** The officer who wrote it (author `staff`). */
  staff?: string
  text: string
  /** The outbox item that delivers it to the citizen (officer lines). */
  outboxId?: string
}

/** What a new ticket starts with. */
export interface NewTicket {
  channel: ChannelName
  userId: string
  reason: TicketReason
  procedureId?: string
  dossierCode?: string
  openedAt: number
  expectedAt: number
  /** The conversation so far (already redacted), oldest first. */
  transcript: Array<Pick<TicketMessage, 'at' | 'author' | 'text'>>
}

/** Outcome of a claim: `won`, `mine` (already mine), `taken` (another officer holds it), `closed`, `missing`. */
export type ClaimResult =
  | { result: 'won' | 'mine', ticket: Ticket }
  | { result: 'taken', claimedBy: string }
  | { result: 'closed' }
  | { result: 'missing' }

/** What the satisfaction question was asked about. */
export type FeedbackSubject = 'card' | 'dossier' | 'ticket'

/** One satisfaction question and its answer. `vote`: 1 👍, 0 👎, undefined unanswered. */
export interface FeedbackRow {
  id: number
  channel: ChannelName
  userId: string
  subject: FeedbackSubject
  procedureId?: string
  ticketId?: number
  askedAt: number
  vote?: 0 | 1
  votedAt?: number
  comment?: string
}

/** Questions counted for one week (Monday, Vietnam date) and channel. */
export interface QuestionCount { week: string, channel: string, questions: number, answered: number }

/**
 * The handoff tables (`handoff_tickets`, `handoff_messages`, `feedback`, `question_counts`). Every
 * state change is one conditional statement, so several instances (PostgreSQL) never both win.
 */
export interface HandoffStore {
  /**
   * Opens a ticket for the chat with its transcript, or returns the chat's ticket that is not closed
   * (`created: false`): a chat has at most one, enforced by a unique index.
   */
  open (ticket: NewTicket): Promise<{ ticket: Ticket, created: boolean }>
  /** The chat's ticket that is not closed, if any. */
  active (channel: ChannelName, userId: string): Promise<Ticket | undefined>
  get (id: number): Promise<Ticket | undefined>
  /** Tickets of some statuses, oldest first (longest waiting on top); at most `limit`. */
  list (statuses: readonly TicketStatus[], limit?: number): Promise<Ticket[]>
  /** Tickets opened at or after `since` (statistics). */
  openedSince (since: number): Promise<Ticket[]>
  /** Appends a line to a ticket; returns it with its id. */
  addMessage (message: Omit<TicketMessage, 'id'>): Promise<TicketMessage>
  /** Sets the outbox item of a line (after it was queued). */
  setOutboxId (messageId: number, outboxId: string): Promise<void>
  deleteMessage (messageId: number): Promise<void>
  messages (ticketId: number, limit?: number): Promise<TicketMessage[]>
  /** Sets the procedure / dossier in context when the citizen names one later. */
  setContext (id: number, context: { procedureId?: string, dossierCode?: string }, at: number): Promise<void>
  /** `open` → `claimed` by `staff`, only if still open: of two officers exactly one wins. */
  claim (id: number, staff: string, at: number): Promise<ClaimResult>
  /** Records the first officer reply (kept if already set). */
  markReplied (id: number, at: number): Promise<void>
  /**
   * Closes the ticket if it is not closed yet (and, with `onlyBy`, only if unclaimed or claimed by that
   * officer). Returns the closed ticket, or why not.
   */
  close (id: number, by: string, at: number, onlyBy?: string): Promise<{ result: 'closed', ticket: Ticket } | { result: 'already' } | { result: 'missing' } | { result: 'taken', claimedBy: string }>
  /** Records that the satisfaction question was asked; returns its id. */
  ask (row: Omit<FeedbackRow, 'id' | 'vote' | 'votedAt' | 'comment'>): Promise<number>
  /** Records the answer once, only from the chat it was asked in; false otherwise. */
  vote (id: number, channel: ChannelName, userId: string, vote: 0 | 1, at: number): Promise<boolean>
  /** Adds the optional comment to an answered question of that chat; false otherwise. */
  comment (id: number, channel: ChannelName, userId: string, text: string): Promise<boolean>
  /** Questions asked at or after `since`. */
  feedbackSince (since: number): Promise<FeedbackRow[]>
  /** Adds to the week's question counts (one statement per week and channel). */
  addQuestions (counts: readonly QuestionCount[]): Promise<void>
  /** Counts of weeks ≥ `fromWeek` (Monday, YYYY-MM-DD). */
  questionCounts (fromWeek: string): Promise<QuestionCount[]>
}
