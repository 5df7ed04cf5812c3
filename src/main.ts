import { ConfigError, loadConfig } from "./config";
import { StartupError, startServer } from "./server";

try {
  // `npm start` is the demo: on an empty database it seeds fixtures/demo-org.json (`baton serve` does not).
  await startServer(
    loadConfig(process.env),
    { stderr: (s) => process.stderr.write(s) },
    { seedDemo: true },
  );
} catch (error) {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`baton: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
