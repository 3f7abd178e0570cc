import { fold } from '../../catalogue/normalize.ts'
import type { Ctx } from '../context.ts'
import { procedureKey } from '../keys.ts'
import { MENU, T } from '../texts.ts'
import type { Button, Reply } from '../types.ts'
import { sectionButtons } from '../card.ts'
import { findUnit, officeReply } from './info.ts'

/** Buttons that open each unit's office details. */
export function unitButtons (ctx: Ctx): Button[] {
  return ctx.deps.catalogue.offices.units.map((u) => ({ label: u.name, value: `o:${u.id}` }))
}

/** Opening hours shared by most commune one-stop desks (the catalogue's most frequent value). */
export function commonHours (ctx: Ctx): string | undefined {
  const counts = new Map<string, number>()
  for (const u of ctx.deps.catalogue.offices.units) {
    for (const o of u.offices) if (o.kind === 'commune-centre') counts.set(o.hours, (counts.get(o.hours) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
}

/** How to reach a person at the desk: hours, the phone numbers that are known, and the unit picker. */
export function deskContact (ctx: Ctx): string {
  const lines: string[] = []
  const hours = commonHours(ctx)
  if (hours !== undefined) lines.push(`🕐 ${hours}`)
  for (const u of ctx.deps.catalogue.offices.units) {
    const desk = u.offices.find((o) => o.kind === 'commune-centre')
    if (desk !== undefined && !desk.toBeConfirmed.includes('phone') && /\d{3}/.test(desk.phone)) lines.push(`☎️ ${desk.name}: ${desk.phone}`)
  }
  lines.push(T.pickOffice)
  return lines.join('\n')
}

export function smallTalkReply (ctx: Ctx): Reply[] {
  const current = ctx.state.procedureId === undefined ? undefined : ctx.deps.catalogue.byId.get(ctx.state.procedureId)
  if (current !== undefined) return [{ text: T.smallTalkCard(current.title), buttons: sectionButtons(current) }]
  return [{ text: T.smallTalk, buttons: MENU }]
}

export function frustratedReply (ctx: Ctx): Reply[] {
  return [{ text: `${T.frustrated}\n${deskContact(ctx)}`, buttons: [...unitButtons(ctx), { label: 'Menu', value: 'menu' }] }]
}

export async function complaintReply (ctx: Ctx, text: string): Promise<Reply[]> {
  await ctx.deps.unanswered.record(text, ctx.msg.channel, { reason: 'complaint' })
  const formal = ctx.deps.catalogue.procedures.find((p) => fold(p.title) === 'giai quyet khieu nai lan dau')
  const buttons: Button[] = [{ label: '📋 Tra cứu hồ sơ', value: 'm:dossier' }]
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
