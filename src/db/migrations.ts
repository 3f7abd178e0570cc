import { sql, type Kysely, type Migration } from 'kysely'
import type { Engine } from './connect.ts'

/** A dossier code after its agency id ("261207-0003"), as indexed by migration 0009; queries use the same text. */
export const suffixExpression = (engine: Engine): string =>
  engine === 'sqlite' ? "substr(code, instr(code, '-') + 1)" : "substr(code, strpos(code, '-') + 1)"

/** A column type that differs between the engines. */
const serial = (engine: Engine): 'integer' | 'bigserial' => engine === 'sqlite' ? 'integer' : 'bigserial'

/**
 * The versioned migrations, in order. Never edit a released one: add the next. Names sort as versions.
 * Both engines run the same builder calls; only the auto-increment type differs.
 */
function migrations (engine: Engine): Record<string, Migration> {
  const id = <T extends Kysely<any>>(db: T, table: string, col = 'id') =>
    db.schema.createTable(table).addColumn(col, serial(engine), (c) => engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey())
  return {
    '0001-initial': {
      async up (db: Kysely<any>) {
        await db.schema.createTable('dossiers')
          .addColumn('code', 'text', (c) => c.primaryKey())
          .addColumn('procedure_id', 'text', (c) => c.notNull())
          .addColumn('status', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('doc', 'text', (c) => c.notNull())
          .execute()
        await id(db, 'audit')
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('staff', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('details', 'text', (c) => c.notNull())
          .execute()

        await id(db, 'outbox', 'seq')
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('replies', 'text', (c) => c.notNull())
          .addColumn('dedupe_key', 'text', (c) => c.unique())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('delivered', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('reason', 'text')
          .addColumn('claimed_by', 'text')
          .addColumn('claimed_until', 'bigint', (c) => c.notNull().defaultTo(0))
          .execute()
        // The queue's working set: pending items per chat in order, and what is due.
        await sql`CREATE INDEX outbox_pending_chat ON outbox (channel, user_id, seq) WHERE status = 'pending'`.execute(db)
        await sql`CREATE INDEX outbox_pending_due ON outbox (next_attempt_at) WHERE status = 'pending'`.execute(db)
        await db.schema.createIndex('outbox_status_updated').on('outbox').columns(['status', 'updated_at']).execute()
        await db.schema.createTable('outbox_chats')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('last_sent_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('outbox_chats_pk', ['channel', 'user_id'])
          .execute()

        await db.schema.createTable('conversations')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('conversations_pk', ['channel', 'user_id'])
          .execute()
        await db.schema.createIndex('conversations_updated').on('conversations').column('updated_at').execute()
        await id(db, 'unanswered')
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute()
        await db.schema.createTable('seen_updates')
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('seen_updates_pk', ['source', 'id'])
          .execute()
        await db.schema.createIndex('seen_updates_at').on('seen_updates').column('at').execute()

        await db.schema.createTable('zalo_tokens')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('access_token', 'text', (c) => c.notNull())
          .addColumn('refresh_token', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'bigint')
          .addColumn('refreshed_at', 'bigint')
          .execute()
        await db.schema.createTable('zalo_users')
          .addColumn('user_id', 'text', (c) => c.primaryKey())
          .addColumn('last_interaction_at', 'bigint', (c) => c.notNull())
          .execute()
        await id(db, 'attempts')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema.createIndex('attempts_key_at').on('attempts').columns(['key', 'at']).execute()

        await db.schema.createTable('staff_accounts')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema.createTable('staff_sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('staff_name', 'text', (c) => c.notNull().references('staff_accounts.name').onDelete('cascade'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute()
        await id(db, 'staff_aliases')
          .addColumn('procedure_id', 'text', (c) => c.notNull())
          .addColumn('alias', 'text', (c) => c.notNull())
          .addColumn('added_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('staff_aliases_unique', ['procedure_id', 'alias'])
          .execute()
        await db.schema.createTable('catalogue_overlay')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('doc', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute()
      },
    },
    '0002-unanswered-reason': {
      // Why the bot could not answer, the procedure in view, and a tone-mark-free key to group by.
      async up (db: Kysely<any>) {
        await db.schema.alterTable('unanswered').addColumn('reason', 'text').execute()
        await db.schema.alterTable('unanswered').addColumn('procedure_id', 'text').execute()
        await db.schema.alterTable('unanswered').addColumn('folded', 'text', (c) => c.notNull().defaultTo('')).execute()
        await db.schema.createIndex('unanswered_folded').on('unanswered').column('folded').execute()
      },
    },
    '0003-desk-kit': {
      // Staff's verdict on an unanswered question group (by its tone-mark-free key): off-topic or taught.
      async up (db: Kysely<any>) {
        await db.schema.createTable('unanswered_verdicts')
          .addColumn('folded', 'text', (c) => c.primaryKey())
          .addColumn('verdict', 'text', (c) => c.notNull())
          .addColumn('staff', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute()
        // Notifications for web-chat sessions (the web channel's "sender"): read by polling, kept 30 days.
        await id(db, 'web_inbox')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('doc', 'text', (c) => c.notNull())
          .execute()
        await db.schema.createIndex('web_inbox_user').on('web_inbox').columns(['user_id', 'id']).execute()
      },
    },
    '0004-rate-limits': {
      // Request counters of @fastify/rate-limit (fixed windows), shared by instances and kept across restarts.
      async up (db: Kysely<any>) {
        await db.schema.createTable('rate_limits')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('window_start', 'bigint', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .execute()
      },
    },
    '0005-handoff': {
      // Talking to a person (issue 13): tickets handed to the desk, their messages, satisfaction answers and
      // weekly question counts. At most one ticket per chat is not closed (partial unique index).
      async up (db: Kysely<any>) {
        await id(db, 'handoff_tickets')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('procedure_id', 'text')
          .addColumn('dossier_code', 'text')
          .addColumn('opened_at', 'bigint', (c) => c.notNull())
          .addColumn('expected_at', 'bigint', (c) => c.notNull())
          .addColumn('claimed_by', 'text')
          .addColumn('claimed_at', 'bigint')
          .addColumn('first_reply_at', 'bigint')
          .addColumn('closed_at', 'bigint')
          .addColumn('closed_by', 'text')
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute()
        await sql`CREATE UNIQUE INDEX handoff_tickets_active_chat ON handoff_tickets (channel, user_id) WHERE status <> 'closed'`.execute(db)
        await db.schema.createIndex('handoff_tickets_status_opened').on('handoff_tickets').columns(['status', 'opened_at']).execute()
        await db.schema.createIndex('handoff_tickets_opened').on('handoff_tickets').column('opened_at').execute()
        await id(db, 'handoff_messages')
          .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('handoff_tickets.id').onDelete('cascade'))
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('staff', 'text')
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('outbox_id', 'text')
          .execute()
        await db.schema.createIndex('handoff_messages_ticket').on('handoff_messages').columns(['ticket_id', 'id']).execute()
        await id(db, 'feedback')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('procedure_id', 'text')
          .addColumn('ticket_id', 'bigint')
          .addColumn('asked_at', 'bigint', (c) => c.notNull())
          .addColumn('vote', 'integer')
          .addColumn('voted_at', 'bigint')
          .addColumn('comment', 'text')
          .execute()
        await db.schema.createIndex('feedback_asked').on('feedback').column('asked_at').execute()
        await db.schema.createTable('question_counts')
          .addColumn('week', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('questions', 'integer', (c) => c.notNull())
          .addColumn('answered', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('question_counts_pk', ['week', 'channel'])
          .execute()
      },
    },
    '0006-zalo-templates': {
      async up (db: Kysely<any>) {
        // A dossier notice travels with its outbox item, so a channel can re-route it (Zalo: a ZBS
        // template after the 7-day window) and check at send time that it is still wanted.
        await db.schema.alterTable('outbox').addColumn('notice', 'text').execute()
        // Items are ordered per (channel, user, lane): a dossier's notices have their own lane, so one that
        // waits (a template over the daily quota, until tomorrow) never holds up the chat's replies.
        await db.schema.alterTable('outbox').addColumn('lane', 'text', (c) => c.notNull().defaultTo('')).execute()
        // Who follows which dossier, kept by the dossier store with each write ("hủy thông báo" without a code).
        await db.schema.createTable('dossier_subscriptions')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('dossier_subscriptions_pk', ['channel', 'user_id', 'code'])
          .execute()
        await db.schema.createIndex('dossier_subscriptions_code').on('dossier_subscriptions').column('code').execute()
        let after = ''
        for (;;) {
          const page = await db.selectFrom('dossiers').select(['code', 'doc']).where('code', '>', after).orderBy('code').limit(1000).execute() as Array<{ code: string, doc: string }>
          const rows = page.flatMap((r) => ((JSON.parse(r.doc) as { subscribers?: Array<{ channel: string, userId: string }> }).subscribers ?? [])
            .map((s) => ({ channel: s.channel, user_id: s.userId, code: r.code })))
          if (rows.length > 0) await db.insertInto('dossier_subscriptions').values(rows).onConflict((oc) => oc.doNothing()).execute()
          if (page.length < 1000) break
          after = (page[page.length - 1] as { code: string }).code
        }
        // ZBS template messages: counters per local day (`day:YYYY-MM-DD`) and month (`month:YYYY-MM`) for
        // the daily limit and the monthly budget, and one row per template send (once per change and route).
        await db.schema.createTable('zalo_template_usage')
          .addColumn('period', 'text', (c) => c.primaryKey())
          .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('cost_vnd', 'bigint', (c) => c.notNull().defaultTo(0))
          .execute()
        await db.schema.createTable('zalo_template_sends')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('route', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('template_id', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('price_vnd', 'integer', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('month', 'text', (c) => c.notNull())
          .addColumn('reserved_at', 'bigint', (c) => c.notNull())
          .addColumn('sent_at', 'bigint')
          .addColumn('message_id', 'text')
          .execute()
        await db.schema.createIndex('zalo_template_sends_month').on('zalo_template_sends').columns(['month', 'status']).execute()
      },
    },
    '0008-rate-limit-prune-index': {
      // Pruning stale counters (on a lookup request now and then) reads the old windows, not every client's row.
      async up (db: Kysely<any>) {
        await db.schema.createIndex('rate_limits_window_start').on('rate_limits').column('window_start').execute()
      },
    },
    '0009-dossier-suffix': {
      // Codes typed without their agency id ("261207-0003") are found by this index, not a table scan.
      async up (db: Kysely<any>) {
        await sql.raw(`CREATE INDEX dossiers_suffix ON dossiers ((${suffixExpression(engine)}))`).execute(db)
      },
    },
    '0010-seen-updates-done': {
      // A delivery id is recorded before its update is handled; `done` says the handling finished (its reply
      // is queued) and `owner` which server process took it, so a re-delivery after a crash in between is
      // handled again instead of dropped as a duplicate. Rows from before were handled: done = 1.
      async up (db: Kysely<any>) {
        await db.schema.alterTable('seen_updates').addColumn('done', 'integer', (c) => c.notNull().defaultTo(1)).execute()
        await db.schema.alterTable('seen_updates').addColumn('owner', 'text', (c) => c.notNull().defaultTo('')).execute()
      },
    },
  }
}

/**
 * Brings the schema to the latest version and returns the names applied. Idempotent. All pending
 * migrations run in one transaction (DDL is transactional in both engines); on PostgreSQL under an
 * advisory lock per schema, so instances starting together migrate once. Applied names are kept in
 * `schema_migrations`. (Kysely's own Migrator is not used: its PostgreSQL check inspects every schema and
 * trips over schemas dropped concurrently.)
 */
export async function migrateToLatest (db: Kysely<any>, engine: Engine): Promise<string[]> {
  const all = migrations(engine)
  try {
    return await db.transaction().execute(async (tx) => {
      if (engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext('tgtt-migrate:' || current_schema()))`.execute(tx)
      await tx.schema.createTable('schema_migrations').ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('applied_at', 'bigint', (c) => c.notNull())
        .execute()
      const done = new Set((await tx.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name as string))
      const applied: string[] = []
      for (const name of Object.keys(all).sort()) {
        if (done.has(name)) continue
        await (all[name] as Migration).up(tx)
        await tx.insertInto('schema_migrations').values({ name, applied_at: Date.now() }).execute()
        applied.push(name)
      }
      return applied
    })
  } catch (err) {
    throw new Error(`database migration failed: ${(err as Error).message}`)
  }
}
