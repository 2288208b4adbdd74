/**
 * Minimal assertions for the test suite (jsr:@std/assert is not reachable from these machines).
 * @module
 */

/** Any error class. */
type ErrorCtor = new (...args: never[]) => Error;

/** Error thrown by a failed assertion. */
export class AssertionError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

/** Fails unless `cond` is truthy. */
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionError(msg);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<unknown>, y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length || a.constructor !== b.constructor) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}

/** Fails unless `actual` deep-equals `expected` (typed arrays compared element by element). */
export function assertEquals(actual: unknown, expected: unknown, msg?: string): void {
  if (!deepEqual(actual, expected)) {
    const show = (v: unknown) => {
      const s = ArrayBuffer.isView(v)
        ? `${v.constructor.name}[${Array.from(v as unknown as ArrayLike<number>).slice(0, 20)}]`
        : JSON.stringify(v);
      return s && s.length > 400 ? s.slice(0, 400) + "…" : s;
    };
    throw new AssertionError(
      `${msg ? msg + ": " : ""}expected ${show(expected)}, got ${show(actual)}`,
    );
  }
}

/** Fails unless |actual − expected| ≤ tol (default 1e-7 relative to max(1, |expected|)). */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tol?: number,
  msg?: string,
): void {
  const t = tol ?? 1e-7 * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual - expected) <= t)) {
    throw new AssertionError(`${msg ? msg + ": " : ""}expected ${expected} ± ${t}, got ${actual}`);
  }
}

/** Fails unless every element of `actual` is within `tol` of `expected` (absolute + relative). */
export function assertArrayClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol = 1e-5,
  msg?: string,
): void {
  if (actual.length !== expected.length) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}length ${actual.length} != ${expected.length}`,
    );
  }
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i], a = actual[i];
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
      throw new AssertionError(
        `${msg ? msg + ": " : ""}element ${i}: expected ${e}, got ${a} (tol ${tol})`,
      );
    }
  }
}

/** Fails unless `fn` throws (optionally an instance of `ErrorClass` whose message includes `includes`). */
export function assertThrows(
  fn: () => unknown,
  ErrorClass?: ErrorCtor,
  includes?: string,
): Error {
  try {
    fn();
  } catch (e) {
    checkError(e, ErrorClass, includes);
    return e as Error;
  }
  throw new AssertionError("expected function to throw");
}

/** Async version of {@linkcode assertThrows}. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  ErrorClass?: ErrorCtor,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    checkError(e, ErrorClass, includes);
    return e as Error;
  }
  throw new AssertionError("expected promise to reject");
}

function checkError(
  e: unknown,
  ErrorClass: ErrorCtor | undefined,
  includes?: string,
): void {
  if (ErrorClass && !(e instanceof ErrorClass)) {
    throw new AssertionError(
      `expected ${ErrorClass.name}, got ${(e as Error)?.name}: ${(e as Error)?.message}`,
    );
  }
  if (includes && !String((e as Error)?.message).includes(includes)) {
    throw new AssertionError(
      `expected error message to include "${includes}", got "${(e as Error)?.message}"`,
    );
  }
}
