export declare const PIECE: number;
export declare function selfInstaller(code: string, file: string): string;
