/**
 * String search that Espruino 2v29 gets right. Its `String#indexOf` and `String#includes`
 * report a match for a needle that runs past the end of the string when the string's tail is
 * a prefix of it ("ab".indexOf("bc") is 1; docs/espruino-notes.md "Strings"), so a
 * multi-character needle is searched here and such a false match is dropped. A real match
 * always comes first (it ends inside the string), so the drop never hides one.
 * Prefix tests use `startsWith(needle, position)`, which is right on 2v29.
 */
export function find(hay: string, needle: string, from: number): number {
  const i = hay.indexOf(needle, from);
  return i >= 0 && i + needle.length <= hay.length ? i : -1;
}
