/**
 * DatomicMonitoring's pure rules: the overrides' checks (properties over any number), the email and HTTPS
 * checks, the names it derives, and the dashboard body.
 */
import fc from "fast-check";
import { dashboardBody } from "../../../components/cloud/monitoring/dashboardBody";
import {
    ALARM_KEYS,
    ALARM_RULES,
    alarmOverrideProblems,
    dashboardConsoleUrl,
    datomicDashboardName,
    emailSubscriptionProblems,
    httpsSubscriptionProblem,
    resolveAlarmRules,
} from "../../../components/cloud/monitoring/settings";

describe("alarm overrides", () => {
    test("any finite threshold greater than 0 is accepted, and applied", () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...ALARM_KEYS),
                fc.double({ min: Number.MIN_VALUE, max: 1e9, noNaN: true }),
                (key, threshold) => {
                    expect(alarmOverrideProblems({ [key]: { threshold } })).toEqual([]);
                    expect(resolveAlarmRules({ [key]: { threshold } })[key].threshold).toBe(threshold);
                },
            ),
        );
    });

    test("0, negative and non-finite thresholds are refused, naming the alarm and the value", () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...ALARM_KEYS),
                fc.oneof(fc.double({ max: 0 }), fc.constant(Number.POSITIVE_INFINITY), fc.constant(Number.NaN)),
                (key, threshold) => {
                    const [problem] = alarmOverrideProblems({ [key]: { threshold } });
                    expect(problem).toMatch(
                        new RegExp(
                            `^alarmOverrides\\.${key}\\.threshold: .* is not allowed; expected a number greater than 0`,
                        ),
                    );
                },
            ),
        );
    });

    test("evaluation periods cover at most a day of the alarm's periods", () => {
        for (const key of ALARM_KEYS) {
            const max = 86400 / ALARM_RULES[key].periodSeconds;
            expect(alarmOverrideProblems({ [key]: { evaluationPeriods: max } })).toEqual([]);
            expect(alarmOverrideProblems({ [key]: { evaluationPeriods: max + 1 } })).toHaveLength(1);
            expect(alarmOverrideProblems({ [key]: { evaluationPeriods: 1.5 } })).toHaveLength(1);
        }
    });

    test("no override leaves the defaults, every alarm on", () => {
        const rules = resolveAlarmRules();
        for (const key of ALARM_KEYS) {
            expect(rules[key]).toEqual({ ...ALARM_RULES[key], enabled: true });
        }
    });

    test("every default is quiet on an idle system: data only on events reads missing as not breaching", () => {
        for (const key of ALARM_KEYS) {
            const rule = ALARM_RULES[key];
            // The nodes alarm's metrics always exist once collection is on: its missing data means no collection.
            expect([key, rule.treatMissingData]).toEqual([key, key === "unhealthyNodes" ? "missing" : "notBreaching"]);
            expect(rule.threshold).toBeGreaterThan(0);
            expect(rule.missingDataReason.length).toBeGreaterThan(20);
        }
    });
});

describe("subscriptions", () => {
    test("email addresses", () => {
        expect(emailSubscriptionProblems(["ops@acme.com", "first.last+alerts@sub.acme.co.uk"])).toEqual([]);
        expect(emailSubscriptionProblems(["ops@acme", "@acme.com", "ops@@acme.com", "ops@acme.com."])).toHaveLength(4);
    });

    test("HTTPS endpoints: only https URLs, and the value is never shown", () => {
        expect(httpsSubscriptionProblem(0, "https://events.pagerduty.com/integration/abc/enqueue")).toBeUndefined();
        for (const bad of ["http://hooks.example.com/SECRET", "hooks.example.com/SECRET", "mailto:SECRET@acme.com"]) {
            const problem = httpsSubscriptionProblem(2, bad);
            expect(problem).toMatch(/^httpsSubscriptions\[2\]: not an https:\/\/ URL/);
            expect(problem).not.toContain("SECRET");
        }
    });
});

describe("names", () => {
    test("Datomic's dashboard of a group and its console page", () => {
        expect(datomicDashboardName("acme-prod-compute", "eu-west-1")).toBe("datomic-acme-prod-compute-eu-west-1");
        expect(dashboardConsoleUrl("datomic-acme-prod-compute-eu-west-1", "eu-west-1")).toBe(
            "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=datomic-acme-prod-compute-eu-west-1",
        );
    });
});

describe("the dashboard body", () => {
    const content = {
        region: "us-east-1",
        systemName: "acme-prod",
        systemDimension: "SystemName",
        groupDimension: "ComputeGroup",
        alarmArns: ["arn:b", "arn:a"],
        groups: [
            {
                label: "orders",
                groupName: "orders",
                autoScalingGroupName: "orders-asg",
                httpApiIds: [],
                lambdaFunctionNames: [],
            },
        ],
        restApis: [],
        tableNames: [],
    };

    test("widgets stay within the 24-column grid and do not overlap", () => {
        const { widgets } = JSON.parse(dashboardBody(content)) as {
            widgets: { x: number; y: number; width: number; height: number }[];
        };
        for (const [i, a] of widgets.entries()) {
            expect(a.x + a.width).toBeLessThanOrEqual(24);
            for (const b of widgets.slice(i + 1)) {
                const apart =
                    a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
                expect(apart).toBe(true);
            }
        }
    });

    test("a group without APIs or Lambdas graphs its JVM memory; alarms are listed in a stable order", () => {
        const body = dashboardBody(content);
        const { widgets } = JSON.parse(body) as { widgets: { type: string; properties: Record<string, unknown> }[] };
        expect(widgets.find((w) => w.type === "alarm")!.properties.alarms).toEqual(["arn:a", "arn:b"]);
        expect(body).toContain('"JvmFreeMb"');
        expect(dashboardBody({ ...content, alarmArns: ["arn:a", "arn:b"] })).toBe(body);
    });
});
