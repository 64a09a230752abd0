/**
 * Builds the shared Datomic layer of one account from its parsed configuration
 * and returns the environment stack contract.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DatomicCloudSystem } from "../components/cloud/system/system";
import { DatomicEnvironmentOutputs } from "../components/contract";
import type { DatomicBackup } from "../components/pro/backup/backup";
import type { DatomicTransactor } from "../components/pro/transactor/transactor";
import { CONFIG_KEYS, EnvironmentConfig } from "./config";

/*
 * Each flavor's components are loaded only by a stack of that flavor: a cloud stack does not load the pro
 * family (half the components), which under ts-node (`pulumi preview`, `npm run plan`) each plan would
 * otherwise compile (bench/plan.ts). `import type` above keeps the types; these load the code.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const cloudComponents = (): { DatomicCloudSystem: typeof DatomicCloudSystem } =>
    require("../components/cloud/system/system");
const proComponents = (): { DatomicTransactor: typeof DatomicTransactor; DatomicBackup: typeof DatomicBackup } => ({
    ...require("../components/pro/transactor/transactor"),
    ...require("../components/pro/backup/backup"),
});
/* eslint-enable @typescript-eslint/no-require-imports */

/** The transactor component's name, and so its default system name. */
const TRANSACTOR_NAME = "datomic";

/** Constructs the environment's components; component argument errors are reported against their config key. */
export function buildEnvironment(config: EnvironmentConfig): DatomicEnvironmentOutputs {
    if (config.flavor === "pro") {
        const { DatomicTransactor, DatomicBackup } = proComponents();
        const transactor = withConfigKey(CONFIG_KEYS.pro, () => new DatomicTransactor(TRANSACTOR_NAME, config.pro));
        const backup = config.backup;
        if (backup) {
            withConfigKey(
                `${CONFIG_KEYS.pro}.backup`,
                () =>
                    new DatomicBackup(`${TRANSACTOR_NAME}-backup`, {
                        ...backup,
                        // Named as the transactor is, so roles, groups and alarms read <system>-datomic-backup.
                        systemName: backup.systemName ?? TRANSACTOR_NAME,
                        tableName: transactor.tableName,
                    }),
            );
        }
        return transactor.contractOutputs();
    }
    const { DatomicCloudSystem } = cloudComponents();
    const system = withConfigKey(CONFIG_KEYS.cloud, () => new DatomicCloudSystem("datomic", config.cloud));
    return system.contractOutputs();
}

/**
 * Components name the argument in their messages (`create.vpcCidrBlock: ...`);
 * the config mirrors the arguments, so prefixing the config key names the setting to fix.
 */
function withConfigKey<T>(key: string, construct: () => T): T {
    try {
        return construct();
    } catch (e) {
        if (e instanceof pulumi.ResourceError) {
            throw new Error(`${key}.${e.message}`);
        }
        throw e;
    }
}
