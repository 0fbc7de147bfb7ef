#!/bin/sh
# `make seams`: the module boundaries of docs/architecture.md, checked on the sources.
# SwiftPM checks that a Swift target imports only the targets it declares
# (`--explicit-target-dependency-import-check error`, which `make seams` also runs), but a
# C system library (CLua, CEpoll, COpenSSL, CCurl) is visible to every module above one that
# uses it, so who may see which is checked here. Prints each offending line; exits 1 if any.
cd "$(dirname "$0")/.." || exit 2
status=0

# forbid DESCRIPTION PATTERN PATH... : no line of a Swift file under PATH matches PATTERN.
forbid() {
    description=$1; pattern=$2; shift 2
    found=$(grep -rnE --include='*.swift' "$pattern" "$@" 2>/dev/null)
    if [ -n "$found" ]; then
        echo "seams: $description:"
        echo "$found" | sed 's/^/  /'
        status=1
    fi
}

swift_sources_except() {
    for dir in Sources/*/; do
        dir=${dir%/}
        for allowed in "$@"; do [ "$dir" = "Sources/$allowed" ] && continue 2; done
        echo "$dir"
    done
}

forbid "only Host calls the Lua C API" \
    '^import (CLua|CLuaHost)$|(^|[^A-Za-z_.])(lua|luaL|clua)_[a-z]+\(' $(swift_sources_except Host)
forbid "only OutboundHTTP (and the LoopbackTesting servers) see epoll, OpenSSL and libcurl" \
    '^import (CEpoll|COpenSSL|COpenSSLHost|CCurl)$' $(swift_sources_except OutboundHTTP LoopbackTesting)
forbid "LeadJSON knows nothing of Lua or HTTP" \
    '^import (CLua|CLuaHost|Host|OutboundHTTP|IntegrationRuntime)$' Sources/LeadJSON
forbid "OutboundHTTP knows nothing of Lua, scripts or JSON" \
    '^import (CLua|CLuaHost|Host|LeadJSON|IntegrationRuntime)$' Sources/OutboundHTTP
forbid "the network emulators do not depend on the VM or the runtime" \
    '^import (CLua|CLuaHost|Host|IntegrationRuntime)$' Sources/NetworkEmulators
forbid "the service runs scripts through IntegrationRuntime, never the Lua VM itself" \
    '^import (CLua|CLuaHost|Host)$' Sources/LeadRelayService
forbid "nothing below the command line imports it" \
    '^(@testable )?import leadrelay$' Sources
exit $status
