import type { FastifyBaseLogger } from 'fastify'
import type { ZaloTokenPair, ZaloTokenStore } from '../../src/db/zalo-store.ts'

export type { ZaloTokenPair }

/** Hands out the OA access token, refreshing it (single flight, persisted before use) when needed. */
export interface ZaloTokens {
  /** A usable access token; refreshed first when less than an hour is left. */
  accessToken (): Promise<string>
  /**
   * Refreshes after the API rejected `rejected` (-216/-220). If another call already replaced that
   * token, returns the newer one without refreshing again.
   */
  refreshAfterRejection (rejected: string): Promise<string>
}

/** Options of createZaloTokens. */
export interface ZaloTokensOptions {
  /** Where the pair lives (`createZaloTokenStore(db)`), shared by every instance. */
  store: ZaloTokenStore
  appId: string
  appSecret: string
  oauthBase: string
  /** Tokens from the environment: used only when the file holds none. */
  seed: { accessToken: string, refreshToken: string }
  logger: FastifyBaseLogger
  now?: () => number
}

/** The OAuth server refused to refresh (or answered garbage): an OA admin may have to re-consent. */
export class ZaloTokenError extends Error {
  override name = 'ZaloTokenError'
}

/** Refresh this long before expiry (the access token lives 25 h). */
const REFRESH_MARGIN_MS = 60 * 60 * 1000

/**
 * Opens the token store. After a restart the stored pair wins: the refresh token is single-use. A
 * refresh runs once at a time in this process and, through the store's lock, across instances; the
 * new pair is committed before its access token is handed out.
 */
export async function createZaloTokens (options: ZaloTokensOptions): Promise<ZaloTokens> {
  const now = options.now ?? Date.now
  const log = options.logger.child({ channel: 'zalo' })
  const { store } = options
  await store.seed({ ...options.seed })
  let inFlight: Promise<string> | undefined
  const current = async (): Promise<ZaloTokenPair> => {
    const pair = await store.get()
    if (pair === undefined) throw new ZaloTokenError('no Zalo token pair stored')
    return pair
  }

  async function callOAuth (refreshToken: string): Promise<ZaloTokenPair> {
    const res = await fetch(`${options.oauthBase}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: options.appSecret },
      body: new URLSearchParams({ refresh_token: refreshToken, app_id: options.appId, grant_type: 'refresh_token' }),
      signal: AbortSignal.timeout(15_000),
    })
    const body = await res.json().catch(() => ({})) as Record<string, unknown>
    const { access_token: access, refresh_token: refresh, expires_in: expiresIn } = body
    if (!res.ok || typeof access !== 'string' || typeof refresh !== 'string' || access === '' || refresh === '') {
      log.error({ status: res.status, error: body.error, errorName: body.error_name }, 'zalo token refresh failed')
      throw new ZaloTokenError(`Zalo token refresh failed (HTTP ${res.status}, error ${String(body.error ?? '?')})`)
    }
    const seconds = Number(expiresIn)
    return {
      accessToken: access,
      refreshToken: refresh,
      expiresAt: now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 90_000) * 1000,
      refreshedAt: now(),
    }
  }

  /** Refreshes unless another instance already did (the stored pair changed from `seen`). */
  function refresh (seen: string): Promise<string> {
    inFlight ??= store.exclusive(async () => {
      const pair = await current()
      if (pair.accessToken !== seen) return pair.accessToken
      const next = await callOAuth(pair.refreshToken)
      // The old refresh token is now spent: the new pair is committed before anything uses it.
      await store.save(next)
      log.info({ expiresAt: next.expiresAt }, 'zalo tokens refreshed')
      return next.accessToken
    }).finally(() => { inFlight = undefined })
    return inFlight
  }

  return {
    async accessToken () {
      if (inFlight !== undefined) return await inFlight
      const { accessToken, expiresAt } = await current()
      if (expiresAt === undefined || expiresAt - now() > REFRESH_MARGIN_MS) return accessToken
      try {
        return await refresh(accessToken)
      } catch (err) {
        if (expiresAt <= now()) throw err
        log.warn({ err }, 'proactive zalo token refresh failed; using the current token')
        return accessToken
      }
    },
    async refreshAfterRejection (rejected) {
      if (inFlight !== undefined) return await inFlight
      const pair = await current()
      if (pair.accessToken !== rejected) return pair.accessToken
      return await refresh(rejected)
    },
  }
}
