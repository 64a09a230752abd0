/**
 * The transactor's settings: Datomic's guidance for memory, concurrency, heartbeat and GC flags, releases
 * that never were on the public bucket, and every bad argument reported at once.
 */
import fc from "fast-check";
import type { DatomicTransactorArgs } from "../../../components/pro/transactor/args";
import { TransactorArgumentError } from "../../../components/pro/transactor/argumentProblems";
import { renderTransactorProperties } from "../../../components/pro/transactor/properties";
import {
    DATOMIC_GC_FLAGS,
    resolveTransactorSettings,
    withDatomicGcFlags,
} from "../../../components/pro/transactor/settings";
import { parseJavaProperties } from "../../../components/internal/javaProperties";

const MY_DATOMIC = "https://my.datomic.com/repo/com/datomic/datomic-pro";

function args(extra: Partial<DatomicTransactorArgs> = {}): DatomicTransactorArgs {
    return {
        version: "1.0.7075",
        vpcId: "vpc-0a1b2c3d4e5f67890",
        subnetIds: ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"],
        amiId: "ami-0123456789abcdef0",
        ...extra,
    };
}

/** The problems the arguments have, as `argument: problem` lines (none when they resolve). */
function problemsOf(extra: Partial<DatomicTransactorArgs>): string[] {
    try {
        resolveTransactorSettings("acme-orders", args(extra));
        return [];
    } catch (e) {
        expect(e).toBeInstanceOf(TransactorArgumentError);
        return (e as Error).message.split("\n");
    }
}

describe("Datomic's memory guidance", () => {
    test("memory-index-max defaults to 512m, and object-cache-max is left to Datomic (half the heap)", () => {
        const settings = resolveTransactorSettings("acme-orders", args());
        const properties = parseJavaProperties(
            renderTransactorProperties({
                ...settings.properties,
                region: "us-east-1",
                transactorRoleName: "t",
                peerRoleName: "p",
            }),
        );
        expect(properties.get("memory-index-max")).toBe("512m");
        expect(properties.get("memory-index-threshold")).toBe("32m");
        expect(properties.has("object-cache-max")).toBe(false);
    });

    test("the user's own sizes are written as given", () => {
        const settings = resolveTransactorSettings("acme-orders", args({ memoryIndexMax: "1g", objectCacheMax: "2g" }));
        expect(settings.properties).toMatchObject({ memoryIndexMax: "1g", objectCacheMax: "2g" });
    });
});

describe("limits", () => {
    test.each<[Partial<DatomicTransactorArgs>, string]>([
        [
            { writeConcurrency: 1 },
            "writeConcurrency: 1 is not a whole number of at least 2 (Datomic's minimum write-concurrency)",
        ],
        [
            { heartbeatIntervalMsec: 999 },
            "heartbeatIntervalMsec: 999 is not a whole number of at least 1000 (a shorter heartbeat fails over on a GC pause or a network blip; Datomic's default is 5000)",
        ],
        [
            { heartbeatIntervalMsec: 1500.5 },
            "heartbeatIntervalMsec: 1500.5 is not a whole number of at least 1000 (a shorter heartbeat fails over on a GC pause or a network blip; Datomic's default is 5000)",
        ],
    ])("%j is refused naming the argument", (extra, message) => {
        expect(problemsOf(extra)).toEqual([message]);
    });

    test("the smallest allowed values pass", () => {
        expect(problemsOf({ writeConcurrency: 2, heartbeatIntervalMsec: 1000 })).toEqual([]);
    });
});

describe("JAVA_OPTS keep Datomic's GC flags", () => {
    test("no options: bin/transactor applies the flags itself", () => {
        expect(withDatomicGcFlags(undefined)).toBeUndefined();
        expect(withDatomicGcFlags("")).toBe("");
        expect(resolveTransactorSettings("acme-orders", args()).javaOpts).toBeUndefined();
    });

    test("options without GC flags are led by Datomic's", () => {
        expect(resolveTransactorSettings("acme-orders", args({ javaOpts: "-Dacme.env=prod" })).javaOpts).toBe(
            "-XX:+UseG1GC -XX:MaxGCPauseMillis=50 -Dacme.env=prod",
        );
    });

    test.each([
        "-XX:+UseZGC",
        "-XX:+UseParallelGC -Dx=1",
        "-Dx=1 -XX:MaxGCPauseMillis=200",
        "-XX:-UseG1GC -XX:+UseSerialGC",
    ])("the user's own GC flags are kept alone: %s", (javaOpts) => {
        expect(withDatomicGcFlags(javaOpts)).toBe(javaOpts);
    });

    test("any options that choose no collector and no pause goal end up after Datomic's flags, unchanged", () => {
        const option = fc.stringMatching(/^-D[a-z][a-z.]{0,12}=[A-Za-z0-9]{0,8}$|^-X(ss|mn)[1-9][0-9]?[mk]$/);
        fc.assert(
            fc.property(fc.array(option, { minLength: 1, maxLength: 5 }), (options) => {
                const javaOpts = options.join(" ");
                expect(withDatomicGcFlags(javaOpts)).toBe(`${DATOMIC_GC_FLAGS} ${javaOpts}`);
            }),
        );
    });
});

describe("releases that were never on the public bucket", () => {
    const licensed = { version: "1.0.6711", licenseKeyParameterName: "/acme/datomic/license-key" };

    test("1.0.6711 without a download URL is refused, naming downloadUrl and what to do", () => {
        expect(problemsOf(licensed)).toEqual([
            "downloadUrl: is required for version 1.0.6711: releases up to 1.0.6711 were never on the public bucket https://datomic-pro-downloads.s3.amazonaws.com; give the repository you download them from, such as https://my.datomic.com/repo/com/datomic/datomic-pro (with downloadCredentialsParameterName), or choose 1.0.6726 or later",
        ]);
    });

    test("the public bucket named explicitly is refused too", () => {
        expect(problemsOf({ ...licensed, downloadUrl: "https://datomic-pro-downloads.s3.amazonaws.com/" })).toEqual([
            'downloadUrl: "https://datomic-pro-downloads.s3.amazonaws.com/" is the public bucket, which never had version 1.0.6711; releases up to 1.0.6711 come from the repository you licensed them from',
        ]);
    });

    test("with a repository and credentials in SSM it resolves; the URL loses its trailing slash", () => {
        const settings = resolveTransactorSettings(
            "acme-orders",
            args({
                ...licensed,
                downloadUrl: `${MY_DATOMIC}/`,
                downloadCredentialsParameterName: "/acme/datomic/download",
            }),
        );
        expect(settings.download).toEqual({ url: MY_DATOMIC, credentialsParameterName: "/acme/datomic/download" });
    });

    test("a free release downloads from the public bucket by default", () => {
        expect(resolveTransactorSettings("acme-orders", args()).download).toEqual({
            url: "https://datomic-pro-downloads.s3.amazonaws.com",
            credentialsParameterName: undefined,
        });
    });

    test("credentials in the URL, plain http and credentials without a URL are refused; no password is repeated", () => {
        const problems = problemsOf({ downloadUrl: "https://ops%40acme.example:s3cret@my.datomic.com/repo" });
        expect(problems).toEqual([
            'downloadUrl: "https://my.datomic.com/repo" carries credentials, which would be written into user data; store "<user>:<password>" as an SSM SecureString and name it in downloadCredentialsParameterName',
        ]);
        expect(problems.join("\n")).not.toContain("s3cret");
        expect(problemsOf({ downloadUrl: "ops:s3cret@my.datomic.com/repo" })).toEqual([
            "downloadUrl: the value (not repeated: it may hold credentials) is not an https URL; the release (and any credentials) must travel over TLS",
        ]);
        expect(problemsOf({ downloadUrl: "http://mirror.internal/datomic" })).toEqual([
            'downloadUrl: "http://mirror.internal/datomic" is not an https URL; the release (and any credentials) must travel over TLS',
        ]);
        expect(problemsOf({ downloadCredentialsParameterName: "/acme/datomic/download" })).toEqual([
            "downloadCredentialsParameterName: needs downloadUrl: the public bucket https://datomic-pro-downloads.s3.amazonaws.com takes no credentials",
        ]);
    });
});

describe("bad arguments are reported all at once", () => {
    test("an empty VPC, no subnets, a malformed instance type and two limits: one error, five lines", () => {
        expect(
            problemsOf({
                vpcId: "",
                subnetIds: [],
                instanceType: "large",
                writeConcurrency: 0,
                heartbeatIntervalMsec: 100,
            }),
        ).toEqual([
            'vpcId: "" is empty; give the id of the VPC the transactors run in (vpc-...)',
            "subnetIds: is empty; give at least one subnet (two in different availability zones for an active transactor and a standby)",
            'instanceType: "large" is not an EC2 instance type (family.size, such as t3.large or i3.xlarge)',
            "writeConcurrency: 0 is not a whole number of at least 2 (Datomic's minimum write-concurrency)",
            "heartbeatIntervalMsec: 100 is not a whole number of at least 1000 (a shorter heartbeat fails over on a GC pause or a network blip; Datomic's default is 5000)",
        ]);
    });

    test("a blank subnet id among good ones, and a malformed version with its licence checks skipped", () => {
        expect(problemsOf({ subnetIds: ["subnet-0aa11bb22cc33dd44", " "], version: "1.0" })).toEqual([
            'version: "1.0" is not a Datomic Pro release (expected <major>.<minor>.<build>, such as 1.0.7075)',
            'subnetIds: contains the empty id " "; give subnet ids (subnet-...)',
        ]);
    });

    test.each(["m6i.large", "c7gd.16xlarge", "u-6tb1.metal", "mac2-m2pro.metal"])("%s is an instance type", (type) => {
        expect(problemsOf({ instanceType: type })).toEqual([]);
    });
});
