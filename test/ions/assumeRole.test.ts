/**
 * The right account: datomic-ion-release assumes --role-arn through STS (AWS SDK v3) before
 * ion-dev starts, and ion-dev gets the temporary credentials in its environment only. STS is
 * moto_server on 127.0.0.1, reached through AWS_ENDPOINT_URL_STS.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import * as fs from "fs";
import * as path from "path";
import { assumeRoleEnvironment, sessionSeconds, withRoleCredentials } from "../../cli/ionRelease/assumeRole";
import { ION_RELEASE_EXIT } from "../../components/internal/ionDev";
import { runRelease } from "../fakes/ionDevStandIn";
import { Moto, startMoto } from "../support/moto";
import { temporaryDirectory } from "./sourceTree";

jest.setTimeout(120_000);

const ROLE = "arn:aws:iam::222222222222:role/orders-datomic-deployer";
const SOURCE = { AWS_ACCESS_KEY_ID: "AKIASOURCEEXAMPLE0001", AWS_SECRET_ACCESS_KEY: "source/secret/EXAMPLEKEY" };

let moto: Moto;
let endpoint: string;
const created: string[] = [];

beforeAll(async () => {
    moto = await startMoto();
    endpoint = moto.endpoint;
});

afterAll(async () => {
    await moto?.stop();
    created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

/** Who STS says the credentials belong to. */
async function callerArn(credentials: Record<string, string>): Promise<string | undefined> {
    const client = new STSClient({
        region: "us-east-1",
        endpoint,
        credentials: {
            accessKeyId: credentials.AWS_ACCESS_KEY_ID,
            secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY,
            sessionToken: credentials.AWS_SESSION_TOKEN,
        },
    });
    try {
        return (await client.send(new GetCallerIdentityCommand({}))).Arn;
    } finally {
        client.destroy();
    }
}

test("assumeRoleEnvironment returns the role's temporary credentials as AWS_* variables", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, SOURCE, { AWS_ENDPOINT_URL_STS: endpoint });
    try {
        const env = await assumeRoleEnvironment(ROLE, {
            region: "us-west-2",
            durationSeconds: sessionSeconds(1800),
            sessionName: "datomic-ion-release",
        });
        expect(Object.keys(env).sort()).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]);
        expect(env.AWS_ACCESS_KEY_ID).not.toBe(SOURCE.AWS_ACCESS_KEY_ID);
        expect(await callerArn(env)).toMatch(
            /^arn:aws:sts::222222222222:assumed-role\/orders-datomic-deployer\/datomic-ion-release$/,
        );
        expect(sessionSeconds(1800)).toBe(2100);
        expect(sessionSeconds(60)).toBe(900);
        expect(sessionSeconds(7200)).toBe(3600);
        // The profile variables would compete with the role's credentials in ion-dev's default chain.
        expect(withRoleCredentials({ AWS_PROFILE: "ops", HOME: "/h" }, env)).toEqual({ HOME: "/h", ...env });
    } finally {
        process.env = saved;
    }
});

test("the CLI runs ion-dev with the role's credentials in its environment only", async () => {
    const cwd = temporaryDirectory("ion-role");
    created.push(cwd);
    fs.writeFileSync(path.join(cwd, "deps.edn"), "{}\n");
    // A laptop's profile holds the source credentials.
    const credentialsFile = path.join(cwd, "aws-credentials");
    fs.writeFileSync(
        credentialsFile,
        `[laptop-profile]\naws_access_key_id = ${SOURCE.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${SOURCE.AWS_SECRET_ACCESS_KEY}\n`,
    );
    const run = await runRelease(
        ["--group", "orders-dev", "--uname", "wip", "--region", "us-west-2", "--json", "--poll-interval", "0.2"],
        {
            AWS_PROFILE: "laptop-profile",
            AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
            AWS_CONFIG_FILE: path.join(cwd, "no-aws-config"),
            AWS_ENDPOINT_URL_STS: endpoint,
            DATOMIC_ION_ROLE_ARN: ROLE,
        },
        cwd,
    );
    expect(run.code).toBe(ION_RELEASE_EXIT.succeeded);
    const seen = run.state.invocations[0];
    expect(seen["access-key-id"]).toMatch(/^[A-Z0-9]{16,}$/);
    expect(seen["access-key-id"]).not.toBe(SOURCE.AWS_ACCESS_KEY_ID);
    expect(seen.profile).toBeNull();
    expect(
        await callerArn({
            AWS_ACCESS_KEY_ID: seen["access-key-id"]!,
            AWS_SECRET_ACCESS_KEY: "unused-by-moto",
            AWS_SESSION_TOKEN: seen["session-token"]!,
        }),
    ).toMatch(/assumed-role\/orders-datomic-deployer\/datomic-ion-release$/);
    // Never on a command line, in the output or in the result.
    for (const secret of [seen["access-key-id"]!, seen["session-token"]!]) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
        expect(seen.command).not.toContain(secret);
        expect(run.clojureLaunches.join("\n")).not.toContain(secret);
    }
    expect(seen.command).toMatch(/clojure\.main .*driver\.clj$/);
    // ion-dev gets no :creds-profile: it works as the role.
    expect(seen.args).toEqual({ uname: "wip", region: "us-west-2" });
});
