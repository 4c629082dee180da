// The few curl options that README's examples use, in Node, so the examples run where curl is not installed.
// Prints the body like `curl -s`, and appends {method, url, status} to the file named by CURL_LOG.
import { appendFileSync } from 'node:fs';

const args = process.argv.slice(2);
const headers = new Headers();
const data = [];
let method;
let url;
for (let index = 0; index < args.length; index += 1) {
  const arg = args[index];
  const value = () => {
    index += 1;
    if (args[index] === undefined) throw new Error(`curl stand-in: ${arg} needs a value`);
    return args[index];
  };
  if (arg === '-s') continue;
  else if (arg === '-u') headers.set('authorization', `Basic ${Buffer.from(value()).toString('base64')}`);
  else if (arg === '-d') data.push(value());
  else if (arg === '-X') method = value();
  else if (arg === '-H') {
    const header = value();
    const colon = header.indexOf(':');
    headers.set(header.slice(0, colon).trim(), header.slice(colon + 1).trim());
  } else if (arg.startsWith('-')) {
    console.error(`curl stand-in: unsupported option ${arg}; teach test/support/curl-stand-in.mjs or change README`);
    process.exit(2);
  } else url = arg;
}
if (data.length > 0 && !headers.has('content-type')) {
  headers.set('content-type', 'application/x-www-form-urlencoded');
}
method ??= data.length > 0 ? 'POST' : 'GET';
const response = await fetch(url, { method, headers, body: data.length > 0 ? data.join('&') : undefined });
const body = await response.text();
process.stdout.write(body);
if (process.env.CURL_LOG) {
  appendFileSync(process.env.CURL_LOG, `${JSON.stringify({ method, url, status: response.status, body })}\n`);
}
