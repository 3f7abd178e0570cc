import type { Catalogue } from '../catalogue/load.ts'
import type { Outbox } from '../outbox/types.ts'
import { deskUserId, type NoticeAudience, type NoticeMeta } from '../outbox/notice.ts'
import type { AuditEntry, AuditLog } from './audit.ts'
import type { WorkingCalendar } from './calendar.ts'
import { parseDossierCode, normalizeDossierCode, SHORT_CODE } from './code.ts'
import { importCsv, type ImportResult } from './import.ts'
import { DossierInputError, parseStatusInput, parseUpsertInput, type UpsertInput } from './input.ts'
import { createMemoryAttemptStore, type AttemptStore } from './attempt-store.ts'
import { createLockout, type LockoutOptions } from './lockout.ts'
import { renderNotification } from './messages.ts'
import { noticeFields, noticeKind } from './notice.ts'
import { matchesFactor, newLookupCode } from './privacy.ts'
import { applyStatus, applyUpsert, type Transition } from './records.ts'
import type { DossierStore } from './store.ts'
import { toVnIso } from './time.ts'
import type { DeskConsent, Dossier, PublicView, StatusCode, Subscriber, VerifyResult } from './types.ts'
import { toDetailView, toPublicView } from './views.ts'

/** Dependencies of the service; only `now` is a clock, everything else is a real part or a fake. */
export interface DossierServiceDeps {
  store: DossierStore
  catalogue: Catalogue
  calendar: WorkingCalendar
  /** Where notifications go; without it status changes notify nobody. */
  outbox?: Outbox
  now: () => Date
  /**
   * The audit log, read by `recentAudit`. With a store that has `putAudited` (the database store), a
   * dossier write's entry is committed by the store instead: pass the audit store of the same database.
   */
  audit: AuditLog
  /** For failures that must not fail the request (a notification that could not be queued). */
  log?: { warn: (obj: object, msg: string) => void }
  /** Counters of wrong second factors (default: in memory; the database store keeps them across restarts). */
  attempts?: AttemptStore
  /** Limits and session key of the lock-out (see lockout.ts). */
  lockout?: Omit<LockoutOptions, 'now' | 'store'>
  newLookupCode?: () => string
  /**
   * Zalo template messages are configured: notices may reach the phone consented at the desk (one
   * outbox item per change, user `desk:<code>`), and the subscribe answer on Zalo asks for consent.
   */
  zaloTemplates?: boolean
}

/** A chat user, as subscriptions and verification know them. */
export type Who = Pick<Subscriber, 'channel' | 'userId'>

/** What staff get back from a create-or-update. */
export interface UpsertResult { created: boolean, changed: boolean, code: string, lookupCode: string, dueAt: string, status: StatusCode }

/** The dossier feature's operations, for the HTTP routes, the conversation and the demo. */
export interface DossierService {
  /**
   * The full code for what a citizen typed: a full code as is; a code without its agency id
   * ("261207-0003") when exactly one dossier ends with it; `ambiguous` when several do; null when none.
   */
  resolveCode (code: string): Promise<string | 'ambiguous' | null>
  publicView (code: string): Promise<PublicView | null>
  /**
   * Second-factor check. `requesterKey` identifies the asker (`telegram:123`, `ip:1.2.3.4`); `session`
   * is a token from an earlier `ok` (its holder is never delayed by others' wrong factors); `client` is
   * whom wrong factors are counted against (default `requesterKey`; the web chat passes `ip:<address>`).
   */
  verify (code: string, factor: string, requesterKey: string, session?: string, client?: string): Promise<VerifyResult>
  isSubscribed (code: string, who: Who): Promise<boolean>
  subscribe (code: string, who: Who): Promise<'subscribed' | 'already' | 'not_found' | 'full'>
  /**
   * Stops notices to `who` about the dossier on every route (chat messages and template messages): the
   * subscription goes, queued notices are dropped; a verified subscriber also withdraws the desk consent.
   */
  unsubscribe (code: string, who: Who): Promise<'unsubscribed' | 'not_subscribed' | 'not_found'>
  /** "hủy thông báo": stops every subscription of `who` (and `alsoCode`, the dossier in view); returns the codes stopped. */
  unsubscribeAll (who: Who, alsoCode?: string): Promise<string[]>
  /**
   * A Zalo user agrees to template messages after the 7-day window (subscribing if needed). `phone`: the
   * agreement also covers the dossier's registered phone (only for a user who gave the second factor).
   */
  consentToTemplates (code: string, who: Who): Promise<{ result: 'consented', phone: boolean } | { result: 'not_found' | 'full' }>
  /** Whether this (Zalo) subscriber agreed to template messages. */
  hasTemplateConsent (code: string, who: Who): Promise<boolean>
  /** Whether template messages may go to the dossier's phone by a consent given at the desk. */
  deskConsent (code: string): Promise<DeskConsent | undefined>
  /** Records (true) or withdraws (false) the consent given at the desk; null for an unknown code. */
  setDeskConsent (code: string, on: boolean, staffName: string): Promise<DeskConsent | undefined | null>
  /** Send-time check of notices for the channels (see NoticeAudience). */
  readonly audience: NoticeAudience
  /** Create or update from a staff record; throws DossierInputError naming the bad field. */
  upsert (code: string, input: unknown, staffName: string): Promise<UpsertResult>
  /** Status change; null for an unknown code; throws DossierInputError naming the bad field. */
  updateStatus (code: string, input: unknown, staffName: string): Promise<PublicView | null>
  importCsv (text: string, options: { dryRun: boolean }, staffName: string): Promise<ImportResult>
  recentAudit (limit?: number): Promise<AuditEntry[]>
}

const MAX_SUBSCRIBERS = 50
/** Subscribers per dossier and channel who have not given the second factor (anonymous web sessions are free to make). */
export const MAX_UNVERIFIED_PER_CHANNEL = 5
const VERIFIED_MS = 3600_000
const whoKey = (w: Who): string => `${w.channel}:${w.userId}`

/** Builds the dossier service. Writes to one code are serialised; every write is audit-logged. */
export function createDossierService (deps: DossierServiceDeps): DossierService {
  const { store, catalogue, calendar, audit, now } = deps
  const lockout = createLockout({ ...deps.lockout, store: deps.attempts ?? createMemoryAttemptStore(), now })
  const verified = new Map<string, number>()
  const locks = new Map<string, Promise<unknown>>()
  const viewDeps = () => ({ catalogue, calendar, now: now() })

  function withLock<T> (code: string, fn: () => Promise<T>): Promise<T> {
    const run = (locks.get(code) ?? Promise.resolve()).then(fn, fn)
    const tail = run.catch(() => {})
    locks.set(code, tail)
    tail.then(() => { if (locks.get(code) === tail) locks.delete(code) }, () => {})
    return run
  }
  const entry = (staff: string, action: string, code: string, details: Record<string, unknown>): AuditEntry =>
    ({ at: toVnIso(now()), staff, action, code, details })
  /** A dossier write and its audit entry: one commit when the store can (the database), else both in parallel. */
  /** Stores a change with its audit entry (one commit on the database store); `subscribers` as for `put`. */
  async function save (d: Dossier, e: AuditEntry, options?: { subscribers?: boolean }): Promise<void> {
    if (store.putAudited !== undefined) await store.putAudited(d, e, options)
    else await Promise.all([store.put(d, options), audit.append(e)])
  }

  async function notify (d: Dossier, t: Transition): Promise<void> {
    if (deps.outbox === undefined || !t.notify || t.historyIndex === undefined) return
    const pub = toPublicView(d, viewDeps())
    const notice = (audience: NoticeMeta['audience']): NoticeMeta => ({
      code: d.code, historyIndex: t.historyIndex as number, kind: noticeKind(d.status, t), fields: noticeFields(pub, t.apologyGiven), audience,
    })
    const items = d.subscribers.map((s) => ({
      channel: s.channel,
      userId: s.userId,
      replies: [renderNotification(s.verified === true ? toDetailView(d, viewDeps()) : pub, { apologyGiven: t.apologyGiven })],
      kind: 'notification' as const,
      dedupeKey: `${d.code}:${t.historyIndex}:${s.channel}:${s.userId}`,
      notice: notice('subscriber'),
      lane: `dossier:${d.code}`,
    }))
    // The phone consented at the desk, unless the citizen follows in Zalo after the second factor (their
    // own notice falls back to that phone when Zalo's window is closed).
    if (deps.zaloTemplates === true && d.deskConsent !== undefined && !d.subscribers.some((s) => s.channel === 'zalo' && s.verified === true)) {
      items.push({
        channel: 'zalo',
        userId: deskUserId(d.code),
        replies: [renderNotification(pub, { apologyGiven: t.apologyGiven })],
        kind: 'notification',
        dedupeKey: `${d.code}:${t.historyIndex}:zalo:desk`,
        notice: notice('desk'),
        lane: `dossier:${d.code}`,
      })
    }
    for (const item of items) {
      try {
        await deps.outbox.enqueue(item)
      } catch (err) {
        deps.log?.warn({ err, code: d.code, channel: item.channel }, 'dossier notification not queued')
      }
    }
  }

  /** Drops queued notices of one recipient about one dossier (the outbox is shared by every channel). */
  async function cancelQueued (code: string, channel: Who['channel'], userId: string): Promise<void> {
    try {
      await deps.outbox?.cancel({ channel, userId, keyPrefix: `${code}:` })
    } catch (err) {
      deps.log?.warn({ err, code, channel }, 'queued notifications not cancelled')
    }
  }

  async function commit (t: Transition, staff: string, action: 'upsert' | 'import' | 'status'): Promise<void> {
    if (!t.created && t.changed.length === 0) return
    const name = action === 'status' ? 'status' : `${action === 'import' ? 'import-' : ''}${t.created ? 'create' : 'update'}`
    await save(t.next, entry(staff, name, t.next.code, { status: t.next.status, changed: t.changed }))
    await notify(t.next, t)
  }

  function planUpsert (code: string, existing: Dossier | undefined, input: UpsertInput, staff?: string): Transition {
    const procedure = catalogue.byId.get(input.procedure)
    if (procedure === undefined) throw new DossierInputError('procedure', `unknown procedure id: ${input.procedure}`)
    return applyUpsert(code, existing, input, { now: now(), procedure, calendar, newLookupCode: deps.newLookupCode ?? newLookupCode, staff })
  }
  function checkedCode (raw: string): string {
    const code = parseDossierCode(raw)
    if (code === null) throw new DossierInputError('code', 'not a dossier code (<agency id>-<yymmdd>-<sequence>)')
    return code
  }
  async function upsertParsed (code: string, input: UpsertInput, staff: string, action: 'upsert' | 'import'): Promise<Transition> {
    return withLock(code, async () => {
      const t = planUpsert(code, await store.get(code), input, staff)
      await commit(t, staff, action)
      if (t.next.deskConsent === undefined && t.changed.includes('deskConsent')) await cancelQueued(code, 'zalo', deskUserId(code))
      return t
    })
  }

  async function setSubscription (code: string, who: Who, on: boolean) {
    const c = normalizeDossierCode(code)
    return withLock(c, async () => {
      const d = await store.get(c)
      if (d === undefined) return 'not_found' as const
      const key = whoKey(who)
      const has = d.subscribers.some((s) => whoKey(s) === key)
      const isVerified = (verified.get(`${c}|${key}`) ?? 0) > now().getTime()
      // Stopping is on every route: a citizen who proved to own the dossier also ends the desk consent.
      const withdraw = !on && d.deskConsent !== undefined && (isVerified || d.subscribers.some((s) => whoKey(s) === key && s.verified === true))
      if (on && has) return 'already' as const
      if (!on && !has && !withdraw) return 'not_subscribed' as const
      let kept = d.subscribers
      if (on && !isVerified && kept.filter((s) => s.verified !== true && s.channel === who.channel).length >= MAX_UNVERIFIED_PER_CHANNEL) return 'full' as const
      if (on && kept.length >= MAX_SUBSCRIBERS) {
        // A verified citizen is never blocked by squatted slots: the oldest unverified subscriber makes room.
        const squatter = isVerified ? kept.findIndex((s) => s.verified !== true) : -1
        if (squatter < 0) return 'full' as const
        kept = kept.filter((_, i) => i !== squatter)
      }
      const subscribers = on
        ? [...kept, { channel: who.channel, userId: who.userId, ...(isVerified ? { verified: true } : {}) }]
        : d.subscribers.filter((s) => whoKey(s) !== key)
      const next: Dossier = { ...d, subscribers }
      if (withdraw) delete next.deskConsent
      await save(next, entry('citizen', on ? 'subscribe' : 'unsubscribe', c, { channel: who.channel, ...(withdraw ? { deskConsent: 'withdrawn' } : {}) }), { subscribers: true })
      if (!on) await cancelQueued(c, who.channel, who.userId)
      if (withdraw) await cancelQueued(c, 'zalo', deskUserId(c))
      return on ? 'subscribed' as const : 'unsubscribed' as const
    })
  }

  const isVerifiedNow = (c: string, who: Who): boolean => (verified.get(`${c}|${whoKey(who)}`) ?? 0) > now().getTime()

  async function consentToTemplates (code: string, who: Who) {
    const c = normalizeDossierCode(code)
    if (who.channel === 'zalo') {
      const first = await setSubscription(c, who, true)
      if (first === 'not_found' || first === 'full') return { result: first }
    }
    return withLock(c, async () => {
      const d = await store.get(c)
      if (d === undefined) return { result: 'not_found' as const }
      const i = d.subscribers.findIndex((s) => whoKey(s) === whoKey(who))
      if (i < 0 || who.channel !== 'zalo') return { result: 'not_found' as const }
      const s = d.subscribers[i] as Subscriber
      const updated: Subscriber = { ...s, templateConsent: s.templateConsent ?? toVnIso(now()), ...(s.verified === true || isVerifiedNow(c, who) ? { verified: true } : {}) }
      const subscribers = d.subscribers.map((x, j) => j === i ? updated : x)
      if (s.templateConsent === undefined || updated.verified !== s.verified) {
        await save({ ...d, subscribers }, entry('citizen', 'zalo-consent', c, { channel: who.channel, phone: updated.verified === true }))
      }
      return { result: 'consented' as const, phone: updated.verified === true }
    })
  }

  const audience: NoticeAudience = {
    async resolve (notice, channel, userId) {
      const d = await store.get(notice.code)
      if (d === undefined) return null
      if (notice.audience === 'desk') return d.deskConsent !== undefined ? { templatePhone: d.phone } : null
      const s = d.subscribers.find((x) => x.channel === channel && x.userId === userId)
      if (s === undefined) return null
      return {
        ...(s.templateConsent !== undefined ? { templateUserId: userId } : {}),
        ...((s.templateConsent !== undefined && s.verified === true) || d.deskConsent !== undefined ? { templatePhone: d.phone } : {}),
      }
    },
  }

  return {
    async resolveCode (code) {
      if (!SHORT_CODE.test(code)) return normalizeDossierCode(code)
      const found = await store.findBySuffix(code, 2)
      return found.length === 0 ? null : found.length === 1 ? found[0]! : 'ambiguous'
    },
    async publicView (code) {
      const d = await store.get(normalizeDossierCode(code))
      return d === undefined ? null : toPublicView(d, viewDeps())
    },
    async verify (code, factor, requesterKey, session, client = requesterKey) {
      const c = normalizeDossierCode(code)
      const d = await store.get(c)
      if (d === undefined) return { result: 'not_found' }
      // Chat users are identified by their account; an IP address may be shared, so the API needs the token.
      const remembered = !requesterKey.startsWith('ip:') && (verified.get(`${c}|${requesterKey}`) ?? 0) > now().getTime()
      const isVerified = remembered || lockout.checkSession(c, session)
      if (!isVerified) {
        const before = await lockout.state(c, client)
        if (before.retryAfterSeconds > 0) return { result: 'locked', retryAfterSeconds: before.retryAfterSeconds }
      }
      if (matchesFactor(factor, d.lookupCode, d.phone)) {
        await lockout.succeed(c, client)
        if (verified.size > 10_000) verified.clear()
        verified.set(`${c}|${requesterKey}`, now().getTime() + VERIFIED_MS)
        return { result: 'ok', view: toDetailView(d, viewDeps()), session: lockout.issueSession(c) }
      }
      const after = await lockout.fail(c, client)
      if (isVerified || after.retryAfterSeconds === 0) return { result: 'wrong', attemptsLeft: isVerified ? Math.max(1, after.attemptsLeft) : after.attemptsLeft }
      await audit.append(entry('system', 'slow-down', c, { reason: 'too many wrong second factors from one client', retryAfterSeconds: after.retryAfterSeconds }))
      return { result: 'locked', retryAfterSeconds: after.retryAfterSeconds }
    },
    async isSubscribed (code, who) {
      const d = await store.get(normalizeDossierCode(code))
      return d?.subscribers.some((s) => whoKey(s) === whoKey(who)) ?? false
    },
    subscribe: (code, who) => setSubscription(code, who, true) as Promise<'subscribed' | 'already' | 'not_found' | 'full'>,
    unsubscribe: (code, who) => setSubscription(code, who, false) as Promise<'unsubscribed' | 'not_subscribed' | 'not_found'>,
    async unsubscribeAll (who, alsoCode) {
      const codes = new Set(await store.subscriptionsOf(who.channel, who.userId))
      if (alsoCode !== undefined) codes.add(normalizeDossierCode(alsoCode))
      const stopped: string[] = []
      for (const c of [...codes].sort()) if (await setSubscription(c, who, false) === 'unsubscribed') stopped.push(c)
      return stopped
    },
    consentToTemplates,
    async hasTemplateConsent (code, who) {
      const d = await store.get(normalizeDossierCode(code))
      return d?.subscribers.some((s) => whoKey(s) === whoKey(who) && s.templateConsent !== undefined) ?? false
    },
    async deskConsent (code) {
      return (await store.get(normalizeDossierCode(code)))?.deskConsent
    },
    async setDeskConsent (code, on, staff) {
      const c = normalizeDossierCode(code)
      const result = await withLock(c, async () => {
        const d = await store.get(c)
        if (d === undefined) return null
        if (on === (d.deskConsent !== undefined)) return d.deskConsent
        const next: Dossier = { ...d, updatedAt: toVnIso(now()) }
        if (on) next.deskConsent = { at: toVnIso(now()), staff }
        else delete next.deskConsent
        await save(next, entry(staff, on ? 'zalo-consent' : 'zalo-consent-withdrawn', c, { route: 'phone' }))
        return next.deskConsent
      })
      if (result === undefined) await cancelQueued(c, 'zalo', deskUserId(c))
      return result
    },
    audience,
    async upsert (rawCode, raw, staff) {
      const code = checkedCode(rawCode)
      const t = await upsertParsed(code, parseUpsertInput(raw), staff, 'upsert')
      const d = t.next
      return { created: t.created, changed: t.created || t.changed.length > 0, code, lookupCode: d.lookupCode, dueAt: d.dueAt, status: d.status }
    },
    async updateStatus (rawCode, raw, staff) {
      const code = normalizeDossierCode(rawCode)
      const input = parseStatusInput(raw)
      return withLock(code, async () => {
        const d = await store.get(code)
        if (d === undefined) return null
        const t = applyStatus(d, input, now())
        await commit(t, staff, 'status')
        return toPublicView(t.next, viewDeps())
      })
    },
    importCsv: (text, options, staff) => importCsv(text, options, {
      checkedCode,
      get: (code) => store.get(code),
      plan: planUpsert,
      commit: (code, input) => upsertParsed(code, input, staff, 'import'),
    }),
    recentAudit: (limit) => audit.recent(limit),
  }
}
