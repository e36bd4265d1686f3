/** build/cold-params.mjs */
export const COLD_PARAM_BOARDS: string[];
export const BOOT_PARTS: string[];
export const COLD_EXCLUDED: RegExp[];
export function coldParams(code: string, keyOf: (name: string) => string | undefined, weights: Record<string, number>): { code: string; functions: number; params: number };
