import { createHash } from 'node:crypto'
import { safeEqual } from '../common/safe-equal.ts'

/** The header Zalo signs webhook deliveries with: `X-ZEvent-Signature: mac=<64 hex>`. */
export const ZALO_SIGNATURE_HEADER = 'x-zevent-signature'

/**
 * The signature of one delivery: plain SHA-256 (not HMAC) of app id + raw body + the body's `timestamp`
 * field + OA secret key, in hex. `rawBody` must be the bytes exactly as received.
 */
export function zaloSignature (appId: string, rawBody: Buffer | string, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256').update(appId).update(rawBody).update(timestamp).update(oaSecretKey).digest('hex')
}

/** Checks a `mac=<hex>` header against the delivery, in constant time. */
export function verifyZaloSignature (
  header: string | undefined,
  delivery: { appId: string, rawBody: Buffer, timestamp: string, oaSecretKey: string }
): boolean {
  if (header === undefined) return false
  const received = header.trim().replace(/^mac=/i, '').toLowerCase()
  const expected = zaloSignature(delivery.appId, delivery.rawBody, delivery.timestamp, delivery.oaSecretKey)
  return safeEqual(received, expected)
}
