/**
 * Recognises command lines that change unit state, as sudo, audit, polkit or a shell history record them:
 * `systemctl [opts] VERB [units…]` and the hand-made mask `ln -s /dev/null …/X.service`.
 */
import { posix } from 'node:path'

export interface UnitCommand {
  program: 'systemctl' | 'ln'
  /** systemctl verb; `mask` for `ln -s /dev/null`. */
  verb: string
  units: string[]
  flags: string[]
}

/** Verbs that change or reveal unit state; other systemctl verbs (status, list-units…) are not kept. */
export const STATE_VERBS = new Set([
  'mask',
  'unmask',
  'enable',
  'disable',
  'reenable',
  'preset',
  'preset-all',
  'revert',
  'link',
  'start',
  'stop',
  'restart',
  'try-restart',
  'reload-or-restart',
  'try-reload-or-restart',
  'isolate',
  'daemon-reload',
  'daemon-reexec',
  'edit',
  'kill',
])

// systemctl options that consume the next argument when not written as --opt=value.
const OPTIONS_WITH_VALUE = new Set([
  '-H', '--host', '-M', '--machine', '-t', '--type', '-p', '--property', '--root', '-s', '--signal',
  '--kill-whom', '--kill-value', '-n', '--lines', '-o', '--output', '--state', '--job-mode', '--preset-mode',
  '--what', '--boot-loader-entry', '--boot-loader-menu', '--timestamp', '--image', '--drop-in', '--when',
  '--message', '--check-inhibitors', '--image-policy', '--reboot-argument',
])

const UNIT_SUFFIX = /\.(service|socket|target|timer|path|mount|automount|swap|slice|scope|device)$/

/** systemctl appends `.service` to a name without a unit suffix. */
export function normalizeUnitName(name: string): string {
  return UNIT_SUFFIX.test(name) || name.includes('*') ? name : `${name}.service`
}

/** Splits a command line like a POSIX shell would for simple words and quotes (no expansion). */
export function splitWords(command: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!
    if (c === "'") {
      const end = command.indexOf("'", i + 1)
      word += end === -1 ? command.slice(i + 1) : command.slice(i + 1, end)
      i = end === -1 ? command.length : end
      inWord = true
    } else if (c === '"') {
      let j = i + 1
      for (; j < command.length && command[j] !== '"'; j++) {
        if (command[j] === '\\' && j + 1 < command.length) j++
        word += command[j]
      }
      i = j
      inWord = true
    } else if (c === '\\' && i + 1 < command.length) {
      word += command[++i]
      inWord = true
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (inWord) words.push(word)
  return words
}

const SEPARATORS = new Set(['&&', '||', ';', '|', '&'])
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh'])

function systemctlCommand(args: string[]): UnitCommand | null {
  const flags: string[] = []
  let verb: string | null = null
  const units: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a.startsWith('-')) {
      flags.push(a)
      if (OPTIONS_WITH_VALUE.has(a) && i + 1 < args.length) flags.push(args[++i]!)
    } else if (verb === null) {
      verb = a
    } else {
      units.push(normalizeUnitName(a))
    }
  }
  if (verb === null || !STATE_VERBS.has(verb)) return null
  return { program: 'systemctl', verb, units, flags }
}

// ln -s /dev/null /etc/systemd/system/foo.service   (also -sf, -fs, --symbolic)
function lnMaskCommand(args: string[]): UnitCommand | null {
  const flags = args.filter((a) => a.startsWith('-'))
  const operands = args.filter((a) => !a.startsWith('-'))
  const symbolic = flags.some((f) => f === '--symbolic' || (/^-[a-zA-Z]+$/.test(f) && f.includes('s')))
  if (!symbolic || operands.length !== 2 || operands[0] !== '/dev/null') return null
  const unit = posix.basename(operands[1]!)
  if (!UNIT_SUFFIX.test(unit)) return null
  return { program: 'ln', verb: 'mask', units: [unit], flags }
}

/** Every unit-changing command in a command line (several when chained or wrapped in `sh -c`). */
export function parseUnitCommands(command: string, depth = 0): UnitCommand[] {
  const words = splitWords(command)
  const found: UnitCommand[] = []
  let simple: string[] = []
  const flush = (): void => {
    const cmd = simpleCommand(simple, depth)
    found.push(...cmd)
    simple = []
  }
  for (const w of words) {
    if (SEPARATORS.has(w)) flush()
    else simple.push(w)
  }
  flush()
  return found
}

// Wrappers that run the rest of the line, with their options that take a value.
const WRAPPERS: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-R', '-T']),
  doas: new Set(['-u', '-C']),
  env: new Set(['-u', '-C', '-S', '--unset', '--chdir']),
  nohup: new Set(),
  command: new Set(),
  exec: new Set(),
}

function simpleCommand(words: string[], depth: number): UnitCommand[] {
  let i = 0
  let wrapper: Set<string> | null = null
  while (i < words.length) {
    const w = words[i]!
    const asWrapper = WRAPPERS[posix.basename(w)]
    if (asWrapper !== undefined) {
      wrapper = asWrapper
      i++
    } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++
    } else if (wrapper !== null && w.startsWith('-')) {
      i += wrapper.has(w) ? 2 : 1
    } else break
  }
  const program = words[i]
  if (program === undefined) return []
  const base = posix.basename(program)
  const rest = words.slice(i + 1)
  if (base === 'systemctl') {
    const c = systemctlCommand(rest)
    return c ? [c] : []
  }
  if (base === 'ln') {
    const c = lnMaskCommand(rest)
    return c ? [c] : []
  }
  if (SHELLS.has(base) && depth < 3) {
    const dashC = rest.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a))
    const script = dashC === -1 ? undefined : rest[dashC + 1]
    if (script !== undefined) return parseUnitCommands(script, depth + 1)
  }
  return []
}
