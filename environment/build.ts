/**
 * Builds the shared Datomic layer of one account from its parsed configuration
 * and returns the environment stack contract.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DatomicMonitoring } from "../components/cloud/monitoring/monitoring";
import type { DatomicCloudSystem, DatomicCloudSystemArgs } from "../components/cloud/system/system";
import { DEFAULT_TEMPLATE_VERSION, parseTemplateVersion, topologyOfRelease } from "../components/internal/templates";
import { DatomicEnvironmentOutputs } from "../components/contract";
import type { DatomicBackup } from "../components/pro/backup/backup";
import type { DatomicTransactor, DatomicTransactorArgs } from "../components/pro/transactor/transactor";
import type { EnvironmentBackupArgs } from "./backupConfig";
import { CONFIG_KEYS, EnvironmentConfig } from "./config";
import type { EnvironmentMonitoringArgs } from "./monitoringConfig";

/*
 * Each flavor's components are loaded only by a stack of that flavor: a cloud stack does not load the pro
 * family (half the components), which under ts-node (`pulumi preview`, `npm run plan`) each plan would
 * otherwise compile (bench/plan.ts). `import type` above keeps the types; these load the code.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const cloudComponents = (): { DatomicCloudSystem: typeof DatomicCloudSystem } =>
    require("../components/cloud/system/system");
// Monitoring is loaded only by a stack that turns it on.
const monitoringComponents = (): { DatomicMonitoring: typeof DatomicMonitoring } =>
    require("../components/cloud/monitoring/monitoring");
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
        return buildPro(config.pro, config.backup);
    }
    const { DatomicCloudSystem } = cloudComponents();
    const system = withConfigKey(CONFIG_KEYS.cloud, () => new DatomicCloudSystem("datomic", config.cloud));
    const monitoring = config.monitoring;
    if (monitoring) {
        withConfigKey(CONFIG_KEYS.monitoring, () => monitorSystem(system, config.cloud, monitoring));
    }
    return system.contractOutputs();
}

/**
 * The transactor and, when they are on, its backups. With backups, a `version` change backs up every
 * database before the roll (DatomicTransactor's `backup`; Datomic recommends a backup before adopting a new
 * release, docs.datomic.com/changes/pro.html). The backup reads the transactor's table and group and the
 * transactor's roll reads the backup's group and bucket: deferred Outputs close that loop, which is no cycle
 * between resources (the backup-before-roll command comes after both).
 */
function buildPro(pro: DatomicTransactorArgs, backup: EnvironmentBackupArgs | undefined): DatomicEnvironmentOutputs {
    const { DatomicTransactor, DatomicBackup } = proComponents();
    const [backupGroupName, resolveBackupGroupName] = pulumi.deferredOutput<string>();
    const [backupBucketName, resolveBackupBucketName] = pulumi.deferredOutput<string>();
    const transactor = withConfigKey(
        CONFIG_KEYS.pro,
        () =>
            new DatomicTransactor(TRANSACTOR_NAME, {
                ...pro,
                ...(backup
                    ? {
                          backup: {
                              groupName: backupGroupName,
                              bucketName: backupBucketName,
                              databases: backup.databases,
                          },
                      }
                    : {}),
            }),
    );
    if (backup) {
        const backups = withConfigKey(
            `${CONFIG_KEYS.pro}.backup`,
            () =>
                new DatomicBackup(`${TRANSACTOR_NAME}-backup`, {
                    ...backup,
                    // Named as the transactor is, so roles, groups and alarms read <system>-datomic-backup.
                    systemName: backup.systemName ?? TRANSACTOR_NAME,
                    tableName: transactor.tableName,
                    // What datomic-restore stops, restarts and watches for a heartbeat.
                    transactorGroupName: transactor.autoScalingGroupName,
                    transactorMetricsDimension: pro.cloudWatchDimensionValue ?? pro.systemName ?? TRANSACTOR_NAME,
                }),
        );
        resolveBackupGroupName(backups.backupGroupName);
        resolveBackupBucketName(backups.bucketName);
    }
    return transactor.contractOutputs();
}

/**
 * Alarms and a dashboard for the system and its primary compute group. The group's API gateways exist on alb
 * releases only (884-9095 and later); the system has already checked the topology or the release it follows.
 */
function monitorSystem(
    system: DatomicCloudSystem,
    cloud: DatomicCloudSystemArgs,
    { apiGateways, ...args }: EnvironmentMonitoringArgs,
): DatomicMonitoring {
    const topology =
        cloud.topology ??
        topologyOfRelease(parseTemplateVersion(cloud.create?.templateVersion ?? DEFAULT_TEMPLATE_VERSION));
    const gateways =
        apiGateways && topology === "alb"
            ? {
                  clientApiGatewayEndpoint: system.clientApiGatewayEndpoint,
                  ionApiGatewayEndpoint: system.ionApiGatewayEndpoint,
              }
            : {};
    const { DatomicMonitoring } = monitoringComponents();
    return new DatomicMonitoring(
        "datomic-monitoring",
        {
            ...args,
            systemName: cloud.systemName,
            groups: [
                {
                    label: "primary",
                    groupName: system.computeStackName,
                    // A created compute stack is looked up once it exists.
                    stackId: system.computeStack?.id,
                    ...gateways,
                },
            ],
        },
        // The log group and the table belong to the system's storage: watch them once it exists.
        { dependsOn: [system] },
    );
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
            // A component reports every problem at once, one per line: each names its argument.
            throw new Error(
                e.message
                    .split("\n")
                    .map((line) => `${key}.${line}`)
                    .join("\n"),
            );
        }
        throw e;
    }
}
