import type { FastifyBaseLogger } from 'fastify'
import type { Catalogue } from '../catalogue/load.ts'
import type { ContactDirectory } from '../catalogue/contacts.ts'
import type { HandoffPort } from '../conversation/context.ts'
import type { StateStore } from '../conversation/state.ts'
import type { Db } from '../db/connect.ts'
import { createHandoffStore } from '../db/handoff-store.ts'
import type { OutboxStore } from '../db/outbox-store.ts'
import { createZaloUserStore } from '../db/zalo-store.ts'
import type { AuditLog } from '../dossiers/audit.ts'
import type { WorkingCalendar } from '../dossiers/calendar.ts'
import type { DossierStore } from '../dossiers/store.ts'
import type { Outbox } from '../outbox/types.ts'
import type { FeaturePlugin } from '../services.ts'
import { createFeedback, type Feedback } from './feedback.ts'
import { handoffPlugin } from './routes.ts'
import { createHandoffService, type HandoffService } from './service.ts'

/** What the composition root passes to {@link createHandoffFeature}. */
export interface HandoffFeatureOptions {
  db: Db
  outbox: Outbox
  /** For the delivery state of officers' replies. */
  outboxStore: Pick<OutboxStore, 'get'>
  states: StateStore
  calendar: WorkingCalendar
  catalogue: Catalogue
  contacts: ContactDirectory
  dossiers: DossierStore
  audit: AuditLog
  now: () => number
  logger: FastifyBaseLogger
}

/** Everything the composition root needs from the handoff feature. */
export interface HandoffFeature {
  service: HandoffService
  /** For the conversation core's `handoff` and `feedback` dependencies. */
  port: HandoffPort
  feedback: Feedback
  plugin: FeaturePlugin
  /** Writes the last question counts (before the database closes). */
  close: () => Promise<void>
}

/** Builds the handoff feature over the store: tickets, the staff inbox, satisfaction and statistics. */
export function createHandoffFeature (o: HandoffFeatureOptions): HandoffFeature {
  const store = createHandoffStore(o.db)
  const feedback = createFeedback({ store, now: o.now, onError: (err) => o.logger.warn({ err }, 'question counts not written; kept for the next try') })
  const service = createHandoffService({
    store,
    outbox: o.outbox,
    outboxStatus: async (id) => (await o.outboxStore.get(id))?.status,
    states: o.states,
    calendar: o.calendar,
    catalogue: o.catalogue,
    contacts: o.contacts,
    dossiers: o.dossiers,
    audit: o.audit,
    zaloUsers: createZaloUserStore(o.db),
    now: o.now,
  })
  return {
    service,
    port: service.port,
    feedback,
    plugin: handoffPlugin({ service, store, feedback, contacts: o.contacts, dossiers: o.dossiers, catalogue: o.catalogue, calendar: o.calendar, audit: o.audit, now: o.now }),
    close: () => feedback.close(),
  }
}
