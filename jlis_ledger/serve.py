"""Start Fava on the books, on 127.0.0.1, read-only unless asked otherwise.

A thin adapter: Fava's own application and its own WSGI server (cheroot),
with the options our users expect by default. Fava's loads (at start and on every
change of a ledger file) go through :func:`jlis_ledger.loading.load_ledger`, by the one
hook :func:`route_fava_loads`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fava.beans.types import LoaderResult


def route_fava_loads(*, cache: bool = True) -> None:
    """Make Fava load ledgers with :func:`jlis_ledger.loading.load_ledger` (the collector
    tuning and the load cache; ``cache=False``: tuning only).

    Fava 1.30's ``FavaLedger.load_file`` calls the name ``load_uncached`` of ``fava.core``
    (Beancount's plain load, ``fava.beans.load``); that name, and only it, is replaced, for
    this process. Encrypted files keep Fava's own path. Fava's internals are not a stable
    API: this is the one place that knows them.
    """
    import fava.core

    from jlis_ledger.loading import load_ledger

    original = getattr(fava.core, "load_uncached", None)
    if original is None:
        raise RuntimeError("this Fava version has no fava.core.load_uncached to route through jlis_ledger.loading")
    original = getattr(original, "fava_original", original)

    def load_uncached(beancount_file_path: str, *, is_encrypted: bool) -> LoaderResult:  # Fava's signature
        if is_encrypted:
            return original(beancount_file_path, is_encrypted=is_encrypted)
        return load_ledger(beancount_file_path, cache=cache)  # type: ignore[return-value]  # Beancount's result, as Fava's own load returns it

    load_uncached.fava_original = original  # type: ignore[attr-defined]
    fava.core.load_uncached = load_uncached


def run(
    ledger: Path, *, port: int = 5000, editable: bool = False, host: str = "127.0.0.1", cache: bool = True
) -> int:
    from cheroot.wsgi import Server
    from fava.application import create_app

    route_fava_loads(cache=cache)
    app = create_app([str(Path(ledger).resolve())], read_only=not editable)
    server = Server((host, port), app)
    print(f"Fava: http://{host}:{port}/  ({ledger}, {'editable' if editable else 'read-only'})", flush=True)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
    return 0
