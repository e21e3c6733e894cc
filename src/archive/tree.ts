/** An archive's members seen as an evidence tree rooted at `prefix` (the archive's top, or its one top-level folder). */
import type { DirEntry, EvidenceTree, NodeInfo, SmallRead } from '../tree/tree.ts'
import type { EvidenceArchive } from './archive.ts'
import { underPrefix } from './member-name.ts'

export class ArchiveTree implements EvidenceTree {
  readonly archive: EvidenceArchive
  /** '' or 'folder/': where the evidence root sits in the archive. */
  readonly prefix: string

  constructor(archive: EvidenceArchive, prefix: string) {
    this.archive = archive
    this.prefix = prefix
  }

  /** The archive path of a path in this tree. */
  memberPath(rel: string): string {
    return underPrefix(this.prefix, rel)
  }

  async lstat(rel: string): Promise<NodeInfo | null> {
    const node = this.archive.nodes.get(this.memberPath(rel))
    if (node === undefined) return null
    const info: NodeInfo = { type: node.type, size: node.size, mtimeUs: node.mtimeUs }
    if (node.hardLinkOf !== null) {
      // Another name of a file stored under the evidence root: shown as that file; elsewhere in the archive: not evidence.
      if (!node.hardLinkOf.startsWith(this.prefix)) return { ...info, type: 'other', size: 0 }
      info.hardLinkOf = node.hardLinkOf.slice(this.prefix.length)
    }
    return info
  }

  async readdir(rel: string): Promise<DirEntry[]> {
    const dir = this.memberPath(rel)
    if (this.archive.nodes.get(dir)?.type !== 'dir') throw new Error(`not a directory in the archive: ${dir || '(top)'}`)
    const entries: DirEntry[] = []
    for (const name of [...(this.archive.children.get(dir) ?? [])].sort()) {
      const info = await this.lstat(rel === '' ? name : `${rel}/${name}`)
      if (info !== null) entries.push({ name, type: info.type })
    }
    return entries
  }

  async readlink(rel: string): Promise<string> {
    const node = this.archive.nodes.get(this.memberPath(rel))
    if (node?.type !== 'symlink' || node.linkTarget === null) throw new Error(`not a symlink in the archive: ${this.memberPath(rel)}`)
    return node.linkTarget
  }

  async readFile(rel: string, cap: number): Promise<SmallRead> {
    const info = await this.lstat(rel)
    if (info?.type !== 'file') return { ok: false, message: 'not a regular file; not read' }
    if (info.size > cap) return { ok: false, message: `${info.size} bytes, more than the ${cap}-byte limit for unit files; not read` }
    const data = await this.archive.contentOf(this.memberPath(rel))
    if (data === null || data.length !== info.size) return { ok: false, message: 'cut off in the archive (damaged); not read' }
    return { ok: true, data }
  }
}
