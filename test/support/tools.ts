/** Tests that run external tools fail, naming the tool and where it comes from, when one is missing. */
import { spawnSync } from "child_process";

/** The Debian package of each tool a test needs; `npm test` installs the missing ones first (.ci/test-tools). */
const DEBIAN_PACKAGES: Record<string, string> = {
    shellcheck: "shellcheck",
    zip: "zip",
    unzip: "unzip",
    curl: "curl",
    sha256sum: "coreutils",
    clojure: "clojure",
};

/** Throws unless every tool is on PATH. */
export function requireTools(...tools: string[]): void {
    const missing = tools.filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);
    if (missing.length > 0) {
        const packages = missing.map((tool) => DEBIAN_PACKAGES[tool] ?? tool).join(" ");
        throw new Error(
            `${missing.join(", ")} not found on PATH; install with "apt-get install -y ${packages}" ` +
                "(npm test does this through .ci/test-tools; npx jest does not)",
        );
    }
}
