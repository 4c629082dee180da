// dynalite in a process of its own, so that the bench's timing process does only the client's work, as a Lambda
// container does against DynamoDB. Prints its port, then serves until killed. Plain JavaScript: no compile step.
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(`DYNALITE_PORT ${server.address().port}\n`));
// Gone with its parent: the IPC channel closes when the bench exits, however it exits.
process.on('disconnect', () => process.exit(0));
