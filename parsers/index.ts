/** The parser registry: one line per format, sorted by name. A test checks every file here is listed. */
import type { Parser } from '../src/parser.ts'
import aptHistory from './apt-history.ts'
import aptTerm from './apt-term.ts'
import auditLog from './audit-log.ts'
import dnfLog from './dnf-log.ts'
import dnfRpmLog from './dnf-rpm-log.ts'
import dnf5Log from './dnf5-log.ts'
import dpkgList from './dpkg-list.ts'
import dpkgLog from './dpkg-log.ts'
import dpkgStatus from './dpkg-status.ts'
import grubCfg from './grub-cfg.ts'
import grubDefault from './grub-default.ts'
import journalBinary from './journal-binary.ts'
import journalExport from './journal-export.ts'
import journalJson from './journal-json.ts'
import kernelCmdline from './kernel-cmdline.ts'
import syslog from './syslog.ts'
import systemctlListUnitFiles from './systemctl-list-unit-files.ts'
import yumLog from './yum-log.ts'

export const PARSERS = {
  'apt-history': aptHistory,
  'apt-term': aptTerm,
  'audit-log': auditLog,
  'dnf-log': dnfLog,
  'dnf-rpm-log': dnfRpmLog,
  'dnf5-log': dnf5Log,
  'dpkg-list': dpkgList,
  'dpkg-log': dpkgLog,
  'dpkg-status': dpkgStatus,
  'grub-cfg': grubCfg,
  'grub-default': grubDefault,
  'journal-binary': journalBinary,
  'journal-export': journalExport,
  'journal-json': journalJson,
  'kernel-cmdline': kernelCmdline,
  syslog,
  'systemctl-list-unit-files': systemctlListUnitFiles,
  'yum-log': yumLog,
} as const satisfies Record<string, Parser>

export type ParserName = keyof typeof PARSERS

export const PARSER_NAMES = Object.keys(PARSERS).sort() as ParserName[]

export function parserByName(name: string): Parser | undefined {
  return Object.hasOwn(PARSERS, name) ? PARSERS[name as ParserName] : undefined
}
