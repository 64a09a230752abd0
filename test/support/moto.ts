/**
 * moto_server on 127.0.0.1 for tests that drive AWS for real: the AWS SDK v3 clients reach it through
 * AWS_ENDPOINT_URL, the scripts' fake AWS CLI through FAKE_MOTO_URL. Each caller starts its own on a free port and stops it.
 */
import { ChildProcess, spawn } from "child_process";
import * as net from "net";
import { requireTools } from "./tools";

/** A running moto_server. */
export interface Moto {
    endpoint: string;
    /** Credentials and region moto accepts, and the endpoint, as environment variables. */
    env: Record<string, string>;
    /** Stops the server and resolves once it has exited. */
    stop(): Promise<void>;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

async function waitUntilListening(port: number, until: number): Promise<void> {
    while (Date.now() < until) {
        const open = await new Promise<boolean>((resolve) => {
            const socket = net.connect(port, "127.0.0.1", () => {
                socket.end();
                resolve(true);
            });
            socket.on("error", () => resolve(false));
        });
        if (open) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`moto_server did not listen on 127.0.0.1:${port}`);
}

export async function startMoto(): Promise<Moto> {
    requireTools("moto_server");
    const port = await freePort();
    const server: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntilListening(port, Date.now() + 60_000);
    return {
        endpoint,
        env: {
            AWS_ENDPOINT_URL: endpoint,
            AWS_ACCESS_KEY_ID: "AKIAMOTOEXAMPLE00001",
            AWS_SECRET_ACCESS_KEY: "moto/secret/EXAMPLEKEY",
            AWS_REGION: "us-east-1",
            AWS_DEFAULT_REGION: "us-east-1",
        },
        stop: () =>
            new Promise<void>((resolve) => {
                if (server.exitCode !== null || server.signalCode !== null) {
                    return resolve();
                }
                server.once("exit", () => resolve());
                server.kill("SIGTERM");
            }),
    };
}
