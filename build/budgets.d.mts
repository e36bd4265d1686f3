export declare const BUDGETS: Record<string, number>;
export declare const DEFAULT_BUDGET: number;
export declare function budgetFor(board: string): number;
export declare const PART_BUDGET: number;
export declare const PART_BUDGETS: Record<string, number>;
export declare function partBudgetFor(part: string): number;
/** Bundle and parts together, for a board whose code is built into its firmware. */
export declare const FIRMWARE_BUDGETS: Record<string, number>;
export declare function firmwareBudgetFor(board: string): number | null;
export declare const STORAGE_PARTS: Record<string, string[]>;
export declare function storagePartsOf(board: string): string[];
