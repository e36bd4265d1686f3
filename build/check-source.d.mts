/** A refusal: where and what. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
}
export declare const ROOT: string;
export declare function formatProblem(p: Problem): string;
export declare function zoneOf(relPath: string): "espruino" | "src" | "other";
export declare function listSourceFiles(root?: string): string[];
export declare function checkSourceFiles(files: string[], options?: { root?: string }): Problem[];
export declare function checkSourceText(fileName: string, text: string, options?: { root?: string }): Problem[];
