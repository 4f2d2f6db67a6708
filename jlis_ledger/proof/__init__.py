"""Proof in the ledger: flow assertions, sealed fiscal years, the articulation of the statements.

- :mod:`.declarations` — ``custom "flow"`` and ``custom "fiscal-seal"``, read once;
- :mod:`.flows` — the asserted flows summed in one pass; :mod:`.digest` — what a seal covers and an
  entry's digest; :mod:`.rule` — the plugin's rule (:mod:`jlis_ledger.plugins.proof` is its contract path);
- :mod:`.close` — ``jlis-ledger close``: the seal of a fiscal year written to the ledger;
- :mod:`.verify` — ``jlis-ledger verify``: the identities every statement set must satisfy;
- :mod:`.explain` — ``jlis-ledger reconcile --explain`` and ``jlis-ledger diff``: the entries behind a
  figure that moved.
"""

from jlis_ledger.proof.declarations import ESTIMATE, FLOW, PUBLISHED, SEAL, FlowAssertion, Seal, proof_kind, read_proof
from jlis_ledger.proof.rule import FlowError, Proof, ProofDeclarationError, SealError, analyze

__all__ = ["ESTIMATE", "FLOW", "PUBLISHED", "SEAL", "FlowAssertion", "FlowError", "Proof", "ProofDeclarationError", "Seal",
           "SealError", "analyze", "proof_kind", "read_proof"]
