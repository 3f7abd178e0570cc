import { ZALO_TOKEN_ERRORS } from './client.ts'
import type { ZaloTokens } from './tokens.ts'

/**
 * Client of Zalo's ZBS template messages (formerly ZNS), by phone and by Zalo user id, and of the daily
 * quota query. Endpoints, bodies and codes as found in the sources listed in bots/README.md; every base
 * and path is configurable because the sources are secondary or disagree.
 *
 * - by phone: `POST {apiBase}{phonePath}` (`https://business.openapi.zalo.me/message/template`), body
 *   `{ phone: "84…", template_id, template_data: { param: "string" }, tracking_id }`;
 * - by user id: `POST {oaApiBase}{uidPath}` (`https://openapi.zalo.me/v3.0/oa/message/template`), body
 *   `{ recipient: { user_id }, template_id, template_data }` (no tracking id);
 * - quota: `GET {apiBase}{quotaPath}` → `{ data: { dailyQuota, remainingQuota } }`.
 * All with the OA access token in the `access_token` header; errors arrive as HTTP 200 with `error` ≠ 0.
 */
export interface ZaloTemplateApiResult {
  status: number
  error: number | undefined
  message?: string
  /** Zalo's message id on success (`data.msg_id` or `data.message_id`). */
  messageId?: string
}

export interface ZaloTemplateClient {
  sendByPhone (phone: string, templateId: string, data: Record<string, string>, trackingId: string): Promise<ZaloTemplateApiResult>
  sendByUserId (userId: string, templateId: string, data: Record<string, string>): Promise<ZaloTemplateApiResult>
  /** The OA's template quota for today as Zalo reports it; undefined when it cannot be read. */
  quota (): Promise<{ dailyQuota: number, remainingQuota: number } | undefined>
}

/** Where the template endpoints are (see ZaloTemplateConfig). */
export interface ZaloTemplateEndpoints { apiBase: string, phonePath: string, quotaPath: string, oaApiBase: string, uidPath: string }

/** Access token invalid for the business API (ZNS table) — refreshed like the OA API's -216/-220. */
const TOKEN_ERRORS = new Set([...ZALO_TOKEN_ERRORS, -124])

/** A Vietnamese phone (digits, as stored with the dossier) in the international form Zalo expects: `84…`. */
export function internationalPhone (digits: string): string {
  const d = digits.replace(/\D/g, '')
  if (d.startsWith('84')) return d
  return `84${d.startsWith('0') ? d.slice(1) : d}`
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN
  return Number.isFinite(n) ? n : undefined
}

/** Builds the client over the OA's tokens. Network failures and failed refreshes are thrown. */
export function createZaloTemplateClient (options: { endpoints: ZaloTemplateEndpoints, tokens: ZaloTokens, timeoutMs?: number }): ZaloTemplateClient {
  const { endpoints, tokens } = options
  const timeoutMs = options.timeoutMs ?? 15_000

  async function call (url: string, token: string, body?: unknown): Promise<ZaloTemplateApiResult & { data?: Record<string, unknown> }> {
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), access_token: token },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const json = await res.json().catch(() => undefined) as { error?: unknown, message?: unknown, data?: Record<string, unknown> } | undefined
    const id = json?.data?.msg_id ?? json?.data?.message_id
    return {
      status: res.status,
      error: num(json?.error),
      ...(typeof json?.message === 'string' ? { message: json.message } : {}),
      ...(typeof id === 'string' || typeof id === 'number' ? { messageId: String(id) } : {}),
      ...(json?.data !== undefined && typeof json.data === 'object' ? { data: json.data } : {}),
    }
  }

  /** One call, refreshing the token and trying once more when Zalo rejects it. */
  async function withToken (url: string, body?: unknown): Promise<ZaloTemplateApiResult & { data?: Record<string, unknown> }> {
    const token = await tokens.accessToken()
    const first = await call(url, token, body)
    if (first.error === undefined || !TOKEN_ERRORS.has(first.error)) return first
    return await call(url, await tokens.refreshAfterRejection(token), body)
  }

  const strip = ({ data: _data, ...r }: ZaloTemplateApiResult & { data?: unknown }): ZaloTemplateApiResult => r

  return {
    async sendByPhone (phone, templateId, data, trackingId) {
      return strip(await withToken(`${endpoints.apiBase}${endpoints.phonePath}`, { phone: internationalPhone(phone), template_id: templateId, template_data: data, tracking_id: trackingId }))
    },
    async sendByUserId (userId, templateId, data) {
      return strip(await withToken(`${endpoints.oaApiBase}${endpoints.uidPath}`, { recipient: { user_id: userId }, template_id: templateId, template_data: data }))
    },
    async quota () {
      try {
        const r = await withToken(`${endpoints.apiBase}${endpoints.quotaPath}`)
        const daily = num(r.data?.dailyQuota)
        const remaining = num(r.data?.remainingQuota)
        return r.error === 0 && daily !== undefined && remaining !== undefined ? { dailyQuota: daily, remainingQuota: remaining } : undefined
      } catch {
        return undefined
      }
    },
  }
}

/**
 * What an answer means for delivery: `ok`; `retry` (transient); `next-day` (the OA's daily quota is
 * used up); `night` (this template may not be sent now); `recipient` (this recipient cannot get it this
 * way: try the next route, else undeliverable); `stop` (undeliverable whatever the route: staff must act).
 */
export type TemplateOutcome =
  | { kind: 'ok', messageId?: string }
  | { kind: 'retry' | 'next-day' | 'night' | 'recipient' | 'stop', reason: string }

/**
 * Zalo's template error codes and what they mean here. From the ZNS error table (zalo.cloud, codes −100 …
 * −119) and secondary sources for the rest (marked in bots/README.md as unverified).
 */
const CODES: Record<number, { kind: TemplateOutcome['kind'], reason: string }> = {
  [-100]: { kind: 'retry', reason: 'zalo-unknown-error' },
  [-32]: { kind: 'retry', reason: 'rate-limited' },
  [-108]: { kind: 'recipient', reason: 'phone-invalid' },
  [-110]: { kind: 'recipient', reason: 'zalo-app-outdated' },
  [-114]: { kind: 'recipient', reason: 'template-refused-by-user' },
  [-118]: { kind: 'recipient', reason: 'phone-not-on-zalo' },
  [-119]: { kind: 'recipient', reason: 'template-refused-by-user' },
  [-139]: { kind: 'recipient', reason: 'template-refused-by-user' },
  [-109]: { kind: 'stop', reason: 'template-not-approved' },
  [-117]: { kind: 'stop', reason: 'template-not-approved' },
  [-131]: { kind: 'stop', reason: 'template-not-approved' },
  [-146]: { kind: 'stop', reason: 'template-not-approved' },
  [-111]: { kind: 'stop', reason: 'template-params-invalid' },
  [-112]: { kind: 'stop', reason: 'template-params-invalid' },
  [-132]: { kind: 'stop', reason: 'template-params-invalid' },
  [-153]: { kind: 'stop', reason: 'template-params-invalid' },
  [-115]: { kind: 'stop', reason: 'template-balance-exhausted' },
  [-137]: { kind: 'stop', reason: 'template-balance-exhausted' },
  [-133]: { kind: 'night', reason: 'template-night-hours' },
  [-144]: { kind: 'next-day', reason: 'template-quota-exceeded' },
  [-147]: { kind: 'next-day', reason: 'template-quota-exceeded' },
}

/**
 * By user id, these mean "not this way" (invalid user, not a follower, template not usable by user id —
 * approved before 10 Dec 2025): the phone route is tried next.
 */
const UID_REFUSALS = new Set([-117, -201, -207, -213, -230, -232])

/** Maps an answer of either send endpoint to a {@link TemplateOutcome}. */
export function classifyTemplateResult (result: ZaloTemplateApiResult, route: 'uid' | 'phone'): TemplateOutcome {
  if (result.error === 0 && result.status < 300) return { kind: 'ok', ...(result.messageId !== undefined ? { messageId: result.messageId } : {}) }
  if (result.status >= 500 || result.status === 429) return { kind: 'retry', reason: `zalo-http-${result.status}` }
  if (result.error === undefined) return { kind: 'retry', reason: `zalo-http-${result.status}` }
  if (route === 'uid' && UID_REFUSALS.has(result.error)) return { kind: 'recipient', reason: 'user-id-not-allowed' }
  const known = CODES[result.error]
  if (known !== undefined) return known as TemplateOutcome
  return { kind: 'stop', reason: `zalo-template-error:${result.error}` }
}
