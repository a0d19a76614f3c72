#!/usr/bin/env node
// A portal's view of Urb.Api from Node, built from the .proto files alone (@grpc/proto-loader
// reads them at start-up; nothing is generated).
//
//   node urb_portal.js --address 127.0.0.1:8443 --key urbk1.… clients
//   node urb_portal.js … backup CLIENT_ID [--full]
//   node urb_portal.js … follow [--client ID] [--level warning] [--history 20] [--count N] [--timeout S]
//
// Every answer is printed as JSON, one object per line, as proto-loader reads it: camelCase
// fields, enums as names, 64-bit integers as strings, timestamps as {seconds, nanos}, default
// values left out. The key may also come from URB_API_KEY.
// Exit codes: 0 done, 1 the call failed (its gRPC status on stderr), 2 bad arguments.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const REPOSITORY = path.resolve(__dirname, '..', '..');
const API_PROTOS = ['urb/api/v1/clients.proto', 'urb/api/v1/live_log.proto'];

function usage(message) {
  process.stderr.write(`${message}\nusage: urb_portal.js --address HOST:PORT [--key KEY] [--ca PEM] [--protos DIR] [-I DIR]… clients|backup CLIENT_ID [--full]|follow [options]\n`);
  process.exit(2);
}

function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      address: { type: 'string' },
      key: { type: 'string', default: process.env.URB_API_KEY },
      ca: { type: 'string' },
      protos: { type: 'string', default: path.join(REPOSITORY, 'protos') },
      include: { type: 'string', short: 'I', multiple: true, default: [] },
      tenant: { type: 'string', default: '' },
      client: { type: 'string', default: '' },
      full: { type: 'boolean', default: false },
      level: { type: 'string', default: 'info' },
      history: { type: 'string', default: '20' },
      count: { type: 'string', default: '0' },
      timeout: { type: 'string' },
    },
  });
  if (!values.address) usage('--address is needed');
  if (!values.key) usage('an API key is needed: --key or URB_API_KEY');
  const [command, ...rest] = positionals;
  if (!['clients', 'backup', 'follow'].includes(command)) usage(`unknown command ${command ?? '(none)'}`);
  if (command === 'backup' && rest.length !== 1) usage('backup needs the client id');
  if (!['debug', 'info', 'warning', 'error'].includes(values.level)) usage(`unknown level ${values.level}`);
  return { ...values, command, clientId: rest[0] };
}

function loadApi(protos, includes) {
  const definition = protoLoader.loadSync(API_PROTOS, {
    includeDirs: [protos, ...includes],
    keepCase: false, // camelCase fields, as the JSON mapping names them
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).urb.api.v1;
}

function emit(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function failed(error) {
  process.stderr.write(`${grpc.status[error.code] ?? error.code}: ${error.details ?? error.message}\n`);
  process.exitCode = 1;
}

function listClients(api, options) {
  return new Promise((resolve) => {
    api.clients.listClients({ tenantId: options.tenant }, options.metadata, (error, response) => {
      if (error) failed(error);
      else response.clients.forEach(emit);
      resolve();
    });
  });
}

function startBackup(api, options) {
  return new Promise((resolve) => {
    api.clients.startBackup({ clientId: options.clientId, full: options.full }, options.metadata, (error, response) => {
      if (error) failed(error);
      else emit(response);
      resolve();
    });
  });
}

function followLog(api, options) {
  const callOptions = options.timeout ? { deadline: Date.now() + Number(options.timeout) * 1000 } : {};
  const request = {
    filter: { tenantId: options.tenant, clientId: options.client, minLevel: `LOG_LEVEL_${options.level.toUpperCase()}` },
    history: Number(options.history),
  };
  const wanted = Number(options.count);
  return new Promise((resolve) => {
    const call = api.liveLog.follow(request, options.metadata, callOptions);
    let seen = 0;
    call.on('data', (event) => {
      emit(event);
      seen += 1;
      if (wanted > 0 && seen >= wanted) call.cancel();
    });
    call.on('error', (error) => {
      // Our own cancel after --count, or the deadline of --timeout: that is how a follow ends.
      if (error.code !== grpc.status.CANCELLED && error.code !== grpc.status.DEADLINE_EXCEEDED) failed(error);
    });
    call.on('close', resolve);
  });
}

async function main() {
  const options = parse(process.argv.slice(2));
  const v1 = loadApi(options.protos, options.include);
  const credentials = options.ca
    ? grpc.credentials.createSsl(fs.readFileSync(options.ca))
    : grpc.credentials.createInsecure();
  const api = {
    clients: new v1.Clients(options.address, credentials),
    liveLog: new v1.LiveLog(options.address, credentials),
  };
  options.metadata = new grpc.Metadata();
  options.metadata.set('authorization', `Bearer ${options.key}`);
  const run = { clients: listClients, backup: startBackup, follow: followLog }[options.command];
  try {
    await run(api, options);
  } finally {
    api.clients.close();
    api.liveLog.close();
  }
}

main();
