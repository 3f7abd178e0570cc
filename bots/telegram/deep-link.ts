import { ACTIONS, lookupDossierAction, openProcedureAction } from '../../src/conversation/types.ts'

const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/
const PRINTABLE_ASCII = /^[\x21-\x7e]{1,40}$/

/**
 * Translates a `/start` deep-link payload (`t.me/<bot>?start=<payload>`) into a core action:
 * `p_<procedure id>` → `p:<id>`, `d_<base64url(dossier code)>` → `d:<code>`, anything else → `start`.
 */
export function actionFromStartPayload (payload: string): string {
  const text = payload.trim()
  if (!PAYLOAD.test(text)) return ACTIONS.start
  if (text.startsWith('p_') && text.length > 2) return openProcedureAction(text.slice(2))
  if (text.startsWith('d_') && text.length > 2) {
    const code = Buffer.from(text.slice(2), 'base64url').toString('utf8')
    if (PRINTABLE_ASCII.test(code)) return lookupDossierAction(code)
  }
  return ACTIONS.start
}

/**
 * The inverse, for QR codes and links: the `start` payload that opens `action`, or undefined when the
 * action cannot be expressed in 64 characters of `A-Za-z0-9_-`.
 */
export function startPayloadFor (action: string): string | undefined {
  let payload: string | undefined
  if (action.startsWith('p:')) payload = `p_${action.slice(2)}`
  else if (action.startsWith('d:')) payload = `d_${Buffer.from(action.slice(2), 'utf8').toString('base64url')}`
  return payload !== undefined && PAYLOAD.test(payload) ? payload : undefined
}

/** `https://t.me/<bot>?start=<payload>` for `action`, or undefined (see startPayloadFor). */
export function telegramDeepLink (botUsername: string, action: string): string | undefined {
  const payload = startPayloadFor(action)
  return payload === undefined ? undefined : `https://t.me/${botUsername}?start=${payload}`
}
