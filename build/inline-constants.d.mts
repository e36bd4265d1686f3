export declare function inlineConstants(code: string): { code: string; count: number; bytes: number };
