"""The queue log: who changed a mine's queue, when and why (every sub-package records into it)."""
