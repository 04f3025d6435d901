#!/usr/bin/env node
import { main } from "./main.js";

const code = await main(process.argv);
process.exitCode = code;
// Every call to a plugin is bounded by a deadline, but a plugin left behind (a query that
// ignores its abort, a notifier that never answered) may still hold the event loop with a
// socket or a native thread. The answer is given: do not wait for it. Unref'd, so a process
// that ends on its own ends at once; stdout and stderr writes are synchronous on files and
// pipes, so nothing printed is lost.
setTimeout(() => process.exit(code), 2000).unref();
