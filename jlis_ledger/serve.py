"""Start Fava on the books, on 127.0.0.1, read-only unless asked otherwise.

A thin adapter: Fava's own application and its own WSGI server (cheroot),
with the options our users expect by default.
"""

from __future__ import annotations

from pathlib import Path


def run(ledger: Path, *, port: int = 5000, editable: bool = False, host: str = "127.0.0.1") -> int:
    from cheroot.wsgi import Server
    from fava.application import create_app

    app = create_app([str(Path(ledger).resolve())], read_only=not editable)
    server = Server((host, port), app)
    print(f"Fava: http://{host}:{port}/  ({ledger}, {'editable' if editable else 'read-only'})", flush=True)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
    return 0
