/**
 * Espruino globals the board compositions use beyond types/espruino-globals.d.ts: `Pin(name)`
 * (a pin from its name, "D21"), the `global` object (the console till's functions are set
 * there) and `Modules` (absent here). Board zone only (build.mjs refuses them elsewhere).
 */
declare function Pin(name: string): Pin;
declare var global: { [name: string]: unknown };
