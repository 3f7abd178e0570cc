import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { AttemptStore } from './attempt-store.ts'

/** "At most `max` wrong factors within `windowMs`"; past it the client waits up to `windowMs`. */
export interface Tier { max: number, windowMs: number }

/** When a code has at least `failures` wrong factors from everyone within an hour, each client gets `tier` too. */
export interface PressureTier { failures: number, tier: Tier }

const MIN = 60_000
const HOUR = 60 * MIN
/** Per (code, client): 5 tries per 15 min, 10 per hour, 20 per day — each level waits longer. */
export const CLIENT_TIERS: Tier[] = [{ max: 5, windowMs: 15 * MIN }, { max: 10, windowMs: HOUR }, { max: 20, windowMs: 24 * HOUR }]
/** Per code, from everyone: under a spread-out guessing attack each client is slowed to 1 try per 5 / 30 min. */
export const PRESSURE_TIERS: PressureTier[] = [{ failures: 20, tier: { max: 1, windowMs: 5 * MIN } }, { failures: 200, tier: { max: 1, windowMs: 30 * MIN } }]
const GLOBAL_WINDOW_MS = HOUR
const RETAIN_MS = 24 * HOUR

/** Where a client stands for one code. */
export interface LockoutState {
  /** Seconds before the client's next factor is checked; 0 = now. */
  retryAfterSeconds: number
  /** Wrong factors the client may still give before it has to wait. */
  attemptsLeft: number
}

/**
 * Lock-out of the dossier detail view, designed so that an attacker cannot lock out the owner:
 * - wrong factors are counted per (code, client) — a client is a chat user (`telegram:123`) or an IP
 *   address — with progressive waits ({@link CLIENT_TIERS}), so one client's guessing slows only itself;
 * - wrong factors are also counted per code from everyone; under pressure every client of that code is
 *   slowed to a few tries per hour ({@link PRESSURE_TIERS}), but a client that has not failed may always
 *   try: the code is never hard-locked;
 * - a client that gave the right factor holds a verified session (a signed, short-lived token, see
 *   {@link Lockout.issueSession}) and is never delayed by anyone's failures.
 * Counters live in an {@link AttemptStore} (in the database: they survive restarts).
 */
export interface Lockout {
  /** The client's standing for `code` now. */
  state (code: string, client: string): Promise<LockoutState>
  /** Records a wrong factor and returns the standing after it. */
  fail (code: string, client: string): Promise<LockoutState>
  /** Right factor: forgets the client's failures on `code` (the code's global count stays). */
  succeed (code: string, client: string): Promise<void>
  /** A token proving that its holder gave the right factor for `code`, valid `sessionMs`. */
  issueSession (code: string): string
  /** Whether `token` is a valid, unexpired session for `code`. */
  checkSession (code: string, token: string | undefined): boolean
}

/** Dependencies and limits of {@link createLockout}. */
export interface LockoutOptions {
  store: AttemptStore
  now: () => Date
  /** HMAC key of session tokens (default: random per process, so a restart ends sessions). */
  secret?: Buffer
  /** Session lifetime (default 1 hour). */
  sessionMs?: number
  clientTiers?: Tier[]
  pressureTiers?: PressureTier[]
}

const b64 = (b: Buffer): string => b.toString('base64url')

/** Builds the lock-out policy over an attempt store (see {@link Lockout}). */
export function createLockout (options: LockoutOptions): Lockout {
  const { store } = options
  const secret = options.secret ?? randomBytes(32)
  const sessionMs = options.sessionMs ?? HOUR
  const clientTiers = options.clientTiers ?? CLIENT_TIERS
  const pressureTiers = options.pressureTiers ?? PRESSURE_TIERS
  const codeKey = (code: string): string => `dossier-code:${code}`
  const pairKey = (code: string, client: string): string => `dossier-client:${code}|${client}`
  const mac = (payload: string): Buffer => createHmac('sha256', secret).update(payload).digest()

  async function state (code: string, client: string): Promise<LockoutState> {
    const at = options.now().getTime()
    const global = await store.countFailures(codeKey(code), at, GLOBAL_WINDOW_MS)
    const tiers = [...clientTiers, ...pressureTiers.filter((p) => global >= p.failures).map((p) => p.tier)]
    let waitMs = 0
    let left = Number.POSITIVE_INFINITY
    for (const tier of tiers) {
      const n = await store.countFailures(pairKey(code, client), at, tier.windowMs)
      if (n >= tier.max) waitMs = Math.max(waitMs, tier.windowMs)
      left = Math.min(left, Math.max(0, tier.max - n))
    }
    return { retryAfterSeconds: Math.ceil(waitMs / 1000), attemptsLeft: left }
  }

  return {
    state,
    async fail (code, client) {
      const at = options.now().getTime()
      await store.recordFailure(pairKey(code, client), at, RETAIN_MS)
      await store.recordFailure(codeKey(code), at, GLOBAL_WINDOW_MS)
      return state(code, client)
    },
    async succeed (code, client) {
      await store.clear(pairKey(code, client))
    },
    issueSession (code) {
      const exp = options.now().getTime() + sessionMs
      return `${exp}.${b64(mac(`${code}|${exp}`))}`
    },
    checkSession (code, token) {
      if (token === undefined || token.length > 200) return false
      const [expText, sig] = token.split('.')
      const exp = Number(expText)
      if (!Number.isSafeInteger(exp) || exp <= options.now().getTime() || sig === undefined) return false
      const expected = mac(`${code}|${exp}`)
      const got = Buffer.from(sig, 'base64url')
      return got.length === expected.length && timingSafeEqual(got, expected)
    },
  }
}
