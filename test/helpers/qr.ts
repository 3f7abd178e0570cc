import jsQRModule from 'jsqr'
import { PNG } from 'pngjs'

type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null
// jsqr is CommonJS with a TypeScript default export: take whichever the loader gives.
const jsQR = ((jsQRModule as unknown as { default?: Decode }).default ?? jsQRModule) as unknown as Decode

/** Decodes the QR code in a PNG (file contents or a screenshot); undefined when none is found. */
export function decodeQrPng (png: Buffer): string | undefined {
  const image = PNG.sync.read(png)
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data
}

/** Decodes the QR code of a `data:image/png;base64,…` URL. */
export function decodeQrDataUrl (url: string): string | undefined {
  return decodeQrPng(Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64'))
}
