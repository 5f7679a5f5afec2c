"""DNS as the real resolver answers for `.invalid` names (RFC 6761: they never resolve),
without asking any server: loaded by child processes whose PYTHONPATH includes this folder,
so a test of an unreachable host by name stays on this machine."""

import socket

_getaddrinfo = socket.getaddrinfo


def _offline_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    name = host.decode() if isinstance(host, bytes) else str(host or "")
    if name.rstrip(".").endswith(".invalid"):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _offline_getaddrinfo
