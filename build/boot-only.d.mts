export declare function freeBootOnly(code: string): { code: string; names: string[] };
