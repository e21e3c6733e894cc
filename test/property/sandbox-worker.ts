/** Worker side of sandbox.ts: runs parse requests one at a time and posts the results back. */
import { parentPort } from 'node:worker_threads'
import { parserByName } from '../../parsers/index.ts'
import { runParser, type RunRequest } from './run-parser.ts'

parentPort!.on('message', async (msg: { id: number; req: RunRequest }) => {
  try {
    const parser = parserByName(msg.req.parser)
    if (parser === undefined) throw new Error(`no parser named ${msg.req.parser}`)
    const result = await runParser(parser, msg.req)
    parentPort!.postMessage({ id: msg.id, ok: true, result })
  } catch (error) {
    parentPort!.postMessage({ id: msg.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
})

// Loaded: the sandbox starts its timers only now, so start-up on a busy machine is not taken for a hang.
parentPort!.postMessage({ ready: true })
