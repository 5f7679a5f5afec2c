"""The gateway: Cal.com API v2 through Maton. The only place that knows their wire format.

- ``client.CalcomClient``: one async method per Cal.com operation, typed results.
- ``connections.MatonConnections``: Maton's control plane (create/list/get/delete).
- ``errors``: the ``CalcomError`` family (pure: no HTTP library).
- ``models``: frozen dataclasses built by ``from_api`` (pure: no HTTP library).
- ``transport``: the request/retry/error-mapping core and ``make_http_client``.

Nothing is re-exported here, so importing the value types (``bot.calcom.models``,
``bot.calcom.errors``), as Block Kit builders do, never loads httpx.
"""
