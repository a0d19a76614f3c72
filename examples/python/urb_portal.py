#!/usr/bin/python3
"""A portal's view of Urb.Api from Python, built from the .proto files alone.

No generated code is kept: protoc turns protos/ into a descriptor set at start-up, and the
messages and calls are made from it (so any protoc version works with Debian's
python3-protobuf). Needs python3-grpcio and protoc.

    urb_portal.py --address 127.0.0.1:8443 --key urbk1.… clients
    urb_portal.py … backup CLIENT_ID [--full]
    urb_portal.py … follow [--client ID] [--level warning] [--history 20] [--count N] [--timeout S]

Every answer is printed as JSON, one object per line (the protobuf JSON mapping). The key may
also come from URB_API_KEY. Exit codes: 0 done, 1 the call failed (its gRPC status on stderr),
2 bad arguments or protos that do not compile.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
API_PROTOS = ["urb/api/v1/clients.proto", "urb/api/v1/live_log.proto"]


class ApiDescriptors:
    """The messages and methods of Urb.Api, compiled from the .proto files."""

    def __init__(self, protoc, proto_root, includes):
        with tempfile.TemporaryDirectory() as scratch:
            out = os.path.join(scratch, "api.pb")
            command = [protoc, "--include_imports", "--descriptor_set_out=" + out, "-I", proto_root]
            for include in includes:
                command += ["-I", include]
            compiled = subprocess.run(command + API_PROTOS, capture_output=True, text=True)
            if compiled.returncode != 0:
                raise SystemExit(fail(2, "protoc could not compile the protos:\n" + compiled.stderr))
            with open(out, "rb") as f:
                files = descriptor_pb2.FileDescriptorSet.FromString(f.read())
        self.pool = descriptor_pool.DescriptorPool()
        for file in files.file:  # dependencies come first with --include_imports
            self.pool.Add(file)
        self.factory = message_factory.MessageFactory(self.pool)

    def message_class(self, descriptor):
        if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
            return message_factory.GetMessageClass(descriptor)
        return self.factory.GetPrototype(descriptor)

    def method(self, channel, service, name):
        """A callable for service/name on the channel, and the class of its request."""
        method = self.pool.FindServiceByName(service).FindMethodByName(name)
        request_class = self.message_class(method.input_type)
        response_class = self.message_class(method.output_type)
        path = "/%s/%s" % (service, name)
        call = channel.unary_stream if method.server_streaming else channel.unary_unary
        stub = call(path, request_serializer=lambda m: m.SerializeToString(),
                    response_deserializer=response_class.FromString)
        return stub, request_class


def fail(code, text):
    print(text, file=sys.stderr)
    return code


def emit(message):
    print(json.dumps(json_format.MessageToDict(message, preserving_proto_field_name=False)), flush=True)


def list_clients(api, channel, metadata, args):
    call, request = api.method(channel, "urb.api.v1.Clients", "ListClients")
    for client in call(request(tenant_id=args.tenant or ""), metadata=metadata).clients:
        emit(client)


def start_backup(api, channel, metadata, args):
    call, request = api.method(channel, "urb.api.v1.Clients", "StartBackup")
    emit(call(request(client_id=args.client_id, full=args.full), metadata=metadata))


def follow_log(api, channel, metadata, args):
    call, request = api.method(channel, "urb.api.v1.LiveLog", "Follow")
    follow = request(history=args.history)
    follow.filter.client_id = args.client or ""
    follow.filter.tenant_id = args.tenant or ""
    follow.filter.min_level = follow.filter.DESCRIPTOR.fields_by_name["min_level"].enum_type \
        .values_by_name["LOG_LEVEL_" + args.level.upper()].number
    events = call(follow, metadata=metadata, timeout=args.timeout)
    seen = 0
    try:
        for event in events:
            emit(event)
            seen += 1
            if args.count and seen >= args.count:
                events.cancel()
                break
    except grpc.RpcError as e:
        # The deadline ends a follow without --count: that is how it is meant to stop.
        if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
            raise


def parse(argv):
    parser = argparse.ArgumentParser(description="Call Urb.Api from Python using only its .proto files.")
    parser.add_argument("--address", required=True, help="host:port of Urb.Api's gRPC port")
    parser.add_argument("--key", default=os.environ.get("URB_API_KEY"), help="API key (default: $URB_API_KEY)")
    parser.add_argument("--ca", help="PEM file of the CA to trust: TLS; without it plaintext (h2c)")
    parser.add_argument("--protoc", default="protoc", help="the protoc to compile the .proto files with")
    parser.add_argument("--protos", default=os.path.join(REPOSITORY, "protos"), help="Urb's protos/ directory")
    parser.add_argument("-I", "--include", action="append", default=[],
                        help="more import directories (google/api/annotations.proto, google/protobuf/*.proto)")
    commands = parser.add_subparsers(dest="command", required=True)
    clients = commands.add_parser("clients", help="list the clients the key may see")
    clients.add_argument("--tenant")
    backup = commands.add_parser("backup", help="start a backup on a connected client")
    backup.add_argument("client_id")
    backup.add_argument("--full", action="store_true")
    follow = commands.add_parser("follow", help="the live log: recent history, then new events")
    follow.add_argument("--tenant")
    follow.add_argument("--client")
    follow.add_argument("--level", default="info", choices=["debug", "info", "warning", "error"])
    follow.add_argument("--history", type=int, default=20)
    follow.add_argument("--count", type=int, default=0, help="stop after this many events")
    follow.add_argument("--timeout", type=float, default=None, help="stop after this many seconds")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("an API key is needed: --key or URB_API_KEY")
    return args


def main(argv):
    args = parse(argv)
    api = ApiDescriptors(args.protoc, args.protos, args.include)
    if args.ca:
        with open(args.ca, "rb") as f:
            channel = grpc.secure_channel(args.address, grpc.ssl_channel_credentials(root_certificates=f.read()))
    else:
        channel = grpc.insecure_channel(args.address)
    metadata = [("authorization", "Bearer " + args.key)]
    run = {"clients": list_clients, "backup": start_backup, "follow": follow_log}[args.command]
    try:
        with channel:
            run(api, channel, metadata, args)
    except grpc.RpcError as e:
        return fail(1, "%s: %s" % (e.code().name, e.details()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
