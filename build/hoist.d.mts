export declare function hoistFunctions(code: string): { code: string; count: number };
export declare function misplacedFunctions(ast: unknown): { before: unknown; moved: unknown[] }[];
