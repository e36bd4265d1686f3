export declare const ALIASED: string[];
export declare function aliasGlobals(code: string, often?: (name: string) => boolean): { code: string; count: number; names: string[] };
export declare const PLACED: string[];
export declare const PLACEMENT: string;
export declare function isPlacement(statement: unknown): boolean;
export declare function placePrototypes(code: string): { code: string; bytes: number };
