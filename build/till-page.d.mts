/** Types of build/till-page.mjs (the till page: web/ inlined into dist/till.html and its gzip). */
export declare const PAGE_BUDGET_GZIP: number;
export interface TillPage {
  ok: boolean;
  problems: string[];
  /** The whole page, CSS and JS inlined. */
  html: string;
  /** `html` gzipped (level 9). */
  gzip: Buffer;
  bytes: number;
  gzipBytes: number;
  budget: number;
  outfile: string;
}
export declare function buildTillPage(options?: { root?: string; write?: boolean; budget?: number }): TillPage;
export declare function printTillPage(print?: (line: string) => void): boolean;
