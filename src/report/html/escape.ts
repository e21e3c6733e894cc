/**
 * Everything in a report that came from the evidence is untrusted: log lines, unit names, paths, host
 * names, package commands. It goes into HTML text, attribute values and inline SVG only through these.
 */
import { escapeControl } from '../escape.ts'

const HTML_SPECIALS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** `&<>"'` as entities: safe in element text, in quoted attribute values, and in inline SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_SPECIALS[c]!)
}

/**
 * Log text for a person: control characters, C1 controls and bidi overrides made visible (`\e`, `\x07`,
 * `\u202e`), lone surrogates replaced, then HTML-escaped. Use for text and attribute values alike.
 */
export function h(text: string | number | null | undefined): string {
  if (text === null || text === undefined) return ''
  return escapeHtml(escapeControl(String(text)).replace(LONE_SURROGATE, '\uFFFD'))
}

/**
 * An element id (and its `#fragment`) derived from a unit name: only `[A-Za-z0-9._@:-]`, anything else
 * becomes `-`, so the fragment can never carry markup or a scheme. `taken` makes ids unique.
 */
export function idFor(prefix: string, name: string, taken: Set<string>): string {
  const base = `${prefix}${name.replace(/[^A-Za-z0-9._@:-]/g, '-')}`
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  taken.add(id)
  return id
}
