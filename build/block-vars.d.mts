export declare function blockVars(code: string): { code: string; count: number };
