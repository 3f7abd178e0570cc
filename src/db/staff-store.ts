import type { Db } from './connect.ts'

/** A staff account (issue 10 adds the login on top). `passwordHash` is whatever the auth code stores (e.g. scrypt). */
export interface StaffAccount { name: string, passwordHash: string, role: string, disabled: boolean, createdAt: number }
/** A staff session, keyed by the hash of its token (the token itself is never stored). */
export interface StaffSession { tokenHash: string, staffName: string, createdAt: number, expiresAt: number }
/** An alias a staff member added to a procedure (search synonyms). */
export interface StaffAlias { procedureId: string, alias: string, addedBy: string, createdAt: number, /** Set by the store. */ id?: number }

/** Staff accounts, sessions and aliases. */
export interface StaffStore {
  /** Creates an account; false when the name is taken. */
  createAccount (account: StaffAccount): Promise<boolean>
  getAccount (name: string): Promise<StaffAccount | undefined>
  listAccounts (): Promise<StaffAccount[]>
  updateAccount (name: string, patch: Partial<Pick<StaffAccount, 'passwordHash' | 'role' | 'disabled'>>): Promise<boolean>
  createSession (session: StaffSession): Promise<void>
  /** The session if it exists, has not expired at `now` and its account is enabled. */
  getSession (tokenHash: string, now: number): Promise<StaffSession | undefined>
  deleteSession (tokenHash: string): Promise<void>
  /** Deletes expired sessions; returns how many. */
  pruneSessions (now: number): Promise<number>
  /** Adds an alias; false when it already exists for that procedure. */
  addAlias (alias: StaffAlias): Promise<boolean>
  removeAlias (procedureId: string, alias: string): Promise<boolean>
  listAliases (procedureId?: string): Promise<StaffAlias[]>
  /** Removes an alias by its id; returns it, or undefined when there is none. */
  removeAliasById (id: number): Promise<StaffAlias | undefined>
  /** Changes whenever an alias is added or removed (instances poll it to rebuild their search). */
  aliasVersion (): Promise<string>
  /** Records staff's verdict on an unanswered question group (its tone-mark-free key). */
  setVerdict (folded: string, verdict: 'off-topic' | 'taught', staff: string, at: number): Promise<void>
  /** Verdicts by tone-mark-free key. */
  verdicts (): Promise<Map<string, string>>
}

/** The staff tables (`staff_accounts`, `staff_sessions`, `staff_aliases`). */
export function createStaffStore (db: Db): StaffStore {
  const k = db.kysely
  const account = (r: { name: string, password_hash: string, role: string, disabled: number, created_at: number }): StaffAccount =>
    ({ name: r.name, passwordHash: r.password_hash, role: r.role, disabled: Number(r.disabled) !== 0, createdAt: Number(r.created_at) })
  const alias = (r: { id?: number, procedure_id: string, alias: string, added_by: string, created_at: number }): StaffAlias =>
    ({ procedureId: r.procedure_id, alias: r.alias, addedBy: r.added_by, createdAt: Number(r.created_at), ...(r.id !== undefined ? { id: Number(r.id) } : {}) })
  return {
    async createAccount (a) {
      const r = await k.insertInto('staff_accounts')
        .values({ name: a.name, password_hash: a.passwordHash, role: a.role, disabled: a.disabled ? 1 : 0, created_at: a.createdAt })
        .onConflict((oc) => oc.column('name').doNothing()).executeTakeFirst()
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
    },
    async getAccount (name) {
      const r = await k.selectFrom('staff_accounts').selectAll().where('name', '=', name).executeTakeFirst()
      return r === undefined ? undefined : account(r)
    },
    async listAccounts () {
      return (await k.selectFrom('staff_accounts').selectAll().orderBy('name').execute()).map(account)
    },
    async updateAccount (name, patch) {
      const set: { password_hash?: string, role?: string, disabled?: number } = {}
      if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash
      if (patch.role !== undefined) set.role = patch.role
      if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0
      if (Object.keys(set).length === 0) return (await this.getAccount(name)) !== undefined
      const r = await k.updateTable('staff_accounts').set(set).where('name', '=', name).executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },
    async createSession (s) {
      await k.insertInto('staff_sessions').values({ token_hash: s.tokenHash, staff_name: s.staffName, created_at: s.createdAt, expires_at: s.expiresAt }).execute()
    },
    async getSession (tokenHash, now) {
      const r = await k.selectFrom('staff_sessions as s').innerJoin('staff_accounts as a', 'a.name', 's.staff_name')
        .select(['s.token_hash', 's.staff_name', 's.created_at', 's.expires_at'])
        .where('s.token_hash', '=', tokenHash).where('s.expires_at', '>', now).where('a.disabled', '=', 0).executeTakeFirst()
      return r === undefined ? undefined : { tokenHash: r.token_hash, staffName: r.staff_name, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) }
    },
    async deleteSession (tokenHash) { await k.deleteFrom('staff_sessions').where('token_hash', '=', tokenHash).execute() },
    async pruneSessions (now) {
      const r = await k.deleteFrom('staff_sessions').where('expires_at', '<=', now).executeTakeFirst()
      return Number(r.numDeletedRows)
    },
    async addAlias (a) {
      const r = await k.insertInto('staff_aliases').values({ procedure_id: a.procedureId, alias: a.alias, added_by: a.addedBy, created_at: a.createdAt })
        .onConflict((oc) => oc.columns(['procedure_id', 'alias']).doNothing()).executeTakeFirst()
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
    },
    async removeAlias (procedureId, a) {
      const r = await k.deleteFrom('staff_aliases').where('procedure_id', '=', procedureId).where('alias', '=', a).executeTakeFirst()
      return Number(r.numDeletedRows) > 0
    },
    async listAliases (procedureId) {
      let q = k.selectFrom('staff_aliases').selectAll().orderBy('procedure_id').orderBy('alias')
      if (procedureId !== undefined) q = q.where('procedure_id', '=', procedureId)
      return (await q.execute()).map(alias)
    },
    async removeAliasById (id) {
      const r = await k.selectFrom('staff_aliases').selectAll().where('id', '=', id).executeTakeFirst()
      if (r === undefined) return undefined
      const d = await k.deleteFrom('staff_aliases').where('id', '=', id).executeTakeFirst()
      return Number(d.numDeletedRows) > 0 ? alias(r) : undefined
    },
    async aliasVersion () {
      const r = await k.selectFrom('staff_aliases').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('top')]).executeTakeFirstOrThrow()
      return `${Number(r.n)}:${Number(r.top ?? 0)}`
    },
    async setVerdict (folded, verdict, staff, at) {
      await k.insertInto('unanswered_verdicts').values({ folded, verdict, staff, at })
        .onConflict((oc) => oc.column('folded').doUpdateSet({ verdict, staff, at })).execute()
    },
    async verdicts () {
      const rows = await k.selectFrom('unanswered_verdicts').select(['folded', 'verdict']).execute()
      return new Map(rows.map((r) => [r.folded, r.verdict]))
    },
  }
}
