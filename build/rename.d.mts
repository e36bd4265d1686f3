export declare const REQUIRE_PLACEHOLDER: string;
export declare function freshName(taken: Set<string>): string;
export declare function renameReserved(
  code: string,
  options?: { reserved?: string[]; replaceFree?: Record<string, string> },
): { code: string; renamed: Record<string, { to: string; count: number }> };
export declare function applyEdits(code: string, edits: { start: number; end: number; text: string }[]): string;
