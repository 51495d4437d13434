/**
 * `node --import tsx [--import ./test/cli/loadRecorder.ts] test/functions/invokeHandler.ts NAME EVENT`:
 * invokes one function's handler, built from its module as Lambda would, with the JSON event
 * given, in a process of its own. Exits 0 when the handler resolves and 1 when it throws.
 */
const [name, eventText] = process.argv.slice(2);
if (name === undefined || eventText === undefined || !/^[a-zA-Z]+$/.test(name)) {
  throw new Error('usage: invokeHandler.ts FUNCTION EVENT_JSON');
}
const module = (await import(`../../functions/${name}.ts`)) as {
  handler: (event: unknown) => Promise<unknown>;
};
try {
  await module.handler(JSON.parse(eventText));
} catch {
  process.exitCode = 1;
}
