/**
 * The ECMAScript core that the Espruino interpreter (2v29) really has, and nothing more.
 * Used instead of TypeScript's own `lib` for `src/` and `board/` (noLib), so that a
 * built-in Espruino lacks is a type error there, not a failure at the shop counter.
 * Source: docs/espruino-notes.md "Built-ins" (measured against 2v29's Linux build).
 * Deliberately absent: Map, Set, WeakMap, Symbol(), Proxy, Reflect, BigInt, Array.from/of,
 * Number.isInteger/isFinite/isNaN, Object.freeze/seal/is, Promise finally/race/allSettled/any,
 * RangeError, Math.trunc/log2/imul, ArrayBuffer#slice, String.raw, codePointAt, lastIndexOf,
 * flat, at.
 */

/* ---- compiler-required shapes ---- */
interface Boolean { valueOf(): boolean; toString(): string }
interface BooleanConstructor { (value?: unknown): boolean }
declare var Boolean: BooleanConstructor;

interface IArguments { [index: number]: any; length: number; callee: Function }
interface Function {
  apply(this: Function, thisArg: any, argArray?: any): any;
  call(this: Function, thisArg: any, ...argArray: any[]): any;
  bind(this: Function, thisArg: any, ...argArray: any[]): any;
  readonly length: number;
  prototype: any;
  toString(): string;
}
interface CallableFunction extends Function {}
interface NewableFunction extends Function {}
interface FunctionConstructor { readonly prototype: Function }
declare var Function: FunctionConstructor;

interface TemplateStringsArray extends ReadonlyArray<string> { readonly raw: readonly string[] }
interface ThisType<T> {}
interface PropertyDescriptor {
  configurable?: boolean; enumerable?: boolean; value?: any; writable?: boolean;
  get?(): any; set?(v: any): void;
}
type PropertyKey = string | number;

/** for…of: Espruino iterates arrays, typed arrays and strings only (no user iterables). */
interface SymbolConstructor { readonly iterator: unique symbol }
/** Only `Symbol.iterator` exists as a type, for for…of; the bundle check refuses `Symbol`. */
declare var Symbol: SymbolConstructor;
interface IteratorYieldResult<T> { done?: false; value: T }
interface IteratorReturnResult<T> { done: true; value: T }
type IteratorResult<T, R = any> = IteratorYieldResult<T> | IteratorReturnResult<R>;
interface Iterator<T, R = any, N = any> { next(...args: [] | [N]): IteratorResult<T, R> }
interface Iterable<T, R = any, N = any> { [Symbol.iterator](): Iterator<T, R, N> }
interface IterableIterator<T, R = any, N = any> extends Iterator<T, R, N> {
  [Symbol.iterator](): IterableIterator<T, R, N>;
}

/* ---- utility types (pure type level, no runtime cost) ---- */
type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
type Parameters<T extends (...args: any) => any> = T extends (...args: infer P) => any ? P : never;
type ReturnType<T extends (...args: any) => any> = T extends (...args: any) => infer R ? R : any;
type InstanceType<T extends abstract new (...args: any) => any> = T extends abstract new (...args: any) => infer R ? R : any;
type Awaited<T> = T extends null | undefined ? T : T extends object & { then(onfulfilled: infer F, ...args: infer _): any } ? F extends (value: infer V, ...args: infer _) => any ? Awaited<V> : never : T;

/* ---- Object ---- */
interface Object {
  constructor: Function;
  toString(): string;
  hasOwnProperty(v: PropertyKey): boolean;
  valueOf(): Object;
}
interface ObjectConstructor {
  new (value?: any): Object;
  (value?: any): any;
  readonly prototype: Object;
  keys(o: object): string[];
  values<T>(o: { [s: string]: T } | ArrayLike<T>): T[];
  values(o: {}): any[];
  entries<T>(o: { [s: string]: T } | ArrayLike<T>): [string, T][];
  entries(o: {}): [string, any][];
  fromEntries<T = any>(entries: ReadonlyArray<readonly [PropertyKey, T]>): { [k: string]: T };
  assign<T extends {}, U>(target: T, source: U): T & U;
  assign<T extends {}, U, V>(target: T, source1: U, source2: V): T & U & V;
  create(o: object | null, properties?: { [key: string]: PropertyDescriptor }): any;
  defineProperty<T>(o: T, p: PropertyKey, attributes: PropertyDescriptor): T;
  getPrototypeOf(o: any): any;
  setPrototypeOf(o: any, proto: object | null): any;
}
declare var Object: ObjectConstructor;

/* ---- Arrays ---- */
interface ArrayLike<T> { readonly length: number; readonly [n: number]: T }
interface ReadonlyArray<T> {
  readonly length: number;
  readonly [n: number]: T;
  [Symbol.iterator](): IterableIterator<T>;
  concat(...items: (T | ConcatArray<T>)[]): T[];
  join(separator?: string): string;
  slice(start?: number, end?: number): T[];
  indexOf(searchElement: T, fromIndex?: number): number;
  includes(searchElement: T, fromIndex?: number): boolean;
  every(predicate: (value: T, index: number, array: readonly T[]) => unknown): boolean;
  some(predicate: (value: T, index: number, array: readonly T[]) => unknown): boolean;
  forEach(callbackfn: (value: T, index: number, array: readonly T[]) => void): void;
  map<U>(callbackfn: (value: T, index: number, array: readonly T[]) => U): U[];
  filter<S extends T>(predicate: (value: T, index: number, array: readonly T[]) => value is S): S[];
  filter(predicate: (value: T, index: number, array: readonly T[]) => unknown): T[];
  find<S extends T>(predicate: (value: T, index: number, obj: readonly T[]) => value is S): S | undefined;
  find(predicate: (value: T, index: number, obj: readonly T[]) => unknown): T | undefined;
  findIndex(predicate: (value: T, index: number, obj: readonly T[]) => unknown): number;
  reduce<U>(callbackfn: (previousValue: U, currentValue: T, currentIndex: number, array: readonly T[]) => U, initialValue: U): U;
}
interface ConcatArray<T> { readonly length: number; readonly [n: number]: T; join(separator?: string): string; slice(start?: number, end?: number): T[] }
interface Array<T> {
  length: number;
  [n: number]: T;
  [Symbol.iterator](): IterableIterator<T>;
  push(...items: T[]): number;
  pop(): T | undefined;
  shift(): T | undefined;
  unshift(...items: T[]): number;
  concat(...items: (T | ConcatArray<T>)[]): T[];
  join(separator?: string): string;
  reverse(): T[];
  slice(start?: number, end?: number): T[];
  splice(start: number, deleteCount?: number, ...items: T[]): T[];
  sort(compareFn?: (a: T, b: T) => number): this;
  indexOf(searchElement: T, fromIndex?: number): number;
  includes(searchElement: T, fromIndex?: number): boolean;
  every(predicate: (value: T, index: number, array: T[]) => unknown): boolean;
  some(predicate: (value: T, index: number, array: T[]) => unknown): boolean;
  forEach(callbackfn: (value: T, index: number, array: T[]) => void): void;
  map<U>(callbackfn: (value: T, index: number, array: T[]) => U): U[];
  filter<S extends T>(predicate: (value: T, index: number, array: T[]) => value is S): S[];
  filter(predicate: (value: T, index: number, array: T[]) => unknown): T[];
  find<S extends T>(predicate: (value: T, index: number, obj: T[]) => value is S): S | undefined;
  find(predicate: (value: T, index: number, obj: T[]) => unknown): T | undefined;
  findIndex(predicate: (value: T, index: number, obj: T[]) => unknown): number;
  fill(value: T, start?: number, end?: number): this;
  reduce<U>(callbackfn: (previousValue: U, currentValue: T, currentIndex: number, array: T[]) => U, initialValue: U): U;
}
interface ArrayConstructor {
  new <T>(arrayLength?: number): T[];
  <T>(arrayLength?: number): T[];
  isArray(arg: any): arg is any[];
  readonly prototype: any[];
}
declare var Array: ArrayConstructor;

/* ---- String, Number, RegExp ---- */
interface String {
  readonly length: number;
  readonly [index: number]: string;
  [Symbol.iterator](): IterableIterator<string>;
  toString(): string;
  charAt(pos: number): string;
  charCodeAt(index: number): number;
  concat(...strings: string[]): string;
  indexOf(searchString: string, position?: number): number;
  includes(searchString: string, position?: number): boolean;
  startsWith(searchString: string, position?: number): boolean;
  endsWith(searchString: string, endPosition?: number): boolean;
  slice(start?: number, end?: number): string;
  substring(start: number, end?: number): string;
  substr(from: number, length?: number): string;
  split(separator: string, limit?: number): string[];
  toLowerCase(): string;
  toUpperCase(): string;
  trim(): string;
  padStart(maxLength: number, fillString?: string): string;
  padEnd(maxLength: number, fillString?: string): string;
  repeat(count: number): string;
  /** String patterns only in firmware: Espruino's RegExp is unreliable (docs/espruino-notes.md "Traps"). */
  replace(searchValue: string, replaceValue: string): string;
  replaceAll(searchValue: string, replaceValue: string): string;
  valueOf(): string;
}
interface StringConstructor {
  new (value?: any): String;
  (value?: any): string;
  readonly prototype: String;
  fromCharCode(...codes: number[]): string;
}
declare var String: StringConstructor;

interface Number {
  toString(radix?: number): string;
  /** Rounds differently from V8 on Espruino: never for money (docs/espruino-notes.md "Traps"). */
  toFixed(fractionDigits?: number): string;
  valueOf(): number;
}
interface NumberConstructor {
  new (value?: any): Number;
  (value?: any): number;
  readonly prototype: Number;
  readonly MAX_VALUE: number;
  readonly MIN_VALUE: number;
  readonly NaN: number;
  readonly NEGATIVE_INFINITY: number;
  readonly POSITIVE_INFINITY: number;
}
declare var Number: NumberConstructor;
declare var NaN: number;
declare var Infinity: number;
declare function parseInt(string: string, radix?: number): number;
declare function parseFloat(string: string): number;
declare function isNaN(number: number): boolean;
declare function isFinite(number: number): boolean;

/** Exists, but quantifiers {n,m}, lazy +?, (?:), lookarounds and /m silently fail. */
interface RegExp { test(string: string): boolean; readonly source: string; lastIndex: number }
interface RegExpConstructor { new (pattern: string, flags?: string): RegExp; readonly prototype: RegExp }
declare var RegExp: RegExpConstructor;

/* ---- Errors: no RangeError; subclassing Error is broken; e.name is undefined ---- */
interface Error { message: string; stack?: string }
interface ErrorConstructor { new (message?: string): Error; (message?: string): Error; readonly prototype: Error }
declare var Error: ErrorConstructor;
declare var TypeError: ErrorConstructor;
declare var SyntaxError: ErrorConstructor;
declare var ReferenceError: ErrorConstructor;
declare var InternalError: ErrorConstructor;

/* ---- Math, JSON, Date ---- */
interface Math {
  readonly PI: number; readonly E: number;
  abs(x: number): number; floor(x: number): number; ceil(x: number): number; round(x: number): number;
  min(...values: number[]): number; max(...values: number[]): number;
  /** Inexact on Espruino (Math.pow(2,31) = 2147483648.0000019): never for integers. */
  pow(x: number, y: number): number;
  sqrt(x: number): number; random(): number; log(x: number): number; exp(x: number): number;
  sin(x: number): number; cos(x: number): number; atan2(y: number, x: number): number;
}
declare var Math: Math;
interface JSON {
  parse(text: string): any;
  stringify(value: any, replacer?: null | ((this: any, key: string, value: any) => any), space?: string | number): string;
}
declare var JSON: JSON;
interface Date {
  getTime(): number; valueOf(): number;
  getFullYear(): number; getMonth(): number; getDate(): number; getDay(): number;
  getHours(): number; getMinutes(): number; getSeconds(): number; getMilliseconds(): number;
  toISOString(): string; toString(): string;
}
interface DateConstructor { new (value?: number | string): Date; now(): number; readonly prototype: Date }
declare var Date: DateConstructor;

/* ---- binary data ---- */
interface ArrayBuffer { readonly byteLength: number }
interface ArrayBufferConstructor { new (byteLength: number): ArrayBuffer; readonly prototype: ArrayBuffer }
declare var ArrayBuffer: ArrayBufferConstructor;
interface ArrayBufferLike { readonly byteLength: number }

interface DataView {
  readonly buffer: ArrayBuffer; readonly byteLength: number; readonly byteOffset: number;
  getUint8(byteOffset: number): number; getInt8(byteOffset: number): number;
  getUint16(byteOffset: number, littleEndian?: boolean): number; getInt16(byteOffset: number, littleEndian?: boolean): number;
  getUint32(byteOffset: number, littleEndian?: boolean): number; getInt32(byteOffset: number, littleEndian?: boolean): number;
  setUint8(byteOffset: number, value: number): void; setInt8(byteOffset: number, value: number): void;
  setUint16(byteOffset: number, value: number, littleEndian?: boolean): void; setInt16(byteOffset: number, value: number, littleEndian?: boolean): void;
  setUint32(byteOffset: number, value: number, littleEndian?: boolean): void; setInt32(byteOffset: number, value: number, littleEndian?: boolean): void;
}
interface DataViewConstructor { new (buffer: ArrayBuffer, byteOffset?: number, byteLength?: number): DataView }
declare var DataView: DataViewConstructor;

/** The typed-array surface Espruino has (filter returns a plain Array there). */
interface TypedArrayOf<Self> {
  readonly length: number;
  readonly byteLength: number;
  readonly byteOffset: number;
  readonly buffer: ArrayBuffer;
  [index: number]: number;
  [Symbol.iterator](): IterableIterator<number>;
  /** Truncates silently past the end on Espruino: check lengths first. */
  set(array: ArrayLike<number>, offset?: number): void;
  subarray(begin?: number, end?: number): Self;
  /**
   * Returns a PLAIN ARRAY on Espruino 2v29 (measured), not a typed array: use
   * `copyBytes(a, offset, length)` or `new Uint8Array(a.subarray(s, e))` for a copy.
   */
  slice(start?: number, end?: number): number[];
  fill(value: number, start?: number, end?: number): Self;
  indexOf(searchElement: number, fromIndex?: number): number;
  join(separator?: string): string;
  forEach(callbackfn: (value: number, index: number) => void): void;
  map(callbackfn: (value: number, index: number) => number): Self;
  reduce<U>(callbackfn: (previousValue: U, currentValue: number, currentIndex: number) => U, initialValue: U): U;
}
interface Uint8Array extends TypedArrayOf<Uint8Array> {}
interface Uint8ArrayConstructor {
  new (lengthOrData?: number | ArrayLike<number> | ArrayBuffer): Uint8Array;
  new (buffer: ArrayBuffer, byteOffset: number, length?: number): Uint8Array;
  readonly BYTES_PER_ELEMENT: number;
}
declare var Uint8Array: Uint8ArrayConstructor;
interface Int8Array extends TypedArrayOf<Int8Array> {}
declare var Int8Array: { new (lengthOrData?: number | ArrayLike<number> | ArrayBuffer): Int8Array; new (buffer: ArrayBuffer, byteOffset: number, length?: number): Int8Array };
interface Uint16Array extends TypedArrayOf<Uint16Array> {}
declare var Uint16Array: { new (lengthOrData?: number | ArrayLike<number> | ArrayBuffer): Uint16Array; new (buffer: ArrayBuffer, byteOffset: number, length?: number): Uint16Array };
interface Uint32Array extends TypedArrayOf<Uint32Array> {}
declare var Uint32Array: { new (lengthOrData?: number | ArrayLike<number> | ArrayBuffer): Uint32Array; new (buffer: ArrayBuffer, byteOffset: number, length?: number): Uint32Array };
interface Int32Array extends TypedArrayOf<Int32Array> {}
declare var Int32Array: { new (lengthOrData?: number | ArrayLike<number> | ArrayBuffer): Int32Array; new (buffer: ArrayBuffer, byteOffset: number, length?: number): Int32Array };

/* ---- Promise: then/catch, resolve/reject/all; no finally/race/allSettled/any ---- */
interface PromiseLike<T> {
  then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null): PromiseLike<R1 | R2>;
}
interface Promise<T> {
  then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2>;
  catch<R = never>(onrejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R>;
}
interface PromiseConstructor {
  new <T>(executor: (resolve: (value: T | PromiseLike<T>) => void, reject: (reason?: any) => void) => void): Promise<T>;
  resolve(): Promise<void>;
  resolve<T>(value: T | PromiseLike<T>): Promise<Awaited<T>>;
  reject<T = never>(reason?: any): Promise<T>;
  all<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }>;
}
declare var Promise: PromiseConstructor;

/* ---- timers and output ---- */
/** `clearTimeout(undefined)` throws and `clearTimeout()` clears ALL timers on Espruino. */
declare function setTimeout(callback: () => void, ms?: number): number;
declare function clearTimeout(id: number): void;
declare function setInterval(callback: () => void, ms?: number): number;
declare function clearInterval(id: number): void;
declare function btoa(s: string): string;
declare function atob(s: string): string;
interface Console { log(...data: any[]): void }
declare var console: Console;
