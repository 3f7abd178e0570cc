import type { ZaloMessage } from './render.ts'
import type { ZaloTokens } from './tokens.ts'

/** What the OA API answered; errors come back as HTTP 200 with `error` ≠ 0. */
export interface ZaloApiResult {
  /** HTTP status of the last call. */
  status: number
  /** Zalo's error code: 0 on success, negative on failure; undefined when the body was not JSON. */
  error: number | undefined
  message?: string
}

/** Thin typed client of the OA Open API v3 (only what the bot needs). */
export interface ZaloClient {
  /** Sends a customer-service message; refreshes the token and retries once on -216/-220. */
  sendMessage (userId: string, message: ZaloMessage): Promise<ZaloApiResult>
}

/** Token errors: the access token is invalid (-216) or expired (-220). */
export const ZALO_TOKEN_ERRORS = new Set([-216, -220])

/** Builds the client. Network failures and failed refreshes are thrown. */
export function createZaloClient (options: { apiBase: string, tokens: ZaloTokens, timeoutMs?: number }): ZaloClient {
  const { apiBase, tokens } = options
  const timeoutMs = options.timeoutMs ?? 15_000

  async function post (token: string, path: string, body: unknown): Promise<ZaloApiResult> {
    const res = await fetch(`${apiBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: token },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const json = await res.json().catch(() => undefined) as { error?: unknown, message?: unknown } | undefined
    return {
      status: res.status,
      error: typeof json?.error === 'number' ? json.error : Number.isFinite(Number(json?.error)) ? Number(json?.error) : undefined,
      message: typeof json?.message === 'string' ? json.message : undefined,
    }
  }

  return {
    async sendMessage (userId, message) {
      const body = { recipient: { user_id: userId }, message }
      const token = await tokens.accessToken()
      const first = await post(token, '/v3.0/oa/message/cs', body)
      if (first.error === undefined || !ZALO_TOKEN_ERRORS.has(first.error)) return first
      const fresh = await tokens.refreshAfterRejection(token)
      return await post(fresh, '/v3.0/oa/message/cs', body)
    },
  }
}
