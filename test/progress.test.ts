/** The progress bar: only on a terminal, never with --quiet, not for short runs, gone when the run ends; --jobs. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { NO_PROGRESS, PROGRESS_DELAY_MS, progressBar, wantsProgress } from '../src/progress.ts'
import { collectEvents } from '../src/run.ts'
import { maskwhy } from './helpers/cli.ts'

/** A stream that records what is written to it, and says whether it is a terminal. */
function recorder(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text(): string } {
  const parts: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(chunk.toString())
      done()
    },
  }) as Writable & { isTTY: boolean; columns: number; text(): string }
  stream.isTTY = isTTY
  stream.columns = 120
  stream.text = () => parts.join('')
  return stream
}

describe('progress bar', () => {
  it('is wanted on a terminal only, and not with --quiet', () => {
    assert.equal(wantsProgress({ isTTY: true }, false), true)
    assert.equal(wantsProgress({ isTTY: true }, true), false)
    assert.equal(wantsProgress({ isTTY: false }, false), false)
    assert.equal(wantsProgress({}, false), false)
  })

  it('writes nothing when stderr is not a terminal, or with --quiet', () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      const stream = recorder(tty)
      const bar = progressBar(stream as unknown as NodeJS.WriteStream, { quiet, delayMs: 0 })
      assert.equal(bar, NO_PROGRESS)
      bar.start(100)
      bar.update(50, 'var/log/journal.json')
      bar.stop()
      assert.equal(stream.text(), '')
    }
  })

  it('on a terminal: nothing during the first seconds, then bytes, rate, ETA and the input; cleared at the end', () => {
    let now = 1_000_000
    const stream = recorder(true)
    const bar = progressBar(stream as unknown as NodeJS.WriteStream, { quiet: false, now: () => now })
    bar.start(400 * 1024 * 1024)
    bar.update(10 * 1024 * 1024, 'var/log/journal.json')
    assert.equal(stream.text(), '', 'a short run draws nothing')
    now += PROGRESS_DELAY_MS + 1000
    bar.update(200 * 1024 * 1024, 'var/log/journal.json')
    const drawn = stream.text()
    assert.match(drawn, /50%/)
    assert.match(drawn, /200\/400 MB/)
    assert.match(drawn, /\d+ MB\/s/)
    assert.match(drawn, /ETA/)
    assert.match(drawn, /var\/log\/journal\.json/)
    bar.stop()
    assert.ok(stream.text().length > drawn.length, 'stop() clears the line and shows the cursor again')
  })

  it('hears from collectEvents how far it got, and is stopped at the end', async () => {
    const calls: string[] = []
    const progress = {
      start: (total: number) => calls.push(`start ${total > 0}`),
      update: () => calls.push('update'),
      stop: () => calls.push('stop'),
    }
    await collectEvents({ evidence: [new URL('./fixtures/journal/journal.json', import.meta.url).pathname], progress })
    assert.equal(calls[0], 'start true')
    assert.equal(calls.at(-1), 'stop')
  })

  it('the CLI draws nothing on a pipe (stderr is not a terminal); --quiet and --jobs are accepted', async () => {
    const fixture = new URL('./fixtures/journal/journal.json', import.meta.url).pathname
    const plain = await maskwhy(['timeline', fixture, '--format', 'jsonl'])
    assert.equal(plain.exitCode, 0)
    assert.doesNotMatch(plain.stderr, /MB\/s|ETA|\u001b\[/)
    const quiet = await maskwhy(['timeline', fixture, '--format', 'jsonl', '--quiet', '--jobs', '2'])
    assert.deepEqual(quiet, plain)
  })

  it('--jobs must be a whole number of threads', async () => {
    const fixture = new URL('./fixtures/journal/journal.json', import.meta.url).pathname
    for (const jobs of ['0', '1.5', 'x']) {
      const r = await maskwhy(['explain', fixture, '--jobs', jobs])
      assert.equal(r.exitCode, 2, jobs)
      assert.match(r.stderr, /--jobs expects a whole number/)
    }
  })
})
