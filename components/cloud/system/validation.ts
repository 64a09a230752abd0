/**
 * Checks of DatomicCloudSystem's arguments, all made while the program is
 * constructed so bad input fails the preview with a message naming the argument.
 */
import * as pulumi from "@pulumi/pulumi";
import { DATOMIC_TOPOLOGIES, DatomicTopology } from "../../contract";
import { ingressCidrProblem } from "../../internal/cidr";
import { newSystemNameProblem, stackNameProblem } from "../../internal/naming";
import {
    confirmedTemplateUrl,
    DEFAULT_TEMPLATE_VERSION,
    parseTemplateVersion,
    TemplateVersion,
    topologyOfRelease,
    unconfirmedTemplateUrlProblem,
} from "../../internal/templates";
import { validateNewSystemNetwork } from "../../internal/systemNetwork";
import { capacityProblem, instanceTypeProblem, minInstancesInServiceProblem } from "../parameters";
import { DatomicCloudSystemArgs, DatomicCloudSystemCreateArgs } from "./args";

/** The endpoint-service choices of the nlb topology. */
export const ENDPOINT_SERVICE_CHOICES = ["create", "adopt", "none"] as const;
export type EndpointServiceChoice = (typeof ENDPOINT_SERVICE_CHOICES)[number];

/** A create-mode system's release and the template URLs to use. */
export interface SystemRelease {
    readonly version: TemplateVersion;
    readonly storageTemplateUrl: string;
    readonly computeTemplateUrl: string;
}

/** The arguments, checked and with their defaults. */
export interface CheckedSystemArgs {
    readonly release?: SystemRelease;
    /** Adopt mode: the release given as `release`, checked against the stack's own outputs once read. */
    readonly adoptedRelease?: TemplateVersion;
    readonly topology: DatomicTopology;
    readonly storageStackName: string;
    readonly computeStackName: string;
    readonly bastionCidrs: string[];
    readonly serviceEndpoints: string[];
    readonly endpointService: EndpointServiceChoice;
}

/** Checks every argument; throws a `ResourceError` against `owner` naming the first bad one. */
export function checkSystemArgs(owner: pulumi.Resource, args: DatomicCloudSystemArgs): CheckedSystemArgs {
    const check = (argument: string, problem: string | undefined) => {
        if (problem) {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, owner);
        }
    };
    const { systemName } = args;
    // A JavaScript caller (or a cast) can leave it out; every derived stack name needs it.
    if (typeof systemName !== "string") {
        check(
            "systemName",
            `is required (got ${JSON.stringify(systemName) ?? "undefined"}); give the Datomic system's name, such as "acme-prod"`,
        );
    }
    check("systemName", systemName === "" ? "is empty; give the Datomic system's name" : undefined);
    check("systemName", args.create ? newSystemNameProblem(systemName) : stackNameProblem(systemName));
    const release = args.create ? checkCreateArgs(check, args, args.create) : undefined;
    const topology = checkTopology(check, args.topology, release?.version);
    if (args.create && topology === "solo") {
        check(
            "topology",
            `"solo" systems are not created by this package: the solo topology (before 884-9095) has no load balancer and no query groups, and 884-9095 replaced it; create a production (nlb) or alb system, or adopt an existing solo system without create`,
        );
    }
    let adoptedRelease: TemplateVersion | undefined;
    if (args.release !== undefined) {
        check(
            "release",
            args.create
                ? "only applies when adopting; a created system's release is create.templateVersion"
                : undefined,
        );
        try {
            adoptedRelease = parseTemplateVersion(args.release);
        } catch (e) {
            check("release", (e as Error).message);
        }
        if (adoptedRelease && topology !== "solo" && topologyOfRelease(adoptedRelease) !== topology) {
            check(
                "release",
                `${args.release} builds the "${topologyOfRelease(adoptedRelease)}" topology, but topology is "${topology}"`,
            );
        }
    }
    const storageStackName = args.create ? systemName : (args.storageStackName ?? systemName);
    check("storageStackName", stackNameProblem(storageStackName));
    const computeStackName = args.computeStackName ?? `${systemName}-compute`;
    // A derived name's problem is the problem of the argument the user wrote.
    check(args.computeStackName === undefined ? "systemName" : "computeStackName", stackNameProblem(computeStackName));

    const bastionCidrs = [...new Set(args.bastionIngressCidrs ?? [])];
    for (const cidr of bastionCidrs) {
        check(
            "bastionIngressCidrs",
            ingressCidrProblem(cidr, {
                allowPublic: args.allowPublicBastion ?? false,
                allowFlag: "allowPublicBastion",
                exposure: "opens SSH to the whole internet",
                sources: "your own",
            }),
        );
    }
    if (args.create && topology === "alb" && bastionCidrs.length > 0) {
        check(
            "bastionIngressCidrs",
            `a ${release!.version.text} system has no bastion (Datomic removed it in 884-9095); reach the nodes through the Client API gateway or DatomicPeering instead`,
        );
    }
    const serviceEndpoints = [...new Set(args.awsServiceEndpoints ?? [])];
    for (const service of serviceEndpoints) {
        if (!/^[a-z0-9][a-z0-9.-]*$/.test(service)) {
            check(
                "awsServiceEndpoints",
                `"${service}" is not an AWS service name; use a short name such as "sqs" or a full name such as "com.amazonaws.us-east-1.sqs"`,
            );
        }
    }
    const endpointService = checkEndpointService(check, args, topology);
    return {
        release,
        adoptedRelease,
        topology,
        storageStackName,
        computeStackName,
        bastionCidrs,
        serviceEndpoints,
        endpointService,
    };
}

type Check = (argument: string, problem: string | undefined) => void;

function checkCreateArgs(
    check: Check,
    args: DatomicCloudSystemArgs,
    create: DatomicCloudSystemCreateArgs,
): SystemRelease {
    if (args.storageStackName !== undefined && args.storageStackName !== args.systemName) {
        check(
            "storageStackName",
            `"${args.storageStackName}" differs from systemName "${args.systemName}"; a new system's storage stack is named after the system`,
        );
    }
    let version: TemplateVersion;
    try {
        version = parseTemplateVersion(create.templateVersion ?? DEFAULT_TEMPLATE_VERSION);
    } catch (e) {
        check("create.templateVersion", (e as Error).message);
        throw e;
    }
    const storageTemplateUrl = create.storageTemplateUrl ?? confirmedTemplateUrl(version, "storage");
    check(
        "create.storageTemplateUrl",
        storageTemplateUrl ? undefined : unconfirmedTemplateUrlProblem(version, "storage"),
    );
    // Solo compute templates (datomic-solo-compute-...) build no load balancer: refused before any stack exists.
    check(
        "create.computeTemplateUrl",
        create.computeTemplateUrl !== undefined && /solo/i.test(create.computeTemplateUrl)
            ? `"${create.computeTemplateUrl}" is a solo compute template; solo systems (before 884-9095) have no load balancer and no query groups and are not created by this package: use the production compute template of the release, or a release of 884-9095 or later`
            : undefined,
    );
    const computeTemplateUrl = create.computeTemplateUrl ?? confirmedTemplateUrl(version, "compute");
    check(
        "create.computeTemplateUrl",
        computeTemplateUrl ? undefined : unconfirmedTemplateUrlProblem(version, "compute"),
    );
    const keyGiven = create.keyName !== undefined || create.computeParameters?.KeyName !== undefined;
    check(
        "create.keyName",
        !keyGiven || create.keyName === ""
            ? "is required: Datomic requires an EC2 key pair for its nodes and CloudFormation rejects the compute stack without one; give the key pair's name (or computeParameters.KeyName)"
            : undefined,
    );
    if (typeof create.instanceType === "string") {
        check("create.instanceType", instanceTypeProblem(create.instanceType));
    }
    for (const key of ["desiredCapacity", "minSize", "maxSize", "minInstancesInService"] as const) {
        check(`create.${key}`, capacityProblem(create[key]));
    }
    const { minSize, maxSize, desiredCapacity } = create;
    if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
        check("create.minSize", `${minSize} is greater than create.maxSize ${maxSize}`);
    }
    check(
        "create.minInstancesInService",
        minInstancesInServiceProblem(create.minInstancesInService, maxSize, "create.maxSize"),
    );
    if (desiredCapacity !== undefined && minSize !== undefined && desiredCapacity < minSize) {
        check("create.desiredCapacity", `${desiredCapacity} is below create.minSize ${minSize}`);
    }
    if (desiredCapacity !== undefined && maxSize !== undefined && desiredCapacity > maxSize) {
        check("create.desiredCapacity", `${desiredCapacity} is above create.maxSize ${maxSize}`);
    }
    const networkProblem = validateNewSystemNetwork(create.vpcCidrBlock, create.subnetCidrBlocks);
    if (networkProblem) {
        check(networkProblem.argument, networkProblem.message);
    }
    for (const key of ["storageTimeoutMinutes", "computeTimeoutMinutes"] as const) {
        const timeout = create[key];
        if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
            check(`create.${key}`, `${timeout} is not a positive whole number of minutes`);
        }
    }
    return { version, storageTemplateUrl: storageTemplateUrl!, computeTemplateUrl: computeTemplateUrl! };
}

function checkTopology(
    check: Check,
    topology: string | undefined,
    release: TemplateVersion | undefined,
): DatomicTopology {
    if (topology === undefined) {
        check("topology", release ? undefined : `is required when adopting a system; set "nlb", "alb" or "solo"`);
        return topologyOfRelease(release!);
    }
    if (!(DATOMIC_TOPOLOGIES as readonly string[]).includes(topology)) {
        check("topology", `"${topology}" is not a Datomic Cloud topology; use "nlb", "alb" or "solo"`);
    }
    if (release && topology !== "solo" && topology !== topologyOfRelease(release)) {
        check(
            "topology",
            `"${topology}" does not match release ${release.text}, which builds "${topologyOfRelease(release)}"`,
        );
    }
    return topology as DatomicTopology;
}

function checkEndpointService(
    check: Check,
    args: DatomicCloudSystemArgs,
    topology: DatomicTopology,
): EndpointServiceChoice {
    const choice = args.endpointService ?? (topology === "nlb" && args.create ? "create" : "none");
    if (!(ENDPOINT_SERVICE_CHOICES as readonly string[]).includes(choice)) {
        check(
            "endpointService",
            `"${choice}" is not a choice; use "create", "adopt" (with endpointServiceId) or "none"`,
        );
    }
    if (topology !== "nlb" && choice !== "none") {
        check(
            "endpointService",
            `"${choice}" needs the nlb topology; a${topology === "alb" ? "n" : ""} ${topology} system has no NLB to put an endpoint service on (${topology === "alb" ? "use DatomicPeering or the Client API gateway" : "solo systems are reached through their bastion"})`,
        );
    }
    if (choice === "adopt" && !/^vpce-svc-[0-9a-f]+$/.test(args.endpointServiceId ?? "")) {
        check(
            "endpointServiceId",
            `${JSON.stringify(args.endpointServiceId)} is not a VPC endpoint service id; "adopt" needs the id of the service on the NLB, such as vpce-svc-0a1b2c3d4e5f60718`,
        );
    }
    if (choice !== "adopt" && args.endpointServiceId !== undefined) {
        check("endpointServiceId", `only applies with endpointService "adopt" (it is "${choice}")`);
    }
    return choice as EndpointServiceChoice;
}

/**
 * Why the endpoint service's permissions are refused: `"*"` makes the service public, and without
 * acceptance every connection request is approved, so any AWS account that learns the service name gets
 * a private path to the Datomic nodes. AWS: "If you grant permissions to all principals, the service is
 * public. Any users who know the name of a public service can send a request to attach an endpoint. If the
 * service does not require manual approval, attachments are automatically approved."
 * (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpointServicePermissions.html)
 */
export function publicEndpointServiceProblem(principals: string[], acceptanceRequired: boolean): string | undefined {
    if (acceptanceRequired || !principals.includes("*")) {
        return undefined;
    }
    return (
        '["*"] lets every AWS account connect, and with endpointServiceAcceptanceRequired false each ' +
        "connection is approved at once; list the accounts' principals (arn:aws:iam::<account>:root) or set " +
        "endpointServiceAcceptanceRequired: true to approve each connection by hand"
    );
}
