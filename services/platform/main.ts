/** A service process: PORT / HOST from the environment, one line when listening, one line and exit 1 when start fails. */
import { runServices, type ServiceModule } from "./host";

export function serviceMain(modules: readonly ServiceModule[]): void {
  const port = Number(process.env.PORT ?? 8080);
  runServices(modules, { port, host: process.env.HOST ?? "127.0.0.1" }).then(
    (h) => process.stdout.write(`${modules.map((m) => m.name).join("+")}: listening on ${h.url}\n`),
    (e) => {
      process.stderr.write(`${modules.map((m) => m.name).join("+")}: cannot start: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}\n`);
      if (e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
      process.exit(1);
    },
  );
}
