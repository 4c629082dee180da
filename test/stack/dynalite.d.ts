// dynalite ships no types: the options the local stack uses, and the http.Server it returns.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** How long tables stay CREATING, DELETING or UPDATING (500 ms by default). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** A LevelDB directory; in memory when unset. */
    path?: string;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}
