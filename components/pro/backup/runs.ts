/**
 * One kind of DatomicBackup run (the backup job, or the restore drill): its role with its policy, and
 * its launch template and group booting its script. Both kinds share the bucket, log group, security
 * group and script settings.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createRunRole } from "./iam";
import { BackupPolicyTargets } from "./policies";
import { BackupScriptSettings } from "./scripts";
import { createRunGroup } from "./schedule";
import { BackupSettings, DatomicBackupArgs } from "./settings";
import { PolicyDocument } from "../policies";
import type { ComponentScope } from "../scope";
import { USER_DATA_MAX_BYTES } from "../datomicInstall";

/** What every kind of run uses. */
export interface SharedRunParts {
    targets: pulumi.Output<Omit<BackupPolicyTargets, "groupName">>;
    scriptSettings: pulumi.Output<BackupScriptSettings>;
    securityGroup: aws.ec2.SecurityGroup;
}

/** One kind of run. */
export interface RunKind {
    /** `backup` or `restore-drill`: the suffix of resource and group names. */
    kind: string;
    /** What the runs do, for the launch template's description: "backups", "restore drills". */
    purpose: string;
    policy: (targets: BackupPolicyTargets) => PolicyDocument;
    render: (settings: BackupScriptSettings) => string;
}

/** A run's role and group; the group is named `<systemName>-datomic-<kind>`, as is the role. */
export function createRun(
    scope: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
    shared: SharedRunParts,
    run: RunKind,
): { role: aws.iam.Role; group: aws.autoscaling.Group } {
    const groupName = `${settings.systemName}-datomic-${run.kind}`;
    const role = createRunRole(scope, `${scope.name}-${run.kind}`, groupName, shared.targets, run.policy);
    const userData = shared.scriptSettings.apply((scriptSettings) => {
        const script = run.render(scriptSettings);
        if (Buffer.byteLength(script) > USER_DATA_MAX_BYTES) {
            throw new pulumi.ResourceError(
                `the ${run.kind} user data is over EC2's limit of ${USER_DATA_MAX_BYTES} bytes; list fewer databases`,
                scope.parent,
            );
        }
        return Buffer.from(script).toString("base64");
    });
    const group = createRunGroup(scope, args, settings, {
        kind: run.kind,
        groupName,
        description: `Datomic Pro ${args.version} ${run.purpose} of ${settings.systemName}`,
        ...role,
        securityGroup: shared.securityGroup,
        userData,
    });
    return { role: role.role, group };
}
