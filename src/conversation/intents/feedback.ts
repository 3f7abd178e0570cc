import type { Ctx, Outcome } from '../context.ts'
import { HANDOFF_BUTTONS, MENU, T } from '../texts.ts'
import type { Button, Reply } from '../types.ts'
import { redactLine } from './handoff.ts'
import { canHandOff } from './support.ts'

/** Longest comment kept. */
export const COMMENT_CHARS = 500

const who = (ctx: Ctx): { channel: Ctx['msg']['channel'], userId: string } => ({ channel: ctx.msg.channel, userId: ctx.msg.userId })

/** «Thông tin này có giúp Anh/Chị không phải đi lại không?» with 👍/👎, recorded as asked. */
export async function surveyReply (ctx: Ctx, outcome: Outcome): Promise<Reply> {
  const subject = outcome.kind
  const more = {
    ...('procedureId' in outcome && outcome.procedureId !== undefined ? { procedureId: outcome.procedureId } : {}),
    ...(outcome.kind === 'ticket' ? { ticketId: outcome.ticketId } : {}),
  }
  const id = await ctx.deps.feedback!.ask(who(ctx), subject, more)
  ctx.state.surveyed = true
  return { text: T.survey, buttons: surveyButtons(id) }
}

/** The 👍/👎 buttons of question `id` (values `fb:<id>:1` / `fb:<id>:0`). */
export const surveyButtons = (id: number): Button[] => [{ label: '👍 Có', value: `fb:${id}:1` }, { label: '👎 Không', value: `fb:${id}:0` }]

/** A 👍/👎 press: recorded once; the next typed message may add a comment. */
export async function voteReply (ctx: Ctx, id: number, vote: 0 | 1): Promise<Reply[]> {
  if (ctx.deps.feedback === undefined) return [{ text: T.unknownAction, buttons: MENU }]
  if (!await ctx.deps.feedback.vote(id, who(ctx), vote)) return [{ text: T.surveyDone }]
  ctx.state.commentFor = id
  if (vote === 1) return [{ text: T.surveyUp, buttons: [HANDOFF_BUTTONS.skip] }]
  return [{ text: T.surveyDown, buttons: [HANDOFF_BUTTONS.skip, ...(canHandOff(ctx) ? [HANDOFF_BUTTONS.afterFailures] : [])] }]
}

/** The optional comment after a vote (redacted like the unanswered log). */
export async function commentReply (ctx: Ctx, id: number, text: string): Promise<Reply[]> {
  await ctx.deps.feedback?.comment(id, who(ctx), redactLine(text, COMMENT_CHARS))
  return [{ text: T.commentThanks, buttons: MENU }]
}
