/**
 * The report's timeline: an inline SVG with one lane per explained unit (masked intervals shaded,
 * mask/unmask markers), a lane of package transactions (interrupted ones open-ended and hatched) and
 * boots drawn across every lane. Every piece of text comes from the evidence and goes through h().
 * Output is a pure function of its input: fixed geometry, rounded coordinates, stable order.
 */
import { TZDate, tzOffset } from '@date-fns/tz'
import { format } from 'date-fns/format'
import type { HistoryItem, UnitExplanation } from '../../correlate/types.ts'
import type { Boot, PackageTransaction } from '../../events.ts'
import { formatInstant } from '../../time.ts'
import { h } from './escape.ts'

const WIDTH = 1000
const X0 = 220
const X1 = 980
const AXIS_H = 36
const LANE_H = 32
const BAR_H = 9
const BAR_STEP = 12

/** Coordinates with one decimal: stable text, enough precision. */
const n = (v: number): string => String(Math.round(v * 10) / 10)

interface Scale {
  lo: number
  hi: number
  x(timeUs: number): number
}

function scaleOf(times: readonly number[]): Scale | null {
  if (times.length === 0) return null
  let lo = times[0]!
  let hi = times[0]!
  for (const t of times) {
    if (t < lo) lo = t
    if (t > hi) hi = t
  }
  const pad = hi === lo ? 60_000_000 : Math.max((hi - lo) * 0.04, 1)
  lo -= pad
  hi += pad
  return { lo, hi, x: (t) => X0 + ((t - lo) / (hi - lo)) * (X1 - X0) }
}

// Tick steps in seconds, from 100 ms to a year.
const STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2592000, 7776000, 31536000]

function axis(scale: Scale | null, zone: string, height: number): string {
  if (scale === null) return `<text class="axis-note" x="${X0}" y="22">no dated events: nothing to place on a time axis</text>`
  const spanS = (scale.hi - scale.lo) / 1e6
  const step = STEPS.find((s) => spanS / s <= 7) ?? STEPS[STEPS.length - 1]!
  const stepUs = step * 1e6
  const offsetUs = tzOffset(zone, new Date(Math.floor(scale.lo / 1000))) * 60e6
  const local = (t: number): TZDate => new TZDate(Math.floor(t / 1000), zone)
  const crossesDay = format(local(scale.lo), 'yyyy-MM-dd') !== format(local(scale.hi), 'yyyy-MM-dd')
  const pattern = step < 1 ? 'HH:mm:ss.SSS' : step < 60 ? 'HH:mm:ss' : step >= 86400 ? 'yyyy-MM-dd' : crossesDay ? 'MM-dd HH:mm' : 'HH:mm'
  const out: string[] = []
  const caption = step >= 86400 ? zone : `${format(local(scale.lo), 'yyyy-MM-dd')} (${zone})`
  out.push(`<text class="axis-caption" x="8" y="22">${h(caption)}</text>`)
  for (let t = Math.ceil((scale.lo + offsetUs) / stepUs) * stepUs - offsetUs; t <= scale.hi; t += stepUs) {
    const x = n(scale.x(t))
    out.push(`<line class="grid" x1="${x}" x2="${x}" y1="${AXIS_H - 6}" y2="${height}"/>`)
    out.push(`<text class="tick" x="${x}" y="22" text-anchor="middle">${h(format(local(t), pattern))}</text>`)
  }
  return out.join('')
}

const ACTION_MARK: Record<HistoryItem['action'], string> = {
  masked: 'mask',
  unmasked: 'unmask',
  'mask-refused': 'refused',
  'mask-attempt-refused': 'refused',
  'masked-dependency': 'dependency',
  'boot-masked': 'mask',
}

function label(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function unitLane(x: UnitExplanation, scale: Scale | null, zone: string, y: number, index: number): string {
  const out: string[] = [`<g class="lane" data-unit="${h(x.unit)}" transform="translate(0,${y})">`]
  out.push(`<rect class="lane-bg${index % 2 ? ' odd' : ''}" x="0" y="0" width="${WIDTH}" height="${LANE_H}"/>`)
  const undated = x.history.filter((i) => i.timeUs === null).length
  const state = `${x.state}${x.cause ? ` · ${x.cause}` : ''}${x.blockedBy.length ? ' · blocked' : ''}`
  out.push(
    `<text class="lane-label" x="8" y="14"><title>${h(`${x.unit}: ${state}${undated ? `; ${undated} undated change(s) not drawn` : ''}`)}</title>${h(label(x.unit, 30))}</text>`,
    `<text class="lane-state" x="8" y="27">${h(label(state, 36))}</text>`,
  )
  const top = 6
  const height = LANE_H - 12
  const cy = LANE_H / 2
  const stillMasked = x.state === 'masked' || x.state === 'masked-runtime'
  const dated = x.history.filter((i): i is HistoryItem & { timeUs: number } => i.timeUs !== null).sort((a, b) => a.timeUs - b.timeUs)
  if (scale !== null) {
    // Masked intervals: from a mask to the next unmask; open to the right edge when the unit is still masked.
    let openAt: number | null = null
    let lastUnmask: number | null = null
    const rects: string[] = []
    const rect = (from: number | null, to: number | null, cls: string, title: string): void => {
      const left = from === null ? X0 : scale.x(from)
      const right = to === null ? X1 : scale.x(to)
      rects.push(`<rect class="${cls}" x="${n(left)}" y="${top}" width="${n(Math.max(right - left, 2))}" height="${height}"><title>${h(title)}</title></rect>`)
    }
    for (const item of dated) {
      if (item.action === 'masked' && openAt === null) openAt = item.timeUs
      else if (item.action === 'unmasked') {
        if (openAt !== null) rect(openAt, item.timeUs, 'masked', `masked from ${formatInstant(openAt, zone)} to ${formatInstant(item.timeUs, zone)}`)
        openAt = null
        lastUnmask = item.timeUs
      }
    }
    if (openAt === null && stillMasked && x.maskedAtUs !== null && (lastUnmask === null || x.maskedAtUs >= lastUnmask)) openAt = x.maskedAtUs
    if (openAt !== null) {
      if (x.state === 'not-masked') {
        rect(openAt, null, 'masked open unknown-end', `masked from ${formatInstant(openAt, zone)}; unmasked at a time no record shows (the copied unit directories say it is not masked)`)
      } else {
        rect(openAt, null, 'masked open', `masked from ${formatInstant(openAt, zone)}; still masked when the evidence was copied`)
      }
    } else if (stillMasked) {
      rect(lastUnmask, null, 'masked open unknown-start', `masked when the evidence was copied; no record shows when the mask was made`)
    }
    out.push(...rects)
    for (const item of dated) {
      const mark = ACTION_MARK[item.action]
      const cx = n(scale.x(item.timeUs))
      const title = `<title>${h(`${item.action} at ${formatInstant(item.timeUs, zone)} — ${item.by} [${item.source}]`)}</title>`
      if (mark === 'mask' || mark === 'unmask') out.push(`<circle class="${mark}" cx="${cx}" cy="${cy}" r="5.5">${title}</circle>`)
      else out.push(`<path class="${mark}" d="M${cx} ${cy - 6}l5 6l-5 6l-5 -6z">${title}</path>`)
    }
  } else if (stillMasked) {
    out.push(`<rect class="masked open unknown-start" x="${X0}" y="${top}" width="${X1 - X0}" height="${height}"><title>masked when the evidence was copied; no record shows when the mask was made</title></rect>`)
  }
  out.push('</g>')
  return out.join('')
}

function transactionTitle(t: PackageTransaction, zone: string): string {
  const end = t.endUs === null ? (t.outcome === 'interrupted' ? 'never ended' : 'end not recorded') : `ended ${formatInstant(t.endUs, zone)}`
  return [
    `${t.tool} transaction ${t.transactionId}: ${t.outcome} (${t.outcomeReason})`,
    `started ${formatInstant(t.timeUs, zone)}; ${end}`,
    ...(t.commandLine ? [`command: ${t.commandLine}`] : []),
    ...(t.actor ? [`requested by ${t.actor}`] : []),
    `${t.path}:${t.line}`,
  ].join('\n')
}

function packagesLane(transactions: readonly PackageTransaction[], scale: Scale | null, zone: string, y: number): { svg: string; height: number } {
  const bars: string[] = []
  const rowEnds: number[] = []
  const dated = transactions.filter((t): t is PackageTransaction & { timeUs: number } => t.timeUs !== null)
  if (scale !== null) {
    for (const t of dated) {
      const open = t.outcome === 'interrupted' || (t.endUs === null && t.outcome === 'error')
      const left = scale.x(t.timeUs)
      const right = open ? X1 : Math.max(scale.x(t.endUs ?? t.timeUs), left + 4)
      let row = rowEnds.findIndex((end) => end + 2 <= left)
      if (row === -1) row = rowEnds.push(right) - 1
      else rowEnds[row] = right
      const cls = `transaction${t.outcome === 'interrupted' ? ' interrupted open' : t.outcome === 'error' ? ` error${open ? ' open' : ''}` : ''}`
      bars.push(
        `<rect class="${cls}" data-outcome="${h(t.outcome)}" x="${n(left)}" y="${6 + row * BAR_STEP}" width="${n(right - left)}" height="${BAR_H}"><title>${h(transactionTitle(t, zone))}</title></rect>`,
      )
    }
  }
  const height = Math.max(LANE_H, 12 + Math.max(rowEnds.length, 1) * BAR_STEP)
  const note = transactions.length === 0 ? 'none in the evidence' : dated.length < transactions.length ? `${transactions.length - dated.length} undated not drawn` : `${transactions.length} transaction record(s)`
  const svg = [
    `<g class="lane" data-lane="packages" transform="translate(0,${y})">`,
    `<rect class="lane-bg packages" x="0" y="0" width="${WIDTH}" height="${height}"/>`,
    `<text class="lane-label" x="8" y="14">package transactions</text>`,
    `<text class="lane-state" x="8" y="27">${h(note)}</text>`,
    ...bars,
    '</g>',
  ].join('')
  return { svg, height }
}

export interface TimelineInput {
  units: readonly UnitExplanation[]
  transactions: readonly PackageTransaction[]
  boots: readonly Boot[]
  zone: string
}

export function renderTimelineSvg(input: TimelineInput): string {
  const times: number[] = []
  for (const x of input.units) {
    for (const i of x.history) if (i.timeUs !== null) times.push(i.timeUs)
    if (x.maskedAtUs !== null) times.push(x.maskedAtUs)
  }
  for (const t of input.transactions) {
    if (t.timeUs !== null) times.push(t.timeUs)
    if (t.endUs !== null) times.push(t.endUs)
  }
  for (const b of input.boots) if (b.timeUs !== null) times.push(b.timeUs)
  const scale = scaleOf(times)

  const lanes: string[] = []
  let y = AXIS_H
  input.units.forEach((x, i) => {
    lanes.push(unitLane(x, scale, input.zone, y, i))
    y += LANE_H
  })
  const packages = packagesLane(input.transactions, scale, input.zone, y)
  lanes.push(packages.svg)
  y += packages.height
  const height = y + 4

  const boots: string[] = []
  if (scale !== null) {
    for (const b of input.boots) {
      if (b.timeUs === null) continue
      const x = n(scale.x(b.timeUs))
      const title = `boot ${b.bootId}${b.host ? ` on ${b.host}` : ''}: first entry at ${formatInstant(b.timeUs, input.zone)} [${b.path}:${b.line}]`
      boots.push(`<line class="boot" x1="${x}" x2="${x}" y1="${AXIS_H - 4}" y2="${height - 4}"><title>${h(title)}</title></line>`)
    }
  }
  return [
    `<svg id="timeline" class="tl" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="timeline-title">`,
    `<title id="timeline-title">Timeline: masks, unmasks, masked intervals, package transactions and boots (times in ${h(input.zone)})</title>`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-bg" width="6" height="6"/><line class="hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>',
    `<g class="axis">${axis(scale, input.zone, height - 4)}</g>`,
    ...lanes,
    `<g class="boots">${boots.join('')}</g>`,
    '</svg>',
  ].join('\n')
}
