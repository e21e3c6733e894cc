/** rpm package names as yum, dnf and dnf5 log them. */

export interface Nevra {
  name: string
  /** `[epoch:]version-release`, epoch 0 left out. */
  version: string
  arch: string
}

// bind-utils-32:9.11.4-9.P2.el7.x86_64 (dnf)   32:bind-utils-9.11.4-9.P2.el7.x86_64 (yum)   cmake-0:3.31-1.fc43.noarch (dnf5)
const NEVRA = /^(?:(?<e1>\d+):)?(?<name>[^\s:]+)-(?:(?<e2>\d+):)?(?<version>[^\s:-]+)-(?<release>[^\s:-]+)\.(?<arch>[^\s.:-]+)$/

/** Splits an rpm NEVRA in any of the forms yum, dnf and dnf5 write; null when it is not one. */
export function splitNevra(text: string): Nevra | null {
  const g = NEVRA.exec(text)?.groups
  if (!g) return null
  const epoch = g['e1'] ?? g['e2']
  return {
    name: g['name']!,
    version: `${epoch !== undefined && epoch !== '0' ? `${epoch}:` : ''}${g['version']}-${g['release']}`,
    arch: g['arch']!,
  }
}
