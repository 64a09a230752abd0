/**
 * Lets a program that imports `pulumi-datomic` without having it installed be
 * planned with this copy of the package: the examples in this repository, which
 * have no node_modules of their own. A program that has the package installed
 * keeps its own copy; only a failed resolution falls back.
 */
import Module from "module";
import * as path from "path";

/** The npm package name programs import. */
export const PACKAGE_NAME = "pulumi-datomic";

type ResolveFilename = (request: string, parent: unknown, ...rest: unknown[]) => string;

/**
 * From now on, `require("pulumi-datomic")` that Node cannot resolve from the requiring file resolves to
 * `entry` instead: by default this package's own entry point, `components/index` next to this module's
 * directory (the TypeScript source when run from a checkout, the compiled JavaScript in `dist/`).
 * Returns a function that removes the fallback.
 */
export function registerPackageFallback(entry = path.resolve(__dirname, "..", "components", "index")): () => void {
    // Node offers no public hook for CommonJS resolution; _resolveFilename is what module-alias tools patch.
    const loader = Module as unknown as { _resolveFilename: ResolveFilename };
    const original = loader._resolveFilename;
    const withFallback: ResolveFilename = function (this: unknown, request, parent, ...rest) {
        try {
            return original.call(this, request, parent, ...rest);
        } catch (e) {
            if (request !== PACKAGE_NAME || (e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") {
                throw e;
            }
            return original.call(this, entry, parent, ...rest);
        }
    };
    loader._resolveFilename = withFallback;
    return () => {
        if (loader._resolveFilename === withFallback) {
            loader._resolveFilename = original;
        }
    };
}
