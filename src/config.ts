import { isIP } from 'node:net'
import { z } from 'zod'
import { ConfigError } from './errors.ts'
import { NOTICE_KINDS } from './outbox/notice.ts'
import { parseTemplateSpec, templateVariable, TemplateConfigError, type ZaloTemplates } from './template-config.ts'

const optionalText = z.string().trim().min(1).optional()
const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''))
const apiPath = (fallback: string) => z.string().trim().regex(/^\/[A-Za-z0-9._~/-]*$/, 'must be a path starting with /').default(fallback)
const vnd = z.coerce.number().int('must be a whole number of VND').min(0).max(100_000)

const staffTokens = z.string().optional().transform((raw, ctx) => {
  const out: Array<{ name: string, token: string }> = []
  if (raw === undefined || raw.trim() === '') return out
  for (const pair of raw.split(',')) {
    const i = pair.indexOf(':')
    const name = pair.slice(0, i).trim()
    const token = pair.slice(i + 1).trim()
    if (i <= 0 || name === '' || token.length < 16) {
      ctx.addIssue({ code: 'custom', message: 'expected comma-separated name:token pairs, tokens of at least 16 characters' })
      return z.NEVER
    }
    out.push({ name, token })
  }
  return out
})

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** One trusted proxy: an IPv4/IPv6 address, a CIDR range, or a proxy-addr name (loopback …). */
function isProxyAddress (s: string): boolean {
  if (PROXY_NAMES.has(s)) return true
  const [ip, bits, ...rest] = s.split('/')
  const family = isIP(ip ?? '')
  if (family === 0 || rest.length > 0) return false
  if (bits === undefined) return true
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)
}

/** `TRUST_PROXY`: unset = trust nobody; a hop count; or a comma list of proxy addresses/CIDRs. */
const trustProxy = z.string().optional().transform((raw, ctx): false | number | string[] => {
  const s = raw?.trim() ?? ''
  if (s === '' || s === '0' || s.toLowerCase() === 'false') return false
  if (/^\d+$/.test(s)) {
    const hops = Number(s)
    if (hops <= 10) return hops
  } else {
    const list = s.split(',').map((x) => x.trim()).filter((x) => x !== '')
    if (list.length > 0 && list.every(isProxyAddress)) return list
  }
  ctx.addIssue({ code: 'custom', message: 'expected a hop count (1–10) or a comma list of proxy addresses/CIDRs (e.g. 127.0.0.1,10.0.0.0/8); "true" (trust any client-supplied address) is not allowed' })
  return z.NEVER
})

/** `FRAME_ANCESTORS`: origins allowed to embed the web chat in a frame (CSP frame-ancestors). */
const frameAncestors = z.string().optional().transform((raw, ctx): string[] => {
  const list = (raw ?? '').split(/[\s,]+/).filter((x) => x !== '')
  if (list.length === 0) return ["'self'"]
  const out: string[] = []
  for (const item of list) {
    const bare = item.replace(/^'(self|none)'$/, '$1')
    if (bare === 'self' || bare === 'none') {
      out.push(`'${bare}'`)
    } else if (/^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(item)) {
      out.push(item.toLowerCase())
    } else {
      ctx.addIssue({ code: 'custom', message: `expected origins like https://xa-abc.gov.vn (or 'self' / 'none'), got ${JSON.stringify(item.slice(0, 80))}` })
      return z.NEVER
    }
  }
  return out
})

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('./var'),
  DATABASE_URL: z.string().trim().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL').optional(),
  CATALOGUE_DIR: z.string().trim().min(1).default('./data'),
  OUTBOX_GIVE_UP_HOURS: z.coerce.number().positive().default(24),
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: url.optional(),
  COMMUNE_NAME: z.string().trim().min(1).max(120).optional(),
  TRUST_PROXY: trustProxy,
  FRAME_ANCESTORS: frameAncestors,
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  CHAT_RATE_PER_SESSION: z.coerce.number().int().min(1).default(60),
  CHAT_RATE_PER_IP: z.coerce.number().int().min(1).default(600),
  STAFF_TOKENS: staffTokens,
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1–256 characters of A-Z a-z 0-9 _ -').optional(),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  TELEGRAM_BOT_USERNAME: z.string().regex(/^[A-Za-z0-9_]{3,64}$/).optional(),
  ZALO_APP_ID: optionalText,
  ZALO_OA_SECRET_KEY: optionalText,
  ZALO_APP_SECRET: optionalText,
  ZALO_ACCESS_TOKEN: optionalText,
  ZALO_REFRESH_TOKEN: optionalText,
  ZALO_OA_API_BASE: url.default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE: url.default('https://oauth.zaloapp.com'),
  ZALO_TEMPLATE_RESULT: optionalText,
  ZALO_TEMPLATE_RETURNED: optionalText,
  ZALO_TEMPLATE_APOLOGY: optionalText,
  ZALO_TEMPLATE_DOCUMENTS: optionalText,
  ZALO_TEMPLATE_PAYMENT: optionalText,
  ZALO_TEMPLATE_UPDATE: optionalText,
  ZALO_TEMPLATE_FILE: optionalText,
  ZALO_TEMPLATE_DAILY_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(20_000),
  ZALO_TEMPLATE_MONTHLY_BUDGET_VND: z.coerce.number().int('must be a whole number of VND').min(0).max(100_000_000_000).optional(),
  ZALO_TEMPLATE_UNIT_PRICE_VND: vnd.default(300),
  ZALO_TEMPLATE_UID_UNIT_PRICE_VND: vnd.optional(),
  ZALO_TEMPLATE_API_BASE: url.default('https://business.openapi.zalo.me'),
  ZALO_TEMPLATE_PHONE_PATH: apiPath('/message/template'),
  ZALO_TEMPLATE_QUOTA_PATH: apiPath('/message/quota'),
  ZALO_TEMPLATE_UID_PATH: apiPath('/v3.0/oa/message/template'),
}).superRefine((c, ctx) => {
  if (c.TELEGRAM_BOT_TOKEN !== undefined && c.TELEGRAM_WEBHOOK_SECRET === undefined) {
    ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'required when TELEGRAM_BOT_TOKEN is set' })
  }
  if (c.ZALO_APP_ID !== undefined) {
    for (const key of ['ZALO_OA_SECRET_KEY', 'ZALO_APP_SECRET', 'ZALO_ACCESS_TOKEN', 'ZALO_REFRESH_TOKEN'] as const) {
      if (c[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'required when ZALO_APP_ID is set' })
    }
  }
  const templateVars = [...NOTICE_KINDS.map(templateVariable), 'ZALO_TEMPLATE_FILE'].filter((v) => c[v as keyof typeof c] !== undefined)
  if (templateVars.length > 0) {
    if (c.ZALO_APP_ID === undefined) ctx.addIssue({ code: 'custom', path: [templateVars[0] as string], message: 'template messages need the Zalo channel: set ZALO_APP_ID too' })
    if (c.ZALO_TEMPLATE_MONTHLY_BUDGET_VND === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ZALO_TEMPLATE_MONTHLY_BUDGET_VND'], message: `required when ${templateVars[0] as string} is set: template messages are billed (0 sends none)` })
    }
  }
  for (const kind of NOTICE_KINDS) {
    const variable = templateVariable(kind) as keyof typeof c
    const spec = c[variable]
    if (typeof spec !== 'string') continue
    try {
      parseTemplateSpec(variable, spec)
    } catch (err) {
      if (!(err instanceof TemplateConfigError)) throw err
      ctx.addIssue({ code: 'custom', path: [variable], message: err.message.slice(variable.length + 2) })
    }
  }
})

type Raw = z.infer<typeof schema>

/** Typed, validated, frozen application configuration. */
export interface Config {
  port: number
  host: string
  dataDir: string
  /** PostgreSQL URL; unset: the embedded SQLite database in `dataDir`. */
  databaseUrl?: string
  catalogueDir: string
  /** Outbox: give a message up after this long undelivered; claim lease (another instance takes over after it). */
  outbox: { giveUpMs: number, leaseMs: number }
  logLevel: Raw['LOG_LEVEL']
  publicUrl?: string
  /** The commune (or ward) printed on follow-up slips, e.g. "UBND xã Hòa Tú". */
  communeName?: string
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (Fastify's `trustProxy`): false = none (the
   * socket address is the client), a hop count, or proxy addresses/CIDRs. Per-IP limits key on the result.
   */
  trustProxy: false | number | string[]
  /** CSP `frame-ancestors` of every page: who may embed the web chat (default `'self'`). */
  frameAncestors: string[]
  /** On SIGTERM/SIGINT, in-flight work gets at most this long before the process exits anyway. */
  shutdownDeadlineMs: number
  /** Web chat limits, messages per minute. */
  chatRate: { perSession: number, perIp: number }
  staffTokens: ReadonlyArray<{ name: string, token: string }>
  telegram?: { token: string, webhookSecret: string, apiRoot: string, botUsername?: string }
  zalo?: {
    appId: string
    oaSecretKey: string
    appSecret: string
    accessToken: string
    refreshToken: string
    apiBase: string
    oauthBase: string
    /** ZBS template messages after the 7-day window; absent when no template is configured. */
    templates?: ZaloTemplateConfig
  }
}

/** ZBS template messages: templates per kind, limits, prices and (configurable, partly unverified) endpoints. */
export interface ZaloTemplateConfig {
  /** From `ZALO_TEMPLATE_<KIND>`; they override the file's entries of the same kind. */
  kinds: ZaloTemplates
  /** `ZALO_TEMPLATE_FILE`: JSON templates, read and validated at start-up. */
  file?: string
  /** Template messages per local (Vietnam) day; more wait for the next day. */
  dailyLimit: number
  /** Spending cap per calendar month (VND): a message that would pass it is not sent. */
  monthlyBudgetVnd: number
  /** Price of one message by phone / by Zalo user id (VND), unless the template sets its own. */
  unitPriceVnd: number
  uidUnitPriceVnd: number
  /** Base of the ZBS phone and quota endpoints. */
  apiBase: string
  phonePath: string
  quotaPath: string
  /** Path of the by-user-id endpoint, on the OA API base (`ZALO_OA_API_BASE`). */
  uidPath: string
}

/** The template configuration when any template is configured (the schema has checked every value). */
function templatesOf (c: Raw): ZaloTemplateConfig | undefined {
  const kinds: ZaloTemplates = {}
  for (const kind of NOTICE_KINDS) {
    const spec = c[templateVariable(kind) as keyof Raw]
    if (typeof spec === 'string') kinds[kind] = parseTemplateSpec(templateVariable(kind), spec)
  }
  if (Object.keys(kinds).length === 0 && c.ZALO_TEMPLATE_FILE === undefined) return undefined
  return {
    kinds,
    ...(c.ZALO_TEMPLATE_FILE !== undefined ? { file: c.ZALO_TEMPLATE_FILE } : {}),
    dailyLimit: c.ZALO_TEMPLATE_DAILY_LIMIT,
    monthlyBudgetVnd: c.ZALO_TEMPLATE_MONTHLY_BUDGET_VND ?? 0,
    unitPriceVnd: c.ZALO_TEMPLATE_UNIT_PRICE_VND,
    uidUnitPriceVnd: c.ZALO_TEMPLATE_UID_UNIT_PRICE_VND ?? c.ZALO_TEMPLATE_UNIT_PRICE_VND,
    apiBase: c.ZALO_TEMPLATE_API_BASE,
    phonePath: c.ZALO_TEMPLATE_PHONE_PATH,
    quotaPath: c.ZALO_TEMPLATE_QUOTA_PATH,
    uidPath: c.ZALO_TEMPLATE_UID_PATH,
  }
}

/**
 * Validates the environment and returns the configuration. Pure: reads only `env`.
 * Throws a ConfigError naming every bad variable, so a misconfigured server never starts.
 */
export function loadConfig (env: Record<string, string | undefined>): Config {
  // Treat empty strings as unset: `FOO= npm start` should mean "no FOO".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(cleaned)
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`).join('; ')
    throw new ConfigError(msg)
  }
  const c = parsed.data
  const templates = templatesOf(c)
  const config: Config = {
    port: c.PORT,
    host: c.HOST,
    dataDir: c.DATA_DIR,
    databaseUrl: c.DATABASE_URL,
    outbox: { giveUpMs: c.OUTBOX_GIVE_UP_HOURS * 3600_000, leaseMs: c.OUTBOX_LEASE_MS },
    catalogueDir: c.CATALOGUE_DIR,
    logLevel: c.LOG_LEVEL,
    publicUrl: c.PUBLIC_URL,
    communeName: c.COMMUNE_NAME,
    trustProxy: c.TRUST_PROXY,
    frameAncestors: c.FRAME_ANCESTORS,
    shutdownDeadlineMs: c.SHUTDOWN_DEADLINE_MS,
    chatRate: { perSession: c.CHAT_RATE_PER_SESSION, perIp: c.CHAT_RATE_PER_IP },
    staffTokens: Object.freeze(c.STAFF_TOKENS),
    telegram: c.TELEGRAM_BOT_TOKEN !== undefined && c.TELEGRAM_WEBHOOK_SECRET !== undefined
      ? { token: c.TELEGRAM_BOT_TOKEN, webhookSecret: c.TELEGRAM_WEBHOOK_SECRET, apiRoot: c.TELEGRAM_API_ROOT, botUsername: c.TELEGRAM_BOT_USERNAME }
      : undefined,
    zalo: c.ZALO_APP_ID !== undefined
      ? {
          appId: c.ZALO_APP_ID,
          oaSecretKey: c.ZALO_OA_SECRET_KEY ?? '',
          appSecret: c.ZALO_APP_SECRET ?? '',
          accessToken: c.ZALO_ACCESS_TOKEN ?? '',
          refreshToken: c.ZALO_REFRESH_TOKEN ?? '',
          apiBase: c.ZALO_OA_API_BASE,
          oauthBase: c.ZALO_OAUTH_BASE,
          ...(templates !== undefined ? { templates } : {}),
        }
      : undefined,
  }
  return Object.freeze(config)
}
