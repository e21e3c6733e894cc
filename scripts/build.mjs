// `npm run build`: bundles the CLI and the journal-json worker into dist/src with esbuild. dist/src/cli.js
// stays the bin path it always was: npx caches bin links, and a moved bin leaves a stale one behind.
// One bundle (plus chunks for what only some commands load) instead of ~300 ES modules: Node resolves,
// reads and links each module file, which cost more start-up time than most runs spend on their evidence.
// Types are checked by `npm run typecheck`, not here.
import { build } from 'esbuild'
import { chmodSync, rmSync } from 'node:fs'

const out = new URL('../dist/', import.meta.url).pathname
rmSync(out, { recursive: true, force: true })
await build({
  // Same directory for both: src/journal/json-parallel.ts starts ./json-worker.js next to itself.
  entryPoints: { cli: 'src/cli.ts', 'json-worker': 'src/journal/json-worker.ts' },
  outdir: `${out}src`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Some dependencies are CommonJS and require() Node built-ins: give the ES module bundle a require.
  banner: { js: "import { createRequire as maskwhyCreateRequire } from 'node:module'; const require = maskwhyCreateRequire(import.meta.url);" },
  // Without comments (and with no non-ASCII character left in the code) the bundle is ASCII: Node decodes
  // it on its fast path and V8 scans a one-byte string. 15 alternating runs of a tiny explain: 310 against
  // 335 ms median. Stack traces still map to src/ through the source maps. test/bundle.test.ts keeps it ASCII.
  minifyWhitespace: true,
  logLevel: 'warning',
})
chmodSync(`${out}src/cli.js`, 0o755)
