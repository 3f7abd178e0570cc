import type { CatalogueOverlay, OverlayDoc } from './overlay.ts'
import type { OfficeKind, OfficesFile } from './schema.ts'

/**
 * How to reach one office: its desk phone, hotline and hours as `data/offices.json` gives them, with
 * what staff set in the catalogue overlay on top. A phone is only ever one a public source or staff
 * gave: when neither did, `phone` is absent and the bot tells citizens to come in person during the hours.
 */
export interface OfficeContact {
  /** `<unit id>/<office kind>`: the overlay's key. */
  key: string
  unitId: string
  unitName: string
  kind: OfficeKind
  name: string
  phone?: string
  hotline?: string
  hours: string
  /** False when the hours are only the usual office hours (offices.json `toBeConfirmed`), not the office's own. */
  hoursKnown: boolean
  /** Where the phone/hotline came from: the shipped data or a staff member. */
  source: 'catalogue' | 'staff'
}

/** The overlay key of an office. */
export const officeKey = (unitId: string, kind: OfficeKind): string => `${unitId}/${kind}`

type ContactOverlay = Pick<OverlayDoc, 'phones' | 'hotlines' | 'hours'>

/** Every office of the locality with its contacts: offices.json, then the staff overlay. */
export function contactsFrom (offices: OfficesFile, overlay: Partial<ContactOverlay> = {}): OfficeContact[] {
  const out: OfficeContact[] = []
  for (const u of offices.units) {
    for (const o of u.offices) {
      const key = officeKey(u.id, o.kind)
      const staffPhone = overlay.phones?.[key]
      const staffHotline = overlay.hotlines?.[key]
      const staffHours = overlay.hours?.[key]
      const phone = staffPhone ?? (o.toBeConfirmed.includes('phone') ? undefined : o.phone)
      const hotline = staffHotline ?? o.hotline
      out.push({
        key,
        unitId: u.id,
        unitName: u.name,
        kind: o.kind,
        name: o.name,
        ...(phone !== undefined ? { phone } : {}),
        ...(hotline !== undefined ? { hotline } : {}),
        hours: staffHours ?? o.hours,
        hoursKnown: staffHours !== undefined || !o.toBeConfirmed.includes('hours'),
        source: staffPhone !== undefined || staffHotline !== undefined ? 'staff' : 'catalogue',
      })
    }
  }
  return out
}

/** A phone or hotline as staff may type it: digits with spaces or dots, 3–12 digits (1022, 0292 3817 696, +84 …). */
export function checkPhone (raw: string): string | null {
  const s = raw.trim().replace(/\s+/g, ' ')
  if (!/^\+?\d[\d .]*\d$/.test(s)) return null
  const digits = s.replace(/\D/g, '').length
  return digits >= 3 && digits <= 12 ? s : null
}

/** What staff change for one office; `null` removes the staff value (offices.json's applies again). */
export interface ContactPatch { phone?: string | null, hotline?: string | null, hours?: string | null }

/** The contacts as the bot uses them, refreshed from the overlay (other instances' edits within `ttlMs`). */
export interface ContactDirectory {
  list (): Promise<OfficeContact[]>
  /** Applies a staff change to one office; false for an unknown office key. */
  set (key: string, patch: ContactPatch): Promise<boolean>
}

/** The directory over offices.json and the catalogue overlay (cached for `ttlMs`, default 15 s). */
export function createContactDirectory (offices: OfficesFile, overlay: CatalogueOverlay, options: { ttlMs?: number, now?: () => number } = {}): ContactDirectory {
  const ttlMs = options.ttlMs ?? 15_000
  const now = options.now ?? Date.now
  const keys = new Set(contactsFrom(offices).map((c) => c.key))
  let cached: { at: number, list: OfficeContact[] } | undefined
  return {
    async list () {
      if (cached !== undefined && now() - cached.at < ttlMs) return cached.list
      const doc = await overlay.read()
      cached = { at: now(), list: contactsFrom(offices, doc) }
      return cached.list
    },
    async set (key, patch) {
      if (!keys.has(key)) return false
      const doc = await overlay.read()
      const apply = (record: Record<string, string>, value: string | null | undefined): Record<string, string> => {
        if (value === undefined) return record
        const next = { ...record }
        if (value === null) delete next[key]; else next[key] = value
        return next
      }
      await overlay.write({ ...doc, phones: apply(doc.phones, patch.phone), hotlines: apply(doc.hotlines, patch.hotline), hours: apply(doc.hours, patch.hours) })
      cached = undefined
      return true
    },
  }
}

/** A directory over offices.json alone (tests, terminal chat). */
export function staticContacts (offices: OfficesFile): ContactDirectory {
  const list = contactsFrom(offices)
  return { list: async () => list, set: async () => false }
}
