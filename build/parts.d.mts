export declare const PART_PREFIX: string;
export declare const PART_MARKER: string;
export declare function partStorageName(part: string): string;
export declare function listParts(root: string, board: string): string[];
export declare function exportPart(code: string, name: string): { code: string; problem: string | null };
export declare function partCall(ast: unknown, references: unknown[], name: string): { call?: unknown; value?: unknown; problem: string | null };
