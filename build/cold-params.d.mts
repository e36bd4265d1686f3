/** build/cold-params.mjs */
export const COLD_PARAM_BOARDS: string[];
export const BOOT_PARTS: string[];
export const COLD_EXCLUDED: RegExp[];
export const PROFILED: RegExp[];
export const COLD_CALLS: number;
export function coldParams(code: string, keyOf: (name: string) => string | undefined, weights: Record<string, number>, untapped?: Set<string> | null): { code: string; functions: number; params: number };
