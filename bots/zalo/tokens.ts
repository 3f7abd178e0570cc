import type { FastifyBaseLogger } from 'fastify'
import { openJsonFile } from '../../src/storage/json-file.ts'

/** The OA's current token pair, as stored in `${dataDir}/zalo-tokens.json`. */
export interface ZaloTokenPair {
  accessToken: string
  refreshToken: string
  /** Epoch ms when the access token expires; absent when unknown (tokens seeded from the environment). */
  expiresAt?: number
  refreshedAt?: number
}

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
  file: string
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

/** Opens the token store. After a restart the stored pair wins: the refresh token is single-use. */
export async function createZaloTokens (options: ZaloTokensOptions): Promise<ZaloTokens> {
  const now = options.now ?? Date.now
  const log = options.logger.child({ channel: 'zalo' })
  const store = await openJsonFile<{ tokens?: ZaloTokenPair }>(options.file, {})
  if (store.data.tokens === undefined) {
    store.data.tokens = { ...options.seed }
    await store.write()
  }
  let inFlight: Promise<string> | undefined
  const current = (): ZaloTokenPair => store.data.tokens as ZaloTokenPair

  async function doRefresh (): Promise<string> {
    const res = await fetch(`${options.oauthBase}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: options.appSecret },
      body: new URLSearchParams({ refresh_token: current().refreshToken, app_id: options.appId, grant_type: 'refresh_token' }),
      signal: AbortSignal.timeout(15_000),
    })
    const body = await res.json().catch(() => ({})) as Record<string, unknown>
    const { access_token: access, refresh_token: refresh, expires_in: expiresIn } = body
    if (!res.ok || typeof access !== 'string' || typeof refresh !== 'string' || access === '' || refresh === '') {
      log.error({ status: res.status, error: body.error, errorName: body.error_name }, 'zalo token refresh failed')
      throw new ZaloTokenError(`Zalo token refresh failed (HTTP ${res.status}, error ${String(body.error ?? '?')})`)
    }
    const seconds = Number(expiresIn)
    store.data.tokens = {
      accessToken: access,
      refreshToken: refresh,
      expiresAt: now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 90_000) * 1000,
      refreshedAt: now(),
    }
    // The old refresh token is now spent: the new pair must be on disk before anything uses it.
    await store.write()
    log.info({ expiresAt: store.data.tokens.expiresAt }, 'zalo tokens refreshed')
    return access
  }

  function refresh (): Promise<string> {
    inFlight ??= doRefresh().finally(() => { inFlight = undefined })
    return inFlight
  }

  return {
    async accessToken () {
      if (inFlight !== undefined) return await inFlight
      const { accessToken, expiresAt } = current()
      if (expiresAt === undefined || expiresAt - now() > REFRESH_MARGIN_MS) return accessToken
      try {
        return await refresh()
      } catch (err) {
        if (expiresAt <= now()) throw err
        log.warn({ err }, 'proactive zalo token refresh failed; using the current token')
        return accessToken
      }
    },
    async refreshAfterRejection (rejected) {
      if (inFlight !== undefined) return await inFlight
      if (current().accessToken !== rejected) return current().accessToken
      return await refresh()
    },
  }
}
