/** The Datomic Pro zip the scripts download in tests: its bin/datomic is test/fakes/backup/datomic. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const FAKES = path.join(__dirname, "../../fakes/backup");

/** Builds `datomic-pro-<version>.zip` under `dir` and returns its bytes. */
export function buildFakeDatomicZip(dir: string, version: string): Buffer {
    const root = path.join(dir, "zip-build");
    const bin = path.join(root, `datomic-pro-${version}`, "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.copyFileSync(path.join(FAKES, "datomic"), path.join(bin, "datomic"));
    fs.chmodSync(path.join(bin, "datomic"), 0o755);
    const zipFile = path.join(dir, "datomic.zip");
    const result = spawnSync("zip", ["-qr", zipFile, `datomic-pro-${version}`], { cwd: root });
    if (result.status !== 0) {
        throw new Error(`zip failed: ${result.stderr}`);
    }
    return fs.readFileSync(zipFile);
}

/** A bin directory with the fake AWS CLI and recorders for dnf, java and systemctl. */
export function fakeBin(dir: string): string {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.symlinkSync(path.join(FAKES, "aws"), path.join(bin, "aws"));
    for (const name of ["dnf", "java", "systemctl"]) {
        fs.symlinkSync(path.join(FAKES, "recorder"), path.join(bin, name));
    }
    return bin;
}
