import { pino } from 'pino'

/**
 * What never reaches the logs (pino `redact` paths): credentials in headers, and any logged field named
 * like a secret, a second factor, a phone number or a message text (top level or one level down).
 */
export const LOG_REDACT: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-zevent-signature"]',
  'req.headers.access_token',
  ...['verify', 'token', 'secret', 'password', 'phone', 'text', 'accessToken', 'refreshToken', 'access_token', 'refresh_token', 'lookupCode']
    .flatMap((k) => [k, `*.${k}`]),
]

/** Query parameters whose values may be logged (ids, sizes, flags); every other value is replaced. */
const SAFE_PARAMS = new Set(['limit', 'field', 'dryRun', 'p'])
/** Paths whose whole query string is dropped (the second factor travels there). */
const SECRET_QUERY_PATHS = [/^\/api\/dossiers(\/|$)/]

/**
 * The URL as it may be logged: no query string on `/api/dossiers`, and elsewhere only the values of
 * harmless parameters (`?q=<citizen's question>`, `?verify=`, `?token=` … become `[redacted]`).
 */
export function redactUrl (url: string): string {
  const i = url.indexOf('?')
  if (i < 0) return url
  const path = url.slice(0, i)
  if (SECRET_QUERY_PATHS.some((re) => re.test(path))) return path
  const params = new URLSearchParams(url.slice(i + 1))
  const kept: string[] = []
  for (const [k, v] of params) kept.push(`${encodeURIComponent(k)}=${SAFE_PARAMS.has(k) ? encodeURIComponent(v) : '[redacted]'}`)
  return kept.length === 0 ? path : `${path}?${kept.join('&')}`
}

interface RequestLike {
  method?: string
  url?: string
  ip?: string
  host?: string
  socket?: { remotePort?: number }
}

/**
 * Error classes whose messages the JavaScript engine builds from the values involved (e.g. "Cannot use
 * 'in' operator to search for 'x' in <citizen's text>", JSON parse errors quoting their input): their
 * message is replaced, the stack keeps only its frames.
 */
const INPUT_ECHOING = new Set(['TypeError', 'SyntaxError', 'RangeError', 'URIError'])

/** The error as it may be logged: see {@link INPUT_ECHOING}. */
export function serializeError (err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown> | undefined
  if (out === undefined || out === null || typeof out !== 'object') return out
  const type = typeof out.type === 'string' ? out.type : ''
  if (!INPUT_ECHOING.has(type) && !(err instanceof TypeError || err instanceof SyntaxError || err instanceof RangeError)) return out
  const stack = typeof out.stack === 'string' ? out.stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') : undefined
  return { type, message: `[${type} message redacted]`, ...(typeof out.code === 'string' ? { code: out.code } : {}), ...(stack !== undefined ? { stack } : {}) }
}

/** pino serializers for Fastify's request lines and for errors (see {@link redactUrl}, {@link serializeError}). */
export const LOG_SERIALIZERS = {
  req (req: RequestLike) {
    return {
      method: req.method,
      url: redactUrl(req.url ?? ''),
      host: req.host,
      remoteAddress: req.ip,
      remotePort: req.socket?.remotePort,
    }
  },
  err: serializeError,
}
