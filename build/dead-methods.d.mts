export declare function dropUnusedMethods(codes: string[], internal: Set<string>): { codes: string[]; names: string[] };
