import { loadCatalogue, type Catalogue } from '../../src/catalogue/load.ts'
import type { CancelFilter, Outbox, OutboxItem } from '../../src/outbox/types.ts'
import { createMemoryAuditLog, type AuditLog } from '../../src/dossiers/audit.ts'
import { createCalendar, type WorkingCalendar } from '../../src/dossiers/calendar.ts'
import { loadHolidays } from '../../src/dossiers/holidays.ts'
import { createDossierService, type DossierService } from '../../src/dossiers/service.ts'
import { createMemoryDossierStore, type DossierStore } from '../../src/dossiers/store.ts'

let catalogue: Catalogue | undefined
/** The real catalogue shipped in data/. */
export const realCatalogue = (): Catalogue => (catalogue ??= loadCatalogue('data'))
/** The real holiday calendar shipped in data/holidays/. */
export const realCalendar = (): WorkingCalendar => createCalendar(loadHolidays('data/holidays'))

/** A settable clock: the only thing these tests mock. */
export function fakeClock (iso: string): { now: () => Date, set: (iso: string) => void, advance: (ms: number) => void } {
  let t = Date.parse(iso)
  return { now: () => new Date(t), set: (s) => { t = Date.parse(s) }, advance: (ms) => { t += ms } }
}

/** In-memory Outbox fake: records enqueued items (honouring dedupe keys) and cancellations. */
export function fakeOutbox (): Outbox & { items: Array<Omit<OutboxItem, 'id'>>, cancelled: CancelFilter[] } {
  const items: Array<Omit<OutboxItem, 'id'>> = []
  const cancelled: CancelFilter[] = []
  const keys = new Set<string>()
  return {
    items,
    cancelled,
    async enqueue (item) {
      if (item.dedupeKey !== undefined && keys.has(item.dedupeKey)) return { id: item.dedupeKey, duplicate: true }
      if (item.dedupeKey !== undefined) keys.add(item.dedupeKey)
      items.push(item)
      return { id: String(items.length), duplicate: false }
    },
    register () {},
    problems: async () => [],
    waiting: async () => [],
    async cancel (filter) { cancelled.push(filter); return 0 },
    idle: async () => {},
    close: async () => {},
  }
}

export interface TestService {
  service: DossierService
  store: DossierStore
  outbox: ReturnType<typeof fakeOutbox>
  audit: AuditLog
  clock: ReturnType<typeof fakeClock>
}

/** The real service over the in-memory store fake, the outbox fake and a fake clock. */
export function makeService (iso = '2026-03-02T09:00:00+07:00', store: DossierStore = createMemoryDossierStore(), options: { zaloTemplates?: boolean } = {}): TestService {
  const clock = fakeClock(iso)
  const outbox = fakeOutbox()
  const audit = createMemoryAuditLog()
  const service = createDossierService({ store, catalogue: realCatalogue(), calendar: realCalendar(), outbox, now: clock.now, audit, zaloTemplates: options.zaloTemplates })
  return { service, store, outbox, audit, clock }
}

export const CODE = '000.00.04.H51-260302-0001'

/** A valid create body (status 2, received Monday 2 March 2026 09:00). */
export function dossierBody (over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    procedure: 'dang-ky-tam-tru',
    applicantName: 'Nguyễn Văn An',
    phone: '0912 345 678',
    receivedAt: '2026-03-02T09:00:00+07:00',
    status: 2,
    lookupCode: 'K7M2QX',
    ...over,
  }
}
