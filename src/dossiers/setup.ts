import { join } from 'node:path'
import type { Catalogue } from '../catalogue/load.ts'
import type { DossierPort } from '../conversation/context.ts'
import type { Outbox } from '../outbox/types.ts'
import type { FeaturePlugin } from '../services.ts'
import { openFileAuditLog } from './audit.ts'
import { createCalendar, type WorkingCalendar } from './calendar.ts'
import { createDossierPort } from './chat.ts'
import { openFileDossierStore } from './file-store.ts'
import { loadHolidays } from './holidays.ts'
import { createDossierPlugin } from './routes.ts'
import { createDossierService, type DossierService, type DossierServiceDeps } from './service.ts'

/** What the composition root passes to {@link createDossierFeature}. */
export interface DossierFeatureOptions {
  /** `config.dataDir`: the store lives in `<dataDir>/dossiers/`. */
  dataDir: string
  /** `config.catalogueDir`: holidays are read from `<catalogueDir>/holidays/`. */
  catalogueDir: string
  catalogue: Catalogue
  outbox?: Outbox
  now?: () => Date
  log?: DossierServiceDeps['log']
  /** Counters of wrong second factors; default in memory (pass the database's to keep them across restarts). */
  attempts?: DossierServiceDeps['attempts']
}

/** Everything the composition root needs from the dossier feature. */
export interface DossierFeature {
  service: DossierService
  calendar: WorkingCalendar
  /** For `services.plugins`. */
  plugin: FeaturePlugin
  /** For the conversation core's `dossiers` dependency. */
  port: DossierPort
  /** For `services.closers`: flushes and closes the store and the audit log. */
  close: () => Promise<void>
}

/**
 * Opens the file store and audit log under `<dataDir>/dossiers/`, loads the holiday calendar and
 * builds the service, its HTTP plugin and its conversation port.
 */
export async function createDossierFeature (options: DossierFeatureOptions): Promise<DossierFeature> {
  const dir = join(options.dataDir, 'dossiers')
  const calendar = createCalendar(loadHolidays(join(options.catalogueDir, 'holidays')))
  const store = await openFileDossierStore(dir, { onError: (err) => options.log?.warn({ err }, 'dossier compaction failed') })
  const audit = await openFileAuditLog(join(dir, 'audit.jsonl'))
  const service = createDossierService({
    store,
    audit,
    calendar,
    catalogue: options.catalogue,
    outbox: options.outbox,
    now: options.now ?? (() => new Date()),
    log: options.log,
    attempts: options.attempts,
  })
  return {
    service,
    calendar,
    plugin: createDossierPlugin(service),
    port: createDossierPort(service),
    close: async () => { await store.close(); await audit.close() },
  }
}
