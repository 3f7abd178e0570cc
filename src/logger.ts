import { pino } from 'pino'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from './config.ts'
import { LOG_REDACT } from './app.ts'

/** The application logger (pino, as Fastify uses): JSON lines, tokens and secrets redacted. */
export function createLogger (config: Pick<Config, 'logLevel'>): FastifyBaseLogger {
  return pino({ level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' } }) as unknown as FastifyBaseLogger
}
