export declare function nameArrowParams(code: string): { code: string; count: number };
