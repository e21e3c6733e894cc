/**
 * An evidence tree: what the readers of a copied machine (discovery, unit state, time zone) need
 * from it, whether it is a directory on disk or a tar archive read as a stream. Paths are relative
 * to the evidence root, POSIX, without a leading slash ('' is the root itself). Implementations
 * never follow a symlink: callers resolve links with fs/confined.ts `resolveInRoot`.
 */

export type NodeType = 'file' | 'dir' | 'symlink' | 'other'

/** lstat() of one path. */
export interface NodeInfo {
  type: NodeType
  /** Bytes of a regular file (0 for anything else). */
  size: number
  /** Modification time in µs, null when unknown. */
  mtimeUs: number | null
  /**
   * For a tar hard link: the path (in the same tree) of the file it is another name for. A file on
   * disk never says (its other names are indistinguishable from it).
   */
  hardLinkOf?: string
}

export interface DirEntry {
  name: string
  type: NodeType
}

export type SmallRead = { ok: true; data: Buffer } | { ok: false; message: string }

export interface EvidenceTree {
  /** Nothing there (or a path through a non-directory): null. */
  lstat(rel: string): Promise<NodeInfo | null>
  /** Entries of a directory, sorted by name. Throws when it cannot be read. */
  readdir(rel: string): Promise<DirEntry[]>
  /** The target of a symlink, verbatim. */
  readlink(rel: string): Promise<string>
  /** The whole content of a regular file, refused beyond `cap` bytes or when not a regular file. */
  readFile(rel: string, cap: number): Promise<SmallRead>
}
