export declare function compact(code: string): { code: string; count: number };
