/**
 * One audited action. `details` never holds personal data (no names, phones): only field names,
 * statuses, dates and counts.
 */
export interface AuditEntry {
  at: string
  staff: string
  action: string
  code: string
  details: Record<string, unknown>
}

/** Append-only record of every write and of lock-outs. */
export interface AuditLog {
  /** Resolves once the entry is durable. */
  append (entry: AuditEntry): Promise<void>
  /** The most recent entries, newest first (at most 1,000). */
  recent (limit?: number): Promise<AuditEntry[]>
  close (): Promise<void>
}

const KEEP = 1000

function ring (initial: AuditEntry[]): { push: (e: AuditEntry) => void, recent: (n?: number) => AuditEntry[] } {
  const items = initial.slice(-KEEP)
  return {
    push (e) {
      items.push(e)
      if (items.length > KEEP * 2) items.splice(0, items.length - KEEP)
    },
    recent: (n = 100) => items.slice(-Math.min(n, KEEP)).reverse(),
  }
}

/** In-memory audit log (tests, demos). */
export function createMemoryAuditLog (): AuditLog {
  const r = ring([])
  return {
    append: async (e) => { r.push(e) },
    recent: async (n) => r.recent(n),
    close: async () => {},
  }
}
