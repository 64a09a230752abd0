import fc from "fast-check";
import {
    closestKey,
    editDistance,
    isSecretPropertyKey,
    TRANSACTOR_PROPERTY_KEYS,
} from "../../../components/pro/transactor/propertyKeys";
import { parseJavaPropertyEntries } from "../../../components/internal/javaProperties";
import {
    BOOT_TIME_KEYS,
    connectionUriBase,
    extraPropertyProblem,
    renderTransactorProperties,
    TransactorPropertiesSettings,
    TYPED_KEYS,
} from "../../../components/pro/transactor/properties";
import {
    datomicMemorySizeProblem,
    datomicVersionProblem,
    groupSizeProblem,
    isArmInstanceType,
    javaHeapSizeProblem,
    needsLicenseKey,
    parameterNameProblem,
    roleNameProblem,
    sha256Problem,
    tableNameProblem,
} from "../../../components/pro/validation";

/** The keys of Datomic's DynamoDB sample (config/samples/ddb-transactor-template.properties, DATOMIC-FACTS.md). */
const DYNAMODB_SAMPLE_KEYS = [
    "protocol",
    "host",
    "port",
    "aws-dynamodb-table",
    "aws-dynamodb-region",
    "aws-transactor-role",
    "aws-peer-role",
    "memory-index-threshold",
    "memory-index-max",
    "object-cache-max",
    "aws-s3-log-bucket-id",
    "aws-cloudwatch-region",
    "aws-cloudwatch-dimension-value",
    "memcached",
    "write-concurrency",
    "read-concurrency",
    "heartbeat-interval-msec",
    "ping-host",
    "ping-port",
    "alt-host",
    "valcache-path",
    "valcache-max-gb",
];

const minimal: TransactorPropertiesSettings = {
    tableName: "acme-orders",
    region: "eu-west-1",
    transactorRoleName: "acme-orders-transactor",
    peerRoleName: "acme-orders-peer",
    memoryIndexThreshold: "32m",
    memoryIndexMax: "256m",
    objectCacheMax: "128m",
};

const everything: TransactorPropertiesSettings = {
    ...minimal,
    logBucketName: "acme-orders-logs",
    cloudWatchRegion: "eu-west-1",
    cloudWatchDimensionValue: "acme-orders",
    memcached: "mc-1.internal:11211,mc-2.internal:11211",
    writeConcurrency: 4,
    readConcurrency: 8,
    heartbeatIntervalMsec: 5000,
    pingHost: "0.0.0.0",
    pingPort: 9999,
    valcachePath: "/mnt/valcache",
    valcacheMaxGb: 100,
    extraProperties: { "metrics-callback": "acme.metrics/report", "encrypt-channel": "true" },
};

function entriesOf(text: string): [string, string][] {
    return parseJavaPropertyEntries(text).map((entry) => [entry.key, entry.value]);
}

describe("renderTransactorProperties", () => {
    test("renders every setting under its property, typed keys in order, then the extras by name", () => {
        expect(entriesOf(renderTransactorProperties(everything))).toEqual([
            ["protocol", "ddb"],
            ["port", "4334"],
            ["aws-dynamodb-table", "acme-orders"],
            ["aws-dynamodb-region", "eu-west-1"],
            ["aws-transactor-role", "acme-orders-transactor"],
            ["aws-peer-role", "acme-orders-peer"],
            ["memory-index-threshold", "32m"],
            ["memory-index-max", "256m"],
            ["object-cache-max", "128m"],
            ["aws-s3-log-bucket-id", "acme-orders-logs"],
            ["aws-cloudwatch-region", "eu-west-1"],
            ["aws-cloudwatch-dimension-value", "acme-orders"],
            ["memcached", "mc-1.internal:11211,mc-2.internal:11211"],
            ["write-concurrency", "4"],
            ["read-concurrency", "8"],
            ["heartbeat-interval-msec", "5000"],
            ["ping-host", "0.0.0.0"],
            ["ping-port", "9999"],
            ["valcache-path", "/mnt/valcache"],
            ["valcache-max-gb", "100"],
            ["encrypt-channel", "true"],
            ["metrics-callback", "acme.metrics/report"],
        ]);
    });

    test("leaves out what is not set", () => {
        expect(renderTransactorProperties(minimal)).toBe(
            [
                "protocol=ddb",
                "port=4334",
                "aws-dynamodb-table=acme-orders",
                "aws-dynamodb-region=eu-west-1",
                "aws-transactor-role=acme-orders-transactor",
                "aws-peer-role=acme-orders-peer",
                "memory-index-threshold=32m",
                "memory-index-max=256m",
                "object-cache-max=128m",
                "",
            ].join("\n"),
        );
    });

    test("covers every key of Datomic's DynamoDB sample, typed or written at boot", () => {
        const covered = new Set<string>([...TYPED_KEYS, ...BOOT_TIME_KEYS]);
        expect(DYNAMODB_SAMPLE_KEYS.filter((key) => !covered.has(key))).toEqual([]);
        const rendered = new Set(entriesOf(renderTransactorProperties(everything)).map(([key]) => key));
        expect(DYNAMODB_SAMPLE_KEYS.filter((key) => !rendered.has(key))).toEqual(["host", "alt-host"]);
    });

    test("escapes values so the transactor reads them back unchanged", () => {
        const text = renderTransactorProperties({ ...minimal, extraProperties: { "data-dir": " C:\\datomic\\data" } });
        expect(text).toContain("data-dir=\\ C:\\\\datomic\\\\data\n");
        expect(entriesOf(text).at(-1)).toEqual(["data-dir", " C:\\datomic\\data"]);
    });

    test("refuses extra properties that the component sets, secrets, and bad names", () => {
        expect(extraPropertyProblem("aws-dynamodb-table")).toBe(
            '"aws-dynamodb-table" is set by the component (from its typed argument or at boot); use that instead',
        );
        expect(extraPropertyProblem("host")).toMatch(/^"host" is set by the component/);
        expect(extraPropertyProblem("license-key")).toBe(
            '"license-key" must not appear in user data; store it in SSM Parameter Store and set licenseKeyParameterName',
        );
        expect(extraPropertyProblem("Bad Key")).toMatch(/is not a transactor property name/);
        expect(extraPropertyProblem("encrypt-channel")).toBeUndefined();
        expect(() => renderTransactorProperties({ ...minimal, extraProperties: { port: "4335" } })).toThrow(
            '"port" is set by the component',
        );
    });

    test("connectionUriBase is datomic:ddb://<region>/<table>/", () => {
        expect(connectionUriBase("eu-west-1", "acme-orders")).toBe("datomic:ddb://eu-west-1/acme-orders/");
    });
});

describe("transactor argument checks", () => {
    test("versions", () => {
        expect(datomicVersionProblem("1.0.7075")).toBeUndefined();
        expect(datomicVersionProblem("0.9.5703")).toBeUndefined();
        expect(datomicVersionProblem("1.0")).toBe(
            '"1.0" is not a Datomic Pro release (expected <major>.<minor>.<build>, such as 1.0.7075)',
        );
        expect(datomicVersionProblem("datomic-pro-1.0.7075")).toBeDefined();
        expect(needsLicenseKey("1.0.6711")).toBe(true);
        expect(needsLicenseKey("0.9.5703")).toBe(true);
        expect(needsLicenseKey("1.0.6726")).toBe(false);
        expect(needsLicenseKey("1.1.0")).toBe(false);
    });

    test("heap and memory sizes", () => {
        for (const ok of ["4g", "2625m", "1g"]) {
            expect(javaHeapSizeProblem(ok)).toBeUndefined();
        }
        for (const bad of ["-Xmx4g", "4G", "4gb", "4096", "0g", "1.5g", ""]) {
            expect(javaHeapSizeProblem(bad)).toMatch(
                /is not a heap size; use a whole number of gigabytes or megabytes/,
            );
        }
        expect(datomicMemorySizeProblem("256m")).toBeUndefined();
        expect(datomicMemorySizeProblem("1073741824")).toBeUndefined();
        expect(datomicMemorySizeProblem("1 GB")).toMatch(/is not a size/);
    });

    test("group sizes", () => {
        expect(groupSizeProblem(1)).toBeUndefined();
        expect(groupSizeProblem(2)).toBeUndefined();
        for (const bad of [0, -1, 1.5, NaN]) {
            expect(groupSizeProblem(bad)).toMatch(/is not a usable group size; use a whole number of at least 1/);
        }
    });

    test("DynamoDB table names: 3 to 255 characters of letters, digits, _ - and .", () => {
        for (const ok of ["abc", "acme.orders_v2-prod", "a".repeat(255)]) {
            expect(tableNameProblem(ok)).toBeUndefined();
        }
        expect(tableNameProblem("ab")).toBe('"ab" is 2 characters long; DynamoDB table names have 3 to 255');
        expect(tableNameProblem("a".repeat(256))).toMatch(/is 256 characters long/);
        expect(tableNameProblem("acme orders")).toBe(
            '"acme orders" is not a DynamoDB table name: use only letters, digits, "_", "-" and "."',
        );
        expect(tableNameProblem("acme/orders")).toBeDefined();
    });

    test("role names, digests and parameter names", () => {
        expect(roleNameProblem("datomic-aws-transactor")).toBeUndefined();
        expect(roleNameProblem("a".repeat(65))).toBeDefined();
        expect(roleNameProblem("has space")).toBeDefined();
        expect(sha256Problem("a".repeat(64))).toBeUndefined();
        expect(sha256Problem("A".repeat(64))).toBeDefined();
        expect(parameterNameProblem("/datomic/license-key")).toBeUndefined();
        expect(parameterNameProblem("datomic-license")).toBeUndefined();
        expect(parameterNameProblem("/datomic/")).toBeDefined();
        expect(parameterNameProblem("with space")).toBeDefined();
    });

    test("Graviton instance types", () => {
        for (const arm of ["m7g.large", "c7gn.xlarge", "r6gd.2xlarge", "t4g.medium", "a1.large", "im4gn.large"]) {
            expect([arm, isArmInstanceType(arm)]).toEqual([arm, true]);
        }
        for (const x86 of ["m6i.large", "g5.xlarge", "g4dn.xlarge", "c5n.large", "t3.large", "inf2.xlarge"]) {
            expect([x86, isArmInstanceType(x86)]).toEqual([x86, false]);
        }
    });
});

describe("property keys", () => {
    test("edit distance is a metric on small strings, and zero only for equal ones", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
                const distance = editDistance(a, b);
                expect(distance).toBe(editDistance(b, a));
                expect(distance === 0).toBe(a === b);
                expect(distance).toBeLessThanOrEqual(Math.max(a.length, b.length));
            }),
        );
        expect(editDistance("kitten", "sitting")).toBe(3);
    });

    test("knows credentials by their keys, and suggests only close keys", () => {
        for (const key of [
            "aws-secret-access-key",
            "aws-session-token",
            "sql-password",
            "license-key",
            "aws-access-key-id",
        ]) {
            expect([key, isSecretPropertyKey(key)]).toEqual([key, true]);
        }
        for (const key of ["memcached", "aws-dynamodb-table", "ping-port", "encrypt-channel"]) {
            expect([key, isSecretPropertyKey(key)]).toEqual([key, false]);
        }
        expect(closestKey("aws-dynamodb-tabel", TRANSACTOR_PROPERTY_KEYS)).toBe("aws-dynamodb-table");
        expect(closestKey("flux-capacitor", TRANSACTOR_PROPERTY_KEYS)).toBeUndefined();
    });
});
