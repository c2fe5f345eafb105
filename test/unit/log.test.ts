// Level filtering of the provider's JSON log lines.

import { createLogger, logThresholdFromEnvironment, type LogThreshold } from "../../provider/src/log";

function levelsWritten(threshold: () => LogThreshold): string[] {
  const lines: string[] = [];
  const logger = createLogger("test", {}, (line) => lines.push(line), threshold);
  logger.trace("t");
  logger.debug("d");
  logger.with({ id: "1" }).info("i");
  logger.warn("w");
  logger.error("e");
  return lines.map((line) => (JSON.parse(line) as { "@level": string })["@level"]);
}

describe("log levels", () => {
  test("writes every level by default", () => {
    const lines: string[] = [];
    const logger = createLogger("test", {}, (line) => lines.push(line));

    logger.trace("t");

    expect(lines).toHaveLength(1);
  });

  test("skips levels below the threshold", () => {
    expect(levelsWritten(() => "info")).toEqual(["info", "warn", "error"]);
    expect(levelsWritten(() => "off")).toEqual([]);
  });

  test("reads the threshold on every record", () => {
    let threshold: LogThreshold = "error";
    const lines: string[] = [];
    const logger = createLogger("test", {}, (line) => lines.push(line), () => threshold).with({ id: "1" });

    logger.info("skipped");
    threshold = "debug";
    logger.info("written");

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"@message":"written"');
  });
});

describe("logThresholdFromEnvironment", () => {
  test.each([
    [{}, "info"],
    [{ TF_LOG: "" }, "info"],
    [{ TF_LOG: "DEBUG" }, "debug"],
    [{ TF_LOG: "warn" }, "warn"],
    [{ TF_LOG: "OFF" }, "off"],
    [{ TF_LOG: "JSON" }, "trace"],
    [{ TF_LOG: "verbose" }, "trace"],
    [{ TF_LOG: "constructor" }, "trace"],
    [{ TF_LOG: "ERROR", TF_LOG_PROVIDER: "DEBUG" }, "debug"],
    [{ TF_LOG: "ERROR", TF_LOG_PROVIDER: "" }, "error"],
  ])("maps %p to %p", (environment, threshold) => {
    expect(logThresholdFromEnvironment(environment, "info")).toBe(threshold);
  });
});
