"""``python -m policy_ledger`` runs the same CLI as the ``ledger`` command."""

from policy_ledger.cli import main

main()
