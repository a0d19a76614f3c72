#!/bin/sh
# urb-bootstrap.sh: sets this machine up as a new Urb client in one command. It makes the client
# (named after this host) through Urb.Api with an API key that may manage clients, fetches the
# client's installer and runs it (which installs, enrols and starts the agent):
#
#   URB_API=http://urb-api:5000 URB_API_KEY=urbk1.… sudo -E sh urb-bootstrap.sh
#
# URB_CLIENT_NAME chooses another name; URB_INSTALL_ROOT installs below a directory (see the
# installer). The API key travels to URB_API: use a trusted network, or https:// through a proxy.
set -eu
api="${URB_API:?set URB_API to Urb.Api's address, e.g. http://urb-api:5000}"
key="${URB_API_KEY:?set URB_API_KEY to an API key that may manage clients}"
name="${URB_CLIENT_NAME:-$(hostname -s)}"
installer=$(mktemp)
trap 'rm -f "$installer"' EXIT
status=$(curl -sS --http2-prior-knowledge -o "$installer" -w '%{http_code}' -X POST \
  -H "authorization: Bearer $key" "$api/v1/bootstrap/linux?client=$name")
if [ "$status" != 200 ]; then
  printf 'urb-bootstrap: the server refused (HTTP %s): %s\n' "$status" "$(cat "$installer")" >&2
  exit 1
fi
sh "$installer"
