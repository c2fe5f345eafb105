// Entry point of the provider executable. Terraform starts it and speaks the
// plugin protocol with it, see plugin/server.ts. With --serve it runs as a
// long-lived process for TF_REATTACH_PROVIDERS, see plugin/long-lived.ts.
import { logger } from "./log";
import { serveLongLived } from "./plugin/long-lived";
import { serve } from "./plugin/server";
import { provider } from "./provider";

const start = process.argv.includes("--serve") ? serveLongLived : serve;
start(provider).catch((error: unknown) => {
  logger.error("Provider failed to start", {
    error,
    stack: error instanceof Error ? error.stack : undefined,
  });
  process.exit(1);
});
