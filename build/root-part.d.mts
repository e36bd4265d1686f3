/** Parts whose top level runs at the root scope (build/root-part.mjs). */
export const ROOT_PARTS: string[];
export const READY_HOOK: string;
export function topLevelNames(code: string): Set<string>;
export function rootPart(code: string, name: string, taken: Set<string>): { code: string; names: string[]; problem: string | null };
