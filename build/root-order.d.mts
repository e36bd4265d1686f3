export declare const HOT: number;
export declare function decodeMappings(mappings: string): number[][][];
export declare function sourceKeys(code: string, mapText: string, file?: (source: string) => string): Map<string, string>;
export declare function globalKey(name: string): string;
export declare function orderRoot(code: string, keyOf: (name: string) => string | undefined, weights: Record<string, number>): { code: string; declared: number; functions: number };
