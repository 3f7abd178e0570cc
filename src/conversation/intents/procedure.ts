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

/** A top result at least this good, and this far ahead of the next one, is answered directly. */
export const CONFIDENT_SCORE = 0.6
export const CONFIDENT_MARGIN = 0.08
const MAX_CHOICES = 5

/** The office line shown on a card: the hours of that kind of office (same across the locality). */
function officeLine (ctx: Ctx, p: Procedure): string | undefined {
  for (const u of ctx.deps.catalogue.offices.units) {
    const o = u.offices.find((x) => x.kind === p.office)
    if (o !== undefined) return `🕐 Giờ tiếp nhận: ${o.toBeConfirmed.includes('hours') ? `${o.hours} ${T.unknownHours}` : o.hours}`
  }
  return undefined
}

/**
 * Fees and time limits are shown as they apply on the day the citizen asks (Vietnam date); the desk's
 * contact names the receiving office with its phone when one office of that kind has a published number.
 */
function factOptions (ctx: Ctx, p: Procedure): FactOptions {
  const known = ctx.deps.catalogue.offices.units.flatMap((u) => u.offices)
    .filter((o) => o.kind === p.office && !o.toBeConfirmed.includes('phone'))
  const desk = known.length === 1 ? `${known[0]!.name}, điện thoại ${known[0]!.phone}` : undefined
  return { today: vnDate((ctx.deps.now ?? Date.now)()), ...(desk !== undefined ? { desk } : {}) }
}

export function openCard (ctx: Ctx, p: Procedure): Reply[] {
  ctx.state.procedureId = p.id
  ctx.state.choices = undefined
  return renderCard(p, officeLine(ctx, p), factOptions(ctx, p))
}

export function sectionReply (ctx: Ctx, p: Procedure, section: Section): Reply[] {
  ctx.state.procedureId = p.id
  const body: Record<Section, () => string> = {
    docs: () => documentsText(p),
    fee: () => feeText(p, factOptions(ctx, p)),
    time: () => timeText(p, factOptions(ctx, p)),
    where: () => whereText(p, officeLine(ctx, p)),
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

/** Is the top result clearly the one meant? */
export function isConfident (results: SearchResult[]): boolean {
  const [a, b] = results
  if (a === undefined || a.score < CONFIDENT_SCORE) return false
  // A near-exact match (e.g. the official title) needs only a small lead over longer titles containing it.
  return b === undefined || a.score - b.score >= CONFIDENT_MARGIN || (a.score >= 0.9 && a.score - b.score >= 0.03)
}

export async function searchReply (ctx: Ctx, text: string): Promise<Reply[]> {
  const results = ctx.deps.search.search(text, { limit: MAX_CHOICES })
  if (results.length === 0) {
    await ctx.deps.unanswered.record(text, ctx.msg.channel)
    ctx.state.choices = undefined
    return [{ text: T.notFound, buttons: MENU }]
  }
  if (isConfident(results) || results.length === 1) {
    return openCard(ctx, ctx.deps.catalogue.byId.get(results[0]!.id)!)
  }
  return choicesReply(ctx, results)
}

/** A follow-up about one aspect: of the procedure named in the message if any, else of the current one. */
export async function aspectReply (ctx: Ctx, section: Section, rest: string): Promise<Reply[]> {
  if (rest !== '') {
    const results = ctx.deps.search.search(rest, { limit: MAX_CHOICES })
    const top = results[0]
    if (top !== undefined && (isConfident(results) || results.length === 1)) {
      return sectionReply(ctx, ctx.deps.catalogue.byId.get(top.id)!, section)
    }
    if (top !== undefined && top.id !== ctx.state.procedureId && top.score >= 0.75) return choicesReply(ctx, results)
  }
  const current = ctx.state.procedureId === undefined ? undefined : ctx.deps.catalogue.byId.get(ctx.state.procedureId)
  if (current !== undefined) return sectionReply(ctx, current, section)
  if (rest !== '' && ctx.deps.search.search(rest, { limit: 1 }).length > 0) return searchReply(ctx, rest)
  return [{ text: T.noCurrent, buttons: MENU.slice(0, 2) }]
}

export function ordinalReply (ctx: Ctx, index: number): Reply[] {
  const id = ctx.state.choices?.[index - 1]
  const p = id === undefined ? undefined : ctx.deps.catalogue.byId.get(id)
  if (p === undefined) return [{ text: T.badChoice, buttons: MENU }]
  return openCard(ctx, p)
}
