export declare const PIECE: number;
export declare function selfInstaller(code: string, file: string, options?: { forward?: string[]; label?: string }): string;
export declare function installedBundle(text: string): string | null;
