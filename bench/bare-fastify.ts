// The baseline of the chat load benchmark: bare Fastify answering `POST /api/chat` with a constant
// reply of the same shape, no plugins, no logging. `node --import tsx bench/bare-fastify.ts` (PORT, HOST).
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/healthz', async () => ({ status: 'ok' }))
app.post('/api/chat', async () => ({ replies: [{ text: 'Dạ, em chào Anh/Chị.', buttons: [{ label: 'Tra cứu thủ tục', value: 'search' }] }] }))
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' })
