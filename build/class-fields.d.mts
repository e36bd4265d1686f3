export declare function initializeBareFields(code: string): { code: string; count: number };
