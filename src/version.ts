/** maskwhy's version, read from the package.json above this file (works from src/ under tsx and from the dist/src bundle). */
import { readFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'package.json')
    if (existsSync(candidate)) return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version
    dir = dirname(dir)
  }
  return 'unknown'
}

export const VERSION = findVersion()
