// Preloaded (node -r) into the espruino CLI by host/board/cli.ts. The CLI 0.1.67 runs its
// plugins with vm.runInThisContext, where `fs` is not defined: its local-modules plugin
// (modules/<Name>.js under MODULES_CWD) then finds no file and falls back to downloading
// the module, which fails offline. A global `fs` makes local modules work.
globalThis.fs = require("fs");
