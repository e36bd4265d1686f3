import type { Problem } from "./check-source.mjs";
export declare function checkBundle(code: string, options?: { file?: string; requireWrapper?: boolean; part?: boolean }): Problem[];
export declare function requiredModules(code: string): string[];
