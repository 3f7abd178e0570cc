import { chmodSync, mkdirSync } from 'node:fs'
import closeWithGrace from 'close-with-grace'
import { loadConfig } from './config.ts'
import { buildApp } from './app.ts'
import { createServices } from './compose.ts'

/** Composition root: config → services → app → listen → graceful shutdown. */
async function main (): Promise<void> {
  // Runtime data (conversations, dossiers, Zalo tokens …) is readable by the service account only.
  process.umask(0o077)
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`)
    process.exit(1)
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  chmodSync(config.dataDir, 0o700)
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

  // SIGINT/SIGTERM: stop accepting, finish in-flight requests, flush the stores, within the deadline;
  // a second signal exits at once.
  const { closers } = services
  closeWithGrace({
    // A hanging send or a stuck disk must not keep the process alive past the deadline.
    delay: config.shutdownDeadlineMs,
    logger: { error: (msg: unknown) => app.log.error(String(msg)) },
    onTimeout: (delay) => app.log.error({ delay }, 'shutdown deadline passed; exiting'),
    onSecondSignal: (signal) => app.log.warn({ signal }, 'second signal; exiting now'),
  }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'fatal error; shutting down')
    app.log.info({ signal }, 'shutting down')
    await app.close()
    for (const close of [...closers].reverse()) await close()
  })

  await app.listen({ port: config.port, host: config.host })
}

await main()
