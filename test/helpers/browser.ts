/**
 * A real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core, which never downloads a
 * browser) for the HTML report tests: open a page from a file, record what it logs, throws and requests, and
 * inspect its DOM for anything that could run.
 *
 * tsconfig has no DOM lib, so code that runs in the page is passed as strings.
 */
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** Why the browser tests cannot run here, or null when they can. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is absent (Debian: apt-get install chromium; .ci/run installs it)`
}

export async function launchBrowser(): Promise<Browser> {
  // launch() gives every browser a fresh temporary profile (user-data-dir) and removes it on close.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface OpenedPage {
  page: Page
  url: string
  /** console messages of type `error`, page errors (uncaught exceptions) and failed requests, as text. */
  errors: string[]
  /** Every request the page made (data: URLs are not requests: they are inside the file). */
  requests: string[]
  close(): Promise<void>
}

/** Opens an HTML file in a fresh context, recording errors and requests, and waits for `load` (plus a beat). */
export async function openFile(browser: Browser, file: string, options: { width?: number } = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, javaScriptEnabled: true })
  const page = await context.newPage()
  const errors: string[] = []
  const requests: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`))
  page.on('request', (r) => {
    if (!r.url().startsWith('data:')) requests.push(r.url())
  })
  const url = pathToFileURL(file).href
  await page.goto(url, { waitUntil: 'load' })
  // onerror/onload handlers of images and SVG fire after parsing; give them time before anyone looks.
  await page.waitForTimeout(300)
  return { page, url, errors, requests, close: () => context.close() }
}

/** What could run in a page: the answer for a report must be "only its own scripts, nothing else". */
export interface ActiveContent {
  /** typeof window.__pwned, and its value as text (the hostile sample sets it to 1…8 when its markup runs). */
  pwned: string
  /** Every <script> (HTML or SVG): its src and the first 80 characters of its text. */
  scripts: { src: string | null; text: string }[]
  /** `tag[attr]` of every element with an on* attribute. */
  handlers: string[]
  /** `tag[attr]=value` of every href/src/action/formaction/xlink:href/data that is a javascript: or vbscript: URL. */
  scriptUrls: string[]
  /** iframe, frame, object, embed, base, and meta http-equiv other than Content-Security-Policy. */
  embeds: string[]
}

const INSPECT = `(() => {
  const all = [...document.querySelectorAll('*')]
  const handlers = []
  const scriptUrls = []
  for (const el of all) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase()
      if (name.startsWith('on')) handlers.push(el.localName + '[' + a.name + ']')
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(name)) {
        const v = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase()
        if (v.startsWith('javascript:') || v.startsWith('vbscript:') || name === 'srcdoc') scriptUrls.push(el.localName + '[' + a.name + ']=' + a.value)
      }
    }
  }
  const embeds = all
    .filter((el) => ['iframe', 'frame', 'object', 'embed', 'base'].includes(el.localName) ||
      (el.localName === 'meta' && el.hasAttribute('http-equiv') && el.getAttribute('http-equiv').toLowerCase() !== 'content-security-policy'))
    .map((el) => el.outerHTML.slice(0, 120))
  return {
    pwned: typeof window.__pwned + ':' + String(window.__pwned),
    scripts: [...document.querySelectorAll('script')].map((s) => ({ src: s.getAttribute('src'), text: (s.textContent || '').slice(0, 80) })),
    handlers,
    scriptUrls,
    embeds,
  }
})()`

export async function activeContent(page: Page): Promise<ActiveContent> {
  return page.evaluate<ActiveContent>(INSPECT)
}

/** The value of `name` on every element matching `selector`, in document order. */
export async function attributes(page: Page, selector: string, name: string): Promise<(string | null)[]> {
  const values: (string | null)[] = []
  for (const el of await page.locator(selector).all()) values.push(await el.getAttribute(name))
  return values
}
