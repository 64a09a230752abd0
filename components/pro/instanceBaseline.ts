/**
 * What every instance this package launches for Datomic Pro shares: IMDSv2 only, with a hop limit of 1 so
 * containers on the instance cannot reach the role's credentials, and an encrypted gp3 root volume.
 */
import type * as aws from "@pulumi/aws";

/** The launch template settings of a transactor or a backup run with a root volume of `rootVolumeSizeGb`. */
export function instanceBaseline(
    rootVolumeSizeGb: number,
): Pick<aws.ec2.LaunchTemplateArgs, "metadataOptions" | "blockDeviceMappings"> {
    return {
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
            {
                deviceName: "/dev/xvda",
                ebs: {
                    volumeSize: rootVolumeSizeGb,
                    volumeType: "gp3",
                    encrypted: "true",
                    deleteOnTermination: "true",
                },
            },
        ],
    };
}
