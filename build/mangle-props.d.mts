export declare const BUILTIN_MEMBERS: string[];

export interface PropertyAnalysis {
  root: string;
  /** Member names declared in src/ and board/ (and the extra files). */
  candidates: Set<string>;
  /** Names some use keeps as they are, anywhere in the program. */
  reserved: Set<string>;
  /** The first reason found per reserved name. */
  why: Map<string, string>;
  /** The files whose code or declarations reserve each name ("*": always). */
  reservedBy: Map<string, Set<string>>;
}

export declare function internalPropertyNames(root: string, extraFiles?: string[]): PropertyAnalysis;
export declare function appliesTo(root: string, file: string, board: string | undefined, inputs: Set<string> | null): boolean;
export declare function bundleNames(code: string): { props: Map<string, number>; strings: Set<string> };
export declare function manglePlan(code: string, analysis: PropertyAnalysis, board?: string, inputs?: string[]): { cache: Record<string, string>; regex: RegExp | null; saved: number };
