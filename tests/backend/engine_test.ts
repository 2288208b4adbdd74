import { assert, assertEquals, assertRejects } from "../assert.ts";
import { assertClose } from "./helpers.ts";
import { probe, type ProbeResult } from "./engine_probe.ts";
import { engineInfo, initEngine } from "../../lib/backend/engine.ts";
import { loadBlas } from "../../lib/backend/blas.ts";

const root = new URL("../../", import.meta.url).pathname;
const probeFile = new URL("./engine_probe.ts", import.meta.url).pathname;
const hasBlas = loadBlas() !== null;

async function subprocess(env: Record<string, string>, perms: string[]): Promise<ProbeResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", `--config=${root}deno.json`, ...perms, probeFile],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`probe failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(text.trim().split("\n").pop()!);
}

function agree(got: ProbeResult, ref: ProbeResult, tol: number): void {
  for (const key of Object.keys(ref.values)) {
    assertClose(got.values[key], ref.values[key], tol, `${got.engine} vs ${ref.engine}: ${key}`);
  }
}

const ALL = ["--allow-read", "--allow-env", "--allow-ffi", "--allow-sys", "--allow-run"];

Deno.test("engine: initEngine is idempotent, prints nothing when quiet, rejects unknown names", async () => {
  const a = await initEngine({ quiet: true });
  const b = await initEngine({ quiet: true });
  assert(a === b, "same info object");
  assertEquals(engineInfo(), a);
  assertEquals(a.engine, hasBlas ? "blas" : a.engine);
  await assertRejects(
    () => initEngine({ engine: "tpu" as "cpu", quiet: true }),
    RangeError,
    "unknown engine",
  );
  await initEngine({ quiet: true }); // back to the default engine
});

Deno.test("engine: blas, cpu (no BLAS), wasm and no-FFI runs agree to float tolerance", async () => {
  const ref = await probe();
  const runs = await Promise.all([
    subprocess({ METAPLASTICITY_BLAS: "none", METAPLASTICITY_ENGINE: "cpu" }, ALL),
    subprocess({ METAPLASTICITY_BLAS: "none" }, ALL),
    subprocess({ METAPLASTICITY_ENGINE: "auto", METAPLASTICITY_BLAS: "" }, [
      "--allow-read",
      "--allow-env",
      "--allow-sys",
      "--allow-run",
    ]),
  ]);
  const [cpu, noBlas, noFfi] = runs;
  assertEquals(cpu.engine, "cpu");
  assert(noBlas.engine === "wasm" || noBlas.engine === "cpu", `without BLAS: ${noBlas.engine}`);
  assert(
    noBlas.fallbackReason?.includes("METAPLASTICITY_BLAS=none"),
    String(noBlas.fallbackReason),
  );
  assert(noFfi.engine !== "blas", "no FFI permission, no blas engine");
  assert(noFfi.fallbackReason?.includes("FFI"), String(noFfi.fallbackReason));
  for (const r of runs) agree(r, ref, 1e-4);
});

Deno.test("engine: webgpu (when tfjs-backend-webgpu and an adapter are available) agrees", async () => {
  const ref = await probe();
  const gpu = await subprocess({ METAPLASTICITY_ENGINE: "webgpu" }, ALL);
  if (gpu.engine !== "webgpu") {
    // no adapter or the package cannot be fetched here: the engine fell back, say why
    console.log(`webgpu not available (${gpu.fallbackReason}); ran ${gpu.engine}`);
  }
  agree(gpu, ref, 1e-3);
});
