import { createHash } from 'node:crypto'

/**
 * Short, stable key of a procedure id for button values (≤ 36 bytes, so `s:x:<key>` fits 40 bytes):
 * the id itself when short enough, else `~` + 10 characters of its SHA-1.
 */
export function procedureKey (id: string): string {
  if (id.length <= 36) return id
  return `~${createHash('sha1').update(id).digest('base64url').slice(0, 10)}`
}
