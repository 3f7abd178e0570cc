import { loadConfig } from './config.ts'
import { buildApp } from './app.ts'
import { createServices } from './compose.ts'

/** Composition root: config → services → app → listen → graceful shutdown. */
async function main (): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`)
    process.exit(1)
  }
  let services
  try {
    services = await createServices(config)
  } catch (err) {
    process.stderr.write(`Start-up failed: ${(err as Error).message}\n`)
    process.exit(1)
  }
  const app = await buildApp(config, services)
  const channels = ['web', config.telegram ? 'telegram' : null, config.zalo ? 'zalo' : null].filter(Boolean)
  app.log.info({ channels, procedures: services.catalogue.procedures.length, dataDir: config.dataDir }, 'channels enabled: %s', channels.join(', '))

  let closing = false
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    try {
      await app.close()
      for (const close of [...services.closers].reverse()) await close()
    } catch (err) {
      app.log.error({ err }, 'error during shutdown')
    }
    process.exit(0)
  }
  process.on('SIGINT', () => { shutdown('SIGINT').catch(() => process.exit(1)) })
  process.on('SIGTERM', () => { shutdown('SIGTERM').catch(() => process.exit(1)) })

  await app.listen({ port: config.port, host: config.host })
}

await main()
