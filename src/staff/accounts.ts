import { createHash, randomBytes } from 'node:crypto'
import type { AttemptStore } from '../dossiers/attempt-store.ts'
import type { AuditLog } from '../dossiers/audit.ts'
import { toVnIso } from '../dossiers/time.ts'
import type { StaffStore } from '../db/staff-store.ts'
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts'

/** Roles of console accounts. Integrations (STAFF_TOKENS bearer tokens) get `integration`. */
export type StaffRole = 'officer' | 'admin'
export const STAFF_ROLES: readonly StaffRole[] = ['officer', 'admin']

/** Who is signed in. */
export interface StaffPrincipal { username: string, role: StaffRole | 'integration' }

/** Outcome of a sign-in. */
export type LoginResult =
  | { result: 'ok', token: string, principal: StaffPrincipal, expiresAt: number }
  | { result: 'wrong' }
  | { result: 'locked', retryAfterSeconds: number }

/** Console accounts, sign-in with lock-out, and sessions. */
export interface StaffAccounts {
  /** Creates the account or resets its password and role; true when it was created. */
  put (username: string, password: string, role: StaffRole, by: string): Promise<boolean>
  list (): Promise<Array<{ username: string, role: string, disabled: boolean, createdAt: number }>>
  setDisabled (username: string, disabled: boolean, by: string): Promise<boolean>
  login (username: string, password: string): Promise<LoginResult>
  /** The principal of a session token, or undefined when unknown, expired or disabled. */
  session (token: string): Promise<StaffPrincipal | undefined>
  logout (token: string): Promise<void>
}

/** Dependencies of {@link createStaffAccounts}. */
export interface StaffAccountsDeps {
  store: StaffStore
  /** Failure counters (the database's, so every instance sees them). */
  attempts: AttemptStore
  audit: AuditLog
  now?: () => number
  /** Wrong passwords per username within `windowMs` before the lock (default 5). */
  maxFailures?: number
  /** Window and lock duration (default 15 minutes). */
  windowMs?: number
  /** Session lifetime (default 12 hours). */
  sessionMs?: number
}

/** Usernames: 2–32 lower-case letters, digits, dot, dash, underscore. */
export const USERNAME = /^[a-z0-9._-]{2,32}$/
/** Minimum password length. */
export const MIN_PASSWORD = 8

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url')

/** Builds the account service over the staff store. */
export function createStaffAccounts (deps: StaffAccountsDeps): StaffAccounts {
  const now = deps.now ?? Date.now
  const max = deps.maxFailures ?? 5
  const windowMs = deps.windowMs ?? 15 * 60_000
  const sessionMs = deps.sessionMs ?? 12 * 3600_000
  const audit = (staff: string, action: string, details: Record<string, unknown> = {}): Promise<void> =>
    deps.audit.append({ at: toVnIso(new Date(now())), staff: staff.slice(0, 64), action, code: '', details })
  const failKey = (u: string): string => `staff-login:${u}`
  const lockKey = (u: string): string => `staff-lock:${u}`

  return {
    async put (username, password, role, by) {
      if (!USERNAME.test(username)) throw new Error('username: 2–32 characters a-z 0-9 . _ -')
      if (password.length < MIN_PASSWORD) throw new Error(`password: at least ${MIN_PASSWORD} characters`)
      if (!STAFF_ROLES.includes(role)) throw new Error('role: officer or admin')
      const passwordHash = await hashPassword(password)
      const created = await deps.store.createAccount({ name: username, passwordHash, role, disabled: false, createdAt: now() })
      if (!created) await deps.store.updateAccount(username, { passwordHash, role, disabled: false })
      await audit(by, created ? 'account-create' : 'account-reset', { username, role })
      return created
    },
    async list () {
      return (await deps.store.listAccounts()).map((a) => ({ username: a.name, role: a.role, disabled: a.disabled, createdAt: a.createdAt }))
    },
    async setDisabled (username, disabled, by) {
      const ok = await deps.store.updateAccount(username, { disabled })
      if (ok) await audit(by, disabled ? 'account-disable' : 'account-enable', { username })
      return ok
    },
    async login (rawUsername, password) {
      const username = rawUsername.trim().toLowerCase().slice(0, 64)
      const at = now()
      if (await deps.attempts.countFailures(lockKey(username), at, windowMs) > 0) {
        await audit(username, 'login-locked')
        return { result: 'locked', retryAfterSeconds: Math.ceil(windowMs / 1000) }
      }
      const account = USERNAME.test(username) ? await deps.store.getAccount(username) : undefined
      const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH)
      if (account === undefined || account.disabled || !ok) {
        const n = await deps.attempts.recordFailure(failKey(username), at, windowMs)
        await audit(username, 'login-failed', { failures: n })
        if (n >= max) {
          await deps.attempts.recordFailure(lockKey(username), at, windowMs)
          await deps.attempts.clear(failKey(username))
          await audit(username, 'login-locked', { minutes: Math.round(windowMs / 60_000) })
          return { result: 'locked', retryAfterSeconds: Math.ceil(windowMs / 1000) }
        }
        return { result: 'wrong' }
      }
      await deps.attempts.clear(failKey(username))
      const token = randomBytes(32).toString('base64url')
      const expiresAt = at + sessionMs
      await deps.store.createSession({ tokenHash: tokenHash(token), staffName: username, createdAt: at, expiresAt })
      if (Math.random() < 0.05) await deps.store.pruneSessions(at)
      await audit(username, 'login')
      return { result: 'ok', token, principal: { username, role: account.role === 'admin' ? 'admin' : 'officer' }, expiresAt }
    },
    async session (token) {
      if (token === '' || token.length > 128) return undefined
      const s = await deps.store.getSession(tokenHash(token), now())
      if (s === undefined) return undefined
      const account = await deps.store.getAccount(s.staffName)
      if (account === undefined || account.disabled) return undefined
      return { username: account.name, role: account.role === 'admin' ? 'admin' : 'officer' }
    },
    async logout (token) {
      const principal = await this.session(token)
      await deps.store.deleteSession(tokenHash(token))
      if (principal !== undefined) await audit(principal.username, 'logout')
    },
  }
}
