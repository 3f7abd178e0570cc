/**
 * The channel-independent conversation contract. Channels (web, Telegram, Zalo, terminal) translate
 * their updates into an InboundMessage and render the Reply[] back; nothing channel-specific crosses.
 */

export type ChannelName = 'web' | 'telegram' | 'zalo' | 'terminal'

/** One message from a citizen: either typed `text`, or the opaque `action` of a pressed button. */
export interface InboundMessage {
  channel: ChannelName
  /** Stable id of the user/chat within the channel (Telegram chat id, Zalo user id, web session id). */
  userId: string
  text?: string
  action?: string
  /**
   * Web chat only: the client's address (request.ip). Wrong dossier factors are counted per address
   * there, since session ids cost nothing to rotate. Never logged.
   */
  clientAddress?: string
}

/** A button: `value` is an opaque ASCII string of at most 40 bytes, sent back as `action` when pressed. */
export interface Button {
  label: string
  value: string
}

/** One message to show. Plain data: channels decide how to render buttons. */
export interface Reply {
  text: string
  buttons?: Button[]
}

/** What every channel talks to. */
export interface ConversationCore {
  handle (msg: InboundMessage): Promise<Reply[]>
}

/** Longest allowed button value, in bytes (fits Telegram's 64-byte callback_data with room to spare). */
export const MAX_BUTTON_VALUE_BYTES = 40

/**
 * Well-known actions that channels may produce themselves (deep links, follow events):
 * - `start` — greeting + menu (Telegram /start, Zalo follow)
 * - `help` — help + menu
 * - `p:<procedure id>` — open a procedure card (Telegram deep link `p_<id>`)
 * - `d:<dossier code>` — look up a dossier (Telegram deep link `d_<base64url(code)>`)
 */
export const ACTIONS = { start: 'start', help: 'help' } as const
export const openProcedureAction = (id: string): string => `p:${id}`
export const lookupDossierAction = (code: string): string => `d:${code}`
