import {
    confirmedTemplateUrl,
    isNewerRelease,
    nodePolicyParameterName,
    parseTemplateVersion,
    topologyOfRelease,
    unconfirmedTemplateUrlProblem,
} from "../../components/internal/templates";

describe("Datomic Cloud releases", () => {
    test.each([
        ["1217-9399", "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/storage-template-9399-1217.json"],
        ["1172-9392", "https://s3.amazonaws.com/datomic-cloud-1/cft/1172/storage-template-9392-1172.json"],
        ["616-8879", "https://s3.amazonaws.com/datomic-cloud-1/cft/616-8879/datomic-storage-616-8879.json"],
    ])("%s's confirmed storage template URL follows its release family's layout", (version, url) => {
        expect(confirmedTemplateUrl(parseTemplateVersion(version), "storage")).toBe(url);
    });

    test("every template of the current layout is built, in the kind's file name", () => {
        const release = parseTemplateVersion("1217-9399");
        expect(confirmedTemplateUrl(release, "compute")).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/compute-template-9399-1217.json",
        );
        expect(confirmedTemplateUrl(release, "query-group")).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/query-group-template-9399-1217.json",
        );
        expect(confirmedTemplateUrl(parseTemplateVersion("535-8812"), "query-group")).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/535-8812/datomic-query-group-535-8812.json",
        );
    });

    test.each([
        ["884-9095", "storage"],
        ["1162-9380", "compute"],
        ["781-9041", "query-group"],
        ["1230-9410", "storage"],
        ["616-8879", "compute"],
        // Inferred from the early layout, never seen launched (DATOMIC-FACTS.md, Round 3).
        ["535-8812", "storage"],
        ["569-8835", "storage"],
        ["569-8835", "query-group"],
        ["616-8879", "query-group"],
    ] as const)("builds no URL for %s's %s template, whose URL is not confirmed", (version, kind) => {
        const release = parseTemplateVersion(version);
        expect(confirmedTemplateUrl(release, kind)).toBeUndefined();
        expect(unconfirmedTemplateUrlProblem(release, kind)).toMatch(
            /^is required: .*not confirmed.*; pass the URL from Datomic's release page so no URL is guessed$/,
        );
    });

    test.each([
        ["535-8812", "nlb"],
        ["781-9041", "nlb"],
        ["884-9095", "alb"],
        ["1217-9399", "alb"],
    ])("%s uses the %s topology", (version, topology) => {
        expect(topologyOfRelease(parseTemplateVersion(version))).toBe(topology);
    });

    test.each(["1217", "v1217-9399", "1217-9399-1", "latest", ""])("refuses %j", (text) => {
        expect(() => parseTemplateVersion(text)).toThrow(
            `"${text}" is not a Datomic Cloud release (expected <revision>-<build>, such as 1217-9399)`,
        );
    });

    test("orders releases by template revision, then build", () => {
        const release = (text: string) => parseTemplateVersion(text);
        expect(isNewerRelease(release("1217-9399"), release("1172-9392"))).toBe(true);
        expect(isNewerRelease(release("732-8993"), release("732-8992"))).toBe(true);
        expect(isNewerRelease(release("1172-9392"), release("1217-9399"))).toBe(false);
        expect(isNewerRelease(release("1217-9399"), release("1217-9399"))).toBe(false);
    });

    test.each([
        ["535-8812", "NodePolicyArn"],
        ["569-8835", "NodePolicyARN"],
        ["1217-9399", "NodePolicyARN"],
    ])("%s's query-group template spells the node policy parameter %s", (version, name) => {
        expect(nodePolicyParameterName(parseTemplateVersion(version))).toBe(name);
    });
});
