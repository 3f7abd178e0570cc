import { join } from 'node:path'
import type { Catalogue } from '../catalogue/load.ts'
import type { AuditLog } from './audit.ts'
import type { DossierStore } from './store.ts'
import type { DossierPort } from '../conversation/context.ts'
import type { Outbox } from '../outbox/types.ts'
import type { FeaturePlugin } from '../services.ts'
import { createCalendar, type WorkingCalendar } from './calendar.ts'
import { createDossierPort } from './chat.ts'
import { loadHolidays } from './holidays.ts'
import { createDossierPlugin } from './routes.ts'
import { createDossierService, type DossierService, type DossierServiceDeps } from './service.ts'

/** What the composition root passes to {@link createDossierFeature}. */
export interface DossierFeatureOptions {
  /** Where dossiers live (`createDossierStore(db)`, or the memory store in demos). */
  store: DossierStore
  /** Where staff actions are recorded (`createAuditStore(db)`). */
  audit: AuditLog
  /** `config.catalogueDir`: holidays are read from `<catalogueDir>/holidays/`. */
  catalogueDir: string
  catalogue: Catalogue
  outbox?: Outbox
  now?: () => Date
  log?: DossierServiceDeps['log']
  /** Counters of wrong second factors; default in memory (pass the database's to keep them across restarts). */
  attempts?: DossierServiceDeps['attempts']
  /** Zalo template messages are configured (see DossierServiceDeps.zaloTemplates). */
  zaloTemplates?: boolean
}

/** Everything the composition root needs from the dossier feature. */
export interface DossierFeature {
  service: DossierService
  calendar: WorkingCalendar
  /** For `services.plugins`. */
  plugin: FeaturePlugin
  /** For the conversation core's `dossiers` dependency. */
  port: DossierPort
  /** For `services.closers` (the database itself is closed by the composition root). */
  close: () => Promise<void>
}

/** Loads the holiday calendar and builds the service over the given stores, its HTTP plugin and its conversation port. */
export async function createDossierFeature (options: DossierFeatureOptions): Promise<DossierFeature> {
  const { store, audit } = options
  const calendar = createCalendar(loadHolidays(join(options.catalogueDir, 'holidays')))
  const service = createDossierService({
    store,
    audit,
    calendar,
    catalogue: options.catalogue,
    outbox: options.outbox,
    now: options.now ?? (() => new Date()),
    log: options.log,
    attempts: options.attempts,
    zaloTemplates: options.zaloTemplates,
  })
  return {
    service,
    calendar,
    plugin: createDossierPlugin(service),
    port: createDossierPort(service, { zaloTemplates: options.zaloTemplates }),
    close: async () => { await store.close(); await audit.close() },
  }
}
