// Command-line parsing of `npm run provider:serve` and `npm run provider:stop`.

import { parseServeArguments, UsageError } from "../../scripts/serve-provider";

describe("parseServeArguments", () => {
  test.each([
    [[], "serve"],
    [["stop"], "stop"],
    [["--help"], "help"],
    [["-h"], "help"],
    [["stop", "--help"], "help"],
  ])("parses %p as %p", (argv, command) => {
    expect(parseServeArguments(argv)).toBe(command);
  });

  test.each([
    [["--port", "8080"], 'unknown option "--port"'],
    [["start"], 'unexpected argument "start"'],
    [["stop", "now"], 'unexpected argument "now"'],
    [["stop", "stop"], 'unexpected argument "stop"'],
  ])("rejects %p", (argv, message) => {
    const parse = () => parseServeArguments(argv);

    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });
});
