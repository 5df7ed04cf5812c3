import { ConfigError, loadConfig } from "./config";
import { StartupError, startServer } from "./server";

try {
  await startServer(loadConfig(process.env), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
} catch (error) {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`baton: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
