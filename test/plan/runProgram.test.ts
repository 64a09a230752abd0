/** runProgram waits for everything a program registers, as the Pulumi runtime does before it exits. */
import * as path from "path";
import { runStack } from "../support/program";

test("a resource whose inputs resolve after the program returned is in the run, even with no outputs to wait for", async () => {
    const run = await runStack("test", { programDir: path.join(__dirname, "..", "fixtures", "late-inputs") });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toEqual({});
    expect(run.resources.map((r) => [r.type, r.name, r.inputs])).toEqual([
        ["test:index:Thing", "late", { state: "ready", label: "from the stack file" }],
    ]);
});

test("config given to the run is set over the stack file's", async () => {
    const run = await runStack("test", {
        programDir: path.join(__dirname, "..", "fixtures", "late-inputs"),
        config: { label: "from the command line" },
    });
    expect(run.resources.map((r) => r.inputs)).toEqual([{ state: "ready", label: "from the command line" }]);
});

test("the SDK captures no stack for a resource's source position during a run", async () => {
    const run = await runStack("test", { programDir: path.join(__dirname, "..", "fixtures", "callsites") });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toEqual({ capturedFrames: 0 });
    expect(run.resources.map((r) => r.name)).toEqual(["one"]);
});
