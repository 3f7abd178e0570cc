import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import type { Services } from '../services.ts'
import type { StaffSessionAuth } from '../web/staff-auth.ts'
import type { StaffAccounts } from './accounts.ts'
import type { AuditLog } from '../dossiers/audit.ts'
import type { StaffStore } from '../db/staff-store.ts'
import type { AliasSync } from './live-search.ts'

/** What the console needs from the composition root. */
export interface StaffConsole {
  accounts: StaffAccounts
  /** The audit log shared with the dossier feature (sign-ins are recorded there). */
  audit: AuditLog
  store: StaffStore
  /** Reloads staff aliases into the live search engine. */
  aliases: AliasSync
}

/**
 * Registers cookies (@fastify/cookie) and CSRF tokens (@fastify/csrf-protection, secret in an httpOnly
 * SameSite=Strict cookie) on the root instance, so every staff route can check a console session.
 * Returns undefined (bearer tokens only) when the services have no staff console.
 */
export async function registerStaffSessions (app: FastifyInstance, _config: Config, services: Services): Promise<StaffSessionAuth | undefined> {
  await app.register(cookie)
  await app.register(csrf, { sessionPlugin: '@fastify/cookie', cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true } })
  if (services.staff === undefined) return undefined
  return { accounts: services.staff.accounts, app }
}
