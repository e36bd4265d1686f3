/** A refusal: where and what. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
}
export declare const ROOT: string;
export declare function formatProblem(p: Problem): string;
/** The layer order of src/, first to last; names in one entry are beside each other. */
export declare const LAYERS: string[][];
/** "board", a src/ layer name, "" for a src/ folder that is not a layer, null elsewhere. */
export declare function layerOf(relPath: string): string | null;
export declare function zoneOf(relPath: string): "espruino" | "src" | "other";
export declare function listSourceFiles(root?: string): string[];
export declare function checkSourceFiles(files: string[], options?: { root?: string }): Problem[];
export declare function checkSourceText(fileName: string, text: string, options?: { root?: string }): Problem[];
