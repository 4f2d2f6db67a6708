"""Moved to :mod:`jlis_ledger.testing.synth` (this name is kept for one release: the same module)."""

import sys

from jlis_ledger.testing import synth as _moved

sys.modules[__name__] = _moved
