import type { FeedbackPort } from '../conversation/context.ts'
import type { HandoffStore, QuestionCount } from './types.ts'
import { weekOf } from './weeks.ts'

/** The satisfaction questions and the weekly question counts, over the handoff store. */
export interface Feedback extends FeedbackPort {
  /** Writes the counted questions (also every `flushMs` and on close). */
  flush (): Promise<void>
  close (): Promise<void>
}

/**
 * Builds the feedback port. Question counts are added up in memory and written every `flushMs`
 * (default 5 s) with one statement per week and channel, so counting costs no write per message; a
 * crash loses at most those seconds of counts (statistics, never an acknowledged write).
 */
export function createFeedback (options: {
  store: HandoffStore
  now?: () => number
  flushMs?: number
  onError?: (err: unknown) => void
}): Feedback {
  const { store } = options
  const now = options.now ?? Date.now
  const pending = new Map<string, QuestionCount>()
  let writing: Promise<void> = Promise.resolve()
  const flush = async (): Promise<void> => {
    const batch = [...pending.values()]
    pending.clear()
    writing = writing.then(async () => {
      if (batch.length > 0) await store.addQuestions(batch)
    })
    try {
      await writing
    } catch (err) {
      // Put them back: the next flush tries again.
      for (const c of batch) add(c.week, c.channel, c.questions, c.answered)
      writing = Promise.resolve()
      throw err
    }
  }
  const add = (week: string, channel: string, questions: number, answered: number): void => {
    const key = `${week}|${channel}`
    const c = pending.get(key) ?? { week, channel, questions: 0, answered: 0 }
    c.questions += questions
    c.answered += answered
    pending.set(key, c)
  }
  const timer = setInterval(() => { flush().catch((err: unknown) => options.onError?.(err)) }, options.flushMs ?? 5000)
  timer.unref()
  return {
    ask: (who, subject, more = {}) => store.ask({ channel: who.channel, userId: who.userId, subject, askedAt: now(), ...more }),
    vote: (id, who, vote) => store.vote(id, who.channel, who.userId, vote, now()),
    comment: (id, who, text) => store.comment(id, who.channel, who.userId, text),
    count (channel, answered) { add(weekOf(now()), channel, 1, answered ? 1 : 0) },
    flush,
    async close () {
      clearInterval(timer)
      await flush()
    },
  }
}
