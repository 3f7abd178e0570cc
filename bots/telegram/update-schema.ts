import { z } from 'zod'
import type { Update } from 'telegraf/types'

const id = z.number().int().refine(Number.isSafeInteger, 'not a safe integer')
const chat = z.looseObject({ id })
const user = z.looseObject({ id })
const entity = z.looseObject({ type: z.string(), offset: z.number().int().min(0), length: z.number().int().min(0) })

const message = z.looseObject({
  message_id: id,
  date: z.number().int(),
  chat,
  from: user.optional(),
  text: z.string().max(10_000).optional(),
  entities: z.array(entity).max(200).optional(),
})

const callbackQuery = z.looseObject({
  id: z.string().min(1).max(256),
  from: user,
  data: z.string().max(256).optional(),
  message: z.looseObject({ message_id: id, chat }).optional(),
})

/**
 * The fields of a Telegram update this code (and telegraf's routing) reads, checked strictly: ids are
 * safe integers, texts are strings, the objects are objects. Other kinds of update pass through unread.
 */
const updateSchema = z.looseObject({
  update_id: id,
  message: message.optional(),
  edited_message: z.looseObject({ chat }).optional(),
  channel_post: z.looseObject({ chat }).optional(),
  callback_query: callbackQuery.optional(),
})

/** The update when its read fields have the right types, else undefined (answered 200, not handled). */
export function parseTelegramUpdate (body: unknown): Update | undefined {
  const r = updateSchema.safeParse(body)
  return r.success ? (body as Update) : undefined
}
