import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Compares two secrets in constant time, whatever their lengths (both are hashed first, so neither the
 * content nor the length of the expected value leaks through timing). `undefined` never matches.
 */
export function safeEqual (received: string | undefined, expected: string): boolean {
  if (received === undefined) return false
  const a = createHash('sha256').update(received).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}
