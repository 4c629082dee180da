// Preloaded into child servers of the local identity stack: when the parent dies (even by SIGKILL)
// its IPC channel closes, and exiting here keeps a crashed test run from leaving orphans behind.
process.on('disconnect', () => process.exit(0));
