/**
 * `.apdu` transcripts (docs/architecture.md "Transcript") imported as text: the bundler loads them with
 * its text loader, so `import visa from "./transcripts/visa.apdu"` is the file's contents.
 * Tests read the files with node:fs instead.
 */
declare module "*.apdu" {
  const text: string;
  export default text;
}
