/** What `maskwhy explain` says about a unit. The JSON schema in docs/explain-schema.md documents these fields. */

/** Closed set, named exactly so in JSON. */
export const CAUSES = [
  'admin-command',
  'package-removal',
  'package-script',
  'interrupted-transaction',
  'vendor-default',
  'empty-unit-file',
  'runtime-mask',
  'kernel-cmdline',
  'generator',
  'unknown',
] as const
export type Cause = (typeof CAUSES)[number]

export type Confidence = 'high' | 'medium' | 'low'

export type UnitStateName = 'masked' | 'masked-runtime' | 'not-masked' | 'unknown'

/** One cited line of evidence, verbatim. */
export interface EvidenceLine {
  path: string
  /** 1-based line, or null for a filesystem fact (a link, a marker). */
  line: number | null
  cursor: string | null
  /** µs since the epoch (UTC), or null. */
  timeUs: number | null
  /** What this line shows, in a few words ("sudo ran systemctl mask", "link on disk"). */
  role: string
  text: string
}

export interface HistoryItem {
  timeUs: number | null
  /** `boot-masked`: a logged boot whose kernel command line has systemd.mask= for the unit. */
  action: 'masked' | 'unmasked' | 'mask-refused' | 'masked-dependency' | 'mask-attempt-refused' | 'boot-masked'
  /** Who or what, as the source says ("alice via sudo on pts/0", "package webcache's maintainer script"). */
  by: string
  source: string
  text: string
}

export interface TransactionInfo {
  manager: string
  id: string
  startUs: number | null
  endUs: number | null
  command: string | null
  requestedBy: string | null
  outcome: string
  outcomeReason: string
}

/** One edge of the dependency graph, as shown to a person. */
export interface DependencyLink {
  unit: string
  /** Requires, Requisite, BindsTo, requires-link, TriggeredBy, template; weak ones say so ("Wants (weak: the unit still starts)"). */
  dependency: string
  /** `path:line` of the directive, the link's path, or the file that makes the default pairing. */
  source: string
  /** Where the dependency comes from, in words: the vendor unit file, an etc/ copy that overrides it, a drop-in, a link… */
  origin: string
}

/** What `systemctl unmask` would leave: the file that takes effect once the mask is gone. */
export interface AfterUnmask {
  /** The unit file (or template) that would be loaded, relative to the evidence root, or null when none is left. */
  path: string | null
  /** True when that file is itself a mask (a vendor /dev/null link below the removed one). */
  masked: boolean
  /**
   * False when the evidence cannot tell: no file is left in the copy, but the copy has no vendor unit
   * directory either and nothing says the package that shipped the unit is gone.
   */
  known: boolean
  /** One line for a person. */
  note: string
}

export interface UnitExplanation {
  unit: string
  host: string | null
  state: UnitStateName
  /**
   * Where the state came from: the copied unit directories; `listing`: systemctl list-unit-files (a
   * sosreport's) where the copy cannot say; or (logs only) the last logged change.
   */
  stateFrom: 'filesystem' | 'listing' | 'events' | 'kernel-command-line' | 'none'
  /** Where the mask lives, relative to the evidence root, or null. */
  path: string | null
  /** When the current mask was made (UTC µs), or null when no evidence dates it. */
  maskedAtUs: number | null
  /** What dated it (the record that shows the act), or why it is unknown. */
  maskedAtFrom: string
  cause: Cause | null
  confidence: Confidence | null
  confidenceReason: string
  actor: string | null
  transaction: TransactionInfo | null
  history: HistoryItem[]
  /** Units that cannot start (or be activated) because they depend on this masked unit. */
  blockedUnits: DependencyLink[]
  /** Masked units this unit depends on or is activated by (it is blocked by them). */
  blockedBy: DependencyLink[]
  /** Units that activate this one (X.socket, X.timer, X.path, X.automount), masked or not. */
  triggeredBy: DependencyLink[]
  /** For a mask on disk: what would be loaded after `systemctl unmask`; null otherwise. */
  afterUnmask: AfterUnmask | null
  summary: string
  evidence: EvidenceLine[]
  /** Advice, never executed. */
  fix: string[]
  /** Signals that disagree, and which one won and why. */
  conflicts: string[]
}

/** A package left half-way when the evidence was copied, or a package transaction that never completed. */
export interface BrokenPackage {
  /** dpkg (Debian family: dpkg status/log, apt) or rpm (dnf, dnf5, yum). */
  manager: 'dpkg' | 'rpm'
  /** null for a transaction that never completed and names no package. */
  package: string | null
  /** `half-configured`, `reinstreq half-installed`, `duplicate (both versions installed)`, `in an interrupted transaction`… */
  state: string
  /** What says so and as of when (`var/lib/dpkg/status: when the evidence was copied`, `the end of var/log/dpkg.log`). */
  asOf: string
  /** The transaction that left it so, when the logs tie it to one. */
  transaction: TransactionInfo | null
  /** Unit files the package ships (dpkg file lists, maintainer-script output): the next masked unit is often one of them. */
  units: string[]
  evidence: EvidenceLine[]
  /** Recovery commands, in order; advice only. */
  recovery: string[]
}
