/**
 * OpenBLAS (or another CBLAS) through Deno FFI: a row-major {@linkcode Sgemm} backed by
 * `cblas_sgemm`, and the library's thread control.
 *
 * The library is the system `libopenblas.so.0` unless a path is given (option `path` or the
 * environment variable `METAPLASTICITY_BLAS`; `METAPLASTICITY_BLAS=none` disables BLAS). Needs
 * `--allow-ffi` (and `--allow-env` to read the variable); without them {@linkcode loadBlas}
 * reports why and returns `null`.
 *
 * @example
 * ```ts
 * import { loadBlas } from "./blas.ts";
 * const blas = loadBlas({ threads: 1 });
 * if (blas) {
 *   const c = new Float32Array(1);
 *   blas.sgemm(false, false, 1, 1, 2, 1, new Float32Array([1, 2]), new Float32Array([3, 4]), 0, c);
 *   console.log(blas.description, c[0]); // "OpenBLAS 0.3.21 ..." 11
 * }
 * ```
 * @module
 */
import { jsSgemm, type Sgemm } from "./gemm.ts";

/** A loaded BLAS library. */
export interface BlasLibrary {
  /** Row-major SGEMM through `cblas_sgemm` (same contract as `jsSgemm`). */
  sgemm: Sgemm;
  /** Path the library was opened from. */
  path: string;
  /** Short description, e.g. "OpenBLAS 0.3.21 (Haswell kernels)". */
  description: string;
  /** Sets the number of BLAS threads (no-op for a BLAS without thread control). */
  setThreads(n: number): void;
  /** Number of BLAS threads in use (1 when unknown). */
  threads(): number;
}

/** Options of {@linkcode loadBlas}. */
export interface LoadBlasOptions {
  /** Library path or name; default `METAPLASTICITY_BLAS`, then the usual OpenBLAS names. */
  path?: string;
  /** BLAS threads, default 1 (or `METAPLASTICITY_BLAS_THREADS`). */
  threads?: number;
  /**
   * OpenBLAS kernel family to force (`OPENBLAS_CORETYPE`, e.g. "SkylakeX"), default
   * `METAPLASTICITY_BLAS_CORETYPE` or the environment's own setting. Opt-in only: some
   * machines set `OPENBLAS_CORETYPE` because OpenBLAS misdetects their processor, so a forced
   * kernel family is cross-checked against the JavaScript GEMM before it is used.
   */
  coreType?: string;
}

/** Why the last {@linkcode loadBlas} call returned `null` (for the engine's message). */
export let lastBlasError: string | null = null;

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // M
      "i32", // N
      "i32", // K
      "f32", // alpha
      "buffer", // A
      "i32", // lda
      "buffer", // B
      "i32", // ldb
      "f32", // beta
      "buffer", // C
      "i32", // ldc
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
  openblas_get_num_threads: { parameters: [], result: "i32", optional: true },
  openblas_get_config: { parameters: [], result: "pointer", optional: true },
  openblas_get_corename: { parameters: [], result: "pointer", optional: true },
} as const;

const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

function envGet(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

/** Candidate library names, most specific first. */
function candidates(explicit: string | undefined): string[] {
  if (explicit) return [explicit];
  const os = Deno.build.os;
  if (os === "darwin") {
    return [
      "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
      "/usr/local/opt/openblas/lib/libopenblas.dylib",
      "libopenblas.dylib",
    ];
  }
  if (os === "windows") return ["libopenblas.dll", "openblas.dll"];
  return [
    "libopenblas.so.0",
    "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
    "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
    "/usr/lib64/libopenblas.so.0",
    "libopenblas.so",
  ];
}

function checkArgs(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
): void {
  // FFI reads raw memory: a short buffer would be a silent out-of-bounds read, so check here.
  if (!(m >= 0 && n >= 0 && k >= 0) || (m | 0) !== m || (n | 0) !== n || (k | 0) !== k) {
    throw new RangeError(`sgemm: m, n, k must be non-negative integers, got ${m}, ${n}, ${k}`);
  }
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new RangeError(
      `sgemm: buffers too short for m=${m} n=${n} k=${k}: A ${a.length} (need ${m * k}), ` +
        `B ${b.length} (need ${k * n}), C ${c.length} (need ${m * n})`,
    );
  }
}

/** Compares a forced OpenBLAS kernel family with the JavaScript GEMM on random products. */
function crossCheck(sgemm: Sgemm, path: string, coreType: string): void {
  let seed = 1;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296) - 0.5;
  for (const [m, n, k] of [[37, 129, 65], [100, 64, 300], [3, 515, 17], [260, 33, 130]]) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = new Float32Array(m * k).map(rnd), b = new Float32Array(k * n).map(rnd);
        const c1 = new Float32Array(m * n), c2 = new Float32Array(m * n);
        sgemm(ta, tb, m, n, k, 1, a, b, 0, c1);
        jsSgemm(ta, tb, m, n, k, 1, a, b, 0, c2);
        for (let i = 0; i < c1.length; i++) {
          if (!(Math.abs(c1[i] - c2[i]) <= 1e-4 * (1 + Math.abs(c2[i])))) {
            throw new Error(
              `BLAS ${path} with OPENBLAS_CORETYPE=${coreType} computes wrong products ` +
                `(m=${m} n=${n} k=${k} transA=${ta} transB=${tb}); unset METAPLASTICITY_BLAS_CORETYPE`,
            );
          }
        }
      }
    }
  }
}

/**
 * Opens a CBLAS library through FFI and returns its SGEMM, or `null` when BLAS is disabled
 * (`METAPLASTICITY_BLAS=none`), FFI is not permitted, or no library is found (the reason is in
 * {@linkcode lastBlasError}). A library that opens but computes a wrong product throws.
 */
export function loadBlas(options: LoadBlasOptions = {}): BlasLibrary | null {
  lastBlasError = null;
  const explicit = options.path ?? envGet("METAPLASTICITY_BLAS");
  if (explicit !== undefined && explicit.trim().toLowerCase() === "none") {
    lastBlasError = "BLAS disabled (METAPLASTICITY_BLAS=none)";
    return null;
  }
  if (typeof Deno.dlopen !== "function") {
    lastBlasError = "Deno.dlopen is not available in this runtime";
    return null;
  }
  const coreType = options.coreType ?? envGet("METAPLASTICITY_BLAS_CORETYPE");
  if (coreType) {
    try {
      // read by OpenBLAS when the library is loaded (no effect once it is loaded)
      Deno.env.set("OPENBLAS_CORETYPE", coreType);
    } catch {
      lastBlasError = "METAPLASTICITY_BLAS_CORETYPE needs --allow-env";
      return null;
    }
  }
  let lib: Deno.DynamicLibrary<typeof SYMBOLS> | null = null;
  let path = "";
  const errors: string[] = [];
  for (const cand of candidates(explicit)) {
    try {
      lib = Deno.dlopen(cand, SYMBOLS);
      path = cand;
      break;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (e instanceof Deno.errors.NotCapable || /permission|--allow-ffi/i.test(msg)) {
        lastBlasError = "no FFI permission (run with --allow-ffi or -A)";
        return null;
      }
      errors.push(`${cand}: ${msg.split("\n")[0]}`);
    }
  }
  if (!lib) {
    lastBlasError = `no BLAS library found (${errors.join("; ")}); install libopenblas0 or set ` +
      "METAPLASTICITY_BLAS to a CBLAS library path";
    return null;
  }
  const sym = lib.symbols;
  const cstr = (p: Deno.PointerValue | null | undefined): string =>
    p ? Deno.UnsafePointerView.getCString(p) : "";
  const config = sym.openblas_get_config ? cstr(sym.openblas_get_config()) : "";
  const core = sym.openblas_get_corename ? cstr(sym.openblas_get_corename()) : "";
  const version = /OpenBLAS\s+([\d.]+)/.exec(config)?.[1];
  const description = version
    ? `OpenBLAS ${version}${core ? ` (${core} kernels)` : ""}`
    : `CBLAS ${path}`;
  let nThreads = 1;
  const setThreads = (n: number): void => {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`BLAS threads must be an integer >= 1, got ${n}`);
    }
    sym.openblas_set_num_threads?.(n);
    nThreads = n;
  };
  const envThreads = envGet("METAPLASTICITY_BLAS_THREADS");
  setThreads(options.threads ?? (envThreads ? Number(envThreads) : 1));

  const cblas = sym.cblas_sgemm;
  const sgemm: Sgemm = (transA, transB, m, n, k, alpha, a, b, beta, c) => {
    checkArgs(m, n, k, a, b, c);
    if (m === 0 || n === 0) return;
    if (k === 0) {
      // cblas rejects lda = 0; the product is empty, so C = beta·C.
      for (let i = 0; i < m * n; i++) c[i] = beta === 0 ? 0 : beta * c[i];
      return;
    }
    cblas(
      ROW_MAJOR,
      transA ? TRANS : NO_TRANS,
      transB ? TRANS : NO_TRANS,
      m,
      n,
      k,
      alpha,
      a,
      transA ? m : k,
      b,
      transB ? k : n,
      beta,
      c,
      n,
    );
  };
  // A library that opens but multiplies wrongly (wrong ABI, ILP64 build) must not go unnoticed.
  const probe = new Float32Array(4);
  sgemm(
    false,
    true,
    2,
    2,
    2,
    1,
    new Float32Array([1, 2, 3, 4]),
    new Float32Array([5, 6, 7, 8]),
    0,
    probe,
  );
  if (probe[0] !== 17 || probe[1] !== 23 || probe[2] !== 39 || probe[3] !== 53) {
    lib.close();
    throw new Error(
      `BLAS library ${path} computed a wrong product ([${probe.join(", ")}] instead of ` +
        "[17, 23, 39, 53]): is it a 64-bit-integer (ILP64) build? Set METAPLASTICITY_BLAS to a " +
        "32-bit-integer CBLAS or to none",
    );
  }
  if (coreType) crossCheck(sgemm, path, coreType);
  return {
    sgemm,
    path,
    description,
    setThreads,
    threads: () => (sym.openblas_get_num_threads ? sym.openblas_get_num_threads() : nThreads),
  };
}
