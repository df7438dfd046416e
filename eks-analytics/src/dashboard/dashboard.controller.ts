import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The page's own files (index.html, dashboard.js, dashboard.css) live in `src/dashboard/public/` and
 * are not compiled. They are found relative to this module: `./public/` when a build copies them next
 * to the compiled module, else `../../src/dashboard/public/`, which from `dist/dashboard/` (dist and src
 * are siblings in the package) and from `src/dashboard/` (tests) is the source folder. A deployment
 * image therefore ships `src/dashboard/public/` along with `dist/`.
 */
export function resolvePublicDir(moduleUrl: string = import.meta.url): string {
  const candidates = [new URL('./public/', moduleUrl), new URL('../../src/dashboard/public/', moduleUrl)].map((url) =>
    fileURLToPath(url),
  );
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (found === undefined) throw new Error(`Dashboard page not found; looked in ${candidates.join(', ')}`);
  return found;
}

export interface VendorAsset {
  /** Absolute path of Chart.js's UMD build in node_modules. */
  file: string;
  /** Content hash in the URL, so the file can be cached for a year and a new version gets a new URL. */
  hash: string;
  /** Where the page loads it from. */
  url: string;
}

/** Chart.js's UMD build, resolved through the package (its exports map hides dist/, so from its main entry). */
export function resolveChartJs(moduleUrl: string = import.meta.url): VendorAsset {
  const require = createRequire(moduleUrl);
  const file = join(dirname(require.resolve('chart.js')), 'chart.umd.js');
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  return { file, hash, url: `/assets/vendor/${hash}/chart.umd.js` };
}

/** The header value for "no cache": always revalidate (express answers 304 from the ETag). */
const NO_CACHE = 'no-cache';
const LONG_CACHE = 'public, max-age=31536000, immutable';
/** The page may talk to its own origin only: no CDN, no fonts, no beacons. */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_ASSETS: Readonly<Record<string, string>> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

const CHART_JS_PLACEHOLDER = '%%CHART_JS_SRC%%';

/**
 * What a handler needs of the platform response (express), without depending on its types. Bodies are
 * returned as strings (all assets are text): Nest sends a string as is, with the Content-Type set here
 * and an ETag, so `no-cache` revalidations are answered 304. (A Buffer would be serialised as JSON.)
 */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

@ApiExcludeController()
@Controller()
export class DashboardController {
  private readonly publicDir = resolvePublicDir();
  private readonly chartJs = resolveChartJs();
  private vendorFiles: Map<string, string> | null = null;

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', NO_CACHE)
  @Header('Content-Security-Policy', PAGE_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  async page(): Promise<string> {
    const html = await readFile(join(this.publicDir, 'index.html'), 'utf8');
    return html.replace(CHART_JS_PLACEHOLDER, this.chartJs.url);
  }

  @Get('assets/:file')
  async asset(@Param('file') file: string, @Res({ passthrough: true }) res: HeaderSink): Promise<string> {
    const type = PAGE_ASSETS[file];
    if (type === undefined) throw new NotFoundException(`No asset ${file}`);
    const body = await readFile(join(this.publicDir, file), 'utf8');
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', NO_CACHE);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return body;
  }

  @Get('assets/vendor/:hash/:file')
  vendor(@Param('hash') hash: string, @Param('file') file: string, @Res({ passthrough: true }) res: HeaderSink): string {
    const body = hash === this.chartJs.hash ? this.vendorFile(file) : undefined;
    if (body === undefined) throw new NotFoundException(`No vendor asset ${hash}/${file}`);
    res.setHeader('Content-Type', file.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', LONG_CACHE);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return body;
  }

  /** Chart.js and its source map, read once (they only change with a new install, which restarts the service). */
  private vendorFile(file: string): string | undefined {
    if (this.vendorFiles === null) {
      const map = `${this.chartJs.file}.map`;
      this.vendorFiles = new Map([['chart.umd.js', readFileSync(this.chartJs.file, 'utf8')]]);
      if (existsSync(map)) this.vendorFiles.set('chart.umd.js.map', readFileSync(map, 'utf8'));
    }
    return this.vendorFiles.get(file);
  }
}
