/**
 * A progress bar on stderr for long runs: bytes read of the total, rate, ETA, the current input.
 * Only on a terminal, only without --quiet, and only once a run has lasted a couple of seconds (a short
 * run finishes before anything is drawn). Drawn by cli-progress; cleared when the run ends, so the
 * summary and diagnostics that follow stay readable.
 */
import cliProgress from 'cli-progress'

/** What the pipeline tells about its progress; run.ts calls it, the CLI decides what it shows. */
export interface Progress {
  start(totalBytes: number): void
  update(doneBytes: number, currentInput: string): void
  stop(): void
}

export const NO_PROGRESS: Progress = { start() {}, update() {}, stop() {} }

/** Runs shorter than this never show a bar. */
export const PROGRESS_DELAY_MS = 2000

/** A bar is drawn only on a terminal and only when not asked to be quiet. */
export function wantsProgress(stream: { isTTY?: boolean }, quiet: boolean): boolean {
  return stream.isTTY === true && !quiet
}

const MB = 1024 * 1024
const mb = (bytes: number): string => (bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)

/** The middle of a long path, so the bar stays on one line. */
function shortened(path: string, max = 40): string {
  return path.length <= max ? path : `…${path.slice(path.length - max + 1)}`
}

export function progressBar(
  stream: NodeJS.WriteStream,
  options: { quiet: boolean; delayMs?: number; now?: () => number } = { quiet: false },
): Progress {
  if (!wantsProgress(stream, options.quiet)) return NO_PROGRESS
  const now = options.now ?? Date.now
  const delayMs = options.delayMs ?? PROGRESS_DELAY_MS
  let startedAt = 0
  let total = 0
  let bar: cliProgress.SingleBar | null = null
  return {
    start(totalBytes) {
      startedAt = now()
      total = Math.max(1, totalBytes)
    },
    update(doneBytes, currentInput) {
      const elapsed = now() - startedAt
      if (elapsed < delayMs) return
      const payload = {
        done: mb(doneBytes),
        all: mb(total),
        rate: `${mb(doneBytes / Math.max(elapsed / 1000, 0.001))} MB/s`,
        input: shortened(currentInput),
      }
      if (bar === null) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: 'maskwhy {bar} {percentage}% | {done}/{all} MB | {rate} | ETA {eta_formatted} | {input}',
            clearOnComplete: true,
            hideCursor: true,
            barsize: 24,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        )
        bar.start(total, Math.min(doneBytes, total), payload)
      } else {
        bar.update(Math.min(doneBytes, total), payload)
      }
    },
    stop() {
      bar?.stop()
      bar = null
    },
  }
}
