export declare const TOP_PREFIX: string;
/** Whether a top-level name could be an Espruino global (and so must be `$`-prefixed). */
export declare function mayMeetGlobal(name: string): boolean;
export declare function unwrapIife(code: string): { code: string; count: number; prefix: string };
