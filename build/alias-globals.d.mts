export declare const ALIASED: string[];
export declare function aliasGlobals(code: string): { code: string; count: number; names: string[] };
