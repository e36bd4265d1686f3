export declare const BUDGETS: Record<string, number>;
export declare const DEFAULT_BUDGET: number;
export declare function budgetFor(board: string): number;
export declare const PART_BUDGET: number;
