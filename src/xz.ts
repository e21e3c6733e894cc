/**
 * xz-decompress, loaded on first use: few runs meet xz (a .tar.xz, an xz-compressed journal field),
 * and loading it, with node:stream/web, cost about 4 ms of every start.
 */
import type { XzReadableStream } from 'xz-decompress'

type XzExports = { XzReadableStream: typeof XzReadableStream }

export async function loadXzReadableStream(): Promise<typeof XzReadableStream> {
  // A CommonJS (UMD) module: Node gives its exports as the default, a CommonJS loader (tsx) as they are.
  const xz = (await import('xz-decompress')) as unknown as Partial<XzExports> & { default?: XzExports }
  return xz.XzReadableStream ?? xz.default!.XzReadableStream
}
