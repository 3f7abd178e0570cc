import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FeaturePlugin } from '../services.ts'
import { chatRoutes } from './chat-routes.ts'

// `../web/` (not `./`): the same path from this file and from the production bundle in dist/src/bundle/.
const PUBLIC_DIR = fileURLToPath(new URL('../web/public/', import.meta.url))

/** The web chat page (`GET /`, static, no build step) and its API. */
export const webPlugin: FeaturePlugin = {
  name: 'web',
  register: async (app, opts) => {
    await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/', index: ['index.html'], maxAge: '1h' })
    await app.register(chatRoutes, opts)
  },
}
