import { parseTemplateVersion, templateUrl, topologyOfRelease } from "../../components/internal/templates";

describe("Datomic Cloud releases", () => {
    test("the current release's template URLs follow Datomic's bucket layout", () => {
        const release = parseTemplateVersion("1217-9399");
        expect(templateUrl(release, "storage")).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/storage-template-9399-1217.json",
        );
        expect(templateUrl(release, "compute")).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/compute-template-9399-1217.json",
        );
        expect(templateUrl(release, "query-group")).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/query-group-template-9399-1217.json",
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
});
