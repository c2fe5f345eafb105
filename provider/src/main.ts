// Entry point of the provider executable. Terraform starts it and speaks the
// plugin protocol with it, see plugin/server.ts.
import { logger } from "./log";
import { serve } from "./plugin/server";
import { provider } from "./provider";

serve(provider).catch((error: unknown) => {
  logger.error("Provider failed to start", {
    error,
    stack: error instanceof Error ? error.stack : undefined,
  });
  process.exit(1);
});
