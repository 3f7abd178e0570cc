import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'

/** A tiny cookie jar over inject: keeps Set-Cookie values and sends them back. */
export function cookieJar () {
  const jar = new Map<string, string>()
  return {
    jar,
    take (res: LightMyRequestResponse): void {
      const raw = res.headers['set-cookie']
      for (const c of (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])) {
        const [pair] = c.split(';')
        const i = (pair ?? '').indexOf('=')
        const name = (pair ?? '').slice(0, i)
        const value = (pair ?? '').slice(i + 1)
        if (value === '') jar.delete(name); else jar.set(name, value)
      }
    },
    header (): string { return [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  }
}

/** Signs in through the API; returns the jar and the CSRF token. */
export async function signIn (app: FastifyInstance, username: string, password: string) {
  const c = cookieJar()
  const res = await app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password } })
  expect(res.statusCode, res.body).toBe(200)
  c.take(res)
  const body = res.json<{ csrfToken: string }>()
  return { cookies: c, csrfToken: body.csrfToken, headers: (csrf = true) => ({ cookie: c.header(), ...(csrf ? { 'x-csrf-token': body.csrfToken } : {}) }) }
}
