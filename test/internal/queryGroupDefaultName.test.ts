import * as fc from "fast-check";
import { defaultQueryGroupName, stackNameProblem } from "../../components/internal/naming";

/** Pulumi resource and stack names: letters, digits, hyphens, underscores and dots. */
const pulumiName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/);

describe("defaultQueryGroupName", () => {
    test("is <component>-<stack> when that fits", () => {
        expect(defaultQueryGroupName("orders", "dev", 23)).toBe("orders-dev");
        expect(defaultQueryGroupName("orders", "stage", 23)).toBe("orders-stage");
    });

    test("shortens deterministically, with a hash that keeps stacks apart", () => {
        const dev = defaultQueryGroupName("order-fulfilment", "feature-1234", 23);
        expect(dev).toMatch(/^order-fulfilmen-[0-9a-f]{7}$/);
        expect(defaultQueryGroupName("order-fulfilment", "feature-1234", 23)).toBe(dev);
        expect(defaultQueryGroupName("order-fulfilment", "feature-1235", 23)).not.toBe(dev);
    });

    test("property: always a CloudFormation stack name within the limit", () => {
        fc.assert(
            fc.property(pulumiName, pulumiName, fc.integer({ min: 8, max: 128 }), (component, stack, limit) => {
                const name = defaultQueryGroupName(component, stack, limit);
                expect(stackNameProblem(name)).toBeUndefined();
                expect(name.length).toBeLessThanOrEqual(limit);
            }),
        );
    });

    test("property: one component in two Pulumi stacks gets two names", () => {
        fc.assert(
            fc.property(
                pulumiName,
                pulumiName,
                pulumiName,
                fc.integer({ min: 8, max: 64 }),
                (component, first, second, limit) => {
                    fc.pre(first !== second);
                    expect(defaultQueryGroupName(component, first, limit)).not.toBe(
                        defaultQueryGroupName(component, second, limit),
                    );
                },
            ),
        );
    });
});
