/** Builds ion project trees on disk for the source-hash tests, in a chosen order and with chosen mtimes. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** One file of a tree: its relative POSIX path, contents and whether it is executable. */
export interface TreeFile {
    path: string;
    content: string | Buffer;
    executable?: boolean;
}

/** A fresh directory under the system's temporary directory. */
export function temporaryDirectory(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/**
 * Writes `files` under `root` in the order given by `order` (indexes into `files`), giving each
 * file and directory the modification time `mtime(index)` (seconds since the epoch).
 */
export function writeTree(root: string, files: TreeFile[], order: number[], mtime: (index: number) => number): void {
    for (const index of order) {
        const file = files[index];
        const full = path.join(root, ...file.path.split("/"));
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, file.content);
        fs.chmodSync(full, file.executable ? 0o755 : 0o644);
        fs.utimesSync(full, mtime(index), mtime(index));
        fs.utimesSync(path.dirname(full), mtime(index) + 1, mtime(index) + 1);
    }
}

/** A deterministic permutation of 0..n-1 for `seed` (a small linear congruential generator). */
export function shuffled(n: number, seed: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    let state = seed >>> 0 || 1;
    for (let i = n - 1; i > 0; i--) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const j = state % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
}

/** A small ion project: deps.edn with an alias, sources, resources, ion-config.edn, ignored junk. */
export function sampleIonProject(): TreeFile[] {
    return [
        {
            path: "deps.edn",
            content:
                '{:paths ["src" "resources"]\n' +
                ' :deps {com.datomic/ion {:mvn/version "1.0.62"} acme/shared {:local/root "shared"}}\n' +
                ' :aliases {:prod {:extra-paths ["prod"]}\n' +
                '           :ion-dev {:deps {com.datomic/ion-dev {:mvn/version "1.0.306"}} :main-opts ["-m" "datomic.ion.dev"]}\n' +
                '           :test {:extra-paths ["test"]}}}\n',
        },
        { path: "src/acme/orders.clj", content: "(ns acme.orders)\n(defn echo [{:keys [input]}] input)\n" },
        { path: "src/acme/orders/db.clj", content: "(ns acme.orders.db)\n" },
        { path: "src/acme/tools.sh", content: "#!/bin/sh\necho tool\n", executable: true },
        { path: "src/acme/orders.clj~", content: "(ns acme.orders) ; editor backup\n" },
        { path: "src/.DS_Store", content: Buffer.from([0, 1, 2, 3]) },
        {
            path: "resources/datomic/ion-config.edn",
            content: '{:app-name "orders" :allow [acme.orders/echo] :lambdas {:echo {:fn acme.orders/echo}}}\n',
        },
        { path: "resources/schema.edn", content: "[{:db/ident :order/id}]\n" },
        { path: "resources/generated/build-info.edn", content: '{:built-at "2024-01-01T00:00:00Z"}\n' },
        { path: "prod/acme/config.clj", content: "(ns acme.config)\n" },
        { path: "test/acme/orders_test.clj", content: "(ns acme.orders-test)\n" },
        { path: "shared/deps.edn", content: '{:paths ["src"]}\n' },
        { path: "shared/src/acme/shared.clj", content: "(ns acme.shared)\n" },
        { path: ".cpcache/123.cp", content: "/home/someone/.m2/repository/x.jar\n" },
        { path: "README.md", content: "# orders\n" },
        { path: ".gitignore", content: "*~\n.DS_Store\n.cpcache/\nresources/generated/\n" },
    ];
}
