/** Polls `check` every 20 ms until it holds; throws after `ms`. For effects that arrive asynchronously. */
export async function until (check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
