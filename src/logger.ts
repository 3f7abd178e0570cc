import { pino } from 'pino'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from './config.ts'
import { LOG_REDACT, LOG_SERIALIZERS } from './log-privacy.ts'

/**
 * The application logger (pino, as Fastify uses): JSON lines; tokens, second factors, phone numbers and
 * message texts redacted; request URLs without secrets; input-echoing error messages dropped.
 * `destination` (default stdout) lets tests read what would be written.
 */
export function createLogger (config: Pick<Config, 'logLevel'>, destination?: { write (line: string): void }): FastifyBaseLogger {
  const options = { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' }, serializers: LOG_SERIALIZERS }
  return (destination === undefined ? pino(options) : pino(options, destination)) as unknown as FastifyBaseLogger
}
