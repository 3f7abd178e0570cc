import { fold } from '../../catalogue/normalize.ts'
import type { AdminUnit, Office } from '../../catalogue/schema.ts'
import type { Ctx } from '../context.ts'
import { officeKey, type OfficeContact } from '../../catalogue/contacts.ts'
import { procedureKey } from '../keys.ts'
import { HANDOFF_BUTTONS, MENU, T } from '../texts.ts'
import type { Button, Reply } from '../types.ts'
import { shortTitle } from './procedure.ts'
import { canHandOff, deskContact, unitButtons } from './support.ts'

const FIELDS_PER_PAGE = 8
const PROCEDURES_PER_PAGE = 8

/** Fields in catalogue order with their procedures. */
function fields (ctx: Ctx): Array<{ name: string, ids: string[] }> {
  const map = new Map<string, string[]>()
  for (const p of ctx.deps.catalogue.procedures) {
    const list = map.get(p.field) ?? []
    list.push(p.id)
    map.set(p.field, list)
  }
  // Busiest fields first: hộ tịch, đất đai, chứng thực … are what most citizens come for.
  return [...map].map(([name, ids]) => ({ name, ids })).sort((a, b) => b.ids.length - a.ids.length || a.name.localeCompare(b.name, 'vi'))
}

export function fieldsReply (ctx: Ctx, page: number): Reply[] {
  const all = fields(ctx)
  const pages = Math.max(1, Math.ceil(all.length / FIELDS_PER_PAGE))
  const p = Math.min(Math.max(page, 0), pages - 1)
  const buttons: Button[] = all.slice(p * FIELDS_PER_PAGE, (p + 1) * FIELDS_PER_PAGE)
    .map((f, i) => ({ label: `${f.name} (${f.ids.length})`, value: `f:${p * FIELDS_PER_PAGE + i}:0` }))
  if (p + 1 < pages) buttons.push({ label: 'Lĩnh vực khác ▶', value: `fl:${p + 1}` })
  else if (p > 0) buttons.push({ label: '◀ Trang đầu', value: 'fl:0' })
  return [{ text: `${T.fields}${pages > 1 ? ` (trang ${p + 1}/${pages})` : ''}`, buttons }]
}

export function fieldReply (ctx: Ctx, index: number, page: number): Reply[] {
  const f = fields(ctx)[index]
  if (f === undefined) return [{ text: T.unknownAction, buttons: MENU }]
  const pages = Math.ceil(f.ids.length / PROCEDURES_PER_PAGE)
  const p = Math.min(Math.max(page, 0), pages - 1)
  const ids = f.ids.slice(p * PROCEDURES_PER_PAGE, (p + 1) * PROCEDURES_PER_PAGE)
  ctx.state.choices = ids
  const titles = ids.map((id, i) => `${i + 1}. ${ctx.deps.catalogue.byId.get(id)!.title}`)
  const buttons: Button[] = ids.map((id, i) => ({ label: `${i + 1}. ${shortTitle(ctx.deps.catalogue.byId.get(id)!.title, 48)}`, value: `p:${procedureKey(id)}` }))
  if (p + 1 < pages) buttons.push({ label: 'Xem tiếp ▶', value: `f:${index}:${p + 1}` })
  buttons.push({ label: 'Lĩnh vực khác', value: 'm:fields' })
  const head = `📂 ${f.name}${pages > 1 ? ` (trang ${p + 1}/${pages})` : ''}. Anh/Chị chọn thủ tục (hoặc gõ số thứ tự):`
  return [{ text: `${head}\n${titles.join('\n')}`, buttons }]
}

/** Unit names are few and fixed (the catalogue's): each is folded once, not on every message. */
const bareNames = new Map<string, string>()
/** A unit's name without its kind ("xã Hòa Tú 1" → "hoa tu 1"); numbered wards keep it ("phuong 10"). */
const bare = (name: string): string => {
  let b = bareNames.get(name)
  if (b === undefined) {
    const f = fold(name)
    b = /^(xa|phuong|thi tran|thanh pho|huyen) \d+$/.test(f) ? f : f.replace(/^(xa|phuong|thi tran|thanh pho|huyen) /, '')
    if (bareNames.size < 10_000) bareNames.set(name, b)
  }
  return b
}

/** Finds the unit a message names, by its current or former name (longest match wins: "hoa tu 1" before "hoa tu"). */
export function findUnit (units: readonly AdminUnit[], text: string): AdminUnit | undefined {
  return matchUnit(units, text)?.unit
}

/**
 * The folded message with the unit it names taken out (with a kind word before it: "thị trấn Mỹ Xuyên
 * ở đâu" → "o dau"), or null when it names none: what is left tells whether it asks about anything else.
 */
export function withoutUnit (units: readonly AdminUnit[], text: string): string | null {
  const m = matchUnit(units, text)
  if (m === undefined) return null
  return m.q.replace(new RegExp(` (?:(?:xa|phuong|thi tran|thanh pho|huyen) )?${m.name} `), ' ').replace(/\s+/g, ' ').trim()
}

function matchUnit (units: readonly AdminUnit[], text: string): { unit: AdminUnit, name: string, q: string } | undefined {
  const q = ` ${fold(text)} `.replace(/ p ?(\d{1,2})(?= )/g, ' phuong $1').replace(/ p(?= \d)/g, ' phuong')
  let best: { unit: AdminUnit, name: string, q: string } | undefined
  for (const u of units) {
    for (const name of [u.name, ...u.formerUnits]) {
      const b = bare(name)
      if (b.length >= 3 && q.includes(` ${b} `) && (best === undefined || b.length > best.name.length)) best = { unit: u, name: b, q }
    }
  }
  return best
}

/**
 * What the bot says for an office value no public source gives exactly (never a placeholder as fact). A
 * phone, hotline or hours staff set in the overlay (`contact`) is shown as known.
 */
export function officeValue (o: Office, key: 'address' | 'hours' | 'phone', contact?: OfficeContact): string {
  if (key === 'phone' && contact?.phone !== undefined) return contact.phone
  if (key === 'hours' && contact !== undefined && contact.hours !== o.hours) return contact.hours
  if (!o.toBeConfirmed.includes(key)) return o[key]
  if (key === 'phone') return T.unknownPhone
  if (key === 'address') return `${o.address} ${T.unknownAddress}`
  return `${o.hours} ${T.unknownHours}`
}

const viDate = (d: string): string => d.split('-').reverse().join('/')

export function unitText (u: AdminUnit, former?: string, contacts: readonly OfficeContact[] = []): string {
  const lines = [`🏛 ${u.name.charAt(0).toUpperCase()}${u.name.slice(1)}`]
  if (u.formerUnits.length > 0) lines.push(`(gồm ${u.formerUnits.join(', ')} trước đây)`)
  if (former !== undefined) lines.unshift(`Từ 01/7/2025, ${former} thuộc ${u.name}.`)
  for (const o of u.offices) {
    const c = contacts.find((x) => x.key === officeKey(u.id, o.kind))
    lines.push('', `• ${o.name}`, `  Địa chỉ: ${officeValue(o, 'address')}`, `  Giờ làm việc: ${officeValue(o, 'hours', c)}`, `  Điện thoại: ${officeValue(o, 'phone', c)}`)
    if (c?.hotline !== undefined) lines.push(`  Đường dây nóng: ${c.hotline}`)
    for (const s of o.sources) lines.push(`  (Nguồn: ${s.title}, ${viDate(s.publishedAt ?? s.retrievedAt)})`)
  }
  return lines.join('\n')
}

/** An ambiguous place name in the message ("xã Thạnh Quới") not settled by its former district. */
function ambiguity (ctx: Ctx, query: string): { explanation: string, unitId: string } | undefined {
  const q = ` ${fold(query)} `
  if (q.includes(` ${fold('Mỹ Xuyên')} `)) return undefined
  return ctx.deps.catalogue.offices.ambiguousNames.find((a) => q.includes(` ${bare(a.name)} `))
}

export function officeReply (ctx: Ctx, query: string): Reply[] {
  const units = ctx.deps.catalogue.offices.units
  const unclear = units.some((u) => u.id === query) ? undefined : ambiguity(ctx, query)
  if (unclear !== undefined) {
    const target = units.find((u) => u.id === unclear.unitId)
    return [{
      text: `${unclear.explanation}\n${T.whichOne}`,
      buttons: [...(target !== undefined ? [{ label: `${target.name} (Mỹ Xuyên cũ)`, value: `o:${target.id}` }] : []), { label: 'Xã/phường khác', value: 'm:office' }],
    }]
  }
  const unit = units.find((u) => u.id === query) ?? findUnit(units, query)
  if (unit === undefined) return [{ text: T.offices, buttons: unitButtons(ctx) }]
  const q = ` ${fold(query)} `
  const named = unit.formerUnits
    .filter((f) => bare(f) !== bare(unit.name) && q.includes(` ${bare(f)} `))
    .sort((a, b) => b.length - a.length)[0]
  return [{ text: unitText(unit, named, ctx.contacts), buttons: [{ label: 'Xã/phường khác', value: 'm:office' }, { label: 'Menu', value: 'menu' }] }]
}

/** The desk's contacts; where tickets are available, a person is offered in this chat too. */
export function staffReply (ctx: Ctx): Reply[] {
  const offer = canHandOff(ctx)
  return [{ text: `${T.staff}\n${deskContact(ctx)}${offer ? `\n${T.staffOffer}` : ''}`, buttons: [...(offer ? [HANDOFF_BUTTONS.open] : []), ...unitButtons(ctx)] }]
}
