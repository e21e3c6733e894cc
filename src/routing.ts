/** Which parser reads an input: forced by the user, else by path, else by content. Ambiguity is reported, never guessed. */
import picomatch from 'picomatch'
import type { EvidenceFile } from './discovery.ts'
import type { Parser } from './parser.ts'
import { PARSERS, parserByName, PARSER_NAMES } from '../parsers/index.ts'

export interface FormatOverride {
  /** Glob or exact path, matched against the input's display path and its base name. */
  pattern: string
  parser: string
}

export type Route =
  | { status: 'routed'; parser: Parser; how: 'forced' | 'path' | 'content' }
  | { status: 'unrecognised' }
  | { status: 'ambiguous'; candidates: string[] }

/** Parses `PATH=PARSER`; throws a message naming the known parsers. */
export function parseFormatOverride(spec: string): FormatOverride {
  const at = spec.lastIndexOf('=')
  const pattern = spec.slice(0, at)
  const parser = spec.slice(at + 1)
  if (at <= 0 || parserByName(parser) === undefined) {
    throw new Error(`--format-of expects PATH=PARSER with PARSER one of: ${PARSER_NAMES.join(', ')} (got "${spec}")`)
  }
  return { pattern, parser }
}

function forcedParser(file: EvidenceFile, overrides: readonly FormatOverride[]): Parser | undefined {
  for (const o of overrides) {
    const matches = picomatch(o.pattern, { dot: true })
    const base = file.path.split('/').pop() ?? file.path
    if (o.pattern === file.path || matches(file.path) || matches(base) || (file.absPath !== null && o.pattern === file.absPath)) {
      return parserByName(o.parser)
    }
  }
  return undefined
}

export async function routeInput(
  file: EvidenceFile,
  head: () => Promise<string>,
  overrides: readonly FormatOverride[],
): Promise<Route> {
  const forced = forcedParser(file, overrides)
  if (forced) return { status: 'routed', parser: forced, how: 'forced' }
  const all = Object.values(PARSERS) as Parser[]
  const byPath = all.filter((p) => p.paths.some((re) => re.test(file.basePath)))
  if (byPath.length === 1) return { status: 'routed', parser: byPath[0]!, how: 'path' }
  if (byPath.length > 1) return { status: 'ambiguous', candidates: byPath.map((p) => p.name) }
  const text = await head()
  const byContent = all.filter((p) => p.detect(text))
  if (byContent.length === 1) return { status: 'routed', parser: byContent[0]!, how: 'content' }
  if (byContent.length > 1) return { status: 'ambiguous', candidates: byContent.map((p) => p.name) }
  return { status: 'unrecognised' }
}
