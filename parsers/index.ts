/** The parser registry: one line per format, sorted by name. A test checks every file here is listed. */
import type { Parser } from '../src/parser.ts'
import journalJson from './journal-json.ts'

export const PARSERS = {
  'journal-json': journalJson,
} as const satisfies Record<string, Parser>

export type ParserName = keyof typeof PARSERS

export const PARSER_NAMES = Object.keys(PARSERS).sort() as ParserName[]

export function parserByName(name: string): Parser | undefined {
  return Object.hasOwn(PARSERS, name) ? PARSERS[name as ParserName] : undefined
}
