import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Renders scripts/bookrelay-icon.svg to extension/public/icon/<size>.png with headless Chromium, one screenshot per
 * size the stores want. Run after editing the SVG: `npx tsx scripts/render-icons.ts` (CHROMIUM_PATH overrides
 * Debian's /usr/bin/chromium).
 */
const SIZES = [16, 32, 48, 96, 128] as const;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(path.join(root, 'scripts/bookrelay-icon.svg'), 'utf8');

async function renderIcons(): Promise<void> {
  const { default: puppeteer } = await import('puppeteer');
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND'],
  });
  try {
    const page = await browser.newPage();
    for (const size of SIZES) {
      await page.setViewport({ width: size, height: size, deviceScaleFactor: 1 });
      await page.setContent(
        `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
      );
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      const out = path.join(root, 'extension/public/icon', `${size}.png`);
      writeFileSync(out, png);
      console.log(`Wrote ${path.relative(root, out)}`);
    }
  } finally {
    await browser.close();
  }
}

await renderIcons();
