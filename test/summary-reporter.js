// Prints one plain closing line, "tests: N passed, N failed", after jest's
// own summary so that CI logs show the count in a fixed form.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed` +
        (skipped > 0 ? `, ${skipped} skipped` : "") +
        "\n",
    );
  }
}

module.exports = SummaryReporter;
