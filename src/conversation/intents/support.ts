import { fold } from '../../catalogue/normalize.ts'
import type { Ctx } from '../context.ts'
import { procedureKey } from '../keys.ts'
import { HANDOFF_BUTTONS, MENU, T } from '../texts.ts'
import type { OfficeContact } from '../../catalogue/contacts.ts'
import type { OfficeKind } from '../../catalogue/schema.ts'
import type { Button, Reply } from '../types.ts'
import { sectionButtons } from '../card.ts'
import { findUnit, officeReply } from './info.ts'

/** Buttons that open each unit's office details. */
export function unitButtons (ctx: Ctx): Button[] {
  return ctx.deps.catalogue.offices.units.map((u) => ({ label: u.name, value: `o:${u.id}` }))
}

/** Opening hours shared by most commune one-stop desks (the most frequent value of offices.json and the overlay). */
export function commonHours (ctx: Ctx): string | undefined {
  return mostCommon(ctx.contacts.filter((c) => c.kind === 'commune-centre').map((c) => c.hours))
}

function mostCommon (values: readonly string[]): string | undefined {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
}

/** Hours without their trailing remark ("(tiếp nhận hồ sơ trong ngày đến 15:00 …)"), for one-line contacts. */
const shortHours = (hours: string): string => hours.replace(/\s*\(.*\)\s*$/, '')

const KIND_WHO: Record<OfficeKind, string> = {
  'commune-centre': 'Bộ phận một cửa các xã/phường',
  'commune-police': 'Công an các xã/phường',
  'city-centre': 'Trung tâm Phục vụ hành chính công thành phố',
}

const phoneLine = (c: OfficeContact): string =>
  `☎️ ${c.name}: ${[c.phone, c.hotline !== undefined ? `đường dây nóng ${c.hotline}` : undefined].filter((x) => x !== undefined).join(', ')}`

/**
 * The contacts that exist, as lines: the known desk phones and hotlines of offices of `kind` (default the
 * commune desks), and for offices without a known number the advice to come in person during their hours —
 * never a number nobody published. Without a kind, the city centre's known number is added for city-level
 * procedures.
 */
export function contactLines (contacts: readonly OfficeContact[], kind?: OfficeKind): string[] {
  const of = contacts.filter((c) => c.kind === (kind ?? 'commune-centre'))
  const known = of.filter((c) => c.phone !== undefined || c.hotline !== undefined)
  const unknown = of.filter((c) => c.phone === undefined && c.hotline === undefined)
  const lines = known.map(phoneLine)
  const hours = mostCommon(unknown.map((c) => shortHours(c.hours)))
  if (hours !== undefined) {
    lines.push(known.length === 0 ? `🏛 ${T.noPhoneDesks(KIND_WHO[kind ?? 'commune-centre'])}: ${hours}.` : `🏛 ${T.otherDesks}: ${hours}.`)
  }
  if (kind === undefined) {
    for (const c of contacts.filter((x) => x.kind === 'city-centre' && (x.phone !== undefined || x.hotline !== undefined))) {
      lines.push(`${phoneLine(c)} (thủ tục cấp thành phố; ${shortHours(c.hours)})`)
    }
  }
  return lines
}

/** The kind of office of the procedure in view, if any. */
const kindInView = (ctx: Ctx): OfficeKind | undefined =>
  ctx.state.procedureId === undefined ? undefined : ctx.deps.catalogue.byId.get(ctx.state.procedureId)?.office

/** How to reach a person at the desk: the contacts that exist (see {@link contactLines}) and the unit picker. */
export function deskContact (ctx: Ctx): string {
  return [...contactLines(ctx.contacts, kindInView(ctx)), T.pickOffice].join('\n')
}

/** Whether this chat can be handed to an officer (the feature is wired and the channel can receive replies). */
export const canHandOff = (ctx: Ctx): boolean => ctx.deps.handoff !== undefined && ctx.msg.channel !== 'terminal'

export function smallTalkReply (ctx: Ctx): Reply[] {
  const current = ctx.state.procedureId === undefined ? undefined : ctx.deps.catalogue.byId.get(ctx.state.procedureId)
  if (current !== undefined) return [{ text: T.smallTalkCard(current.title), buttons: sectionButtons(current) }]
  return [{ text: T.smallTalk, buttons: MENU }]
}

export function frustratedReply (ctx: Ctx): Reply[] {
  const offer: Button[] = canHandOff(ctx) ? [HANDOFF_BUTTONS.afterFailures] : []
  return [{ text: `${T.frustrated}\n${deskContact(ctx)}`, buttons: [...offer, ...unitButtons(ctx), { label: 'Menu', value: 'menu' }] }]
}

export async function complaintReply (ctx: Ctx, text: string): Promise<Reply[]> {
  await ctx.deps.unanswered.record(text, ctx.msg.channel, { reason: 'complaint' })
  const formal = ctx.deps.catalogue.procedures.find((p) => fold(p.title) === 'giai quyet khieu nai lan dau')
  const buttons: Button[] = [{ label: '📋 Tra cứu hồ sơ', value: 'm:dossier' }]
  if (canHandOff(ctx)) buttons.push(HANDOFF_BUTTONS.afterComplaint)
  if (formal !== undefined) buttons.push({ label: 'Thủ tục khiếu nại', value: `p:${procedureKey(formal.id)}` })
  buttons.push(...unitButtons(ctx))
  const tail = formal !== undefined ? `\n\n${T.complaintFormal}` : ''
  return [{ text: `${T.complaint}\n${deskContact(ctx)}${tail}`, buttons }]
}

export function hoursReply (ctx: Ctx): Reply[] {
  const hours = commonHours(ctx)
  const lines = [T.hoursHead, hours ?? '']
  if (hours !== undefined && !/(thứ bảy|thứ 7|chủ nhật)/i.test(hours)) lines.push(T.hoursWeekend)
  lines.push('', T.pickOffice)
  return [{ text: lines.filter((l, i) => l !== '' || i > 1).join('\n'), buttons: unitButtons(ctx) }]
}

/** A message that names a commune (current or former name) and nothing the bot can answer otherwise. */
export function placeReply (ctx: Ctx, text: string): Reply[] | null {
  return findUnit(ctx.deps.catalogue.offices.units, text) === undefined ? null : officeReply(ctx, text)
}
