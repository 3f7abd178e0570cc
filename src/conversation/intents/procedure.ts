import type { Procedure } from '../../catalogue/schema.ts'
import type { SearchResult } from '../../catalogue/types.ts'
import {
  conditionsText, documentsText, feeText, formsText, renderCard, sectionButtons, splitText, stepsText, timeText, whereText,
  type FactOptions, type Section,
} from '../card.ts'
import { vnDate } from '../../catalogue/rules.ts'
import type { Ctx } from '../context.ts'
import { procedureKey } from '../keys.ts'
import { MENU, T } from '../texts.ts'
import type { Reply } from '../types.ts'
import { followUpText, type FollowUpTopic } from '../follow-ups.ts'
import { contactLines, deskContact, placeReply, unitButtons } from './support.ts'
import type { OfficeContact } from '../../catalogue/contacts.ts'

const MAX_CHOICES = 5
/** An unsure search offers this many procedures ("Có phải Anh/Chị muốn hỏi…"). */
const UNSURE_CHOICES = 4

/** The office line shown on a card: the hours of that kind of office (same across the locality). */
function officeLine (contacts: readonly OfficeContact[], p: Procedure): string | undefined {
  const o = contacts.find((x) => x.kind === p.office)
  if (o === undefined) return undefined
  return `🕐 Giờ tiếp nhận: ${o.hoursKnown ? o.hours : `${o.hours} ${T.unknownHours}`}`
}

/**
 * Fees and time limits are shown as they apply on the day the citizen asks (Vietnam date); the desk's
 * contact names the receiving office with its phone when one office of that kind has a known number.
 */
function factOptions (contacts: readonly OfficeContact[], p: Procedure, now: number): FactOptions {
  const known = contacts.filter((o) => o.kind === p.office && o.phone !== undefined)
  const desk = known.length === 1 ? `${known[0]!.name}, điện thoại ${known[0]!.phone}` : undefined
  return { today: vnDate(now), ...(desk !== undefined ? { desk } : {}) }
}

/** A procedure card as the bot shows it on `now` (also what staff send with one click). */
export function cardReplies (p: Procedure, contacts: readonly OfficeContact[], now: number): Reply[] {
  return renderCard(p, officeLine(contacts, p), factOptions(contacts, p, now))
}

const nowOf = (ctx: Ctx): number => (ctx.deps.now ?? Date.now)()

export function openCard (ctx: Ctx, p: Procedure): Reply[] {
  ctx.state.procedureId = p.id
  ctx.state.choices = undefined
  ctx.outcome = { kind: 'card', procedureId: p.id }
  return cardReplies(p, ctx.contacts, nowOf(ctx))
}

export function sectionReply (ctx: Ctx, p: Procedure, section: Section): Reply[] {
  ctx.state.procedureId = p.id
  const body: Record<Section, () => string> = {
    docs: () => documentsText(p),
    fee: () => feeText(p, factOptions(ctx.contacts, p, nowOf(ctx))),
    time: () => timeText(p, factOptions(ctx.contacts, p, nowOf(ctx))),
    where: () => whereText(p, officeLine(ctx.contacts, p)),
    forms: () => formsText(p),
    steps: () => stepsText(p),
    cond: () => conditionsText(p),
  }
  const parts = splitText(`${p.title}\n\n${body[section]()}`)
  return parts.map((text, i) => (i === parts.length - 1
    ? { text, buttons: [...sectionButtons(p).slice(0, 4), { label: 'Xem đầy đủ', value: `p:${procedureKey(p.id)}` }] }
    : { text }))
}

export function choicesReply (ctx: Ctx, results: SearchResult[], intro = T.choose): Reply[] {
  const list = results.slice(0, MAX_CHOICES)
  ctx.state.choices = list.map((r) => r.id)
  const text = `${intro}\n${list.map((r, i) => `${i + 1}. ${r.title}`).join('\n')}`
  return [{ text, buttons: list.map((r, i) => ({ label: `${i + 1}. ${shortTitle(r.title)}`, value: `p:${procedureKey(r.id)}` })) }]
}

/** Button labels stay short on phones: cut long titles at a word boundary. */
export function shortTitle (title: string, max = 60): string {
  if (title.length <= max) return title
  const cut = title.slice(0, max)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 30))}…`
}

export async function searchReply (ctx: Ctx, text: string): Promise<Reply[]> {
  const { confidence, results } = ctx.deps.search.query(text, { limit: MAX_CHOICES })
  if (confidence === 'sure') return openCard(ctx, ctx.deps.catalogue.byId.get(results[0]!.id)!)
  if (confidence === 'unsure') return choicesReply(ctx, results.slice(0, UNSURE_CHOICES), T.didYouMean)
  // Not a procedure: a commune's name ("tôi ở xã Hòa Tú 1") gets that office; else the honest fallback.
  const place = placeReply(ctx, text)
  if (place !== null) return place
  await ctx.deps.unanswered.record(text, ctx.msg.channel, { reason: 'not-found' })
  ctx.state.choices = undefined
  return [{ text: [T.notFound, ...contactLines(ctx.contacts)].join('\n'), buttons: MENU }]
}

/**
 * An aspect question ("… mất bao lâu", "phí bao nhiêu"): of the procedure named in the message when it is
 * clearly named, else of the current one, else of the likeliest one with the others offered beside it.
 */
export async function aspectReply (ctx: Ctx, section: Section, rest: string): Promise<Reply[]> {
  const current = ctx.state.procedureId === undefined ? undefined : ctx.deps.catalogue.byId.get(ctx.state.procedureId)
  const outcome = rest === '' ? undefined : ctx.deps.search.query(rest, { limit: MAX_CHOICES })
  const top = outcome?.results[0]
  if (outcome?.confidence === 'sure' && top !== undefined) return sectionReply(ctx, ctx.deps.catalogue.byId.get(top.id)!, section)
  if (current !== undefined) return sectionReply(ctx, current, section)
  if (outcome?.confidence === 'unsure' && top !== undefined) {
    const answer = sectionReply(ctx, ctx.deps.catalogue.byId.get(top.id)!, section)
    const others = outcome.results.slice(1, UNSURE_CHOICES)
    return [...answer, { text: T.otherChoices, buttons: others.map((r) => ({ label: shortTitle(r.title), value: `p:${procedureKey(r.id)}` })) }]
  }
  const place = placeReply(ctx, rest)
  if (place !== null) return place
  await ctx.deps.unanswered.record(ctx.msg.text ?? rest, ctx.msg.channel, { reason: 'which-procedure' })
  return [{ text: T.noCurrent, buttons: MENU.slice(0, 3) }]
}

/** A follow-up about the current procedure (copies, online, late, on someone's behalf), from its record. */
export async function followUpReply (ctx: Ctx, topic: FollowUpTopic, text: string): Promise<Reply[]> {
  // A topic question that clearly names another procedure is about that one; a generic one never is.
  const named = topic === 'other' ? undefined : ctx.deps.search.query(text, { limit: 1 })
  const id = named?.confidence === 'sure' ? named.results[0]!.id : ctx.state.procedureId
  const p = id === undefined ? undefined : ctx.deps.catalogue.byId.get(id)
  if (p === undefined) return searchReply(ctx, text)
  ctx.state.procedureId = p.id
  const answer = followUpText(p, topic)
  const buttons = [...sectionButtons(p).slice(0, 4), { label: 'Xem đầy đủ', value: `p:${procedureKey(p.id)}` }]
  if (answer !== null) return splitText(`${p.title}\n\n${answer}`).map((t) => ({ text: t, buttons }))
  await ctx.deps.unanswered.record(text, ctx.msg.channel, { reason: 'no-info', procedureId: p.id })
  return [{ text: `${T.noInfo(p.title)}\n${deskContact(ctx)}`, buttons: [...unitButtons(ctx), ...buttons.slice(0, 2)] }]
}

export function ordinalReply (ctx: Ctx, index: number): Reply[] {
  const id = ctx.state.choices?.[index - 1]
  const p = id === undefined ? undefined : ctx.deps.catalogue.byId.get(id)
  if (p === undefined) return [{ text: T.badChoice, buttons: MENU }]
  return openCard(ctx, p)
}
