import type { Generated } from 'kysely'

/**
 * Tables of the store, as the query layer sees them. Times are epoch milliseconds (`bigint`) unless named
 * `*_iso`; JSON documents are `text` in both engines so the queries are the same.
 */
export interface Database {
  dossiers: { code: string, procedure_id: string, status: number, updated_at: string, doc: string }
  audit: { id: Generated<number>, at: string, staff: string, action: string, code: string, details: string }
  outbox: {
    seq: Generated<number>
    id: string
    channel: string
    user_id: string
    kind: string
    replies: string
    dedupe_key: string | null
    status: string
    delivered: number
    attempts: number
    created_at: number
    updated_at: number
    next_attempt_at: number
    reason: string | null
    claimed_by: string | null
    claimed_until: number
    notice: Generated<string | null>
    lane: Generated<string>
  }
  outbox_chats: { channel: string, user_id: string, last_sent_at: number }
  conversations: { channel: string, user_id: string, state: string, updated_at: number }
  unanswered: { id: Generated<number>, text: string, channel: string, at: string, reason: string | null, procedure_id: string | null, folded: Generated<string> }
  seen_updates: { source: string, id: string, at: number, done: Generated<number>, owner: Generated<string> }
  zalo_tokens: { id: number, access_token: string, refresh_token: string, expires_at: number | null, refreshed_at: number | null }
  zalo_users: { user_id: string, last_interaction_at: number }
  attempts: { id: Generated<number>, key: string, at: number }
  rate_limits: { key: string, window_start: number, count: number }
  staff_accounts: { name: string, password_hash: string, role: string, disabled: number, created_at: number }
  staff_sessions: { token_hash: string, staff_name: string, created_at: number, expires_at: number }
  staff_aliases: { id: Generated<number>, procedure_id: string, alias: string, added_by: string, created_at: number }
  catalogue_overlay: { id: number, doc: string, updated_at: number }
  unanswered_verdicts: { folded: string, verdict: string, staff: string, at: number }
  web_inbox: { id: Generated<number>, user_id: string, at: number, doc: string }
  handoff_tickets: {
    id: Generated<number>
    channel: string
    user_id: string
    status: string
    reason: string
    procedure_id: string | null
    dossier_code: string | null
    opened_at: number
    expected_at: number
    claimed_by: string | null
    claimed_at: number | null
    first_reply_at: number | null
    closed_at: number | null
    closed_by: string | null
    updated_at: number
  }
  handoff_messages: { id: Generated<number>, ticket_id: number, at: number, author: string, staff: string | null, text: string, outbox_id: string | null }
  feedback: {
    id: Generated<number>
    channel: string
    user_id: string
    subject: string
    procedure_id: string | null
    ticket_id: number | null
    asked_at: number
    vote: number | null
    voted_at: number | null
    comment: string | null
  }
  question_counts: { week: string, channel: string, questions: number, answered: number }
  dossier_subscriptions: { channel: string, user_id: string, code: string }
  zalo_template_usage: { period: string, count: Generated<number>, cost_vnd: Generated<number> }
  zalo_template_sends: {
    key: string
    status: string
    route: string
    kind: string
    template_id: string
    code: string
    price_vnd: number
    day: string
    month: string
    reserved_at: number
    sent_at: number | null
    message_id: string | null
  }
}
