import type { Config } from './config.ts'
import type { Services } from './services.ts'
import { loadCatalogue } from './catalogue/load.ts'
import { loadLexicon } from './catalogue/lexicon.ts'
import { createConversation } from './conversation/core.ts'
import { webPlugin } from './web/plugin.ts'
import type { FastifyBaseLogger } from 'fastify'
import { createOutbox, type OutboxOptions } from './outbox/outbox.ts'
import { outboxPlugin } from './outbox/routes.ts'
import { openDatabase } from './db/connect.ts'
import { createAuditStore, createDossierStore } from './db/dossier-store.ts'
import { createOutboxStore } from './db/outbox-store.ts'
import { createAttemptStore } from './db/attempt-store.ts'
import { createRateLimitStore } from './db/rate-limit-store.ts'
import { createConversationStateStore, createUnansweredStore } from './db/conversation-store.ts'
import { createChannels } from '../bots/index.ts'
import { createLogger } from './logger.ts'
import { createDossierFeature } from './dossiers/setup.ts'
import { createCatalogueReportPlugin } from './catalogue/report.ts'
import { createStaffStore } from './db/staff-store.ts'
import { createStaffAccounts } from './staff/accounts.ts'
import { createStaffPlugin } from './staff/plugin.ts'
import { createLiveSearch, startAliasSync } from './staff/live-search.ts'
import { createWebInbox, webInboxPlugin } from './web/inbox.ts'
import { createContactDirectory } from './catalogue/contacts.ts'
import { openCatalogueOverlay } from './catalogue/overlay.ts'
import { createHandoffFeature } from './handoff/setup.ts'

/** What tests may change besides the clock: the outbox's timers (a manual clock's) and pacing. */
export type ServiceOverrides = { outbox?: Pick<OutboxOptions, 'setTimer' | 'paceMs' | 'pollMs'> }

/** Builds every long-lived service from the configuration (used by main.ts and end-to-end tests). */
export async function createServices (
  config: Config,
  now: () => number = Date.now,
  logger: FastifyBaseLogger = createLogger(config),
  overrides: ServiceOverrides = {}
): Promise<Services> {
  const catalogue = loadCatalogue(config.catalogueDir)
  const lexicon = loadLexicon(config.catalogueDir)
  // Staff-taught aliases (src/staff) are added to the catalogue's and the engine rebuilt when they change.
  const search = createLiveSearch(catalogue.procedures, lexicon)
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl })
  const staffStore = createStaffStore(db)
  const aliases = await startAliasSync(staffStore, search, { onError: (err) => logger.warn({ err }, 'staff aliases not reloaded') })
  const states = createConversationStateStore(db, now)
  const unanswered = createUnansweredStore(db, now, { onError: (err, lost) => logger.error({ err, lost }, 'unanswered questions not logged') })
  const outboxStore = createOutboxStore(db)
  const outbox = await createOutbox({
    store: outboxStore,
    logger,
    now,
    retryBudgetMs: config.outbox.giveUpMs,
    leaseMs: config.outbox.leaseMs,
    clearClaimsOnStart: db.engine === 'sqlite',
    ...overrides.outbox,
  })
  const inbox = createWebInbox(db, now)
  outbox.register(inbox.sender)
  const audit = createAuditStore(db)
  const attempts = createAttemptStore(db)
  const staff = { accounts: createStaffAccounts({ store: staffStore, attempts, audit, now }), audit, store: staffStore, aliases }
  const dossierStore = createDossierStore(db)
  const dossiers = await createDossierFeature({
    store: dossierStore,
    audit,
    attempts,
    catalogueDir: config.catalogueDir,
    catalogue,
    outbox,
    now: () => new Date(now()),
    log: logger,
    zaloTemplates: config.zalo?.templates !== undefined,
  })
  // Desk phones, hotlines and hours: offices.json with what staff set on top (issue 13).
  const contacts = createContactDirectory(catalogue.offices, await openCatalogueOverlay(config.dataDir, db), { now })
  const handoff = createHandoffFeature({
    db, outbox, outboxStore, states, calendar: dossiers.calendar, catalogue, contacts, dossiers: dossierStore, audit, now, logger,
  })
  const conversation = createConversation({
    catalogue, search, states, unanswered, dossiers: dossiers.port, handoff: handoff.port, feedback: handoff.feedback, contacts, now,
  })
  const channels = await createChannels(config, { core: conversation, outbox, logger, now, db, noticeAudience: dossiers.service.audience })
  return {
    catalogue,
    search,
    conversation,
    unanswered,
    outbox,
    logger,
    // One SQLite process counts in memory (a per-minute window needs no fsync per message); instances on
    // PostgreSQL share their counters through the database.
    ...(db.engine === 'postgres' ? { rateLimitStore: createRateLimitStore(db, now) } : {}),
    staff,
    plugins: [webPlugin, webInboxPlugin(inbox), dossiers.plugin, createStaffPlugin(staff, { store: dossierStore, catalogue, calendar: dossiers.calendar, search, outbox, now, ...(channels.templateUsage !== undefined ? { templateUsage: channels.templateUsage } : {}) }), handoff.plugin, outboxPlugin(outbox), createCatalogueReportPlugin(now), ...channels.plugins],
    closers: [() => db.close(), unanswered.flush, aliases.close, dossiers.close, () => outbox.close(), handoff.close, ...channels.closers],
  }
}
