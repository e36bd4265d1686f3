export declare const CACHE_DIR: string;
export declare function bundleHostEntry(entry: string, options?: { outDir?: string }): Promise<string>;
export declare function runHostEntry(entry: string, args: string[]): Promise<unknown>;
