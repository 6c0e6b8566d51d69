// Preloaded into benchmark children: reports the process's peak RSS on exit.
process.on("exit", () => process.stderr.write(`\nbench-maxrss-kb=${process.resourceUsage().maxRSS}\n`));
